/** Lambda: publish every chart whose files changed. */
import { type PublishReport, publishCharts } from "../pipeline/publish-charts.js";
import { chartsPublicUrl, publishDeps } from "./wiring.js";

export interface PublishEvent {
  runId?: string;
  charts?: string[];
}

export async function handler(event: PublishEvent = {}): Promise<PublishReport> {
  return publishCharts(publishDeps(), {
    publicBaseUrl: chartsPublicUrl(),
    ...(event.charts ? { only: event.charts } : {}),
  });
}
