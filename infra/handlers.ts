/** Where the Lambda handlers live: synth stops, naming the file, when one is missing. */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The editors' console (static files), deployed with the API behind CloudFront. */
export const CONSOLE_DIR = resolve(REPO_ROOT, "console");

export const HANDLER_FILES = {
  fetch: "functions/handlers/fetch.ts",
  normalize: "functions/handlers/normalize.ts",
  publish: "functions/handlers/publish.ts",
  upload: "functions/handlers/upload.ts",
  api: "functions/handlers/api.ts",
} as const;

export interface HandlerEntries {
  fetch: string;
  normalize: string;
  publish: string;
  /** An editor's upload in the workflow (deployed with the editors' API, which stages uploads). */
  upload: string;
  /** The editors' API, and the polling schedules' `scheduled` entry point in the same file. */
  api: string;
}

/** Absolute entry paths; throws naming any missing handler. */
export function handlerEntries(
  root: string = REPO_ROOT,
  exists: (path: string) => boolean = existsSync,
): HandlerEntries {
  const path = (file: string) => resolve(root, file);
  const missing = (Object.keys(HANDLER_FILES) as (keyof typeof HANDLER_FILES)[]).filter(
    (k) => !exists(path(HANDLER_FILES[k])),
  );
  if (missing.length > 0) {
    throw new Error(
      `Missing Lambda handler(s): ${missing.map((k) => HANDLER_FILES[k]).join(", ")}. Each must export \`handler\`.`,
    );
  }
  return {
    fetch: path(HANDLER_FILES.fetch),
    normalize: path(HANDLER_FILES.normalize),
    publish: path(HANDLER_FILES.publish),
    upload: path(HANDLER_FILES.upload),
    api: path(HANDLER_FILES.api),
  };
}
