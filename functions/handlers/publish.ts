/** Lambda: publish every chart whose files changed. */
import { env } from "../adapters/env.js";
import { SnsReleaseAlerts, snsClient } from "../adapters/sns-alerts.js";
import type { PublishReport } from "../domain/reports.js";
import { publishCharts } from "../pipeline/publish-charts.js";
import { factsStep } from "../pipeline/publish-facts.js";
import { chartsPublicUrl, publishDeps } from "./wiring.js";

/** Release alerts to the SNS topic the stack names; none where no topic is configured (local runs). */
function releaseAlerts(): SnsReleaseAlerts | undefined {
  const topic = env.releaseAlertsTopicArn;
  return topic ? new SnsReleaseAlerts(snsClient(), topic) : undefined;
}

export interface PublishEvent {
  runId?: string;
  charts?: string[];
}

export async function handler(event: PublishEvent = {}): Promise<PublishReport> {
  const deps = publishDeps();
  // Facts and the release alert come from this function only (see PublishDeps.facts).
  const facts = factsStep({ charts: deps.charts, alerts: releaseAlerts() });
  return publishCharts(
    { ...deps, facts },
    {
      publicBaseUrl: chartsPublicUrl(),
      ...(event.charts ? { only: event.charts } : {}),
    },
  );
}
