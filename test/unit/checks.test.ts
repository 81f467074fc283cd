/**
 * The checks that hold a release back (functions/domain/checks.ts): which finding blocks, which
 * only warns, and exactly where the rounding tolerance ends.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkCurrencyAgrees,
  checkFlowsAddUp,
  checkMonthWithinYtd,
  checkSomeRows,
  type FindingSink,
  roundingTolerance,
  warnLargeYoy,
} from "../../functions/domain/checks.js";
import type { Observation } from "../../functions/domain/model.js";
import { parseUnitRow } from "../../functions/domain/units.js";

const sink = (): FindingSink => ({ blocking: [], warnings: [] });
const checksOf = (s: FindingSink) => ({
  blocking: s.blocking.map((f) => f.check),
  warnings: s.warnings.map((f) => f.check),
});

describe("roundingTolerance", () => {
  it.each([
    // decimals, powerOfTen, terms, half-units of the last printed digit in base units
    [1, 8, 3, 15_000_000], // "885.6" in CNY 100 million: ±0.05 × 10^8 per term
    [1, 8, 2, 10_000_000],
    [0, 3, 3, 1_500],
    [2, 2, 1, 0.5],
    [0, 0, 1, 0.5],
    [3, 6, 2, 1_000],
  ])("(%i decimals, 10^%i, %i terms) allows %d and not a unit more", (decimals, power, terms, limit) => {
    const tol = roundingTolerance(decimals, power, terms);
    expect(tol).toBeGreaterThanOrEqual(limit);
    expect(tol).toBeLessThan(limit + 1e-3);
  });
});

describe("checkFlowsAddUp", () => {
  const tol = roundingTolerance(1, 8, 3); // 15,000,000
  it.each([
    ["exact", 100_000_000_000, 60_000_000_000, 40_000_000_000, []],
    ["gap exactly at the tolerance", 100_000_000_000, 60_015_000_000, 40_000_000_000, []],
    ["gap exactly at the tolerance, the other way", 100_000_000_000, 59_985_000_000, 40_000_000_000, []],
    ["one yuan beyond", 100_000_000_000, 60_015_000_001, 40_000_000_000, ["flows-add-up"]],
    ["one yuan beyond, the other way", 100_000_000_000, 59_984_999_999, 40_000_000_000, ["flows-add-up"]],
    [
      "exports + imports far above the total",
      100_000_000_000,
      70_000_000_000,
      40_000_000_000,
      ["flows-add-up"],
    ],
    [
      "exports + imports far below the total",
      100_000_000_000,
      50_000_000_000,
      40_000_000_000,
      ["flows-add-up"],
    ],
  ] as const)("%s", (_, total, exports, imports, blocking) => {
    const s = sink();
    checkFlowsAddUp("Row 1", { total, exports, imports }, tol, "for the month", s);
    expect(checksOf(s)).toEqual({ blocking, warnings: [] });
  });

  it("says nothing when any of the three is missing", () => {
    for (const values of [
      { exports: 1, imports: 1 },
      { total: 5, imports: 1 },
      { total: 5, exports: 1 },
    ]) {
      const s = sink();
      checkFlowsAddUp("Row 1", values, 0.5, "for the month", s);
      expect(checksOf(s)).toEqual({ blocking: [], warnings: [] });
    }
  });

  it("blocks exactly when |exports + imports − total| exceeds the tolerance (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: -2000, max: 2000 }),
        fc.integer({ min: 0, max: 1500 }),
        (exports, imports, gap, tolerance) => {
          const s = sink();
          checkFlowsAddUp("Row", { total: exports + imports + gap, exports, imports }, tolerance, "x", s);
          expect(s.blocking.length).toBe(Math.abs(gap) > tolerance ? 1 : 0);
          expect(s.warnings).toEqual([]);
        },
      ),
    );
  });
});

describe("checkMonthWithinYtd", () => {
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
    const s = sink();
    checkMonthWithinYtd("Row 1", "exports", month, ytd, tol, s);
    expect(checksOf(s)).toEqual({ blocking, warnings: [] });
  });
});

describe("checkSomeRows", () => {
  it("blocks a page with zero rows and passes a page with one", () => {
    const empty = sink();
    checkSomeRows([], "The page", empty);
    expect(checksOf(empty)).toEqual({ blocking: ["has-rows"], warnings: [] });
    const one = sink();
    checkSomeRows([{} as Observation], "The page", one);
    expect(checksOf(one)).toEqual({ blocking: [], warnings: [] });
  });
});

describe("warnLargeYoy", () => {
  it.each([
    [100, []],
    [-100, []],
    [100.1, ["large-yoy"]],
    [-100.1, ["large-yoy"]],
    [250, ["large-yoy"]],
    [0, []],
    [undefined, []],
  ] as const)("y/y %s%% → warnings %j, never blocking", (pct, warnings) => {
    const s = sink();
    warnLargeYoy("Row 1", "exports year-to-date", pct, s);
    expect(checksOf(s)).toEqual({ blocking: [], warnings });
  });
});

describe("checkCurrencyAgrees", () => {
  const cny = parseUnitRow("Unit: CNY 100 Million");
  const usd = parseUnitRow("Unit: USD1 Million");
  it.each([
    [cny, ["... (in CNY)", "... (in CNY)"], []],
    [cny, ["... (in USD)", "... (in CNY)"], ["currency-agrees"]],
    [cny, ["... (in USD)", "... (in US$)"], ["currency-agrees", "currency-agrees"]],
    [usd, ["... (in RMB)", "no currency said"], ["currency-agrees"]],
    [usd, ["no currency said", ""], []],
    [usd, ["... (in USD)"], []],
  ] as const)("unit %j, titles %j", (unit, titles, blocking) => {
    const s = sink();
    checkCurrencyAgrees(
      unit,
      titles.map((t, i) => [`title ${i}`, t] as const),
      s,
    );
    expect(checksOf(s)).toEqual({ blocking, warnings: [] });
  });
});
