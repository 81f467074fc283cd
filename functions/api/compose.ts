/**
 * Composition root of the editors' API: the same stores the pipeline's handlers use (wiring.ts), the
 * run/lock/audit store on the same DynamoDB table, and a RunLauncher that differs by place (Step
 * Functions in AWS, the local process under `npm start`).
 */
import { dynamoClient, s3Client } from "../adapters/aws-clients.js";
import { DynamoRunStore } from "../adapters/dynamo-runs.js";
import { env } from "../adapters/env.js";
import { S3RawStore } from "../adapters/s3-stores.js";
import { S3UploadInbox } from "../adapters/s3-upload-inbox.js";
import type { RunLauncher } from "../domain/ports.js";
import { publishWithFactsDeps } from "../handlers/publish-wiring.js";
import { chartsPublicUrl, dynamoStore, normalizeDeps } from "../handlers/wiring.js";
import type { EditorDeps } from "./editors/deps.js";

/**
 * Deployed, a run's lock outlives the state machine's own timeout (1 hour), so two executions never
 * overlap; it is released as soon as the API sees the execution end (a status or run read, or the
 * next refresh).
 */
export const DEPLOYED_LOCK_TTL_MS = 65 * 60_000;
/** Locally the runner renews its lock while it works: a crashed `npm start` blocks others 2 minutes at most. */
export const LOCAL_LOCK_TTL_MS = 2 * 60_000;

export function runStore(): DynamoRunStore {
  return new DynamoRunStore(dynamoClient(), env.tableName);
}

export function editorDeps(options: {
  launcher: RunLauncher;
  lockTtlMs: number;
  now?: () => Date;
}): EditorDeps {
  const runs = runStore();
  const publish = publishWithFactsDeps();
  return {
    runs,
    lock: runs,
    audit: runs,
    charts: publish.charts,
    now: options.now ?? (() => new Date()),
    lockTtlMs: options.lockTtlMs,
    releases: dynamoStore(),
    raw: new S3RawStore(s3Client(), env.rawBucket),
    launcher: options.launcher,
    uploads: new S3UploadInbox(s3Client(), env.rawBucket),
    normalize: normalizeDeps(),
    publish,
    publicBaseUrl: chartsPublicUrl(),
    deploymentStage: env.deploymentStage,
  };
}
