/**
 * The composition root: every handler's and the editors' API's dependencies, built from one `Env`
 * (adapters/env.ts, `createEnv`) and the SDK clients that go with it. Lambda uses the process
 * environment and the process-wide clients (`processWiring`, reused across invocations); `npm start`
 * and `npm run ingest` build a `localWiring` from the emulators' settings and pass it in, so nothing
 * writes `process.env` to configure functions/.
 *
 * Each factory is a top-level function (not a method of one object) so that a bundle keeps only what
 * its handler calls: the fetch and normalize bundles carry no SNS or Step Functions client.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import { createDynamoClient, createS3Client, dynamoClient, s3Client } from "./adapters/aws-clients.js";
import { DynamoChartHoldStore } from "./adapters/dynamo-holds.js";
import { DynamoRunStore } from "./adapters/dynamo-runs.js";
import { DynamoStore } from "./adapters/dynamo-store.js";
import { type Env, env as processEnv } from "./adapters/env.js";
import { HttpPageSource } from "./adapters/http-page-source.js";
import { S3ChartStore, S3RawStore } from "./adapters/s3-stores.js";
import { S3UploadInbox } from "./adapters/s3-upload-inbox.js";
import { createSnsClient, SnsReleaseAlerts, snsClient } from "./adapters/sns-alerts.js";
import type { EditorDeps } from "./api/editors/deps.js";
import type { RunLauncher } from "./domain/ports.js";
import type { FetchDeps } from "./pipeline/fetch-releases.js";
import type { NormalizeDeps } from "./pipeline/normalize-release.js";
import type { PublishDeps } from "./pipeline/publish-charts.js";
import type { FactsStep } from "./pipeline/publish-facts.js";
import type { UploadDeps } from "./pipeline/upload-release.js";

/** The SDK clients a wiring builds its stores on. */
export interface Clients {
  s3(): S3Client;
  dynamo(): DynamoDBClient;
  /** Absent: the process-wide SNS client (only publishing with release alerts asks for one). */
  sns?(): SNSClient;
}

/** What every factory below builds from: the settings and the clients for them. */
export interface Wiring {
  readonly env: Env;
  readonly clients: Clients;
}

/** Lambda's wiring: the process environment, read lazily, and the process-wide clients. */
export const processWiring: Wiring = { env: processEnv, clients: { s3: s3Client, dynamo: dynamoClient } };

/**
 * A wiring with clients of its own for `env`'s endpoints, region and credentials (the local
 * emulators); `close()` destroys them.
 */
export function localWiring(env: Env): Wiring & { close(): void } {
  const config = (endpoint: string | undefined) => ({
    region: env.aws.region,
    endpoint,
    credentials: env.aws.credentials,
  });
  let s3: S3Client | undefined;
  let dynamo: DynamoDBClient | undefined;
  let sns: SNSClient | undefined;
  return {
    env,
    clients: {
      s3: () => {
        s3 ??= createS3Client(config(env.aws.s3Endpoint));
        return s3;
      },
      dynamo: () => {
        dynamo ??= createDynamoClient(config(env.aws.dynamoEndpoint));
        return dynamo;
      },
      sns: () => {
        sns ??= createSnsClient(config(env.aws.snsEndpoint));
        return sns;
      },
    },
    close() {
      for (const client of [s3, dynamo, sns]) client?.destroy();
      s3 = dynamo = sns = undefined;
    },
  };
}

const stores = new WeakMap<Wiring, { store: DynamoStore; client: DynamoDBClient; table: string }>();

/** The store over the wiring's client and table. Rebuilt when either changes (after resetClients() or
 * resetEnv()), so it never keeps a destroyed client or a table name read earlier. */
export function dynamoStore(w: Wiring = processWiring): DynamoStore {
  const client = w.clients.dynamo();
  const table = w.env.tableName;
  const cached = stores.get(w);
  if (cached?.client === client && cached.table === table) return cached.store;
  const store = new DynamoStore(client, table);
  stores.set(w, { store, client, table });
  return store;
}

function rawStore(w: Wiring): S3RawStore {
  return new S3RawStore(w.clients.s3(), w.env.rawBucket);
}

export function fetchDeps(w: Wiring = processWiring): FetchDeps {
  return {
    pages: new HttpPageSource({
      allowedHosts: w.env.allowedHosts,
      ...(w.env.fetchTimeoutMs ? { timeoutMs: w.env.fetchTimeoutMs } : {}),
    }),
    raw: rawStore(w),
    releases: dynamoStore(w),
    now: () => new Date(),
  };
}

/** The stores normalize reads and writes (every normalize step's, whatever it parses). */
function normalizeStores(w: Wiring): Omit<NormalizeDeps, "parse"> {
  return { raw: rawStore(w), releases: dynamoStore(w), observations: dynamoStore(w), now: () => new Date() };
}

