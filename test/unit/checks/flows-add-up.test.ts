/** flows-add-up: exports + imports against the printed total, exactly at the tolerance. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkFlowsAddUp,
  findingSink,
  flowsAddUp,
  flowsGap,
  roundingTolerance,
} from "../../../functions/domain/checks/index.js";
import { checksOf } from "./sink.js";

describe("flows-add-up", () => {
  it("is one blocking rule", () => {
    expect(flowsAddUp).toMatchObject({ id: "flows-add-up", severity: "blocking" });
  });

  const tol = () => roundingTolerance(1, 8, 3); // 15,000,000, worked out inside each test (docs/testing.md)
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
    const s = findingSink();
    checkFlowsAddUp({ total, exports, imports }, tol(), s, (gap) => `Row 1: off by ${gap}`);
    expect(checksOf(s)).toEqual({ blocking, warnings: [] });
  });

  it("hands the message the gap, as a positive number either way", () => {
    expect(flowsGap({ total: 100, exports: 70, imports: 40 }, 0)).toBe(10);
    expect(flowsGap({ total: 100, exports: 50, imports: 40 }, 0)).toBe(10);
    const s = findingSink();
    checkFlowsAddUp({ total: 100, exports: 50, imports: 40 }, 0, s, (gap) => `Row 1: off by ${gap}`);
    expect(s.blocking).toEqual([{ check: "flows-add-up", message: "Row 1: off by 10" }]);
  });

  it("says nothing when any of the three is missing", () => {
    for (const values of [
      { exports: 1, imports: 1 },
      { total: 5, imports: 1 },
      { total: 5, exports: 1 },
    ]) {
      const s = findingSink();
      checkFlowsAddUp(values, 0.5, s, () => "never");
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
          const s = findingSink();
          checkFlowsAddUp({ total: exports + imports + gap, exports, imports }, tolerance, s, () => "x");
          expect(s.blocking.length).toBe(Math.abs(gap) > tolerance ? 1 : 0);
          expect(s.warnings).toEqual([]);
        },
      ),
    );
  });
});
