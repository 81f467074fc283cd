/**
 * Words for editors: the one place that says how releases, periods, currencies and amounts are named
 * in what an editor reads (API answers, the CLI, the console, which shows the API's sentences). Plain
 * functions over plain data; no engineer vocabulary (ids, stage names, counts) in what they return.
 */
import type { Currency, Resolution } from "./model.js";

/** Month names, January first: the one list that charts, sentences and editors' messages use. */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/**
 * "2023-09" → "September 2023"; "2023-01/02" → "January–February 2023" (without the year when
 * `withYear` is false); anything that is not a period as given.
 */
export function periodName(period: string, withYear = true): string {
  const m = /^(\d{4})-(\d{2})(?:\/(\d{2}))?$/.exec(period);
  const from = m ? MONTH_NAMES[Number(m[2]) - 1] : undefined;
  const to = m?.[3] === undefined ? undefined : MONTH_NAMES[Number(m[3]) - 1];
  if (!m || !from || (m[3] !== undefined && !to)) return period;
  const name = to ? `${from}–${to}` : from;
  return withYear ? `${name} ${m[1]}` : name;
}

/** Year to date up to a month: "2023-08" → "January–August 2023". */
export function yearToDateName(period: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(period);
  const month = m ? MONTH_NAMES[Number(m[2]) - 1] : undefined;
  if (!m || !month) return period;
  return m[2] === "01" ? `January ${m[1]}` : `January–${month} ${m[1]}`;
}

export function currencyName(c: Currency | string): string {
  return c === "USD" ? "US dollars" : c === "CNY" ? "yuan" : c;
}

const SOURCE_NAMES: Record<string, string> = {
  "gacc-preliminary": "Preliminary release",
  "gacc-bulletin": "Monthly Bulletin",
  "gacc-query-platform": "Query-platform export",
};

const TABLE_NAMES: Record<string, string> = {
  "by-country": "by country",
  "bulletin-by-country": "by country",
  "major-exports-by-quantity": "major exports",
  "major-imports-by-quantity": "major imports",
  "query-platform": "",
};

export interface NamedRelease {
  source: string;
  table: string;
  currency: string;
  period: string;
  declaredFlow?: string | undefined;
  fileName?: string | undefined;
  acceptance?: { resolution?: Resolution | undefined } | undefined;
}

/** The currency a release's figures are in: the editor's choice when they resolved a conflict. */
export function releaseCurrency(r: NamedRelease): string {
  return r.acceptance?.resolution?.currency?.currency ?? r.currency;
}

/**
 * A release as GACC names it: "Preliminary release, by country, September 2023, in US dollars";
 * an upload: "Query-platform export of China's imports, to August 2023 (harukaworks.csv)".
 */
export function releaseName(r: NamedRelease): string {
  const source = SOURCE_NAMES[r.source] ?? r.source;
  if (r.source === "gacc-query-platform") {
    const flow = r.declaredFlow ? ` of China's ${r.declaredFlow}` : "";
    return `${source}${flow}, to ${periodName(r.period)}${r.fileName ? ` (${r.fileName})` : ""}`;
  }
  const table = TABLE_NAMES[r.table] ?? r.table;
  return [source, table, periodName(r.period), `in ${currencyName(releaseCurrency(r))}`]
    .filter(Boolean)
    .join(", ");
}

/** How an accepted release was read, in words: "read in US dollars, as its title says". */
export function resolutionText(resolution: Resolution | undefined): string {
  const c = resolution?.currency;
  if (!c) return "figures used as printed";
  return `read in ${currencyName(c.currency)}, as its ${c.choice === "title" ? "title" : "unit row"} says`;
}

/** One decimal, thousands separators: 1234.56 → "1,234.6". */
export function oneDecimal(value: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** A chart value with its unit as the chart labels it: 11.53, "US$ billion" → "US$11.5 billion". */
export function chartAmount(value: number, unitLabel: string): string {
  const m = /^(US\$|CNY)\s*(.*)$/.exec(unitLabel);
  if (m?.[1] === "US$") return `US$${oneDecimal(value)} ${m[2]}`.trim();
  if (m?.[1] === "CNY") return `¥${oneDecimal(value)} ${m[2]}`.trim();
  return `${oneDecimal(value)} ${unitLabel}`.trim();
}

/**
 * An amount in base units (dollars, yuan) as a reader would say it: 17630000000000 CNY →
 * "¥17,630.0 billion"; 11500000000 USD → "US$11.5 billion".
 */
export function baseAmount(value: number, currency: Currency | string): string {
  const symbol = currency === "USD" ? "US$" : currency === "CNY" ? "¥" : "";
  const abs = Math.abs(value);
  const [divisor, word] = abs >= 1e9 ? [1e9, " billion"] : abs >= 1e6 ? [1e6, " million"] : [1, ""];
  const sign = value < 0 ? "-" : "";
  return `${sign}${symbol}${oneDecimal(abs / divisor)}${word}`;
}

export const plural = (n: number, word: string, many = `${word}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? word : many}`;
