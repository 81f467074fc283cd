/** Lambda: normalize one release (the state machine maps over the releases the fetch stage hands on). */
import { env } from "../adapters/env.js";
import { emitReleaseOutcome } from "../adapters/metrics.js";
import { type NormalizeReport, normalizeRelease } from "../pipeline/normalize-release.js";
import { normalizeDeps } from "./wiring.js";

export interface NormalizeEvent {
  releaseId: string;
  runId?: string;
  /** An editor's acceptance of a quarantined release (the editors' API sets this). */
  acceptance?: { by: string; reason: string };
}

export async function handler(event: NormalizeEvent): Promise<NormalizeReport> {
  const report = await normalizeRelease(
    normalizeDeps(),
    event.releaseId,
    event.acceptance ? { acceptance: event.acceptance } : {},
  );
  // The stack alarms on quarantines and on releases overdue: both read these metrics.
  emitReleaseOutcome(report.status, env.stage);
  return report;
}
