/**
 * Every check and every publish-guard reason, each from a realistic failing input, read as an editor
 * reads it: numbers as the charts show them (currency, scale word, separators), never a raw run of
 * base units; the raw values kept beside the words (`amounts`, `detail`) for "Details"; no engineer
 * vocabulary in the sentence. The list of rules comes from CHECK_RULES, so a new rule without a case
 * here fails the last test.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { badRequest, errorResponse } from "../../functions/api/http.js";
import type { ChartEnvelope, ChartPoint } from "../../functions/domain/charts/envelope.js";
import { CHECK_RULES } from "../../functions/domain/checks/index.js";
import { normalizeBulletinByCountry } from "../../functions/domain/gacc/bulletin.js";
import { normalizeCommodityTable, quantityUnitHints } from "../../functions/domain/gacc/commodity-table.js";
import { normalizeTable4 } from "../../functions/domain/gacc/table4.js";
import type { CheckFinding, Provenance } from "../../functions/domain/model.js";
import { normalizeQueryExport } from "../../functions/domain/query-csv/index.js";
import { heldBackHeadline, reasonTexts } from "../../functions/domain/wording.js";
import { chartConsistency, guardChart } from "../../functions/pipeline/publish-guard.js";
import { testChart } from "../support/chart-envelope.js";
import { readShared, sharedAvailable } from "../support/shared-data.js";
import { CRUDE, commodityPage } from "./support/commodity-page.js";
import { provenance as pageProvenance, releasePage } from "./support/gacc-page.js";

const provenance: Provenance = pageProvenance;
const here = dirname(fileURLToPath(import.meta.url));
const sample = (name: string) => readFileSync(resolve(here, "../../data/samples/bulletin", name), "utf8");

// ---- inputs ------------------------------------------------------------------------------------

/** A Bulletin table in its layout (the project sample's), rows of [name, 9 cells], unit US$1,000. */
function bulletinPage(rows: string[][], opts: { title?: string; unit?: string; sub?: string } = {}): string {
  const title =
    opts.title ?? "(2) China's Total Export & Import Values by Country/Region, August 2023 (in USD)";
  const tr = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
  return `<!DOCTYPE html><html><body><div class="atcl-ttl">${title}</div><div class="atcl-cnt"><table>
<tr><td colspan="10">${title}</td></tr>
<tr><td colspan="10">${opts.unit ?? "Unit: US$1,000"}</td></tr>
<tr><td>Country/Region</td><td colspan="2">Exports &amp; Imports</td><td colspan="2">Exports</td><td colspan="2">Imports</td><td colspan="3">1-to-8 Total Year-on-Year (±%)</td></tr>
<tr><td>&nbsp;</td><td>8</td><td>1-to-8</td><td>${opts.sub ?? "8"}</td><td>1-to-8</td><td>8</td><td>1-to-8</td><td>Exports &amp; Imports</td><td>Exports</td><td>Imports</td></tr>
${rows.map(tr).join("\n")}
<tr><td colspan="10">Note: synthetic page for tests.</td></tr>
</table></div></body></html>`;
}
const GERMANY = [
  "Germany",
  "16,102,000",
  "135,704,000",
  "7,001,000",
  "61,190,000",
  "9,101,000",
  "74,514,000",
  "-5.1",
  "-3.2",
  "-6.6",
];

/** Table (4) in CNY 100 million, March 2026: Russia's row as GACC prints it, one cell changed. */
function table4Page(russia: string[]): string {
  const title = "(4) China's Total Export & Import Values by Country/Region, Mar 2026 (in CNY)";
  return releasePage(title, [
    [{ text: title, colspan: 10 }],
    [{ text: "Unit: CNY 100 Million", colspan: 10 }],
    [
      "Import Source",
      "Export & Import",
      "Export & Import",
      "Export",
      "Export",
      "Import",
      "Import",
      { text: "1-to-3 Total Year-on-Year (±%)", colspan: 3 },
    ],
    [
      "Export Destination",
      "3",
      "1- to-3",
      "3",
      "1- to-3",
      "3",
      "1- to-3",
      "Export & Import",
      "Export",
      "Import",
    ],
    ["Russia", ...russia],
    [{ text: "Note: 1. ASEAN includes ...", colspan: 10 }],
  ]);
}
const RUSSIA = ["885.6", "2,347.6", "500.0", "1,300.0", "385.6", "1,047.6", "6.5", "-3.2", "20.0"];

