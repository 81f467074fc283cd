/**
 * Reading the periods GACC prints in table titles ("..., Mar 2026 (in CNY)", "January-February 2025")
 * and in column headers ("3", "1- to-3", "1-4 Total", "1-5 Total, 2025", "1-to-3 Total Year-on-Year (±%)").
 * Shared by every GACC table parser. Pure functions; undefined when a text is not understood.
 */

const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
] as const;

/** "Mar", "Mar.", "march", "Sept." → 3 / 9; undefined for anything else. */
export function monthNumber(word: string): number | undefined {
  const w = word.trim().replace(/\.$/, "").toLowerCase();
  if (w.length < 3) return undefined;
  if (w === "sept") return 9;
  const i = MONTH_NAMES.findIndex((name) => name === w || (w.length === 3 && name.startsWith(w)));
  return i < 0 ? undefined : i + 1;
}

export interface TitlePeriod {
  /** "2026-03", or "2025-01/02" for the combined January–February release. */
  period: string;
  year: number;
  /** The last month the release covers (2 for January–February). */
  month: number;
  janFeb: boolean;
}

/** A title's cumulative figures: year to date, or January–February in the combined release. */
export function cumulativeKind(title: TitlePeriod): "ytd" | "jan-feb" {
  return title.janFeb ? "jan-feb" : "ytd";
}

/** The period a figure of this kind covers: the title's month, or the span the title names. */
export function periodOfKind(title: TitlePeriod, kind: "month" | "ytd" | "jan-feb"): string {
  return kind === "month" ? formatPeriod(title.year, title.month) : title.period;
}

const MONTH_WORD = "([A-Za-z]{3,9})\\.?";
/** "Mar 2026", "May 2026", "Jan. 2018", "January-February 2025", "Jan.-Feb. 2025", "January and February 2025". */
const TITLE_PERIOD = new RegExp(
  `(?:^|[\\s,(])${MONTH_WORD}(?:\\s*(?:-|–|—|to|and)\\s*${MONTH_WORD})?[\\s,]+((?:19|20)\\d{2})\\b`,
  "g",
);

export function formatPeriod(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, "0")}`;
}

/**
 * The reference period of a table title. A range is accepted only for January–February, the one
 * combined release GACC makes; any other range (or no month at all) gives undefined.
 */
export function parseTitlePeriod(title: string): TitlePeriod | undefined {
  for (const m of title.matchAll(TITLE_PERIOD)) {
    const first = monthNumber(m[1] ?? "");
    if (first === undefined) continue;
    const year = Number(m[3]);
    if (m[2] === undefined) return { period: formatPeriod(year, first), year, month: first, janFeb: false };
    const last = monthNumber(m[2]);
    if (first === 1 && last === 2) return { period: `${year}-01/02`, year, month: 2, janFeb: true };
    return undefined;
  }
  return undefined;
}

export interface HeaderPeriod {
  /** "month": one month ("3", "Mar."); "cumulative": months fromMonth..toMonth ("1- to-3", "1-4 Total"). */
  span: "month" | "cumulative";
  fromMonth: number;
  toMonth: number;
  /** A year printed in the label ("1-5 Total, 2025"): the page's claim, to be checked, not trusted. */
  year?: number | undefined;
  /** The column holds year-on-year percentages ("Year-on-Year", "y/y", "±%"). */
  yoy: boolean;
}

const CUMULATIVE = /^(\d{1,2})\s*-\s*(?:to\s*-?\s*)?(\d{1,2})\b/i;
const YOY = /year[\s-]*on[\s-]*year|\by\/y\b|yoy|±\s*%|\(\s*%\s*\)/i;

/** Reads a column-header period label; undefined when the label names no period. */
export function parseHeaderPeriod(label: string): HeaderPeriod | undefined {
  const text = label.replace(/[\s\u00a0\u3000]+/g, " ").trim();
  const yoy = YOY.test(text);
  const yearMatch = /\b((?:19|20)\d{2})\b/.exec(text);
  const year = yearMatch ? Number(yearMatch[1]) : undefined;
  const range = CUMULATIVE.exec(text);
  if (range) {
    const fromMonth = Number(range[1]);
    const toMonth = Number(range[2]);
    if (fromMonth < 1 || toMonth > 12 || fromMonth > toMonth) return undefined;
    return { span: "cumulative", fromMonth, toMonth, year, yoy };
  }
  const single = /^(\d{1,2})$/.exec(text);
  if (single) {
    const month = Number(single[1]);
    if (month < 1 || month > 12) return undefined;
    return { span: "month", fromMonth: month, toMonth: month, yoy: false };
  }
  const named = /^([A-Za-z]{3,9})\.?(?:\s*,?\s*((?:19|20)\d{2}))?$/.exec(text);
  const month = named ? monthNumber(named[1] ?? "") : undefined;
  if (month !== undefined) return { span: "month", fromMonth: month, toMonth: month, year, yoy: false };
  return undefined;
}

/** A by-country table's title: "... Export & Import Values by Country/Region ..." (table (4), the
 * Bulletin's). Here, not in table4.ts, so matching index links loads no parser. */
export function isByCountryTitle(title: string): boolean {
  return /by\s+country/i.test(title) && /export/i.test(title) && /import/i.test(title);
}
