/**
 * The dev stack, synthesized once with real esbuild bundling (as `npm run synth` does) and with the
 * repository's editors' API (functions/handlers/api.ts), asserted property by property, and checked by
 * cdk-nag's AwsSolutions pack.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { METRICS_NAMESPACE, PIPELINE_METRICS } from "../../functions/adapters/metric-names.js";
import { ORIGIN_VERIFY_HEADER } from "../../functions/api/origin-verify.js";
import * as domainErrors from "../../functions/domain/errors.js";
import { overdueChecks, pollingSchedules } from "../../functions/domain/release-calendar.js";
import {
  ACCEPT_CHART_TASK_STATE,
  ACCEPT_TASK_STATE,
  PIPELINE_STEPS,
  STEP_TASK_STATE,
  stepsAfter,
  UPLOAD_TASK_STATE,
} from "../../functions/domain/stages.js";
import { CONSOLE_CONFIG_FILE, LATEST_TTL, VERSIONED_TTL } from "../../infra/constructs/chart-delivery.js";
import { EDITORS_GROUP } from "../../infra/constructs/editors-api.js";
import {
  LAMBDA_SERVICE_ERRORS,
  NORMALIZE_MAX_CONCURRENCY,
  PIPELINE_INPUT_DEFAULTS,
  RETRYABLE_PIPELINE_ERRORS,
  SCHEDULED_REFRESH_RETRY_ATTEMPTS,
} from "../../infra/constructs/orchestration.js";
import { MIN_REASON_LENGTH } from "../../infra/nag.js";
import { releaseOutcomeDocs } from "../support/emf.js";
import {
  acknowledgements,
  actionsOf,
  allows,
  type Built,
  buildStack,
  CDK_CONTEXT,
  logicalId,
  nagFindings,
  rawNagFindings,
  roleStatements,
  SYNTH_TIMEOUT,
  stateMachineDefinition,
} from "./support.js";

let built: Built;
/** The dev stage's apiOrigin in cdk.json. */
const DEV_API_ORIGIN = (CDK_CONTEXT.stages as { dev: { apiOrigin: { domainName: string } } }).dev.apiOrigin
  .domainName;
const DEV_API_ZONE_ID = (CDK_CONTEXT.stages as { dev: { apiOrigin: { hostedZoneId: string } } }).dev.apiOrigin
  .hostedZoneId;
/** What CloudFormation resolves to the generated origin-verify value at deploy time. */
const originVerifyValue = () => ({
  "Fn::Join": ["", ["{{resolve:secretsmanager:", { Ref: ids.originVerify }, ":SecretString:::}}"]],
});
let ids: {
  raw: string;
  charts: string;
  console: string;
  logs: string;
  table: string;
  pipeline: string;
  overdue: string;
  dlq: string;
  topic: string;
  releaseTopic: string;
  releaseKey: string;
  fetchRole: string;
  normalizeRole: string;
  publishRole: string;
  api: string;
  apiRole: string;
  scheduled: string;
  scheduledRole: string;
  distribution: string;
  httpApi: string;
  originVerify: string;
  userPool: string;
  client: string;
};