/** A query-platform export, as the platform writes it (GB18030, quoted, trailing commas). */
const QUERY_HEADER =
  '"数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",';
const BRAZIL = '"202301","410","巴西","12019019","转基因黄大豆","1831535439","千克","0","?","8,634,238,278",';
const query = async (...lines: string[]) =>
  normalizeQueryExport(iconv.encode(`${lines.join("\n")}\n`, "gb18030"), {
    flow: "imports",
    provenance: { ...provenance, url: "upload://soybeans.csv" },
  });

/** A published monthly chart of imports from Russia in US$ billion, and its points. */
function pt(chartPeriod: string, value: number): ChartPoint {
  return {
    period: chartPeriod,
    chartPeriod,
    periodLabel: chartPeriod,
    value,
    valueBasis: "observed",
    yoyPct: null,
    vintage: "preliminary",
    revised: false,
    releaseId: "r1",
    sha256: "a".repeat(64),
  };
}
const published: ChartEnvelope = testChart([pt("2023-08", 11.1), pt("2023-09", 10.4), pt("2023-10", 11.1)]);

// ---- the cases: every rule id, and the formatted figures its words must show ----------------

interface Case {
  /** The rule (or guard check) this input breaks. */
  check: string;
  /** Which input, in words. */
  input: string;
  findings: () => Promise<CheckFinding[]> | CheckFinding[];
  /** Figures the editor's sentence must show, as the charts show them. */
  shows?: string[];
  /** Raw values the finding must keep for "Details". */
  raw?: Record<string, number>;
  /** Needs the real GACC pages in ../shared. */
  shared?: boolean;
}

const all = (r: { blocking: CheckFinding[]; warnings: CheckFinding[] }) => [...r.blocking, ...r.warnings];

