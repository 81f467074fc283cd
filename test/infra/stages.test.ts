/**
 * What differs between stages (from cdk.json), the editors' API (against a small stand-in handler, for a
 * faster synth), and the small guards of the infra code.
 * These synths skip asset bundling (stack.test.ts bundles for real).
 */
import { App, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { beforeAll, describe, expect, it } from "vitest";
import { pollingSchedules } from "../../functions/domain/release-calendar.js";
import { stageConfig } from "../../infra/config.js";
import { EDITORS_GROUP } from "../../infra/constructs/editors-api.js";
import { PipelineFunction } from "../../infra/constructs/pipeline-function.js";
import { HANDLER_FILES, handlerEntries } from "../../infra/handlers.js";
import {
  API_FIXTURE,
  allows,
  type Built,
  buildStack,
  CDK_CONTEXT,
  logicalId,
  nagFindings,
  roleStatements,
  SYNTH_TIMEOUT,
} from "./support.js";

let dev: Built;
let prod: Built;

beforeAll(() => {
  dev = buildStack({ stage: "dev", bundle: false, api: "fixture" });
  prod = buildStack({ stage: "prod", bundle: false, api: "fixture" });
}, SYNTH_TIMEOUT);

describe("stages", () => {
  it("names the stack after the stage", () => {
    expect(dev.stack.stackName).toBe("GaccTradeCharts-dev");
    expect(prod.stack.stackName).toBe("GaccTradeCharts-prod");
  });

  it("keeps logs longer in prod", () => {
    const retention = (b: Built) =>
      new Set(
        Object.values(b.template.findResources("AWS::Logs::LogGroup")).map(
          (g) => g.Properties.RetentionInDays,
        ),
      );
    expect(retention(dev)).toEqual(new Set([14]));
    expect(retention(prod)).toEqual(new Set([365]));
  });

  it("retains derived data in prod only; the raw archive and the table in both", () => {
    const policy = (b: Built, construct: Parameters<typeof logicalId>[0]) =>
      b.template.toJSON().Resources[logicalId(construct)].DeletionPolicy;
    expect(policy(dev, dev.stack.charts.bucket)).toBe("Delete");
    expect(policy(prod, prod.stack.charts.bucket)).toBe("Retain");
    expect(policy(dev, dev.stack.charts.consoleBucket)).toBe("Delete");
    expect(policy(prod, prod.stack.charts.consoleBucket)).toBe("Retain");
    for (const b of [dev, prod]) {
      expect(policy(b, b.stack.data.rawBucket)).toBe("Retain");
      expect(policy(b, b.stack.data.table)).toBe("Retain");
      expect(policy(b, b.stack.data.logBucket)).toBe("Retain");
    }
  });

  it("sends alarm e-mail to the stage's recipients", () => {
    const recipients = (b: Built) =>
      Object.values(b.template.findResources("AWS::SNS::Subscription")).map((s) => [
        s.Properties.Protocol,
        s.Properties.Endpoint,
      ]);
    expect(recipients(dev)).toEqual([]);
    expect(recipients(prod)).toEqual(prod.config.alarmEmails.map((e) => ["email", e]));
    expect(prod.config.alarmEmails.length).toBeGreaterThan(0);
  });

  it("tags metrics and alarms with the stage", () => {
    prod.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ReleasesQuarantined",
      Dimensions: [{ Name: "Stage", Value: "prod" }],
    });
  });

  it("passes cdk-nag in prod too, with the editors' API", () => {
    expect(nagFindings(prod.app)).toEqual([]);
  });
});

