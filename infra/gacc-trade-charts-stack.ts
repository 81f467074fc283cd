/**
 * The whole deployment, one stack per stage: raw archive → table → charts behind CloudFront, the three
 * pipeline functions, the state machine and its schedules, the alarms and dashboard, the editors' API,
 * its scheduled-refresh entry point (the schedules' target), Cognito sign-in, and the console at the
 * distribution's root. Environment-agnostic: no account or region lookups, so `cdk synth` runs
 * offline with no credentials.
 */
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";
import type { ReleaseCalendar } from "../functions/domain/release-calendar.js";
import { ACCESS, type FunctionAccess } from "./access.js";
import type { StageConfig } from "./config.js";
import { buildConsoleChartsSync } from "./console-bundle.js";
import { ChartDelivery } from "./constructs/chart-delivery.js";
import { DataStores } from "./constructs/data-stores.js";
import { EditorsApi } from "./constructs/editors-api.js";
import { Monitoring } from "./constructs/monitoring.js";
import { Orchestration } from "./constructs/orchestration.js";
import { PipelineFunction } from "./constructs/pipeline-function.js";
import { ReleaseAlerts } from "./constructs/release-alerts.js";
import { CONSOLE_DIR, type HandlerEntries } from "./handlers.js";
import { acknowledge, acknowledgeNist, nagArnOf } from "./nag.js";

export interface GaccTradeChartsStackProps extends StackProps {
  config: StageConfig;
  handlers: HandlerEntries;
  /** Defaults to data/release-calendar.json. */
  calendar?: ReleaseCalendar;
  /** The console's static files; defaults to console/. */
  consoleDir?: string;
}

export class GaccTradeChartsStack extends Stack {
  readonly data: DataStores;
  readonly charts: ChartDelivery;
  readonly functions: Record<string, PipelineFunction> = {};
  readonly orchestration: Orchestration;
  readonly monitoring: Monitoring;
  readonly releaseAlerts: ReleaseAlerts;
  readonly editors: EditorsApi;

