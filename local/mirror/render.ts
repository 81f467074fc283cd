/**
 * Renders the project's sample of published figures (data/samples/published-figures.csv) into pages
 * laid out like GACC's English site, in the real URL layout, for the local mirror:
 *
 * - one preliminary-release index per year (`/statics/report/preliminary.html` for the current year,
 *   `/statics/report/preliminary<YYYY>.html` for the others, from 2018), one row per table title and
 *   one cell per month: `<a href=http://english.customs.gov.cn/Statics/<id>.html> Mar.</a>` when we
 *   have a page, an unlinked `<span>Mar.</span>` when we do not;
 * - one table (4) "by Country/Region" page per (currency, period): 10 cells a row for a month, the
 *   7-cell layout for the combined January–February release (linked at February);
 * - one table (5)/(6) "Major Exports/Imports by Quantity and Value" page per commodity sample
 *   (data/samples/major-*.csv, render-commodity.ts), linked from its row of the preliminary index;
 * - the Monthly Bulletin (render-bulletin.ts): our Bulletin sample pages, served as they are, and
 *   Bulletin indexes `/statics/report/monthly.html` (current year) and `monthly<YYYY>.html`.
 *
 * The "current" year (the index without a year in its URL) is the newest year of any sample, for
 * the preliminary release and the Bulletin alike, unless the caller names one.
 *
 * Nothing is invented: a figure we do not have prints as `-`. Where published components and their
 * total cannot sit on one page (exports + imports ≠ total at the page's precision, as happens with
 * figures rounded differently by news reports), the page prints `-` for the total; the sample's note
 * column records every such case, and `sampleReleases()` lists them. Rendering is a pure function of
 * the CSV: no clock, no randomness, the same bytes every time.
 */
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { roundingTolerance } from "../../functions/domain/checks/index.js";
import { indexPath } from "../../functions/domain/gacc/index-page.js";
import type { Currency, Flow } from "../../functions/domain/model.js";
import { printedDecimals, scaleDecimal } from "../../functions/domain/numbers.js";
import { partners } from "../../functions/domain/partners.js";
import { BY_COUNTRY_TABLE } from "../../functions/domain/table-ids.js";
import {
  articlePage,
  esc,
  GACC_ORIGIN,
  HTML,
  type IndexRow,
  type MirrorPage,
  type MirrorRelease,
  MONTH_ABBR,
  nbsp,
  pageIdFor,
  renderYearIndex,
  SampleDataError,
  type SampleFile,
} from "./html.js";
import {
  type BulletinRelease,
  bulletinReleaseOf,
  DEFAULT_BULLETIN_SAMPLES,
  monthlyIndexPath,
  readBulletinSamples,
  renderMonthlyIndexPage,
} from "./render-bulletin.js";
import {
  type CommodityRelease,
  DEFAULT_COMMODITY_SAMPLES,
  parseCommoditySample,
  readCommoditySamples,
  renderCommodityPage,
} from "./render-commodity.js";

export type { BulletinRelease } from "./render-bulletin.js";
export { DEFAULT_BULLETIN_SAMPLES, monthlyIndexPath } from "./render-bulletin.js";
export type { CommodityRelease, CommoditySampleRow } from "./render-commodity.js";
export { DEFAULT_COMMODITY_SAMPLES } from "./render-commodity.js";
export { GACC_ORIGIN, type MirrorPage, pageIdFor, SampleDataError, type SampleFile };

export const DEFAULT_SAMPLE_CSV = new URL("../../data/samples/published-figures.csv", import.meta.url);
export const FIRST_INDEX_YEAR = 2018;

export type PeriodKind = "month" | "jan_feb" | "ytd";

/** One row of data/samples/published-figures.csv: one published figure with its source. */
export interface SampleFigure {
  /** "2023-08" (month or year-to-date to August) or "2023-01/02" (combined January–February). */
  period: string;
  periodKind: PeriodKind;
  currency: Currency;
  partnerAsPrinted: string;
  flow: Flow;
  /** The value exactly as published, in `unit` (thousands separators removed). */
  value: string;
  unit: string;
  /** y/y % as published (for month rows a single-month y/y, which table (4) does not print). */
  yoyPct: string;
  sourceUrl: string;
  sourceOutlet: string;
  sourceDate: string;
  note: string;
}

