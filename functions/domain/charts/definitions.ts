/**
 * Chart definitions live in data/charts (one file per chart). Listed here so the Lambda bundle
 * carries them; adding a chart = a JSON file plus one line below.
 */
import commodityQuantity from "../../../data/charts/china-commodity-imports-quantity.json" with {
  type: "json",
};
import commodityValue from "../../../data/charts/china-commodity-imports-value.json" with { type: "json" };
import russiaByChapter from "../../../data/charts/china-russia-imports-by-hs-chapter.json" with {
  type: "json",
};
import monthly from "../../../data/charts/china-russia-trade-monthly.json" with { type: "json" };
import ytd from "../../../data/charts/china-russia-trade-ytd.json" with { type: "json" };
import topPartners from "../../../data/charts/china-top-partners.json" with { type: "json" };
import type { Currency, Flow } from "../model.js";

export interface SeriesDefinition {
  key: string;
  label: string;
  /** Partner code (e.g. RUS); absent for China's totals (WORLD) and for charts that rank partners. */
  partner?: string;
  flow: Flow;
  commodity: string;
  /** Plot the traded value (default) or the physical quantity. */
  measure?: "value" | "quantity";
  /** The currency of the stored series, when the chart itself shows quantities. */
  currency?: Currency;
  /** What release-alert sentences call the series ("China's crude oil imports"); default its label. */
  subject?: string;
}

export interface ChartDefinition {
  id: string;
  type: "monthly" | "ytd-by-year" | "top-partners";
  title: string;
  subtitle: string;
  /** Values are divided by `multiplier`; quantity charts have no currency and name their base unit. */
  unit: { currency: Currency | null; multiplier: number; label: string; quantityUnit?: string };
  /** Who published the figures this chart shows, and where (the reader's source line). */
  source: { name: string; url: string };
  series: SeriesDefinition[];
  /** For readers: what is special about the numbers (the Datawrapper footer shows them). */
  notes: string[];
  /** For developers and editors: how the numbers were made (JSON and docs only). */
  methodology: string[];
  /** top-partners: how many partners to show. */
  top?: number;
  /** top-partners: the partners (codes) whose ranks the chart's release facts report. */
  factsFor?: string[];
}

export const CHART_DEFINITIONS: ChartDefinition[] = [
  monthly,
  ytd,
  topPartners,
  commodityValue,
  commodityQuantity,
  russiaByChapter,
] as ChartDefinition[];
