/**
 * The custom metrics the stack alarms on, and the one function that emits them. Plain constants (no CDK
 * import): the stack (infra/constructs/monitoring.ts) alarms on the very names the pipeline emits.
 *
 * Namespace `GaccTradeCharts`, one dimension set: [["Stage"]] with Stage = the function's STAGE
 * variable ("dev", "prod"). Emitted by the pipeline as CloudWatch Embedded Metric Format: one JSON
 * object per line written straight to stdout (`process.stdout.write(JSON.stringify(doc) + "\n")`, not
 * console.log, which Lambda's JSON log format would wrap), for example from the normalize stage:
 *
 *   {"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"GaccTradeCharts",
 *     "Dimensions":[["Stage"]],"Metrics":[{"Name":"ReleasesAccepted","Unit":"Count"},
 *     {"Name":"ReleasesQuarantined","Unit":"Count"}]}]},"Stage":"prod","ReleasesAccepted":1,
 *     "ReleasesQuarantined":0}
 *
 * EMF needs no IAM permission: CloudWatch Logs extracts the metrics from the function's log group.
 */
import { optionalEnv } from "./env.js";

export const METRICS_NAMESPACE = "GaccTradeCharts";
export const STAGE_DIMENSION = "Stage";

export const PIPELINE_METRICS = {
  /** Count of releases that passed their checks (status normalized) or were accepted by an editor,
   * emitted by the normalize stage each time it finishes a release. Read by the overdue check. */
  releasesAccepted: "ReleasesAccepted",
  /** Count of releases held back by a blocking check (status quarantined), emitted by the normalize
   * stage. Any value > 0 raises an alarm: an editor should look at the run report. */
  releasesQuarantined: "ReleasesQuarantined",
  /** 1 when a release window closed days ago without any accepted release, 0 otherwise. Emitted by
   * the stack's own overdue-check state machine (not by a Lambda function). */
  releasesOverdue: "ReleasesOverdue",
} as const;

/** Writes EMF lines where CloudWatch reads them (Lambda's stdout); elsewhere they would only be noise. */
function defaultWriter(): ((line: string) => void) | undefined {
  return optionalEnv("AWS_LAMBDA_FUNCTION_NAME") ? (l) => process.stdout.write(l) : undefined;
}

/** Emits the outcome of one normalized release as CloudWatch Embedded Metric Format. */
export function emitReleaseOutcome(
  status: string,
  stage: string,
  write: ((line: string) => void) | undefined = defaultWriter(),
): void {
  if (!write) return;
  const accepted = status === "normalized" || status === "accepted" ? 1 : 0;
  const quarantined = status === "quarantined" ? 1 : 0;
  if (accepted + quarantined === 0) return; // skipped duplicates are not outcomes
  const doc = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [[STAGE_DIMENSION]],
          Metrics: [
            { Name: PIPELINE_METRICS.releasesAccepted, Unit: "Count" },
            { Name: PIPELINE_METRICS.releasesQuarantined, Unit: "Count" },
          ],
        },
      ],
    },
    [STAGE_DIMENSION]: stage,
    [PIPELINE_METRICS.releasesAccepted]: accepted,
    [PIPELINE_METRICS.releasesQuarantined]: quarantined,
  };
  write(`${JSON.stringify(doc)}\n`);
}
