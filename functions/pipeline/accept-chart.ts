/**
 * An editor's acceptance of a chart version the publish guard held back, in the run the editors' API
 * started for it (deployed: the workflow's PublishChartAccepted task, in the Publish function; locally:
 * the in-process launcher). The API checked that the version the editor looked at is held; here, under
 * the run (whose lock keeps other runs out), it is checked again, the acceptance is recorded and the
 * charts are published, so the API itself writes no hold and no chart file. If another version is held
 * by now (or none), nothing is recorded or published and the run ends with the reason in the editor's words.
 */
import type { PublishReport } from "../domain/reports.js";
import type { ChartAcceptRequest } from "../domain/runs.js";
import { type PublishDeps, type PublishOptions, publishCharts } from "./publish-charts.js";
import { acceptHeldChart, NoHeldChart } from "./publish-guard.js";

/** Why a chart's acceptance was not carried out (nothing recorded or published): the editor reads `message`. */
export interface ChartAcceptRefusal {
  code: "NOT_HELD";
  message: string;
}

/** What the accepted chart's publish step did: the charts published with the acceptance, or why not. */
export type ChartAcceptReport = PublishReport | { refused: ChartAcceptRefusal };

export async function publishAcceptedChart(
  deps: PublishDeps,
  request: ChartAcceptRequest & { runId?: string | undefined },
  options: PublishOptions,
  now: Date = new Date(),
): Promise<ChartAcceptReport> {
  if (!deps.holds) {
    return { refused: { code: "NOT_HELD", message: "This deployment keeps no held charts." } };
  }
  try {
    await acceptHeldChart(
      deps.holds,
      request.chartId,
      {
        by: request.by,
        reason: request.reason,
        candidateSha256: request.candidateSha256,
        runId: request.runId,
      },
      now,
    );
  } catch (err) {
    if (err instanceof NoHeldChart) return { refused: { code: "NOT_HELD", message: err.message } };
    throw err;
  }
  // Every chart, as every publish does (only changed bytes are written): the accepted version is written
  // because its hold now says accepted for exactly these bytes.
  return publishCharts(deps, options);
}
