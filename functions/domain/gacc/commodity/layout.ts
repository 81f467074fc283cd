/**
 * How a table (5)/(6)'s data rows line up with its header. "normal": name, unit, values.
 * "unit-cell-missing" (April 2025 exports): name, values, then empty padding, so every value sits
 * one column left of its header; recognised only when it holds for every row at once.
 */
import { cleanCell, isNoValue } from "../../numbers.js";
import type { TableCell } from "../html-table.js";
import type { CommodityLayout } from "./model.js";

const NUMBER = /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;
const isNumber = (text: string): boolean => NUMBER.test(cleanCell(text));

/**
 * Undefined when rows disagree (some with a unit cell, some without). A row whose second cell
 * holds a unit ("Ton") is never unit-less (its values would start with words), so "every row is
 * unit-less" also says "no row prints a unit".
 */
export function detectLayout(rows: TableCell[][], width: number): CommodityLayout | undefined {
  if (!rows.some((cells) => isNumber(cells[1]?.text ?? ""))) return "normal";
  return rows.every((cells) => isUnitlessRow(cells, width)) ? "unit-cell-missing" : undefined;
}

/**
 * Name, then all values (numbers or "no value", not all blank), then at most one empty padding
 * cell: one cell short of the header, or as wide with an empty last cell. Cell texts are trimmed
 * (html-table.ts).
 */
function isUnitlessRow(cells: TableCell[], width: number): boolean {
  if (cells.length !== width - 1 && cells.length !== width) return false;
  const values = cells.slice(1, width - 1).map((c) => c.text);
  const padding = cells.slice(width - 1).map((c) => c.text);
  return (
    values.every((t) => isNumber(t) || isNoValue(t)) &&
    values.some((t) => t !== "") &&
    padding.every((t) => t === "")
  );
}

/** With the unit cell missing, cell i holds what the header puts in column i + 1: realign. */
export function alignedTexts(cells: TableCell[], layout: CommodityLayout): string[] {
  const label = cells[0]?.text ?? "";
  return layout === "unit-cell-missing"
    ? [label, "", ...cells.slice(1).map((c) => c.text)]
    : cells.map((c) => c.text);
}
