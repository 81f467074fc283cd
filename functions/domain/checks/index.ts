/**
 * Every check a parser runs on a release before anything is written, one rule per id (the rule's
 * file holds its logic; its test is test/unit/checks/<rule>.test.ts). Editors see these ids in
 * quarantine reasons, holds and run results; docs/checks.md lists them.
 */
import { currencyAgrees } from "./currency-agrees.js";
import { flowsAddUp } from "./flows-add-up.js";
import { hasRows } from "./has-rows.js";
import { largeYoy } from "./large-yoy.js";
import { monthWithinYtd } from "./month-within-ytd.js";
import { duplicateCommodity, duplicatePartner } from "./one-row-per-series.js";
import { partnerUnmapped } from "./partner-unmapped.js";
import { quantityUnitHint, quantityUnitKnown } from "./quantity-unit.js";
import {
  partnerNameMismatch,
  queryBreakdown,
  queryDuplicateRows,
  queryNoValue,
  queryRowLimit,
  queryUnknownUnit,
} from "./query-export.js";
import type { CheckRule } from "./rule.js";
import { columnsKnown, layoutKnown, priorYearLabel, unitCellMissing, ytdYearLabel } from "./table-shape.js";
import { yoyRecomputed } from "./yoy-recomputed.js";

export { checkCurrencyAgrees, currencyAgrees } from "./currency-agrees.js";
export { checkFlowsAddUp, type FlowValues, flowsAddUp, flowsGap } from "./flows-add-up.js";
export { checkHasRows, hasRows } from "./has-rows.js";
export { isLargeYoy, largeYoy, warnLargeYoy } from "./large-yoy.js";
export { checkMonthWithinYtd, monthExceedsYtd, monthWithinYtd } from "./month-within-ytd.js";
export { duplicateCommodity, duplicatePartner } from "./one-row-per-series.js";
export { partnerUnmapped, warnPartnerUnmapped } from "./partner-unmapped.js";
export { quantityUnitHint, quantityUnitKnown } from "./quantity-unit.js";
export {
  partnerNameMismatch,
  queryBreakdown,
  queryDuplicateRows,
  queryNoValue,
  queryRowLimit,
  queryUnknownUnit,
} from "./query-export.js";
export { printedCellsTolerance, roundingTolerance } from "./rounding.js";
export { type CheckRule, type FindingSink, findingSink, flag, type Severity } from "./rule.js";
export { columnsKnown, layoutKnown, priorYearLabel, unitCellMissing, ytdYearLabel } from "./table-shape.js";
export { checkYoyRecomputed, yoyFollows, yoyRecomputed } from "./yoy-recomputed.js";

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
