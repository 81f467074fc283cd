/**
 * has-rows: a table that yields no figures is held back. An empty parse means the page changed
 * (or every cell is blank), never "nothing happened this month".
 */
import { type CheckRule, type FindingSink, flag } from "./rule.js";

export const hasRows: CheckRule = {
  id: "has-rows",
  severity: "blocking",
  guards: "the table yields at least one figure",
};

export function checkHasRows(count: number, sink: FindingSink, message: string): void {
  if (count === 0) flag(hasRows, sink, message);
}
