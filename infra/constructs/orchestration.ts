/**
 * Orchestration: EventBridge Scheduler (Asia/Shanghai, crons derived from data/release-calendar.json by
 * functions/domain/release-calendar.ts) asks for a run, and a Step Functions standard workflow does it:
 *
 *   Fetch ─► AnythingChanged? ─yes─► NormalizeChanged (Map over releases, 2 at a time: Normalize) ─┐
 *              └─no──────────────────────────────────────────────────────────────────────────────┴─► Publish
 *   any error after retries ─► PipelineFailed (fail)
 *
 * The steps and their order are functions/domain/stages.ts's PIPELINE_STEPS (test/infra/stack.test.ts
 * checks every path through this workflow against it); the task states are named by STEP_TASK_STATE.
 *
 * An execution whose input carries `upload` (an editor's query-platform export,
 * staged by the API under uploads/) takes the upload path instead, in the Upload function, sized for
 * a 45,000-row export (the API answers 202 at once; no parsing in an API request):
 *
 *   WhichRun? ─upload─► StoreUpload ─► UploadStored? ─refused─► UploadRefused (the reason; nothing stored)
 *                                          └─stored─► NormalizeUpload ─► PublishUpload ─► UploadReport
 *
 * and an execution whose input carries `accept` (an editor's acceptance of a held-back release, with the
 * preview they confirmed) takes the accept path, in the Normalize and Publish functions (the API checks
 * the preview and answers 202; it writes no figures and no charts):
 *
 *   WhichRun? ─accept─► NormalizeAccepted ─► AcceptChecked? ─refused─► AcceptRefused (PREVIEW_CHANGED…; nothing written)
 *                                              └─normalized─► PublishAccepted ─► AcceptReport
 *
 * and one whose input carries `acceptChart` (an editor's acceptance of a chart version the publish guard
 * held back, naming that version's sha256) takes the held-chart path, in the Publish function, which
 * records the acceptance if that version is still the one held, then publishes (the API checks the hold
 * and answers 202; it writes no hold and no chart, and sends no release alert):
 *
 *   WhichRun? ─acceptChart─► PublishChartAccepted ─► ChartAcceptChecked? ─refused─► ChartAcceptRefused (NOT_HELD; nothing written)
 *                                                        └─published─► ChartAcceptReport
 *
 * Publish runs on both paths: it only writes files whose bytes changed, so a run with nothing new
 * costs a few reads, and a run after an earlier one whose Publish failed (once Normalize had
 * succeeded) publishes what that one left behind.
 *
 * Execution input (all optional): `{ trigger, runId, recheckAll, since, charts, upload, accept, acceptChart }`. The run id is the
 * execution name (the editors' API starts executions named after its run ids); Fetch gets
 * `{ runId, recheckAll, since }`, each Normalize `{ releaseId, runId }`, Publish `{ runId, charts }`.
 * The execution's output is RunReport's: `{ runId, normalized, publish, fetch }` (`normalized` is `[]`
 * when nothing changed; `fetch` is Fetch's report).
 *
 * Query language: the pipeline is JSONPath so that an offline engine can execute the synthesized
 * definition (see pipelineDefinition); the overdue check stays JSONata: it only calls CloudWatch,
 * which nothing offline can stand in for, so there is nothing of ours for an engine to run.
 * The state names and the output are read back by functions/adapters/sfn-launcher.ts: keep them.
 *
 * Who starts runs: when the editors' API is deployed, the polling schedules invoke its `scheduled`
 * entry point (functions/handlers/api.ts), which takes the same run lock as an editor's refresh
 * (skipping while a run is in progress), records and audits the run, then starts the workflow; the
 * run lock is what keeps a scheduled run and an editor's refresh from overlapping. Without the API,
 * the schedules start the workflow directly. Either way the scheduler target has its own retry policy
 * and an encrypted, SSL-only dead-letter queue; the `scheduled` function, invoked asynchronously, has
 * Lambda's retries and sends what still fails to the same queue.
 *
 * Retries inside the workflow: Lambda service errors (short backoff) and the errors the domain marks
 * retryable (`retryable = true` in functions/domain/errors.ts; a Node.js Lambda reports `err.name` as
 * the error type) with a longer backoff.
 *
 * A second, small workflow is the overdue check: on days derived from the calendar (a few days after
 * a release window closes) it sums the pipeline's `ReleasesAccepted` metric over the whole window and
 * emits `ReleasesOverdue` (1 = nothing accepted), which raises an alarm. CloudWatch alarms cannot look
 * back more than 7 days and releases are monthly, so a plain "no ReleasesAccepted for N days" alarm
 * would fire between every two releases; the check only asks the question when the calendar says the
 * answer should be yes.
 */
