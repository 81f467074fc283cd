import { createReadStream } from "node:fs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { ConfigurationError, LayoutChanged } from "../../functions/domain/errors.js";
import type { Observation, Provenance } from "../../functions/domain/model.js";
import {
  normalizeQueryExport,
  type QueryHeader,
  type QueryRow,
  readQueryRows,
} from "../../functions/domain/query-csv/index.js";
import { queryExportChunks, queryExportLines } from "../support/query-export.js";
import { describeWithSharedData, readShared, sharedPath } from "../support/shared-data.js";

const provenance: Provenance = {
  releaseId: "query-test",
  url: "upload://harukaworks_2023.csv",
  sha256: "0".repeat(64),
  fetchedAt: "2024-02-20T02:00:00.000Z",
};

const HEADER_ZH =
  '"数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",';
const ROW_BRAZIL =
  '"202301","410","巴西","12019019","转基因黄大豆","1831535439","千克","0","?","8,634,238,278",';
const ROW_USA = '"202302","502","美国","12019011","非转基因黄大豆","360489","千克","0","?","1,810,818",';

/** A platform-format file from lines, GB18030 like the platform writes it. */
function gb(...lines: string[]): Buffer {
  return iconv.encode(`${lines.join("\n")}\n`, "gb18030");
}

/** Splits bytes into small chunks, cutting through multi-byte characters and quoted fields. */
async function* inPieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(
  input: Parameters<typeof readQueryRows>[0],
): Promise<{ header?: QueryHeader; rows: QueryRow[] }> {
  let header: QueryHeader | undefined;
  const rows: QueryRow[] = [];
  for await (const row of readQueryRows(input, { onHeader: (h) => (header = h) })) rows.push(row);
  return { header, rows };
}

async function layoutError(input: Uint8Array): Promise<LayoutChanged> {
  const err = await normalizeQueryExport(input, { flow: "imports", provenance }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LayoutChanged);
  return err as LayoutChanged;
}

