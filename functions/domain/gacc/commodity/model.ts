/** What reading a table (5)/(6) gives, beside its observations (see ../commodity-table.ts). */
import type { NormalizeResult } from "../../model.js";
import type { QuantityUnit } from "./quantity-unit.js";

/** One commodity row as read, beside the observations it gave. */
export interface CommodityRow {
  commodity: string;
  label: string;
  /** Starred rows: GACC's aggregates ("Agriculture products*"), which include other rows. */
  aggregate: boolean;
  /** Leading &nbsp; count as printed. */
  indent: number;
  /** Commodity code of the row this one is printed indented under, if any (see module note). */
  parent?: string | undefined;
  /** The quantity unit used, or undefined when the row has no quantity. */
  quantityUnit?: QuantityUnit | undefined;
  /** Where the unit came from: the page itself, or a hint from another release (shifted pages). */
  unitSource?: "printed" | "hint" | undefined;
  /** Last year's year-to-date as printed on this page (GACC's revised base), in base units. */
  priorYtd: { value?: number | undefined; quantity?: number | undefined; year: number };
  printedYtdYoyPct?: number | undefined;
  printedYtdYoyPctQuantity?: number | undefined;
}

export type CommodityLayout = "normal" | "unit-cell-missing";

export interface CommodityTableResult extends NormalizeResult {
  flow: "exports" | "imports";
  layout: CommodityLayout;
  rows: CommodityRow[];
}