describe("editors' API (stand-in handler)", () => {
  it("is deployed in every stage, with its sign-in and console", () => {
    for (const b of [dev, prod]) {
      b.template.resourceCountIs("AWS::Cognito::UserPool", 1);
      b.template.resourceCountIs("Custom::CDKBucketDeployment", 1);
    }
  });

  it("every polling schedule invokes the API's scheduled entry point (with its retry policy and DLQ), never the state machine", () => {
    for (const b of [dev, prod]) {
      const scheduled = b.stack.functions.scheduled;
      if (!scheduled) throw new Error(`${b.config.stage}: no scheduled-refresh function`);
      expect(b.stack.orchestration.pollingTarget).toBe(scheduled);
      const target = logicalId(scheduled.fn);
      const schedules = Object.values(b.template.findResources("AWS::Scheduler::Schedule")).filter((s) =>
        JSON.stringify(s.Properties.Target.Input ?? "").includes("schedule"),
      );
      expect(schedules.length).toBe(pollingSchedules().length);
      for (const s of schedules) {
        expect(s.Properties.Target.Arn).toEqual({ "Fn::GetAtt": [target, "Arn"] });
        expect(JSON.parse(s.Properties.Target.Input)).toMatchObject({ trigger: "schedule" });
        expect(s.Properties.Target.DeadLetterConfig).toBeDefined();
        expect(s.Properties.Target.RetryPolicy).toBeDefined();
      }
    }
  });

  it("names the sign-in domain after the stage, and sends the hosted UI back to the stage's console", () => {
    prod.template.hasResourceProperties("AWS::Cognito::UserPoolDomain", {
      Domain: { "Fn::Join": ["", ["gacctradecharts-prod-", { Ref: "AWS::AccountId" }]] },
    });
    const distribution = logicalId(prod.stack.charts.distribution);
    prod.template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      AllowedOAuthFlows: ["code"],
      CallbackURLs: [{ "Fn::Join": ["", ["https://", { "Fn::GetAtt": [distribution, "DomainName"] }, "/"]] }],
    });
  });

  it("signs in invited editors only, with MFA and a strong password policy", () => {
    prod.template.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: "ON",
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireSymbols: true,
          RequireNumbers: true,
          RequireUppercase: true,
        },
      },
    });
    prod.template.hasResourceProperties("AWS::Cognito::UserPoolGroup", { GroupName: EDITORS_GROUP });
  });

  it("puts every route behind the Cognito JWT authorizer, with access logs and throttling", () => {
    prod.template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", { AuthorizerType: "JWT" });
    const routes = Object.values(prod.template.findResources("AWS::ApiGatewayV2::Route"));
    expect(routes.length).toBeGreaterThan(0);
    for (const r of routes) expect(r.Properties.AuthorizationType).toBe("JWT");
    prod.template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AccessLogSettings: { DestinationArn: { "Fn::GetAtt": [Match.stringLikeRegexp("AccessLogs"), "Arn"] } },
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
    });
  });

  it("gives the API exactly what functions/api needs: stores, starting/following runs; no chart writes, no release alert", () => {
    const api = prod.stack.functions.api;
    if (!api) throw new Error("no api function");
    const s = roleStatements(prod.template, logicalId(api.role));
    const raw = logicalId(prod.stack.data.rawBucket);
    const charts = logicalId(prod.stack.charts.bucket);
    const pipeline = logicalId(prod.stack.orchestration.stateMachine);
    expect(allows(s, "s3:PutObject", raw, "/*")).toBe(true);
    expect(allows(s, "s3:PutObject", charts, "/*")).toBe(false);
    expect(allows(s, "s3:GetObject", charts, "/*")).toBe(true);
    expect(allows(s, "s3:DeleteObject", raw)).toBe(false);
    expect(allows(s, "states:StartExecution", pipeline)).toBe(true);
    expect(allows(s, "states:DescribeExecution", pipeline)).toBe(true);
    expect(allows(s, "states:GetExecutionHistory", pipeline)).toBe(true);
    const fn = prod.template.toJSON().Resources[logicalId(api.fn)];
    expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual([
      "CHARTS_BUCKET",
      "CHARTS_PUBLIC_URL",
      "EDITORS_GROUP",
      "NODE_OPTIONS",
      "ORIGIN_VERIFY",
      "POWERTOOLS_SERVICE_NAME",
      "RAW_BUCKET",
      "STAGE",
      "STATE_MACHINE_ARN",
      "TABLE_NAME",
    ]);
    expect(fn.Properties.Environment.Variables.STATE_MACHINE_ARN).toEqual({ Ref: pipeline });
    expect(allows(s, "sns:Publish", logicalId(prod.stack.releaseAlerts.topic))).toBe(false);
  });
});

