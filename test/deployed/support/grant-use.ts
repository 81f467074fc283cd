/**
 * Which grants of infra/access.ts no recorded call used, finer than by action: a table grant is used
 * only if each of its actions was called on each of its partitions (a grant of PutItem on `RELEASE`
 * and `HOLD` where only `HOLD` items are written is too wide), and an object grant on a key pattern only
 * if each of its actions was called on a key matching it.
 */
import type { FunctionAccess, ObjectGrant } from "../../../infra/access.js";
import type { RecordedCall } from "./recording-proxy.js";

/** IAM's StringLike (and S3 resource) wildcards: `*` any run of characters, `?` one. */
export function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** "dynamodb:PutItem on HOLD", "s3:PutObject on raw uploads/*": each grant no call used. */
export function unusedGrants(
  access: FunctionAccess,
  calls: RecordedCall[],
  buckets: { raw: string; charts: string },
): string[] {
  const unused: string[] = [];
  const table = calls.filter((c) => c.service === "dynamodb" && !c.resource.includes("/index/"));
  for (const grant of access.table) {
    for (const partition of grant.partitions) {
      const like = likeToRegExp(partition);
      for (const action of grant.actions) {
        const used = table.some(
          (c) => c.action === action && (c.leadingKeys ?? []).some((k) => like.test(k)),
        );
        if (!used) unused.push(`${action} on ${partition}`);
      }
    }
  }
  const objects = (bucket: string, label: string, grants: ObjectGrant[]) => {
    for (const grant of grants) {
      const like = likeToRegExp(`arn:aws:s3:::${bucket}/${grant.keys ?? "*"}`);
      for (const action of grant.actions) {
        const used = calls.some((c) => c.service === "s3" && c.action === action && like.test(c.resource));
        if (!used) unused.push(`${action} on ${label} ${grant.keys ?? "*"}`);
      }
    }
  };
  objects(buckets.raw, "raw", list(access.raw));
  objects(buckets.charts, "charts", list(access.charts));
  return unused;
}
