/**
 * The custom metrics' namespace, names and dimension: the one source for the pipeline that emits them
 * (metrics.ts) and the stack that alarms on and queries them (infra/constructs/monitoring.ts,
 * orchestration.ts). Imports nothing, so the CDK app reads the names without loading Powertools or
 * the environment reader.
 */

export const METRICS_NAMESPACE = "GaccTradeCharts";
/** The dimension naming the deployment stage ("prod") a metric comes from. */
export const STAGE_DIMENSION = "Stage";

export const PIPELINE_METRICS = {
  /** Count of releases that passed their checks (status normalized) or were accepted by an editor,
   * emitted by the normalize step each time it finishes a release. Read by the overdue check. */
  releasesAccepted: "ReleasesAccepted",
  /** Count of releases held back by a blocking check (status quarantined), emitted by the normalize
   * step. Any value > 0 raises an alarm: an editor should look at the run report. */
  releasesQuarantined: "ReleasesQuarantined",
  /** 1 when a release window closed days ago without any accepted release, 0 otherwise. Emitted by
   * the stack's own overdue-check state machine (not by a Lambda function). */
  releasesOverdue: "ReleasesOverdue",
} as const;
