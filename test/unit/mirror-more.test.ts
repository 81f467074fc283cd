/**
 * The local GACC mirror beyond table (4): the project's table (6) sample (major imports, May 2026, CNY)
 * and its Monthly Bulletin sample pages, with the Bulletin's index pages. Every served page must read
 * back, through the real parsers, as exactly the sample.
 */
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeBulletinByCountry } from "../../functions/domain/gacc/bulletin.js";
import {
  type CommodityTableResult,
  normalizeCommodityTable,
} from "../../functions/domain/gacc/commodity-table.js";
import {
  indexPathFor,
  parseIndexPage,
  preliminaryIndexPath,
  resolveAgainstBase,
  yearOfIndexPage,
} from "../../functions/domain/gacc/index-page.js";
import type { Observation, Provenance } from "../../functions/domain/model.js";
import { MAJOR_IMPORTS_TABLE } from "../../functions/domain/table-ids.js";
import {
  DEFAULT_BULLETIN_SAMPLES,
  renderMirrorSite,
  SampleDataError,
  sampleBulletinReleases,
  sampleCommodityReleases,
  sampleReleases,
} from "../../local/mirror/render.js";
import { type Mirror, startMirror } from "../../local/mirror/server.js";
import { describeWithSharedData, readShared } from "../support/shared-data.js";

type CsvRow = Record<string, string>;
const SAMPLE_NAME = "major-imports-2026-05-cny.csv";
const sampleText = readFileSync(new URL(`../../data/samples/${SAMPLE_NAME}`, import.meta.url), "utf8");
const sampleRows = Papa.parse<CsvRow>(sampleText, { header: true, skipEmptyLines: true }).data;

const provenance: Provenance = {
  releaseId: "test",
  url: "http://example.test/",
  sha256: "0",
  fetchedAt: "2026-01-01T00:00:00Z",
};

/** Printed number × 10^power, exactly (digits shifted as text, no float multiplication). */
function shifted(value: string, power: number): number {
  const [int = "", frac = ""] = value.replace(/^-/, "").split(".");
  const digits = int + frac.padEnd(power, "0");
  const point = int.length + power;
  const text = `${digits.slice(0, point)}.${digits.slice(point) || "0"}`;
  return (value.startsWith("-") ? -1 : 1) * Number(text);
}

/** The quantity units on the sample page: base unit and power of ten, written out independently of the parser. */
const QUANTITY_UNITS: Record<string, [string, number]> = {
  "10,000 Tons": ["ton", 4],
  Ton: ["ton", 0],
  "10,000 CBM": ["m3", 4],
  "100 Million PCS": ["piece", 8],
  "10,000 PCS": ["piece", 4],
  Set: ["set", 0],
  "10,000 Cars": ["vehicle", 4],
  Craft: ["aircraft", 0],
};

const site = renderMirrorSite();
const commodityReleases = sampleCommodityReleases();
const bulletinReleases = sampleBulletinReleases();
const currentYear = Math.max(...sampleReleases().map((r) => r.year));
const years = Array.from({ length: currentYear - 2018 + 1 }, (_, i) => 2018 + i);
const body = (path: string): string => {
  const page = site.get(path);
  if (!page) throw new Error(`no page at ${path}`);
  return page.body as string;
};

// ---------------------------------------------------------------------------------------------