export function normalizeDeps(w: Wiring = processWiring): NormalizeDeps {
  return {
    ...normalizeStores(w),
    // The table registry and its parsers are imported on the first parse: the editors' API shares
    // this wiring and only its accept routes read a page; publish never calls it (esbuild then drops
    // the parsers from its bundle).
    parse: async (release, bytes, provenance) =>
      (await import("./domain/tables.js")).parseRelease(release, bytes, provenance),
  };
}

/**
 * What the Upload function normalizes with: the same stores, and only the query-export reader (an
 * upload is never a GACC page), so its bundle carries no HTML parser and no GACC table parsers.
 */
export function uploadNormalizeDeps(w: Wiring = processWiring): NormalizeDeps {
  return {
    ...normalizeStores(w),
    parse: async (release, bytes, provenance) =>
      (await import("./domain/query-export-table.js")).parseQueryExport(release, bytes, provenance),
  };
}

/** What recording an upload needs: the raw archive and the release records (no GACC access). */
export function uploadDeps(w: Wiring = processWiring): UploadDeps {
  return { raw: rawStore(w), releases: dynamoStore(w), now: () => new Date() };
}

/** Charts the publish guard held back, and editors' acceptances of them (same table). */
export function chartHolds(w: Wiring = processWiring): DynamoChartHoldStore {
  return new DynamoChartHoldStore(w.clients.dynamo(), w.env.tableName);
}

/** The chart stores publish reads and writes, without the facts step. */
export function publishDeps(w: Wiring = processWiring): PublishDeps {
  return {
    releases: dynamoStore(w),
    observations: dynamoStore(w),
    charts: new S3ChartStore(w.clients.s3(), w.env.chartsBucket),
    holds: chartHolds(w),
  };
}

/** Publish as every run does it, the pipeline's and the editors' API's: the chart files, then their
 * facts files and the release alert (to the topic the stack names; none where none is configured). */
export function publishWithFactsDeps(w: Wiring = processWiring): PublishDeps {
  const deps = publishDeps(w);
  const topic = w.env.releaseAlertsTopicArn;
  const alerts = topic ? new SnsReleaseAlerts((w.clients.sns ?? snsClient)(), topic) : undefined;
  // The facts step's code (facts rules, partner sentences, schema validators) is imported when it
  // first runs: an editors' API route that does not publish never evaluates it. Only SDK-free modules
  // are imported lazily: esbuild wraps whatever a dynamic import reaches, and a wrapped SDK client
  // keeps every command it exports.
  let step: Promise<FactsStep> | undefined;
  const facts: FactsStep = async (...args) => {
    step ??= import("./pipeline/publish-facts.js").then((m) => m.factsStep({ charts: deps.charts, alerts }));
    return (await step)(...args);
  };
  return { ...deps, facts };
}

/** Public base URL for chart links: the CDN in AWS, the local server under `npm start`. */
export function chartsPublicUrl(w: Wiring = processWiring): string {
  return w.env.chartsPublicUrl ?? "/";
}

export function runStore(w: Wiring = processWiring): DynamoRunStore {
  return new DynamoRunStore(w.clients.dynamo(), w.env.tableName);
}

/**
 * Deployed, a run's lock outlives the state machine's own timeout (1 hour), so two executions never
 * overlap; it is released as soon as the API sees the execution end (a status or run read, or the
 * next refresh).
 */
export const DEPLOYED_LOCK_TTL_MS = 65 * 60_000;
/** Locally the runner renews its lock while it works: a crashed `npm start` blocks others 2 minutes at most. */
export const LOCAL_LOCK_TTL_MS = 2 * 60_000;

/** The editors' API: the pipeline's stores it reads, the run/lock/audit store on the same table, and a
 * RunLauncher that differs by place (Step Functions in AWS, the local process under `npm start`). It
 * publishes nothing itself (every publish is a run's), so it carries no publish step, facts or SNS. */
export function editorDeps(
  options: { launcher: RunLauncher; lockTtlMs: number; now?: () => Date },
  w: Wiring = processWiring,
): EditorDeps {
  const runs = runStore(w);
  return {
    runs,
    lock: runs,
    audit: runs,
    charts: new S3ChartStore(w.clients.s3(), w.env.chartsBucket),
    now: options.now ?? (() => new Date()),
    lockTtlMs: options.lockTtlMs,
    releases: dynamoStore(w),
    raw: rawStore(w),
    launcher: options.launcher,
    uploads: new S3UploadInbox(w.clients.s3(), w.env.rawBucket),
    normalize: normalizeDeps(w),
    holds: chartHolds(w),
    deploymentStage: w.env.deploymentStage,
  };
}