  constructor(scope: Construct, id: string, props: GaccTradeChartsStackProps) {
    super(scope, id, props);
    const { config, handlers } = props;
    const fnDefaults = {
      stage: config.stage,
      logRetention: config.logRetention,
      logRemoval: config.derivedDataRemoval,
    };

    this.data = new DataStores(this, "Data");
    this.charts = new ChartDelivery(this, "Charts", {
      logBucket: this.data.logBucket,
      removalPolicy: config.derivedDataRemoval,
    });
    // The newsroom's release alerts: sent by the function that publishes, right after the files.
    this.releaseAlerts = new ReleaseAlerts(this, "ReleaseAlerts", { stage: config.stage });

    const fetch = new PipelineFunction(this, "Fetch", {
      ...fnDefaults,
      entry: handlers.fetch,
      description: "Fetch GACC release index pages and archive new or changed release pages byte for byte",
      // Measured (`npm run test:deployed`, "sizing from measurement"): peak RSS 137 MB, longest 12 s (the
      // time-budget path; ~1 s otherwise). The handler stops starting downloads in time. The 2018→2026
      // backfill (`npm run bench`, the process's own peak) reaches 174 MB: 45% of 384 (54% of 320; 384 was
      // set from an earlier figure that counted the bench's own memory, and the cost model prices 384).
      memorySize: 384,
      timeout: Duration.minutes(5),
      environment: { GACC_BASE_URL: config.gaccBaseUrl, ALLOWED_HOSTS: config.allowedHosts.join(",") },
    });
    this.grantAccess(fetch, ACCESS.fetch);

    const normalize = new PipelineFunction(this, "Normalize", {
      ...fnDefaults,
      entry: handlers.normalize,
      description: "Parse and check one archived release; write changed observations and revisions",
      // Measured: peak RSS 89–156 MB across runs, longest 1.9 s per GACC page (uploads are normalized
      // by the Upload function below); 147 MB in the 2018→2026 backfill (`npm run bench`), 38% of 384.
      memorySize: 384,
      timeout: Duration.minutes(2),
    });
    this.grantAccess(normalize, ACCESS.normalize);

    const publish = new PipelineFunction(this, "Publish", {
      ...fnDefaults,
      entry: handlers.publish,
      description: "Build chart files from stored observations and publish the ones whose bytes changed",
      // Measured: peak RSS 133 MB (35% of 384), longest 2 s for every chart; 95 MB in the 2018→2026
      // backfill (`npm run bench`).
      memorySize: 384,
      timeout: Duration.minutes(5),
    });
    this.grantAccess(publish, ACCESS.publish);

    Object.assign(this.functions, { fetch, normalize, publish });

    // An editor's upload, stored and normalized in the workflow (only the editors' API starts uploads).
    const upload = new PipelineFunction(this, "Upload", {
      ...fnDefaults,
      entry: handlers.upload,
      description:
        "An editor's query-platform export: verify and archive the staged bytes, record and normalize the release",
      // Measured (`npm run test:deployed`, "uploads in the workflow"): peak RSS 400 MB (39% of 1024)
      // normalizing a 45,000-row export (3.96 MB); longest 73 s (NormalizeUpload: 45,000 observations
      // written through dynalite; the parse itself takes ~3 s), 16 s for 10,000 rows.
      memorySize: 1024,
      timeout: Duration.minutes(5),
    });
    this.grantAccess(upload, ACCESS.upload);
    Object.assign(this.functions, { upload });

    this.orchestration = new Orchestration(this, "Orchestration", {
      stage: config.stage,
      fetch,
      normalize,
      publish,
      upload,
      logRetention: config.logRetention,
      logRemoval: config.derivedDataRemoval,
      ...(props.calendar ? { calendar: props.calendar } : {}),
    });
    this.acknowledgeStateMachineRoles([fetch, normalize, publish, upload]);

    const api = new PipelineFunction(this, "Api", {
      ...fnDefaults,
      entry: handlers.api,
      description:
        "Editors' API: run reports; starts refreshes, uploads and acceptances of held-back releases and charts",
      // Measured (`npm run test:deployed`: "the editors' API, route by route", printed under "sizing
      // from measurement"; the process's own peak): 101 MB (20% of 512); slowest routes 0.55 s (a
      // refresh: takes the lock, starts its run), 0.42 s (accepting a held-back release: checks the
      // preview, starts its run), 0.27 s (accepting a held chart: checks the hold, starts its run),
      // preview 0.26 s, status 0.14 s, on a loaded 2-core machine. It publishes nothing itself (every
      // publish is a run's, in the Publish function). 512 MB rather than 256 for CPU: a
      // Lambda gets CPU in proportion to memory, and the preview parses a whole page. Timeout: the most
      // API Gateway's 30 s integration limit allows.
      memorySize: 512,
      timeout: Duration.seconds(29),
    });
    this.grantAccess(api, ACCESS.api);

    // The polling schedules' target: a refresh by "schedule" through the run lock and the audit log.
    const scheduled = new PipelineFunction(this, "Scheduled", {
      ...fnDefaults,
      entry: handlers.api,
      handler: "scheduled",
      description:
        "Scheduled refresh: takes the run lock (skips while a run is in progress), records the run, starts the pipeline",
      // Measured: peak RSS 95–171 MB across runs (≤ 34% of 512; the API bundle, GC timing), longest 2 s.
      memorySize: 512,
      timeout: Duration.minutes(1),
    });
    this.grantAccess(scheduled, ACCESS.scheduled);
    this.orchestration.schedulePolling(scheduled);
    Object.assign(this.functions, { api, scheduled });

    this.editors = new EditorsApi(this, "Editors", {
      handler: api,
      consoleUrl: this.charts.publicUrl,
      domainPrefix: `${config.stackName.toLowerCase()}-${Aws.ACCOUNT_ID}`,
      logRetention: config.logRetention,
      logRemoval: config.derivedDataRemoval,
      userPoolRemoval:
        config.derivedDataRemoval === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      origin: config.apiOrigin,
    });
    this.charts.addApi(this.editors);
    // The console's browser PUTs uploads to their presigned S3 address (functions/adapters/s3-upload-inbox.ts:
    // the raw bucket's regional virtual-hosted name): the bucket's CORS lets the console's origin send, the
    // console's CSP lets it connect there.
    this.data.allowUploadsFrom(`https://${this.charts.distribution.distributionDomainName}`);
    this.charts.allowConsoleConnect(this.editors.domain.baseUrl());
    // Named by the region's S3 suffix, not the bucket: the CSP naming the bucket while the bucket's CORS
    // names the distribution would be a cycle (bucket → distribution → headers policy → bucket). What
    // may be written is the presigned URL's signature either way, not the CSP.
    this.charts.allowConsoleConnect(`https://*.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`);
    // The chart previews are bundled from console/charts.js into the folder before it is uploaded.
    if (!props.consoleDir) buildConsoleChartsSync();
    this.charts.deployConsole(
      props.consoleDir ?? CONSOLE_DIR,
      {
        stage: config.stage,
        signInUrl: this.editors.signInUrl,
        // Authorization code + PKCE (console/sign-in.js): where to authorize and redeem.
        authDomain: this.editors.domain.baseUrl(),
        clientId: this.editors.client.userPoolClientId,
        redirectUri: this.charts.publicUrl,
        signOutUrl: this.editors.signOutUrl,
        apiBase: "/api",
      },
      config.logRetention,
    );
    new CfnOutput(this, "EditorsConsoleUrl", {
      value: this.charts.publicUrl,
      description: "The editors' console (same origin as /api and /charts)",
    });
    new CfnOutput(this, "EditorsSignInUrl", {
      value: this.editors.signInUrl,
      description: "Cognito hosted sign-in; the console signs in with authorization code + PKCE",
    });
    // The API is under /api on the same distribution (its origin name answers only CloudFront).
    new CfnOutput(this, "EditorsApiUrl", {
      value: this.charts.publicUrl,
      description: "Base URL of the editors' API (the CLI's --url): the distribution, routes under /api",
    });
    new CfnOutput(this, "EditorsUserPoolId", { value: this.editors.userPool.userPoolId });
    new CfnOutput(this, "EditorsUserPoolClientId", { value: this.editors.client.userPoolClientId });

    this.monitoring = new Monitoring(this, "Monitoring", {
      stage: config.stage,
      alarmEmails: config.alarmEmails,
      pipeline: this.orchestration.stateMachine,
      overdueCheck: this.orchestration.overdueCheck,
      deadLetterQueues: [this.orchestration.schedulerDlq],
      functions: this.functions,
    });

    new CfnOutput(this, "ChartsUrl", {
      value: this.charts.publicUrl,
      description: "Base URL of chart files (charts/<id>.json)",
    });
    new CfnOutput(this, "RawBucketName", { value: this.data.rawBucket.bucketName });
    new CfnOutput(this, "TableName", { value: this.data.table.tableName });
    new CfnOutput(this, "StateMachineArn", { value: this.orchestration.stateMachine.stateMachineArn });
    new CfnOutput(this, "AlarmTopicArn", { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, "ReleaseAlertsTopicArn", {
      value: this.releaseAlerts.topic.topicArn,
      description:
        "Release alerts for the newsroom (new facts per run): subscribe e-mail or a chat integration",
    });
    acknowledgeNist(this);
  }

  /** The grants infra/access.ts lists for a function (each helper also sets the matching variable). */
  private grantAccess(fn: PipelineFunction, access: FunctionAccess): void {
    this.data.grantTable(fn, access.table, access.crossSections);
    const rawGrants = access.raw === undefined ? [] : Array.isArray(access.raw) ? access.raw : [access.raw];
    if (rawGrants.some((g) => g.keys !== undefined)) this.data.grantRawObjects(fn, rawGrants);
    else {
      const raw = rawGrants.flatMap((g) => g.actions);
      if (raw.includes("s3:PutObject")) this.data.grantRawReadPut(fn);
      else if (raw.includes("s3:GetObject")) this.data.grantRawRead(fn);
    }
    if (access.namesRawOnly) this.data.nameRawBucket(fn);
    const chartGrants =
      access.charts === undefined ? [] : Array.isArray(access.charts) ? access.charts : [access.charts];
    if (chartGrants.some((g) => g.keys !== undefined)) this.charts.grantChartObjects(fn, chartGrants);
    else {
      const charts = chartGrants.flatMap((g) => g.actions);
      if (charts.includes("s3:PutObject")) this.charts.grantChartsReadPut(fn);
      else if (charts.includes("s3:GetObject")) this.charts.grantChartsRead(fn);
    }
    if (access.namesChartsOnly) this.charts.nameChartsBucket(fn);
    if (access.startsRuns) this.orchestration.grantStartAndFollow(fn);
    if (access.releaseAlerts) this.releaseAlerts.grantPublish(fn);
  }

  private acknowledgeStateMachineRoles(invoked: PipelineFunction[]): void {
    const { stateMachine, overdueCheck } = this.orchestration;
    for (const fn of invoked) {
      acknowledge(
        stateMachine.role,
        `AwsSolutions-IAM5[Resource::${nagArnOf(fn.fn.node.defaultChild as CfnFunction)}:*]`,
        "CDK's LambdaInvoke grants lambda:InvokeFunction on the function and its versions/aliases (<arn>:*); only this stack's own pipeline functions are covered.",
      );
    }
    for (const sm of [stateMachine, overdueCheck]) {
      acknowledge(
        sm.role,
        "AwsSolutions-IAM5[Resource::*]",
        "CloudWatch Logs vended-log delivery (logs:CreateLogDelivery and friends) and X-Ray (xray:PutTraceSegments...) have no resource-level permissions; for the overdue check, cloudwatch:GetMetricData and cloudwatch:PutMetricData have none either.",
      );
    }
  }
}
