/** The chart file graphics load: documented by data/schema/chart.schema.json. */
import type { Currency, Vintage } from "../model.js";

export const CHART_SCHEMA_VERSION = 1;

export interface ChartPoint {
  /** "2023-08", or "2023-01/02" for the combined January–February release. */
  period: string;
  /** Where the point sits on a date axis: always "YYYY-MM" (the combined Jan–Feb sits at February). */
  chartPeriod: string;
  /** Present in bar charts: the partner code and its name. */
  category?: string;
  categoryLabel?: string;
  /** Value in `unit.label` (value × unit.multiplier = amount in base currency units). */
  value: number;
  /** y/y % computed from levels, rounded to one decimal; null where the base is missing. */
  yoyPct: number | null;
  vintage: Vintage;
  revised: boolean;
  /** The value before the latest revision, in the same unit. */
  previousValue?: number;
  /** 2 for the combined January–February value. */
  combinedMonths?: number;
}

export interface ChartSeries {
  key: string;
  label: string;
  points: ChartPoint[];
}

export interface ChartEnvelope {
  schemaVersion: number;
  id: string;
  chartType: "monthly" | "ytd-by-year" | "top-partners";
  title: string;
  subtitle: string;
  unit: { currency: Currency | null; multiplier: number; label: string; quantityUnit?: string };
  source: { name: string; url: string };
  updatedAt: string | null;
  latestPeriod: string | null;
  nextRelease: { kind: string; period: string; expectedFrom: string; expectedBy: string } | null;
  series: ChartSeries[];
  notes: string[];
  warnings: string[];
  provenance: Array<{ releaseId: string; url: string; sha256: string; fetchedAt: string }>;
}
