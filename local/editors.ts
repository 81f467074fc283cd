/**
 * The editors' API as `npm start` (and the tests) run it: the shared router and use cases, the run
 * store on the local DynamoDB, and refreshes run in this process by the InProcessLauncher.
 */
import { randomBytes } from "node:crypto";
import { EDITOR_GROUP } from "../functions/api/auth.js";
import type { EditorDeps } from "../functions/api/editors/deps.js";
import { EditorService } from "../functions/api/editors/service.js";
import type { ApiHandler } from "../functions/api/router.js";
import { createEditorsApi } from "../functions/api/routes.js";
import { editorDeps, LOCAL_LOCK_TTL_MS, processWiring, type Wiring } from "../functions/composition.js";
import { InProcessLauncher } from "./launcher.js";
import type { RunProgress } from "./run-pipeline.js";
import { type ApiRoute, LOCAL_SIGN_IN_HINT, nodeApiRoute } from "./server.js";

export interface LocalEditors {
  service: EditorService;
  launcher: InProcessLauncher;
  deps: EditorDeps;
  api: ApiHandler;
  /** The API mounted for the local server (checks the bearer token). */
  route: ApiRoute;
  token: string;
}

/** A fresh random editor token (URL-safe, 32 characters). */
export function generateEditorToken(): string {
  return randomBytes(24).toString("base64url");
}

export function createLocalEditors(options: {
  token: string;
  /** What the API and its runs work on (default: the process environment). */
  wiring?: Wiring;
  since?: number;
  lockTtlMs?: number;
  onProgress?: (runId: string, p: RunProgress) => void;
  now?: () => Date;
}): LocalEditors {
  let deps: EditorDeps | undefined;
  const wiring = options.wiring ?? processWiring;
  const launcher = new InProcessLauncher({
    deps: () => deps as EditorDeps,
    wiring,
    since: options.since,
    onProgress: options.onProgress,
  });
  deps = editorDeps(
    {
      launcher,
      lockTtlMs: options.lockTtlMs ?? LOCAL_LOCK_TTL_MS,
      ...(options.now ? { now: options.now } : {}),
    },
    wiring,
  );
  const service = new EditorService(deps);
  const api = createEditorsApi(service, {
    readsNeedIdentity: false,
    editorGroup: EDITOR_GROUP,
    signInHint: LOCAL_SIGN_IN_HINT,
  });
  return {
    service,
    launcher,
    deps,
    api,
    route: nodeApiRoute(api, { token: options.token }),
    token: options.token,
  };
}
