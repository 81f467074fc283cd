/**
 * The editors' API is reached through CloudFront only. Deployed, API Gateway's default execute-api
 * endpoint is disabled and the API answers on a custom origin name; CloudFront adds this header, with
 * a value generated at deploy time (Secrets Manager) that it and the API function both get. A request
 * without it came to the origin name directly, around the console's address and its security headers.
 *
 * Imports nothing of ours: infra names the header from here too (one home for the name).
 */
import { createHash, timingSafeEqual } from "node:crypto";

export const ORIGIN_VERIFY_HEADER = "x-origin-verify";

export const NOT_THROUGH_CDN_MESSAGE =
  "This address is not the editors' console. Open the console's address (the newsroom's CloudFront URL) and use the API from there.";

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Whether `headers` carry the CloudFront origin header with the expected value (compared in constant
 * time). Header names may come in any case; API Gateway's payload 2.0 lower-cases them.
 */
export function cameThroughCdn(
  headers: Record<string, string | undefined> | undefined,
  expected: string,
): boolean {
  let sent: string | undefined;
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === ORIGIN_VERIFY_HEADER) sent = value;
  }
  if (sent === undefined || expected.length === 0) return false;
  return timingSafeEqual(digest(sent), digest(expected));
}
