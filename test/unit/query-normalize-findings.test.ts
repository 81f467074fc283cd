/**
 * Query-platform normalizing (functions/domain/query-csv/normalize.ts): which findings hold a file
 * back and which only warn, what the editor is told about the rows kept out (counts and lines), the
 * span a file covers whatever its row order, and the one-row mapping streaming callers use.
 */
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../functions/domain/errors.js";
import type { Provenance } from "../../functions/domain/model.js";
import { PartnerRegistry } from "../../functions/domain/partners.js";
import { normalizeQueryExport, queryRowToObservation } from "../../functions/domain/query-csv/index.js";
import type { QueryRow } from "../../functions/domain/query-csv/read.js";

const provenance: Provenance = {
  releaseId: "query-findings",
  url: "upload://findings.csv",
  sha256: "1".repeat(64),
  fetchedAt: "2024-02-20T02:00:00.000Z",
};
const COLUMNS = [
  "数据年月",
  "贸易伙伴编码",
  "贸易伙伴名称",
  "商品编码",
  "商品名称",
  "第一数量",
  "第一计量单位",
];
const line = (cells: string[]) => `${cells.map((c) => `"${c}"`).join(",")},`;
const header = (extra: string[] = []) =>
  line([...COLUMNS.slice(0, 5), ...extra, ...COLUMNS.slice(5), "人民币"]);
/** One data row: period YYYYMM, partner code and name, HS code, quantity unit, value. */
function row(o: {
  period?: string;
  code?: string;
  name?: string;
  hs?: string;
  unit?: string;
  value?: string;
  extra?: string[];
}) {
  return line([
    o.period ?? "202301",
    o.code ?? "410",
    o.name ?? "巴西",
    o.hs ?? "12019019",
    "大豆",
    ...(o.extra ?? []),
    "100",
    o.unit ?? "千克",
    o.value ?? "1,000",
  ]);
}
const gb = (...lines: string[]) => iconv.encode(`${lines.join("\n")}\n`, "gb18030");
const normalize = (...lines: string[]) => normalizeQueryExport(gb(...lines), { flow: "imports", provenance });
const months = (n: number) => Array.from({ length: n }, (_, i) => `2023${String(i + 1).padStart(2, "0")}`);

