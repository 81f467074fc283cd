import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import { type BulletinResult, normalizeBulletinByCountry } from "../../functions/domain/gacc/bulletin.js";
import type { Flow, Observation, ObservationKind, Provenance } from "../../functions/domain/model.js";
import { partners } from "../../functions/domain/partners.js";
import { BULLETIN_BY_COUNTRY_TABLE } from "../../functions/domain/table-ids.js";
import { describeWithSharedData, readShared } from "../support/shared-data.js";

const samples = resolve(dirname(fileURLToPath(import.meta.url)), "../../data/samples/bulletin");
const sample = (name: string): string => readFileSync(resolve(samples, name), "utf8");

const provenance: Provenance = {
  releaseId: "bulletin-2023-08",
  url: "http://english.customs.gov.cn/statics/report/monthly.html",
  sha256: "1".repeat(64),
  fetchedAt: "2023-09-20T03:00:00.000Z",
};

/** The code the parser gives a continent header row: the registry's grouping if it has one, else CONT-... */
const continent = (name: string, fallback: string): string => {
  const entry = partners.byPrintedName(name);
  return entry?.grouping ? entry.code : fallback;
};

function pick(result: BulletinResult, code: string, flow: Flow, kind: ObservationKind): Observation {
  const found = result.observations.filter(
    (o) => o.partner.code === code && o.flow === flow && o.kind === kind,
  );
  expect(found, `${code} ${flow} ${kind}`).toHaveLength(1);
  return found[0] as Observation;
}

/** A small table in the sample's layout; rows are [name, 9 cells]. */
function bulletinPage(
  rows: string[][],
  opts: { title?: string; unit?: string; header?: string } = {},
): string {
  const title =
    opts.title ?? "(2) China's Total Export & Import Values by Country/Region, August 2023 (in USD)";
  const tr = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
  return `<!DOCTYPE html><html><body><div class="atcl-ttl">${title}</div><div class="atcl-cnt"><table>
<tr><td colspan="10">${title}</td></tr>
<tr><td colspan="10">${opts.unit ?? "Unit: US$1,000"}</td></tr>
${
  opts.header ??
  `<tr><td>Country/Region</td><td colspan="2">Exports &amp; Imports</td><td colspan="2">Exports</td><td colspan="2">Imports</td><td colspan="3">1-to-8 Total Year-on-Year (±%)</td></tr>
<tr><td>&nbsp;</td><td>8</td><td>1-to-8</td><td>8</td><td>1-to-8</td><td>8</td><td>1-to-8</td><td>Exports &amp; Imports</td><td>Exports</td><td>Imports</td></tr>`
}
${rows.map(tr).join("\n")}
<tr><td colspan="10">Note: synthetic page for tests.</td></tr>
</table></div></body></html>`;
}

const dashes = ["-", "-", "-", "-", "-", "-", "-", "-", "-"];

