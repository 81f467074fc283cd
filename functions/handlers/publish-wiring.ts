/**
 * Publish as every run does it, the pipeline's (handlers/publish.ts) and the editors' API's (uploads,
 * acceptances): the chart files, then their facts files and the release alert, from the same run,
 * right after the files. Apart from wiring.ts so that only the bundles that publish carry the SNS client.
 */
import { env } from "../adapters/env.js";
import { SnsReleaseAlerts, snsClient } from "../adapters/sns-alerts.js";
import type { PublishDeps } from "../pipeline/publish-charts.js";
import { factsStep } from "../pipeline/publish-facts.js";
import { publishDeps } from "./wiring.js";

export function publishWithFactsDeps(): PublishDeps {
  const deps = publishDeps();
  return { ...deps, facts: factsStep({ charts: deps.charts, alerts: releaseAlerts() }) };
}

/** Release alerts to the SNS topic the stack names; none where no topic is configured (local runs). */
function releaseAlerts(): SnsReleaseAlerts | undefined {
  const topic = env.releaseAlertsTopicArn;
  return topic ? new SnsReleaseAlerts(snsClient(), topic) : undefined;
}
