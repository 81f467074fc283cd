/**
 * Real GACC pages and files live in ../shared/data/gacc (never committed here). Tests that need them
 * skip with a visible reason when the folder is absent, and fail under CI (CI=true) instead.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const sharedGaccDir = process.env.SHARED_GACC_DIR ?? resolve(repoRoot, "../shared/data/gacc");
export const sharedAvailable = existsSync(sharedGaccDir);

if (!sharedAvailable) {
  const msg = `../shared/data/gacc not found at ${sharedGaccDir}: tests on real GACC files are skipped.`;
  if (process.env.CI === "true") throw new Error(`${msg} Under CI this is an error.`);
  console.warn(`SKIPPED: ${msg}`);
}

/**
 * describe() that runs only when the real files are present (and fails under CI when they are not).
 * When they are absent the suite's body is never evaluated (it may read the files at collection time):
 * a skipped placeholder says why.
 */
export function describeWithSharedData(name: string, factory: () => void): void {
  if (sharedAvailable) {
    describe(name, factory);
    return;
  }
  describe.skip(name, () => {
    it.skip(`needs the real GACC files in ${sharedGaccDir}`, () => {});
  });
}

export function sharedPath(...parts: string[]): string {
  return join(sharedGaccDir, ...parts);
}

export function readShared(...parts: string[]): Buffer {
  return readFileSync(sharedPath(...parts));
}
