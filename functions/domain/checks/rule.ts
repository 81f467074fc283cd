/**
 * What a check rule is: one id (what editors, holds, run results and quarantine reasons show), a
 * severity, and one sentence on what it guards. Each rule lives in its own file beside this one
 * with the test that decides it; parsers call the rule and say in their own words which row failed.
 */
import type { CheckFinding } from "../model.js";

/** Blocking findings quarantine the release; warnings are published and flagged in the run report. */
export type Severity = "blocking" | "warning";

export interface CheckRule {
  readonly id: string;
  readonly severity: Severity;
  /** What the rule guards, for an engineer reading docs/checks.md. */
  readonly guards: string;
}

export interface FindingSink {
  blocking: CheckFinding[];
  warnings: CheckFinding[];
}

export function findingSink(): FindingSink {
  return { blocking: [], warnings: [] };
}

/** Records a finding of `rule` in the list its severity says. */
export function flag(
  rule: CheckRule,
  sink: FindingSink,
  message: string,
  details?: Omit<CheckFinding, "check" | "message">,
): void {
  const finding: CheckFinding = details
    ? { check: rule.id, message, ...details }
    : { check: rule.id, message };
  (rule.severity === "blocking" ? sink.blocking : sink.warnings).push(finding);
}
