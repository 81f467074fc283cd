/**
 * The deployed shape, offline: synthesizes the dev stack with real bundling (once), then runs what the
 * template describes against local stand-ins: every bundled function in its own Node processes with its
 * template environment (mapped by local-resources.ts), its SDK calls through a recording proxy, the
 * pipeline state machine's definition in aws-local-stepfunctions, dynalite + s3rver + the GACC mirror.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { stageConfig } from "../../../infra/config.js";
import { GaccTradeChartsStack } from "../../../infra/gacc-trade-charts-stack.js";
import { handlerEntries } from "../../../infra/handlers.js";
import { type Emulators, LOCAL_CREDENTIALS, startEmulators } from "../../../local/emulators.js";
import { type Mirror, type MirrorOptions, startMirror } from "../../../local/mirror/server.js";
import { CDK_CONTEXT } from "../../infra/support.js";
import { type SnsStandIn, startSnsStandIn } from "../../support/sns-stand-in.js";
import { type FunctionSpec, type InvocationResult, LambdaFunction } from "./lambda-pool.js";
import { LocalResources, REGION } from "./local-resources.js";
import { LocalStepFunctions } from "./local-sfn.js";
import { type RecordedCall, RecordingProxy } from "./recording-proxy.js";

type CfnResource = {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
};
export type Template = { Resources: Record<string, CfnResource> };

export interface Synthesized {
  template: Template;
  outdir: string;
  stage: string;
  gaccBaseUrl: string;
  allowedHosts: string;
}

/** `cdk synth` of the dev stack with the repository's handlers and bundling, into a temp cloud assembly. */
export function synthesize(): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "gacc-deployed-"));
  const app = new App({
    outdir,
    // Asset metadata names each function's bundle folder in the assembly (the CLI sets this too).
    context: { ...CDK_CONTEXT, stage: "dev", "aws:cdk:enable-asset-metadata": true },
  });
  const config = stageConfig(app.node);
  const stack = new GaccTradeChartsStack(app, config.stackName, {
    stackName: config.stackName,
    config,
    handlers: handlerEntries(),
  });
  const assembly = app.synth();
  return {
    template: assembly.getStackByName(stack.stackName).template as Template,
    outdir,
    stage: config.stage,
    gaccBaseUrl: config.gaccBaseUrl,
    allowedHosts: config.allowedHosts.join(","),
  };
}

/** Removes the cloud assembly (the bundles are tens of MB a synth) once no stack runs from it. */
export function discardSynth(synth: Synthesized): void {
  rmSync(synth.outdir, { recursive: true, force: true });
}

export interface DeployedStack {
  synth: Synthesized;
  local: LocalResources;
  mirror: Mirror;
  emulators: Emulators;
  sfn: LocalStepFunctions;
  /** Where the release alerts land (SNS Publish, answered and recorded). */
  sns: SnsStandIn;
  /** By name: fetch, normalize, publish, api, scheduled. */
  functions: Record<string, LambdaFunction>;
  proxies: Record<string, RecordingProxy>;
  calls(): RecordedCall[];
  /** Invokes the function a template ARN names. */
  invokeArn(arn: string, event: unknown): Promise<InvocationResult>;
  stop(): Promise<void>;
}

export const PIPELINE_PREFIX = "OrchestrationPipeline";

/** `mirror`: what the GACC mirror serves (default: the project's sample site); the bench passes more years. */
export async function startDeployedStack(
  synth: Synthesized,
  options: { mirror?: MirrorOptions } = {},
): Promise<DeployedStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "gacc-deployed-data-"));
  const names = { rawBucket: "deployed-raw", chartsBucket: "deployed-charts", tableName: "deployed-table" };
  const emulators = await startEmulators({ dataDir, fresh: true, ...names });
  const mirror = await startMirror(options.mirror);
  const local = new LocalResources(synth.template.Resources, {
    ...names,
    gacc: {
      templateBaseUrl: synth.gaccBaseUrl,
      templateHosts: synth.allowedHosts,
      localBaseUrl: `${mirror.baseUrl}/`,
      localHosts: new URL(mirror.baseUrl).host,
    },
  });

  const resources = synth.template.Resources;
  const machineId = Object.keys(resources).find(
    (id) => resources[id]?.Type === "AWS::StepFunctions::StateMachine" && id.startsWith(PIPELINE_PREFIX),
  );
  if (!machineId) throw new Error("no pipeline state machine in the template");
  const definition = local.resolve(resources[machineId]?.Properties.DefinitionString) as string;

  const functions: Record<string, LambdaFunction> = {};
  const byArn = new Map<string, LambdaFunction>();
  const proxies: Record<string, RecordingProxy> = {};
  const sfn = new LocalStepFunctions(definition, local.stateMachineArn(machineId), (arn, payload) => {
    const fn = byArn.get(arn);
    if (!fn) throw new Error(`the definition invokes ${arn}, which is not a function of the template`);
    return fn.invoke(payload);
  });
  await sfn.startServer();
  const snsStandIn = await startSnsStandIn();

  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== "AWS::Lambda::Function" || r.Metadata?.["aws:asset:is-bundled"] !== true) continue;
    const env = local.environment(
      ((r.Properties.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {}) as Record<
        string,
        unknown
      >,
    );
    const name = env.POWERTOOLS_SERVICE_NAME;
    if (!name) continue;
    const [file, exportName] = String(r.Properties.Handler).split(".") as [string, string];
    const spec: FunctionSpec = {
      logicalId: id,
      name,
      arn: local.functionArn(id),
      bundle: join(synth.outdir, String(r.Metadata["aws:asset:path"]), `${file}.mjs`),
      exportName,
      memoryMb: Number(r.Properties.MemorySize),
      timeoutSeconds: Number(r.Properties.Timeout),
      environment: env,
    };
    const proxy = new RecordingProxy(name, {
      s3: emulators.s3Endpoint,
      dynamodb: emulators.dynamoEndpoint,
      states: sfn.endpoint,
      sns: snsStandIn.endpoint,
    });
    const endpoint = await proxy.start();
    const fn = new LambdaFunction(spec, {
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_LAMBDA_FUNCTION_NAME: id,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ENDPOINT_URL_SFN: endpoint,
      AWS_ENDPOINT_URL_SNS: endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
    functions[name] = fn;
    proxies[name] = proxy;
    byArn.set(spec.arn, fn);
  }

  return {
    synth,
    local,
    mirror,
    emulators,
    sfn,
    sns: snsStandIn,
    functions,
    proxies,
    calls: () => Object.values(proxies).flatMap((p) => p.calls),
    invokeArn: async (arn, event) => {
      const fn = byArn.get(arn);
      if (!fn) throw new Error(`${arn} is not a function of the template`);
      return fn.invoke(event);
    },
    async stop() {
      await sfn.stop();
      await Promise.all(Object.values(functions).map((f) => f.stop()));
      await Promise.all(Object.values(proxies).map((p) => p.stop()));
      await mirror.stop();
      await snsStandIn.stop();
      await emulators.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
