/** What the rule tests compare: the ids a sink holds, blocking and warnings apart. */
import type { FindingSink } from "../../../functions/domain/checks/index.js";

export const checksOf = (s: FindingSink) => ({
  blocking: s.blocking.map((f) => f.check),
  warnings: s.warnings.map((f) => f.check),
});
