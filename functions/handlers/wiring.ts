/**
 * Composition root: builds each stage's dependencies from the environment and the AWS adapters.
 * The same wiring runs in Lambda and under `npm start` (only the endpoints differ).
 */
import { dynamoClient, s3Client } from "../adapters/aws-clients.js";
import { DynamoChartHoldStore } from "../adapters/dynamo-holds.js";
import { DynamoStore } from "../adapters/dynamo-store.js";
import { env } from "../adapters/env.js";
import { HttpPageSource } from "../adapters/http-page-source.js";
import { S3ChartStore, S3RawStore } from "../adapters/s3-stores.js";
import { parseRelease } from "../domain/tables.js";
import type { FetchDeps } from "../pipeline/fetch-releases.js";
import type { NormalizeDeps } from "../pipeline/normalize-release.js";
import type { PublishDeps } from "../pipeline/publish-charts.js";
import type { UploadDeps } from "../pipeline/upload-release.js";

let cached: { store: DynamoStore; client: ReturnType<typeof dynamoClient>; table: string } | undefined;
/** The store over the process-wide client and the configured table. Rebuilt when either changes (after
 * resetClients() or resetEnv()), so it never keeps a destroyed client or a table name read earlier. */
export function dynamoStore(): DynamoStore {
  const client = dynamoClient();
  const table = env.tableName;
  if (cached?.client !== client || cached.table !== table) {
    cached = { store: new DynamoStore(client, table), client, table };
  }
  return cached.store;
}

export function fetchDeps(): FetchDeps {
  return {
    pages: new HttpPageSource({
      allowedHosts: env.allowedHosts,
      ...(env.fetchTimeoutMs ? { timeoutMs: env.fetchTimeoutMs } : {}),
    }),
    raw: new S3RawStore(s3Client(), env.rawBucket),
    releases: dynamoStore(),
    now: () => new Date(),
  };
}

export function normalizeDeps(): NormalizeDeps {
  return {
    raw: new S3RawStore(s3Client(), env.rawBucket),
    releases: dynamoStore(),
    observations: dynamoStore(),
    now: () => new Date(),
    parse: parseRelease,
  };
}

/** What recording an upload needs: the raw archive and the release records (no GACC access). */
export function uploadDeps(): UploadDeps {
  return { raw: new S3RawStore(s3Client(), env.rawBucket), releases: dynamoStore(), now: () => new Date() };
}

/** The chart stores publish reads and writes; every run that publishes adds the facts step
 * (publish-wiring.ts, kept apart so the fetch and normalize bundles carry no SNS client). */
export function publishDeps(): PublishDeps {
  return {
    releases: dynamoStore(),
    observations: dynamoStore(),
    charts: new S3ChartStore(s3Client(), env.chartsBucket),
    holds: chartHolds(),
  };
}

/** Charts the publish guard held back, and editors' acceptances of them (same table). */
export function chartHolds(): DynamoChartHoldStore {
  return new DynamoChartHoldStore(dynamoClient(), env.tableName);
}

/** Public base URL for chart links: the CDN in AWS, the local server under `npm start`. */
export function chartsPublicUrl(): string {
  return env.chartsPublicUrl ?? "/";
}