describeWithSharedData("query-platform CSV on real exports (../shared)", () => {
  const dir = "stats_customs_query_platform";

  it("reads the 2023 soybean imports file (GB18030, from a Node stream) with exact values", async () => {
    // Prepare
    const input = createReadStream(sharedPath(dir, "harukaworks_2023.csv"));
    // Act
    const result = await normalizeQueryExport(input, { flow: "imports", provenance });
    // Assess
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.observations).toHaveLength(40);
    expect(result.currency).toBe("CNY");
    expect(result.period).toBe("2023-12");
    expect(result.table).toBe("query-platform");
    const brazilJan = result.observations.find(
      (o) => o.partner.code === "BRA" && o.period === "2023-01" && o.commodity === "12019019",
    );
    expect(brazilJan).toEqual({
      reporter: "CHN",
      partner: { code: "BRA", nameAsPrinted: "巴西", isGrouping: false },
      flow: "imports",
      commodity: "12019019",
      commodityLabel: "转基因黄大豆",
      quantity: { value: 1_831_535_439, unit: "kg", printedUnit: "千克" },
      period: "2023-01",
      kind: "month",
      value: 8_634_238_278,
      currency: "CNY",
      printed: { value: "8,634,238,278", unit: "CNY" },
      vintage: "query",
      provenance,
    } satisfies Observation);
    expect(new Set(result.observations.map((o) => o.partner.code))).toEqual(new Set(["ARG", "BRA", "USA"]));
    expect(result.observations.every((o) => typeof o.commodity === "string" && o.vintage === "query")).toBe(
      true,
    );
    const usDec = result.observations.find(
      (o) => o.partner.code === "USA" && o.period === "2023-12" && o.commodity === "12019019",
    );
    expect(usDec?.value).toBe(15_902_135_048);
    expect(usDec?.quantity?.value).toBe(3_848_790_382);
  });

  it("reads the 2024 exports file with the flow the uploader states", async () => {
    const result = await normalizeQueryExport(readShared(dir, "harukaworks_2024out.csv"), {
      flow: "exports",
      provenance,
    });
    expect(result.blocking).toEqual([]);
    expect(result.observations).toHaveLength(29);
    expect(result.observations.every((o) => o.flow === "exports")).toBe(true);
    expect(result.title).toContain("exports");
    const first = result.observations[0];
    expect(first).toMatchObject({
      period: "2024-01",
      partner: { code: "USA", nameAsPrinted: "美国" },
      commodity: "12011000",
      commodityLabel: "种用大豆",
      quantity: { value: 908, unit: "kg" },
      value: 23_416,
    });
    expect(new Set(result.observations.map((o) => o.commodity))).toEqual(
      new Set(["12011000", "12019011", "12019020"]),
    );
  });

  it("keeps the 29 kg seed-soybean row of the 2024 imports file", async () => {
    const result = await normalizeQueryExport(readShared(dir, "harukaworks_2024in.csv"), {
      flow: "imports",
      provenance,
    });
    expect(result.blocking).toEqual([]);
    expect(result.observations).toHaveLength(36);
    const seed = result.observations.filter((o) => o.quantity?.value === 29);
    expect(seed).toHaveLength(1);
    expect(seed[0]?.commodity).toMatch(/^1201/);
  });

  it("gives exactly the same observations for the file in UTF-8 with English headers, with and without BOM", async () => {
    // Prepare: the GB18030 original, and the same file converted to UTF-8 with the platform's English
    // headers (from its own variable list, misspelling "Supplimentary Quantity" included).
    const original = readShared(dir, "harukaworks_2023.csv");
    const names = readShared(dir, "chinautils_cc_variable_names.csv").toString("utf8");
    const enByZh = new Map<string, string>();
    for (const line of names.split(/\r?\n/).slice(1)) {
      const [, en, zh] = line.split(",");
      if (en && zh && !enByZh.has(zh)) enByZh.set(zh, en);
    }
    expect(enByZh.get("第二数量")).toBe("Supplimentary Quantity");
    const text = iconv.decode(original, "gb18030");
    const [headerLine = "", ...rest] = text.split("\n");
    const englishHeader = headerLine.replace(/"([^"]+)"/g, (_, zh: string) => `"${enByZh.get(zh) ?? zh}"`);
    expect(englishHeader).toContain('"Renminbi Yuan"');
    const utf8 = Buffer.from([englishHeader, ...rest].join("\n"), "utf8");
    const utf8Bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);

    // Act
    const fromGb = await normalizeQueryExport(original, { flow: "imports", provenance });
    const fromUtf8 = await normalizeQueryExport(utf8, { flow: "imports", provenance });
    const fromBom = await normalizeQueryExport(inPieces(utf8Bom, 7), { flow: "imports", provenance });
    const gbHeader = (await collect(original)).header;
    const bomHeader = (await collect(utf8Bom)).header;

    // Assess
    expect(fromGb.observations).toHaveLength(40);
    expect(fromUtf8.observations).toEqual(fromGb.observations);
    expect(fromBom.observations).toEqual(fromGb.observations);
    expect(fromUtf8.warnings).toEqual([]);
    expect(gbHeader).toMatchObject({ encoding: "gb18030", bom: false, language: "zh", trailingComma: true });
    expect(bomHeader).toMatchObject({ encoding: "utf-8", bom: true, language: "en", currency: "CNY" });
  });

  it("reads the same rows whatever the chunking (cuts inside GB18030 characters and quoted fields)", async () => {
    const original = readShared(dir, "harukaworks_2024out.csv");
    const whole = await collect(original);
    const pieces = await collect(inPieces(original, 3));
    expect(pieces.rows).toEqual(whole.rows);
    expect(whole.rows.map((r) => r.line)).toEqual(Array.from({ length: 29 }, (_, i) => i + 2));
  });
});

