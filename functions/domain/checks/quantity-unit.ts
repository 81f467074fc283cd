/**
 * Quantities are kept only in a unit we can scale exactly; otherwise the value is kept, the
 * quantity left out and listed. A unit taken from another release is said so.
 */
import type { CheckRule } from "./rule.js";

export const quantityUnitKnown: CheckRule = {
  id: "quantity-unit",
  severity: "warning",
  guards: "quantities are kept only in a unit we know; the rest are left out and listed",
};

export const quantityUnitHint: CheckRule = {
  id: "quantity-unit-hint",
  severity: "warning",
  guards: "a quantity unit taken from another release of the same table is named",
};
