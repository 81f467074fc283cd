/**
 * yoy-recomputed: a printed y/y % must follow from the printed current and prior-year figures,
 * given the rounding of all three. When it does not, GACC revised last year's base or a column is
 * misread: published, and the editor told.
 */
import { parsePrintedNumber, printedDecimals } from "../numbers.js";
import { type CheckRule, type FindingSink, flag } from "./rule.js";

export const yoyRecomputed: CheckRule = {
  id: "yoy-recomputed",
  severity: "warning",
  guards: "a printed y/y % follows from the printed current and prior figures within rounding",
};

/** Half a unit of the last printed digit, as an interval around the printed number. */
function printedInterval(cell: string, where: string): [number, number] | undefined {
  const n = parsePrintedNumber(cell, where);
  if (n === undefined) return undefined;
  const half = 0.5 * 10 ** -printedDecimals(cell);
  return [n - half, n + half];
}

/**
 * Whether a printed y/y % can follow from the printed current and prior figures, given rounding.
 * True when any of the three is blank or the prior is not positive (nothing to compare).
 */
export function yoyFollows(current: string, prior: string, pct: string, where: string): boolean {
  const c = printedInterval(current, where);
  const p = printedInterval(prior, where);
  const y = printedInterval(pct, where);
  if (!c || !p || !y || p[0] <= 0) return true;
  const lo = (c[0] / p[1] - 1) * 100;
  const hi = (c[1] / p[0] - 1) * 100;
  return hi >= y[0] && lo <= y[1];
}

export function checkYoyRecomputed(
  printed: { current: string; prior: string; pct: string },
  where: string,
  sink: FindingSink,
  message: () => string,
): void {
  if (!yoyFollows(printed.current, printed.prior, printed.pct, where)) flag(yoyRecomputed, sink, message());
}
