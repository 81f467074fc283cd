/**
 * Lambda: publish every chart whose files changed; on the workflow's held-chart path (the editors' API
 * starts it), first record an editor's acceptance of the chart version the publish guard held back, if
 * that version is still the one held (`refused` otherwise, nothing written: pipeline/accept-chart.ts).
 */
import { chartsPublicUrl, processWiring, publishWithFactsDeps, type Wiring } from "../composition.js";
import type { PublishReport } from "../domain/reports.js";
import type { ChartAcceptRequest } from "../domain/runs.js";
import { type ChartAcceptReport, publishAcceptedChart } from "../pipeline/accept-chart.js";
import { publishCharts } from "../pipeline/publish-charts.js";

export interface PublishEvent {
  runId?: string;
  /** Only these charts (an editor's refresh may name them); null or absent: all. */
  charts?: string[] | null | undefined;
  /** An editor's acceptance of a held-back chart (the held-chart path; the editors' API starts it). */
  acceptChart?: ChartAcceptRequest | null | undefined;
}

export interface PublishHandler {
  (event: PublishEvent & { acceptChart: ChartAcceptRequest }): Promise<ChartAcceptReport>;
  (event?: PublishEvent): Promise<PublishReport>;
}

/** The publish handler over a wiring: Lambda's is `handler`; `npm start` passes its own. */
export function publishHandler(w: Wiring = processWiring): PublishHandler {
  return (async (event: PublishEvent = {}): Promise<PublishReport | ChartAcceptReport> => {
    const options = {
      publicBaseUrl: chartsPublicUrl(w),
      ...(event.charts ? { only: event.charts } : {}),
    };
    if (event.acceptChart) {
      return publishAcceptedChart(
        publishWithFactsDeps(w),
        { ...event.acceptChart, runId: event.runId },
        options,
      );
    }
    return publishCharts(publishWithFactsDeps(w), options);
  }) as PublishHandler;
}

export const handler = publishHandler();