/** Fails the suite naming what the stack should have built. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing from the stack`);
  return value;
}

beforeAll(() => {
  built = buildStack({ stage: "dev", bundle: true, api: "repo" });
  const { stack } = built;
  const api = required(stack.functions.api, "the API function");
  const scheduled = required(stack.functions.scheduled, "the scheduled-refresh function");
  const editors = required(stack.editors, "the editors' API");
  ids = {
    raw: logicalId(stack.data.rawBucket),
    charts: logicalId(stack.charts.bucket),
    console: logicalId(stack.charts.consoleBucket),
    logs: logicalId(stack.data.logBucket),
    table: logicalId(stack.data.table),
    pipeline: logicalId(stack.orchestration.stateMachine),
    overdue: logicalId(stack.orchestration.overdueCheck),
    dlq: logicalId(stack.orchestration.schedulerDlq),
    topic: logicalId(stack.monitoring.topic),
    releaseTopic: logicalId(stack.releaseAlerts.topic),
    releaseKey: logicalId(stack.releaseAlerts.key),
    fetchRole: logicalId(stack.functions.fetch?.role ?? stack),
    normalizeRole: logicalId(stack.functions.normalize?.role ?? stack),
    publishRole: logicalId(stack.functions.publish?.role ?? stack),
    api: logicalId(api.fn),
    apiRole: logicalId(api.role),
    scheduled: logicalId(scheduled.fn),
    scheduledRole: logicalId(scheduled.role),
    distribution: logicalId(stack.charts.distribution),
    httpApi: logicalId(editors.api),
    originVerify: logicalId(editors.originVerify),
    userPool: logicalId(editors.userPool),
    client: logicalId(editors.client),
  };
}, SYNTH_TIMEOUT);

const sslOnlyStatement = Match.objectLike({
  Effect: "Deny",
  Action: "s3:*",
  Principal: { AWS: "*" },
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

describe("buckets", () => {
  it("every bucket is private, encrypted, versioned, SSL-only", () => {
    const buckets = built.template.findResources("AWS::S3::Bucket");
    expect(Object.keys(buckets).sort()).toEqual([ids.charts, ids.console, ids.logs, ids.raw].sort());
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
        id,
      ).toEqual({ SSEAlgorithm: "AES256" });
      expect(bucket.Properties.VersioningConfiguration, id).toEqual({ Status: "Enabled" });
      built.template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: id },
        PolicyDocument: { Statement: Match.arrayWith([sslOnlyStatement]) },
      });
    }
  });

  it("the raw archive is retained, access-logged and moves to Intelligent-Tiering after 30 days", () => {
    const raw = built.template.findResources("AWS::S3::Bucket")[ids.raw];
    expect(raw?.DeletionPolicy).toBe("Retain");
    expect(raw?.UpdateReplacePolicy).toBe("Retain");
    expect(raw?.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: ids.logs },
      LogFilePrefix: "s3/raw/",
    });
    expect(raw?.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        Status: "Enabled",
        Transitions: [{ StorageClass: "INTELLIGENT_TIERING", TransitionInDays: 30 }],
      }),
    );
  });

  it("the raw bucket policy allows nothing but denies insecure transport", () => {
    const [policy] = Object.values(
      built.template.findResources("AWS::S3::BucketPolicy", { Properties: { Bucket: { Ref: ids.raw } } }),
    );
    const statements = policy?.Properties.PolicyDocument.Statement as Array<{ Effect: string }>;
    expect(statements.filter((s) => s.Effect === "Allow")).toEqual([]);
  });

  it("the charts and console buckets are readable only by this CloudFront distribution (origin access control)", () => {
    for (const [bucket, prefix] of [
      [ids.charts, "s3/charts/"],
      [ids.console, "s3/console/"],
    ] as const) {
      const [policy] = Object.values(
        built.template.findResources("AWS::S3::BucketPolicy", { Properties: { Bucket: { Ref: bucket } } }),
      );
      const statements = (policy?.Properties.PolicyDocument.Statement ?? []) as Array<
        Record<string, unknown>
      >;
      const allowed = statements.filter((s) => s.Effect === "Allow");
      expect(allowed, bucket).toEqual([
        expect.objectContaining({
          Action: "s3:GetObject",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Condition: {
            StringEquals: {
              "AWS:SourceArn": expect.objectContaining({
                "Fn::Join": ["", expect.arrayContaining([{ Ref: ids.distribution }])],
              }),
            },
          },
        }),
      ]);
      expect(
        built.template.findResources("AWS::S3::Bucket")[bucket]?.Properties.LoggingConfiguration,
      ).toEqual({
        DestinationBucketName: { Ref: ids.logs },
        LogFilePrefix: prefix,
      });
    }
  });
});

describe("DynamoDB table", () => {
  it("is single-table (pk/sk, gsi1), on demand, point-in-time recoverable, encrypted and retained", () => {
    const tables = built.template.findResources("AWS::DynamoDB::Table");
    const table = tables[ids.table];
    expect(table?.DeletionPolicy).toBe("Retain");
    expect(table?.Properties).toMatchObject({
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: [
        {
          IndexName: "gsi1",
          KeySchema: [
            { AttributeName: "gsi1pk", KeyType: "HASH" },
            { AttributeName: "gsi1sk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
    });
    expect(table?.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining(
        ["pk", "sk", "gsi1pk", "gsi1sk"].map((n) => ({ AttributeName: n, AttributeType: "S" })),
      ),
    );
  });
});

describe("Lambda functions", () => {
  it("every function runs Node.js 22 or newer on arm64, traced, logging to its own log group", () => {
    const functions = built.template.findResources("AWS::Lambda::Function");
    const ours = Object.fromEntries(
      Object.entries(built.stack.functions).map(([name, fn]) => [logicalId(fn.fn), name]),
    );
    expect(Object.values(ours).sort()).toEqual([
      "api",
      "fetch",
      "normalize",
      "publish",
      "scheduled",
      "upload",
    ]);
    // The only other function is CDK's BucketDeployment handler (deploy time only, acknowledged for nag).
    const others = Object.keys(functions).filter((id) => !(id in ours));
    expect(others).toEqual([expect.stringMatching(/^CustomCDKBucketDeployment/)]);
    for (const [id, name] of Object.entries(ours)) {
      const props = functions[id]?.Properties;
      const version = Number(/^nodejs(\d+)\.x$/.exec(props.Runtime)?.[1]);
      expect(version, id).toBeGreaterThanOrEqual(22);
      expect(props.Architectures, id).toEqual(["arm64"]);
      expect(props.TracingConfig, id).toEqual({ Mode: "Active" });
      expect(props.Handler, id).toBe(name === "scheduled" ? "index.scheduled" : "index.handler");
      const logGroup = props.LoggingConfig.LogGroup.Ref as string;
      expect(
        built.template.findResources("AWS::Logs::LogGroup")[logGroup]?.Properties.RetentionInDays,
        id,
      ).toBe(built.config.logRetention);
    }
  });

  it("each function's environment names the resources it was granted, and nothing else", () => {
    const env = (role: string) => {
      const fn = Object.values(built.template.findResources("AWS::Lambda::Function")).find(
        (f) => f.Properties.Role["Fn::GetAtt"][0] === role,
      );
      return fn?.Properties.Environment.Variables as Record<string, unknown>;
    };
    expect(env(ids.fetchRole)).toEqual({
      STAGE: "dev",
      NODE_OPTIONS: "--enable-source-maps",
      POWERTOOLS_SERVICE_NAME: "fetch",
      GACC_BASE_URL: built.config.gaccBaseUrl,
      ALLOWED_HOSTS: built.config.allowedHosts.join(","),
      RAW_BUCKET: { Ref: ids.raw },
      TABLE_NAME: { Ref: ids.table },
    });
    expect(env(ids.normalizeRole)).toEqual(
      expect.objectContaining({ RAW_BUCKET: { Ref: ids.raw }, TABLE_NAME: { Ref: ids.table } }),
    );
    expect(env(ids.normalizeRole)).not.toHaveProperty("CHARTS_BUCKET");
    const publish = env(ids.publishRole);
    expect(publish).toEqual(
      expect.objectContaining({
        TABLE_NAME: { Ref: ids.table },
        CHARTS_BUCKET: { Ref: ids.charts },
        CHARTS_PUBLIC_URL: {
          "Fn::Join": ["", ["https://", { "Fn::GetAtt": [expect.any(String), "DomainName"] }, "/"]],
        },
      }),
    );
    expect(publish).not.toHaveProperty("RAW_BUCKET");
  });

  it("the API function gets every variable functions/adapters/env.ts asks for, set where it is granted", () => {
    const fn = built.template.toJSON().Resources[ids.api].Properties;
    const publicUrl = {
      "Fn::Join": ["", ["https://", { "Fn::GetAtt": [ids.distribution, "DomainName"] }, "/"]],
    };
    expect(fn.Environment.Variables).toEqual({
      STAGE: "dev",
      NODE_OPTIONS: "--enable-source-maps",
      POWERTOOLS_SERVICE_NAME: "api",
      TABLE_NAME: { Ref: ids.table },
      RAW_BUCKET: { Ref: ids.raw },
      CHARTS_BUCKET: { Ref: ids.charts },
      CHARTS_PUBLIC_URL: publicUrl,
      STATE_MACHINE_ARN: { Ref: ids.pipeline },
      EDITORS_GROUP,
      // No RELEASE_ALERTS_TOPIC_ARN: an accepted held-back chart is published (and alerted) by its run.
      ORIGIN_VERIFY: originVerifyValue(),
    });
    // API Gateway gives an integration 30 s: the function may use (almost) all of it. Memory from the
    // deployed-shape run's measurement (infra/gacc-trade-charts-stack.ts).
    expect(fn.Timeout).toBeGreaterThanOrEqual(29);
    expect(fn.Timeout).toBeLessThan(30);
    expect(fn.MemorySize).toBe(512);
    // The scheduled refresh runs the same editors' wiring, so it names the same resources.
    const scheduled = built.template.toJSON().Resources[ids.scheduled].Properties;
    expect(scheduled.Environment.Variables).toEqual(
      expect.objectContaining({
        TABLE_NAME: { Ref: ids.table },
        RAW_BUCKET: { Ref: ids.raw },
        CHARTS_BUCKET: { Ref: ids.charts },
        CHARTS_PUBLIC_URL: publicUrl,
        STATE_MACHINE_ARN: { Ref: ids.pipeline },
      }),
    );
  });
});

describe("least privilege", () => {
  it("fetch reads and archives raw pages but cannot write chart files", () => {
    const s = roleStatements(built.template, ids.fetchRole);
    expect(allows(s, "s3:GetObject", ids.raw, "/*")).toBe(true);
    expect(allows(s, "s3:PutObject", ids.raw, "/*")).toBe(true);
    expect(allows(s, "s3:ListBucket", ids.raw)).toBe(true);
    expect(allows(s, "s3:PutObject", ids.charts)).toBe(false);
    expect(allows(s, "s3:GetObject", ids.charts)).toBe(false);
  });

  it("normalize only reads raw pages", () => {
    const s = roleStatements(built.template, ids.normalizeRole);
    expect(allows(s, "s3:GetObject", ids.raw, "/*")).toBe(true);
    expect(allows(s, "s3:PutObject", ids.raw)).toBe(false);
    expect(allows(s, "s3:PutObject", ids.charts)).toBe(false);
  });

  it("publish writes chart files but cannot write (or read) raw objects", () => {
    const s = roleStatements(built.template, ids.publishRole);
    expect(allows(s, "s3:PutObject", ids.charts, "/*")).toBe(true);
    expect(allows(s, "s3:GetObject", ids.charts, "/*")).toBe(true);
    expect(allows(s, "s3:ListBucket", ids.charts)).toBe(true);
    expect(allows(s, "s3:PutObject", ids.raw)).toBe(false);
    expect(allows(s, "s3:GetObject", ids.raw)).toBe(false);
  });

  it("the API stages uploads under uploads/ only, reads archived pages and the chart index, and starts and follows pipeline runs; it writes no chart and deletes no object", () => {
    const s = roleStatements(built.template, ids.apiRole);
    expect(allows(s, "s3:PutObject", ids.raw, "/uploads/*")).toBe(true);
    // Every chart file is written by the Publish function, in a run (an accepted held-back chart too).
    expect(allows(s, "s3:GetObject", ids.charts, "/*")).toBe(true);
    expect(allows(s, "s3:PutObject", ids.charts, "/*")).toBe(false);
    expect(allows(s, "s3:PutObject", ids.charts)).toBe(false);
    expect(allows(s, "s3:GetObject", ids.raw, "/raw/*")).toBe(true);
    // Never the archive itself, never the whole bucket.
    expect(allows(s, "s3:PutObject", ids.raw, "/raw/*")).toBe(false);
    expect(allows(s, "s3:PutObject", ids.raw, '"/*"')).toBe(false);
    for (const bucket of [ids.raw, ids.charts, ids.console]) {
      for (const action of ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectAcl"]) {
        expect(allows(s, action, bucket), `${action} ${bucket}`).toBe(false);
      }
    }
    expect(allows(s, "states:StartExecution", ids.pipeline)).toBe(true);
    // Executions are named by run id: arn:...:execution:<state machine name>:<run id>.
    expect(allows(s, "states:DescribeExecution", ids.pipeline, ":execution:")).toBe(true);
    expect(allows(s, "states:GetExecutionHistory", ids.pipeline, ":execution:")).toBe(true);
    expect(allows(s, "states:StartExecution", ids.overdue)).toBe(false);
  });

  it("the scheduled refresh starts and follows runs, and reads or writes no object", () => {
    const s = roleStatements(built.template, ids.scheduledRole);
    expect(allows(s, "states:StartExecution", ids.pipeline)).toBe(true);
    expect(allows(s, "states:DescribeExecution", ids.pipeline, ":execution:")).toBe(true);
    expect(allows(s, "dynamodb:PutItem", ids.table)).toBe(true);
    for (const bucket of [ids.raw, ids.charts, ids.console]) {
      // A run's start and end read no chart: publish reports what changed in each.
      expect(allows(s, "s3:GetObject", bucket, "/*"), bucket).toBe(false);
      expect(allows(s, "s3:PutObject", bucket), bucket).toBe(false);
      expect(allows(s, "s3:DeleteObject", bucket), bucket).toBe(false);
    }
  });

  it("every role reaches only its partitions of the table, never Scan; only the lock is deleted (infra/access.ts)", () => {
    for (const role of [ids.fetchRole, ids.normalizeRole, ids.publishRole, ids.scheduledRole, ids.apiRole]) {
      const s = roleStatements(built.template, role);
      const onTable = s.filter((st) => JSON.stringify(st.Resource).includes(ids.table));
      expect(onTable.length, role).toBeGreaterThan(0);
      for (const st of onTable) {
        expect(actionsOf(st), role).not.toContain("dynamodb:Scan");
        if (JSON.stringify(st.Resource).includes("/index/")) {
          expect(actionsOf(st)).toEqual(["dynamodb:Query"]);
          continue;
        }
        expect(st.Condition, `${role} ${actionsOf(st)}`).toHaveProperty([
          "ForAllValues:StringLike",
          "dynamodb:LeadingKeys",
        ]);
      }
      expect(allows(s, "dynamodb:Scan", ids.table), role).toBe(false);
    }
    for (const role of [ids.fetchRole, ids.normalizeRole, ids.publishRole])
      expect(allows(roleStatements(built.template, role), "dynamodb:DeleteItem", ids.table), role).toBe(
        false,
      );
    expect(
      allows(roleStatements(built.template, ids.publishRole), "dynamodb:Query", ids.table, "/index/gsi1"),
    ).toBe(true);
    expect(
      allows(roleStatements(built.template, ids.fetchRole), "dynamodb:Query", ids.table, "/index/"),
    ).toBe(false);
    // The API and `scheduled` delete one kind of item: the run lock, when they release it.
    for (const role of [ids.scheduledRole, ids.apiRole]) {
      const deletes = roleStatements(built.template, role).filter((st) =>
        actionsOf(st).includes("dynamodb:DeleteItem"),
      );
      expect(
        deletes.map((st) => st.Condition),
        role,
      ).toEqual([{ "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["LOCK"] } }]);
    }
  });

  it("nothing in the stack may delete or version-overwrite raw objects", () => {
    for (const role of Object.keys(built.template.findResources("AWS::IAM::Role"))) {
      const s = roleStatements(built.template, role);
      for (const action of [
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketPolicy",
      ]) {
        expect(allows(s, action, ids.raw), `${role} ${action}`).toBe(false);
      }
    }
    // Explicit S3 actions only: no s3:*, s3:Get*, s3:Delete* wildcards in any Allow; the one exception is
    // CDK's BucketDeployment handler (s3 sync of the console), whose S3 rights reach only the console
    // bucket and the CDK asset bucket.
    const deploymentRole = logicalId(
      required(built.stack.charts.consoleDeployment, "the console").handlerRole,
    );
    for (const [id, policy] of Object.entries(built.template.findResources("AWS::IAM::Policy"))) {
      const deployment = JSON.stringify(policy.Properties.Roles).includes(`"${deploymentRole}"`);
      for (const st of policy.Properties.PolicyDocument.Statement) {
        if (st.Effect !== "Allow") continue;
        const s3Actions = actionsOf(st).filter((a) => a.startsWith("s3:"));
        if (!deployment) {
          for (const a of s3Actions) expect(a.includes("*"), `${id} ${a}`).toBe(false);
        } else if (s3Actions.length > 0) {
          const resources = JSON.stringify(st.Resource);
          expect(
            resources.includes(ids.console) || resources.includes("cdk-hnb659fds-assets"),
            resources,
          ).toBe(true);
          for (const other of [ids.raw, ids.charts, ids.logs]) expect(resources).not.toContain(`"${other}"`);
        }
      }
    }
  });
});

describe("schedules", () => {
  // With the editors' API deployed, polling goes through its `scheduled` entry point (run lock, audit).
  const scheduledRefreshes = () =>
    Object.values(built.template.findResources("AWS::Scheduler::Schedule")).filter(
      (s) => s.Properties.Target.Arn["Fn::GetAtt"]?.[0] === ids.scheduled,
    );

  it("are exactly the crons calendar.ts derives from data/release-calendar.json, in Asia/Shanghai", () => {
    const deployed = scheduledRefreshes().map((s) => [
      s.Properties.ScheduleExpression,
      s.Properties.ScheduleExpressionTimezone,
    ]);
    const derived = pollingSchedules().map((s) => [s.expression, s.timeZone]);
    expect(deployed.sort()).toEqual(derived.sort());
    expect(deployed.map(([, tz]) => tz)).toEqual(deployed.map(() => "Asia/Shanghai"));
    expect(deployed.map(([e]) => e)).toContain("cron(0/5 9-16 7-14,18-20 1,3-12 ? *)");
  });

  it("invoke the scheduled refresh (which takes the run lock and starts the pipeline), naming the schedule", () => {
    const polling = scheduledRefreshes();
    expect(polling.length).toBe(pollingSchedules().length);
    expect(polling.map((s) => JSON.parse(s.Properties.Target.Input))).toEqual(
      pollingSchedules().map((p) => ({ trigger: "schedule", schedule: p.id })),
    );
    // Nothing starts the pipeline behind the lock's back.
    const direct = Object.values(built.template.findResources("AWS::Scheduler::Schedule")).filter(
      (s) => s.Properties.Target.Arn.Ref === ids.pipeline,
    );
    expect(direct).toEqual([]);
    // The invoker role may invoke that one function (and send to the DLQ).
    const role = polling[0]?.Properties.Target.RoleArn["Fn::GetAtt"][0] as string;
    expect(allows(roleStatements(built.template, role), "lambda:InvokeFunction", ids.scheduled)).toBe(true);
    expect(allows(roleStatements(built.template, role), "states:StartExecution", ids.pipeline)).toBe(false);
  });

  it("a scheduled refresh that fails is retried by Lambda, then lands in the same dead-letter queue", () => {
    built.template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: ids.scheduled },
      MaximumRetryAttempts: SCHEDULED_REFRESH_RETRY_ATTEMPTS,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [ids.dlq, "Arn"] } } },
    });
    expect(allows(roleStatements(built.template, ids.scheduledRole), "sqs:SendMessage", ids.dlq)).toBe(true);
  });

  it("the overdue check runs when calendar.ts says, with the window to look back over", () => {
    const checks = Object.values(built.template.findResources("AWS::Scheduler::Schedule")).filter(
      (s) => s.Properties.Target.Arn.Ref === ids.overdue,
    );
    expect(
      checks.map((s) => ({
        expression: s.Properties.ScheduleExpression,
        timeZone: s.Properties.ScheduleExpressionTimezone,
        input: JSON.parse(s.Properties.Target.Input),
      })),
    ).toEqual(
      overdueChecks().map((c) => ({
        expression: c.expression,
        timeZone: "Asia/Shanghai",
        input: { kind: c.kind, lookbackSeconds: c.lookbackSeconds },
      })),
    );
  });

  it("every schedule has a retry policy and the encrypted, SSL-only dead-letter queue", () => {
    const all = Object.values(built.template.findResources("AWS::Scheduler::Schedule"));
    expect(all.length).toBe(pollingSchedules().length + overdueChecks().length);
    for (const s of all) {
      expect(s.Properties.State).toBe("ENABLED");
      expect(s.Properties.Target.DeadLetterConfig).toEqual({ Arn: { "Fn::GetAtt": [ids.dlq, "Arn"] } });
      expect(s.Properties.Target.RetryPolicy).toEqual({
        MaximumRetryAttempts: 3,
        MaximumEventAgeInSeconds: 3600,
      });
    }
    built.template.hasResourceProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    built.template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: ids.dlq }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });
});

describe("state machine", () => {
  type State = Record<string, unknown> & {
    Retry?: Array<Record<string, unknown>>;
    Catch?: Array<Record<string, unknown>>;
  };
  let states: Record<string, State>;
  beforeAll(() => {
    states = stateMachineDefinition(built.template, ids.pipeline).States as Record<string, State>;
  });

  it("is a standard, traced workflow logging every event", () => {
    built.template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      StateMachineType: "STANDARD",
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: "ALL", IncludeExecutionData: true }),
    });
  });

  it("is JSONPath, so the deployed-shape run (test/deployed/) can execute it offline", () => {
    built.template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      DefinitionString: Match.anyValue(),
    });
    const text = JSON.stringify(stateMachineDefinition(built.template, ids.pipeline));
    expect(text).not.toContain("{%");
    expect(text).not.toContain("JSONata");
  });

  it("runs Fetch, then a Map over the releases it hands on (small concurrency) into Normalize, then Publish", () => {
    expect(stateMachineDefinition(built.template, ids.pipeline).StartAt).toBe("Defaults");
    expect(states.Defaults).toMatchObject({
      Type: "Pass",
      Result: PIPELINE_INPUT_DEFAULTS,
      Next: "ReadInput",
    });
    expect(states.ReadInput).toMatchObject({
      Parameters: { "args.$": "States.JsonMerge($, $$.Execution.Input, false)" },
      Next: "WhichRun",
    });
    // No upload and no acceptance in the input: the refresh path (see the editors' paths' own tests).
    expect(states.WhichRun).toMatchObject({
      Type: "Choice",
      Choices: [
        {
          And: [
            { Variable: "$.args.upload", IsNull: true },
            { Variable: "$.args.accept", IsNull: true },
            { Variable: "$.args.acceptChart", IsNull: true },
          ],
          Next: "Fetch",
        },
        {
          And: [
            { Variable: "$.args.upload", IsNull: true },
            { Variable: "$.args.accept", IsNull: true },
          ],
          Next: ACCEPT_CHART_TASK_STATE.publish,
        },
        { Variable: "$.args.upload", IsNull: true, Next: ACCEPT_TASK_STATE.normalize },
      ],
      Default: "StoreUpload",
    });
    expect(states.Fetch?.Next).toBe("FetchedAnything");
    expect(states.NormalizeChanged).toMatchObject({
      Type: "Map",
      MaxConcurrency: NORMALIZE_MAX_CONCURRENCY,
      // Changed releases and those a crashed run left unfinished: fetch lists only work to do.
      ItemsPath: "$.fetch.Payload.releases",
      Next: "Publish",
    });
    expect(NORMALIZE_MAX_CONCURRENCY).toBeLessThanOrEqual(5);
    expect(states.Publish?.Next).toBe("RunReport");
    expect(JSON.stringify(states.Publish?.Parameters)).toContain('"charts.$":"$.args.charts"');
    expect(JSON.stringify(states.Fetch?.Parameters)).toContain('"runId.$":"$$.Execution.Name"');
  });

  it("follows the one stage sequence (functions/domain/stages.ts) on every path, in its order", () => {
    const stepOf = new Map<string, string>([
      ...PIPELINE_STEPS.map((step): [string, string] => [STEP_TASK_STATE[step], step]),
      ...Object.entries(UPLOAD_TASK_STATE).map(([stage, state]): [string, string] => [state, stage]),
      ...Object.entries(ACCEPT_TASK_STATE).map(([stage, state]): [string, string] => [state, stage]),
      ...Object.entries(ACCEPT_CHART_TASK_STATE).map(([stage, state]): [string, string] => [state, stage]),
    ]);
    const stepsIn = (all: Record<string, State>, name: string): string[] => {
      const st = all[name] as State & { ItemProcessor?: { States: Record<string, State>; StartAt: string } };
      const task = stepOf.get(name);
      if (task) return [task];
      const inner = st.ItemProcessor;
      return inner ? pathsFrom(inner.States, inner.StartAt).flat() : [];
    };
    // Every way through the workflow, as the steps it runs.
    const pathsFrom = (all: Record<string, State>, name: string): string[][] => {
      const st = all[name] as State & { Next?: string; Default?: string; Choices?: Array<{ Next: string }> };
      const next = [
        ...(st.Next ? [st.Next] : []),
        ...(st.Choices ?? []).map((c) => c.Next),
        ...(st.Default ? [st.Default] : []),
      ];
      const here = stepsIn(all, name);
      if (next.length === 0) return [here];
      return next.flatMap((n) => pathsFrom(all, n).map((rest) => [...here, ...rest]));
    };
    const paths = pathsFrom(states, stateMachineDefinition(built.template, ids.pipeline).StartAt as string);
    // The full run takes every step in order; the shorter ones (nothing fetched, nothing changed)
    // skip steps but never reorder them.
    expect(paths).toContainEqual([...PIPELINE_STEPS]);
    // An upload's store takes fetch's place, then the same steps follow; an acceptance runs those.
    expect(paths).toContainEqual(["store", ...stepsAfter("fetch")]);
    expect(paths).toContainEqual(stepsAfter("fetch"));
    // A held chart's acceptance runs publish only.
    expect(paths).toContainEqual(stepsAfter("normalize"));
    for (const path of paths) {
      const order = path.map((step) =>
        PIPELINE_STEPS.indexOf((step === "store" ? "fetch" : step) as (typeof PIPELINE_STEPS)[number]),
      );
      expect(order.every((i) => i >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(new Set(path).size).toBe(path.length);
    }
  });

  it("goes to Publish when nothing changed too (it catches up on an earlier run's failed publish)", () => {
    expect(states.AnythingChanged).toMatchObject({
      Type: "Choice",
      Choices: [{ Variable: "$.fetch.Payload.releases[0]", IsPresent: true, Next: "NormalizeChanged" }],
      Default: "NothingToNormalize",
    });
    expect(states.NothingToNormalize).toMatchObject({
      Result: [],
      ResultPath: "$.normalized",
      Next: "Publish",
    });
    // Every path that fetched something ends in Publish → RunReport (or PipelineFailed); only a
    // run that fetched nothing ends without publishing. An upload ends in its own report, or in the
    // reason it could not be stored.
    const ends = Object.entries(states).filter(([, st]) => st.End === true || st.Type === "Succeed");
    expect(ends.map(([name]) => name).sort()).toEqual([
      "AcceptRefused",
      "AcceptReport",
      "ChartAcceptRefused",
      "ChartAcceptReport",
      "NothingFetched",
      "RunReport",
      "UploadRefused",
      "UploadReport",
    ]);
  });

  it("takes an editor's upload through the Upload function: store, normalize, publish, or the refusal", () => {
    // Which function each task invokes: the definition's references, in order, as the template has them.
    const pipeline = built.template.findResources("AWS::StepFunctions::StateMachine")[ids.pipeline];
    const parts = pipeline?.Properties.DefinitionString["Fn::Join"][1] as unknown[];
    const upload = built.stack.functions.upload;
    if (!upload) throw new Error("no Upload function: it is deployed with the editors' API");
    const uploadRef = JSON.stringify({ "Fn::GetAtt": [logicalId(upload.fn), "Arn"] });
    const invokedAfter = (state: string) => {
      const at = parts.findIndex((p) => typeof p === "string" && p.includes(`"${state}":{`));
      return JSON.stringify(parts.slice(at).find((p) => typeof p === "object" && p && "Fn::GetAtt" in p));
    };
    for (const name of ["StoreUpload", "NormalizeUpload"]) {
      expect(invokedAfter(name), name).toBe(uploadRef);
      // The function's own timeout, not the States Language's 60 s default.
      expect(states[name]?.TimeoutSeconds, name).toBe(300);
    }
    expect(states.StoreUpload?.Next).toBe("UploadStored");
    expect(states.UploadStored).toMatchObject({
      Type: "Choice",
      Choices: [{ Variable: "$.stored.Payload.refused", IsPresent: true, Next: "UploadRefused" }],
      Default: "NormalizeUpload",
    });
    expect(states.NormalizeUpload?.Next).toBe("PublishUpload");
    expect(states.PublishUpload?.Next).toBe("UploadReport");
    expect(states.UploadReport?.Parameters).toEqual({
      "runId.$": "$$.Execution.Name",
      "upload.$": "$.stored.Payload",
      "normalized.$": "States.Array($.normalizedUpload.Payload)",
      "publish.$": "$.publish.Payload",
    });
  });

  it("takes an editor's acceptance through Normalize (the preview checked again) and Publish, or the refusal", () => {
    const pipeline = built.template.findResources("AWS::StepFunctions::StateMachine")[ids.pipeline];
    const parts = pipeline?.Properties.DefinitionString["Fn::Join"][1] as unknown[];
    const invokedAfter = (state: string) => {
      const at = parts.findIndex((p) => typeof p === "string" && p.includes(`"${state}":{`));
      return JSON.stringify(parts.slice(at).find((p) => typeof p === "object" && p && "Fn::GetAtt" in p));
    };
    const refOf = (fn: { fn: Parameters<typeof logicalId>[0] } | undefined) =>
      JSON.stringify({ "Fn::GetAtt": [logicalId(fn?.fn as Parameters<typeof logicalId>[0]), "Arn"] });
    expect(invokedAfter(ACCEPT_TASK_STATE.normalize)).toBe(refOf(built.stack.functions.normalize));
    expect(invokedAfter(ACCEPT_TASK_STATE.publish)).toBe(refOf(built.stack.functions.publish));
    // The release and the whole acceptance (who, why, reading, the preview confirmed) go to Normalize.
    expect(states.NormalizeAccepted?.Parameters).toMatchObject({
      Payload: {
        "runId.$": "$$.Execution.Name",
        "releaseId.$": "$.args.accept.releaseId",
        "accept.$": "$.args.accept",
      },
    });
    expect(states.NormalizeAccepted?.Next).toBe("AcceptChecked");
    expect(states.AcceptChecked).toMatchObject({
      Type: "Choice",
      Choices: [{ Variable: "$.accepted.Payload.refused", IsPresent: true, Next: "AcceptRefused" }],
      Default: "PublishAccepted",
    });
    expect(states.AcceptRefused?.Parameters).toEqual({
      "runId.$": "$$.Execution.Name",
      normalized: [],
      "accept.$": "$.accepted.Payload",
    });
    expect(states.PublishAccepted?.Next).toBe("AcceptReport");
    expect(states.AcceptReport?.Parameters).toEqual({
      "runId.$": "$$.Execution.Name",
      "normalized.$": "States.Array($.accepted.Payload)",
      "publish.$": "$.publish.Payload",
    });
  });

  it("takes an editor's acceptance of a held-back chart through Publish (the hold checked again, then recorded), or the refusal", () => {
    const pipeline = built.template.findResources("AWS::StepFunctions::StateMachine")[ids.pipeline];
    const parts = pipeline?.Properties.DefinitionString["Fn::Join"][1] as unknown[];
    const state = ACCEPT_CHART_TASK_STATE.publish;
    const at = parts.findIndex((p) => typeof p === "string" && p.includes(`"${state}":{`));
    const invoked = parts.slice(at).find((p) => typeof p === "object" && p && "Fn::GetAtt" in p);
    const publish = built.stack.functions.publish;
    if (!publish) throw new Error("no Publish function");
    expect(invoked).toEqual({ "Fn::GetAtt": [logicalId(publish.fn), "Arn"] });
    // The whole acceptance (chart, who, why, the version accepted) goes to Publish; every chart is rebuilt.
    expect(states[state]?.Parameters).toMatchObject({
      Payload: { "runId.$": "$$.Execution.Name", "acceptChart.$": "$.args.acceptChart" },
    });
    expect(JSON.stringify(states[state]?.Parameters)).not.toContain("charts");
    expect(states[state]?.Next).toBe("ChartAcceptChecked");
    expect(states.ChartAcceptChecked).toMatchObject({
      Type: "Choice",
      Choices: [{ Variable: "$.publish.Payload.refused", IsPresent: true, Next: "ChartAcceptRefused" }],
      Default: "ChartAcceptReport",
    });
    expect(states.ChartAcceptRefused?.Parameters).toEqual({
      "runId.$": "$$.Execution.Name",
      normalized: [],
      "acceptChart.$": "$.publish.Payload",
    });
    expect(states.ChartAcceptReport?.Parameters).toEqual({
      "runId.$": "$$.Execution.Name",
      normalized: [],
      "publish.$": "$.publish.Payload",
    });
  });

  it("publishes nothing when fetch got nothing at all, and says so in the output", () => {
    expect(states.FetchedAnything).toMatchObject({
      Type: "Choice",
      Choices: [{ Variable: "$.fetch.Payload.nothingFetched", IsPresent: true, Next: "NothingFetched" }],
      Default: "AnythingChanged",
    });
    expect(states.NothingFetched).toMatchObject({
      Type: "Pass",
      End: true,
      Parameters: { "runId.$": "$$.Execution.Name", normalized: [], "fetch.$": "$.fetch.Payload" },
    });
  });

  it("ends with what functions/adapters/sfn-launcher.ts reads: runId, normalized (a list), publish, fetch", () => {
    expect(states.Fetch).toMatchObject({
      ResultSelector: { "Payload.$": "$.Payload" },
      ResultPath: "$.fetch",
    });
    expect(states.RunReport?.Parameters).toEqual({
      "runId.$": "$$.Execution.Name",
      "normalized.$": "$.normalized",
      "publish.$": "$.publish.Payload",
      "fetch.$": "$.fetch.Payload",
    });
    expect(states.NormalizeChanged?.ResultPath).toBe("$.normalized");
  });

  it("retries Lambda service errors and retryable pipeline errors with backoff, then fails", () => {
    const processor = states.NormalizeChanged?.ItemProcessor as { States: Record<string, State> } | undefined;
    const tasks = [states.Fetch, processor?.States.Normalize, states.Publish];
    expect(tasks.every((t) => t !== undefined)).toBe(true);
    for (const task of tasks) {
      expect(task?.Retry).toEqual([
        expect.objectContaining({ ErrorEquals: LAMBDA_SERVICE_ERRORS, BackoffRate: 2 }),
        expect.objectContaining({
          ErrorEquals: RETRYABLE_PIPELINE_ERRORS,
          BackoffRate: 2,
          IntervalSeconds: 30,
        }),
      ]);
      expect(RETRYABLE_PIPELINE_ERRORS).toContain("UpstreamUnavailable");
    }
    for (const name of ["Fetch", "NormalizeChanged", "Publish"]) {
      expect(states[name]?.Catch, name).toEqual([{ ErrorEquals: ["States.ALL"], Next: "PipelineFailed" }]);
    }
    expect(states.PipelineFailed?.Type).toBe("Fail");
  });

  it("retries exactly the errors the domain marks retryable", () => {
    const retryable: string[] = [];
    for (const value of Object.values(domainErrors)) {
      if (typeof value !== "function" || !(value.prototype instanceof domainErrors.PipelineError)) continue;
      // Arguments that every constructor accepts (strings, lists): only `retryable` matters here.
      const instance = Reflect.construct(value, ["message", [], []]) as domainErrors.PipelineError;
      if (instance.retryable) retryable.push(instance.name);
    }
    expect([...RETRYABLE_PIPELINE_ERRORS].sort()).toEqual(retryable.sort());
  });

  it("the overdue check may only put metrics in the pipeline's namespace", () => {
    const role = logicalId(built.stack.orchestration.overdueCheck.role);
    expect(roleStatements(built.template, role)).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Action: "cloudwatch:PutMetricData",
        Condition: { StringNotEquals: { "cloudwatch:namespace": METRICS_NAMESPACE } },
      }),
    );
  });
});

describe("CloudFront", () => {
  type Behavior = Record<string, unknown> & {
    PathPattern?: string;
    TargetOriginId: string;
    CachePolicyId: { Ref: string } | string;
    ResponseHeadersPolicyId: { Ref: string };
  };
  let config: {
    CacheBehaviors: Behavior[];
    DefaultCacheBehavior: Behavior;
    Origins: Array<Record<string, unknown> & { Id: string; DomainName: unknown }>;
    DefaultRootObject: string;
    Logging: unknown;
  };
  const behavior = (path: string) => config.CacheBehaviors.find((b) => b.PathPattern === path);
  const originOf = (b: Behavior | undefined) => config.Origins.find((o) => o.Id === b?.TargetOriginId);
  const policyTtl = (ref: { Ref: string } | string | undefined) =>
    built.template.findResources("AWS::CloudFront::CachePolicy")[typeof ref === "object" ? ref.Ref : ""]
      ?.Properties.CachePolicyConfig;
  const bucketDomain = (bucket: string) => ({ "Fn::GetAtt": [bucket, "RegionalDomainName"] });

  beforeAll(() => {
    config = built.template.toJSON().Resources[ids.distribution].Properties.DistributionConfig;
  });

  it("serves versioned copies for a year and latest files for a minute, compressed, HTTPS only", () => {
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(["charts/v/*", "charts/*", "api/*"]);
    const versioned = behavior("charts/v/*");
    const latest = behavior("charts/*");
    expect(policyTtl(versioned?.CachePolicyId)).toMatchObject({
      DefaultTTL: VERSIONED_TTL.toSeconds(),
      MinTTL: 31536000,
      MaxTTL: 31536000,
    });
    expect(policyTtl(latest?.CachePolicyId)).toMatchObject({
      DefaultTTL: LATEST_TTL.toSeconds(),
      MinTTL: 0,
    });
    expect(LATEST_TTL.toSeconds()).toBe(60);
    for (const b of [versioned, latest, config.DefaultCacheBehavior]) {
      expect(b).toMatchObject({ Compress: true, ViewerProtocolPolicy: "redirect-to-https" });
      expect(b?.AllowedMethods).toEqual(["GET", "HEAD", "OPTIONS"]);
    }
    for (const b of [versioned, latest]) expect(originOf(b)?.DomainName).toEqual(bucketDomain(ids.charts));
    for (const p of Object.values(built.template.findResources("AWS::CloudFront::CachePolicy"))) {
      expect(p.Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
      });
    }
    for (const bucket of [ids.charts, ids.console]) {
      const origin = config.Origins.find(
        (o) => JSON.stringify(o.DomainName) === JSON.stringify(bucketDomain(bucket)),
      );
      expect(origin?.OriginAccessControlId, bucket).toBeDefined();
    }
    built.template.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: { OriginAccessControlOriginType: "s3", SigningBehavior: "always" },
    });
    expect(config.Logging).toMatchObject({ Bucket: { "Fn::GetAtt": [ids.logs, "RegionalDomainName"] } });
  });

  it("serves the editors' console at the root, from the console bucket", () => {
    expect(config.DefaultRootObject).toBe("index.html");
    expect(originOf(config.DefaultCacheBehavior)?.DomainName).toEqual(bucketDomain(ids.console));
    expect(policyTtl(config.DefaultCacheBehavior.CachePolicyId)).toMatchObject({ DefaultTTL: 60 });
    const headers = built.template.findResources("AWS::CloudFront::ResponseHeadersPolicy")[
      config.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref
    ]?.Properties.ResponseHeadersPolicyConfig;
    // Same origin as /api and /charts: no CORS; not framed.
    expect(headers?.CorsConfig).toBeUndefined();
    expect(headers?.SecurityHeadersConfig).toMatchObject({
      FrameOptions: { FrameOption: "DENY", Override: true },
      StrictTransportSecurity: expect.objectContaining({ Override: true }),
    });
  });

  it("routes /api/* to the editors' HTTP API: never cached, every method, every viewer header but Host", () => {
    const api = behavior("api/*");
    expect(api).toMatchObject({
      // Managed policies CachingDisabled and AllViewerExceptHostHeader (the latter forwards Authorization
      // because caching is disabled).
      CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      OriginRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
      AllowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
      // A redirect would turn a POST into a GET: HTTPS or nothing.
      ViewerProtocolPolicy: "https-only",
    });
    // The origin is the API's own name in the stage's zone (cdk.json apiOrigin), not execute-api, and
    // every request carries the origin header the handler requires, valued from the generated secret.
    expect(originOf(api)).toMatchObject({
      DomainName: DEV_API_ORIGIN,
      CustomOriginConfig: { OriginProtocolPolicy: "https-only", OriginSSLProtocols: ["TLSv1.2"] },
      OriginCustomHeaders: [{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: originVerifyValue() }],
    });
    // The HTTP API's $default stage passes /api/... through unchanged, which is what the router matches.
    built.template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      ApiId: { Ref: ids.httpApi },
      StageName: "$default",
    });
  });

  it("reaches the editors' API through CloudFront only: no execute-api endpoint, one origin name with its record and certificate", () => {
    built.template.hasResourceProperties("AWS::ApiGatewayV2::Api", { DisableExecuteApiEndpoint: true });
    const names = built.template.findResources("AWS::ApiGatewayV2::DomainName");
    expect(Object.values(names).map((n) => n.Properties.DomainName)).toEqual([DEV_API_ORIGIN]);
    const [nameId] = Object.keys(names);
    expect(Object.values(names)[0]?.Properties.DomainNameConfigurations).toEqual([
      expect.objectContaining({ EndpointType: "REGIONAL", SecurityPolicy: "TLS_1_2" }),
    ]);
    built.template.hasResourceProperties("AWS::ApiGatewayV2::ApiMapping", {
      ApiId: { Ref: ids.httpApi },
      DomainName: { Ref: nameId },
    });
    built.template.hasResourceProperties("AWS::CertificateManager::Certificate", {
      DomainName: DEV_API_ORIGIN,
      ValidationMethod: "DNS",
      DomainValidationOptions: [{ DomainName: DEV_API_ORIGIN, HostedZoneId: DEV_API_ZONE_ID }],
    });
    for (const type of ["A", "AAAA"]) {
      built.template.hasResourceProperties("AWS::Route53::RecordSet", {
        Name: `${DEV_API_ORIGIN}.`,
        Type: type,
        HostedZoneId: DEV_API_ZONE_ID,
        AliasTarget: {
          DNSName: { "Fn::GetAtt": [nameId, "RegionalDomainName"] },
          HostedZoneId: { "Fn::GetAtt": [nameId, "RegionalHostedZoneId"] },
        },
      });
    }
    built.template.hasResourceProperties("AWS::SecretsManager::Secret", {
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    });
    // Nothing (origin, output, console setting) points at the execute-api address.
    expect(/"ApiEndpoint"\]/.test(JSON.stringify(built.template.toJSON()))).toBe(false);
  });

  it("deploys the console folder, and its stage settings, to the console bucket", () => {
    const [deployment] = Object.values(built.template.findResources("Custom::CDKBucketDeployment"));
    expect(deployment?.Properties).toMatchObject({
      DestinationBucketName: { Ref: ids.console },
      Prune: true,
      SystemMetadata: { "cache-control": "max-age=60" },
    });
    // The first source is the console folder, zipped as it is (no bundling: synth stays offline).
    const [folderKey] = (deployment?.Properties.SourceObjectKeys ?? []) as string[];
    const assembly = built.app.synth();
    const files = Object.values(
      (
        JSON.parse(
          readFileSync(join(assembly.directory, `${built.stack.artifactId}.assets.json`), "utf8"),
        ) as {
          files: Record<
            string,
            {
              source: { path: string; packaging?: string };
              destinations: Record<string, { objectKey: string }>;
            }
          >;
        }
      ).files,
    );
    const folder = files.find((f) => Object.values(f.destinations).some((d) => d.objectKey === folderKey));
    expect(folder?.source.packaging).toBe("zip");
    const uploaded = join(assembly.directory, folder?.source.path ?? "");
    expect(readdirSync(uploaded).sort()).toEqual([
      "build",
      "console.css",
      "console.js",
      "index.html",
      "sign-in.js",
      "whats-new.js",
    ]);
    // The chart previews as one local bundle (Vega inside, no CDN), their source staying behind; and
    // the editors' words (functions/domain/wording.ts) bundled for the console.
    expect(readdirSync(join(uploaded, "build"))).toEqual(["charts.js", "wording.js"]);
    // The second is console-config.json, filled in at deploy time (sign-in URL, stage).
    expect(CONSOLE_CONFIG_FILE).toBe("console-config.json");
    expect(JSON.stringify(deployment?.Properties.SourceMarkers[1])).toContain(ids.client);
  });

  it("answers graphics on any site (CORS: any origin, GET/HEAD) on every chart behavior", () => {
    const policies = built.template.findResources("AWS::CloudFront::ResponseHeadersPolicy");
    for (const path of ["charts/v/*", "charts/*"]) {
      const ref = behavior(path)?.ResponseHeadersPolicyId.Ref ?? "";
      expect(policies[ref]?.Properties.ResponseHeadersPolicyConfig.CorsConfig, path).toMatchObject({
        AccessControlAllowOrigins: { Items: ["*"] },
        AccessControlAllowMethods: { Items: ["GET", "HEAD"] },
        AccessControlAllowCredentials: false,
        OriginOverride: true,
      });
    }
  });
});

describe("editors' sign-in", () => {
  it("has a Cognito prefix domain named after the stack (and account, to be unique in the region)", () => {
    built.template.hasResourceProperties("AWS::Cognito::UserPoolDomain", {
      UserPoolId: { Ref: ids.userPool },
      Domain: { "Fn::Join": ["", ["gacctradecharts-dev-", { Ref: "AWS::AccountId" }]] },
    });
  });

  it("lets the console sign in through the hosted UI (authorization code + PKCE, no implicit flow) and come back to its own URL", () => {
    const consoleUrl = {
      "Fn::Join": ["", ["https://", { "Fn::GetAtt": [ids.distribution, "DomainName"] }, "/"]],
    };
    const client = built.template.toJSON().Resources[ids.client].Properties;
    expect(client).toMatchObject({
      UserPoolId: { Ref: ids.userPool },
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile"],
      CallbackURLs: [consoleUrl],
      LogoutURLs: [consoleUrl],
      SupportedIdentityProviders: ["COGNITO"],
      GenerateSecret: false,
    });
    // Still usable without a browser (SRP).
    expect(client.ExplicitAuthFlows).toContain("ALLOW_USER_SRP_AUTH");
    // The API's JWT authorizer accepts this client's tokens.
    built.template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      JwtConfiguration: { Audience: [{ Ref: ids.client }] },
    });
  });

  it("outputs the hosted-UI sign-in URL, returning to the console with a token", () => {
    const signIn = JSON.stringify(built.template.toJSON().Outputs.EditorsSignInUrl.Value);
    for (const part of [
      ".amazoncognito.com/login?client_id=",
      ids.client,
      "response_type=code",
      "redirect_uri=https://",
    ]) {
      expect(signIn).toContain(part);
    }
    expect(signIn).toContain(ids.distribution);
    expect(built.template.toJSON().Outputs.EditorsConsoleUrl).toBeDefined();
  });
});

describe("alarms and dashboard", () => {
  const alarms = () => Object.values(built.template.findResources("AWS::CloudWatch::Alarm"));
  const metricNames = (alarm: Record<string, unknown>) =>
    JSON.stringify(alarm.Properties).match(/"MetricName":"([^"]+)"/g) ?? [];

  it("every alarm notifies the encrypted, SSL-only topic", () => {
    for (const a of alarms()) expect(a.Properties.AlarmActions).toEqual([{ Ref: ids.topic }]);
    built.template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    built.template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    built.template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });

  it("covers each failure mode", () => {
    const find = (metric: string) =>
      alarms().filter((a) => metricNames(a).some((m) => m.includes(`"${metric}"`)));
    // A run failed.
    expect(find("ExecutionsFailed").length).toBeGreaterThanOrEqual(2);
    // A dead-letter queue is not empty.
    expect(find("ApproximateNumberOfMessagesVisible")[0]?.Properties).toMatchObject({
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [ids.dlq, "QueueName"] } }],
    });
    // A release was quarantined.
    expect(find(PIPELINE_METRICS.releasesQuarantined)[0]?.Properties).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: "Stage", Value: "dev" }],
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
    // No release accepted in a window that closed days ago.
    expect(find(PIPELINE_METRICS.releasesOverdue)[0]?.Properties).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    // No successful run for days (missing data counts as breaching).
    expect(find("ExecutionsSucceeded")[0]?.Properties).toMatchObject({
      Period: 86400,
      EvaluationPeriods: 3,
      TreatMissingData: "breaching",
      ComparisonOperator: "LessThanThreshold",
    });
  });

  it("every alarm on a custom metric reads one the code emits: same namespace, name and dimensions", () => {
    // Emitted: what the normalize stage writes through Powertools Metrics (EMF, parsed as CloudWatch
    // would), and what the overdue check's state machine puts with PutMetricData.
    const emitted = new Set<string>();
    const key = (ns: unknown, name: unknown, dims: unknown[]) =>
      `${ns}|${name}|${[...dims].sort().join(",")}`;
    for (const status of ["normalized", "quarantined"]) {
      for (const doc of releaseOutcomeDocs(status, "dev")) {
        for (const d of doc._aws.CloudWatchMetrics) {
          for (const set of d.Dimensions) {
            expect(set.map((dim) => doc[dim])).toEqual(set.map(() => "dev"));
            for (const m of d.Metrics) emitted.add(key(d.Namespace, m.Name, set));
          }
        }
      }
    }
    const overdueStates = Object.values(
      stateMachineDefinition(built.template, ids.overdue).States as Record<
        string,
        { Arguments?: Record<string, unknown> }
      >,
    );
    for (const st of overdueStates) {
      const args = st.Arguments as
        | {
            Namespace?: string;
            MetricData?: Array<{ MetricName: string; Dimensions: Array<{ Name: string; Value: string }> }>;
          }
        | undefined;
      for (const m of args?.MetricData ?? []) {
        expect(m.Dimensions.map((dim) => dim.Value)).toEqual(m.Dimensions.map(() => "dev"));
        emitted.add(
          key(
            args?.Namespace,
            m.MetricName,
            m.Dimensions.map((dim) => dim.Name),
          ),
        );
      }
    }
    expect(emitted.size).toBe(Object.keys(PIPELINE_METRICS).length);

    const custom = alarms().filter((a) => JSON.stringify(a.Properties).includes(`"${METRICS_NAMESPACE}"`));
    expect(custom.length).toBeGreaterThanOrEqual(2);
    for (const alarm of custom) {
      const p = alarm.Properties as {
        Namespace?: string;
        MetricName?: string;
        Dimensions?: Array<{ Name: string; Value: string }>;
        Metrics?: Array<{
          MetricStat?: {
            Metric: {
              Namespace: string;
              MetricName: string;
              Dimensions?: Array<{ Name: string; Value: string }>;
            };
          };
        }>;
      };
      const read = p.MetricName
        ? [{ Namespace: p.Namespace, MetricName: p.MetricName, Dimensions: p.Dimensions ?? [] }]
        : (p.Metrics ?? []).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
      expect(read.length).toBeGreaterThan(0);
      for (const metric of read) {
        expect(emitted).toContain(
          key(
            metric.Namespace,
            metric.MetricName,
            (metric.Dimensions ?? []).map((d) => d.Name),
          ),
        );
        for (const d of metric.Dimensions ?? []) expect(d.Value).toBe("dev");
      }
    }
  });

  it("the dashboard shows runs, releases, Lambda errors and durations", () => {
    const [dashboard] = Object.values(built.template.findResources("AWS::CloudWatch::Dashboard"));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const text of [
      "Runs",
      "Releases",
      "Lambda errors",
      "Lambda duration",
      PIPELINE_METRICS.releasesAccepted,
      "Errors",
      "Duration",
    ]) {
      expect(body).toContain(text);
    }
  });

  it("dev sends no e-mail", () => {
    built.template.resourceCountIs("AWS::SNS::Subscription", 0);
  });
});

describe("cdk-nag AwsSolutions and NIST 800-53 R5", () => {
  it("reports no unacknowledged finding", () => {
    expect(nagFindings(built.app)).toEqual([]);
  });

  it("every acknowledgement states a specific reason and covers a real finding", () => {
    const acks = acknowledgements(built.app);
    expect(acks.length).toBeGreaterThan(0);
    const raw = rawNagFindings(built.app);
    for (const ack of acks) {
      expect(ack.reason.length, `${ack.id} on ${ack.path}`).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
      const used = raw.some(
        (f) => f.rule === ack.id && f.paths.some((p) => p === ack.path || p.startsWith(`${ack.path}/`)),
      );
      expect(used, `stale acknowledgement ${ack.id} on ${ack.path}`).toBe(true);
    }
  });
});

describe("release alerts", () => {
  it("go to their own topic, encrypted with their own key and SSL-only, never the alarms topic", () => {
    expect(ids.releaseTopic).not.toBe(ids.topic);
    built.template.hasResourceProperties("AWS::SNS::Topic", {
      DisplayName: "GACC trade charts: release alerts (dev)",
      KmsMasterKeyId: { "Fn::GetAtt": [ids.releaseKey, "Arn"] },
    });
    built.template.hasResourceProperties("AWS::KMS::Key", {
      Description: "Encrypts the GACC trade charts release-alerts topic (dev)",
      EnableKeyRotation: true,
    });
    built.template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: ids.releaseTopic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    // No alarm notifies the newsroom's topic.
    for (const a of Object.values(built.template.findResources("AWS::CloudWatch::Alarm")))
      expect(JSON.stringify(a.Properties.AlarmActions ?? [])).not.toContain(ids.releaseTopic);
    expect(built.template.findOutputs("ReleaseAlertsTopicArn")).toEqual({
      ReleaseAlertsTopicArn: expect.objectContaining({ Value: { Ref: ids.releaseTopic } }),
    });
  });

  it("only the function that publishes charts may publish to it (an accepted held-back chart too is published by a run)", () => {
    for (const role of [ids.publishRole]) {
      const s = roleStatements(built.template, role);
      expect(allows(s, "sns:Publish", ids.releaseTopic)).toBe(true);
      expect(allows(s, "kms:GenerateDataKey", ids.releaseKey)).toBe(true);
      // Publish only: no subscribing, no topic changes, not the alarms topic.
      expect(allows(s, "sns:Subscribe", ids.releaseTopic)).toBe(false);
      expect(allows(s, "sns:SetTopicAttributes", ids.releaseTopic)).toBe(false);
      expect(allows(s, "sns:Publish", ids.topic)).toBe(false);
    }
    for (const role of [ids.fetchRole, ids.normalizeRole, ids.scheduledRole, ids.apiRole]) {
      expect(allows(roleStatements(built.template, role), "sns:Publish", ids.releaseTopic)).toBe(false);
      expect(allows(roleStatements(built.template, role), "kms:GenerateDataKey", ids.releaseKey)).toBe(false);
    }
    const env = (fnId: string) => built.template.toJSON().Resources[fnId].Properties.Environment.Variables;
    const publishFn = Object.entries(built.template.findResources("AWS::Lambda::Function")).find(
      ([, f]) => f.Properties.Role["Fn::GetAtt"][0] === ids.publishRole,
    )?.[0] as string;
    expect(env(publishFn).RELEASE_ALERTS_TOPIC_ARN).toEqual({ Ref: ids.releaseTopic });
    expect(env(ids.scheduled)).not.toHaveProperty("RELEASE_ALERTS_TOPIC_ARN");
    expect(env(ids.api)).not.toHaveProperty("RELEASE_ALERTS_TOPIC_ARN");
  });
});

describe("console Content-Security-Policy", () => {
  it("allows only the console's own scripts, no eval, and connections to itself and Cognito", () => {
    const policies = Object.values(built.template.findResources("AWS::CloudFront::ResponseHeadersPolicy"));
    const csps = policies
      .map((p) => p.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig?.ContentSecurityPolicy)
      .filter((c) => c !== undefined);
    expect(csps).toHaveLength(1);
    expect(csps[0].Override).toBe(true);
    const text = JSON.stringify(csps[0].ContentSecurityPolicy);
    expect(text).toContain("script-src 'self';");
    expect(text).toContain("default-src 'none'");
    expect(text).toContain("frame-ancestors 'none'");
    expect(text).not.toContain("unsafe-eval");
    expect(text).not.toMatch(/script-src[^;]*unsafe-inline/);
    // connect-src: the console's origin, the Cognito hosted domain of this stack and S3 in the stack's
    // region (uploads are PUT to their presigned address in the raw bucket), nothing else.
    expect(text).toMatch(
      /connect-src 'self' https:\/\/",\{"Ref":"EditorsUsersSignIn[0-9A-F]+"\},"\.auth\.[^ ]+ https:\/\/\*\.s3\.",\{"Ref":"AWS::Region"\},"\.",\{"Ref":"AWS::URLSuffix"\},";/,
    );
  });
});
