/**
 * Release alerts through SNS: one Publish per run with new facts, to the release-alerts topic
 * (separate from the operations alarms topic), which a newsroom subscribes by e-mail or a chat
 * integration. The message is composed in the domain (functions/domain/facts/alert.ts).
 */
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { ReleaseAlert } from "../domain/facts/alert.js";
import type { AlertSender } from "../domain/ports.js";
import { type ClientConfig, storeFailure } from "./aws-clients.js";
import { readAwsEndpoints } from "./env.js";

/** SNS: a few attempts ride out throttling. */
export const SNS_MAX_ATTEMPTS = 4;

/** Kept out of aws-clients.ts so only the publish function's bundle carries the SNS client. */
export function createSnsClient(config: ClientConfig = {}): SNSClient {
  const defaults = readAwsEndpoints();
  const endpoint = config.endpoint ?? defaults.snsEndpoint;
  return new SNSClient({
    region: config.region ?? defaults.region,
    maxAttempts: config.maxAttempts ?? SNS_MAX_ATTEMPTS,
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
}

let shared: SNSClient | undefined;

/** The process-wide SNS client, created on first use from the environment. */
export function snsClient(): SNSClient {
  shared ??= createSnsClient();
  return shared;
}

/** Closes the shared client (tests, local restarts). */
export function resetSnsClient(): void {
  shared?.destroy();
  shared = undefined;
}

export class SnsReleaseAlerts implements AlertSender {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async send(alert: ReleaseAlert): Promise<{ messageId: string | undefined }> {
    try {
      const out = await this.client.send(
        new PublishCommand({ TopicArn: this.topicArn, Subject: alert.subject, Message: alert.body }),
      );
      return { messageId: out.MessageId };
    } catch (err) {
      // Typed (ConfigurationError / StoreUnavailable): publish fails before the facts files are
      // written, so the retried run sends the alert again rather than never.
      throw storeFailure(err, "SNS (release alerts)", "publish the release alert");
    }
  }
}
