/** Lambda: normalize one release (the state machine maps over the fetch stage's changed releases). */
import { type NormalizeReport, normalizeRelease } from "../pipeline/normalize-release.js";
import { normalizeDeps } from "./wiring.js";

export interface NormalizeEvent {
  releaseId: string;
  runId?: string;
  /** An editor's acceptance of a quarantined release (the editors' API sets this). */
  acceptance?: { by: string; reason: string };
}

export async function handler(event: NormalizeEvent): Promise<NormalizeReport> {
  return normalizeRelease(
    normalizeDeps(),
    event.releaseId,
    event.acceptance ? { acceptance: event.acceptance } : {},
  );
}
