/**
 * The local GACC mirror: the project's sample (data/samples/published-figures.csv) rendered into
 * GACC-layout pages must read back, through the real parsers, as exactly the published figures.
 */
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  parseIndexPage,
  preliminaryIndexPath,
  resolveAgainstBase,
} from "../../functions/domain/gacc/index-page.js";
import { isByCountryTitle, normalizeTable4 } from "../../functions/domain/gacc/table4.js";
import type { NormalizeResult, Observation } from "../../functions/domain/model.js";
import {
  renderMirrorSite,
  type SampleRelease,
  sampleCommodityReleases,
  sampleReleases,
} from "../../local/mirror/render.js";
import { type Mirror, startMirror } from "../../local/mirror/server.js";

type CsvRow = Record<string, string>;
const csvText = readFileSync(new URL("../../data/samples/published-figures.csv", import.meta.url), "utf8");
const csvRows = Papa.parse<CsvRow>(csvText, { header: true, skipEmptyLines: true }).data;

const BLANKED_NOTE = "Mirror page prints '-' for this total";
const UNIT_POWER: Record<string, number> = { "USD bn": 9, "CNY 100 Million": 8 };

/** Published value × 10^power, exactly (digits shifted as text, no float multiplication). */
function toBaseUnits(value: string, unit: string): number {
  const power = UNIT_POWER[unit];
  if (power === undefined) throw new Error(`unexpected unit ${unit}`);
  const [int = "", frac = ""] = value.split(".");
  return Number(BigInt(int + frac.padEnd(power, "0").slice(0, power)));
}

const releases = sampleReleases();
const site = renderMirrorSite();
const provenance = {
  releaseId: "test",
  url: "http://example.test/",
  sha256: "0",
  fetchedAt: "2026-01-01T00:00:00Z",
};

function parseRelease(r: SampleRelease): NormalizeResult {
  const page = site.get(r.path);
  if (!page) throw new Error(`no page at ${r.path}`);
  return normalizeTable4(page.body as string, { provenance });
}

function find(
  result: NormalizeResult,
  partner: string,
  flow: string,
  kind: Observation["kind"],
  period: string,
): Observation | undefined {
  return result.observations.find(
    (o) => o.partner.nameAsPrinted === partner && o.flow === flow && o.kind === kind && o.period === period,
  );
}

const rowsOf = (r: SampleRelease) =>
  csvRows.filter((row) => row.table_currency === r.currency && row.period === r.period);

