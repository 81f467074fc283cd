/**
 * How the pipeline emits the custom metrics the stack alarms on. Their namespace, names and dimension
 * live in metric-names.ts, which imports nothing: the stack (infra/constructs/monitoring.ts,
 * orchestration.ts) alarms on and queries the very names the pipeline emits without loading this
 * module (Powertools, env.ts) into the CDK app.
 *
 * Emitted through Powertools Metrics (`@aws-lambda-powertools/metrics`), which writes CloudWatch
 * Embedded Metric Format to Lambda's stdout (its own Console on process.stdout, so Lambda's JSON log
 * format does not wrap the line), validates names and units, and is flushed once per invocation by
 * the handler. One document per release outcome, from the normalize step, for example:
 *
 *   {"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"GaccTradeCharts",
 *     "Dimensions":[["Stage"]],"Metrics":[{"Name":"ReleasesAccepted","Unit":"Count"},
 *     {"Name":"ReleasesQuarantined","Unit":"Count"}]}]},"Stage":"prod","ReleasesAccepted":1,
 *     "ReleasesQuarantined":0}
 *
 * EMF needs no IAM permission: CloudWatch Logs extracts the metrics from the function's log group.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { optionalEnv } from "./env.js";
import { METRICS_NAMESPACE, PIPELINE_METRICS, STAGE_DIMENSION } from "./metric-names.js";

/**
 * A Powertools Metrics buffer for one deployment stage ("prod"): namespace `GaccTradeCharts`, one
 * dimension set [["Stage"]]. Powertools adds a `service` default dimension of its own; the alarms read
 * [Stage] alone, and a metric with an extra dimension is a different metric to CloudWatch, so it is
 * cleared first.
 */
export function pipelineMetrics(deploymentStage: string): Metrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE });
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ [STAGE_DIMENSION]: deploymentStage });
  return metrics;
}

/** Records the outcome of one normalized release (a skipped duplicate is not an outcome). */
export function recordReleaseOutcome(metrics: Metrics, status: string): void {
  const accepted = status === "normalized" || status === "accepted" ? 1 : 0;
  const quarantined = status === "quarantined" ? 1 : 0;
  if (accepted + quarantined === 0) return;
  // Both, zeros included: a Sum over a window then reads 0 rather than "no data".
  metrics.addMetric(PIPELINE_METRICS.releasesAccepted, MetricUnit.Count, accepted);
  metrics.addMetric(PIPELINE_METRICS.releasesQuarantined, MetricUnit.Count, quarantined);
}

/**
 * Ends an invocation: writes what was recorded as one EMF line — only in Lambda, where CloudWatch
 * reads stdout; elsewhere (`npm start`, tests) the line would only be noise, so it is dropped.
 */
export function flushMetrics(metrics: Metrics): void {
  if (!metrics.hasStoredMetrics()) return; // nothing recorded: no empty document, no Powertools warning
  if (optionalEnv("AWS_LAMBDA_FUNCTION_NAME")) metrics.publishStoredMetrics();
  else metrics.clearMetrics();
}
