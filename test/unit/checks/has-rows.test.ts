/** has-rows: a table that yields no figures is held back. */
import { describe, expect, it } from "vitest";
import { checkHasRows, findingSink, hasRows } from "../../../functions/domain/checks/index.js";
import { checksOf } from "./sink.js";

describe("has-rows", () => {
  it("is one blocking rule", () => {
    expect(hasRows).toMatchObject({ id: "has-rows", severity: "blocking" });
  });

  it("blocks a page with zero rows and passes a page with one", () => {
    const empty = findingSink();
    checkHasRows(0, empty, "The page parsed to zero rows");
    expect(checksOf(empty)).toEqual({ blocking: ["has-rows"], warnings: [] });
    expect(empty.blocking[0]?.message).toBe("The page parsed to zero rows");
    const one = findingSink();
    checkHasRows(1, one, "The page parsed to zero rows");
    expect(checksOf(one)).toEqual({ blocking: [], warnings: [] });
  });
});
