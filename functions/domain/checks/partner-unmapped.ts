/**
 * partner-unmapped: a partner name or code the registry (data/partners.json) does not know. Its
 * row is kept out and listed, never dropped silently and never guessed at.
 */
import { type CheckRule, type FindingSink, flag } from "./rule.js";

export const partnerUnmapped: CheckRule = {
  id: "partner-unmapped",
  severity: "warning",
  guards: "every partner is in data/partners.json; unknown rows are kept out and listed",
};

/** `message` in the editor's words; where an engineer adds the partner goes under "Details". */
export function warnPartnerUnmapped(sink: FindingSink, message: string): void {
  flag(partnerUnmapped, sink, message, { detail: "partners are listed in data/partners.json" });
}