describe("the sample of published figures", () => {
  it("gives every figure a source and one figure per partner, flow, period and kind", () => {
    expect(csvRows.length).toBeGreaterThan(300);
    const keys = new Set<string>();
    for (const row of csvRows) {
      expect(row.source_url, JSON.stringify(row)).toMatch(/^https?:\/\//);
      expect(row.source_outlet).not.toBe("");
      expect(row.value).toMatch(/^-?\d+(\.\d+)?$/);
      const key = [row.table_currency, row.period, row.period_kind, row.partner_as_printed, row.flow].join(
        "|",
      );
      expect(keys.has(key), key).toBe(false);
      keys.add(key);
    }
  });

  it("holds the China–Russia story figures as published", () => {
    const fig = (period: string, kind: string, flow: string) =>
      csvRows.find(
        (r) => r.table_currency === "USD" && r.period === period && r.period_kind === kind && r.flow === flow,
      );
    expect(fig("2023-08", "month", "imports")).toMatchObject({ value: "11.5", yoy_pct: "3", unit: "USD bn" });
    expect(fig("2023-07", "month", "imports")).toMatchObject({ value: "9.2", yoy_pct: "-8" });
    expect(fig("2022-08", "month", "imports")?.value).toBe("11.2");
    expect(fig("2022-07", "month", "imports")?.value).toBe("10.019");
    // Unpublished months are left out, never interpolated.
    expect(fig("2022-10", "month", "imports")).toBeUndefined();
    expect(fig("2023-03", "month", "imports")).toBeUndefined();
  });
});

describe("rendered table (4) pages", () => {
  it("cover every (currency, period) in the sample, both layouts", () => {
    expect(releases.map((r) => `${r.currency} ${r.period}`)).toEqual(
      [...new Set(csvRows.map((r) => `${r.table_currency} ${r.period}`))].sort(),
    );
    expect(releases.filter((r) => r.janFeb).map((r) => `${r.currency} ${r.period}`)).toEqual([
      "CNY 2025-01/02",
      "USD 2023-01/02",
    ]);
  });

  it.each(releases.map((r) => [`${r.currency} ${r.period}`, r] as const))(
    "%s parses with no blocking finding and reads back as the sample",
    (_label, release) => {
      const result = parseRelease(release);
      expect(result.blocking).toEqual([]);
      expect(result.currency).toBe(release.currency);
      expect(result.period).toBe(release.period);
      expect(result.warnings.filter((w) => w.check === "partner-unmapped")).toEqual([]);

      const rows = rowsOf(release);
      let expected = 0;
      for (const row of rows) {
        const partner = (row.partner_as_printed ?? "").replace(/^of which:\s*/i, "");
        const flow = row.flow ?? "";
        const blanked =
          flow === "total" &&
          release.blankedTotals.some(
            (b) =>
              b.partner === row.partner_as_printed &&
              b.kind === (row.period_kind === "ytd" ? "ytd" : "month"),
          );
        // A total left off the page is exactly one whose note says so.
        expect(blanked, `${row.period} ${row.period_kind} ${flow}`).toBe(
          (row.note ?? "").includes(BLANKED_NOTE),
        );
        const kind = row.period_kind === "jan_feb" ? "jan-feb" : (row.period_kind as Observation["kind"]);
        const period = row.period ?? "";
        const obs = find(result, partner, flow, kind, period);
        if (blanked) {
          expect(flow).toBe("total");
          expect(obs).toBeUndefined();
          continue;
        }
        expected += 1;
        expect(obs, `${partner} ${flow} ${kind} ${period}`).toBeDefined();
        expect(obs?.value).toBe(toBaseUnits(row.value ?? "", row.unit ?? ""));
        expect(obs?.currency).toBe(release.currency);
        if (kind !== "month" && row.yoy_pct) expect(obs?.printedYtdYoyPct).toBe(Number(row.yoy_pct));
        if (kind === "jan-feb") {
          // The combined release is also the year-to-date to February.
          const ytd = find(result, partner, flow, "ytd", `${period.slice(0, 4)}-02`);
          expect(ytd?.value).toBe(obs?.value);
          expected += 1;
        }
      }
      // Nothing on the page that the sample does not hold.
      expect(result.observations).toHaveLength(expected);
    },
  );

  it("prints USD in millions with one decimal, as the real site does", () => {
    const aug = releases.find((r) => r.currency === "USD" && r.period === "2023-08");
    const body = aug && (site.get(aug.path)?.body as string);
    expect(body).toContain("Unit: USD1 Million");
    expect(body).toContain("11,500.0&nbsp;");
    expect(body).toContain("155,100.0&nbsp;");
  });

  it("gives the story's values in base units", () => {
    const usd = (period: string) => {
      const r = releases.find((x) => x.currency === "USD" && x.period === period);
      if (!r) throw new Error(period);
      return parseRelease(r);
    };
    expect(find(usd("2023-08"), "Russian Federation", "imports", "month", "2023-08")?.value).toBe(
      11_500_000_000,
    );
    expect(find(usd("2023-07"), "Russian Federation", "imports", "month", "2023-07")?.value).toBe(
      9_200_000_000,
    );
    expect(find(usd("2022-07"), "Russian Federation", "imports", "month", "2022-07")?.value).toBe(
      10_019_000_000,
    );
    expect(find(usd("2022-08"), "Russian Federation", "imports", "month", "2022-08")?.value).toBe(
      11_200_000_000,
    );
    // July 2023: 10.28 + 9.2 ≠ 19.49 at the page's precision, so the page leaves the total out.
    expect(find(usd("2023-07"), "Russian Federation", "total", "month", "2023-07")).toBeUndefined();
    const ytd = find(usd("2023-08"), "Russian Federation", "imports", "ytd", "2023-08");
    expect(ytd).toMatchObject({ value: 83_300_000_000, printedYtdYoyPct: 13.3 });
  });

  it("transcribes the March 2026 CNY table with its groupings", () => {
    const mar = releases.find((r) => r.currency === "CNY" && r.period === "2026-03");
    if (!mar) throw new Error("no March 2026 CNY release");
    expect(mar.path).toBe("/Statics/2e61c8a1-17b2-4074-b909-c039ccf8c8fb.html");
    expect(mar.blankedTotals).toEqual([]);
    const result = parseRelease(mar);
    expect(find(result, "Russian Federation", "imports", "month", "2026-03")?.value).toBe(88_560_000_000);
    expect(find(result, "Russian Federation", "imports", "ytd", "2026-03")).toMatchObject({
      value: 234_760_000_000,
      printedYtdYoyPct: 6.5,
    });
    const partnerOf = (name: string) => find(result, name, "total", "month", "2026-03")?.partner;
    expect(partnerOf("Germany")).toMatchObject({ code: "DEU", memberOf: "EU" });
    expect(partnerOf("Netherlands")).toMatchObject({ code: "NLD", memberOf: "EU" });
    expect(partnerOf("Philippines")).toMatchObject({ code: "PHL", memberOf: "ASEAN" });
    expect(partnerOf("Brazil")).toMatchObject({ code: "BRA", memberOf: "LATAM" });
    expect(partnerOf("United States (US)")).toMatchObject({ code: "USA", memberOf: undefined });
    expect(partnerOf("Japan")).toMatchObject({ code: "JPN", memberOf: undefined });
    expect(partnerOf("Total")).toMatchObject({ code: "WORLD", isGrouping: true });
    // Every row of the page, groupings included, maps to a partner code.
    expect(new Set(result.observations.map((o) => o.partner.code)).size).toBe(30);
  });

  it("renders the January–February 2025 CNY table in the 7-cell layout", () => {
    const jf = releases.find((r) => r.currency === "CNY" && r.period === "2025-01/02");
    if (!jf) throw new Error("no Jan–Feb 2025 CNY release");
    expect(jf.month).toBe(2);
    const result = parseRelease(jf);
    expect(find(result, "Russian Federation", "imports", "jan-feb", "2025-01/02")).toMatchObject({
      value: 141_790_000_000,
      printedYtdYoyPct: -2.7,
    });
    expect(result.observations.some((o) => o.kind === "month")).toBe(false);
  });
});

describe("rendered index pages", () => {
  const currentYear = Math.max(...releases.map((r) => r.year));
  const years = Array.from({ length: currentYear - 2018 + 1 }, (_, i) => 2018 + i);

  it("exist for every year from 2018, the newest at preliminary.html", () => {
    const indexPaths = [...site.keys()].filter((p) => p.startsWith("/statics/report/preliminary"));
    expect(indexPaths.sort()).toEqual(years.map((y) => preliminaryIndexPath(y, currentYear)).sort());
    expect(site.has("/statics/report/preliminary.html")).toBe(true);
    expect(site.has(`/statics/report/preliminary${currentYear}.html`)).toBe(false);
  });

  it.each(years)("%i links exactly the rendered table (4) pages (and our commodity pages)", (year) => {
    const page = site.get(preliminaryIndexPath(year, currentYear));
    const links = parseIndexPage(page?.body as string, year);
    const expected = releases
      .filter((r) => r.year === year)
      .map((r) => ({
        title: `(4) China's Total Export & Import Values by Country/Region (in ${r.currency})`,
        currency: r.currency,
        year,
        month: r.month,
        period: r.period,
        href: r.url,
      }));
    // Tables (5)/(6) are linked from their own rows (test/unit/mirror-more.test.ts checks them).
    const commodity = sampleCommodityReleases().filter((r) => r.year === year);
    const byCountryLinks = links.filter((l) => isByCountryTitle(l.title));
    expect(byCountryLinks).toEqual(expect.arrayContaining(expected));
    expect(byCountryLinks).toHaveLength(expected.length);
    expect(links).toHaveLength(expected.length + commodity.length);
    for (const link of links) {
      expect(link.href.startsWith("http://english.customs.gov.cn/Statics/")).toBe(true);
      const path = new URL(resolveAgainstBase(link.href, "http://127.0.0.1:9/")).pathname;
      expect(site.has(path)).toBe(true);
    }
    // Other tables are listed (title matching must pick table 4 out of them); only (4)-(6) are ever linked.
    expect(page?.body).toContain("(1) China's Total Export &amp; Import Values (in CNY)");
    expect(page?.body).toContain("by Trade Mode (in USD)");
  });

  it("leaves years without samples entirely unlinked", () => {
    for (const year of [2018, 2019, 2020, 2021, 2024]) {
      const body = site.get(preliminaryIndexPath(year, currentYear))?.body as string;
      expect(parseIndexPage(body, year)).toEqual([]);
      expect(body).toContain("<span>Aug.</span>");
    }
  });

  it("follows the current year it is given", () => {
    const later = renderMirrorSite({ currentYear: 2027 });
    expect(later.has("/statics/report/preliminary2026.html")).toBe(true);
    expect(parseIndexPage(later.get("/statics/report/preliminary.html")?.body as string, 2027)).toEqual([]);
  });
});

describe("rendering", () => {
  it("gives the same bytes every time", () => {
    const again = renderMirrorSite();
    expect([...again.keys()]).toEqual([...site.keys()]);
    for (const [path, page] of site) expect(again.get(path), path).toEqual(page);
    expect(sampleReleases().map((r) => r.path)).toEqual(releases.map((r) => r.path));
  });
});

describe("the mirror server", () => {
  let mirror: Mirror;
  const aug = releases.find((r) => r.currency === "USD" && r.period === "2023-08");
  if (!aug) throw new Error("no August 2023 release");

  beforeAll(async () => {
    mirror = await startMirror({ site });
  });
  afterAll(async () => {
    await mirror.stop();
  });

  it("serves a page in the real layout, case-insensitively", async () => {
    mirror.reset();
    const res = await fetch(`${mirror.baseUrl}${aug.path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toBe(site.get(aug.path)?.body);
    const lower = await fetch(`${mirror.baseUrl}${aug.path.toLowerCase()}`);
    expect(lower.status).toBe(200);
    const index = await fetch(`${mirror.baseUrl}/Statics/Report/Preliminary2023.html`);
    expect(parseIndexPage(await index.text(), 2023).length).toBeGreaterThan(5);
    expect(mirror.requests).toEqual([
      aug.path,
      aug.path.toLowerCase(),
      "/Statics/Report/Preliminary2023.html",
    ]);
  });

  it("answers 404 for anything else", async () => {
    const res = await fetch(`${mirror.baseUrl}/Statics/00000000-0000-4000-8000-000000000000.html`);
    expect(res.status).toBe(404);
    await res.arrayBuffer();
    expect((await fetch(`${mirror.baseUrl}/`)).status).toBe(404);
  });

  it("applies overrides until reset, and logs requests", async () => {
    mirror.reset();
    mirror.override(aug.path, "<html><body>revised</body></html>");
    mirror.override("/statics/report/preliminary2022.html", { status: 412, body: "<script>$_ts=1</script>" });
    mirror.override("/Statics/moved.html", {
      status: 302,
      headers: { location: "http://elsewhere.example/x.html" },
    });

    expect(await (await fetch(`${mirror.baseUrl}${aug.path.toUpperCase()}`)).text()).toBe(
      "<html><body>revised</body></html>",
    );
    const challenge = await fetch(`${mirror.baseUrl}/statics/report/preliminary2022.html`);
    expect(challenge.status).toBe(412);
    expect(await challenge.text()).toContain("$_ts");
    const moved = await fetch(`${mirror.baseUrl}/Statics/moved.html`, { redirect: "manual" });
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe("http://elsewhere.example/x.html");
    expect(mirror.requests).toEqual([
      aug.path.toUpperCase(),
      "/statics/report/preliminary2022.html",
      "/Statics/moved.html",
    ]);

    mirror.reset();
    expect(mirror.requests).toEqual([]);
    expect(await (await fetch(`${mirror.baseUrl}${aug.path}`)).text()).toBe(site.get(aug.path)?.body);
    expect((await fetch(`${mirror.baseUrl}/Statics/moved.html`, { redirect: "manual" })).status).toBe(404);
  });

  it("can delay a page and drip it slowly, keeping its bytes", async () => {
    mirror.reset();
    mirror.override(aug.path, { delayMs: 150, dripBytesPerSec: 20_000, body: "x".repeat(3_000) });
    const started = Date.now();
    const res = await fetch(`${mirror.baseUrl}${aug.path}`);
    expect(res.headers.get("content-length")).toBe("3000");
    expect(await res.text()).toBe("x".repeat(3_000));
    // 150 ms delay, then 2,000 bytes a slice every 100 ms: at least two slices.
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    mirror.override(aug.path, { delayMs: 10 });
    expect(await (await fetch(`${mirror.baseUrl}${aug.path}`)).text()).toBe(site.get(aug.path)?.body);
    mirror.reset();
  });
});