describe("the table (6) sample, May 2026, CNY", () => {
  it("holds 34 commodities as printed, each with its source", () => {
    expect(sampleRows).toHaveLength(34);
    for (const row of sampleRows) {
      expect(row).toMatchObject({ period: "2026-05", table_currency: "CNY", flow: "imports" });
      expect(row.value_unit).toBe("CNY 100 Million");
      expect(row.source_url).toMatch(
        /^http:\/\/english\.customs\.gov\.cn\/ \(table \(6\).*posted 2026\/06\/10/,
      );
      expect(row.source_outlet).toMatch(/^GACC preliminary release/);
      expect(row.source_date).toBe("2026-06-10");
      expect(row.aggregate).toBe(row.commodity_as_printed?.endsWith("*") ? "yes" : "no");
    }
    expect(sampleRows.filter((r) => r.aggregate === "yes").map((r) => r.commodity_as_printed)).toEqual([
      "Agriculture products*",
      "Mechanical and electrical products*",
      "Hi-tech products*",
    ]);
  });

  it("is served as one release, linked from the 2026 index's (6) CNY row at May", () => {
    expect(commodityReleases).toHaveLength(1);
    const [may] = commodityReleases;
    expect(may).toMatchObject({
      table: MAJOR_IMPORTS_TABLE,
      tableNumber: 6,
      flow: "imports",
      currency: "CNY",
      period: "2026-05",
      year: 2026,
      month: 5,
      title: "(6) China's Major Imports by Quantity and Value, May 2026 (in CNY)",
      indexTitle: "(6) China's Major Imports by Quantity and Value (in CNY)",
      unitRow: "Unit: CNY 100 Million",
      indexPath: "/statics/report/preliminary.html",
      postedOn: "2026/06/10",
      sampleFile: SAMPLE_NAME,
    });
    expect(may?.url).toBe(`http://english.customs.gov.cn${may?.path}`);
    const links = parseIndexPage(body("/statics/report/preliminary.html"), 2026).filter((l) =>
      /major/i.test(l.title),
    );
    expect(links).toEqual([
      {
        title: "(6) China's Major Imports by Quantity and Value (in CNY)",
        currency: "CNY",
        year: 2026,
        month: 5,
        period: "2026-05",
        href: may?.url,
      },
    ]);
    // No other year links a commodity page.
    for (const year of years.filter((y) => y !== 2026)) {
      const other = parseIndexPage(body(preliminaryIndexPath(year, currentYear)), year);
      expect(other.filter((l) => /major/i.test(l.title))).toEqual([]);
    }
  });

  const release = commodityReleases[0];
  if (!release) throw new Error("no commodity release");
  const html = body(release.path);
  const result = normalizeCommodityTable(html, provenance);

  it("prints like GACC's page: title, unit row, header groups, &nbsp; indentation, '-'", () => {
    expect(html).toContain(
      '<div class="atcl-ttl">(6) China\'s Major Imports by Quantity and Value, May 2026 (in CNY)</div>',
    );
    expect(html).toContain('<div class="atcl-date">2026/06/10</div>');
    expect(html).toContain("<span>Unit: CNY 100 Million</span>");
    for (const label of ["QTY Unit", "1-5 Total", "1-5 Total, 2025", "1-5 Total Year-On-Year(%)&nbsp;"])
      expect(html).toContain(`<span><b>${label}</b></span>`);
    expect(html).toContain("<span>&nbsp;&nbsp;&nbsp;&nbsp;Meat(including&nbsp;&nbsp;meat offal)</span>");
    expect(html).toContain(`<span>${"&nbsp;".repeat(12)}Soya beans</span>`);
    expect(html).toContain("<span>51,625.8&nbsp;</span>");
  });

  it("parses with no finding at all", () => {
    expect(result).toMatchObject({
      table: MAJOR_IMPORTS_TABLE,
      currency: "CNY",
      period: "2026-05",
      flow: "imports",
      layout: "normal",
    });
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rows).toHaveLength(34);
  });

  const find = (r: CommodityTableResult, code: string, kind: Observation["kind"]) =>
    r.observations.find((o) => o.commodity === code && o.kind === kind);

  it("reads back every figure of the sample, in yuan and base quantity units", () => {
    let expected = 0;
    sampleRows.forEach((row, i) => {
      const label = (row.commodity_as_printed ?? "").replace(/\s+/g, " ");
      const parsed = result.rows[i];
      expect(parsed?.label).toBe(label);
      expect(parsed?.indent).toBe(Number(row.indent_nbsp));
      expect(parsed?.aggregate).toBe(row.aggregate === "yes");
      const unit = QUANTITY_UNITS[row.quantity_unit ?? ""];
      if (row.quantity_unit !== "-") expect(unit, row.quantity_unit).toBeDefined();
      const quantity = (q: string | undefined) =>
        q === "-" || !unit
          ? undefined
          : { value: shifted(q ?? "", unit[1]), unit: unit[0], printedUnit: row.quantity_unit };
      for (const [kind, v, q] of [
        ["month", row.month_value, row.month_quantity],
        ["ytd", row.ytd_value, row.ytd_quantity],
      ] as const) {
        const obs = result.observations.find((o) => o.commodityLabel === label && o.kind === kind);
        if (v === "-") {
          expect(obs).toBeUndefined();
          continue;
        }
        expected += 1;
        expect(obs, `${label} ${kind}`).toMatchObject({
          reporter: "CHN",
          partner: { code: "WORLD" },
          flow: "imports",
          period: "2026-05",
          currency: "CNY",
          value: shifted(v ?? "", 8),
          vintage: "preliminary",
        });
        expect(obs?.quantity).toEqual(quantity(q));
        expect(obs?.printedYtdYoyPct).toBe(kind === "ytd" ? Number(row.ytd_yoy_pct_value) : undefined);
      }
      expect(parsed?.priorYtd).toEqual({
        value: shifted(row.prior_ytd_value ?? "", 8),
        quantity: quantity(row.prior_ytd_quantity)?.value,
        year: 2025,
      });
      expect(parsed?.printedYtdYoyPctQuantity).toBe(
        row.ytd_yoy_pct_quantity === "-" ? undefined : Number(row.ytd_yoy_pct_quantity),
      );
    });
    expect(result.observations).toHaveLength(expected);
  });

  it("gives the story's values: crude oil, natural gas, grain, soybeans", () => {
    expect(find(result, "cat:crude-oil", "month")).toMatchObject({
      commodityLabel: "Crude petroleum oils",
      value: 183_290_000_000,
      quantity: { value: 33_081_000, unit: "ton", printedUnit: "10,000 Tons" },
    });
    expect(find(result, "cat:crude-oil", "ytd")).toMatchObject({
      value: 890_490_000_000,
      quantity: { value: 218_364_000, unit: "ton" },
      printedYtdYoyPct: 0.1,
    });
    expect(find(result, "cat:natural-gas", "month")).toMatchObject({
      value: 33_120_000_000,
      quantity: { value: 10_108_000, unit: "ton" },
    });
    expect(find(result, "cat:grain", "month")?.value).toBe(47_140_000_000);
    expect(find(result, "cat:soybeans", "month")).toMatchObject({
      value: 37_750_000_000,
      quantity: { value: 11_791_000, unit: "ton" },
    });
    // Soybeans are printed under grain; indentation is recorded, never summed.
    expect(result.rows.find((r) => r.commodity === "cat:soybeans")?.parent).toBe("cat:grain");
  });
});

