/** Publishing a chart version the publish guard held back, after an editor's review. */
import { describeError, NotFound, StateConflict } from "../../domain/errors.js";
import type { Actor, RunOutcome, RunRecord } from "../../domain/runs.js";
import { publishCharts } from "../../pipeline/publish-charts.js";
import { acceptHeldChart, NoHeldChart } from "../../pipeline/publish-guard.js";
import { beginRun, RunTracker } from "../../pipeline/runs/lifecycle.js";
import { type EditorDeps, KNOWN_CHARTS, requiredReason } from "./deps.js";

/** Publishes the version of a chart the publish guard held back, after an editor's review. */
export async function acceptChart(
  deps: EditorDeps,
  by: Actor,
  chartId: string,
  input: { reason?: unknown; candidateSha256?: unknown },
): Promise<{ run: RunRecord }> {
  const reason = requiredReason(
    input.reason,
    'Give a reason for publishing this chart (e.g. "checked: GACC revised last year\'s figures"); it is kept in the audit log.',
  );
  // An id that names no chart is a 404 before anything is recorded: no run, no audit entry.
  if (!KNOWN_CHARTS.includes(chartId)) {
    throw new NotFound(`There is no chart ${chartId}. Known charts: ${KNOWN_CHARTS.join(", ")}.`);
  }
  const holds = deps.publish.holds;
  if (!holds) throw new NotFound("This deployment keeps no held charts.");
  const candidateSha256 = typeof input.candidateSha256 === "string" ? input.candidateSha256 : undefined;
  const record = await beginRun(deps, {
    kind: "accept-chart",
    by,
    request: { charts: [chartId] },
    audit: { target: chartId, details: { reason } },
  });
  const tracker = new RunTracker(deps, record);
  const outcome: RunOutcome = { normalize: [], errors: [] };
  try {
    await acceptHeldChart(holds, chartId, { by: by.name, reason, candidateSha256 }, deps.now());
    await tracker.update("publish", { status: "running", message: `Publishing the accepted ${chartId}` });
    outcome.publish = await publishCharts(deps.publish, { publicBaseUrl: deps.publicBaseUrl });
    await tracker.update("publish", {
      status: "done",
      message: `${outcome.publish.filesWritten.length} chart files written, ${outcome.publish.filesUnchanged} unchanged`,
    });
  } catch (err) {
    outcome.errors.push({ stage: "publish", ...describeError(err) });
    await tracker.finish(outcome);
    if (err instanceof NoHeldChart) throw new StateConflict("NOT_HELD", err.message);
    throw err;
  }
  return { run: await tracker.finish(outcome) };
}
