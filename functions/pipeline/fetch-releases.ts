/**
 * Stage 1, fetch: read the preliminary-release index pages, find the tables we know by title words,
 * and archive each release page not yet archived (or recently published, which GACC may still revise)
 * byte for byte. Unchanged bytes write nothing and trigger nothing downstream.
 */
import { describeError, UpstreamUnavailable } from "../domain/errors.js";
import {
  indexPathFor,
  parseIndexPage,
  resolveAgainstBase,
  yearOfIndexPage,
} from "../domain/gacc/index-page.js";
import type { Release } from "../domain/model.js";
import type { PageLimits, PageSource, RawStore, ReleaseStore } from "../domain/ports.js";
import type { FetchReport } from "../domain/reports.js";
import { sha256Hex } from "../domain/sha256.js";
import { INDEX_SOURCES, type IndexSource, releaseIdOf, tableOfTitle } from "../domain/tables.js";
import { archiveRelease } from "./archive.js";

export interface FetchDeps {
  pages: PageSource;
  raw: RawStore;
  releases: ReleaseStore;
  now: () => Date;
}

export interface FetchOptions {
  baseUrl: string;
  /** First year of index pages to read. */
  since: number;
  /** Re-download every known page, not only recent ones. */
  recheckAll?: boolean;
  /** How many of the newest periods per table are re-downloaded to catch revisions. */
  recheckRecent?: number;
  /**
   * Milliseconds this run may still spend downloading (the Lambda's remaining time less a reserve for
   * what follows the downloads). No download starts with less than MIN_PAGE_MS left; each page's
   * attempts are bounded by what is left. Absent: no limit (local runs).
   */
  remainingMs?: () => number;
}

/** A download is not started with less time left than this (the rest is left for the next run). */
export const MIN_PAGE_MS = 2_000;

/**
 * Why a fetch report counts as "fetched nothing", or undefined when something was fetched. Nothing
 * downloaded while pages failed, or no index page read at all: GACC (or the network) is down, the
 * allowlist refuses the site, or the layout changed past recognition.
 */
export function whyNothingFetched(report: FetchReport): string | undefined {
  if (report.downloaded > 0) return undefined;
  if (report.indexPagesRead === 0) {
    const first = report.errors[0];
    return `no index page could be read${first ? ` (${first.message})` : ""}`;
  }
  if (report.errors.length > 0) {
    return `none of the ${report.errors.length} pages tried could be downloaded (first: ${report.errors[0]?.message})`;
  }
  return undefined;
}

interface Candidate {
  releaseId: string;
  source: string;
  table: string;
  currency: Release["currency"];
  period: string;
  /** The link as the index page printed it (any host: it is only a hint, never fetched as is). */
  printedUrl: string;
  /** Where we fetch it from: its path on the configured base URL. */
  fetchUrl: string;
}

/** Periods sort as text: "2023-01/02" < "2023-03". */
function newestPeriods(candidates: Candidate[], n: number): Set<string> {
  const byTable = new Map<string, string[]>();
  for (const c of candidates) {
    const k = `${c.table}|${c.currency}`;
    byTable.set(k, [...(byTable.get(k) ?? []), c.releaseId]);
  }
  const recent = new Set<string>();
  for (const ids of byTable.values()) for (const id of ids.sort().slice(-n)) recent.add(id);
  return recent;
}

