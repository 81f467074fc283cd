/**
 * Lambda: an editor's upload, in the workflow (infra: the Uploads function, invoked by the states
 * StoreUpload and NormalizeUpload). The editors' API only stages the bytes and starts the run; the
 * reading happens here, in a function sized for a 45,000-row export, not in an API request.
 *
 *   { runId, upload }     → archives the staged bytes at their content address and records the
 *                           release, or says why not (`refused`: nothing stored)
 *   { runId, releaseId }  → normalizes that release, exactly as the normalize function does
 */

import { processWiring, uploadDeps, type Wiring } from "../composition.js";
import type { NormalizeReport } from "../domain/reports.js";
import { type StagedUpload, type StoreUploadReport, storeStagedUpload } from "../pipeline/upload-release.js";
import { normalizeHandler } from "./normalize.js";

export type UploadEvent = { runId?: string; upload: StagedUpload } | { runId?: string; releaseId: string };

/** The upload handler over a wiring: Lambda's is `handler`; `npm start` passes its own. */
export function uploadHandler(w: Wiring = processWiring) {
  const normalize = normalizeHandler(w);
  function handle(event: { runId?: string; upload: StagedUpload }): Promise<StoreUploadReport>;
  function handle(event: { runId?: string; releaseId: string }): Promise<NormalizeReport>;
  async function handle(event: UploadEvent): Promise<StoreUploadReport | NormalizeReport> {
    if ("upload" in event) return storeStagedUpload(uploadDeps(w), event.upload);
    return normalize({ releaseId: event.releaseId, ...(event.runId ? { runId: event.runId } : {}) });
  }
  return handle;
}

export const handler = uploadHandler();
