/** Lambda: publish every chart whose files changed. */
import type { PublishReport } from "../domain/reports.js";
import { publishCharts } from "../pipeline/publish-charts.js";
import { publishWithFactsDeps } from "./publish-wiring.js";
import { chartsPublicUrl } from "./wiring.js";

export interface PublishEvent {
  runId?: string;
  charts?: string[];
}

export async function handler(event: PublishEvent = {}): Promise<PublishReport> {
  return publishCharts(publishWithFactsDeps(), {
    publicBaseUrl: chartsPublicUrl(),
    ...(event.charts ? { only: event.charts } : {}),
  });
}
