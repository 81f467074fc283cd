/**
 * Every check a parser runs on a release before anything is written, one rule per id (the rule's
 * file holds its logic; its test is test/unit/checks/<rule>.test.ts). Editors see these ids in
 * quarantine reasons, holds and run results; docs/checks.md lists them.
 */
import type { CheckRule } from "./rule.js";
import * as ruleFiles from "./rules.js";

export { printedCellsTolerance, roundingTolerance } from "./rounding.js";
export { type CheckRule, type FindingSink, findingSink, flag, type Severity } from "./rule.js";
export * from "./rules.js";

function isCheckRule(value: unknown): value is CheckRule {
  return (
    typeof value === "object" && value !== null && "id" in value && "severity" in value && "guards" in value
  );
}

/** All rules (every CheckRule the rule files export), blocking first, then by id. */
export const CHECK_RULES: readonly CheckRule[] = Object.values(ruleFiles)
  .filter(isCheckRule)
  .sort((a, b) =>
    a.severity === b.severity ? a.id.localeCompare(b.id) : a.severity === "blocking" ? -1 : 1,
  );

/** The rule with this id, or undefined (findings from the pipeline itself, e.g. "readable", have none). */
export function checkRule(id: string): CheckRule | undefined {
  return CHECK_RULES.find((r) => r.id === id);
}
