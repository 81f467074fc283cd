/**
 * Query-platform normalizing (functions/domain/query-csv/normalize.ts): every field of the
 * observations written, the release's period and title, and the warnings an editor reads.
 */
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import type { Provenance } from "../../functions/domain/model.js";
import { normalizeQueryExport } from "../../functions/domain/query-csv/index.js";

const provenance: Provenance = {
  releaseId: "query-test",
  url: "upload://soybeans.csv",
  sha256: "0".repeat(64),
  fetchedAt: "2024-02-20T02:00:00.000Z",
};
const HEADER =
  '"数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",';
const BRAZIL = '"202301","410","巴西","12019019","转基因黄大豆","1831535439","千克","0","?","8,634,238,278",';
const USA = '"202302","502","美国","12019011","非转基因黄大豆","360489","千克","0","?","1,810,818",';
const gb = (...lines: string[]) => iconv.encode(`${lines.join("\n")}\n`, "gb18030");

describe("query-platform observations, field by field", () => {
  it("writes each row as a monthly query-vintage figure of China, exactly as printed", async () => {
    // Rows out of order: the span and the release period still run from the first to the last month.
    const r = await normalizeQueryExport(gb(HEADER, USA, BRAZIL), { flow: "imports", provenance });
    expect(r.observations[1]).toEqual({
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
    });
    expect(r.period).toBe("2023-02");
    expect(r.title).toBe(
      "Query platform export: China's imports by partner and HS code, 2023-01 to 2023-02 (yuan)",
    );
    expect(r.table).toBe("query-platform");
    expect(r.blocking).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it("names one month once, and US dollars", async () => {
    const r = await normalizeQueryExport(
      gb(HEADER.replace("人民币", "美元"), BRAZIL, BRAZIL.replace("410", "502").replace("巴西", "美国")),
      {
        flow: "exports",
        provenance,
      },
    );
    expect(r.title).toBe(
      "Query platform export: China's exports by partner and HS code, 2023-01 (US dollars)",
    );
    expect(r.period).toBe("2023-01");
  });

  it("warns when a partner code is printed with another partner's name, and keeps the code's partner", async () => {
    const r = await normalizeQueryExport(
      gb(HEADER, BRAZIL.replace("巴西", "美国"), BRAZIL.replace("巴西", "美国").replace("202301", "202302")),
      {
        flow: "imports",
        provenance,
      },
    );
    expect(r.observations.map((o) => [o.partner.code, o.partner.nameAsPrinted])).toEqual([
      ["BRA", "美国"],
      ["BRA", "美国"],
    ]);
    expect(r.warnings.map((w) => w.check)).toEqual(["partner-name-mismatch"]);
    expect(r.warnings[0]?.message).toContain("line 2, 3");
  });

  it("warns about a unit it does not know, and keeps the quantity in it", async () => {
    const r = await normalizeQueryExport(gb(HEADER, BRAZIL.replace('"千克"', '"桶"')), {
      flow: "imports",
      provenance,
    });
    expect(r.observations[0]?.quantity).toEqual({ value: 1_831_535_439, unit: "桶", printedUnit: "桶" });
    expect(r.warnings.map((w) => w.check)).toEqual(["query-unknown-unit"]);
  });

  it("a file whose every row is kept out has no period and blocks", async () => {
    const r = await normalizeQueryExport(gb(HEADER, BRAZIL.replace("410", "777")), {
      flow: "imports",
      provenance,
    });
    expect(r.period).toBe("");
    expect(r.title).toBe("Query platform export: China's imports by partner and HS code, no data (yuan)");
    expect(r.blocking.map((b) => b.check)).toEqual(["has-rows"]);
    expect(r.warnings.map((w) => w.check)).toEqual(["partner-unmapped"]);
  });
});
