/**
 * Where the Lambda handlers live. The three pipeline stages must exist; the editors' API is deployed
 * only when functions/handlers/api.ts exists, so the stack synthesizes before (and after) it is written.
 */
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
  /** Absent until functions/handlers/api.ts exists. */
  api?: string | undefined;
}

/** Absolute entry paths; throws naming any missing pipeline handler. */
export function handlerEntries(
  root: string = REPO_ROOT,
  exists: (path: string) => boolean = existsSync,
): HandlerEntries {
  const path = (file: string) => resolve(root, file);
  const required = ["fetch", "normalize", "publish", "upload"] as const;
  const missing = required.filter((k) => !exists(path(HANDLER_FILES[k])));
  if (missing.length > 0) {
    throw new Error(
      `Missing Lambda handler(s): ${missing.map((k) => HANDLER_FILES[k]).join(", ")}. Each must export \`handler\`.`,
    );
  }
  const api = path(HANDLER_FILES.api);
  return {
    fetch: path(HANDLER_FILES.fetch),
    normalize: path(HANDLER_FILES.normalize),
    publish: path(HANDLER_FILES.publish),
    upload: path(HANDLER_FILES.upload),
    api: exists(api) ? api : undefined,
  };
}