describe("query-platform CSV: layouts and encodings", () => {
  it("reads a USD file, CRLF line ends, and keeps HS and partner codes as printed strings", async () => {
    const header = HEADER_ZH.replace("人民币", "美元");
    const bytes = iconv.encode(
      `${header}\r\n"202301","344","俄罗斯联邦","03011100","观赏用淡水鱼","1,000","千克","0","?","12,345",\r\n`,
      "gb18030",
    );
    const result = await normalizeQueryExport(bytes, { flow: "imports", provenance });
    expect(result.currency).toBe("USD");
    expect(result.observations).toEqual([
      expect.objectContaining({
        partner: { code: "RUS", nameAsPrinted: "俄罗斯联邦", isGrouping: false },
        commodity: "03011100",
        value: 12_345,
        currency: "USD",
        quantity: { value: 1000, unit: "kg", printedUnit: "千克" },
        printed: { value: "12,345", unit: "USD" },
      }),
    ]);
  });

  it("requires the flow, because the file does not say imports or exports", async () => {
    const bytes = gb(HEADER_ZH, ROW_BRAZIL);
    const missing = normalizeQueryExport(bytes, { provenance } as unknown as Parameters<
      typeof normalizeQueryExport
    >[1]);
    await expect(missing).rejects.toBeInstanceOf(ConfigurationError);
    await expect(missing).rejects.toThrow(/"imports" or "exports"/);
    const total = normalizeQueryExport(bytes, { flow: "total", provenance } as unknown as Parameters<
      typeof normalizeQueryExport
    >[1]);
    await expect(total).rejects.toThrow(/got "total"/);
  });

  it("warns about an unmapped partner code and keeps its row out, listed by line", async () => {
    const bytes = gb(
      HEADER_ZH,
      ROW_BRAZIL,
      ROW_BRAZIL.replace('"410","巴西"', '"998","亚特兰蒂斯"'),
      ROW_USA,
    );
    const result = await normalizeQueryExport(bytes, { flow: "imports", provenance });
    expect(result.observations.map((o) => o.partner.code)).toEqual(["BRA", "USA"]);
    expect(result.warnings).toEqual([
      {
        check: "partner-unmapped",
        message:
          'partner code 998 ("亚特兰蒂斯") is not in our list of partners yet, so its row was left out (line 3); an engineer can add it',
        detail: "partners are listed in data/partners.json",
      },
    ]);
  });

  it("keeps out and reports rows whose value is printed as ? (none)", async () => {
    const bytes = gb(HEADER_ZH, ROW_BRAZIL, ROW_USA.replace('"1,810,818"', '"?"'));
    const result = await normalizeQueryExport(bytes, { flow: "imports", provenance });
    expect(result.observations).toHaveLength(1);
    expect(result.warnings.map((w) => w.check)).toEqual(["query-no-value"]);
    expect(result.warnings[0]?.message).toContain("line 3");
  });

  it("warns that a file of exactly 10,000 data rows was probably cut off, and not at 9,999", async () => {
    const full = await normalizeQueryExport(queryExportChunks(10_000), { flow: "imports", provenance });
    const short = await normalizeQueryExport(queryExportChunks(9_999), { flow: "imports", provenance });
    expect(full.observations).toHaveLength(10_000);
    expect(full.blocking).toEqual([]);
    expect(full.warnings).toEqual([
      expect.objectContaining({
        check: "query-row-limit",
        message: expect.stringContaining("probably cut off at the platform's 10,000-row limit"),
      }),
    ]);
    expect(short.warnings).toEqual([]);
  });

  it("generates platform-format files: GB18030, quoted, trailing commas, codes as strings", async () => {
    const lines = [...queryExportLines(3)];
    expect(lines[0]).toBe(`${HEADER_ZH}\n`);
    expect(lines[1]).toMatch(
      /^"201501","101","阿富汗","03011100","观赏用淡水鱼","\d+","千克","0","\?","[\d,]+",\n$/,
    );
    const bytes = Buffer.concat([...queryExportChunks(3)]);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    const { header, rows } = await collect(bytes);
    expect(header).toMatchObject({ encoding: "gb18030", trailingComma: true, currency: "CNY" });
    expect(rows.map((r) => r.hsCode)).toEqual(["03011100", "03036300", "03038990"]);
    const english = await collect(
      Buffer.concat([...queryExportChunks(2, { encoding: "utf-8", headers: "en" })]),
    );
    expect(english.header?.columns).toContain("Supplimentary Quantity");
    expect(english.rows).toEqual(rows.slice(0, 2));
  });

  it("detects GB18030 behind an English ASCII header, and UTF-8 with no BOM", async () => {
    const gbEnglish = await collect(Buffer.concat([...queryExportChunks(50, { headers: "en" })]));
    expect(gbEnglish.header).toMatchObject({ encoding: "gb18030", language: "en" });
    expect(gbEnglish.rows[0]?.partnerName).toBe("阿富汗");
    const utf8 = await collect(Buffer.concat([...queryExportChunks(50, { encoding: "utf-8" })]));
    expect(utf8.header).toMatchObject({ encoding: "utf-8", bom: false, language: "zh" });
    expect(utf8.rows).toEqual(gbEnglish.rows);
  });

  it("reads a file with 8-digit and shorter HS codes and a supplementary quantity", async () => {
    const bytes = gb(
      HEADER_ZH,
      '"202305","344","俄罗斯联邦","27","矿物燃料","5","千克","0","?","100",',
      '"202305","344","俄罗斯联邦","87032342","小轿车","12","辆","15,600","千克","3,000,000",',
    );
    const { rows } = await collect(bytes);
    expect(rows.map((r) => r.hsCode)).toEqual(["27", "87032342"]);
    expect(rows[1]?.quantity).toMatchObject({ value: 12, unit: "vehicles", printedUnit: "辆" });
    expect(rows[1]?.supplementaryQuantity).toMatchObject({ value: 15_600, unit: "kg" });
    expect(rows[0]?.supplementaryQuantity).toBeUndefined();
  });

  it("holds back a file with repeated rows or a customs-regime breakdown", async () => {
    const dup = await normalizeQueryExport(gb(HEADER_ZH, ROW_BRAZIL, ROW_BRAZIL), {
      flow: "imports",
      provenance,
    });
    expect(dup.blocking.map((b) => b.check)).toEqual(["query-duplicate-rows"]);
    expect(dup.blocking[0]?.message).toContain("line 3 repeats line 2");
    const header = HEADER_ZH.replace('"商品名称",', '"商品名称","贸易方式编码","贸易方式名称",');
    const row = ROW_BRAZIL.replace('"转基因黄大豆",', '"转基因黄大豆","10","一般贸易",');
    const regime = await normalizeQueryExport(gb(header, row), { flow: "imports", provenance });
    expect(regime.blocking.map((b) => b.check)).toEqual(["query-breakdown"]);
  });

  it("holds back a file with a header and no rows", async () => {
    const result = await normalizeQueryExport(gb(HEADER_ZH), { flow: "imports", provenance });
    expect(result.observations).toEqual([]);
    expect(result.blocking.map((b) => b.check)).toEqual(["has-rows"]);
  });
});