describeWithSharedData("the table (6) sample against GACC's real page", () => {
  it("reads as exactly the same figures and hierarchy (the real page's own defects aside)", () => {
    const real = normalizeCommodityTable(
      readShared("gacc_english_site", "meridian_release_section6_major_imports_may2026_cny.html").toString(
        "utf8",
      ),
      provenance,
    );
    const ours = normalizeCommodityTable(body(commodityReleases[0]?.path ?? ""), provenance);
    // The real page labels last year's columns "1-5 Total, 2024"; ours prints 2025.
    expect(real.warnings.map((w) => w.check)).toEqual(["prior-year-label"]);
    const strip = (r: CommodityTableResult) => ({
      observations: r.observations.map(({ commodityLabel: _, ...o }) => o),
      rows: r.rows.map(({ label: _, ...row }) => row),
      title: r.title,
      period: r.period,
      currency: r.currency,
    });
    expect(strip(ours)).toEqual(strip(real));
    // Labels differ only where the real page breaks a line before the star.
    const differing = real.rows.flatMap((r, i) =>
      r.label === ours.rows[i]?.label ? [] : [[r.label, ours.rows[i]?.label]],
    );
    expect(differing).toEqual([
      ["Mechanical and electrical products *", "Mechanical and electrical products*"],
    ]);
  });
});

