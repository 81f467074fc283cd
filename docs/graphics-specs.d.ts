// Types for docs/graphics-specs.js (plain JavaScript so that anyone can copy a function).
export type VegaLiteSpec = Record<string, unknown>;
export declare const VEGA_LITE_SCHEMA: string;
export declare const JAN_FEB_AVERAGE: string;
export declare function lineFromJson(
  jsonUrl: string,
  unitLabel: string,
  combinedMonths?: boolean,
): VegaLiteSpec;
export declare function lineFromCsv(csvUrl: string, columns: string[], unitLabel: string): VegaLiteSpec;
export declare function yearToDateFromJson(jsonUrl: string, unitLabel: string): VegaLiteSpec;
export declare function yearToDateFromCsv(csvUrl: string, columns: string[], unitLabel: string): VegaLiteSpec;
export declare function barsFromJson(jsonUrl: string, seriesKey: string, unitLabel: string): VegaLiteSpec;
export declare function barsFromCsv(csvUrl: string, column: string, unitLabel: string): VegaLiteSpec;
export declare function specsFor(
  chart: {
    chartType: string;
    unit: { label: string };
    series: Array<{ key: string; label: string; points?: Array<{ valueBasis?: string }> }>;
  },
  urls: { json: string; csv: string },
): { fromJson: VegaLiteSpec; fromCsv: VegaLiteSpec };
export declare function d3LinePaths(
  csvParse: (text: string, row: unknown) => Array<Record<string, unknown>> & { columns: string[] },
  autoType: unknown,
  line: () => unknown,
  csvText: string,
  width?: number,
  height?: number,
): Record<string, string | null>;
