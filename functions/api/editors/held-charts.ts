/**
 * Accepting a chart version the publish guard held back, after an editor's review. The API checks the
 * request (a reason, a known chart, a hold, the version the editor looked at) and starts a run (202);
 * the run records the acceptance and publishes (deployed: the workflow's PublishChartAccepted task in
 * the Publish function; locally: the in-process launcher), checking the hold again first
 * (functions/pipeline/accept-chart.ts). The API writes no hold and no chart file.
 */
import type { ChartHold } from "../../domain/chart-holds.js";
import { describeError, NotFound, StateConflict } from "../../domain/errors.js";
import type { Actor, ChartAcceptRequest, RunRecord } from "../../domain/runs.js";
import { whyNotAcceptable } from "../../pipeline/publish-guard.js";
import { beginRun, finishRun } from "../../pipeline/runs/lifecycle.js";
import { auditRefused, type EditorDeps, KNOWN_CHARTS, requiredReason } from "./deps.js";

/** The hold an editor accepts, or why not (409 NOT_HELD, audited as refused). */
async function heldChart(
  deps: EditorDeps,
  by: Actor,
  chartId: string,
  reason: string,
  candidateSha256: string | undefined,
): Promise<ChartHold> {
  const hold = await deps.holds.getHold(chartId);
  const problem = whyNotAcceptable(hold, chartId, candidateSha256);
  if (!problem && hold) return hold;
  await auditRefused(deps, by, { action: "accept-chart", target: chartId, reason, why: problem ?? "" });
  throw new StateConflict("NOT_HELD", problem ?? "");
}

/**
 * Starts the run that publishes the version of a chart the publish guard held back, after an editor's
 * review. `candidateSha256` names the version the editor looked at; without it, the version held now is
 * the one accepted (and the run refuses if another is held by the time it runs). Answers with the run to follow.
 */
export async function acceptChart(
  deps: EditorDeps,
  by: Actor,
  chartId: string,
  input: { reason?: unknown; candidateSha256?: unknown },
): Promise<{ run: RunRecord; chartId: string }> {
  const reason = requiredReason(
    input.reason,
    'Give a reason for publishing this chart (e.g. "checked: GACC revised last year\'s figures"); it is kept in the audit log.',
  );
  // An id that names no chart is a 404 before anything is recorded: no run, no audit entry.
  if (!KNOWN_CHARTS.includes(chartId)) {
    throw new NotFound(`There is no chart ${chartId}. Known charts: ${KNOWN_CHARTS.join(", ")}.`);
  }
  const given = typeof input.candidateSha256 === "string" ? input.candidateSha256 : undefined;
  const hold = await heldChart(deps, by, chartId, reason, given);
  const acceptChart: ChartAcceptRequest = {
    chartId,
    by: by.name,
    reason,
    candidateSha256: given ?? hold.candidateSha256,
  };
  const record = await beginRun(deps, {
    kind: "accept-chart",
    by,
    request: { acceptChart },
    audit: { target: chartId, details: { reason, candidateSha256: acceptChart.candidateSha256 } },
  });
  try {
    const { executionRef } = await deps.launcher.launch(record.request);
    return { run: { ...record, executionRef }, chartId };
  } catch (err) {
    await finishRun(deps, record, { normalize: [], errors: [{ stage: "publish", ...describeError(err) }] });
    throw err;
  }
}