export interface BlankedTotal {
  partner: string;
  /** Which total the page prints as `-`. */
  kind: "month" | "ytd";
  /** The published total that was left off the page. */
  published: string;
}

/** One rendered table (4) release page. */
export interface SampleRelease extends MirrorRelease {
  table: typeof BY_COUNTRY_TABLE;
  janFeb: boolean;
  partners: string[];
  /** Totals printed as `-` because the published components do not add up to them at page precision. */
  blankedTotals: BlankedTotal[];
  figures: SampleFigure[];
}

export interface MirrorRenderOptions {
  /** The sample CSV's text; default: data/samples/published-figures.csv. */
  samplesCsv?: string;
  /**
   * The year whose index is `/statics/report/preliminary.html` (the "current" year on the real site).
   * Default: the newest year in the sample. A fetcher whose clock says another year should pass its year.
   */
  currentYear?: number;
  /** First year with an index page. Default 2018, as on the real site. */
  firstYear?: number;
  /**
   * Samples of tables (5)/(6): file names in data/samples/, or files. Default
   * DEFAULT_COMMODITY_SAMPLES (the May 2026 imports table in CNY); [] for none.
   */
  commoditySamples?: ReadonlyArray<string | SampleFile>;
  /**
   * Monthly Bulletin sample pages: file names in data/samples/bulletin/, or files. Default
   * DEFAULT_BULLETIN_SAMPLES, which leaves out the deliberately inconsistent July 2023 page; [] for none.
   */
  bulletinSamples?: ReadonlyArray<string | SampleFile>;
}

// ---------------------------------------------------------------------------------------------
// Reading the sample

export const SAMPLE_COLUMNS = [
  "period",
  "period_kind",
  "table_currency",
  "partner_as_printed",
  "flow",
  "value",
  "unit",
  "yoy_pct",
  "source_url",
  "source_outlet",
  "source_date",
  "note",
] as const;

/** Units the sample may use, as powers of ten of the currency's base unit. */
const SAMPLE_UNITS: Record<string, { currency: Currency; powerOfTen: number }> = {
  "USD bn": { currency: "USD", powerOfTen: 9 },
  "USD1 Million": { currency: "USD", powerOfTen: 6 },
  "CNY 100 Million": { currency: "CNY", powerOfTen: 8 },
};

/** The unit row each currency's table (4) page prints, as on the real site. */
const PAGE_UNITS: Record<Currency, { label: string; powerOfTen: number }> = {
  USD: { label: "Unit: USD1 Million", powerOfTen: 6 },
  CNY: { label: "Unit: CNY 100 Million", powerOfTen: 8 },
};

const FLOWS: Flow[] = ["total", "exports", "imports"];
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function readSampleCsv(url: URL = DEFAULT_SAMPLE_CSV): string {
  return readFileSync(url, "utf8");
}

