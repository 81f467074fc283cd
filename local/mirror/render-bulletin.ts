/**
 * The Monthly Bulletin on the local GACC mirror: the project's own Bulletin sample pages
 * (data/samples/bulletin/*.html, served byte for byte) and the Bulletin's index pages in the real URL
 * layout, `/statics/report/monthly.html` for the mirror's current year and
 * `/statics/report/monthly<YYYY>.html` for the others, laid out like the preliminary index (one row
 * per title, one cell per month, a `monthlysel` year selector).
 *
 * The index rows are the titles of our sample pages without their period ("(2) China's Total Export &
 * Import Values by Country/Region (in USD)") and one unlinked title, so that a reader must pick its
 * table by title words. They are not a copy of GACC's Bulletin index, which we have no saved copy of.
 */
import { readFileSync } from "node:fs";
import { readReleasePage } from "../../functions/domain/gacc/html-table.js";
import { monthlyIndexPath } from "../../functions/domain/gacc/index-page.js";
import { parseTitlePeriod } from "../../functions/domain/gacc/release-title.js";
import { BULLETIN_BY_COUNTRY_TABLE } from "../../functions/domain/table-ids.js";
import { currencyInTitle } from "../../functions/domain/units.js";
import {
  GACC_ORIGIN,
  type IndexRow,
  indexTitleOf,
  type MirrorRelease,
  pageIdFor,
  renderYearIndex,
  SampleDataError,
  type SampleFile,
} from "./html.js";

export const BULLETIN_SAMPLES_DIR = new URL("../../data/samples/bulletin/", import.meta.url);
/**
 * The Bulletin samples the mirror serves by default. bulletin-2023-07-usd.html is left out on
 * purpose: its exports + imports differ from its total at page precision (figures rounded separately
 * by news reports), so the pipeline must hold it back; tests serve it explicitly when they want that.
 */
export const DEFAULT_BULLETIN_SAMPLES: readonly string[] = ["bulletin-2023-08-usd.html"];

/** Index rows listed but never linked. */
const UNLINKED_BULLETIN_TITLES = ["(1) China's Total Export & Import Values (in USD)"];

/** One Bulletin page on the mirror. */
export interface BulletinRelease extends MirrorRelease {
  table: typeof BULLETIN_BY_COUNTRY_TABLE;
  janFeb: boolean;
  /** The Bulletin index row that links it. */
  indexTitle: string;
  /** Date under the title ("2023/09/20"), if the page has one. */
  postedOn: string | undefined;
  /** The sample file, served unchanged. */
  sampleFile: string;
  body: string;
}

export function readBulletinSamples(names: readonly string[] = DEFAULT_BULLETIN_SAMPLES): SampleFile[] {
  return names.map((name) => ({ name, text: readFileSync(new URL(name, BULLETIN_SAMPLES_DIR), "utf8") }));
}

/** What a Bulletin sample page is, read from its own title. Throws SampleDataError if it cannot tell. */
export function bulletinReleaseOf(file: SampleFile): Omit<BulletinRelease, "indexPath"> {
  const page = readReleasePage(file.text, file.name);
  const title = page.pageTitle;
  const period = title ? parseTitlePeriod(title) : undefined;
  const currency = title ? currencyInTitle(title) : undefined;
  if (!title || !period || !currency) {
    throw new SampleDataError(
      `${file.name}: its title "${title ?? ""}" does not name a month and a currency ("..., August 2023 (in USD)")`,
    );
  }
  if (!file.text.includes("PROJECT SAMPLE")) {
    throw new SampleDataError(
      `${file.name}: a Bulletin sample must say in its header that it is the project's own`,
    );
  }
  const pageId = pageIdFor(BULLETIN_BY_COUNTRY_TABLE, currency, period.period);
  return {
    table: BULLETIN_BY_COUNTRY_TABLE,
    currency,
    period: period.period,
    year: period.year,
    month: period.month,
    janFeb: period.janFeb,
    title,
    indexTitle: indexTitleOf(title),
    pageId,
    path: `/Statics/${pageId}.html`,
    url: `${GACC_ORIGIN}/Statics/${pageId}.html`,
    postedOn: page.postedOn,
    sampleFile: file.name,
    body: file.text,
  };
}

/** The Bulletin index of `year`: our sample pages linked at their month, every other cell unlinked. */
export function renderMonthlyIndexPage(
  year: number,
  years: number[],
  currentYear: number,
  releases: readonly BulletinRelease[],
): string {
  const titles = [...new Set([...UNLINKED_BULLETIN_TITLES, ...releases.map((r) => r.indexTitle)])].sort();
  const rows: IndexRow[] = titles.map((title) => ({
    title,
    links: new Map(
      releases.filter((r) => r.indexTitle === title && r.year === year).map((r) => [r.month, r.url] as const),
    ),
  }));
  return renderYearIndex({
    heading: "Monthly Bulletin",
    selectId: "monthlysel",
    year,
    years,
    pathOf: (y) => monthlyIndexPath(y, currentYear),
    rows,
  });
}
