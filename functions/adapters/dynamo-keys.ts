/**
 * The partition keys of the one DynamoDB table, apart from the code that reads and writes it: the
 * stack (infra/access.ts) grants each function exactly these partitions, and the stores use them.
 * Imports nothing, so the CDK app can read them without loading the SDK.
 */

/** Every release, one item each (sort key: the release id). */
export const RELEASE_PK = "RELEASE";
/** Runs, one item each (sort key: the run id). */
export const RUN_PK = "RUN";
/** The one pipeline lock. */
export const LOCK_PK = "LOCK";
export const LOCK_SK = "pipeline";
/** The editors' audit log. */
export const AUDIT_PK = "AUDIT";
/** Charts held back by the publish guard. */
export const HOLD_PK = "HOLD";

/** One partition per series: its observations and revisions. */
export function seriesPk(seriesKey: string): string {
  return `S#${seriesKey}`;
}
