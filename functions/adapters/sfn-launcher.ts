/**
 * The RunLauncher in AWS: an editor's refresh starts the pipeline's Step Functions state machine
 * (infra/constructs/orchestration.ts) with the run id as the execution name, and the run's progress
 * is read back from the execution (its state, the states it entered, and its output).
 *
 * Execution input: `{ "trigger": "editor", "runId", "charts"?, "recheckAll"?, "upload"?, "accept"?, "acceptChart"? }`.
 * State names read back: Fetch → fetch; NormalizeChanged / Normalize → normalize; Publish → publish (and
 * the editors' paths' tasks, domain/stages.ts).
 * A run with nothing new goes from Fetch straight to Publish (which writes only changed files), so its
 * normalize stage is "skipped".
 * Output read back: `{ runId, fetch: FetchReport, normalized: NormalizeReport[], publish: PublishReport }`.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { RunLauncher } from "../domain/ports.js";
import type { FetchReport, NormalizeReport, PublishReport } from "../domain/reports.js";
import type { RunObservation, RunOutcome, RunRecord, RunRequest, RunStage } from "../domain/runs.js";
import { STAGES_OF } from "../domain/runs.js";
import {
  ACCEPT_CHART_TASK_STATE,
  ACCEPT_TASK_STATE,
  PIPELINE_STEPS,
  STEP_TASK_STATE,
  type StageName,
  UPLOAD_TASK_STATE,
} from "../domain/stages.js";
import { storeFailure } from "./aws-clients.js";
import { readAwsEndpoints } from "./env.js";

export type SfnSender = Pick<SFNClient, "send">;

let client: SFNClient | undefined;
/** The process-wide Step Functions client. */
export function sfnClient(): SFNClient {
  client ??= new SFNClient({ region: readAwsEndpoints().region, maxAttempts: 4 });
  return client;
}

/** The stage each state of the workflow belongs to: its steps' tasks (domain/stages.ts), and the
 * states around them. */
const STATE_STAGE: Record<string, StageName> = {
  ...Object.fromEntries(PIPELINE_STEPS.map((step) => [STEP_TASK_STATE[step], step])),
  AnythingChanged: "fetch",
  NormalizeChanged: "normalize",
  ...Object.fromEntries(Object.entries(UPLOAD_TASK_STATE).map(([stage, state]) => [state, stage])),
  UploadStored: "store",
  ...Object.fromEntries(Object.entries(ACCEPT_TASK_STATE).map(([stage, state]) => [state, stage])),
  AcceptChecked: "normalize",
  ...Object.fromEntries(Object.entries(ACCEPT_CHART_TASK_STATE).map(([stage, state]) => [state, stage])),
  ChartAcceptChecked: "publish",
};

const STAGE_MESSAGE: Record<StageName, string> = {
  fetch: "Reading GACC's release index pages",
  store: "Checking and archiving the file",
  normalize: "Normalizing changed releases",
  publish: "Building charts",
};

