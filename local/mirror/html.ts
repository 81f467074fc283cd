/**
 * What every page of the local GACC mirror shares: page chrome, escaping, stable page ids, and the
 * year index layout that the preliminary release and the Monthly Bulletin both use on the real site
 * (a table with one row per title and one cell per month, and a year selector).
 *
 * Pure functions of their input: no clock, no randomness.
 */
import { createHash } from "node:crypto";
import type { Currency } from "../../functions/domain/model.js";

/** The host GACC's index pages link to; the fetcher resolves these links by path against its base URL. */
export const GACC_ORIGIN = "http://english.customs.gov.cn";
export const HTML = "text/html; charset=utf-8";

export interface MirrorPage {
  body: string | Uint8Array;
  contentType: string;
}

/** A sample file: its name (for messages) and its text. */
export interface SampleFile {
  name: string;
  text: string;
}

/** A sample that cannot be rendered without altering a published figure. Fix the sample. */
export class SampleDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SampleDataError";
  }
}

export const MONTH_ABBR = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];
/** The month cells of an index row, as printed ("May." included). */
export const INDEX_LABELS = MONTH_ABBR.map((m) => `${m}.`);

/** A UUID-shaped id derived from what the page is, so it never changes between runs. */
export function pageIdFor(table: string, currency: Currency, period: string): string {
  const h = createHash("sha256").update(`gacc-mirror|${table}|${currency}|${period}`).digest("hex");
  const variant = "89ab"[Number.parseInt(h.charAt(16), 16) % 4];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
export const nbsp = (n: number): string => "&nbsp;".repeat(n);

/** Thousands commas on a plain number, every printed digit kept ("51625.8" → "51,625.8"). */
export function withThousands(plain: string): string {
  const negative = plain.startsWith("-");
  const [int = "0", frac] = plain.replace(/^-/, "").split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${frac === undefined ? "" : `.${frac}`}`;
}

export function pageHead(title: string): string {
  return [
    "<!DOCTYPE html>",
    "<html>",
    "<head>",
    '    <meta charset="UTF-8">',
    `    <title>${esc(title)}</title>`,
    "</head>",
    "<body>",
    '    <div class="g-top"><div class="g-top-lks">Local GACC mirror: sample pages written by this project, not GACC pages</div></div>',
    '    <div class="g-m">',
  ].join("\n");
}

export const PAGE_FOOT = ["    </div>", "</body>", "</html>", ""].join("\n");

/** What every release page the mirror serves has: which release it is and where it sits. */
export interface MirrorRelease {
  currency: Currency;
  /** "2023-08", or "2023-01/02" for the combined January–February release. */
  period: string;
  year: number;
  /** Last month covered (2 for January–February): the index cell that links it. */
  month: number;
  /** The page's title as printed in div.atcl-ttl. */
  title: string;
  pageId: string;
  /** Path on the mirror ("/Statics/<id>.html"). */
  path: string;
  /** The link as the index prints it, absolute to the GACC host. */
  url: string;
  /** The index page that links it. */
  indexPath: string;
}

/** A release page as GACC lays one out: the title in div.atcl-ttl, the posting date, the table in div.atcl-cnt. */
export function articlePage(title: string, postedOn: string | undefined, table: string): string {
  return [
    pageHead(title),
    '        <div class="atcl">',
    '            <div class="atcl-main">',
    `                <div class="atcl-ttl">${esc(title)}</div>`,
    "            </div>",
    '            <div class="atcl-layout">',
    '                <div class="atcl-main">',
    ...(postedOn ? [`                    <div class="atcl-date">${postedOn}</div>`] : []),
    `                    <div class="atcl-cnt" style="overflow-x:auto">${table}</div>`,
    "                </div>",
    "            </div>",
    "        </div>",
    PAGE_FOOT,
  ].join("\n");
}

/** One row of a year index: a table title and the months that link a page (month → absolute link). */
export interface IndexRow {
  title: string;
  links: ReadonlyMap<number, string>;
}

export interface YearIndexOptions {
  /** The page's heading ("Preliminary Release", "Monthly Bulletin"). */
  heading: string;
  /** The year selector's id on the real site ("preliminarysel", "monthlysel"). */
  selectId: string;
  year: number;
  /** Every year with an index page, oldest first. */
  years: number[];
  /** The index page path of a year. */
  pathOf(year: number): string;
  rows: IndexRow[];
}

/**
 * A year's index page: one row per title, one cell per month holding
 * `<a href=http://english.customs.gov.cn/Statics/<id>.html> Mar.</a>` or an unlinked `<span>Mar.</span>`,
 * with a line break after June as on the real site, and a year selector (newest year first) from
 * which the fetcher reads the year of the current-year page (its URL has no year).
 */
export function renderYearIndex(o: YearIndexOptions): string {
  const rows = o.rows.map(({ title, links }) => {
    const cells = INDEX_LABELS.map((label, i) => {
      const url = links.get(i + 1);
      const cell = url ? `<a href=${url}> ${label}</a>` : `<span>${label}</span>`;
      return i === 5 ? `${cell}</br>` : cell;
    });
    return `<tr><td>${esc(title)}</td><td>${cells.join("")}</td></tr>`;
  });
  const newestFirst = [...o.years].reverse();
  const yearLinks = newestFirst.map((y) => `<a href="${o.pathOf(y)}">${y}</a>`).join(" ");
  return [
    pageHead(o.heading),
    '        <div class="nr-n-content-detail">',
    `            <div class="m-report-title"><span>Year</span><select id="${o.selectId}">${newestFirst
      .map((y) => `<option value="${y}">${y}</option>`)
      .join("")}</select> ${o.year} &middot; ${yearLinks}</div>`,
    `            <table><thead><tr><th>Title</th><th>Month</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`,
    "        </div>",
    PAGE_FOOT,
  ].join("\n");
}

/**
 * The title as an index row prints it: the page title without its period
 * ("..., May 2026 (in CNY)" → "... (in CNY)", "..., January-February 2025 (in CNY)" → "... (in CNY)").
 */
export function indexTitleOf(pageTitle: string): string {
  return pageTitle
    .replace(/,\s*[A-Za-z.\s-]+\s(?:19|20)\d{2}\s*(?=\(in\s)/i, " ")
    .replace(/\s+/g, " ")
    .trim();
}