const CASES: Case[] = [
  {
    check: "flows-add-up",
    input: "the Bulletin's July 2023 sample (news figures rounded independently)",
    findings: () => all(normalizeBulletinByCountry(sample("bulletin-2023-07-usd.html"), provenance)),
    shows: ["US$19.48 billion", "US$19.49 billion", "US$10.0 million", "July 2023", "January–July 2023"],
    raw: { exportsPlusImports: 19_480_000_000, total: 19_490_000_000, gap: 10_000_000 },
  },
  {
    check: "flows-add-up",
    input: "table (4), Russia's year-to-date exports 100 too high",
    findings: () => all(normalizeTable4(table4Page(RUSSIA.with(3, "1,400.0")), { provenance })),
    shows: ["CNY 244.8 billion", "CNY 234.8 billion", "CNY 10.0 billion", "January–March 2026"],
    raw: { exportsPlusImports: 244_760_000_000, total: 234_760_000_000 },
  },
  {
    check: "month-within-ytd",
    input: "table (4), Russia's March imports above their year to date",
    findings: () => all(normalizeTable4(table4Page(RUSSIA.with(4, "1,100.0")), { provenance })),
    shows: ["CNY 110.0 billion", "CNY 104.8 billion", "March 2026", "January–March 2026"],
    raw: { month: 110_000_000_000, yearToDate: 104_760_000_000 },
  },
  {
    check: "month-within-ytd",
    input: "the Bulletin, Germany's August exports above their year to date",
    findings: () =>
      all(normalizeBulletinByCountry(bulletinPage([GERMANY.with(3, "71,190,000")]), provenance)),
    shows: ["US$71.2 billion", "US$61.2 billion", "August 2023"],
    raw: { month: 71_190_000_000, yearToDate: 61_190_000_000 },
  },
  {
    check: "month-within-ytd",
    input: "table (6), crude oil's May quantity and value above their year to date",
    findings: () =>
      all(
        normalizeCommodityTable(commodityPage([CRUDE.with(2, "33,081.0").with(3, "258,016.0")]), provenance),
      ),
    shows: ["US$258.0 billion", "US$125.4 billion", "330.8 million tonnes", "218.4 million tonnes"],
    raw: { month: 258_016_000_000, yearToDate: 125_352_000_000 },
  },
  {
    check: "large-yoy",
    input: "the Bulletin, Germany's exports printed as up 150.2%",
    findings: () => all(normalizeBulletinByCountry(bulletinPage([GERMANY.with(8, "150.2")]), provenance)),
    shows: ["up 150.2%", "January–August 2023"],
  },
  {
    check: "large-yoy",
    input: "table (4), Russia's imports printed as up 120.0%",
    findings: () => all(normalizeTable4(table4Page(RUSSIA.with(8, "120.0")), { provenance })),
    shows: ["up 120.0%", "January–March 2026"],
  },
  {
    check: "yoy-recomputed",
    input: "table (6), crude oil's value y/y printed as 9.9% against 125,352.0 and 125,170.1",
    findings: () => all(normalizeCommodityTable(commodityPage([CRUDE.with(9, "9.9")]), provenance)),
    shows: ["9.9%", "US$125.4 billion", "US$125.2 billion"],
  },
  {
    check: "currency-agrees",
    input: "the Bulletin, title in yuan, unit row in dollars",
    findings: () =>
      all(
        normalizeBulletinByCountry(
          bulletinPage([GERMANY], {
            title: "(2) China's Total Export & Import Values by Country/Region, August 2023 (in CNY)",
          }),
          provenance,
        ),
      ),
  },
  {
    check: "columns",
    input: "the Bulletin, an exports column headed 7 in an August table",
    findings: () => all(normalizeBulletinByCountry(bulletinPage([GERMANY], { sub: "7" }), provenance)),
  },
  {
    check: "layout",
    input: "the Bulletin, a data row after the notes",
    findings: () =>
      all(
        normalizeBulletinByCountry(
          bulletinPage([GERMANY]).replace(
            "</table>",
            `<tr>${GERMANY.map((c) => `<td>${c}</td>`).join("")}</tr></table>`,
          ),
          provenance,
        ),
      ),
  },
  {
    check: "has-rows",
    input: "the Bulletin, every figure blank",
    findings: () =>
      all(
        normalizeBulletinByCountry(
          bulletinPage([["Germany", "-", "-", "-", "-", "-", "-", "-", "-", "-"]]),
          provenance,
        ),
      ),
  },
  {
    check: "duplicate-partner",
    input: "the Bulletin, Germany printed twice",
    findings: () => all(normalizeBulletinByCountry(bulletinPage([GERMANY, GERMANY]), provenance)),
  },
  {
    check: "partner-unmapped",
    input: "the Bulletin, a partner named Atlantis",
    findings: () =>
      all(normalizeBulletinByCountry(bulletinPage([GERMANY, ["Atlantis", ...GERMANY.slice(1)]]), provenance)),
  },
  {
    check: "duplicate-commodity",
    input: "table (6), crude oil printed twice",
    findings: () => all(normalizeCommodityTable(commodityPage([CRUDE, CRUDE]), provenance)),
  },
  {
    check: "quantity-unit",
    input: "table (6), crude oil in barrels",
    findings: () => all(normalizeCommodityTable(commodityPage([CRUDE.with(1, "Barrels")]), provenance)),
  },
  {
    check: "ytd-year-label",
    input: "table (6), the year-to-date column labelled 2025",
    findings: () =>
      all(
        normalizeCommodityTable(
          commodityPage([CRUDE], {
            groups: ["5", "1-5 Total, 2025", "1-5 Total, 2025", "1-5 Total, Year-On-Year(%)"],
          }),
          provenance,
        ),
      ),
  },
  {
    check: "prior-year-label",
    input: "GACC's table (6) of May 2026 (last year's column labelled 2024)",
    shared: true,
    findings: () =>
      all(
        normalizeCommodityTable(
          readShared(
            "gacc_english_site",
            "meridian_release_section6_major_imports_may2026_cny.html",
          ).toString(),
          provenance,
        ),
      ),
  },
  {
    check: "unit-cell-missing",
    input: "GACC's table (5) of April 2025 (rows lack the quantity-unit cell)",
    shared: true,
    findings: () =>
      all(
        normalizeCommodityTable(
          readShared(
            "gacc_english_site",
            "meridian_release_section5_major_exports_apr2025_usd.html",
          ).toString(),
          provenance,
        ),
      ),
  },
  {
    check: "quantity-unit-hint",
    input: "GACC's table (5) of April 2025 with units from its January–February table",
    shared: true,
    findings: () => {
      const page = (name: string) => readShared("gacc_english_site", name).toString();
      const hints = quantityUnitHints(
        normalizeCommodityTable(
          page("meridian_release_section5_major_exports_janfeb2025_cny.html"),
          provenance,
        ),
      );
      return all(
        normalizeCommodityTable(
          page("meridian_release_section5_major_exports_apr2025_usd.html"),
          provenance,
          {
            unitHints: hints,
          },
        ),
      );
    },
  },
  {
    check: "query-breakdown",
    input: "a query export broken down by customs regime",
    findings: async () =>
      all(
        await query(
          QUERY_HEADER.replace('"人民币",', '"贸易方式编码","贸易方式名称","人民币",'),
          BRAZIL.replace('"8,634,238,278",', '"10","一般贸易","8,634,238,278",'),
        ),
      ),
  },
  {
    check: "query-duplicate-rows",
    input: "a query export with Brazil's January row twice",
    findings: async () => all(await query(QUERY_HEADER, BRAZIL, BRAZIL)),
  },
  {
    check: "query-row-limit",
    input: "a query export of exactly 10,000 rows",
    findings: async () =>
      all(
        await query(
          QUERY_HEADER,
          ...Array.from({ length: 10_000 }, (_, i) =>
            BRAZIL.replace('"12019019"', `"${String(12_000_000 + i)}"`),
          ),
        ),
      ),
  },
  {
    check: "partner-name-mismatch",
    input: "a query export printing Brazil's code with the name of the United States",
    findings: async () => all(await query(QUERY_HEADER, BRAZIL.replace("巴西", "美国"))),
  },
  {
    check: "query-no-value",
    input: "a query export with a value printed as ?",
    findings: async () =>
      all(
        await query(
          QUERY_HEADER,
          BRAZIL,
          BRAZIL.replace('"202301"', '"202302"').replace('"8,634,238,278"', '"?"'),
        ),
      ),
  },
  {
    check: "query-unknown-unit",
    input: "a query export with a quantity in barrels (桶)",
    findings: async () => all(await query(QUERY_HEADER, BRAZIL.replace('"千克"', '"桶"'))),
  },
  // The publish guard: Imports from Russia, in US$ billion.
  {
    check: "value-moved",
    input: "October 2023 read ten times too large (a parser change re-read the page)",
    findings: () =>
      guardChart(published, testChart([pt("2023-08", 11.1), pt("2023-09", 10.4), pt("2023-10", 111)])),
    shows: ["US$11.1 billion", "US$111.0 billion", "October 2023", "up 900%"],
    raw: { published: 11_100_000_000, candidate: 111_000_000_000 },
  },
  {
    check: "points-lost",
    input: "September 2023 lost from the store",
    findings: () => guardChart(published, testChart([pt("2023-08", 11.1), pt("2023-10", 11.1)])),
    shows: ["September 2023"],
  },
  {
    check: "unit-changed",
    input: "the chart rebuilt in US$ million",
    findings: () =>
      guardChart(
        published,
        testChart([pt("2023-08", 11_100), pt("2023-09", 10_400), pt("2023-10", 11_100)], {
          unit: { currency: "USD", multiplier: 1e6, label: "US$ million" },
        }),
      ),
    shows: ["US$ billion", "US$ million"],
  },
  {
    check: "inconsistent",
    input: "a chart whose point names a release missing from its provenance",
    findings: () =>
      chartConsistency(testChart([pt("2023-08", 11.1), { ...pt("2023-09", 10.4), releaseId: "r9" }])),
  },
];

