/** Lambda: publish every chart whose files changed. */
import { chartsPublicUrl, processWiring, publishWithFactsDeps, type Wiring } from "../composition.js";
import type { PublishReport } from "../domain/reports.js";
import { publishCharts } from "../pipeline/publish-charts.js";

export interface PublishEvent {
  runId?: string;
  charts?: string[];
}

/** The publish handler over a wiring: Lambda's is `handler`; `npm start` passes its own. */
export function publishHandler(w: Wiring = processWiring) {
  return async (event: PublishEvent = {}): Promise<PublishReport> =>
    publishCharts(publishWithFactsDeps(w), {
      publicBaseUrl: chartsPublicUrl(w),
      ...(event.charts ? { only: event.charts } : {}),
    });
}

export const handler = publishHandler();
