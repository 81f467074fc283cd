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
const hasLetters = (text: string): boolean => /[A-Za-z]/.test(text);

/** Undefined when rows disagree (some with a unit cell, some without). */
export function detectLayout(rows: TableCell[][], width: number): CommodityLayout | undefined {
  let unitTexts = 0;
  let numbersInUnitCell = 0;
  let unitless = 0;
  for (const cells of rows) {
    const second = cells[1]?.text ?? "";
    if (hasLetters(second)) unitTexts++;
    if (isNumber(second)) numbersInUnitCell++;
    if (isUnitlessRow(cells, width)) unitless++;
  }
  if (numbersInUnitCell === 0) return "normal";
  if (unitTexts === 0 && unitless === rows.length) return "unit-cell-missing";
  return undefined;
}

/** Name, then all values (numbers or "no value", not all blank), then only empty padding. */
function isUnitlessRow(cells: TableCell[], width: number): boolean {
  const valueCount = width - 2;
  const values = cells.slice(1, 1 + valueCount).map((c) => c.text);
  const padding = cells.slice(1 + valueCount).map((c) => c.text);
  return (
    values.length === valueCount &&
    values.every((t) => isNumber(t) || isNoValue(t)) &&
    values.some((t) => t !== "") &&
    padding.every((t) => t.trim() === "") &&
    cells.length <= width &&
    (cells.length === width - 1 || padding.length > 0)
  );
}

/** With the unit cell missing, cell i holds what the header puts in column i + 1: realign. */
export function alignedTexts(cells: TableCell[], layout: CommodityLayout): string[] {
  const label = cells[0]?.text ?? "";
  return layout === "unit-cell-missing"
    ? [label, "", ...cells.slice(1).map((c) => c.text)]
    : cells.map((c) => c.text);
}
