/** Lambda: normalize one release (the state machine maps over the releases the fetch step hands on). */
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { flushMetrics, pipelineMetrics, recordReleaseOutcome } from "../adapters/metrics.js";
import { normalizeDeps, processWiring, type Wiring } from "../composition.js";
import type { NormalizeReport } from "../domain/reports.js";
import { normalizeRelease } from "../pipeline/normalize-release.js";

export interface NormalizeEvent {
  releaseId: string;
  runId?: string;
  /** An editor's acceptance of a quarantined release (the editors' API sets this). */
  acceptance?: { by: string; reason: string };
}

/** The normalize handler over a wiring: Lambda's is `handler`; `npm start` passes its own. */
export function normalizeHandler(w: Wiring = processWiring) {
  /** One buffer per container, made on first use (STAGE is not read at import time). */
  let metrics: Metrics | undefined;
  return async (event: NormalizeEvent): Promise<NormalizeReport> => {
    metrics ??= pipelineMetrics(w.env.deploymentStage);
    try {
      const report = await normalizeRelease(
        normalizeDeps(w),
        event.releaseId,
        event.acceptance ? { acceptance: event.acceptance } : {},
      );
      // The stack alarms on quarantines and on releases overdue: both read these metrics.
      recordReleaseOutcome(metrics, report.status);
      return report;
    } finally {
      flushMetrics(metrics);
    }
  };
}

export const handler = normalizeHandler();
