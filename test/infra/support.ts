/**
 * Builds the stack the way infra/app.ts does (same cdk.json context, same stage config), once per test
 * file, and reads cdk-nag's verdict on it.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { App, type CfnResource, Stack, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks, NIST80053R5Checks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { type StageConfig, stageConfig } from "../../infra/config.js";
import { GaccTradeChartsStack } from "../../infra/gacc-trade-charts-stack.js";
import { handlerEntries, REPO_ROOT } from "../../infra/handlers.js";

export const CDK_CONTEXT = JSON.parse(readFileSync(resolve(REPO_ROOT, "cdk.json"), "utf8")).context as Record<
  string,
  unknown
>;
export const API_FIXTURE = resolve(REPO_ROOT, "test/infra/fixtures/api-handler.ts");

/** Bundling with esbuild takes a few seconds per function: synthesize once per file, in beforeAll. */
export const SYNTH_TIMEOUT = 180_000;

export interface Built {
  app: App;
  stack: GaccTradeChartsStack;
  template: Template;
  config: StageConfig;
}

export function buildStack(options: {
  stage: string;
  bundle: boolean;
  /** The repository's API handler, or a small stand-in (test/infra/fixtures/api-handler.ts) for faster bundling. */
  api: "fixture" | "repo";
}): Built {
  const app = new App({
    context: {
      ...CDK_CONTEXT,
      stage: options.stage,
      // An empty list skips asset bundling (placeholder code) for a faster synth.
      ...(options.bundle ? {} : { "aws:cdk:bundling-stacks": [] }),
    },
  });
  const config = stageConfig(app.node);
  const found = handlerEntries();
  const api = options.api === "fixture" ? API_FIXTURE : found.api;
  const stack = new GaccTradeChartsStack(app, config.stackName, {
    stackName: config.stackName,
    config,
    handlers: { ...found, api },
  });
  return { app, stack, template: Template.fromStack(stack), config };
}

export interface NagFinding {
  rule: string;
  severity: string;
  paths: string[];
}

/** The packs the stack must pass: AWS Solutions, and NIST 800-53 Rev. 5 beside it. */
const PACKS = () => [new AwsSolutionsChecks(), new NIST80053R5Checks()];

/** cdk-nag findings (both packs) that no acknowledgement covers. */
export function nagFindings(app: App): NagFinding[] {
  return PACKS().flatMap((pack) => toFindings(pack.validateScope(app)));
}

/** Every finding cdk-nag would report if nothing were acknowledged (to prove each acknowledgement is used). */
export function rawNagFindings(app: App): NagFinding[] {
  return PACKS().flatMap((pack) => {
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    return toFindings(pack.validateScope(app));
  });
}

function toFindings(report: ReturnType<AwsSolutionsChecks["validateScope"]>): NagFinding[] {
  return report.violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity ?? "",
    paths: v.violatingResources.map((r) => r.constructPath ?? ""),
  }));
}

export interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

export function acknowledgements(root: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ path: c.node.path, id: id.replace(/^annotation::/i, ""), reason });
      }
    }
  }
  return out;
}

/** Logical id of a construct's CloudFormation resource. */
export function logicalId(resource: IConstruct): string {
  const cfn = (resource.node.defaultChild ?? resource) as CfnResource;
  return Stack.of(cfn).resolve(cfn.logicalId) as string;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of the IAM policies attached to a role (by the role's logical id). */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const out: Statement[] = [];
  for (const policy of Object.values(template.findResources("AWS::IAM::Policy"))) {
    const roles = JSON.stringify(policy.Properties.Roles ?? []);
    if (!roles.includes(`"${roleId}"`)) continue;
    out.push(...(policy.Properties.PolicyDocument.Statement as Statement[]));
  }
  for (const role of Object.entries(template.findResources("AWS::IAM::Role"))) {
    if (role[0] !== roleId) continue;
    for (const p of role[1].Properties.Policies ?? [])
      out.push(...(p.PolicyDocument.Statement as Statement[]));
  }
  return out;
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** Whether an Allow statement grants `action` (exactly or by wildcard) on a resource mentioning `resourceId`. */
export function allows(statements: Statement[], action: string, resourceId: string, suffix = ""): boolean {
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      actionsOf(s).some(
        (a) => a === action || a === "*" || (a.endsWith("*") && action.startsWith(a.slice(0, -1))),
      ) &&
      (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).some((r) => {
        const text = JSON.stringify(r);
        return (text.includes(`"${resourceId}"`) && text.includes(suffix)) || text === '"*"';
      }),
  );
}

/** A state machine definition as JSON, with CloudFormation references replaced by "<ref>". */
export function stateMachineDefinition(template: Template, logical: string): Record<string, unknown> {
  const resource = template.findResources("AWS::StepFunctions::StateMachine")[logical];
  const body = resource?.Properties.DefinitionString as string | { "Fn::Join": [string, unknown[]] };
  const text =
    typeof body === "string"
      ? body
      : body["Fn::Join"][1].map((p) => (typeof p === "string" ? p : "<ref>")).join("");
  return JSON.parse(text) as Record<string, unknown>;
}