describe("query-platform CSV: malformed files are refused with line and column", () => {
  it("refuses an unknown header, naming the column", async () => {
    const err = await layoutError(gb(HEADER_ZH.replace("贸易伙伴名称", "Partner name"), ROW_BRAZIL));
    expect(err.message).toMatch(/Line 1.*column 3 is headed "Partner name"/);
  });

  it("refuses a header without a value column or without the HS code column", async () => {
    const noValue = HEADER_ZH.replace(',"人民币",', ',"备注",');
    expect((await layoutError(gb(noValue, ROW_BRAZIL))).message).toMatch(/column 10 is headed "备注"/);
    const noHs = '"数据年月","贸易伙伴编码","人民币",';
    expect((await layoutError(gb(noHs, '"202301","410","1",'))).message).toMatch(
      /no 商品编码 \(Commodity code\)/,
    );
  });

  it("refuses a ragged row", async () => {
    const short = ROW_USA.replace('"0","?",', "");
    const err = await layoutError(gb(HEADER_ZH, ROW_BRAZIL, short));
    expect(err.message).toMatch(/^Line 3 has 9 fields where the header has 11/);
  });

  it("refuses a value that is not a number, naming line and column", async () => {
    const err = await layoutError(gb(HEADER_ZH, ROW_BRAZIL, ROW_USA.replace('"1,810,818"', '"1.810.818"')));
    expect(err.message).toMatch(/^Line 3, column 10 "人民币": expected a number but found "1\.810\.818"/);
    const qty = await layoutError(gb(HEADER_ZH, ROW_BRAZIL.replace('"1831535439"', '"lots"')));
    expect(qty.message).toMatch(/^Line 2, column 6 "第一数量": expected a number/);
  });

  it("refuses bad periods and HS codes a spreadsheet stripped of their leading zero", async () => {
    const period = await layoutError(gb(HEADER_ZH, ROW_BRAZIL.replace('"202301"', '"202313"')));
    expect(period.message).toMatch(/^Line 2, column 1 "数据年月": expected a year and month like 202301/);
    const hs = await layoutError(gb(HEADER_ZH, ROW_BRAZIL.replace('"12019019"', '"3011100"')));
    expect(hs.message).toMatch(/^Line 2, column 4 "商品编码".*leading zero/);
  });

  it("refuses a file cut off inside a quoted field", async () => {
    const whole = gb(HEADER_ZH, ROW_BRAZIL, ROW_USA);
    const cut = whole.subarray(0, whole.length - 12);
    const err = await layoutError(cut);
    expect(err.message).toMatch(/^Line 3: a quoted field is never closed/);
  });

  it("refuses binary garbage and an empty file", async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    expect((await layoutError(png)).message).toMatch(/not a query-platform CSV export/);
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect((await layoutError(noise)).message).toMatch(/^Line \d+/);
    expect((await layoutError(Buffer.alloc(0))).message).toMatch(/empty/);
    const utf16 = Buffer.from(`\ufeff${HEADER_ZH}\n`, "utf16le");
    expect((await layoutError(utf16)).message).toMatch(/UTF-16/);
  });

  it("returns nothing when a late line is bad: no partial output", async () => {
    const lines = [...queryExportLines(500)];
    lines[400] = lines[400]?.replace(/"[\d,]+",\n$/, '"n/a",\n') ?? "";
    const input = iconv.encode(lines.join(""), "gb18030");
    const err = await layoutError(input);
    expect(err.message).toMatch(/^Line 401, column 10 "人民币"/);
  });
});
