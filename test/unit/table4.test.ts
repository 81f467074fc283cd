import { describe, expect, it } from "vitest";
import { LayoutChanged, NoTableOnPage } from "../../functions/domain/errors.js";
import { parseIndexPage, resolveAgainstBase } from "../../functions/domain/gacc/index-page.js";
import { normalizeTable4 } from "../../functions/domain/gacc/table4.js";
import type { Observation } from "../../functions/domain/model.js";
import { describeWithSharedData, readShared } from "../support/shared-data.js";

const provenance = {
  releaseId: "test",
  url: "http://example.test/x.html",
  sha256: "0".repeat(64),
  fetchedAt: "2026-04-08T03:00:00.000Z",
};
const page = (name: string) => readShared("gacc_english_site", name).toString("utf8");
const MAR_2026 = "meridian_release_section4_by_country_mar2026_cny.html";
const JAN_FEB_2025 = "meridian_release_section4_by_country_janfeb2025_cny.html";

function find(obs: Observation[], partner: string, flow: string, kind: string): Observation | undefined {
  return obs.find((o) => o.partner.code === partner && o.flow === flow && o.kind === kind);
}

describeWithSharedData("table (4) by country, real pages", () => {
  it("reads March 2026 (CNY, 10 cells a row) into exact base-unit values", () => {
    const r = normalizeTable4(page(MAR_2026), { provenance });
    expect(r.blocking).toEqual([]);
    expect(r.currency).toBe("CNY");
    expect(r.period).toBe("2026-03");
    const imports = find(r.observations, "RUS", "imports", "month");
    expect(imports?.value).toBe(88_560_000_000); // 885.6 × CNY 100 million
    expect(imports?.printed).toEqual({ value: "885.6", unit: "Unit: CNY 100 Million" });
    expect(imports?.partner.nameAsPrinted).toBe("Russian Federation");
    const ytd = find(r.observations, "RUS", "imports", "ytd");
    expect(ytd?.value).toBe(234_760_000_000); // 2,347.6
    expect(ytd?.period).toBe("2026-03");
    expect(ytd?.printedYtdYoyPct).toBe(6.5);
    expect(find(r.observations, "WORLD", "total", "ytd")?.value).toBe(11_838_000_000_000);
    // 30 partner rows × 3 flows × (month + ytd)
    expect(r.observations).toHaveLength(30 * 3 * 2);
  });

  it("marks members listed under an `of which:` row with their grouping, and only them", () => {
    const r = normalizeTable4(page(MAR_2026), { provenance });
    const partnerOf = (code: string) => find(r.observations, code, "total", "month")?.partner;
    expect(partnerOf("DEU")?.memberOf).toBe("EU");
    expect(partnerOf("NLD")?.memberOf).toBe("EU");
    expect(partnerOf("ITA")?.memberOf).toBe("EU");
    expect(partnerOf("USA")?.memberOf).toBeUndefined();
    expect(partnerOf("PHL")?.memberOf).toBe("ASEAN");
    expect(partnerOf("JPN")?.memberOf).toBeUndefined();
    expect(partnerOf("BRA")?.memberOf).toBe("LATAM");
    expect(partnerOf("RCEP")?.isGrouping).toBe(true);
    expect(partnerOf("RUS")?.isGrouping).toBe(false);
  });

  it("reads the combined January–February 2025 layout (7 cells a row)", () => {
    const r = normalizeTable4(page(JAN_FEB_2025), { provenance });
    expect(r.blocking).toEqual([]);
    expect(r.period).toBe("2025-01/02");
    const combined = find(r.observations, "RUS", "imports", "jan-feb");
    expect(combined?.period).toBe("2025-01/02");
    expect(combined?.value).toBe(141_790_000_000); // 1,417.9
    expect(combined?.printedYtdYoyPct).toBe(-2.7);
    // The same figure is the year-to-date through February; there is no separate January.
    expect(find(r.observations, "RUS", "imports", "ytd")).toMatchObject({
      period: "2025-02",
      value: 141_790_000_000,
    });
    expect(r.observations.some((o) => o.kind === "month")).toBe(false);
  });

  it("ends the 2018 image-only page in a clear 'no table' error", () => {
    const html = page("meridian_release_section4_by_country_jan2018_cny.html");
    expect(() => normalizeTable4(html, { provenance })).toThrow(NoTableOnPage);
    expect(() => normalizeTable4(html, { provenance })).toThrow(/no data table.*image/);
  });

  it("holds back a page whose title says USD but whose unit row says CNY", () => {
    const html = page(MAR_2026).replaceAll("(in CNY)", "(in USD)");
    const r = normalizeTable4(html, { provenance });
    expect(r.blocking.map((b) => b.check)).toContain("currency-agrees");
    expect(r.blocking[0]?.message).toMatch(/title says USD but the unit row says "Unit: CNY 100 Million"/);
  });

  it("holds back a row whose exports and imports do not add up to its total", () => {
    const html = page(MAR_2026).replace("885.6&nbsp;", "985.6&nbsp;");
    const r = normalizeTable4(html, { provenance });
    const addUp = r.blocking.filter((b) => b.check === "flows-add-up");
    expect(addUp).toHaveLength(1);
    expect(addUp[0]?.message).toMatch(/Russian Federation/);
  });

  it("holds back a month larger than its year-to-date value", () => {
    // Swap Russia's import month and YTD cells.
    const html = page(MAR_2026)
      .replace("885.6&nbsp;", "XXX")
      .replace("2,347.6&nbsp;", "885.6&nbsp;")
      .replace("XXX", "2,347.6&nbsp;");
    const r = normalizeTable4(html, { provenance });
    expect(r.blocking.some((b) => b.check === "month-within-ytd" && /imports/.test(b.message))).toBe(true);
  });

  it("rejects a reordered header as a changed layout, naming the column", () => {
    const html = page(MAR_2026).replace("<span><b>Export</b></span>", "<span><b>Import</b></span>");
    expect(() => normalizeTable4(html, { provenance })).toThrow(LayoutChanged);
    expect(() => normalizeTable4(html, { provenance })).toThrow(/column 4 should be exports/);
  });

  it("rejects a row with a missing cell", () => {
    const html = page(MAR_2026).replace(
      /Canada<\/span>\s*<\/td>\s*<td[^>]*>[\s\S]*?<\/td>/,
      "Canada</span></td>",
    );
    expect(() => normalizeTable4(html, { provenance })).toThrow(/Canada.*9 cells/);
  });

  it("reports an unknown partner as a warning and keeps its row out", () => {
    const html = page(MAR_2026).replace("New Zealand", "Atlantis");
    const r = normalizeTable4(html, { provenance });
    expect(r.blocking).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toContain(
      'the partner "Atlantis" is not in our list of partners yet, so its row was left out; an engineer can add it',
    );
    expect(r.observations.some((o) => o.partner.nameAsPrinted === "Atlantis")).toBe(false);
  });
});

