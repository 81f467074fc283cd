/**
 * The pipeline's steps, declared once and in order. The workflow (infra/constructs/orchestration.ts,
 * its order checked against this list by test/infra/stack.test.ts), the local runner
 * (local/run-pipeline.ts) and the editors' runs (an upload or an acceptance runs the tail of it, in
 * the workflow too) follow this list. Imports nothing, so infra can use it without pulling function code into the CDK app.
 */
export const PIPELINE_STEPS = ["fetch", "normalize", "publish"] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/** A run's stages: the pipeline's steps, and an upload's "store" in place of fetch. */
export type StageName = PipelineStep | "store";

/** The workflow's Lambda task for each step; functions/adapters/sfn-launcher.ts reads progress by them. */
export const STEP_TASK_STATE: Record<PipelineStep, string> = {
  fetch: "Fetch",
  normalize: "Normalize",
  publish: "Publish",
};

/** The workflow's Lambda tasks on an upload's path: its store, then the steps after fetch. */
export const UPLOAD_TASK_STATE = {
  store: "StoreUpload",
  normalize: "NormalizeUpload",
  publish: "PublishUpload",
} as const satisfies Record<Exclude<StageName, "fetch">, string>;

/** The workflow's Lambda tasks on an acceptance's path: the steps after fetch. */
export const ACCEPT_TASK_STATE = {
  normalize: "NormalizeAccepted",
  publish: "PublishAccepted",
} as const satisfies Record<Exclude<PipelineStep, "fetch">, string>;

/** The workflow's Lambda task on a held-back chart's acceptance: publish only (it records the acceptance first). */
export const ACCEPT_CHART_TASK_STATE = {
  publish: "PublishChartAccepted",
} as const satisfies Record<Exclude<PipelineStep, "fetch" | "normalize">, string>;

/** The steps after `step` (the tail an upload or an acceptance runs). */
export function stepsAfter(step: PipelineStep): PipelineStep[] {
  return PIPELINE_STEPS.slice(PIPELINE_STEPS.indexOf(step) + 1);
}