/** Execution ARN from the state machine ARN and the execution name (the run id). */
export function executionArnOf(stateMachineArn: string, runId: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${runId}`;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The pipeline's reports from the execution's output (whatever of them it carries). */
export function outcomeFromOutput(output: unknown): RunOutcome {
  const o = (output ?? {}) as Record<string, unknown>;
  const normalize = Array.isArray(o.normalized) ? (o.normalized as NormalizeReport[]) : [];
  const publish = o.publish && typeof o.publish === "object" ? (o.publish as PublishReport) : undefined;
  const fetchReport =
    o.fetch && typeof o.fetch === "object"
      ? (o.fetch as FetchReport)
      : typeof o.releasesSeen === "number"
        ? (o as unknown as FetchReport)
        : undefined;
  const errors: RunOutcome["errors"] = (fetchReport?.errors ?? []).map((e) => ({
    stage: "fetch" as const,
    code: e.code,
    message: e.message,
  }));
  // An upload the workflow could not store (UploadRefused), an acceptance whose preview no longer holds
  // (AcceptRefused): that stage failed, for that reason, and nothing was written.
  type Refusable = { refused?: { code: string; message: string } } | undefined;
  const notStored = (o.upload as Refusable)?.refused;
  if (notStored) errors.push({ stage: "store", code: notStored.code, message: notStored.message });
  const notAccepted = (o.accept as Refusable)?.refused;
  if (notAccepted) errors.push({ stage: "normalize", code: notAccepted.code, message: notAccepted.message });
  // A held chart's acceptance whose version is no longer the one held (ChartAcceptRefused): publish failed.
  const chartNotAccepted = (o.acceptChart as Refusable)?.refused;
  if (chartNotAccepted)
    errors.push({ stage: "publish", code: chartNotAccepted.code, message: chartNotAccepted.message });
  return { fetch: fetchReport, normalize, publish, errors };
}

/** Stages as far as the execution history tells. */
export function stagesFromHistory(
  events: HistoryEvent[],
  finished: boolean,
  names: readonly StageName[] = STAGES_OF.refresh,
): RunStage[] {
  const stages: RunStage[] = names.map((name) => ({
    name,
    status: "pending",
    message: "Waiting",
  }));
  // A stage this kind of run does not have (a held chart's acceptance is publish only) is not tracked.
  const spare: RunStage = { name: "fetch", status: "pending", message: "" };
  const byName = (n: StageName) => stages.find((s) => s.name === n) ?? spare;
  let current: StageName | undefined;
  for (const e of events) {
    const at = e.timestamp ? new Date(e.timestamp).toISOString() : undefined;
    const entered = e.stateEnteredEventDetails?.name;
    const stage = entered ? STATE_STAGE[entered] : undefined;
    if (stage && stage !== current) {
      if (current) {
        const prev = byName(current);
        prev.status = "done";
        prev.finishedAt = at;
      }
      const s = byName(stage);
      s.status = "running";
      s.startedAt ??= at;
      s.message = STAGE_MESSAGE[stage];
      current = stage;
    }
    if (e.mapStateStartedEventDetails?.length !== undefined) {
      const s = byName("normalize");
      s.total = e.mapStateStartedEventDetails.length;
      s.done = 0;
    }
    if (e.type === "MapIterationSucceeded" || e.type === "MapIterationFailed") {
      const s = byName("normalize");
      s.done = (s.done ?? 0) + 1;
      if (s.total !== undefined) s.message = `Normalized ${s.done} of ${s.total} releases`;
    }
    if (e.type === "ExecutionFailed" || e.type === "ExecutionTimedOut" || e.type === "ExecutionAborted") {
      if (current) byName(current).status = "failed";
    }
  }
  if (finished && current && byName(current).status === "running") byName(current).status = "done";
  // Publish reached without a Map: nothing new or changed to normalize.
  const normalize = byName("normalize");
  if (
    names.includes("normalize") &&
    normalize.status === "pending" &&
    byName("publish").status !== "pending"
  ) {
    normalize.status = "skipped";
    normalize.message = "No new or changed release to normalize";
  }
  return stages;
}

export class StepFunctionsLauncher implements RunLauncher {
  constructor(
    private readonly stateMachineArn: string,
    private readonly sfn: SfnSender = sfnClient(),
  ) {}

  async launch(request: RunRequest): Promise<{ executionRef: string }> {
    const input = {
      trigger: "editor",
      runId: request.runId,
      ...(request.charts ? { charts: request.charts } : {}),
      ...(request.recheckAll ? { recheckAll: true } : {}),
      // An upload takes the workflow's upload path (infra/constructs/orchestration.ts).
      ...(request.upload ? { upload: request.upload } : {}),
      // An acceptance takes its own path: normalize with it (if the preview holds), then publish.
      ...(request.accept ? { accept: request.accept } : {}),
      // A held chart's acceptance: recorded and published by the Publish function (if still held).
      ...(request.acceptChart ? { acceptChart: request.acceptChart } : {}),
    };
    try {
      const res = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: request.runId,
          input: JSON.stringify(input),
        }),
      );
      return { executionRef: res.executionArn ?? executionArnOf(this.stateMachineArn, request.runId) };
    } catch (err) {
      // The same run started twice (a retried request): it is running already.
      if (err instanceof ExecutionAlreadyExists)
        return { executionRef: executionArnOf(this.stateMachineArn, request.runId) };
      throw storeFailure(err, `the state machine ${this.stateMachineArn}`, "start a run");
    }
  }

  async observe(run: RunRecord): Promise<RunObservation> {
    const executionArn = run.executionRef ?? executionArnOf(this.stateMachineArn, run.runId);
    const label = `the state machine execution ${executionArn}`;
    try {
      const d = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await this.sfn.send(
          new GetExecutionHistoryCommand({
            executionArn,
            maxResults: 500,
            nextToken,
            includeExecutionData: false,
          }),
        );
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken && events.length < 5000);
      const finished = d.status !== "RUNNING" && d.status !== "PENDING_REDRIVE";
      const stages = stagesFromHistory(events, finished, STAGES_OF[run.kind]);
      if (d.status === "SUCCEEDED")
        return { state: "finished", stages, outcome: outcomeFromOutput(parseJson(d.output)) };
      if (!finished) return { state: "running", stages };
      return {
        state: "failed",
        stages,
        error: {
          code: d.error ?? d.status ?? "FAILED",
          message: `The run ${String(d.status).toLowerCase().replace("_", " ")}: ${d.cause ?? d.error ?? "no cause given"}`,
        },
      };
    } catch (err) {
      if ((err as { name?: string }).name === "ExecutionDoesNotExist") return { state: "unknown" };
      throw storeFailure(err, label, "read the run's progress");
    }
  }
}
