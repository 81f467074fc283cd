/** month-within-ytd: a month never larger than its year to date, beyond the tolerance given. */
import { describe, expect, it } from "vitest";
import {
  checkMonthWithinYtd,
  findingSink,
  monthExceedsYtd,
  monthWithinYtd,
} from "../../../functions/domain/checks/index.js";
import { checksOf } from "./sink.js";

describe("month-within-ytd", () => {
  it("is one blocking rule", () => {
    expect(monthWithinYtd).toMatchObject({ id: "month-within-ytd", severity: "blocking" });
  });

  it.each([
    [100, 200, 0, []],
    [200, 200, 0, []],
    [201, 200, 0, ["month-within-ytd"]],
    [205, 200, 5, []],
    [206, 200, 5, ["month-within-ytd"]],
    [-5, -10, 0, ["month-within-ytd"]],
    [undefined, 200, 0, []],
    [300, undefined, 0, []],
  ] as const)("month %s, ytd %s, tolerance %d", (month, ytd, tol, blocking) => {
    const s = findingSink();
    checkMonthWithinYtd(month, ytd, tol, s, () => "Row 1: the exports month is larger");
    expect(checksOf(s)).toEqual({ blocking, warnings: [] });
  });

  it("compares strictly when no tolerance is given", () => {
    expect(monthExceedsYtd(200, 200)).toBe(false);
    expect(monthExceedsYtd(200.5, 200)).toBe(true);
  });

  it("records the parser's message under the rule's id", () => {
    const s = findingSink();
    checkMonthWithinYtd(
      3,
      2,
      0,
      s,
      () => '"Germany": exports for the month (3) exceed the year to date (2).',
    );
    expect(s.blocking).toEqual([
      {
        check: "month-within-ytd",
        message: '"Germany": exports for the month (3) exceed the year to date (2).',
      },
    ]);
  });
});
