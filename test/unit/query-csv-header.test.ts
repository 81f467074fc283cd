/**
 * The query-platform reader's header line and file shape (functions/domain/query-csv/read.ts):
 * which headers are accepted and what they say about the file (currency, language, trailing comma),
 * and the exact reason a file that is not the platform's is refused.
 */
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import { type QueryHeader, type QueryRow, readQueryRows } from "../../functions/domain/query-csv/index.js";

const ZH = ["数据年月", "贸易伙伴编码", "贸易伙伴名称", "商品编码", "人民币"];
const EN = ["Date of data", "Trading partner code", "Trading partner", "Commodity code", "Renminbi Yuan"];
const ROW = ["202301", "410", "巴西", "12019019", "8,634,238,278"];
const quoted = (cells: string[], trailing = true) =>
  cells.map((c) => `"${c}"`).join(",") + (trailing ? "," : "");

async function read(input: Buffer | string): Promise<{ header?: QueryHeader; rows: QueryRow[] }> {
  let header: QueryHeader | undefined;
  const rows: QueryRow[] = [];
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  for await (const row of readQueryRows(bytes, { onHeader: (h) => (header = h) })) rows.push(row);
  return { header, rows };
}

async function refusal(input: Buffer | string): Promise<string> {
  const err = await read(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LayoutChanged);
  return (err as LayoutChanged).message;
}

const HEADER_REFUSED = (problems: string, encoding = "UTF-8") =>
  `Line 1, the header (read as ${encoding}), is not the query platform's: ${problems}. ` +
  "Upload the CSV exactly as the platform exported it.";

describe("header: what it says about the file", () => {
  it.each([
    ["Chinese headers", ZH, "zh", "CNY"],
    ["English headers", EN, "en", "CNY"],
    ["more Chinese than English headers", [...ZH.slice(0, 2), ...EN.slice(2, 4), "人民币"], "zh", "CNY"],
    ["more English than Chinese", [...ZH.slice(0, 2), ...EN.slice(2)], "en", "CNY"],
    ["a dollar column", [...ZH.slice(0, 4), "美元"], "zh", "USD"],
    ["a dollar column in English", [...EN.slice(0, 4), "USD"], "en", "USD"],
  ] as const)("%s", async (_, columns, language, currency) => {
    const { header, rows } = await read(`${quoted([...columns])}\n${quoted(ROW)}\n`);
    expect(header).toMatchObject({
      columns,
      language,
      currency,
      trailingComma: true,
      encoding: "utf-8",
      bom: false,
    });
    expect(header?.fields).toEqual({
      period: 0,
      partnerCode: 1,
      partnerName: 2,
      hsCode: 3,
      [currency === "CNY" ? "valueCny" : "valueUsd"]: 4,
    });
    expect(rows.map((r) => [r.value, r.currency])).toEqual([[8_634_238_278, currency]]);
  });

  it("reads a file without the trailing comma, and one whose columns come in another order", async () => {
    const plain = await read(`${quoted(ZH, false)}\n${quoted(ROW, false)}\n`);
    expect(plain.header?.trailingComma).toBe(false);
    expect(plain.rows.map((r) => [r.period, r.partnerCode, r.hsCode, r.value])).toEqual([
      ["2023-01", "410", "12019019", 8_634_238_278],
    ]);
    const order = [4, 3, 2, 1, 0];
    const shuffled = await read(
      `${quoted(order.map((i) => ZH[i] as string))}\n${quoted(order.map((i) => ROW[i] as string))}\n`,
    );
    expect(shuffled.header?.fields).toEqual({
      valueCny: 0,
      hsCode: 1,
      partnerName: 2,
      partnerCode: 3,
      period: 4,
    });
    expect(shuffled.rows.map((r) => [r.period, r.partnerCode, r.partnerName, r.hsCode, r.value])).toEqual([
      ["2023-01", "410", "巴西", "12019019", 8_634_238_278],
    ]);
  });

  it("takes a byte-order mark left inside the first header off, and spaces around headers", async () => {
    const { header, rows } = await read(
      `\ufeff\ufeff${quoted([" 数据年月 ", ...ZH.slice(1)])}\n${quoted(ROW)}\n`,
    );
    expect(header?.columns[0]).toBe(" 数据年月 ");
    expect(header?.columns.slice(1)).toEqual(ZH.slice(1));
    expect(header?.fields.period).toBe(0);
    expect(header?.bom).toBe(true);
    expect(rows).toHaveLength(1);
  });

  it("says GB18030 once the bytes show it, and UTF-8 for a file of plain ASCII", async () => {
    expect((await read(iconv.encode(`${quoted(ZH)}\n${quoted(ROW)}\n`, "gb18030"))).header?.encoding).toBe(
      "gb18030",
    );
    const ascii = await read(`${quoted(EN)}\n${quoted(["202301", "410", "Brazil", "12019019", "1"])}\n`);
    expect(ascii.header?.encoding).toBe("utf-8");
  });

  it("skips empty lines anywhere, and counts them in line numbers", async () => {
    const { rows } = await read(`\n${quoted(ZH)}\n\n${quoted(ROW)}\n\n${quoted(ROW)}\n`);
    expect(rows.map((r) => r.line)).toEqual([4, 6]);
  });
});