describe("guards", () => {
  it("refuses an unknown stage, naming the ones that exist", () => {
    const app = new App({ context: { ...CDK_CONTEXT, stage: "staging" } });
    expect(() => stageConfig(app.node)).toThrow(/Unknown stage "staging".*dev, prod/);
  });

  it("refuses a stage without a valid retention or removal setting", () => {
    const stages = CDK_CONTEXT.stages as Record<string, Record<string, unknown>>;
    const bad = { ...stages.dev, logRetentionDays: 10, derivedDataRemoval: "keep" };
    const app = new App({ context: { ...CDK_CONTEXT, stages: { dev: bad } } });
    expect(() => stageConfig(app.node)).toThrow(/logRetentionDays/);
  });

  it("refuses a stage without an API origin name inside its zone (the API is reached through CloudFront only)", () => {
    const stages = CDK_CONTEXT.stages as Record<string, Record<string, unknown>>;
    const withOrigin = (apiOrigin: unknown) =>
      stageConfig(
        new App({ context: { ...CDK_CONTEXT, stages: { dev: { ...stages.dev, apiOrigin } } } }).node,
      );
    const good = { domainName: "api-origin.news.example", hostedZoneId: "Z0ABC", zoneName: "news.example" };
    expect(withOrigin({ ...good, domainName: "API-Origin.News.Example." }).apiOrigin).toEqual(good);
    expect(() => withOrigin(undefined)).toThrow(/stages\.dev\.apiOrigin must be .*Route 53 zone you own/);
    expect(() => withOrigin({ ...good, domainName: "api.elsewhere.example" })).toThrow(
      /"api\.elsewhere\.example" must be a name inside the zone "news\.example"/,
    );
    expect(() => withOrigin({ ...good, hostedZoneId: "zone-1" })).toThrow(/hostedZoneId must be a Route 53/);
    expect(() => withOrigin({ ...good, domainName: "api origin.news.example" })).toThrow(/is not a DNS name/);
  });

  it("reads the stage settings from cdk.json", () => {
    const app = new App({ context: { ...CDK_CONTEXT, stage: "prod" } });
    expect(stageConfig(app.node)).toMatchObject({
      stage: "prod",
      logRetention: RetentionDays.ONE_YEAR,
      derivedDataRemoval: RemovalPolicy.RETAIN,
    });
  });

  it("finds the handlers, and stops synth naming a missing one (the API's included)", () => {
    const found = handlerEntries("/repo", () => true);
    expect(found.fetch).toBe("/repo/functions/handlers/fetch.ts");
    expect(found.api).toBe("/repo/functions/handlers/api.ts");
    expect(() => handlerEntries("/repo", (p) => !p.endsWith(HANDLER_FILES.api))).toThrow(
      /Missing Lambda handler\(s\): functions\/handlers\/api.ts/,
    );
    expect(() => handlerEntries("/repo", (p) => !p.endsWith(HANDLER_FILES.publish))).toThrow(
      /Missing Lambda handler\(s\): functions\/handlers\/publish.ts/,
    );
  });

  it("merges environments and refuses to overwrite a variable with another value", () => {
    const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
    const fn = new PipelineFunction(new Stack(app, "T"), "Fn", {
      entry: API_FIXTURE,
      description: "test",
      memorySize: 128,
      timeout: Duration.seconds(3),
      stage: "dev",
      logRetention: RetentionDays.ONE_DAY,
      logRemoval: RemovalPolicy.DESTROY,
      environment: { A: "1" },
    });
    fn.setEnvironment({ B: "2", A: "1" });
    expect(fn.environment).toMatchObject({ STAGE: "dev", A: "1", B: "2" });
    expect(() => fn.setEnvironment({ A: "other" })).toThrow(/A is already set to another value/);
  });
});
