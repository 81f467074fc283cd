/**
 * The normalize step as the Normalize function runs it, over dependencies given to it: one release
 * normalized (or, on the workflow's accept path, accepted), its outcome counted in the metrics the stack
 * alarms on. It imports no SDK client (the caller passes the stores), so the Upload function can import
 * it when its normalize state first runs, not at a cold start: esbuild wraps whatever a dynamic import
 * reaches, and a wrapped SDK client keeps every command it exports (functions/composition.ts).
 */
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { flushMetrics, pipelineMetrics, recordReleaseOutcome } from "../adapters/metrics.js";
import { InvalidRequest } from "../domain/errors.js";
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

/** The accept path's code (the acceptance's preview builds charts), loaded when an acceptance arrives. */
export type AcceptLoader = () => Promise<typeof import("../pipeline/accept-release.js")>;

/**
 * `deps` and `stage` are asked for on each event (the stage is not read at import time). `accept`
 * loads the accept path; without it (the Upload function, which is never asked to accept) an event
 * carrying an acceptance is refused, and the bundle carries no chart building for it.
 */
export function normalizeStep(
  deps: () => NormalizeDeps,
  stage: () => string,
  accept?: AcceptLoader,
): NormalizeHandler {
  /** One buffer per container, made on first use. */
  let metrics: Metrics | undefined;
  return (async (event: NormalizeEvent): Promise<NormalizeReport | AcceptReport> => {
    metrics ??= pipelineMetrics(stage());
    try {
      let report: NormalizeReport | AcceptReport;
      if (event.accept) {
        if (!accept) throw new InvalidRequest("This function does not accept held-back releases.");
        report = await (await accept()).normalizeAccepted(deps(), {
          ...event.accept,
          releaseId: event.releaseId,
        });
      } else report = await normalizeRelease(deps(), event.releaseId);
      // The stack alarms on quarantines and on releases overdue: both read these metrics.
      if (!("refused" in report)) recordReleaseOutcome(metrics, report.status);
      return report;
    } finally {
      flushMetrics(metrics);
    }
  }) as NormalizeHandler;
}