describe("header: refused, with every problem named", () => {
  it.each([
    ["an empty header", [...ZH.slice(0, 2), "", ...ZH.slice(3)], "column 3 has no header"],
    [
      "an unknown header",
      [...ZH.slice(0, 2), "Partner name", ...ZH.slice(3)],
      'column 3 is headed "Partner name", which is not a column the query platform exports',
    ],
    ["a column twice", [...ZH, "商品编码"], 'columns 4 and 6 both hold "商品编码"'],
    [
      "the same column in both languages",
      [...ZH, "Commodity code"],
      'columns 4 and 6 both hold "Commodity code"',
    ],
    ["no period", ZH.slice(1), "there is no 数据年月 (Date of data) column"],
    ["no partner code", [ZH[0], ...ZH.slice(2)], "there is no 贸易伙伴编码 (Trading partner code) column"],
    [
      "no partner code and no HS code",
      [ZH[0], ZH[2], ZH[4]],
      "there is no 贸易伙伴编码 (Trading partner code) column; there is no 商品编码 (Commodity code) column",
    ],
    [
      "no value column",
      ZH.slice(0, 4),
      "there is no value column (人民币 / Renminbi Yuan or 美元 / US dollar)",
    ],
    [
      "both currencies",
      [...ZH, "美元"],
      "it has both a yuan and a dollar value column; export one currency per file",
    ],
    [
      "two problems",
      ["", ...ZH.slice(1), "Remarks"],
      'column 1 has no header; column 6 is headed "Remarks", which is not a column the query platform exports',
    ],
  ] as const)("%s", async (_, columns, problems) => {
    expect(await refusal(`${quoted(columns as string[])}\n${quoted(ROW)}\n`)).toBe(HEADER_REFUSED(problems));
  });

  it("names GB18030 when the header's bytes were read as GB18030", async () => {
    const bytes = iconv.encode(`${quoted([...ZH.slice(0, 4), "备注"])}\n${quoted(ROW)}\n`, "gb18030");
    expect(await refusal(bytes)).toBe(
      HEADER_REFUSED(
        'column 5 is headed "备注", which is not a column the query platform exports',
        "GB18030",
      ),
    );
  });

  it("names no encoding when the header is plain ASCII (it reads the same in both)", async () => {
    expect(await refusal(`${quoted(["Date of data", "Remarks"])}\n`)).toBe(
      "Line 1, the header, is not the query platform's: " +
        'column 2 is headed "Remarks", which is not a column the query platform exports. ' +
        "Upload the CSV exactly as the platform exported it.",
    );
  });

  it.each([
    "<!DOCTYPE html><html><body>验证码</body></html>\n",
    "  <html>\n<body>error</body></html>\n",
    '<?xml version="1.0"?>\n<error/>\n',
    "<HTML>\n",
  ])("a web page saved instead of the export: %j", async (page) => {
    expect(await refusal(page)).toBe(
      "Line 1 is the start of a web page, not of a CSV export (perhaps the platform's CAPTCHA or an error page " +
        "was saved instead of the download). Export the file again from the query platform.",
    );
  });

  it("an empty file, or only empty lines", async () => {
    const message = "The file is empty: there is no header line and no data";
    expect(await refusal("")).toBe(message);
    expect(await refusal("\n\n\n")).toBe(message);
  });
});