describe("commodity samples that cannot be printed as published", () => {
  const header = sampleText.split("\n")[0] ?? "";
  const line = sampleText.split("\n").find((l) => l.includes("Crude petroleum oils")) ?? "";
  const render = (text: string) =>
    renderMirrorSite({ commoditySamples: [{ name: "bad.csv", text: `${header}\n${text}\n` }] });

  it("are refused with the line named", () => {
    expect(() => render(line.replace(",3308.1,", ",99999.1,"))).toThrow(/bad\.csv line 2: the month exceeds/);
    expect(() => render(line.replace('"10,000 Tons"', "Barrels"))).toThrow(SampleDataError);
    expect(() => render(line.replace(",0,no,", ",0,yes,"))).toThrow(/aggregate "yes"/);
    expect(() => render(line.replace(",1832.9,", ",1,832.9,"))).toThrow(SampleDataError);
  });

  it("can be left out", () => {
    const none = renderMirrorSite({ commoditySamples: [] });
    expect(none.has(commodityReleases[0]?.path ?? "")).toBe(false);
    const links = parseIndexPage(none.get("/statics/report/preliminary.html")?.body as string, 2026);
    expect(links.filter((l) => /major/i.test(l.title))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("the Monthly Bulletin on the mirror", () => {
  it("serves the August 2023 sample page unchanged, not the inconsistent July page", () => {
    expect(DEFAULT_BULLETIN_SAMPLES).toEqual(["bulletin-2023-08-usd.html"]);
    expect(bulletinReleases).toHaveLength(1);
    const [aug] = bulletinReleases;
    expect(aug).toMatchObject({
      table: "bulletin-by-country",
      currency: "USD",
      period: "2023-08",
      year: 2023,
      month: 8,
      janFeb: false,
      title: "(2) China's Total Export & Import Values by Country/Region, August 2023 (in USD)",
      indexTitle: "(2) China's Total Export & Import Values by Country/Region (in USD)",
      indexPath: "/statics/report/monthly2023.html",
      postedOn: "2023/09/20",
      sampleFile: "bulletin-2023-08-usd.html",
    });
    expect(aug?.path).toMatch(/^\/Statics\/[0-9a-f-]{36}\.html$/);
    expect(aug?.url).toBe(`http://english.customs.gov.cn${aug?.path}`);
    const file = readFileSync(
      new URL("../../data/samples/bulletin/bulletin-2023-08-usd.html", import.meta.url),
      "utf8",
    );
    expect(body(aug?.path ?? "")).toBe(file);
    const julyTitle = "July 2023";
    for (const [path, page] of site) expect(String(page.body).includes(julyTitle), path).toBe(false);
  });

  it("parses with no finding: Russia's August 2023 imports are US$11.5 bn", () => {
    const result = normalizeBulletinByCountry(body(bulletinReleases[0]?.path ?? ""), provenance);
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.unmapped).toEqual([]);
    const rus = (flow: string, kind: string) =>
      result.observations.find((o) => o.partner.code === "RUS" && o.flow === flow && o.kind === kind);
    expect(rus("imports", "month")).toMatchObject({
      value: 11_500_000_000,
      currency: "USD",
      period: "2023-08",
      vintage: "bulletin",
      partner: { nameAsPrinted: "Russia" },
    });
    expect(rus("exports", "month")?.value).toBe(9_300_000_000);
    expect(rus("total", "month")?.value).toBe(20_800_000_000);
    expect(rus("imports", "ytd")).toMatchObject({ value: 83_300_000_000, printedYtdYoyPct: 13.3 });
    expect(result.observations).toHaveLength(6);
  });

  it("has an index for every year from 2018, the newest at monthly.html", () => {
    const paths = [...site.keys()].filter((p) => p.startsWith("/statics/report/monthly"));
    expect(paths.sort()).toEqual(years.map((y) => indexPathFor("monthly", y, currentYear)).sort());
    expect(site.has("/statics/report/monthly.html")).toBe(true);
    expect(site.has(`/statics/report/monthly${currentYear}.html`)).toBe(false);
    const current = body("/statics/report/monthly.html");
    expect(current).toContain('<select id="monthlysel"><option value="2026">2026</option>');
    expect(yearOfIndexPage(current)).toBe(currentYear);
  });

  it.each(years)("monthly index %i links exactly the Bulletin pages of that year", (year) => {
    const page = body(indexPathFor("monthly", year, currentYear));
    const links = parseIndexPage(page, year);
    expect(links).toEqual(
      bulletinReleases
        .filter((r) => r.year === year)
        .map((r) => ({
          title: r.indexTitle,
          currency: r.currency,
          year,
          month: r.month,
          period: r.period,
          href: r.url,
        })),
    );
    for (const link of links) {
      expect(site.has(new URL(resolveAgainstBase(link.href, "http://127.0.0.1:9/")).pathname)).toBe(true);
    }
    // A row that is never linked: the reader must pick its table by title words.
    expect(page).toContain("<tr><td>(1) China's Total Export &amp; Import Values (in USD)</td>");
    if (year === 2023) {
      expect(page).toContain("<span>Jul.</span>");
      expect(page).toContain(`<a href=${bulletinReleases[0]?.url}> Aug.</a>`);
    }
  });

  it("serves the July 2023 page only when asked, and then it is held back by the sum check", () => {
    const withJuly = renderMirrorSite({
      bulletinSamples: [...DEFAULT_BULLETIN_SAMPLES, "bulletin-2023-07-usd.html"],
    });
    const july = sampleBulletinReleases({
      bulletinSamples: [...DEFAULT_BULLETIN_SAMPLES, "bulletin-2023-07-usd.html"],
    }).find((r) => r.period === "2023-07");
    if (!july) throw new Error("no July release");
    const links = parseIndexPage(withJuly.get("/statics/report/monthly2023.html")?.body as string, 2023);
    expect(links.map((l) => l.period)).toEqual(["2023-07", "2023-08"]);
    const result = normalizeBulletinByCountry(withJuly.get(july.path)?.body as string, provenance);
    expect(result.blocking.map((f) => f.check)).toContain("flows-add-up");
  });

  it("refuses a Bulletin page that does not say it is the project's own", () => {
    const page = readFileSync(
      new URL("../../data/samples/bulletin/bulletin-2023-08-usd.html", import.meta.url),
      "utf8",
    );
    expect(() =>
      renderMirrorSite({ bulletinSamples: [{ name: "x.html", text: page.replace("PROJECT SAMPLE", "") }] }),
    ).toThrow(/project's own/);
  });
});

// ---------------------------------------------------------------------------------------------

describe("rendering the extra pages", () => {
  it("gives the same bytes every time", () => {
    const again = renderMirrorSite();
    expect([...again.keys()]).toEqual([...site.keys()]);
    for (const [path, page] of site) expect(again.get(path), path).toEqual(page);
    expect(sampleCommodityReleases().map((r) => r.path)).toEqual(commodityReleases.map((r) => r.path));
    expect(sampleBulletinReleases().map((r) => r.path)).toEqual(bulletinReleases.map((r) => r.path));
  });

  it("moves every index to its yearly archive when the current year moves on", () => {
    const later = renderMirrorSite({ currentYear: 2027 });
    expect(later.has("/statics/report/monthly2026.html")).toBe(true);
    expect(later.has("/statics/report/monthly2027.html")).toBe(false);
    expect(parseIndexPage(later.get("/statics/report/monthly.html")?.body as string, 2027)).toEqual([]);
    const prelim2026 = parseIndexPage(
      later.get("/statics/report/preliminary2026.html")?.body as string,
      2026,
    );
    expect(prelim2026.map((l) => l.period).sort()).toEqual(["2026-03", "2026-05"]);
    expect(sampleCommodityReleases({ currentYear: 2027 })[0]?.indexPath).toBe(
      "/statics/report/preliminary2026.html",
    );
  });
});

describe("the mirror server with the extra pages", () => {
  let mirror: Mirror;
  beforeAll(async () => {
    mirror = await startMirror({ site });
  });
  afterAll(async () => {
    await mirror.stop();
  });

  it("serves the commodity page, the Bulletin index and the Bulletin page, case-insensitively", async () => {
    const commodity = commodityReleases[0]?.path ?? "";
    const res = await fetch(`${mirror.baseUrl}${commodity.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(body(commodity));
    const index = await fetch(`${mirror.baseUrl}/Statics/Report/Monthly2023.html`);
    expect(index.status).toBe(200);
    const [link] = parseIndexPage(await index.text(), 2023);
    if (!link) throw new Error("no link");
    const page = await fetch(resolveAgainstBase(link.href, mirror.baseUrl));
    expect(page.status).toBe(200);
    expect(normalizeBulletinByCountry(await page.text(), provenance).blocking).toEqual([]);
    expect((await fetch(`${mirror.baseUrl}/statics/report/monthly.html`)).status).toBe(200);
  });
});