/** Words an editor should not meet in a sentence (they belong under "Details"). */
const ENGINEER =
  /LayoutChanged|partners\.json|registry|\bcat:|Error\b|undefined|NaN|\bnull\b|×|\bchartPeriod\b|\bprovenance\b|\bsha256\b/;
/** A raw base-unit figure: eight or more digits in a row (a formatted one has separators or a scale word). */
const RAW_NUMBER = /\d{8,}/;

describe("every check and guard reason, in an editor's words", () => {
  for (const c of CASES) {
    const run = c.shared && !sharedAvailable ? it.skip : it;
    run(`${c.check}: ${c.input}`, async () => {
      const findings = (await c.findings()).filter((f) => f.check === c.check);
      expect(findings.length, `a ${c.check} finding`).toBeGreaterThan(0);
      for (const f of findings) {
        expect(f.message).not.toMatch(RAW_NUMBER);
        expect(f.message).not.toMatch(ENGINEER);
      }
      // What the console, the API and the CLI show: the sentence and the held-back headline.
      const words = reasonTexts(findings, "2023-08");
      for (const w of [...words, heldBackHeadline({ period: "2023-08", reasons: findings })]) {
        expect(w).not.toMatch(RAW_NUMBER);
        expect(w).not.toMatch(ENGINEER);
      }
      const said = words.join(" ");
      if (process.env.SHOW_WORDS) console.log(`${c.check}:\n  ${words.join("\n  ")}`);
      for (const figure of c.shows ?? []) expect(said).toContain(figure);
      if (c.raw) {
        const kept = findings.find((f) =>
          Object.entries(c.raw ?? {}).every(([k, v]) => Math.abs((f.amounts?.[k] ?? Number.NaN) - v) < 1),
        );
        expect(kept, `raw values ${JSON.stringify(c.raw)} kept for Details`).toBeDefined();
      }
    });
  }

  it("has a case for every check rule and every guard reason", () => {
    const covered = new Set(CASES.map((c) => c.check));
    const guard = ["value-moved", "points-lost", "unit-changed", "inconsistent"];
    for (const id of [...CHECK_RULES.map((r) => r.id), ...guard]) expect(covered, id).toContain(id);
  });
});

describe("the API's refusals, in an editor's words", () => {
  it("an unexpected failure says what to do; the library's words go to error.detail", () => {
    const res = errorResponse(new Error("socket hang up (ECONNRESET) at TLSSocket.onHangUp"));
    const body = res.body as { error: { code: string; message: string; detail?: string } };
    expect(res.status).toBe(500);
    expect(body.error.message).toBe(
      "Something went wrong on our side. Nothing was changed by this request; try again, and tell an engineer if it keeps happening.",
    );
    expect(body.error.detail).toBe("Error: socket hang up (ECONNRESET) at TLSSocket.onHangUp");
  });

  it("a refusal's engineer detail stays out of its message", () => {
    const res = errorResponse(badRequest("The upload could not be read.", { detail: "Boundary not found" }));
    expect(res.body).toEqual({
      error: { code: "BAD_REQUEST", message: "The upload could not be read.", detail: "Boundary not found" },
    });
  });
});
