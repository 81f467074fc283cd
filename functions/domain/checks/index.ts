/**
 * Every check a parser runs on a release before anything is written, one rule per id (the rule's
 * file holds its logic; its test is test/unit/checks/<rule>.test.ts). Editors see these ids in
 * quarantine reasons, holds and run results; docs/checks.md lists them. Every rule file's exports
 * come through rules.ts; CHECK_RULES is the one ordered list of the rules (test/unit/checks/index.test.ts
 * checks that it holds every rule those files export).
 */
import type { CheckRule } from "./rule.js";
import {
  columnsKnown,
  currencyAgrees,
  duplicateCommodity,
  duplicatePartner,
  flowsAddUp,
  hasRows,
  largeYoy,
  layoutKnown,
  monthWithinYtd,
  partnerNameMismatch,
  partnerUnmapped,
  priorYearLabel,
  quantityUnitHint,
  quantityUnitKnown,
  queryBreakdown,
  queryDuplicateRows,
  queryNoValue,
  queryRowLimit,
  queryUnknownUnit,
  unitCellMissing,
  yoyRecomputed,
  ytdYearLabel,
} from "./rules.js";

export { printedCellsTolerance, roundingTolerance } from "./rounding.js";
export { type CheckRule, type FindingSink, findingSink, flag, type Severity } from "./rule.js";
export * from "./rules.js";

/** All rules, blocking first, in the order docs/checks.md lists them. */
export const CHECK_RULES: readonly CheckRule[] = [
  currencyAgrees,
  columnsKnown,
  layoutKnown,
  flowsAddUp,
  monthWithinYtd,
  hasRows,
  duplicatePartner,
  duplicateCommodity,
  queryBreakdown,
  queryDuplicateRows,
  largeYoy,
  yoyRecomputed,
  partnerUnmapped,
  partnerNameMismatch,
  unitCellMissing,
  priorYearLabel,
  ytdYearLabel,
  quantityUnitKnown,
  quantityUnitHint,
  queryRowLimit,
  queryNoValue,
  queryUnknownUnit,
];

/** The rule with this id, or undefined (findings from the pipeline itself, e.g. "readable", have none). */
export function checkRule(id: string): CheckRule | undefined {
  return CHECK_RULES.find((r) => r.id === id);
}
