/**
 * The local GACC mirror's whole site, rendered from the project's samples in GACC's English site's
 * real URL layout:
 *
 * - one preliminary-release index per year (`/statics/report/preliminary.html` for the current year,
 *   `/statics/report/preliminary<YYYY>.html` for the others, from 2018), one row per table title and
 *   one cell per month: `<a href=http://english.customs.gov.cn/Statics/<id>.html> Mar.</a>` when we
 *   have a page, an unlinked `<span>Mar.</span>` when we do not;
 * - one table (4) "by Country/Region" page per (currency, period) of data/samples/published-figures.csv
 *   (sample.ts reads it, render-table4.ts renders the pages);
 * - one table (5)/(6) "Major Exports/Imports by Quantity and Value" page per commodity sample
 *   (data/samples/major-*.csv, render-commodity.ts), linked from its row of the preliminary index;
 * - the Monthly Bulletin (render-bulletin.ts): our Bulletin sample pages, served as they are, and
 *   Bulletin indexes `/statics/report/monthly.html` (current year) and `monthly<YYYY>.html`.
 *
 * The "current" year (the index without a year in its URL) is the newest year of any sample, for
 * the preliminary release and the Bulletin alike, unless the caller names one. Rendering is a pure
 * function of the samples: no clock, no randomness, the same bytes every time.
 */
import { monthlyIndexPath, preliminaryIndexPath } from "../../functions/domain/gacc/index-page.js";
import type { Currency } from "../../functions/domain/model.js";
import {
  GACC_ORIGIN,
  HTML,
  type IndexRow,
  type MirrorPage,
  pageIdFor,
  renderYearIndex,
  SampleDataError,
  type SampleFile,
} from "./html.js";
import {
  type BulletinRelease,
  bulletinReleaseOf,
  DEFAULT_BULLETIN_SAMPLES,
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
import { renderReleasePage, type SampleRelease, table4Releases } from "./render-table4.js";
import { parseSampleFigures, readSampleCsv, type SampleFigure } from "./sample.js";

export type { BulletinRelease } from "./render-bulletin.js";
export { DEFAULT_BULLETIN_SAMPLES } from "./render-bulletin.js";
export type { CommodityRelease, CommoditySampleRow } from "./render-commodity.js";
export { DEFAULT_COMMODITY_SAMPLES } from "./render-commodity.js";
export { type BlankedTotal, renderReleasePage, type SampleRelease } from "./render-table4.js";
export {
  DEFAULT_SAMPLE_CSV,
  type PeriodKind,
  parseSampleFigures,
  readSampleCsv,
  SAMPLE_COLUMNS,
  type SampleFigure,
} from "./sample.js";
export { GACC_ORIGIN, type MirrorPage, pageIdFor, SampleDataError, type SampleFile };

export const FIRST_INDEX_YEAR = 2018;

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

/** Every table (4) page the mirror serves, with what it holds. */
export function sampleReleases(options: MirrorRenderOptions = {}): SampleRelease[] {
  const { figures, currentYear } = loadSamples(options);
  return table4Releases(figures, currentYear);
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
  return withIndexPaths(commodity, preliminaryIndexPath, currentYear).sort(
    (a, b) => a.table.localeCompare(b.table) || byPeriod(a, b),
  );
}

/** Every Monthly Bulletin page the mirror serves; linked from the Bulletin index of its year. */
export function sampleBulletinReleases(options: MirrorRenderOptions = {}): BulletinRelease[] {
  const { bulletin, currentYear } = loadSamples(options);
  return withIndexPaths(bulletin, monthlyIndexPath, currentYear).sort(byPeriod);
}

// ---------------------------------------------------------------------------------------------
// The preliminary index and the site

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
    pathOf: (y) => preliminaryIndexPath(y, currentYear),
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
  const releases = table4Releases(samples.figures, currentYear);
  const commodity = withIndexPaths(samples.commodity, preliminaryIndexPath, currentYear).sort(
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
    add(
      preliminaryIndexPath(year, currentYear),
      renderIndexPage(year, years, currentYear, releases, commodity),
    );
  for (const release of releases) add(release.path, renderReleasePage(release));
  for (const release of commodity) add(release.path, renderCommodityPage(release));
  for (const year of years)
    add(monthlyIndexPath(year, currentYear), renderMonthlyIndexPage(year, years, currentYear, bulletin));
  for (const release of bulletin) add(release.path, release.body);
  return site;
}