import { ArnFormat, Duration, type RemovalPolicy, Stack, TimeZone } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import * as logs from "aws-cdk-lib/aws-logs";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as targets from "aws-cdk-lib/aws-scheduler-targets";
import * as sqs from "aws-cdk-lib/aws-sqs";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import * as tasks from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import {
  METRICS_NAMESPACE,
  PIPELINE_METRICS,
  STAGE_DIMENSION,
} from "../../functions/adapters/metric-names.js";
import {
  overdueChecks,
  pollingSchedules,
  type ReleaseCalendar,
} from "../../functions/domain/release-calendar.js";
import {
  ACCEPT_CHART_TASK_STATE,
  ACCEPT_TASK_STATE,
  STEP_TASK_STATE,
  UPLOAD_TASK_STATE,
} from "../../functions/domain/stages.js";
import { acknowledge, nagArnOf } from "../nag.js";
import type { PipelineFunction } from "./pipeline-function.js";

/** Errors Step Functions reports when the Lambda service itself fails (not the function's code). */
export const LAMBDA_SERVICE_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
  "Lambda.ClientExecutionTimeoutException",
];
/** Error names of the domain's retryable errors (functions/domain/errors.ts, `retryable = true`). */
export const RETRYABLE_PIPELINE_ERRORS = ["UpstreamUnavailable", "StoreUnavailable", "RunInProgress"];
export const NORMALIZE_MAX_CONCURRENCY = 2;
/** The pipeline's optional input fields and their values when absent (null: the handler's default). */
export const PIPELINE_INPUT_DEFAULTS = {
  recheckAll: false,
  since: null,
  charts: null,
  upload: null,
  accept: null,
  acceptChart: null,
} as const;
/** Scheduler: attempts after the first failed StartExecution, and how long an attempt may wait. */
export const SCHEDULER_RETRY_ATTEMPTS = 3;
export const SCHEDULER_MAX_EVENT_AGE = Duration.hours(1);
/** Lambda's own retries of a failed asynchronous invocation of the `scheduled` function (0-2). */
export const SCHEDULED_REFRESH_RETRY_ATTEMPTS = 2;

export interface OrchestrationProps {
  stage: string;
  fetch: PipelineFunction;
  normalize: PipelineFunction;
  publish: PipelineFunction;
  /**
   * An editor's upload (functions/handlers/upload.ts): an execution whose input carries `upload`
   * (the editors' API stages the bytes and starts the run) stores and normalizes it here.
   */
  upload: PipelineFunction;
  logRetention: logs.RetentionDays;
  logRemoval: RemovalPolicy;
  /** Defaults to data/release-calendar.json. */
  calendar?: ReleaseCalendar;
}

