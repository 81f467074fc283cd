/** yoy-recomputed: a printed y/y % must follow from the printed figures within their rounding. */
import { describe, expect, it } from "vitest";
import {
  checkYoyRecomputed,
  findingSink,
  yoyFollows,
  yoyRecomputed,
} from "../../../functions/domain/checks/index.js";
import { LayoutChanged } from "../../../functions/domain/errors.js";
import { checksOf } from "./sink.js";

describe("yoy-recomputed", () => {
  it("is one warning rule", () => {
    expect(yoyRecomputed).toMatchObject({ id: "yoy-recomputed", severity: "warning" });
  });

  it.each([
    // current, prior, printed y/y %, follows?
    ["110", "100", "10", true],
    ["110", "100", "10.0", true],
    ["110", "100", "11", true], // 109.5/100.5 − 1 … 110.5/99.5 − 1 = 8.96% … 11.06%
    ["110", "100", "12", false],
    ["110.0", "100.0", "10.2", false], // 109.95/100.05 − 1 … 110.05/99.95 − 1 = 9.9% … 10.1%
    ["110.0", "100.0", "10.1", true],
    ["90", "100", "-10", true],
    ["90", "100", "10", false],
    // Nothing to compare: a blank cell, or a prior that is not positive.
    ["", "100", "10", true],
    ["110", "-", "10", true],
    ["110", "100", "", true],
    ["5", "0", "999", true],
  ] as const)("%s against %s printed as %s%% → %s", (current, prior, pct, follows) => {
    expect(yoyFollows(current, prior, pct, "Row")).toBe(follows);
    const s = findingSink();
    checkYoyRecomputed({ current, prior, pct }, "Row", s, () => "does not follow");
    expect(checksOf(s)).toEqual({ blocking: [], warnings: follows ? [] : ["yoy-recomputed"] });
  });

  it("refuses a cell that is not a number, naming the place", () => {
    expect(() => yoyFollows("1o0", "100", "10", '"Iron ore"')).toThrow(LayoutChanged);
    expect(() => yoyFollows("1o0", "100", "10", '"Iron ore"')).toThrow(/Iron ore/);
  });
});
