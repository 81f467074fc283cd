/**
 * The query-platform reader cell by cell (functions/domain/query-csv/read.ts): every printed value,
 * quantity, unit, period and code either reads as exactly what it says or refuses the file naming
 * the line and column, never a near number.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import { type QueryRow, readQueryRows } from "../../functions/domain/query-csv/index.js";

const HEADER =
  '"数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",';

interface Cells {
  period: string;
  partner: string;
  partnerName: string;
  hs: string;
  name: string;
  q1: string;
  u1: string;
  q2: string;
  u2: string;
  value: string;
}
const DEFAULTS: Cells = {
  period: "202301",
  partner: "410",
  partnerName: "巴西",
  hs: "12019019",
  name: "转基因黄大豆",
  q1: "1831535439",
  u1: "千克",
  q2: "0",
  u2: "?",
  value: "8,634,238,278",
};

function line(cells: Partial<Cells>): string {
  const c = { ...DEFAULTS, ...cells };
  return [c.period, c.partner, c.partnerName, c.hs, c.name, c.q1, c.u1, c.q2, c.u2, c.value]
    .map((x) => `"${x}",`)
    .join("");
}

async function rowsOf(...rows: Array<Partial<Cells>>): Promise<QueryRow[]> {
  const out: QueryRow[] = [];
  const text = `${[HEADER, ...rows.map(line)].join("\n")}\n`;
  for await (const row of readQueryRows(Buffer.from(text, "utf8"))) out.push(row);
  return out;
}

async function rowOf(cells: Partial<Cells>): Promise<QueryRow> {
  const [row] = await rowsOf(cells);
  if (!row) throw new Error("no row");
  return row;
}

async function refusalOf(...rows: Array<Partial<Cells>>): Promise<string> {
  const err = await rowsOf(...rows).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LayoutChanged);
  return (err as LayoutChanged).message;
}

const withCommas = (n: number): string => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

describe("values", () => {
  it("reads every whole number of up to 16 digits exactly, with or without thousands commas (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.boolean(),
        async (n, commas) => {
          const printed = commas ? withCommas(n) : String(n);
          const row = await rowOf({ value: printed, q1: printed });
          expect(row.value).toBe(n);
          expect(row.valuePrinted).toBe(printed);
          expect(row.quantity?.value).toBe(n);
          expect(row.quantity?.printed).toBe(printed);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    ["0", 0],
    ["7", 7],
    ["999", 999],
    ["1,000", 1000],
    ["12,345", 12_345],
    ["123,456", 123_456],
    ["1234567", 1_234_567],
    ["8,634,238,278", 8_634_238_278],
    ["999,999,999,999,999", 999_999_999_999_999], // 15 digits
    ["1,000,000,000,000,000", 1_000_000_000_000_000], // 16 digits
    ["9007199254740991", 9_007_199_254_740_991], // the largest exact one
    [" 12,345 ", 12_345],
    ["-5", -5],
    ["+5", 5],
    ["1.5", 1.5],
    ["?", undefined],
    ["", undefined],
    ["-", undefined],
  ] as const)("value %j reads as %s", async (printed, value) => {
    expect((await rowOf({ value: printed })).value).toBe(value);
  });

  it.each([
    "1,23",
    "12,3456",
    "1234,567",
    ",123",
    "1,,234",
    "1,234,",
    "1,2345,678",
    "12a",
    "1.810.818",
    "0x10",
    "1e5",
    "lots",
  ])("refuses value %j, naming line and column", async (printed) => {
    expect(await refusalOf({}, { value: printed })).toBe(
      `Line 3, column 10 "人民币": expected a number but found "${printed}"`,
    );
  });

  it("refuses a value too large to store exactly", async () => {
    expect(await refusalOf({ value: "9007199254740993" })).toBe(
      'Line 2, column 10 "人民币": the value "9007199254740993" is too large to store exactly',
    );
    expect(await refusalOf({ value: "12,345,678,901,234,567,890" })).toMatch(/too large to store exactly/);
  });
});

describe("quantities", () => {
  it.each([
    ["1,000", "千克", { value: 1000, printed: "1,000", unit: "kg", printedUnit: "千克", unitKnown: true }],
    ["0", "千克", { value: 0, printed: "0", unit: "kg", printedUnit: "千克", unitKnown: true }],
    ["5", "桶", { value: 5, printed: "5", unit: "桶", printedUnit: "桶", unitKnown: false }],
    ["5", " 吨 ", { value: 5, printed: "5", unit: "t", printedUnit: "吨", unitKnown: true }],
    ["5", "?", { value: 5, printed: "5", unit: "", printedUnit: "", unitKnown: false }],
    ["5", "", { value: 5, printed: "5", unit: "", printedUnit: "", unitKnown: false }],
    ["0", "?", undefined], // the platform's "none"
    ["0", "", undefined],
    ["?", "千克", undefined],
    ["", "千克", undefined],
  ] as const)("quantity %j %j", async (q1, u1, quantity) => {
    const row = await rowOf({ q1, u1, q2: q1, u2: u1 });
    expect(row.quantity).toEqual(quantity);
    expect(row.supplementaryQuantity).toEqual(quantity);
  });

  it("reads the first and the supplementary quantity from their own columns", async () => {
    const row = await rowOf({ q1: "12", u1: "千克", q2: "3", u2: "个" });
    expect(row.quantity).toEqual({
      value: 12,
      printed: "12",
      unit: "kg",
      printedUnit: "千克",
      unitKnown: true,
    });
    expect(row.supplementaryQuantity).toEqual({
      value: 3,
      printed: "3",
      unit: "pcs",
      printedUnit: "个",
      unitKnown: true,
    });
  });

  it("looks each unit up by itself, however many rows repeat it", async () => {
    const rows = await rowsOf({ u1: "千克" }, { u1: "桶" }, { u1: "千克" }, { u1: "桶" }, { u1: "个" });
    expect(rows.map((r) => [r.quantity?.unit, r.quantity?.unitKnown])).toEqual([
      ["kg", true],
      ["桶", false],
      ["kg", true],
      ["桶", false],
      ["pcs", true],
    ]);
  });

  it("refuses a quantity that is not a number, naming its column", async () => {
    expect(await refusalOf({ q2: "1,23", u2: "个" })).toBe(
      'Line 2, column 8 "第二数量": expected a number but found "1,23"',
    );
  });
});

describe("periods and codes", () => {
  it.each([
    ["202301", "2023-01"],
    ["202312", "2023-12"],
    ["2023-01", "2023-01"],
    ["2023/02", "2023-02"],
    ["2023.03", "2023-03"],
    ["2023年04月", "2023-04"],
    ["2023年10", "2023-10"],
    [" 202305 ", "2023-05"],
  ])("period %j reads as %s", async (printed, period) => {
    expect((await rowOf({ period: printed })).period).toBe(period);
  });

  it.each([
    "202300",
    "202313",
    "20231",
    "2023-1",
    "2023--01",
    "x202301",
    "2023011",
    "2023 01",
    "",
    "202301月x",
  ])("refuses period %j", async (printed) => {
    expect(await refusalOf({ period: printed })).toBe(
      `Line 2, column 1 "数据年月": expected a year and month like 202301 but found "${printed.trim()}"`,
    );
  });

  it('refuses an empty period on the first row (it used to be taken for a repeat and read as "")', async () => {
    expect(await refusalOf({ period: "" }, { period: "202301" })).toMatch(/^Line 2, column 1 "数据年月"/);
    expect(await refusalOf({ period: "202301" }, { period: "" })).toMatch(/^Line 3, column 1 "数据年月"/);
  });

  it("reads each row's own period, and refuses a bad one after good ones", async () => {
    const rows = await rowsOf(
      { period: "202301" },
      { period: "202301" },
      { period: "202302" },
      { period: "202301" },
    );
    expect(rows.map((r) => r.period)).toEqual(["2023-01", "2023-01", "2023-02", "2023-01"]);
    expect(await refusalOf({ period: "202301" }, { period: "202301" }, { period: "202399" })).toMatch(
      /^Line 4, column 1/,
    );
  });

  it.each([
    ["410", "410"],
    ["004", "004"],
    [" 344 ", "344"],
  ])("partner code %j is kept as %j", async (printed, code) => {
    expect((await rowOf({ partner: printed })).partnerCode).toBe(code);
  });

  it.each(["41", "4100", "ABC", "", "41a", "4 1"])("refuses partner code %j", async (printed) => {
    expect(await refusalOf({ partner: printed })).toBe(
      `Line 2, column 2 "贸易伙伴编码": expected a 3-digit partner code like 344 but found "${printed.trim()}"`,
    );
  });

  it.each([
    ["12", "12"],
    ["1201", "1201"],
    ["030111", "030111"],
    ["03011100", "03011100"],
    ["0301110010", "0301110010"],
    [" 12019019 ", "12019019"],
  ])("HS code %j is kept as %j, leading zeros and all", async (printed, hs) => {
    expect((await rowOf({ hs: printed })).hsCode).toBe(hs);
  });

  const HS_REFUSED =
    'Line 2, column 4 "商品编码": expected an HS code of 2 to 10 digits like 03011100 but found';
  it.each(["", "030111001234", "0301110", "1", "12019A19", "1201-9019", "030111001"])(
    "refuses HS code %j",
    async (printed) => {
      const odd = /^\d+$/.test(printed) && printed.length % 2 === 1;
      const message = await refusalOf({ hs: printed });
      expect(message.startsWith(`${HS_REFUSED} "${printed}"`)).toBe(true);
      // An odd number of digits is what a spreadsheet makes of a code that began with 0: say so.
      expect(message.includes("dropped its leading zero")).toBe(odd);
    },
  );

  it.each([
    ["巴西", "巴西"],
    [" 巴西 ", "巴西"],
    ["?", undefined],
    ["", undefined],
    ["  ", undefined],
  ])("partner name %j reads as %j", async (printed, name) => {
    const row = await rowOf({ partnerName: printed, name: printed });
    expect(row.partnerName).toBe(name);
    expect(row.commodityName).toBe(name);
  });
});
