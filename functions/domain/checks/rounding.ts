/**
 * How far apart two printed figures may be before rounding stops explaining it. Shared by the
 * rules that compare printed cells (flows-add-up, month-within-ytd) and by the sample mirror.
 */
import { printedDecimals } from "../numbers.js";

/** Largest error the printed rounding can explain for a sum of `terms` values, in base units. */
export function roundingTolerance(decimals: number, powerOfTen: number, terms: number): number {
  return terms * 0.5 * 10 ** (powerOfTen - decimals) + 1e-6;
}

/** Half a unit of the last printed digit of each cell, summed, in base units (cells may differ in precision). */
export function printedCellsTolerance(cells: readonly string[], powerOfTen: number): number {
  return cells.reduce((sum, text) => sum + 0.5 * 10 ** (powerOfTen - printedDecimals(text)), 0);
}
