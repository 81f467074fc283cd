/**
 * Archiving a release: its bytes go to the raw store at a content-addressed key (with source URL,
 * fetched-at and sha256), and the release is recorded as "fetched", ready to normalize. Shared by the
 * fetch stage (GACC pages) and uploads (query-platform exports), so every number has the same trail.
 */

import type { Release } from "../domain/model.js";
import type { RawStore, ReleaseStore } from "../domain/ports.js";
import { ARCHIVE_PREFIX } from "../domain/raw-keys.js";
import { sha256Hex } from "../domain/sha256.js";

export function rawKeyFor(sha256: string, contentType: string): string {
  const ext = /html/i.test(contentType) ? "html" : /csv/i.test(contentType) ? "csv" : "bin";
  return `${ARCHIVE_PREFIX}sha256/${sha256.slice(0, 2)}/${sha256}.${ext}`;
}

/** What the caller knows about a release; the archive adds the hash, key, status and times. */
export type ReleaseFacts<R extends Release> = Omit<
  R,
  "sha256" | "rawKey" | "fetchedAt" | "status" | "reasons" | "warnings" | "updatedAt"
>;

export async function archiveRelease<R extends Release>(
  deps: { raw: RawStore; releases: ReleaseStore },
  input: {
    bytes: Uint8Array;
    contentType: string;
    /** Where the bytes came from, as stored with them (the fetched URL, or who uploaded what). */
    sourceUrl: string;
    fetchedAt: string;
    sha256?: string;
    facts: ReleaseFacts<R>;
  },
): Promise<R> {
  const sha256 = input.sha256 ?? sha256Hex(input.bytes);
  const rawKey = rawKeyFor(sha256, input.contentType);
  await deps.raw.put(rawKey, input.bytes, {
    sourceUrl: input.sourceUrl,
    fetchedAt: input.fetchedAt,
    sha256,
    contentType: input.contentType,
  });
  const release = {
    ...input.facts,
    sha256,
    rawKey,
    fetchedAt: input.fetchedAt,
    status: "fetched",
    reasons: [],
    warnings: [],
    updatedAt: input.fetchedAt,
  } as unknown as R;
  await deps.releases.putRelease(release);
  return release;
}
