/**
 * The one way this project defines a Lambda function: a NodejsFunction bundled by the local esbuild
 * (no Docker), on one runtime and architecture, with its own log group (retention per stage), X-Ray
 * tracing, and an environment that is merged, never overwritten.
 *
 * Environment and grants travel together: a function gets `TABLE_NAME` from the same helper that grants
 * it the table (see DataStores / ChartDelivery), through `setEnvironment`, which refuses to silently
 * replace a value another helper already set.
 */
import type { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { type BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";

/** Node.js 24: the newest Lambda runtime aws-cdk-lib knows (cdk-nag AwsSolutions-L1 wants the latest). */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const LAMBDA_ARCHITECTURE = lambda.Architecture.ARM_64;
/** esbuild target matching LAMBDA_RUNTIME. */
export const ESBUILD_TARGET = "node24";
/** Lets CommonJS dependencies (papaparse...) `require` Node built-ins from an ESM bundle. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Bundling options shared by every function, and by the bundle-size test (test/infra/bundles.test.ts)
 * through `esbuildOptionsFor`.
 *
 * The AWS SDK v3 is bundled (externalModules: []): the deployed SDK is the one package-lock pins, and
 * one minified file loads about twice as fast as the runtime's many-file copy (cold import measured by
 * `npm run bench`: publish 115 ms bundled against 188 ms with the runtime's SDK). Every bundle stays
 * under the 1 MB budget since GB18030 is decoded by the built-in TextDecoder (no iconv-lite tables).
 */
export const BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  minify: true,
  // Error names are the workflow's contract: Step Functions retries on `err.name` (UpstreamUnavailable,
  // StoreUnavailable...), and minifying renames classes ("oc"), which the deployed-shape run caught.
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
  format: OutputFormat.ESM,
  target: ESBUILD_TARGET,
  mainFields: ["module", "main"],
  banner: ESM_REQUIRE_BANNER,
  externalModules: [],
  logLevel: LogLevel.WARNING,
};

/** The same options in esbuild's own terms (for measuring bundle sizes without synthesizing). */
export function esbuildOptionsFor(entry: string, outfile: string) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node" as const,
    format: "esm" as const,
    target: ESBUILD_TARGET,
    minify: BUNDLING.minify ?? false,
    keepNames: BUNDLING.keepNames ?? false,
    sourcemap: BUNDLING.sourceMap ?? false,
    sourcesContent: BUNDLING.sourcesContent ?? true,
    mainFields: BUNDLING.mainFields ?? [],
    banner: { js: ESM_REQUIRE_BANNER },
    external: BUNDLING.externalModules ?? [],
    logLevel: "warning" as const,
  };
}

export interface PipelineFunctionProps {
  /** Path of the handler module. */
  entry: string;
  /** Exported function Lambda calls; default `handler`. */
  handler?: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  stage: string;
  logRetention: logs.RetentionDays;
  logRemoval: RemovalPolicy;
  /** Function-specific variables; merged with the common ones (STAGE, NODE_OPTIONS...). */
  environment?: Record<string, string>;
}

export class PipelineFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
  private readonly env = new Map<string, string>();

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention,
      removalPolicy: props.logRemoval,
    });

    // Own role instead of AWSLambdaBasicExecutionRole: logs only to its own log group.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `${props.description} (${props.stage})`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.fn = new NodejsFunction(this, "Function", {
      entry: props.entry,
      handler: props.handler ?? "handler",
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      role: this.role,
      bundling: BUNDLING,
    });

    this.setEnvironment({
      STAGE: props.stage,
      NODE_OPTIONS: "--enable-source-maps",
      POWERTOOLS_SERVICE_NAME: id.toLowerCase(),
      ...props.environment,
    });

    // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions.
    acknowledge(
      this.role,
      "AwsSolutions-IAM5[Resource::*]",
      "X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) does not support resource-level permissions; CDK adds exactly these two actions for Tracing.ACTIVE.",
    );
  }

  /**
   * Adds variables to the function's environment. Setting a variable to the value it already has is a
   * no-op; setting it to another value throws (two grants disagreeing about a resource is a bug).
   */
  setEnvironment(vars: Record<string, string>): void {
    for (const [key, value] of Object.entries(vars)) {
      const current = this.env.get(key);
      if (current === value) continue;
      if (current !== undefined) {
        throw new Error(`${this.node.path}: environment variable ${key} is already set to another value`);
      }
      this.env.set(key, value);
      this.fn.addEnvironment(key, value);
    }
  }

  /** The environment as set so far (tokens unresolved). */
  get environment(): Readonly<Record<string, string>> {
    return Object.fromEntries(this.env);
  }
}
