/**
 * Lambda: normalize one release (the state machine maps over the releases the fetch step hands on), or,
 * on the workflow's accept path, one held-back release an editor accepted: the preview they confirmed is
 * computed again first and, if it changed, nothing is written (`refused`, see pipeline/accept-release.ts).
 */
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { flushMetrics, pipelineMetrics, recordReleaseOutcome } from "../adapters/metrics.js";
import { normalizeDeps, processWiring, type Wiring } from "../composition.js";
import type { NormalizeReport } from "../domain/reports.js";
import type { AcceptRequest } from "../domain/runs.js";
import { type AcceptReport, normalizeAccepted } from "../pipeline/accept-release.js";
import { normalizeRelease } from "../pipeline/normalize-release.js";

export interface NormalizeEvent {
  releaseId: string;
  runId?: string;
  /** An editor's acceptance of this held-back release (the accept path; the editors' API starts it). */
  accept?: AcceptRequest | undefined;
}

export interface NormalizeHandler {
  (event: NormalizeEvent & { accept: AcceptRequest }): Promise<AcceptReport>;
  (event: NormalizeEvent): Promise<NormalizeReport>;
}

/** The normalize handler over a wiring: Lambda's is `handler`; `npm start` passes its own. */
export function normalizeHandler(w: Wiring = processWiring) {
  /** One buffer per container, made on first use (STAGE is not read at import time). */
  let metrics: Metrics | undefined;
  return (async (event: NormalizeEvent): Promise<NormalizeReport | AcceptReport> => {
    metrics ??= pipelineMetrics(w.env.deploymentStage);
    try {
      const report = event.accept
        ? await normalizeAccepted(normalizeDeps(w), { ...event.accept, releaseId: event.releaseId })
        : await normalizeRelease(normalizeDeps(w), event.releaseId);
      // The stack alarms on quarantines and on releases overdue: both read these metrics.
      if (!("refused" in report)) recordReleaseOutcome(metrics, report.status);
      return report;
    } finally {
      flushMetrics(metrics);
    }
  }) as NormalizeHandler;
}

export const handler = normalizeHandler();