describe("query export: rows kept out are counted and listed by line", () => {
  it.each([
    // rows, lines listed, "and N more"
    [1, "line 2", ""],
    [10, "line 2, 3, 4, 5, 6, 7, 8, 9, 10, 11", ""],
    [11, "line 2, 3, 4, 5, 6, 7, 8, 9, 10, 11", " and 1 more"],
    [12, "line 2, 3, 4, 5, 6, 7, 8, 9, 10, 11", " and 2 more"],
  ])("%i unmapped rows: counted, the first ten lines listed", async (n, listed, more) => {
    const rows = months(12)
      .slice(0, n)
      .map((period) => row({ period, code: "998", name: "亚特兰蒂斯" }));
    const r = await normalize(header(), ...rows, row({ period: "202301" }));
    expect(r.observations).toHaveLength(1);
    expect(r.blocking).toEqual([]);
    // The words are wording.ts's; what must hold is the code, the count and the lines.
    expect(r.warnings.map((w) => w.check)).toEqual(["partner-unmapped"]);
    const message = r.warnings[0]?.message ?? "";
    expect(message).toContain('partner code 998 ("亚特兰蒂斯")');
    if (n > 1) expect(message).toContain(` ${n} rows`);
    expect(message).toContain(`(${listed}${more})`);
  });

  it("names an unmapped code without a printed name by its code alone", async () => {
    const r = await normalize(header(), row({ code: "998", name: "" }), row({}));
    expect(r.warnings.map((w) => w.check)).toEqual(["partner-unmapped"]);
    expect(r.warnings[0]?.message).toMatch(/^partner code 998 [^(]*\(line 2\)/);
  });

  it("holds back repeated rows, counting every repeat and listing the first ten", async () => {
    const rows = Array.from({ length: 13 }, () => row({}));
    const r = await normalize(header(), ...rows);
    expect(r.blocking.map((b) => b.check)).toEqual(["query-duplicate-rows"]);
    const message = r.blocking[0]?.message ?? "";
    expect(message).toMatch(/^12 rows repeat/);
    expect(message.match(/repeats line 2/g)).toHaveLength(10);
    expect(message).toContain("line 12 repeats line 2");
    expect(message).not.toContain("line 13 repeats");
  });

  it("keeps rows of another period, partner or HS code: they are not repeats", async () => {
    const r = await normalize(
      header(),
      row({}),
      row({ period: "202302" }),
      row({ code: "502", name: "美国" }),
      row({ hs: "12019011" }),
    );
    expect(r.blocking).toEqual([]);
    expect(r.observations).toHaveLength(4);
  });

  it("lists rows printing no value by line, with their count", async () => {
    const rows = months(12).map((period) => row({ period, value: "?" }));
    const r = await normalize(header(), row({ period: "202212" }), ...rows);
    expect(r.observations.map((o) => o.period)).toEqual(["2022-12"]);
    expect(r.warnings.map((w) => w.check)).toEqual(["query-no-value"]);
    expect(r.warnings[0]?.message).toContain("12 rows");
    expect(r.warnings[0]?.message).toContain("(line 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 2 more)");
  });
});

describe("query export: a breakdown by regime or location holds the file back", () => {
  it.each([
    [["贸易方式编码"], "customs regime (贸易方式)"],
    [["贸易方式名称"], "customs regime (贸易方式)"],
    [["注册地编码"], "location of importer/exporter (注册地)"],
    [["注册地名称"], "location of importer/exporter (注册地)"],
    [["贸易方式名称", "注册地名称"], "customs regime (贸易方式) and location of importer/exporter (注册地)"],
  ])("columns %j: blocked as %s, even when its rows repeat a series", async (extra, named) => {
    const cells = extra.map((_, i) => String(10 + i));
    const r = await normalize(header(extra), row({ extra: cells }), row({ extra: cells }));
    expect(r.blocking.map((b) => b.check)).toEqual(["query-breakdown"]);
    expect(r.blocking[0]?.message).toContain(`broken down by ${named}:`);
  });
});

describe("query export: span and units", () => {
  it("spans the earliest to the latest month whatever the row order, and dates the release by the latest", async () => {
    for (const order of [
      ["202303", "202301", "202302"],
      ["202302", "202303", "202301"],
      ["202301", "202302", "202303"],
    ]) {
      const r = await normalize(header(), ...order.map((period) => row({ period })));
      expect(r.period).toBe("2023-03");
      expect(r.title).toBe(
        "Query platform export: China's imports by partner and HS code, 2023-01 to 2023-03 (yuan)",
      );
    }
  });

  it("warns about an unknown supplementary unit too, and not about a row printing no unit", async () => {
    const supp = (period: string, q2: string, u2: string) =>
      line([period, "410", "巴西", "12019019", "大豆", "100", "千克", q2, u2, "1,000"]);
    const head = line([...COLUMNS, "第二数量", "第二计量单位", "人民币"]);
    const r = await normalize(head, supp("202301", "5", "桶"), supp("202302", "0", ""));
    expect(r.observations).toHaveLength(2);
    expect(r.warnings.map((w) => w.check)).toEqual(["query-unknown-unit"]);
    expect(r.warnings[0]?.message).toContain('"桶"');
    expect(r.warnings[0]?.message).toContain("(line 2)");
  });

  it("reads partners without a name column by code only, with no name warnings", async () => {
    const head = line(["数据年月", "贸易伙伴编码", "商品编码", "人民币"]);
    const r = await normalize(
      head,
      line(["202301", "410", "12019019", "5"]),
      line(["202301", "344", "12019019", "7"]),
    );
    expect(r.warnings).toEqual([]);
    expect(r.observations.map((o) => [o.partner.code, o.partner.nameAsPrinted, o.value])).toEqual([
      ["BRA", "巴西", 5],
      ["RUS", "俄罗斯联邦", 7],
    ]);
  });

  it("gives each row the name it printed, even when one partner code is printed two ways", async () => {
    const r = await normalize(
      header(),
      row({ name: "巴西" }),
      row({ period: "202302", name: "巴西联邦共和国" }),
    );
    expect(r.observations.map((o) => o.partner)).toEqual([
      { code: "BRA", nameAsPrinted: "巴西", isGrouping: false },
      { code: "BRA", nameAsPrinted: "巴西联邦共和国", isGrouping: false },
    ]);
  });

  it("warns once per code and misprinted name, each naming its own lines", async () => {
    const r = await normalize(
      header(),
      row({ name: "美国" }),
      row({ period: "202302", name: "美国" }),
      row({ code: "502", name: "巴西" }),
    );
    expect(r.observations.map((o) => o.partner.code)).toEqual(["BRA", "BRA", "USA"]);
    expect(r.warnings.map((w) => w.check)).toEqual(["partner-name-mismatch", "partner-name-mismatch"]);
    expect(r.warnings[0]?.message).toContain("(line 2, 3)");
    expect(r.warnings[1]?.message).toContain("(line 4)");
  });

  it("refuses to normalize without provenance: every number must trace to its release", async () => {
    const missing = normalizeQueryExport(gb(header(), row({})), { flow: "imports" } as unknown as Parameters<
      typeof normalizeQueryExport
    >[1]);
    await expect(missing).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe("queryRowToObservation (one row, for streaming callers)", () => {
  const base: QueryRow = {
    line: 2,
    period: "2024-05",
    partnerCode: "410",
    partnerName: undefined,
    hsCode: "12019019",
    commodityName: undefined,
    regimeCode: undefined,
    regimeName: undefined,
    provinceCode: undefined,
    provinceName: undefined,
    quantity: undefined,
    supplementaryQuantity: undefined,
    value: 42,
    valuePrinted: "42",
    currency: "USD",
  };
  const registry = new PartnerRegistry([
    { code: "AAA", grouping: false, platformCode: "1", names: ["Alpha"], platformNameZh: "阿尔法" },
    { code: "BBB", grouping: true, platformCode: "2", names: ["Beta group"] },
    { code: "CCC", grouping: false, platformCode: "3", names: [] },
  ]);

  it.each([
    // code, printed name, expected partner
    ["1", "阿尔法国", { code: "AAA", nameAsPrinted: "阿尔法国", isGrouping: false }],
    ["1", undefined, { code: "AAA", nameAsPrinted: "阿尔法", isGrouping: false }],
    ["2", undefined, { code: "BBB", nameAsPrinted: "Beta group", isGrouping: true }],
    ["3", undefined, { code: "CCC", nameAsPrinted: "3", isGrouping: false }],
  ])("code %s printed as %s → %j", (partnerCode, partnerName, partner) => {
    const obs = queryRowToObservation({ ...base, partnerCode, partnerName }, "exports", provenance, registry);
    expect(obs).toMatchObject({ partner, flow: "exports", value: 42, currency: "USD", period: "2024-05" });
  });

  it("returns nothing for a code not in the registry or a value printed as none", () => {
    expect(
      queryRowToObservation({ ...base, partnerCode: "9" }, "imports", provenance, registry),
    ).toBeUndefined();
    expect(
      queryRowToObservation(
        { ...base, value: undefined, valuePrinted: "?" },
        "imports",
        provenance,
        registry,
      ),
    ).toBeUndefined();
  });

  it("uses the project's registry by default", () => {
    expect(queryRowToObservation(base, "imports", provenance)?.partner.code).toBe("BRA");
  });

  it("with a cache, keeps one partner per code and printed name", () => {
    const cache = new Map();
    const a = queryRowToObservation(
      { ...base, partnerCode: "1", partnerName: "甲" },
      "imports",
      provenance,
      registry,
      cache,
    );
    const b = queryRowToObservation(
      { ...base, partnerCode: "1", partnerName: "乙" },
      "imports",
      provenance,
      registry,
      cache,
    );
    const c = queryRowToObservation(
      { ...base, partnerCode: "1", partnerName: "甲" },
      "imports",
      provenance,
      registry,
      cache,
    );
    expect([a?.partner.nameAsPrinted, b?.partner.nameAsPrinted, c?.partner.nameAsPrinted]).toEqual([
      "甲",
      "乙",
      "甲",
    ]);
  });
});
