/**
 * The normalize step as the Normalize function runs it, over dependencies given to it: one release
 * normalized (or, on the workflow's accept path, accepted), its outcome counted in the metrics the stack
 * alarms on. It imports no SDK client (the caller passes the stores), so the Upload function can import
 * it when its normalize state first runs, not at a cold start: esbuild wraps whatever a dynamic import
 * reaches, and a wrapped SDK client keeps every command it exports (functions/composition.ts).
 */
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { flushMetrics, pipelineMetrics, recordReleaseOutcome } from "../adapters/metrics.js";
import type { NormalizeReport } from "../domain/reports.js";
import type { AcceptRequest } from "../domain/runs.js";
import type { AcceptReport } from "../pipeline/accept-release.js";
import { type NormalizeDeps, normalizeRelease } from "../pipeline/normalize-release.js";

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

/** `deps` and `stage` are asked for on each event (the stage is not read at import time). */
export function normalizeStep(deps: () => NormalizeDeps, stage: () => string): NormalizeHandler {
  /** One buffer per container, made on first use. */
  let metrics: Metrics | undefined;
  return (async (event: NormalizeEvent): Promise<NormalizeReport | AcceptReport> => {
    metrics ??= pipelineMetrics(stage());
    try {
      // The acceptance's preview (chart building) is loaded only on the accept path.
      const report = event.accept
        ? await (await import("../pipeline/accept-release.js")).normalizeAccepted(deps(), {
            ...event.accept,
            releaseId: event.releaseId,
          })
        : await normalizeRelease(deps(), event.releaseId);
      // The stack alarms on quarantines and on releases overdue: both read these metrics.
      if (!("refused" in report)) recordReleaseOutcome(metrics, report.status);
      return report;
    } finally {
      flushMetrics(metrics);
    }
  }) as NormalizeHandler;
}
