/**
 * The dev stack, synthesized once with real esbuild bundling (as `npm run synth` does), asserted
 * property by property, and checked by cdk-nag's AwsSolutions pack.
 */
import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { METRICS_NAMESPACE, PIPELINE_METRICS } from "../../functions/adapters/metrics.js";
import { overdueChecks, pollingSchedules } from "../../functions/domain/calendar.js";
import * as domainErrors from "../../functions/domain/errors.js";
import { LATEST_TTL, VERSIONED_TTL } from "../../infra/constructs/chart-delivery.js";
import {
  LAMBDA_SERVICE_ERRORS,
  NORMALIZE_MAX_CONCURRENCY,
  RETRYABLE_PIPELINE_ERRORS,
} from "../../infra/constructs/orchestration.js";
import { MIN_REASON_LENGTH } from "../../infra/nag.js";
import {
  acknowledgements,
  actionsOf,
  allows,
  type Built,
  buildStack,
  logicalId,
  nagFindings,
  rawNagFindings,
  roleStatements,
  SYNTH_TIMEOUT,
  stateMachineDefinition,
} from "./support.js";

let built: Built;
let ids: {
  raw: string;
  charts: string;
  logs: string;
  table: string;
  pipeline: string;
  overdue: string;
  dlq: string;
  topic: string;
  fetchRole: string;
  normalizeRole: string;
  publishRole: string;
};

beforeAll(() => {
  built = buildStack({ stage: "dev", bundle: true, api: "repo" });
  const { stack } = built;
  ids = {
    raw: logicalId(stack.data.rawBucket),
    charts: logicalId(stack.charts.bucket),
    logs: logicalId(stack.data.logBucket),
    table: logicalId(stack.data.table),
    pipeline: logicalId(stack.orchestration.stateMachine),
    overdue: logicalId(stack.orchestration.overdueCheck),
    dlq: logicalId(stack.orchestration.schedulerDlq),
    topic: logicalId(stack.monitoring.topic),
    fetchRole: logicalId(stack.functions.fetch?.role ?? stack),
    normalizeRole: logicalId(stack.functions.normalize?.role ?? stack),
    publishRole: logicalId(stack.functions.publish?.role ?? stack),
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
    expect(Object.keys(buckets).sort()).toEqual([ids.charts, ids.logs, ids.raw].sort());
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

  it("the charts bucket is readable only by this CloudFront distribution (origin access control)", () => {
    built.template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: ids.charts },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Allow",
            Action: "s3:GetObject",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Condition: { StringEquals: { "AWS:SourceArn": Match.anyValue() } },
          }),
        ]),
      },
    });
    expect(
      built.template.findResources("AWS::S3::Bucket")[ids.charts]?.Properties.LoggingConfiguration,
    ).toEqual({
      DestinationBucketName: { Ref: ids.logs },
      LogFilePrefix: "s3/charts/",
    });
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
    expect(Object.keys(functions).length).toBeGreaterThanOrEqual(3);
    for (const [id, fn] of Object.entries(functions)) {
      const version = Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1]);
      expect(version, id).toBeGreaterThanOrEqual(22);
      expect(fn.Properties.Architectures, id).toEqual(["arm64"]);
      expect(fn.Properties.TracingConfig, id).toEqual({ Mode: "Active" });
      expect(fn.Properties.Handler, id).toBe("index.handler");
      const logGroup = fn.Properties.LoggingConfig.LogGroup.Ref as string;
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

  it("every pipeline function reads and writes the table (gsi1 included)", () => {
    for (const role of [ids.fetchRole, ids.normalizeRole, ids.publishRole]) {
      const s = roleStatements(built.template, role);
      expect(allows(s, "dynamodb:Query", ids.table, "/index/*"), role).toBe(true);
      expect(allows(s, "dynamodb:PutItem", ids.table), role).toBe(true);
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
    // Explicit S3 actions only: no s3:*, s3:Get*, s3:Delete* wildcards in any Allow.
    for (const policy of Object.values(built.template.findResources("AWS::IAM::Policy"))) {
      for (const st of policy.Properties.PolicyDocument.Statement) {
        if (st.Effect !== "Allow") continue;
        for (const a of actionsOf(st)) expect(a.startsWith("s3:") && a.includes("*"), a).toBe(false);
      }
    }
  });
});

