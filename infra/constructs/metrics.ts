/**
 * The custom metrics the stack alarms on, and who emits them. Plain constants (no CDK import) so that a
 * test, a script or the pipeline itself can read the same names.
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