export async function fetchReleases(deps: FetchDeps, options: FetchOptions): Promise<FetchReport> {
  const report: FetchReport = {
    indexPagesRead: 0,
    releasesSeen: 0,
    downloaded: 0,
    releases: [],
    unchanged: 0,
    warnings: [],
    errors: [],
  };
  const currentYear = deps.now().getUTCFullYear();
  const candidates: Candidate[] = [];
  const remaining = options.remainingMs;
  /** Limits for the next page, or undefined when there is no time left to start one (then deferred). */
  const budget = (url: string): PageLimits | undefined => {
    if (!remaining) return {};
    const left = remaining();
    if (left >= MIN_PAGE_MS) return { deadline: Date.now() + left };
    report.deferred = [...(report.deferred ?? []), url];
    return undefined;
  };

  for (const source of INDEX_SOURCES) {
    for (let year = options.since; year <= currentYear; year++) {
      await readIndexPage(deps, options, source, year, currentYear, candidates, report, budget);
    }
  }
  report.releasesSeen = candidates.length;
  const recent = newestPeriods(candidates, options.recheckRecent ?? 2);

  for (const c of candidates) {
    const known = await deps.releases.getRelease(c.releaseId);
    if (known && !options.recheckAll && !recent.has(c.releaseId)) continue;
    const limits = budget(c.fetchUrl);
    if (!limits) continue;
    let page: Awaited<ReturnType<PageSource["get"]>>;
    try {
      page = await deps.pages.get(c.fetchUrl, limits);
    } catch (err) {
      report.errors.push({ url: c.fetchUrl, ...describeError(err) });
      continue;
    }
    report.downloaded++;
    const sha256 = sha256Hex(page.bytes);
    if (known && known.sha256 === sha256) {
      report.unchanged++;
      continue;
    }
    const release = await archiveRelease<Release>(deps, {
      bytes: page.bytes,
      contentType: page.contentType,
      sourceUrl: page.url,
      fetchedAt: deps.now().toISOString(),
      sha256,
      facts: {
        releaseId: c.releaseId,
        source: c.source,
        table: c.table,
        currency: c.currency,
        period: c.period,
        // Provenance is where the bytes came from (after redirects, every hop on the allowlist), never
        // what the index page printed: a tampered index must not put its own host into a chart.
        url: page.url,
        printedUrl: c.printedUrl === page.url ? undefined : c.printedUrl,
        previousSha256: known ? [...(known.previousSha256 ?? []), known.sha256] : undefined,
        // The observations stored (and published) are still those of the earlier bytes until the new
        // ones are normalized: say so, so a revision that gets quarantined does not hide them.
        normalizedSha256: known?.normalizedSha256,
      },
    });
    report.releases.push({ releaseId: c.releaseId, rawKey: release.rawKey, sha256, changed: true });
  }
  report.nothingFetched = whyNothingFetched(report);
  // Work a crashed run left behind (fetched but never normalized, or partly written) is handed on
  // again, so the next run completes it.
  for (const r of await deps.releases.listReleases()) {
    if (
      (r.status === "fetched" || r.status === "normalizing") &&
      !report.releases.some((x) => x.releaseId === r.releaseId)
    ) {
      report.releases.push({ releaseId: r.releaseId, rawKey: r.rawKey, sha256: r.sha256, changed: false });
    }
  }
  return report;
}

/** Lists the releases of one index page (one source, one year) as candidates to download. */
async function readIndexPage(
  deps: FetchDeps,
  options: FetchOptions,
  source: IndexSource,
  year: number,
  currentYear: number,
  candidates: Candidate[],
  report: FetchReport,
  budget: (url: string) => PageLimits | undefined,
): Promise<void> {
  const url = resolveAgainstBase(indexPathFor(source.indexPage, year, currentYear), options.baseUrl);
  const limits = budget(url);
  if (!limits) return;
  let html: string;
  try {
    const page = await deps.pages.get(url, limits);
    html = new TextDecoder("utf-8").decode(page.bytes);
  } catch (err) {
    if (err instanceof UpstreamUnavailable && err.status === 404) {
      report.warnings.push({
        check: "index-missing",
        message: `No ${source.indexPage} index page for ${year} yet (${url} is 404)`,
      });
    } else {
      report.errors.push({ url, ...describeError(err) });
    }
    return;
  }
  report.indexPagesRead++;
  try {
    // The current-year page (no year in its URL) says its year in its year selector.
    const pageYear = year === currentYear ? (yearOfIndexPage(html) ?? year) : year;
    for (const link of parseIndexPage(html, pageYear)) {
      const spec = tableOfTitle(source, link.title);
      if (!spec) continue;
      const releaseId = releaseIdOf(source.source, spec.table, link.currency, link.period);
      if (candidates.some((c) => c.releaseId === releaseId)) continue;
      let fetchUrl: string;
      try {
        fetchUrl = resolveAgainstBase(link.href, options.baseUrl);
      } catch {
        report.warnings.push({
          check: "index-link",
          message: `The ${link.period} link for "${link.title}" on ${url} is not a URL (${JSON.stringify(link.href.slice(0, 120))}); skipped`,
        });
        continue;
      }
      candidates.push({
        releaseId,
        source: source.name,
        table: spec.table,
        currency: link.currency,
        period: link.period,
        printedUrl: link.href,
        fetchUrl,
      });
    }
  } catch (err) {
    report.errors.push({ url, ...describeError(err) });
  }
}
