/**
 * What each pipeline stage reports: read by the run's result (runs.ts), returned by the Lambda
 * handlers as the state machine's data, and read back from an execution's output.
 */

import type { GuardFinding } from "./chart-holds.js";
import type { ChartUse } from "./charts/usage.js";
import type { ChartNews } from "./facts/alert.js";
import type { CheckFinding, Release } from "./model.js";

export interface FetchedRelease {
  releaseId: string;
  rawKey: string;
  sha256: string;
  changed: boolean;
}

export interface FetchReport {
  indexPagesRead: number;
  releasesSeen: number;
  downloaded: number;
  releases: FetchedRelease[];
  unchanged: number;
  warnings: CheckFinding[];
  errors: Array<{ url: string; code: string; message: string }>;
  /** Pages not tried because the run's time budget ran out: the next run tries them (nothing recorded
   * for them, so nothing is lost). */
  deferred?: string[] | undefined;
  /** Set when this run fetched nothing at all, saying why: then nothing is published (the last good
   * charts stay), since charts rebuilt after a failed fetch could only be empty or stale. */
  nothingFetched?: string | undefined;
}

export interface NormalizeReport {
  releaseId: string;
  status: Release["status"] | "skipped";
  observationsParsed: number;
  observationsWritten: number;
  revisions: number;
  writeRequests: number;
  reasons: CheckFinding[];
  warnings: CheckFinding[];
  /** Written figures: what they hold and which charts draw such figures (or would, and what they
   * need). Set when the release was normalized or accepted. */
  chartUse?: ChartUse | undefined;
}

export interface HeldChart {
  chartId: string;
  reasons: GuardFinding[];
  /** sha256 of the chart JSON held back (what an editor accepts). */
  candidateSha256: string;
}

export interface PublishReport {
  chartsBuilt: number;
  filesWritten: string[];
  filesUnchanged: number;
  warnings: string[];
  /** Charts the publish guard held back this time: their files were not written. */
  held?: HeldChart[];
  /** Facts files written right after the charts, the facts new in this run, and the alert sent. */
  facts?: FactsReport;
  /** What changed in each chart written, against the version it replaced (read once, by publish). */
  chartChanges?: ChartChange[];
}

export interface FactsReport {
  /** Per chart, the facts first said in this run (empty when nothing is new). */
  news: ChartNews[];
  factsFilesWritten: string[];
  /** The alert this run sent (or would have, where no topic is configured). */
  alert?: { subject: string; body: string; sent: boolean; messageId?: string | undefined } | undefined;
}

/** A chart value keyed by series and point. */
export type ChartSnapshot = Record<string, Record<string, number>>;

export interface PointChange {
  series: string;
  /** Period ("2023-08") or, in ranked charts, "2026-03 RUS". */
  point: string;
  label: string;
  value: number;
  /** Before the run (revisions only). */
  previous?: number | undefined;
}

export interface ChartChange {
  chartId: string;
  title: string;
  newPoints: PointChange[];
  revisions: PointChange[];
  removedPoints: PointChange[];
  /** Totals before the lists were capped. */
  counts: { newPoints: number; revisions: number; removedPoints: number };
  latestPeriodBefore: string | null;
  latestPeriodAfter: string | null;
}
