/**
 * flows-add-up: exports + imports must equal the printed total within what rounding explains.
 * Compares printed figures only; rows are never summed.
 */
import type { CheckFinding } from "../model.js";
import { type CheckRule, type FindingSink, flag } from "./rule.js";

export const flowsAddUp: CheckRule = {
  id: "flows-add-up",
  severity: "blocking",
  guards: "exports + imports equal the printed total within rounding",
};

export interface FlowValues {
  total?: number | undefined;
  exports?: number | undefined;
  imports?: number | undefined;
}

/** |exports + imports − total| when it exceeds `tolerance`; undefined when it does not or a flow is missing. */
export function flowsGap(values: FlowValues, tolerance: number): number | undefined {
  // A missing figure reads as NaN, and a NaN gap exceeds no tolerance: a row missing a flow is never
  // flagged. (No separate guard: it could be removed without any change in what is flagged.)
  const gap = Math.abs(Number(values.exports) + Number(values.imports) - Number(values.total));
  return gap > tolerance ? gap : undefined;
}

/** Flags the row when its flows do not add up; `message` says which row, in the parser's words. */
export function checkFlowsAddUp(
  values: FlowValues,
  tolerance: number,
  sink: FindingSink,
  message: (gap: number) => string,
  details?: (gap: number) => Omit<CheckFinding, "check" | "message">,
): void {
  const gap = flowsGap(values, tolerance);
  if (gap !== undefined) flag(flowsAddUp, sink, message(gap), details?.(gap));
}
