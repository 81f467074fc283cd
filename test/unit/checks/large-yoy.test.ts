/** large-yoy: a printed y/y beyond ±100% is pointed out, never held back. */
import { describe, expect, it } from "vitest";
import { findingSink, largeYoy, warnLargeYoy } from "../../../functions/domain/checks/index.js";
import { checksOf } from "./sink.js";

describe("large-yoy", () => {
  it("is one warning rule", () => {
    expect(largeYoy).toMatchObject({ id: "large-yoy", severity: "warning" });
  });

  it.each([
    [100, []],
    [-100, []],
    [100.1, ["large-yoy"]],
    [-100.1, ["large-yoy"]],
    [250, ["large-yoy"]],
    [0, []],
    [undefined, []],
  ] as const)("y/y %s%% → warnings %j, never blocking", (pct, warnings) => {
    const s = findingSink();
    warnLargeYoy(pct, s, () => `Row 1: exports year-to-date y/y is ${pct}%`);
    expect(checksOf(s)).toEqual({ blocking: [], warnings });
  });
});
