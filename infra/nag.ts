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