describeWithSharedData("preliminary-release index, real page", () => {
  it("yields the by-country links by currency and month, Feb as the combined Jan–Feb release", () => {
    const links = parseIndexPage(
      readShared("gacc_english_site", "meridian_seed_2026.html").toString("utf8"),
      2026,
    );
    const byCountry = links.filter((l) => /by Country/i.test(l.title));
    expect(byCountry.map((l) => [l.currency, l.period, l.href.split("/").at(-1)])).toEqual([
      ["CNY", "2026-01/02", "47e53257-a14f-4a19-a17c-b5beea64f822.html"],
      ["CNY", "2026-03", "2e61c8a1-17b2-4074-b909-c039ccf8c8fb.html"],
      ["USD", "2026-01/02", "0ed684ce-a5d7-45b8-ab53-0f30b3a8c7c1.html"],
      ["USD", "2026-03", "66580503-6688-49b2-bd23-de154e5677d5.html"],
    ]);
    // 12 linked tables (1)–(6) × CNY/USD × Feb/Mar; (7) and (8) carry no currency and no links.
    expect(links).toHaveLength(24);
  });
});

describe("link resolution", () => {
  it("resolves GACC's absolute links by path against a mirror's base URL", () => {
    const href = "http://english.customs.gov.cn/Statics/2e61c8a1-17b2-4074-b909-c039ccf8c8fb.html";
    expect(resolveAgainstBase(href, "http://127.0.0.1:9000")).toBe(
      "http://127.0.0.1:9000/Statics/2e61c8a1-17b2-4074-b909-c039ccf8c8fb.html",
    );
    expect(resolveAgainstBase(href, "http://127.0.0.1:9000/gacc/")).toBe(
      "http://127.0.0.1:9000/gacc/Statics/2e61c8a1-17b2-4074-b909-c039ccf8c8fb.html",
    );
    expect(resolveAgainstBase("\\Statics\\a.html", "https://mirror.test/")).toBe(
      "https://mirror.test/Statics/a.html",
    );
  });
});
