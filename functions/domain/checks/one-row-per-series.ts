/**
 * Two rows that read as the same series would give one series two values in one release: held
 * back, with both names, for the editor to say which is right.
 */
import type { CheckRule } from "./rule.js";

export const duplicatePartner: CheckRule = {
  id: "duplicate-partner",
  severity: "blocking",
  guards: "no two rows read as the same partner",
};

export const duplicateCommodity: CheckRule = {
  id: "duplicate-commodity",
  severity: "blocking",
  guards: "no two rows read as the same commodity",
};
