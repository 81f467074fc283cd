/** Lambda: normalize one release (the state machine maps over the releases the fetch step hands on). */
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { env } from "../adapters/env.js";
import { flushMetrics, pipelineMetrics, recordReleaseOutcome } from "../adapters/metrics.js";
import type { NormalizeReport } from "../domain/reports.js";
import { normalizeRelease } from "../pipeline/normalize-release.js";
import { normalizeDeps } from "./wiring.js";

export interface NormalizeEvent {
  releaseId: string;
  runId?: string;
  /** An editor's acceptance of a quarantined release (the editors' API sets this). */
  acceptance?: { by: string; reason: string };
}

/** One buffer per container, made on first use (STAGE is not read at import time). */
let metrics: Metrics | undefined;

export async function handler(event: NormalizeEvent): Promise<NormalizeReport> {
  metrics ??= pipelineMetrics(env.deploymentStage);
  try {
    const report = await normalizeRelease(
      normalizeDeps(),
      event.releaseId,
      event.acceptance ? { acceptance: event.acceptance } : {},
    );
    // The stack alarms on quarantines and on releases overdue: both read these metrics.
    recordReleaseOutcome(metrics, report.status);
    return report;
  } finally {
    flushMetrics(metrics);
  }
}
