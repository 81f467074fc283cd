/**
 * Which checks hold a release back and which only warn: the contract editors rely on (docs/checks.md
 * says the same in words). A rule moved from blocking to warning would publish a table whose flows do
 * not add up; one moved the other way would hold back every release with a large y/y change.
 */
import { describe, expect, it } from "vitest";
import { CHECK_RULES, checkRule, findingSink, flag } from "../../../functions/domain/checks/index.js";

const SEVERITY: ReadonlyArray<[string, "blocking" | "warning"]> = [
  ["currency-agrees", "blocking"],
  ["columns", "blocking"],
  ["layout", "blocking"],
  ["flows-add-up", "blocking"],
  ["month-within-ytd", "blocking"],
  ["has-rows", "blocking"],
  ["duplicate-partner", "blocking"],
  ["duplicate-commodity", "blocking"],
  ["query-breakdown", "blocking"],
  ["query-duplicate-rows", "blocking"],
  ["large-yoy", "warning"],
  ["yoy-recomputed", "warning"],
  ["partner-unmapped", "warning"],
  ["partner-name-mismatch", "warning"],
  ["unit-cell-missing", "warning"],
  ["prior-year-label", "warning"],
  ["ytd-year-label", "warning"],
  ["quantity-unit", "warning"],
  ["quantity-unit-hint", "warning"],
  ["query-row-limit", "warning"],
  ["query-no-value", "warning"],
  ["query-unknown-unit", "warning"],
];

describe("check severities", () => {
  it("are exactly these rules, blocking ones first", () => {
    expect(CHECK_RULES.map((r) => [r.id, r.severity])).toEqual(SEVERITY);
  });

  it.each(SEVERITY)("%s: a finding is %s", (id, severity) => {
    const rule = checkRule(id);
    expect(rule?.severity).toBe(severity);
    if (!rule) return;
    const sink = findingSink();
    flag(rule, sink, "why");
    expect(sink.blocking.length, "held back").toBe(severity === "blocking" ? 1 : 0);
    expect(sink.warnings.length, "warned").toBe(severity === "warning" ? 1 : 0);
  });
});