describe("schedules", () => {
  const pipelineSchedules = () =>
    Object.values(built.template.findResources("AWS::Scheduler::Schedule")).filter(
      (s) => s.Properties.Target.Arn.Ref === ids.pipeline,
    );

  it("are exactly the crons calendar.ts derives from data/release-calendar.json, in Asia/Shanghai", () => {
    const deployed = pipelineSchedules().map((s) => [
      s.Properties.ScheduleExpression,
      s.Properties.ScheduleExpressionTimezone,
    ]);
    const derived = pollingSchedules().map((s) => [s.expression, s.timeZone]);
    expect(deployed.sort()).toEqual(derived.sort());
    expect(deployed.map(([, tz]) => tz)).toEqual(deployed.map(() => "Asia/Shanghai"));
    expect(deployed.map(([e]) => e)).toContain("cron(0/30 9-11 7-14,18-20 1,3-12 ? *)");
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

  it("runs Fetch, then a Map over the releases it hands on (small concurrency) into Normalize, then Publish", () => {
    expect(stateMachineDefinition(built.template, ids.pipeline).StartAt).toBe("Fetch");
    expect(states.Fetch?.Next).toBe("AnythingChanged");
    expect(states.NormalizeChanged).toMatchObject({
      Type: "Map",
      MaxConcurrency: NORMALIZE_MAX_CONCURRENCY,
      // Changed releases and those a crashed run left unfinished: fetch lists only work to do.
      Items: "{% [$states.input.releases] %}",
      Next: "Publish",
    });
    expect(NORMALIZE_MAX_CONCURRENCY).toBeLessThanOrEqual(5);
    expect(states.Publish?.End).toBe(true);
    expect(JSON.stringify(states.Publish?.Arguments)).toContain("$states.context.Execution.Input.charts");
    expect(JSON.stringify(states.Fetch?.Arguments)).toContain("'runId': $states.context.Execution.Name");
    expect(states.NothingNew?.Type).toBe("Succeed");
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
  const policyTtl = (ref: { Ref: string }) =>
    built.template.findResources("AWS::CloudFront::CachePolicy")[ref.Ref]?.Properties.CachePolicyConfig;

  it("serves versioned copies for a year and latest files for a minute, compressed, HTTPS only", () => {
    const [dist] = Object.values(built.template.findResources("AWS::CloudFront::Distribution"));
    const config = dist?.Properties.DistributionConfig;
    const behaviors = config.CacheBehaviors as Array<
      Record<string, unknown> & { CachePolicyId: { Ref: string } }
    >;
    expect(behaviors.map((b) => b.PathPattern)).toEqual(["charts/v/*", "charts/*"]);
    const [versioned, latest] = behaviors;
    expect(policyTtl(versioned?.CachePolicyId ?? { Ref: "" })).toMatchObject({
      DefaultTTL: VERSIONED_TTL.toSeconds(),
      MinTTL: 31536000,
      MaxTTL: 31536000,
    });
    expect(policyTtl(latest?.CachePolicyId ?? { Ref: "" })).toMatchObject({
      DefaultTTL: LATEST_TTL.toSeconds(),
      MinTTL: 0,
    });
    expect(LATEST_TTL.toSeconds()).toBe(60);
    for (const b of [...behaviors, config.DefaultCacheBehavior]) {
      expect(b).toMatchObject({ Compress: true, ViewerProtocolPolicy: "redirect-to-https" });
      expect(b.AllowedMethods).toEqual(["GET", "HEAD", "OPTIONS"]);
    }
    for (const p of Object.values(built.template.findResources("AWS::CloudFront::CachePolicy"))) {
      expect(p.Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
      });
    }
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    built.template.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: { OriginAccessControlOriginType: "s3", SigningBehavior: "always" },
    });
    expect(config.Logging).toMatchObject({ Bucket: { "Fn::GetAtt": [ids.logs, "RegionalDomainName"] } });
  });

  it("answers graphics on any site (CORS: any origin, GET/HEAD) on every behavior", () => {
    const policies = built.template.findResources("AWS::CloudFront::ResponseHeadersPolicy");
    const [[corsId, cors]] = Object.entries(policies) as [
      [string, { Properties: { ResponseHeadersPolicyConfig: { CorsConfig: unknown } } }],
    ];
    expect(cors.Properties.ResponseHeadersPolicyConfig.CorsConfig).toMatchObject({
      AccessControlAllowOrigins: { Items: ["*"] },
      AccessControlAllowMethods: { Items: ["GET", "HEAD"] },
      AccessControlAllowCredentials: false,
      OriginOverride: true,
    });
    const [dist] = Object.values(built.template.findResources("AWS::CloudFront::Distribution"));
    const config = dist?.Properties.DistributionConfig;
    for (const b of [...config.CacheBehaviors, config.DefaultCacheBehavior]) {
      expect(b.ResponseHeadersPolicyId).toEqual({ Ref: corsId });
    }
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

describe("cdk-nag AwsSolutions", () => {
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
