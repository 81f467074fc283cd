/**
 * Lambda: an editor's upload, in the workflow (infra: the Uploads function, invoked by the states
 * StoreUpload and NormalizeUpload). The editors' API only stages the bytes and starts the run; the
 * reading happens here, in a function sized for a 45,000-row export, not in an API request.
 *
 *   { runId, upload }     → archives the staged bytes at their content address and records the
 *                           release, or says why not (`refused`: nothing stored)
 *   { runId, releaseId }  → normalizes that release, exactly as the normalize function does
 */

import type { NormalizeReport } from "../domain/reports.js";
import { type StagedUpload, type StoreUploadReport, storeStagedUpload } from "../pipeline/upload-release.js";
import { handler as normalize } from "./normalize.js";
import { uploadDeps } from "./wiring.js";

export type UploadEvent = { runId?: string; upload: StagedUpload } | { runId?: string; releaseId: string };

export async function handler(event: { runId?: string; upload: StagedUpload }): Promise<StoreUploadReport>;
export async function handler(event: { runId?: string; releaseId: string }): Promise<NormalizeReport>;
export async function handler(event: UploadEvent): Promise<StoreUploadReport | NormalizeReport> {
  if ("upload" in event) return storeStagedUpload(uploadDeps(), event.upload);
  return normalize({ releaseId: event.releaseId, ...(event.runId ? { runId: event.runId } : {}) });
}