export class Orchestration extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly overdueCheck: sfn.StateMachine;
  /**
   * Dead-letter queue of every schedule (a target the scheduler could not invoke after its retries),
   * and the on-failure destination of the `scheduled` function (a scheduled refresh that failed after
   * Lambda's retries): either way, a scheduled run that did not start.
   */
  readonly schedulerDlq: sqs.Queue;
  readonly schedules: scheduler.Schedule[] = [];
  /** The polling schedules' target: the API's `scheduled` entry point, once schedulePolling ran. */
  pollingTarget: PipelineFunction | undefined;
  private readonly calendar: ReleaseCalendar | undefined;
  private readonly publishFn: PipelineFunction;

  constructor(scope: Construct, id: string, props: OrchestrationProps) {
    super(scope, id);
    this.publishFn = props.publish;

    this.stateMachine = new sfn.StateMachine(this, "Pipeline", {
      comment: "GACC releases: fetch, normalize what changed, publish charts",
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(this.pipelineDefinition(props)),
      timeout: Duration.hours(1),
      tracingEnabled: true,
      logs: {
        destination: this.logGroup("PipelineLogs", props),
        level: sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
    });

    this.overdueCheck = new sfn.StateMachine(this, "OverdueCheck", {
      comment: "Calendar-driven check: was any release accepted in the window that closed a few days ago?",
      queryLanguage: sfn.QueryLanguage.JSONATA,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(this.overdueDefinition(props.stage)),
      timeout: Duration.minutes(5),
      tracingEnabled: true,
      logs: {
        destination: this.logGroup("OverdueCheckLogs", props),
        level: sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
    });

    // PutMetricData has no resource-level permissions; a namespace condition keeps it to ours.
    this.overdueCheck.addToRolePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ["cloudwatch:PutMetricData"],
        resources: ["*"],
        conditions: { StringNotEquals: { "cloudwatch:namespace": METRICS_NAMESPACE } },
      }),
    );

    this.schedulerDlq = new sqs.Queue(this, "SchedulerDlq", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.schedulerDlq,
      "AwsSolutions-SQS3",
      "This queue is itself the dead-letter queue of the EventBridge Scheduler targets and the on-failure destination of the scheduled refresh; a DLQ of a DLQ would only move the same undeliverable events again.",
    );

    this.calendar = props.calendar;
    for (const c of overdueChecks(props.calendar)) {
      this.schedules.push(
        new scheduler.Schedule(this, c.id, {
          description: c.description,
          schedule: scheduler.ScheduleExpression.expression(c.expression, TimeZone.of(c.timeZone)),
          timeWindow: scheduler.TimeWindow.off(),
          target: new targets.StepFunctionsStartExecution(this.overdueCheck, {
            input: scheduler.ScheduleTargetInput.fromObject({
              kind: c.kind,
              lookbackSeconds: c.lookbackSeconds,
            }),
            deadLetterQueue: this.schedulerDlq,
            retryAttempts: SCHEDULER_RETRY_ATTEMPTS,
            maxEventAge: SCHEDULER_MAX_EVENT_AGE,
          }),
        }),
      );
    }
  }

  /**
   * Creates the polling schedules (once). Each invokes `refresh`, the API's `scheduled` entry point,
   * which takes the run lock and records the run before it starts the state machine.
   */
  schedulePolling(refresh: PipelineFunction): void {
    if (this.pollingTarget) throw new Error(`${this.node.path}: the polling schedules exist already`);
    this.pollingTarget = refresh;
    const retry = {
      deadLetterQueue: this.schedulerDlq,
      retryAttempts: SCHEDULER_RETRY_ATTEMPTS,
      maxEventAge: SCHEDULER_MAX_EVENT_AGE,
    };
    // The schedules' own role (rather than CDK's shared one), so its one wildcard is acknowledged here.
    const invoker = new iam.Role(this, "ScheduledRefreshInvoker", {
      description: "EventBridge Scheduler: invoke the scheduled refresh, send what fails to the DLQ",
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
    });
    acknowledge(
      invoker,
      `AwsSolutions-IAM5[Resource::${nagArnOf(refresh.fn.node.defaultChild as CfnFunction)}:*]`,
      "CDK's LambdaInvoke target grants lambda:InvokeFunction on the scheduled-refresh function and its versions/aliases (<arn>:*); that one function only.",
    );
    // Scheduler invokes Lambda asynchronously: its retry policy and DLQ cover the invocation, these
    // cover the function failing (the table or Step Functions unavailable, say).
    refresh.fn.configureAsyncInvoke({
      retryAttempts: SCHEDULED_REFRESH_RETRY_ATTEMPTS,
      maxEventAge: SCHEDULER_MAX_EVENT_AGE,
      onFailure: new SqsDestination(this.schedulerDlq),
    });
    for (const s of pollingSchedules(this.calendar)) {
      const input = scheduler.ScheduleTargetInput.fromObject({ trigger: "schedule", schedule: s.id });
      this.schedules.push(
        new scheduler.Schedule(this, s.id, {
          description: s.description,
          schedule: scheduler.ScheduleExpression.expression(s.expression, TimeZone.of(s.timeZone)),
          timeWindow: scheduler.TimeWindow.off(),
          target: new targets.LambdaInvoke(refresh.fn, { input, role: invoker, ...retry }),
        }),
      );
    }
  }

  /**
   * Lets a function start a run and follow it (DescribeExecution, GetExecutionHistory on this state
   * machine's executions: functions/adapters/sfn-launcher.ts); sets STATE_MACHINE_ARN.
   */
  grantStartAndFollow(fn: PipelineFunction): void {
    this.stateMachine.grantStartExecution(fn.role);
    const executions = Stack.of(this).formatArn({
      service: "states",
      resource: "execution",
      resourceName: `${this.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["states:DescribeExecution", "states:GetExecutionHistory"],
        resources: [executions],
      }),
    );
    fn.setEnvironment({ STATE_MACHINE_ARN: this.stateMachine.stateMachineArn });
    const logical = Stack.of(this).resolve(
      (this.stateMachine.node.defaultChild as sfn.CfnStateMachine).logicalId,
    );
    acknowledge(
      fn.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${logical}.Name>:*]`,
      "Execution ARNs end with the run id chosen when a run starts; DescribeExecution/GetExecutionHistory are granted on this one state machine's executions only.",
    );
  }

  private logGroup(id: string, props: OrchestrationProps): logs.LogGroup {
    return new logs.LogGroup(this, id, {
      // Step Functions log groups belong under /aws/vendedlogs/ (keeps the Logs resource policy small).
      logGroupName: `/aws/vendedlogs/states/gacc-trade-charts-${props.stage}-${id}`,
      retention: props.logRetention,
      removalPolicy: props.logRemoval,
    });
  }

  /**
   * The pipeline in JSONPath, not JSONata: the deployed-shape run (test/deployed/) executes this very
   * definition with aws-local-stepfunctions, whose 3.0.0 runs JSONPath and ignores JSONata (a JSONata
   * Pass returns its input unchanged), so a JSONata workflow could only be checked as text. JSONPath
   * fails on a missing path, hence the defaults merged into the execution input first.
   *
   * State data as it flows: `{args}` (input + defaults) → `+fetch: {Payload}` → `+normalized: [...]`
   * → `+publish: {Payload}` → RunReport `{runId, normalized, publish, fetch}`.
   */
  private pipelineDefinition(props: OrchestrationProps): sfn.IChainable {
    const failed = sfn.Fail.jsonPath(this, "PipelineFailed", {
      comment: "A stage failed after its retries; the alarm on failed executions notifies the team.",
      errorPath: "$.Error",
      causePath: "$.Cause",
    });
    const withRetries = <T extends sfn.TaskStateBase>(task: T): T => {
      task.addRetry({
        errors: LAMBDA_SERVICE_ERRORS,
        interval: Duration.seconds(2),
        backoffRate: 2,
        maxAttempts: 6,
        jitterStrategy: sfn.JitterType.FULL,
      });
      task.addRetry({
        errors: RETRYABLE_PIPELINE_ERRORS,
        interval: Duration.seconds(30),
        backoffRate: 2,
        maxAttempts: 4,
        maxDelay: Duration.minutes(5),
        jitterStrategy: sfn.JitterType.FULL,
      });
      return task;
    };

    // Every optional input field gets a value, so the paths below always resolve.
    const defaults = sfn.Pass.jsonPath(this, "Defaults", {
      comment: "Values for the optional input fields (recheckAll, since, charts)",
      result: sfn.Result.fromObject(PIPELINE_INPUT_DEFAULTS),
    });
    const readInput = sfn.Pass.jsonPath(this, "ReadInput", {
      comment: "The execution input over the defaults",
      parameters: { "args.$": "States.JsonMerge($, $$.Execution.Input, false)" },
    });

    // runId = the execution name: unique per run, stable across retries of a step.
    const uploadPath = this.uploadPath(props.upload, withRetries, failed);
    // The editors' other path: an acceptance, normalized and published here.
    const acceptPath = this.acceptPath(props.normalize, withRetries, failed);
    // And a held-back chart's acceptance, recorded and published by the Publish function.
    const acceptChartPath = this.acceptChartPath(withRetries, failed);
    const fetch = withRetries(
      tasks.LambdaInvoke.jsonPath(this, STEP_TASK_STATE.fetch, {
        lambdaFunction: props.fetch.fn,
        retryOnServiceExceptions: false,
        payload: sfn.TaskInput.fromObject({
          runId: sfn.JsonPath.stringAt("$$.Execution.Name"),
          recheckAll: sfn.JsonPath.stringAt("$.args.recheckAll"),
          since: sfn.JsonPath.stringAt("$.args.since"),
        }),
        // Kept for the execution's output: the API reads fetch errors and counts from it.
        resultSelector: { "Payload.$": "$.Payload" },
        resultPath: "$.fetch",
      }),
    );

    const normalize = withRetries(
      tasks.LambdaInvoke.jsonPath(this, STEP_TASK_STATE.normalize, {
        lambdaFunction: props.normalize.fn,
        retryOnServiceExceptions: false,
        outputPath: "$.Payload",
      }),
    );
    const normalizeChanged = sfn.Map.jsonPath(this, "NormalizeChanged", {
      comment:
        "Releases whose bytes changed, plus any a crashed run left unfinished; unchanged releases are not listed",
      itemsPath: "$.fetch.Payload.releases",
      itemSelector: {
        "releaseId.$": "$$.Map.Item.Value.releaseId",
        "runId.$": "$$.Execution.Name",
      },
      maxConcurrency: NORMALIZE_MAX_CONCURRENCY,
      resultPath: "$.normalized",
    });
    normalizeChanged.itemProcessor(normalize);
    const nothingToNormalize = sfn.Pass.jsonPath(this, "NothingToNormalize", {
      comment: "No new or changed release: the run's report lists none",
      result: sfn.Result.fromArray([]),
      resultPath: "$.normalized",
    });

    const publish = withRetries(
      tasks.LambdaInvoke.jsonPath(this, STEP_TASK_STATE.publish, {
        lambdaFunction: props.publish.fn,
        retryOnServiceExceptions: false,
        // An editor's refresh may name the charts to rebuild (functions/adapters/sfn-launcher.ts).
        payload: sfn.TaskInput.fromObject({
          runId: sfn.JsonPath.stringAt("$$.Execution.Name"),
          charts: sfn.JsonPath.stringAt("$.args.charts"),
        }),
        resultSelector: { "Payload.$": "$.Payload" },
        resultPath: "$.publish",
      }),
    );
    const report = sfn.Pass.jsonPath(this, "RunReport", {
      comment: "The execution's output, read by functions/adapters/sfn-launcher.ts",
      parameters: {
        "runId.$": "$$.Execution.Name",
        "normalized.$": "$.normalized",
        "publish.$": "$.publish.Payload",
        "fetch.$": "$.fetch.Payload",
      },
    });

    for (const step of [fetch, normalizeChanged, publish]) {
      step.addCatch(failed, { errors: [sfn.Errors.ALL] });
    }

    // Nothing new still goes to Publish: it writes only files whose bytes changed, and it catches up
    // on a run whose Publish failed after Normalize had succeeded.
    const anythingChanged = sfn.Choice.jsonPath(this, "AnythingChanged")
      .when(sfn.Condition.isPresent("$.fetch.Payload.releases[0]"), normalizeChanged)
      .otherwise(nothingToNormalize);

    // A run that fetched nothing publishes nothing (functions/pipeline/fetch-releases.ts
    // whyNothingFetched): charts rebuilt then could only be empty or stale; the last good ones stay.
    const nothingFetched = sfn.Pass.jsonPath(this, "NothingFetched", {
      comment: "Fetch got no page at all: nothing is normalized or published; the output says why",
      parameters: {
        "runId.$": "$$.Execution.Name",
        normalized: [],
        "fetch.$": "$.fetch.Payload",
      },
    });
    const fetchedAnything = sfn.Choice.jsonPath(this, "FetchedAnything")
      .when(sfn.Condition.isPresent("$.fetch.Payload.nothingFetched"), nothingFetched)
      .otherwise(anythingChanged);

    normalizeChanged.next(publish);
    nothingToNormalize.next(publish);
    publish.next(report);
    fetch.next(fetchedAnything);
    // Asked as "no upload?" rather than "an upload?": aws-local-stepfunctions 3.0.0 evaluates
    // `IsNull: false` as false whatever the value, so the offline run could not take the upload path.
    const noUpload = sfn.Condition.isNull("$.args.upload");
    const noAccept = sfn.Condition.isNull("$.args.accept");
    const whichRun = sfn.Choice.jsonPath(this, "WhichRun")
      .when(sfn.Condition.and(noUpload, noAccept, sfn.Condition.isNull("$.args.acceptChart")), fetch)
      .when(sfn.Condition.and(noUpload, noAccept), acceptChartPath)
      .when(noUpload, acceptPath)
      .otherwise(uploadPath);
    return sfn.Chain.start(defaults).next(readInput).next(whichRun);
  }

  /**
   * An editor's upload: store (verify the staged bytes, archive, record the release) → normalize →
   * publish, or, for a file that cannot be stored (not a query-platform export, a flow conflict, bytes
   * not as announced), a report with the reason: the run succeeds as an execution (an editor's bad file
   * is not a pipeline failure to alarm on) and the editors' API shows it as a failed upload.
   * Output: `{ runId, upload: StoreUploadReport, normalized: [NormalizeReport], publish }`.
   */
  private uploadPath(
    fn: PipelineFunction,
    withRetries: <T extends sfn.TaskStateBase>(task: T) => T,
    failed: sfn.Fail,
  ): sfn.IChainable {
    const store = withRetries(
      this.editorTask(UPLOAD_TASK_STATE.store, fn, "$.stored", {
        upload: sfn.JsonPath.objectAt("$.args.upload"),
      }),
    );
    const normalize = withRetries(
      this.editorTask(UPLOAD_TASK_STATE.normalize, fn, "$.normalizedUpload", {
        releaseId: sfn.JsonPath.stringAt("$.stored.Payload.releaseId"),
      }),
    );
    const publish = withRetries(this.editorPublish(UPLOAD_TASK_STATE.publish));
    for (const step of [store, normalize, publish]) step.addCatch(failed, { errors: [sfn.Errors.ALL] });
    const refused = sfn.Pass.jsonPath(this, "UploadRefused", {
      comment: "The upload could not be stored: the output says why; nothing was recorded or published",
      parameters: {
        "runId.$": "$$.Execution.Name",
        normalized: [],
        "upload.$": "$.stored.Payload",
      },
    });
    const report = sfn.Pass.jsonPath(this, "UploadReport", {
      comment: "The upload run's output, read by functions/adapters/sfn-launcher.ts",
      parameters: {
        "runId.$": "$$.Execution.Name",
        "upload.$": "$.stored.Payload",
        "normalized.$": "States.Array($.normalizedUpload.Payload)",
        "publish.$": "$.publish.Payload",
      },
    });
    const stored = sfn.Choice.jsonPath(this, "UploadStored")
      .when(sfn.Condition.isPresent("$.stored.Payload.refused"), refused)
      .otherwise(normalize);
    normalize.next(publish).next(report);
    return store.next(stored);
  }

  /**
   * An editor's acceptance of a held-back release: the Normalize function computes the preview again
   * (the run holds the lock) and normalizes with the acceptance only if it is the one the editor
   * confirmed, then Publish (charts, facts, the release alert, as every run). A preview that changed
   * (or a release no longer held back) ends in a report with the reason and nothing written: the
   * execution succeeds (an editor's stale preview is not a pipeline failure to alarm on) and the
   * editors' API shows the run failed at its normalize stage, in those words.
   * Output: `{ runId, normalized: [NormalizeReport], publish }`, or `{ runId, normalized: [], accept: {refused} }`.
   */
  private acceptPath(
    normalizeFn: PipelineFunction,
    withRetries: <T extends sfn.TaskStateBase>(task: T) => T,
    failed: sfn.Fail,
  ): sfn.IChainable {
    const normalize = withRetries(
      this.editorTask(ACCEPT_TASK_STATE.normalize, normalizeFn, "$.accepted", {
        releaseId: sfn.JsonPath.stringAt("$.args.accept.releaseId"),
        accept: sfn.JsonPath.objectAt("$.args.accept"),
      }),
    );
    const publish = withRetries(this.editorPublish(ACCEPT_TASK_STATE.publish));
    for (const step of [normalize, publish]) step.addCatch(failed, { errors: [sfn.Errors.ALL] });
    const refused = sfn.Pass.jsonPath(this, "AcceptRefused", {
      comment:
        "The acceptance was not carried out (the preview changed): the output says why; nothing was written",
      parameters: {
        "runId.$": "$$.Execution.Name",
        normalized: [],
        "accept.$": "$.accepted.Payload",
      },
    });
    const report = sfn.Pass.jsonPath(this, "AcceptReport", {
      comment: "The acceptance run's output, read by functions/adapters/sfn-launcher.ts",
      parameters: {
        "runId.$": "$$.Execution.Name",
        "normalized.$": "States.Array($.accepted.Payload)",
        "publish.$": "$.publish.Payload",
      },
    });
    const checked = sfn.Choice.jsonPath(this, "AcceptChecked")
      .when(sfn.Condition.isPresent("$.accepted.Payload.refused"), refused)
      .otherwise(publish);
    publish.next(report);
    return normalize.next(checked);
  }

  /**
   * An editor's acceptance of a chart version the publish guard held back: the Publish function checks
   * that this version (its sha256) is still the one held, records the acceptance and publishes (charts,
   * facts, the release alert, as every run). A hold that moved on (another version held, or none) ends
   * in a report with the reason and nothing written: the execution succeeds (an editor's stale page is
   * not a pipeline failure to alarm on) and the editors' API shows the run failed at publish, in those words.
   * Output: `{ runId, normalized: [], publish }`, or `{ runId, normalized: [], acceptChart: {refused} }`.
   */
  private acceptChartPath(
    withRetries: <T extends sfn.TaskStateBase>(task: T) => T,
    failed: sfn.Fail,
  ): sfn.IChainable {
    const publish = withRetries(
      this.editorTask(ACCEPT_CHART_TASK_STATE.publish, this.publishFn, "$.publish", {
        acceptChart: sfn.JsonPath.objectAt("$.args.acceptChart"),
      }),
    );
    publish.addCatch(failed, { errors: [sfn.Errors.ALL] });
    const refused = sfn.Pass.jsonPath(this, "ChartAcceptRefused", {
      comment:
        "The chart's acceptance was not carried out (another version is held, or none): the output says why; nothing was written",
      parameters: {
        "runId.$": "$$.Execution.Name",
        normalized: [],
        "acceptChart.$": "$.publish.Payload",
      },
    });
    const report = sfn.Pass.jsonPath(this, "ChartAcceptReport", {
      comment: "The held chart's acceptance run's output, read by functions/adapters/sfn-launcher.ts",
      parameters: {
        "runId.$": "$$.Execution.Name",
        normalized: [],
        "publish.$": "$.publish.Payload",
      },
    });
    const checked = sfn.Choice.jsonPath(this, "ChartAcceptChecked")
      .when(sfn.Condition.isPresent("$.publish.Payload.refused"), refused)
      .otherwise(report);
    return publish.next(checked);
  }

  /**
   * A task of the editors' paths: the run id and `payload` in, `{ Payload }` out at `resultPath`. The
   * function's own timeout, stated: the States Language's default task timeout is 60 s, which
   * aws-local-stepfunctions applies (Step Functions itself waits for the function), and a 45,000-row
   * export takes longer than that to write.
   */
  private editorTask(
    id: string,
    fn: PipelineFunction,
    resultPath: string,
    payload: Record<string, unknown>,
  ): tasks.LambdaInvoke {
    return tasks.LambdaInvoke.jsonPath(this, id, {
      lambdaFunction: fn.fn,
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(fn.fn.timeout ?? Duration.minutes(5)),
      payload: sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt("$$.Execution.Name"), ...payload }),
      resultSelector: { "Payload.$": "$.Payload" },
      resultPath,
    });
  }

  /** The editors' paths end as every run does: Publish (charts, facts, the release alert). */
  private editorPublish(id: string): tasks.LambdaInvoke {
    return this.editorTask(id, this.publishFn, "$.publish", {
      charts: sfn.JsonPath.stringAt("$.args.charts"),
    });
  }

  private overdueDefinition(stage: string): sfn.IChainable {
    const dimensions = [{ Name: STAGE_DIMENSION, Value: stage }];
    const countAccepted = tasks.CallAwsService.jsonata(this, "CountAccepted", {
      comment: "Sum ReleasesAccepted over the release window (hourly buckets)",
      service: "cloudwatch",
      action: "getMetricData",
      iamAction: "cloudwatch:GetMetricData",
      iamResources: ["*"],
      parameters: {
        MetricDataQueries: [
          {
            Id: "accepted",
            MetricStat: {
              Metric: {
                Namespace: METRICS_NAMESPACE,
                MetricName: PIPELINE_METRICS.releasesAccepted,
                Dimensions: dimensions,
              },
              Period: 3600,
              Stat: "Sum",
            },
            ReturnData: true,
          },
        ],
        StartTime:
          "{% $fromMillis($toMillis($states.context.Execution.StartTime) - $states.input.lookbackSeconds * 1000) %}",
        EndTime: "{% $states.context.Execution.StartTime %}",
      },
      outputs:
        "{% {'kind': $states.input.kind, 'accepted': $sum([0, $states.result.MetricDataResults.Values])} %}",
    });
    const emit = tasks.CallAwsService.jsonata(this, "EmitOverdue", {
      comment: "ReleasesOverdue = 1 when nothing was accepted in the window, else 0",
      service: "cloudwatch",
      action: "putMetricData",
      iamAction: "cloudwatch:PutMetricData",
      iamResources: ["*"],
      parameters: {
        Namespace: METRICS_NAMESPACE,
        MetricData: [
          {
            MetricName: PIPELINE_METRICS.releasesOverdue,
            Dimensions: dimensions,
            Value: "{% $states.input.accepted > 0 ? 0 : 1 %}",
            Unit: "Count",
          },
        ],
      },
      outputs:
        "{% {'kind': $states.input.kind, 'accepted': $states.input.accepted, 'overdue': $states.input.accepted = 0} %}",
    });
    for (const task of [countAccepted, emit]) {
      task.addRetry({
        errors: [sfn.Errors.ALL],
        interval: Duration.seconds(5),
        backoffRate: 2,
        maxAttempts: 3,
      });
    }
    return sfn.Chain.start(countAccepted).next(emit);
  }
}
