/**
 * The preliminary-release index (/statics/report/preliminary.html, preliminary<YYYY>.html): one row per
 * table title, one cell per month holding a link or an unlinked <span>. Page URLs cannot be derived
 * from the date, so this page is the only way in.
 */
import { parse } from "node-html-parser";
import { LayoutChanged } from "../errors.js";
import type { Currency, Period } from "../model.js";
import { currencyInTitle } from "../units.js";
import { formatPeriod, monthNumber } from "./release-title.js";

export interface IndexLink {
  title: string;
  currency: Currency;
  year: number;
  month: number;
  /** "2023-08", or "2023-01/02" when the February cell holds the combined January–February release. */
  period: Period;
  /** The link as printed (often absolute to the GACC host). */
  href: string;
}

/** GACC's index pages: the preliminary release and the Monthly Bulletin share one layout. */
export type IndexPageKind = "preliminary" | "monthly";

/** Index page URL path for a year: the current year has no year suffix. */
export function indexPathFor(kind: IndexPageKind, year: number, currentYear: number): string {
  return year === currentYear ? `/statics/report/${kind}.html` : `/statics/report/${kind}${year}.html`;
}

/** The preliminary-release index path of a year: `preliminary.html` for the current year, else `preliminary<YYYY>.html`. */
export function preliminaryIndexPath(year: number, currentYear: number): string {
  return indexPathFor("preliminary", year, currentYear);
}

/** The Monthly Bulletin index path of a year: `monthly.html` for the current year, else `monthly<YYYY>.html`. */
export function monthlyIndexPath(year: number, currentYear: number): string {
  return indexPathFor("monthly", year, currentYear);
}

/**
 * The year an index page is for, from its year selector (the newest year listed): the current-year
 * page (preliminary.html) carries no year in its URL, and the clock may already be in a year GACC has
 * not published anything for.
 */
export function yearOfIndexPage(html: string): number | undefined {
  const years = parse(html)
    .querySelectorAll("select option")
    .map((o) => Number.parseInt(o.getAttribute("value") ?? o.text, 10))
    .filter((y) => y >= 2000 && y < 2200);
  return years.length > 0 ? Math.max(...years) : undefined;
}

/**
 * Every linked month of every table on an index page. `year` is the year the page was requested for.
 * `janFebCombined(title)` tells whether a February link stands for the combined Jan–Feb release.
 */
export function parseIndexPage(
  html: string,
  year: number,
  janFebCombined: (title: string) => boolean = () => true,
): IndexLink[] {
  const root = parse(html);
  const rows = root.querySelectorAll("table tr");
  const links: IndexLink[] = [];
  let sawTitles = 0;
  for (const tr of rows) {
    const cells = tr.querySelectorAll("td");
    const [titleCell, monthsCell] = cells;
    if (!titleCell || !monthsCell) continue;
    const title = titleCell.text.replace(/\s+/g, " ").trim();
    const currency = currencyInTitle(title);
    sawTitles++;
    if (!currency) continue;
    for (const a of monthsCell.querySelectorAll("a")) {
      const month = monthNumber(a.text);
      const href = a.getAttribute("href")?.trim();
      if (!month || !href) continue;
      const period = month === 2 && janFebCombined(title) ? `${year}-01/02` : formatPeriod(year, month);
      links.push({ title, currency, year, month, period, href });
    }
  }
  if (sawTitles === 0) {
    throw new LayoutChanged(
      `The preliminary-release index for ${year} has no table of titles and months: the site's layout may have changed`,
    );
  }
  return links;
}

/**
 * Resolves a link by its path against the configured base URL, so that a mirror works:
 * "http://english.customs.gov.cn/Statics/x.html" → "<base>/Statics/x.html".
 */
export function resolveAgainstBase(href: string, baseUrl: string): string {
  const cleaned = href.replace(/\\/g, "/");
  const path = /^[a-z]+:\/\//i.test(cleaned)
    ? new URL(cleaned).pathname
    : new URL(cleaned, "http://x/").pathname;
  // Relative to the base (not the host root) so a mirror under a path prefix works too.
  return new URL(path.replace(/^\/+/, ""), baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`).toString();
}