describe("Bulletin sample, August 2023 (the project's own page)", () => {
  const html = sample("bulletin-2023-08-usd.html");
  const readResult = () => normalizeBulletinByCountry(html, provenance);

  it("says in its header that it is the project's sample, not a saved GACC page", () => {
    expect(html).toContain("PROJECT SAMPLE, NOT A SAVED GACC PAGE");
  });

  it("parses with no findings", () => {
    const result = readResult();
    expect(result).toMatchObject({
      table: BULLETIN_BY_COUNTRY_TABLE,
      currency: "USD",
      period: "2023-08",
      title: "(2) China's Total Export & Import Values by Country/Region, August 2023 (in USD)",
    });
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.unmapped).toEqual([]);
  });

  it("maps Russia to RUS with the exact values in dollars, vintage bulletin", () => {
    const result = readResult();
    expect(result.observations).toHaveLength(6);
    const europe = continent("Europe", "CONT-EUROPE");
    expect(pick(result, "RUS", "imports", "month")).toEqual({
      reporter: "CHN",
      partner: { code: "RUS", nameAsPrinted: "Russia", isGrouping: false, memberOf: europe },
      flow: "imports",
      commodity: "TOTAL",
      period: "2023-08",
      kind: "month",
      value: 11_500_000_000,
      currency: "USD",
      printed: { value: "11,500,000", unit: "Unit: US$1,000" },
      printedYtdYoyPct: undefined,
      vintage: "bulletin",
      provenance,
    });
    expect(pick(result, "RUS", "exports", "month").value).toBe(9_300_000_000);
    expect(pick(result, "RUS", "total", "month").value).toBe(20_800_000_000);
    expect(pick(result, "RUS", "imports", "ytd")).toMatchObject({
      value: 83_300_000_000,
      printedYtdYoyPct: 13.3,
    });
    expect(pick(result, "RUS", "exports", "ytd")).toMatchObject({
      value: 71_800_000_000,
      printedYtdYoyPct: 63.2,
    });
    expect(pick(result, "RUS", "total", "ytd")).toMatchObject({
      value: 155_100_000_000,
      printedYtdYoyPct: 32,
    });
  });

  it("also maps the preliminary table's spelling, Russian Federation", () => {
    const variant = normalizeBulletinByCountry(
      html.replace(/>(&nbsp;)*Russia</, ">&nbsp;&nbsp;Russian Federation<"),
      provenance,
    );
    expect(variant.blocking).toEqual([]);
    expect(variant.warnings).toEqual([]);
    expect(pick(variant, "RUS", "imports", "month")).toMatchObject({
      partner: { code: "RUS", nameAsPrinted: "Russian Federation" },
      value: 11_500_000_000,
    });
  });

  it("reports an unknown partner name, keeps its row out and lists it", () => {
    const unknown = normalizeBulletinByCountry(
      html.replace(">&nbsp;&nbsp;Japan<", ">&nbsp;&nbsp;Freedonia<"),
      provenance,
    );
    expect(unknown.blocking).toEqual([]);
    expect(unknown.unmapped).toEqual([{ name: "Freedonia", figures: 0 }]);
    expect(unknown.warnings).toHaveLength(1);
    expect(unknown.warnings[0]).toMatchObject({ check: "partner-unmapped" });
    expect(unknown.warnings[0]?.message).toContain('"Freedonia"');
    expect(unknown.observations).toHaveLength(6);
  });

  it("keeps the figures of an unknown partner out, and blocks when nothing else is left", () => {
    const unknown = normalizeBulletinByCountry(
      html.replace(/>(&nbsp;)*Russia</, ">&nbsp;&nbsp;Freedonia<"),
      provenance,
    );
    expect(unknown.unmapped).toEqual([{ name: "Freedonia", figures: 9 }]);
    expect(unknown.observations).toEqual([]);
    expect(unknown.blocking.map((f) => f.check)).toEqual(["has-rows"]);
  });
});

describeWithSharedData("Bulletin sample figures against the compiled news reports", () => {
  it("writes August 2023 China–Russia figures exactly as published (in billions)", () => {
    const csv = Papa.parse<Record<string, string>>(
      readShared("russia", "china_russia_trade_2022_2023_from_news.csv").toString("utf8"),
      { header: true, skipEmptyLines: true },
    ).data;
    const result = normalizeBulletinByCountry(sample("bulletin-2023-08-usd.html"), provenance);
    const flows: Record<string, Flow> = {
      imports_from_russia: "imports",
      exports_to_russia: "exports",
      total_trade: "total",
    };
    const rows = csv.filter(
      (r) =>
        (r.reference_period === "2023-08" && r.period_kind === "month") ||
        r.reference_period === "2023-01/2023-08",
    );
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      const flow = flows[r.flow ?? ""] as Flow;
      const kind: ObservationKind = r.period_kind === "month" ? "month" : "ytd";
      const o = pick(result, "RUS", flow, kind);
      expect(o.value, `${flow} ${kind}`).toBe(Math.round(Number(r.value_usd_bn) * 1e9));
      if (kind === "ytd") expect(o.printedYtdYoyPct, `${flow} y/y`).toBe(Number(r.yoy_pct));
    }
  });
});

