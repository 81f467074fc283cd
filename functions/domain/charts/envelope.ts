/**
 * The chart file graphics load: documented by data/schema/chart.schema.json, field by field in
 * docs/graphics.md. Schema version 2: explicit gaps, Jan–Feb averages, a release on every point,
 * caveat codes on computed changes.
 */
import type { Currency, Vintage } from "../model.js";

export const CHART_SCHEMA_VERSION = 2;

/** Why a point in a series' span has no value (the line breaks there; nothing is interpolated). */
export type MissingReason =
  /** A release for the period is stored, but it prints no figure for this series. */
  | "not-published"
  /** No release for the period is stored (not out yet when the span ends there, or never fetched). */
  | "not-fetched"
  /** A release for the period was held back by a check and waits for an editor. */
  | "held-back";

/**
 * Why a computed change needs care before it is printed. One code per reason; the chart's
 * `warnings` say the same in words.
 */
export type CaveatCode =
  /** |y/y| beyond 100%. */
  | "yoy-over-100"
  /** The base (last year's value) was published so rounded that the change may be off by a point or more. */
  | "base-rounded"
  /** The base was revised after first publication. */
  | "base-revised"
  /** The base is a combined January–February figure (so is this point's). */
  | "base-combined"
  /** The base is under a tenth of the series' typical level. */
  | "base-small";

/** How a point's `value` relates to what the source published. */
export type ValueBasis =
  /** The published figure (after unit conversion). */
  | "observed"
  /** Half of the published January–February total, shown at both months; the total is `combinedValue`. */
  | "average-of-combined";

export interface ChartPoint {
  /**
   * The period of the published figure: "2023-08"; "2023-01/02" for the combined January–February
   * release (both its average points carry it); in year-to-date charts the last month of the total.
   */
  period: string;
  /** Where the point sits on a date axis: "YYYY-MM", unique within a time series. */
  chartPeriod: string;
  /** Words for the period, for tooltips and labels: "August 2023", "January–November 2023". */
  periodLabel: string;
  /** Present in bar charts: the partner code and its name. */
  category?: string;
  categoryLabel?: string;
  /** Ranked charts: the partner's place (1 = largest) among every country the release lists, by this
   * series' flow; and its place in the period before and a year earlier, with the release behind it. */
  rank?: number;
  rankPrevious?: EarlierRank;
  rankYearEarlier?: EarlierRank;
  /** Value in `unit.label` (value × unit.multiplier = amount in base units); null in a gap. */
  value: number | null;
  /** Why `value` is null: present exactly when it is. */
  missing?: MissingReason;
  /** Present whenever `value` is a number. */
  valueBasis?: ValueBasis;
  /** y/y % computed from levels, rounded to one decimal; null where the base is missing. */
  yoyPct: number | null;
  /** Present when yoyPct needs care: see CaveatCode. */
  caveats?: CaveatCode[];
  vintage?: Vintage;
  revised?: boolean;
  /** The release the value comes from, and the version of its page (both in `provenance`). */
  releaseId?: string;
  sha256?: string;
  /** The value before the latest revision, in the same unit, and the release it came from. */
  previousValue?: number;
  previousReleaseId?: string;
  previousSha256?: string;
  /** 2 on both points of a combined January–February release. */
  combinedMonths?: number;
  /** The published January–February total (exact), on both of its average points. */
  combinedValue?: number;
}

/** A partner's rank in an earlier period (ranked charts). */
export interface EarlierRank {
  period: string;
  rank: number;
  releaseId: string;
}

export interface ChartSeries {
  key: string;
  label: string;
  points: ChartPoint[];
}

/** published: files written; awaiting-data: nothing to show yet, no files written (index says why). */
export type ChartState = "published" | "awaiting-data";

export interface ChartEnvelope {
  schemaVersion: number;
  id: string;
  chartType: "monthly" | "ytd-by-year" | "top-partners";
  title: string;
  subtitle: string;
  unit: { currency: Currency | null; multiplier: number; label: string; quantityUnit?: string };
  source: { name: string; url: string };
  /** Latest fetch time of the releases this chart is built from (same for charts from the same releases). */
  updatedAt: string | null;
  /** Latest period of those releases: the end of every series' span. */
  latestPeriod: string | null;
  nextRelease: { kind: string; period: string; expectedFrom: string; expectedBy: string } | null;
  /** Year-to-date charts: the months every point totals ("January–November"). */
  ytdMonths?: { from: string; to: string; label: string };
  series: ChartSeries[];
  /** Reader notes (the Datawrapper footer uses them). */
  notes: string[];
  /** How the numbers were made, for developers and editors; not for the chart footer. */
  methodology: string[];
  /** Plain-words cautions about particular points (caveats, revisions) for editors and readers. */
  warnings: string[];
  provenance: Array<{
    releaseId: string;
    url: string;
    sha256: string;
    fetchedAt: string;
    /** Figures an editor accepted after review: how they were read, by whom and why. */
    acceptedAfterReview?: string | undefined;
  }>;
}

/** The number a point stands for as published: the combined total for Jan–Feb, else its value. */
export function publishedAmount(p: ChartPoint): number | null {
  return p.combinedValue ?? p.value;
}

/** One entry of charts/index.json (documented by data/schema/index.schema.json). */
export interface ChartIndexEntry {
  id: string;
  title: string;
  state: ChartState;
  /** Why the chart is not published yet (awaiting-data only). */
  stateReason?: string;
  /** null while awaiting data: no files are written. */
  url: string | null;
  csvUrl: string | null;
  metadataUrl: string | null;
  updatedAt: string | null;
  latestPeriod: string | null;
}
