/**
 * large-yoy: a printed y/y change beyond ±100% is often real (a low base) but worth a second look
 * before printing. A warning: the release is published, the editor told.
 */
import { type CheckRule, type FindingSink, flag } from "./rule.js";

export const largeYoy: CheckRule = {
  id: "large-yoy",
  severity: "warning",
  guards: "a printed y/y change beyond ±100% is pointed out",
};

export function isLargeYoy(pct: number | undefined): boolean {
  return pct !== undefined && Math.abs(pct) > 100;
}

export function warnLargeYoy(pct: number | undefined, sink: FindingSink, message: () => string): void {
  if (isLargeYoy(pct)) flag(largeYoy, sink, message());
}
