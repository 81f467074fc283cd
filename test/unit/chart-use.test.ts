/**
 * Which charts a set of figures feeds (functions/domain/charts/usage.ts), from the chart definitions:
 * the real soybean export (Argentina, Brazil, US) feeds none and is told which chart takes
 * query-platform figures and what it needs; figures of Russia's chapter 27 imports feed the
 * HS-chapter chart; finer codes of that chapter are told to come at the chapter level; a by-country
 * month feeds the Russia charts and the ranking; a flow no chart shows is named.
 */
import { describe, expect, it } from "vitest";
import { chartUseOf, type FigureKey, heldFigures } from "../../functions/domain/charts/usage.js";
import { normalizeQueryExport } from "../../functions/domain/query-csv/normalize.js";
import { describeWithSharedData, readShared } from "../support/shared-data.js";

const PROVENANCE = {
  releaseId: "query-imports-test",
  url: "http://stats.customs.gov.cn/",
  sha256: "b".repeat(64),
  fetchedAt: "2026-01-01T00:00:00.000Z",
};

function key(
  code: string,
  flow: FigureKey["flow"],
  commodity: string,
  period = "2023-08",
  extra: Partial<FigureKey> = {},
): FigureKey {
  return { partner: { code }, flow, commodity, currency: "CNY", kind: "month", period, ...extra };
}

describeWithSharedData("chart use of a real query-platform export", () => {
  it("soybean imports from Argentina, Brazil and the US feed no chart; the HS-chapter chart would, from Russia at chapter level", async () => {
    const parsed = await normalizeQueryExport(
      readShared("stats_customs_query_platform", "harukaworks_2023.csv"),
      {
        flow: "imports",
        provenance: PROVENANCE,
      },
    );
    const use = chartUseOf(parsed.observations);
    expect(use.held).toMatchObject({
      figures: 40,
      flows: ["imports"],
      currencies: ["CNY"],
      partnerCount: 3,
      partners: [
        { code: "ARG", name: "Argentina" },
        { code: "BRA", name: "Brazil" },
        { code: "USA", name: "the United States" },
      ],
      commodities: [
        { code: "12019011", name: "HS 12019011" },
        { code: "12019019", name: "HS 12019019" },
      ],
      periodsText: "January–December 2023",
    });
    expect(use.held.periods).toHaveLength(12);
    expect(use.uses).toEqual([]);
    expect(use.wouldUse).toEqual([
      {
        chartId: "china-russia-imports-by-hs-chapter",
        title: "What China buys from Russia",
        differs: ["partner", "commodity"],
        needs: "of HS chapters 27, 10 or 03 from Russia",
      },
    ]);
    expect(use.summary).toBe(
      "No chart shows China's imports of HS 12019011 and HS 12019019 from Argentina, Brazil and the United States, January–December 2023, in yuan. " +
        "“What China buys from Russia” would, if they were of HS chapters 27, 10 or 03 from Russia.",
    );
  });
});

describe("chart use from the definitions", () => {
  it("chapter-level imports from Russia feed the HS-chapter chart", () => {
    const use = chartUseOf([key("RUS", "imports", "27"), key("RUS", "imports", "03", "2023-09")]);
    expect(use.uses).toEqual([
      {
        chartId: "china-russia-imports-by-hs-chapter",
        title: "What China buys from Russia",
        series: ["Mineral fuels and oils (HS 27)", "Fish and seafood (HS 03)"],
      },
    ]);
    expect(use.wouldUse).toEqual([]);
    expect(use.summary).toBe(
      "China's imports of HS chapter 03 and HS chapter 27 from Russia, August–September 2023, in yuan: figures for “What China buys from Russia”.",
    );
  });

  it("exports from Russia's chapter 27 feed nothing; the same chart would if they were imports", () => {
    const use = chartUseOf([key("RUS", "exports", "27")]);
    expect(use.uses).toEqual([]);
    expect(use.wouldUse[0]).toMatchObject({
      chartId: "china-russia-imports-by-hs-chapter",
      differs: ["flow"],
      needs: "imports",
    });
    expect(use.summary).toContain("“What China buys from Russia” would, if they were imports.");
  });

  it("finer codes of a charted chapter are told to come at the chapter level", () => {
    const use = chartUseOf([key("RUS", "imports", "27090000")]);
    expect(use.uses).toEqual([]);
    expect(use.wouldUse[0]?.needs).toBe(
      "of HS chapters 27, 10 or 03 (exported at the 2-digit chapter level, not finer codes)",
    );
  });

  it("a by-country month feeds the Russia charts (in dollars) and the ranking (in yuan, latest month)", () => {
    const usd = chartUseOf([
      key("RUS", "imports", "TOTAL", "2023-08", { currency: "USD" }),
      key("RUS", "exports", "TOTAL", "2023-08", { currency: "USD" }),
      key("RUS", "imports", "TOTAL", "2023-08", { currency: "USD", kind: "ytd" }),
    ]);
    expect(usd.uses.map((u) => u.chartId)).toEqual(["china-russia-trade-monthly", "china-russia-trade-ytd"]);
    const cny = chartUseOf([
      key("RUS", "total", "TOTAL"),
      key("EU", "total", "TOTAL", "2023-08", { partner: { code: "EU", isGrouping: true } }),
    ]);
    expect(cny.uses).toEqual([
      {
        chartId: "china-top-partners",
        title: "China's largest trading partners",
        series: ["Total trade"],
        note: "it shows the latest month only",
      },
    ]);
    // The same figures in yuan for the Russia charts: they chart dollars.
    const onlyCny = chartUseOf([key("RUS", "imports", "TOTAL", "2023-08", { currency: "CNY" })]);
    expect(onlyCny.uses.map((u) => u.chartId)).toEqual(["china-top-partners"]);
  });

  it("says so when nothing of the kind is charted", () => {
    const use = chartUseOf([
      key("WORLD", "exports", "cat:steel", "2023-08", { commodityLabel: "steel products" }),
    ]);
    expect(use.uses).toEqual([]);
    expect(use.summary).toMatch(
      /^No chart shows China's exports of steel products to all countries, August 2023, in yuan\. /,
    );
    // The commodity charts show imports of crude oil, gas, grain and soybeans: two steps away.
    expect(use.wouldUse[0]?.chartId).toBe("china-commodity-imports-value");
    expect(use.wouldUse[0]?.needs).toBe("imports of crude oil, natural gas, grain or soybeans");
    expect(chartUseOf([]).summary).toBe("It held no figures, so no chart can use it.");
  });

  it("a long list names the first eight and counts the rest: one other partner, two other products", () => {
    const partners = ["ARG", "AUS", "BRA", "CAN", "DEU", "FRA", "IND", "JPN", "RUS"];
    const one = heldFigures(partners.map((p) => key(p, "imports", "27")));
    expect(one.text).toMatch(/, Japan and 1 other partner, August 2023, in yuan$/);
    const codes = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"];
    const two = heldFigures(codes.map((c) => key("RUS", "imports", c)));
    expect(two.text).toMatch(/HS chapter 08 and 2 other products from Russia, /);
  });
});