describe("rows against the header", () => {
  const WIDTH =
    "fields where the header has 6 (counting the empty one after the trailing comma): " +
    "a comma is missing or extra, or the line was cut short";
  it.each([
    ["one field short", quoted(ROW.slice(0, 4)), `Line 2 has 5 ${WIDTH}`],
    ["one field too many", quoted([...ROW, "x"]), `Line 2 has 7 ${WIDTH}`],
    ["no trailing comma", quoted(ROW, false), `Line 2 has 5 ${WIDTH}`],
    [
      "something after the last column",
      quoted([...ROW, "x"], false),
      'Line 2, column 6: after the last column there should be nothing but "x" is there',
    ],
  ])("%s", async (_, row, message) => {
    expect(await refusal(`${quoted(ZH)}\n${quoted(ROW)}\n${row}\n`)).toBe(
      message.replace("Line 2", "Line 3"),
    );
  });

  it("a file without trailing commas says nothing about them when a row is short", async () => {
    expect(await refusal(`${quoted(ZH, false)}\n${quoted(ROW.slice(0, 4), false)}\n`)).toBe(
      "Line 2 has 4 fields where the header has 5: a comma is missing or extra, or the line was cut short",
    );
  });
});

describe("file shape: line ends, last lines, damage", () => {
  const body = (nl: string, end: string) => `${quoted(ZH)}${nl}${quoted(ROW)}${nl}${quoted(ROW)}${end}`;
  it.each([
    ["LF", "\n", "\n"],
    ["LF, no final line break", "\n", ""],
    ["CRLF", "\r\n", "\r\n"],
    ["CRLF, no final line break", "\r\n", ""],
    ["CR only", "\r", "\r"],
    ["CR only, no final line break", "\r", ""],
  ])("%s", async (_, nl, end) => {
    const { rows } = await read(body(nl, end));
    expect(rows.map((r) => [r.line, r.period, r.value])).toEqual([
      [2, "2023-01", 8_634_238_278],
      [3, "2023-01", 8_634_238_278],
    ]);
  });

  it("refuses a CRLF file cut between the CR and the LF of its last line (the CR is read as a cell's text)", async () => {
    expect(await refusal(body("\r\n", "\r"))).toMatch(
      /^Line 3, column 6: after the last column there should be nothing/,
    );
  });

  it("reads a last line that is not in the platform's shape, without a final line break", async () => {
    const { rows } = await read(`${quoted(ZH)}\n${quoted(ROW)}\n202301,410,"巴,西",12019019,"1,000",`);
    expect(rows.map((r) => [r.line, r.partnerName, r.value])).toEqual([
      [2, "巴西", 8_634_238_278],
      [3, "巴,西", 1000],
    ]);
  });

  it.each([
    ["\u0001", "a control character (0x01)"],
    ["\u001f", "a control character (0x1f)"],
    ["\u0000", "a control character (0x00)"],
    ["\u000b", "a control character (0x0b)"],
    ["\u0008", "a control character (0x08)"],
    ["\u000c", "a control character (0x0c)"],
    ["\u000e", "a control character (0x0e)"],
    ["\u0010", "a control character (0x10)"],
    ["\ufffd", "bytes that are neither GB18030 nor UTF-8"],
  ])("names a control character %j and its line", async (ch, what) => {
    expect(
      await refusal(`${quoted(ZH)}\n${quoted(ROW)}\n${quoted(ROW).replace("巴西", `巴${ch}西`)}\n`),
    ).toBe(`Line 3 holds ${what}: the file is damaged or is not a query-platform CSV export`);
  });

  it("names the line of a control character in a file whose lines end in a lone CR", async () => {
    const text = `${quoted(ZH)}\r${quoted(ROW)}\r${quoted(ROW).replace("巴西", "巴\u0001西")}\r`;
    expect(await refusal(text)).toBe(
      "Line 3 holds a control character (0x01): the file is damaged or is not a query-platform CSV export",
    );
    // Read in pieces, the line count carries over from piece to piece.
    async function* pieces() {
      for (let i = 0; i < text.length; i += 5) yield Buffer.from(text.slice(i, i + 5), "utf8");
    }
    const err = await (async () => {
      for await (const _ of readQueryRows(pieces())) {
        // reading is the point
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/^Line 3 holds a control character \(0x01\)/);
  });

  it("keeps tabs in cells (they are not damage)", async () => {
    const { rows } = await read(`${quoted(ZH)}\n${quoted(ROW).replace("巴西", "巴\t西")}\n`);
    expect(rows[0]?.partnerName).toBe("巴\t西");
  });

  it("a quote mark that is never closed, and one inside a field that is not doubled", async () => {
    expect(await refusal(`${quoted(ZH)}\n${quoted(ROW)}\n"202301","410,\n`)).toBe(
      "Line 3: a quoted field is never closed (a quote mark is missing, or the file was cut off before its end)",
    );
    expect(await refusal(`${quoted(ZH)}\n${quoted(ROW)}\n"202301","4"10","巴西","12019019","1",\n`)).toBe(
      'Line 3: a quote mark inside a quoted field is not doubled (""), so the line cannot be split into columns',
    );
  });

  it("refuses a first line of more than a megabyte, and a megabyte of text inside one quote", async () => {
    expect(await refusal("x".repeat(1024 * 1024 + 1))).toBe(
      "Line 1 runs for more than a megabyte without a line break: this is not a CSV export",
    );
    const swallowed = `${quoted(ZH)}\n${quoted(ROW)}\n"202301","${"x\n".repeat(600 * 1024)}`;
    expect(await refusal(swallowed)).toMatch(
      /^Line 3: (more than a megabyte of text without the end of a line|a quoted field is never closed)/,
    );
  });

  it("reads a first line of exactly a megabyte", async () => {
    const name = "x".repeat(1024 * 1024 - quoted(ZH).length - 1);
    // A header that long is refused for what it says, not for its length.
    expect(await refusal(`${quoted(ZH)}${name}\n`)).toMatch(/^Line 1, the header/);
  });
});

describe("header language", () => {
  it("is Chinese on a tie: two Chinese and two English headers", async () => {
    const columns = [ZH[0], ZH[1], EN[3], EN[4]] as string[];
    const row = [ROW[0], ROW[1], ROW[3], ROW[4]] as string[];
    const { header, rows } = await read(`${quoted(columns)}\n${quoted(row)}\n`);
    expect(header?.language).toBe("zh");
    expect(rows.map((r) => [r.hsCode, r.value])).toEqual([["12019019", 8_634_238_278]]);
  });
});

describe("optional columns", () => {
  it("reads customs regime and location columns as printed (the normalizer holds such a file back)", async () => {
    const header = [...ZH.slice(0, 4), "贸易方式编码", "贸易方式名称", "注册地编码", "注册地名称", "人民币"];
    const row = [...ROW.slice(0, 4), "10", "一般贸易", " 44 ", "?", " 12,345 "];
    const named = [...ROW.slice(0, 4), "10", "一般贸易", "44", "广东省", "1"];
    const { rows } = await read(`${quoted(header)}\n${quoted(row)}\n${quoted(named)}\n`);
    expect(rows[1]).toMatchObject({ provinceCode: "44", provinceName: "广东省", value: 1 });
    expect(rows.slice(0, 1)).toEqual([
      expect.objectContaining({
        regimeCode: "10",
        regimeName: "一般贸易",
        provinceCode: "44",
        provinceName: undefined,
        value: 12_345,
        valuePrinted: "12,345",
        quantity: undefined,
        supplementaryQuantity: undefined,
        commodityName: undefined,
      }),
    ]);
  });
});
