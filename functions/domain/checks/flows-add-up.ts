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
  const { total, exports, imports } = values;
  if (total === undefined || exports === undefined || imports === undefined) return undefined;
  const gap = Math.abs(exports + imports - total);
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
