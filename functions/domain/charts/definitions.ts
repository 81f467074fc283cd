/**
 * Chart definitions live in data/charts (one file per chart). Listed here so the Lambda bundle
 * carries them; adding a chart = a JSON file plus one line below.
 */
import monthly from "../../../data/charts/china-russia-trade-monthly.json" with { type: "json" };
import ytd from "../../../data/charts/china-russia-trade-ytd.json" with { type: "json" };
import topPartners from "../../../data/charts/china-top-partners.json" with { type: "json" };
import type { Currency, Flow } from "../model.js";

export interface SeriesDefinition {
  key: string;
  label: string;
  /** Partner code (e.g. RUS); absent for cross-section charts that rank partners. */
  partner?: string;
  flow: Flow;
  commodity: string;
}

export interface ChartDefinition {
  id: string;
  type: "monthly" | "ytd-by-year" | "top-partners";
  title: string;
  subtitle: string;
  unit: { currency: Currency; multiplier: number; label: string };
  series: SeriesDefinition[];
  notes: string[];
  /** top-partners: how many partners to show. */
  top?: number;
}

export const CHART_DEFINITIONS: ChartDefinition[] = [monthly, ytd, topPartners] as ChartDefinition[];
