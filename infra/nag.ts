/**
 * cdk-nag v3 acknowledgements go through CDK's own `Validations.of(scope).acknowledge`. This wrapper
 * only insists that every acknowledgement says why, specifically: the infra tests list them all and
 * check their reasons.
 */

import type { CfnResource } from "aws-cdk-lib";
import { Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

export const MIN_REASON_LENGTH = 40;

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `The acknowledgement of ${id} on ${scope.node.path} needs a specific reason, not "${reason}"`,
    );
  }
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The flattened form cdk-nag uses for `Fn::GetAtt [<resource>, Arn]` in IAM5 findings, e.g.
 * `<RawBucket1234ABCD.Arn>`, so a wildcard finding on `<bucket>/*` can be acknowledged exactly.
 */
export function nagArnOf(resource: CfnResource): string {
  return `<${Stack.of(resource).resolve(resource.logicalId)}.Arn>`;
}

/**
 * NIST 800-53 R5 findings this stack accepts, by rule, with the reason a reviewer reads. Applied to
 * every resource of the kind the rule is about (the infra tests run the pack and prove that nothing
 * else is left and that each acknowledgement is used).
 */
export const NIST_ACKNOWLEDGEMENTS: Record<string, { types: string[]; reason: string }> = {
  "NIST.800.53.R5-S3BucketReplicationEnabled": {
    types: ["AWS::S3::Bucket"],
    reason:
      "Buckets are versioned and retained (raw archive, access logs) or rebuilt from the table and the repository (charts, console); a second-region copy of public statistics is not worth its cost here.",
  },
  "NIST.800.53.R5-S3DefaultEncryptionKMS": {
    types: ["AWS::S3::Bucket"],
    reason:
      "SSE-S3 encrypts every object at rest; the contents are public statistics and GACC's public pages, so a customer-managed KMS key would add cost and key administration without protecting a secret.",
  },
  "NIST.800.53.R5-DynamoDBInBackupPlan": {
    types: ["AWS::DynamoDB::Table"],
    reason:
      "Point-in-time recovery is on (35 days) and the table is retained on deletion; every value can also be rebuilt from the retained raw archive, so an AWS Backup plan would duplicate both.",
  },
  "NIST.800.53.R5-CloudWatchLogGroupEncrypted": {
    types: ["AWS::Logs::LogGroup"],
    reason:
      "CloudWatch Logs encrypts every log group at rest with service keys; the logs hold run reports and request metadata, never tokens or uploaded files, so a KMS key per group adds no protection.",
  },
  "NIST.800.53.R5-IAMNoInlinePolicy": {
    types: ["AWS::IAM::Policy"],
    reason:
      "These are CDK's per-role grant policies, each attached to exactly one role and scoped to this stack's resources (proven by use in infra/access.ts); managed policies would only move the same statements.",
  },
  "NIST.800.53.R5-LambdaConcurrency": {
    types: ["AWS::Lambda::Function"],
    reason:
      "The pipeline runs one at a time under a DynamoDB lock and the API is throttled at its stage (10 req/s, burst 20); reserved concurrency would take capacity from the account's shared pool for no further limit.",
  },
  "NIST.800.53.R5-LambdaDLQ": {
    types: ["AWS::Lambda::Function"],
    reason:
      "Every function is invoked synchronously (Step Functions with retries and a failure alarm, API Gateway, CloudFormation); asynchronous deliveries go through EventBridge Scheduler, which has its own dead-letter queue.",
  },
  "NIST.800.53.R5-LambdaInsideVPC": {
    types: ["AWS::Lambda::Function"],
    reason:
      "The functions reach only GACC's public site and AWS APIs over TLS with IAM auth; a VPC would need a NAT gateway for the fetcher and hold no private resource to protect.",
  },
};

/** Acknowledges the NIST 800-53 R5 findings above on every resource of the kinds they concern. */
export function acknowledgeNist(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    const type = (child as Partial<CfnResource>).cfnResourceType;
    if (!type) continue;
    for (const [id, { types, reason }] of Object.entries(NIST_ACKNOWLEDGEMENTS)) {
      if (types.includes(type)) acknowledge(child, id, reason);
    }
  }
}
