/**
 * Table (4) "by Country/Region" pages for the local GACC mirror: one page per (currency, period) of
 * the sample (sample.ts), 10 cells a row for a month, the 7-cell layout for the combined
 * January–February release (linked at February).
 *
 * Nothing is invented: a figure we do not have prints as `-`. Where published components and their
 * total cannot sit on one page (exports + imports ≠ total at the page's precision, as happens with
 * figures rounded differently by news reports), the page prints `-` for the total; the sample's note
 * column records every such case, and each release lists them in `blankedTotals`.
 */
import { monthExceedsYtd, roundingTolerance } from "../../functions/domain/checks/index.js";
import { preliminaryIndexPath } from "../../functions/domain/gacc/index-page.js";
import type { Currency, Flow } from "../../functions/domain/model.js";
import { printedDecimals, scaleDecimal } from "../../functions/domain/numbers.js";
import { partners } from "../../functions/domain/partners.js";
import { BY_COUNTRY_TABLE } from "../../functions/domain/table-ids.js";
import {
  articlePage,
  esc,
  GACC_ORIGIN,
  type MirrorRelease,
  MONTH_ABBR,
  nbsp,
  pageIdFor,
  SampleDataError,
  withThousands,
} from "./html.js";
import { FLOWS, type PeriodKind, SAMPLE_UNITS, type SampleFigure } from "./sample.js";

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

/** The unit row each currency's table (4) page prints, as on the real site. */
const PAGE_UNITS: Record<Currency, { label: string; powerOfTen: number }> = {
  USD: { label: "Unit: USD1 Million", powerOfTen: 6 },
  CNY: { label: "Unit: CNY 100 Million", powerOfTen: 8 },
};

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
  const [whole = "0", frac = ""] = plain.split(".");
  return withThousands(`${whole}.${frac.replace(/0+$/, "") || "0"}`);
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
function refuseMonthAboveYtd(partner: string, figs: SampleFigure[]): void {
  for (const flow of FLOWS) {
    const month = figs.find((f) => f.periodKind === "month" && f.flow === flow);
    const ytd = figs.find((f) => f.periodKind === "ytd" && f.flow === flow);
    if (!month || !ytd) continue;
    const pow = PAGE_UNITS[month.currency].powerOfTen;
    if (
      monthExceedsYtd(
        scaleDecimal(pageCell(month), pow, "sample") ?? 0,
        scaleDecimal(pageCell(ytd), pow, "sample") ?? 0,
      )
    ) {
      throw new SampleDataError(
        `${partner} ${flow} ${month.period}: the month figure ${month.value} exceeds the year-to-date ${ytd.value}; a page cannot print both`,
      );
    }
  }
}

/** The table (4) releases of the sample, one per (currency, period), linked from the index of their year. */
export function table4Releases(figures: SampleFigure[], currentYear: number): SampleRelease[] {
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
      refuseMonthAboveYtd(p, pf);
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
      indexPath: preliminaryIndexPath(year, currentYear),
      partners: partnerNames,
      blankedTotals,
      figures: figs,
    });
  }
  return releases.sort((a, b) => a.currency.localeCompare(b.currency) || a.period.localeCompare(b.period));
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
