/**
 * Which request paths name a published chart file, and the storage key they name. One rule for every
 * server of the charts bucket: locally (local/server.ts, where the S3 emulator maps keys to files on
 * disk, so `..` in a key would leave the bucket) and in the tests that pin the rule. Deployed,
 * CloudFront sends only `/charts/*` to the charts bucket, and S3 keys are names, not paths.
 *
 * Checked on the path as it arrived, before and after decoding: no `.` or `..` segment, no encoded
 * `/` or `\`, no backslash, no NUL or other control character, no malformed escape. Every segment is
 * a plain file name (letters, digits, `.`, `_`, `-`), which is all the publish stage ever writes.
 */

/** The only prefix chart files are served from. */
export const CHARTS_PREFIX = "charts/";
export const CHARTS_URL_PREFIX = `/${CHARTS_PREFIX}`;

export type PublicPathResult = { ok: true; key: string } | { ok: false; status: 400 | 404; message: string };

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks a raw request path (still percent-encoded, query string removed) under `urlPrefix` and
 * returns the relative path it names (segments joined by `/`), or why not: 400 for a path no
 * honest client sends, 404 for a well-formed name that is simply not a file we publish.
 */
export function checkedRelativePath(rawPath: string, urlPrefix = "/"): PublicPathResult {
  if (!rawPath.startsWith(urlPrefix)) return { ok: false, status: 404, message: "Not found" };
  const encoded = rawPath.slice(urlPrefix.length);
  // Encoded separators and NUL are refused before decoding: after it they look like real ones.
  if (/%(2f|5c|00)/i.test(encoded)) {
    return { ok: false, status: 400, message: "Bad path: encoded separators are not allowed" };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return { ok: false, status: 400, message: "Bad path: malformed percent-encoding" };
  }
  if (CONTROL.test(decoded) || decoded.includes("\\")) {
    return { ok: false, status: 400, message: "Bad path: control characters or backslashes" };
  }
  const segments = decoded.split("/");
  if (segments.some((s) => s === "." || s === "..")) {
    return { ok: false, status: 400, message: "Bad path: no . or .. segments" };
  }
  if (segments.some((s) => !SEGMENT.test(s))) return { ok: false, status: 404, message: "Not found" };
  return { ok: true, key: segments.join("/") };
}

/** A raw request path → the key of a chart file in the charts bucket (always under `charts/`). */
export function chartKeyFromPath(rawPath: string): PublicPathResult {
  const checked = checkedRelativePath(rawPath, CHARTS_URL_PREFIX);
  return checked.ok ? { ok: true, key: `${CHARTS_PREFIX}${checked.key}` } : checked;
}
