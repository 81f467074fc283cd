/**
 * Lambda: an editor's upload, in the workflow (infra: the Uploads function, invoked by the states
 * StoreUpload and NormalizeUpload). The editors' API only stages the bytes and starts the run; the
 * reading happens here, in a function sized for a 45,000-row export, not in an API request.
 *
 *   { runId, upload }     → archives the staged bytes at their content address and records the
 *                           release, or says why not (`refused`: nothing stored)
 *   { runId, releaseId }  → normalizes that release, exactly as the normalize function does (its step,
 *                           handlers/normalize-step.ts), with the query-export reader only
 *
 * Each path's code is imported when that path first runs, as the editors' API loads per route: a cold
 * start evaluates the wiring and its SDK clients only (the query-export reader, the normalize step, its
 * metrics and partner table wait for the state that needs them). Only SDK-free modules are imported
 * lazily (see functions/composition.ts, publishWithFactsDeps).
 */

import { processWiring, uploadDeps, uploadNormalizeDeps, type Wiring } from "../composition.js";
import type { NormalizeReport } from "../domain/reports.js";
import type { StagedUpload } from "../domain/runs.js";
import type { StoreUploadReport } from "../pipeline/upload-release.js";
import type { NormalizeHandler } from "./normalize-step.js";

export type UploadEvent = { runId?: string; upload: StagedUpload } | { runId?: string; releaseId: string };

/** The upload handler over a wiring: Lambda's is `handler`; `npm start` passes its own. */
export function uploadHandler(w: Wiring = processWiring) {
  let normalize: Promise<NormalizeHandler> | undefined;
  function handle(event: { runId?: string; upload: StagedUpload }): Promise<StoreUploadReport>;
  function handle(event: { runId?: string; releaseId: string }): Promise<NormalizeReport>;
  async function handle(event: UploadEvent): Promise<StoreUploadReport | NormalizeReport> {
    if ("upload" in event) {
      const { storeStagedUpload } = await import("../pipeline/upload-release.js");
      return storeStagedUpload(uploadDeps(w), event.upload);
    }
    // The very step the Normalize function runs, reading with the query-export parser only.
    normalize ??= import("./normalize-step.js").then((m) =>
      m.normalizeStep(
        () => uploadNormalizeDeps(w),
        () => w.env.deploymentStage,
      ),
    );
    return (await normalize)({ releaseId: event.releaseId, ...(event.runId ? { runId: event.runId } : {}) });
  }
  return handle;
}

export const handler = uploadHandler();
