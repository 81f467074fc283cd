/**
 * Release alerts for the newsroom: an SNS topic of its own (never the operations alarms topic), to
 * which a desk subscribes e-mail addresses or a chat integration (e.g. AWS Chatbot, a webhook
 * through a Lambda). One message per pipeline run with new facts: subject naming the chart and the
 * headline change, body with the sentences and the chart URLs (functions/domain/facts/alert.ts).
 *
 * Grant and variable travel together: `grantPublish` gives a function sns:Publish on this topic
 * only (and the key to encrypt with), and sets RELEASE_ALERTS_TOPIC_ARN, which
 * functions/adapters/env.ts reads.
 */
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import type { PipelineFunction } from "./pipeline-function.js";

export const RELEASE_ALERTS_TOPIC_ENV = "RELEASE_ALERTS_TOPIC_ARN";

export interface ReleaseAlertsProps {
  stage: string;
}

export class ReleaseAlerts extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ReleaseAlertsProps) {
    super(scope, id);
    this.key = new kms.Key(this, "TopicKey", {
      description: `Encrypts the GACC trade charts release-alerts topic (${props.stage})`,
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, "Topic", {
      displayName: `GACC trade charts: release alerts (${props.stage})`,
      masterKey: this.key,
      enforceSSL: true,
    });
  }

  /** sns:Publish on this topic and the two key actions SNS uses to encrypt what is published
   * (named, not `kms:GenerateDataKey*`), plus the variable naming the topic. */
  grantPublish(fn: PipelineFunction): void {
    fn.fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ["sns:Publish"], resources: [this.topic.topicArn] }),
    );
    this.key.grant(fn.fn, "kms:GenerateDataKey", "kms:Decrypt");
    fn.setEnvironment({ [RELEASE_ALERTS_TOPIC_ENV]: this.topic.topicArn });
  }
}
