/**
 * Rules only a query-platform CSV export can break (functions/domain/query-csv/): its rows must be
 * one value per series, and what the platform cut off or could not say is pointed out.
 */
import type { CheckRule } from "./rule.js";

export const queryBreakdown: CheckRule = {
  id: "query-breakdown",
  severity: "blocking",
  guards: "the export is not broken down by customs regime or location (its rows would be parts of a series)",
};

export const queryDuplicateRows: CheckRule = {
  id: "query-duplicate-rows",
  severity: "blocking",
  guards: "no two rows share period, partner and HS code",
};

export const queryRowLimit: CheckRule = {
  id: "query-row-limit",
  severity: "warning",
  guards: "a file of exactly the platform's 10,000-row limit is probably cut off",
};

export const partnerNameMismatch: CheckRule = {
  id: "partner-name-mismatch",
  severity: "warning",
  guards: "a partner code printed with another partner's name is read by its code, and said so",
};

export const queryNoValue: CheckRule = {
  id: "query-no-value",
  severity: "warning",
  guards: "rows printing no value are kept out and listed",
};

export const queryUnknownUnit: CheckRule = {
  id: "query-unknown-unit",
  severity: "warning",
  guards: "a quantity unit we do not know is kept as printed, and said so",
};
