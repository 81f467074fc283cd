/**
 * month-within-ytd: a single month can never exceed its year-to-date figure (value or quantity).
 * When it does, a column is misread or GACC printed the two the wrong way round.
 */
import type { CheckFinding } from "../model.js";
import { type CheckRule, type FindingSink, flag } from "./rule.js";

export const monthWithinYtd: CheckRule = {
  id: "month-within-ytd",
  severity: "blocking",
  guards: "no month is larger than its year to date",
};

/** True when the month exceeds its year to date beyond `tolerance`; false when either is missing. */
export function monthExceedsYtd(month: number | undefined, ytd: number | undefined, tolerance = 0): boolean {
  // A missing figure reads as NaN, and no comparison with NaN is true: never flagged. (No separate
  // guard: it could be removed without any change in what is flagged.)
  return Number(month) > Number(ytd) + tolerance;
}

/** Flags the row when its month exceeds its year to date; `message` says which, in the parser's words. */
export function checkMonthWithinYtd(
  month: number | undefined,
  ytd: number | undefined,
  tolerance: number,
  sink: FindingSink,
  message: () => string,
  details?: Omit<CheckFinding, "check" | "message">,
): void {
  if (monthExceedsYtd(month, ytd, tolerance)) flag(monthWithinYtd, sink, message(), details);
}