describe("Bulletin sample, July 2023 (news figures rounded independently)", () => {
  it("is held back because exports + imports ≠ total beyond rounding", () => {
    const result = normalizeBulletinByCountry(sample("bulletin-2023-07-usd.html"), provenance);
    expect(result.period).toBe("2023-07");
    expect(result.blocking).toEqual([
      {
        check: "flows-add-up",
        message:
          '"Russia": exports plus imports in July 2023 come to US$19.48 billion but the table\'s total says ' +
          "US$19.49 billion, US$10.0 million apart, more than rounding explains",
        amounts: { exportsPlusImports: 19_480_000_000, total: 19_490_000_000, gap: 10_000_000 },
        currency: "USD",
      },
      {
        check: "flows-add-up",
        message:
          '"Russia": exports plus imports in January–July 2023 come to US$134.09 billion but the table\'s total says ' +
          "US$134.10 billion, US$10.0 million apart, more than rounding explains",
        amounts: { exportsPlusImports: 134_090_000_000, total: 134_100_000_000, gap: 10_000_000 },
        currency: "USD",
      },
    ]);
    expect(pick(result, "RUS", "imports", "month").value).toBe(9_200_000_000);
  });
});

describe("normalizeBulletinByCountry on synthetic pages", () => {
  it("records continent rows as groupings (with their figures) and countries as their members", () => {
    const result = normalizeBulletinByCountry(
      bulletinPage([
        ["Total", ...dashes],
        ["Asia:", "300", "900", "100", "400", "200", "500", "1.0", "2.0", "3.0"],
        ["&nbsp;&nbsp;Japan", ...dashes.slice(0, 8), "-"],
        ["Europe:", ...dashes],
        ["&nbsp;&nbsp;Germany", "30", "90", "10", "40", "20", "50", "-", "-", "-"],
        ["EU", "3", "9", "1", "4", "2", "5", "-", "-", "-"],
      ]),
      provenance,
    );
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toEqual([]);
    const asia = continent("Asia", "CONT-ASIA");
    expect(pick(result, asia, "total", "ytd")).toMatchObject({
      partner: { code: asia, nameAsPrinted: "Asia:", isGrouping: true },
      value: 900_000,
      printedYtdYoyPct: 1,
    });
    expect(pick(result, "DEU", "exports", "month").partner).toEqual({
      code: "DEU",
      nameAsPrinted: "Germany",
      isGrouping: false,
      memberOf: continent("Europe", "CONT-EUROPE"),
    });
    expect(pick(result, "EU", "imports", "month").partner).toEqual({
      code: "EU",
      nameAsPrinted: "EU",
      isGrouping: true,
      memberOf: undefined,
    });
  });

  it("reads a continent header printed as one spanning cell, and blocks data rows after the notes", () => {
    const html = bulletinPage([
      ["Oceania:"],
      ["Australia", "30", "90", "10", "40", "20", "50", "-", "-", "-"],
    ]).replace("<td>Oceania:</td>", '<td colspan="10">Oceania:</td>');
    const result = normalizeBulletinByCountry(html, provenance);
    expect(result.blocking).toEqual([]);
    expect(pick(result, "AUS", "total", "month").partner.memberOf).toBe(continent("Oceania", "CONT-OCEANIA"));

    const late = normalizeBulletinByCountry(
      bulletinPage([["Australia", "30", "90", "10", "40", "20", "50", "-", "-", "-"]]).replace(
        "</table>",
        "<tr><td>Germany</td><td>1</td><td>1</td><td>1</td><td>1</td><td>-</td><td>-</td><td>-</td><td>-</td><td>-</td></tr></table>",
      ),
      provenance,
    );
    expect(late.blocking).toEqual([{ check: "layout", message: 'A row after the notes: "Germany".' }]);
  });

  it("accepts a sum within half a unit of the last digit per term, blocks one beyond", () => {
    const within = normalizeBulletinByCountry(
      bulletinPage([["Germany", "3,001", "9,001", "1,000", "4,000", "2,000", "5,000", "-", "-", "-"]]),
      provenance,
    );
    expect(within.blocking).toEqual([]);
    // Mixed precision, a gap exactly at the tolerance: half of 0.1, of 0.1 and of 1 thousand dollars
    // is 600 dollars, and 3,001.1 − (1,000.5 + 2,000) thousand is 600 dollars apart: accepted.
    const atTolerance = normalizeBulletinByCountry(
      bulletinPage([["Germany", "3,001.1", "9,001", "1,000.5", "4,000", "2,000", "5,000", "-", "-", "-"]]),
      provenance,
    );
    expect(atTolerance.blocking).toEqual([]);
    expect(pick(atTolerance, "DEU", "total", "month").value).toBe(3_001_100);
    const beyond = normalizeBulletinByCountry(
      bulletinPage([["Germany", "3,002", "9,000", "1,000", "4,000", "2,000", "5,000", "-", "-", "-"]]),
      provenance,
    );
    expect(beyond.blocking.map((f) => f.check)).toEqual(["flows-add-up"]);
    expect(beyond.blocking[0]?.message).toContain(
      "come to US$3.000 million but the table's total says US$3.002 million, US$2,000 apart",
    );
  });

  it("blocks a month larger than its year to date and warns about |y/y| > 100%", () => {
    const result = normalizeBulletinByCountry(
      bulletinPage([["Germany", "30", "90", "10", "4", "20", "86", "5.0", "150.2", "-1.0"]]),
      provenance,
    );
    expect(result.blocking).toEqual([
      {
        check: "month-within-ytd",
        message:
          '"Germany": the figure for exports in August 2023 (US$10,000) is larger than the year-to-date figure for ' +
          "January–August 2023 (US$4,000), which cannot be: a column is misread, or GACC printed the two the wrong way round",
        amounts: { month: 10_000, yearToDate: 4_000 },
        currency: "USD",
      },
    ]);
    expect(result.warnings).toEqual([
      {
        check: "large-yoy",
        message:
          '"Germany": GACC prints exports in January–August 2023 as up 150.2% on a year earlier, beyond ±100%; ' +
          "check last year's figure before printing",
      },
    ]);
  });

  it("blocks a page whose title currency and unit row disagree", () => {
    const result = normalizeBulletinByCountry(
      bulletinPage([["Germany", "30", "90", "10", "40", "20", "50", "-", "-", "-"]], {
        title: "(2) China's Total Export & Import Values by Country/Region, August 2023 (in CNY)",
      }),
      provenance,
    );
    expect(result.blocking.map((f) => f.check)).toEqual(["currency-agrees", "currency-agrees"]);
  });

  it("blocks a page with the imports columns missing", () => {
    const result = normalizeBulletinByCountry(
      bulletinPage([["Germany", "30", "90", "10", "40", "-", "-", "-"]], {
        header: `<tr><td>Country/Region</td><td colspan="2">Exports &amp; Imports</td><td colspan="2">Exports</td><td colspan="3">1-to-8 Total Year-on-Year (±%)</td></tr>
<tr><td></td><td>8</td><td>1-to-8</td><td>8</td><td>1-to-8</td><td>Exports &amp; Imports</td><td>Exports</td><td>Imports</td></tr>`,
      }),
      provenance,
    );
    expect(result.blocking.map((f) => f.check)).toEqual(["columns"]);
    expect(result.blocking[0]?.message).toContain("imports column for the month is missing");
    expect(result.observations).toEqual([]);
  });

  it("blocks columns for another month than the title's", () => {
    const result = normalizeBulletinByCountry(
      bulletinPage([["Germany", "30", "90", "10", "40", "20", "50", "-", "-", "-"]], {
        title: "(2) China's Total Export & Import Values by Country/Region, July 2023 (in USD)",
      }),
      provenance,
    );
    expect(result.blocking.length).toBeGreaterThan(0);
    expect(new Set(result.blocking.map((f) => f.check))).toEqual(new Set(["columns"]));
  });

  it("blocks an empty table", () => {
    const result = normalizeBulletinByCountry(bulletinPage([]), provenance);
    expect(result.blocking.map((f) => f.check)).toEqual(["has-rows"]);
  });

  it("throws LayoutChanged for a page that is not by country, and for one without a unit row", () => {
    expect(() =>
      normalizeBulletinByCountry(
        bulletinPage([], { title: "(1) China's Total Export & Import Values, August 2023 (in USD)" }),
        provenance,
      ),
    ).toThrow(LayoutChanged);
    expect(() => normalizeBulletinByCountry(bulletinPage([], { unit: "" }), provenance)).toThrow(
      /no unit row/,
    );
  });
});