/** Parses and checks the sample CSV. Throws SampleDataError naming the line of anything malformed. */
export function parseSampleFigures(csvText: string): SampleFigure[] {
  const parsed = Papa.parse<Record<string, string>>(csvText, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new SampleDataError(`The sample CSV does not parse (row ${e?.row}): ${e?.message}`);
  }
  const missing = SAMPLE_COLUMNS.filter((c) => !parsed.meta.fields?.includes(c));
  if (missing.length > 0) throw new SampleDataError(`The sample CSV lacks the columns ${missing.join(", ")}`);
  const seen = new Set<string>();
  return parsed.data.map((r, i) => {
    const line = i + 2;
    const get = (c: (typeof SAMPLE_COLUMNS)[number]) => (r[c] ?? "").trim();
    const kind = get("period_kind");
    const flow = get("flow");
    const currency = get("table_currency");
    const unit = get("unit");
    const period = get("period");
    const value = get("value");
    const yoy = get("yoy_pct");
    const where = `Sample CSV line ${line}`;
    if (kind !== "month" && kind !== "jan_feb" && kind !== "ytd")
      throw new SampleDataError(`${where}: period_kind "${kind}"`);
    if (!FLOWS.includes(flow as Flow)) throw new SampleDataError(`${where}: flow "${flow}"`);
    if (currency !== "USD" && currency !== "CNY")
      throw new SampleDataError(`${where}: table_currency "${currency}"`);
    const u = SAMPLE_UNITS[unit];
    if (!u || u.currency !== currency)
      throw new SampleDataError(`${where}: unit "${unit}" for a ${currency} table`);
    const periodOk =
      kind === "jan_feb" ? /^\d{4}-01\/02$/.test(period) : /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
    if (!periodOk) throw new SampleDataError(`${where}: period "${period}" for kind ${kind}`);
    if (!PLAIN_NUMBER.test(value))
      throw new SampleDataError(`${where}: value "${value}" is not a plain number`);
    if (yoy !== "" && !PLAIN_NUMBER.test(yoy)) throw new SampleDataError(`${where}: yoy_pct "${yoy}"`);
    if (!get("source_url") || !get("source_outlet"))
      throw new SampleDataError(`${where}: every figure needs its source`);
    const key = [currency, period, kind, get("partner_as_printed"), flow].join("|");
    if (seen.has(key))
      throw new SampleDataError(`${where}: a second figure for ${key}; choose one and say so in note`);
    seen.add(key);
    return {
      period,
      periodKind: kind,
      currency,
      partnerAsPrinted: get("partner_as_printed"),
      flow: flow as Flow,
      value,
      unit,
      yoyPct: yoy,
      sourceUrl: get("source_url"),
      sourceOutlet: get("source_outlet"),
      sourceDate: get("source_date"),
      note: get("note"),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Numbers: exact decimal shifts, never float arithmetic on published figures

/** Moves the decimal point of a plain number `shift` places to the right (left when negative). */
function shiftDecimal(value: string, shift: number): string {
  const negative = value.startsWith("-");
  const [intPart = "0", fracPart = ""] = value.replace(/^-/, "").split(".");
  let digits = intPart + fracPart;
  let point = intPart.length + shift;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits.padEnd(point, "0");
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, "") || "0";
  const frac = digits.slice(point);
  return `${negative ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

/** GACC's way: thousands commas, at least one decimal ("11500" → "11,500.0"). Keeps every published digit. */
function gaccNumber(plain: string): string {
  const negative = plain.startsWith("-");
  const [int = "0", frac = ""] = plain.replace(/^-/, "").split(".");
  const trimmed = frac.replace(/0+$/, "");
  const decimals = trimmed.length > 0 ? trimmed : "0";
  return `${negative ? "-" : ""}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${decimals}`;
}

/** A sample value as the page prints it in the page's unit. */
function pageCell(figure: SampleFigure): string {
  const from = SAMPLE_UNITS[figure.unit];
  if (!from) throw new SampleDataError(`Unknown unit "${figure.unit}"`);
  return gaccNumber(shiftDecimal(figure.value, from.powerOfTen - PAGE_UNITS[figure.currency].powerOfTen));
}

// ---------------------------------------------------------------------------------------------
// Releases

const GACC_PAGE =
  /^https?:\/\/english\.customs\.gov\.cn\/Statics\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.html$/i;

function titleFor(currency: Currency, year: number, month: number, janFeb: boolean): string {
  const when = janFeb ? `January-February ${year}` : `${MONTH_ABBR[month - 1]} ${year}`;
  return `(4) China's Total Export & Import Values by Country/Region, ${when} (in ${currency})`;
}

/** Every sample the mirror renders, read and checked, with the year the site treats as current. */
interface LoadedSamples {
  figures: SampleFigure[];
  commodity: Array<Omit<CommodityRelease, "indexPath">>;
  bulletin: Array<Omit<BulletinRelease, "indexPath">>;
  currentYear: number;
}

const filesOf = (
  given: ReadonlyArray<string | SampleFile> | undefined,
  defaults: readonly string[],
  read: (names: readonly string[]) => SampleFile[],
): SampleFile[] => (given ?? defaults).map((f) => (typeof f === "string" ? (read([f])[0] as SampleFile) : f));

function loadSamples(options: MirrorRenderOptions): LoadedSamples {
  const figures = parseSampleFigures(options.samplesCsv ?? readSampleCsv());
  const commodity = filesOf(options.commoditySamples, DEFAULT_COMMODITY_SAMPLES, readCommoditySamples).map(
    parseCommoditySample,
  );
  const bulletin = filesOf(options.bulletinSamples, DEFAULT_BULLETIN_SAMPLES, readBulletinSamples).map(
    bulletinReleaseOf,
  );
  // The year the site treats as current: the newest year of any sample unless told otherwise.
  const currentYear =
    options.currentYear ??
    Math.max(
      FIRST_INDEX_YEAR,
      ...figures.map((f) => Number(f.period.slice(0, 4))),
      ...commodity.map((r) => r.year),
      ...bulletin.map((r) => r.year),
    );
  return { figures, commodity, bulletin, currentYear };
}

/** Which totals a page must print as `-`: components and total disagree beyond the page's rounding. */
function blankedTotalsOf(partner: string, figs: SampleFigure[], monthKind: PeriodKind): BlankedTotal[] {
  const blanked: BlankedTotal[] = [];
  for (const kind of [monthKind, "ytd"] as const) {
    const byFlow = (flow: Flow) => figs.find((f) => f.periodKind === kind && f.flow === flow);
    const total = byFlow("total");
    const exports = byFlow("exports");
    const imports = byFlow("imports");
    if (!total || !exports || !imports) continue;
    const pow = PAGE_UNITS[total.currency].powerOfTen;
    const cells = [total, exports, imports].map(pageCell);
    const [t, e, i] = cells.map((c) => scaleDecimal(c, pow, "sample") ?? 0);
    const decimals = Math.max(...cells.map(printedDecimals));
    if (Math.abs((e ?? 0) + (i ?? 0) - (t ?? 0)) > roundingTolerance(decimals, pow, 3)) {
      blanked.push({ partner, kind: kind === "ytd" ? "ytd" : "month", published: total.value });
    }
  }
  return blanked;
}

/** A month figure above its year-to-date figure would be blocked by the parser: the sample is wrong. */
function checkMonthWithinYtd(partner: string, figs: SampleFigure[]): void {
  for (const flow of FLOWS) {
    const month = figs.find((f) => f.periodKind === "month" && f.flow === flow);
    const ytd = figs.find((f) => f.periodKind === "ytd" && f.flow === flow);
    if (!month || !ytd) continue;
    const pow = PAGE_UNITS[month.currency].powerOfTen;
    const m = scaleDecimal(pageCell(month), pow, "sample") ?? 0;
    const y = scaleDecimal(pageCell(ytd), pow, "sample") ?? 0;
    if (m > y) {
      throw new SampleDataError(
        `${partner} ${flow} ${month.period}: the month figure ${month.value} exceeds the year-to-date ${ytd.value}; a page cannot print both`,
      );
    }
  }
}

function buildReleases(figures: SampleFigure[], currentYear: number): SampleRelease[] {
  const groups = new Map<string, SampleFigure[]>();
  for (const f of figures) {
    const key = `${f.currency}|${f.period}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const releases: SampleRelease[] = [];
  for (const figs of groups.values()) {
    const first = figs[0];
    if (!first) continue;
    const { currency, period } = first;
    const janFeb = period.endsWith("/02");
    const year = Number(period.slice(0, 4));
    const month = janFeb ? 2 : Number(period.slice(5, 7));
    const kinds = new Set(figs.map((f) => f.periodKind));
    if (janFeb ? kinds.has("month") || kinds.has("ytd") : kinds.has("jan_feb")) {
      throw new SampleDataError(`${currency} ${period}: period_kind does not fit the period`);
    }
    const partnerNames = [...new Set(figs.map((f) => f.partnerAsPrinted))];
    const blankedTotals: BlankedTotal[] = [];
    for (const p of partnerNames) {
      const pf = figs.filter((f) => f.partnerAsPrinted === p);
      checkMonthWithinYtd(p, pf);
      blankedTotals.push(...blankedTotalsOf(p, pf, janFeb ? "jan_feb" : "month"));
    }
    // A page transcribed from one real GACC page keeps that page's id; others get a stable made-up one.
    const sources = new Set(figs.map((f) => f.sourceUrl));
    const realId = sources.size === 1 ? GACC_PAGE.exec(first.sourceUrl)?.[1] : undefined;
    const pageId = realId ?? pageIdFor(BY_COUNTRY_TABLE, currency, period);
    releases.push({
      table: BY_COUNTRY_TABLE,
      currency,
      period,
      year,
      month,
      janFeb,
      title: titleFor(currency, year, month, janFeb),
      pageId,
      path: `/Statics/${pageId}.html`,
      url: `${GACC_ORIGIN}/Statics/${pageId}.html`,
      indexPath: indexPath(year, currentYear),
      partners: partnerNames,
      blankedTotals,
      figures: figs,
    });
  }
  return releases.sort((a, b) => a.currency.localeCompare(b.currency) || a.period.localeCompare(b.period));
}

/** Every table (4) page the mirror serves, with what it holds. */
export function sampleReleases(options: MirrorRenderOptions = {}): SampleRelease[] {
  const { figures, currentYear } = loadSamples(options);
  return buildReleases(figures, currentYear);
}

function withIndexPaths<T extends { year: number }>(
  releases: T[],
  pathOf: (year: number, currentYear: number) => string,
  currentYear: number,
): Array<T & { indexPath: string }> {
  return releases.map((r) => ({ ...r, indexPath: pathOf(r.year, currentYear) }));
}

const byPeriod = (a: { currency: string; period: string }, b: { currency: string; period: string }) =>
  a.period.localeCompare(b.period) || a.currency.localeCompare(b.currency);

/** Every table (5)/(6) page the mirror serves, with what it holds; linked from the preliminary index. */
export function sampleCommodityReleases(options: MirrorRenderOptions = {}): CommodityRelease[] {
  const { commodity, currentYear } = loadSamples(options);
  return withIndexPaths(commodity, indexPath, currentYear).sort(
    (a, b) => a.table.localeCompare(b.table) || byPeriod(a, b),
  );
}

/** Every Monthly Bulletin page the mirror serves; linked from the Bulletin index of its year. */
export function sampleBulletinReleases(options: MirrorRenderOptions = {}): BulletinRelease[] {
  const { bulletin, currentYear } = loadSamples(options);
  return withIndexPaths(bulletin, monthlyIndexPath, currentYear).sort(byPeriod);
}

// ---------------------------------------------------------------------------------------------
// HTML

/**
 * Members GACC lists under a grouping's "of which:" row, from the groupings' definitions in the notes
 * of its table (4) pages. Rows after an "of which:" row are indented as members while they belong here.
 */
const GROUPING_MEMBERS: Record<string, string[]> = {
  "European Union": [
    "Belgium",
    "Denmark",
    "Germany",
    "France",
    "Ireland",
    "Italy",
    "Luxembourg",
    "Netherlands",
    "Greece",
    "Portugal",
    "Spain",
    "Austria",
    "Finland",
    "Sweden",
    "Cyprus",
    "Hungary",
    "Malta",
    "Poland",
    "Estonia",
    "Latvia",
    "Lithuania",
    "Slovenia",
    "Czech Republic",
    "Slovakia",
    "Bulgaria",
    "Romania",
    "Croatia",
  ],
  ASEAN: [
    "Brunei",
    "Myanmar",
    "Cambodia",
    "Indonesia",
    "Laos",
    "Malaysia",
    "Philippines",
    "Singapore",
    "Thailand",
    "Vietnam",
  ],
};

const OF_WHICH = /^of\s+which\s*:\s*/i;

/** Indentation (in &nbsp;) for each row, the way GACC shows its hierarchy. */
function indentsOf(names: string[]): number[] {
  let parent: string | undefined;
  let inMembers = false;
  return names.map((name) => {
    if (OF_WHICH.test(name)) {
      inMembers = true;
      return 9;
    }
    if (inMembers && parent && GROUPING_MEMBERS[parent]?.includes(name)) return 17;
    inMembers = false;
    parent = name;
    return partners.byPrintedName(name)?.code === "WORLD" ? 0 : 3;
  });
}

const valueTd = (text: string) =>
  `\t\t\t<td align="right" class="style6">\n\t\t\t\t<span><b>${text}&nbsp;</b></span>\n\t\t\t</td>`;
const yoyTd = (text: string) =>
  `\t\t\t<td align="right" class="style7">\n\t\t\t\t<span><b>${text}</b></span>\n\t\t\t</td>`;
const headTd = (text: string, colspan = 1) =>
  `\t\t\t<td${colspan > 1 ? ` colspan="${colspan}"` : ""} align="center" class="style3" bgcolor="#C0C0C0">\n\t\t\t\t<span><b>${text}</b></span>\n\t\t\t</td>`;
const tr = (cells: string[]) => `\t\t<tr>\n${cells.join("\n")}\n\t\t</tr>`;

function noteFor(release: SampleRelease): string {
  const sources = [...new Set(release.figures.map((f) => f.sourceUrl))];
  const transcribed = release.figures.every((f) => /^GACC\b/.test(f.sourceOutlet));
  const lines = transcribed
    ? [
        `1. Figures transcribed by the project from GACC's published page (${esc(sources.join("; "))}); the page around them is the project's own.`,
      ]
    : [
        "1. Sample page rendered by the project for its local mirror, not a GACC page. Its figures are those published in news reports citing GACC data; each figure's source is in data/samples/published-figures.csv.",
        "2. Single-month year-on-year changes are not printed in this table; news reports' monthly y/y figures are kept in the sample only.",
      ];
  lines.push(
    `${lines.length + 1}. "-": not published, or (for a total) left out because the published components do not add up to it at this page's precision; see the sample's note column.`,
  );
  return `Note:<br />\n${lines.join("<br />\n")}`;
}

/** One table (4) page, in the month (10 cells) or January–February (7 cells) layout. */
export function renderReleasePage(release: SampleRelease): string {
  const { janFeb, month, currency } = release;
  const cols = janFeb ? 7 : 10;
  const ytdLabel = `1-to-${month}`;
  const header1 = janFeb
    ? [headTd("Import Source"), headTd("Export &amp; Import"), headTd("Export"), headTd("Import")]
    : [
        headTd("Import Source"),
        headTd("Export &amp; Import"),
        headTd("Export &amp; Import"),
        headTd("Export"),
        headTd("Export"),
        headTd("Import"),
        headTd("Import"),
      ];
  header1.push(headTd(`${ytdLabel} Total Year-on-Year (±%)`, 3));
  const header2 = janFeb
    ? [headTd("Export Destination"), headTd("1- to-2"), headTd("1-to-2"), headTd("1-to-2")]
    : [
        headTd("Export Destination"),
        ...[0, 1, 2].flatMap(() => [headTd(String(month)), headTd(`1- to-${month}`)]),
      ];
  header2.push(headTd("Export &amp; Import"), headTd("Export"), headTd("Import"));

  const indents = indentsOf(release.partners);
  const blanked = new Set(release.blankedTotals.map((b) => `${b.partner}|${b.kind}`));
  const monthKind: PeriodKind = janFeb ? "jan_feb" : "month";
  const dataRows = release.partners.map((partner, i) => {
    const figs = release.figures.filter((f) => f.partnerAsPrinted === partner);
    const value = (kind: PeriodKind, flow: Flow) => {
      const f = figs.find((x) => x.periodKind === kind && x.flow === flow);
      if (!f) return "-";
      if (flow === "total" && blanked.has(`${partner}|${kind === "ytd" ? "ytd" : "month"}`)) return "-";
      return pageCell(f);
    };
    // The y/y columns are year-to-date (or January–February) changes, printed where published.
    const yoy = (flow: Flow) =>
      figs.find((x) => x.periodKind === (janFeb ? "jan_feb" : "ytd") && x.flow === flow)?.yoyPct || "-";
    const values = janFeb
      ? FLOWS.map((flow) => value(monthKind, flow))
      : FLOWS.flatMap((flow) => [value(monthKind, flow), value("ytd", flow)]);
    const nameTd = `\t\t\t<td class="style10">\n\t\t\t\t<span>${nbsp(indents[i] ?? 0)}${esc(partner)}</span>\n\t\t\t</td>`;
    return tr([nameTd, ...values.map(valueTd), ...FLOWS.map((flow) => yoyTd(yoy(flow)))]);
  });

  const posted = release.figures.every((f) => /^GACC\b/.test(f.sourceOutlet))
    ? release.figures[0]?.sourceDate.replace(/-/g, "/")
    : undefined;
  const table = [
    `<table style="border-collapse:collapse;" border="0" cellspacing="0" class="ke-zeroborder">`,
    "\t<tbody>",
    tr([
      `\t\t\t<td colspan="${cols}" align="left" class="style1" bgcolor="#C0C0C0">\n\t\t\t\t<span><b>${esc(release.title)}</b></span>\n\t\t\t</td>`,
    ]),
    tr([
      `\t\t\t<td colspan="${cols}" align="right" class="style2">\n\t\t\t\t<span><b>${PAGE_UNITS[currency].label}</b></span>\n\t\t\t</td>`,
    ]),
    tr(header1),
    tr(header2),
    ...dataRows,
    tr([
      `\t\t\t<td colspan="${cols}" align="left" class="style14">\n\t\t\t\t<span>${noteFor(release)}</span>\n\t\t\t</td>`,
    ]),
    "\t</tbody>",
    "</table>",
  ].join("\n");

  return articlePage(release.title, posted, table);
}

/** Index rows, in the real site's order: table (4) links our table (4) pages, tables (5)/(6) our commodity pages. */
const INDEX_TITLES: Array<{ title: string; byCountry?: Currency }> = [
  { title: "(1) China's Total Export & Import Values (in CNY)" },
  { title: "(1) China's Total Export & Import Values (in USD)" },
  { title: "(2) China's Total Export & Import Values by Trade Mode (in CNY)" },
  { title: "(2) China's Total Export & Import Values by Trade Mode (in USD)" },
  { title: "(4) China's Total Export & Import Values by Country/Region (in CNY)", byCountry: "CNY" },
  { title: "(4) China's Total Export & Import Values by Country/Region (in USD)", byCountry: "USD" },
  { title: "(5) China's Major Exports by Quantity and Value (in CNY)" },
  { title: "(5) China's Major Exports by Quantity and Value (in USD)" },
  { title: "(6) China's Major Imports by Quantity and Value (in CNY)" },
  { title: "(6) China's Major Imports by Quantity and Value (in USD)" },
  { title: "(7) Statistics Bulletin on Freight Supervision" },
];

/**
 * The preliminary index of `year`: linked months where the sample has a table (4) page or a
 * commodity page (matched to its row by `indexTitle`), `<span>` elsewhere.
 */
export function renderIndexPage(
  year: number,
  years: number[],
  currentYear: number,
  releases: SampleRelease[],
  commodityReleases: ReadonlyArray<Pick<CommodityRelease, "indexTitle" | "year" | "month" | "url">> = [],
): string {
  const rows: IndexRow[] = INDEX_TITLES.map(({ title, byCountry }) => {
    const links = new Map<number, string>();
    for (const r of releases) {
      if (byCountry && r.currency === byCountry && r.year === year && !links.has(r.month))
        links.set(r.month, r.url);
    }
    for (const r of commodityReleases) {
      if (r.indexTitle === title && r.year === year && !links.has(r.month)) links.set(r.month, r.url);
    }
    return { title, links };
  });
  return renderYearIndex({
    heading: "Preliminary Release",
    selectId: "preliminarysel",
    year,
    years,
    pathOf: (y) => indexPath(y, currentYear),
    rows,
  });
}

/**
 * The whole mirror site: path (as the real site spells it) → page. Preliminary and Bulletin index
 * pages for every year from `firstYear` to the current year; one page per sample release. Same
 * input, same bytes.
 */
export function renderMirrorSite(options: MirrorRenderOptions = {}): Map<string, MirrorPage> {
  const samples = loadSamples(options);
  const { currentYear } = samples;
  const releases = buildReleases(samples.figures, currentYear);
  const commodity = withIndexPaths(samples.commodity, indexPath, currentYear).sort(
    (a, b) => a.table.localeCompare(b.table) || byPeriod(a, b),
  );
  const bulletin = withIndexPaths(samples.bulletin, monthlyIndexPath, currentYear).sort(byPeriod);
  for (const r of commodity) {
    if (!INDEX_TITLES.some((t) => t.title === r.indexTitle))
      throw new SampleDataError(`${r.sampleFile}: no row "${r.indexTitle}" on the preliminary index`);
  }
  const firstYear = options.firstYear ?? FIRST_INDEX_YEAR;
  const lastYear = Math.max(currentYear, ...[...releases, ...commodity, ...bulletin].map((r) => r.year));
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  const site = new Map<string, MirrorPage>();
  const add = (path: string, body: string) => {
    if (site.has(path)) throw new SampleDataError(`Two pages share the path ${path}`);
    site.set(path, { body, contentType: HTML });
  };
  for (const year of years)
    add(indexPath(year, currentYear), renderIndexPage(year, years, currentYear, releases, commodity));
  for (const release of releases) add(release.path, renderReleasePage(release));
  for (const release of commodity) add(release.path, renderCommodityPage(release));
  for (const year of years)
    add(monthlyIndexPath(year, currentYear), renderMonthlyIndexPage(year, years, currentYear, bulletin));
  for (const release of bulletin) add(release.path, release.body);
  return site;
}
