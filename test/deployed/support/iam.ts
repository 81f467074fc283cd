/**
 * IAM proven by use: each recorded SDK call (recording-proxy.ts) is evaluated with an IAM policy
 * simulator (@cloud-copilot/iam-simulate) against the policies of the calling function's role, taken
 * from the template and resolved by the one mapping (local-resources.ts), plus the bucket's policy for
 * S3 calls (its SSL-only deny, with aws:SecureTransport true as from Lambda).
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { Template } from "./deployed-stack.js";
import { ACCOUNT, type LocalResources } from "./local-resources.js";
import type { RecordedCall } from "./recording-proxy.js";

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** The role's identity statements, resolved to local ARNs. */
export function roleStatementsOf(template: Template, local: LocalResources, functionId: string): Statement[] {
  const fn = template.Resources[functionId];
  if (!fn) throw new Error(`no resource ${functionId} in the template`);
  const role = (fn.Properties.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
  const out: Statement[] = [];
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== "AWS::IAM::Policy") continue;
    const roles = (r.Properties.Roles as Array<{ Ref: string }>).map((x) => x.Ref);
    if (!roles.includes(role)) continue;
    const doc = r.Properties.PolicyDocument as { Statement: unknown[] };
    out.push(...(local.resolve(doc.Statement) as Statement[]));
  }
  return out;
}

/** Every action an Allow statement names (as written: `s3:GetObject`, `dynamodb:Query`...). */
export function grantedActions(statements: Statement[]): string[] {
  return [...new Set(statements.filter((s) => s.Effect === "Allow").flatMap((s) => list(s.Action)))].sort();
}

function bucketPolicyOf(template: Template, local: LocalResources, resource: string): unknown {
  const bucket = resource.replace(/^arn:aws:s3:::/, "").split("/")[0];
  const id =
    bucket === local.names.rawBucket
      ? local.rawBucketId
      : bucket === local.names.chartsBucket
        ? local.chartsBucketId
        : undefined;
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== "AWS::S3::BucketPolicy") continue;
    if ((r.Properties.Bucket as { Ref?: string }).Ref !== id) continue;
    return local.resolve(r.Properties.PolicyDocument);
  }
  return undefined;
}

export interface Verdict {
  call: RecordedCall;
  result: string;
  detail?: string;
}

export async function evaluate(
  call: RecordedCall,
  statements: Statement[],
  template: Template,
  local: LocalResources,
  roleArn: string,
): Promise<Verdict> {
  const contextVariables: Record<string, string | string[]> = { "aws:SecureTransport": "true" };
  if (call.service === "dynamodb" && call.leadingKeys && call.leadingKeys.length > 0)
    contextVariables["dynamodb:LeadingKeys"] = call.leadingKeys;
  if (call.prefix !== undefined) contextVariables["s3:prefix"] = call.prefix;
  const response = await runSimulation(
    {
      request: {
        principal: roleArn,
        action: call.action,
        resource: { resource: call.resource, accountId: ACCOUNT },
        contextVariables,
      },
      identityPolicies: [{ name: "role", policy: { Version: "2012-10-17", Statement: statements } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: call.service === "s3" ? bucketPolicyOf(template, local, call.resource) : undefined,
    },
    {},
  );
  if (response.resultType === "error")
    return { call, result: "error", detail: JSON.stringify(response.errors) };
  return { call, result: response.overallResult };
}
