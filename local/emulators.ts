/**
 * Embedded AWS emulators for laptops and CI: dynalite (DynamoDB) and s3rver (S3), in this process,
 * on loopback, on free ports, with their data under one directory so a local run survives restarts
 * (`fresh: true` wipes it first).
 *
 * The handlers use the same SDK clients as in AWS; only the endpoints differ, passed through the
 * returned `env` (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB...).
 */
import { mkdir, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import dynalite from "dynalite";
import S3rver from "s3rver";
import { createDynamoClient } from "../functions/adapters/aws-clients.js";
import { createTable } from "../functions/adapters/dynamo-store.js";

/** s3rver only knows this account; dynalite accepts any credentials. */
// The laptop runs Node 20 by choice (Lambda runs 22+): the SDK's reminder about that is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
export const LOCAL_REGION = "us-east-1";

/**
 * The raw bucket's CORS rule, as the stack sets it (DataStores.allowUploadsFrom): the console's browser
 * PUTs an upload to its presigned address. Locally the console's origin is whatever port `npm start`
 * or a test picked, so any origin; deployed, only the distribution's.
 */
const LOCAL_UPLOAD_CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedHeader>content-type</AllowedHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

export interface EmulatorOptions {
  /** Where dynalite's LevelDB and s3rver's files live (subfolders `dynamodb/` and `s3/`). */
  dataDir: string;
  /** Wipe dataDir before starting. */
  fresh?: boolean;
  rawBucket?: string;
  chartsBucket?: string;
  tableName?: string;
  /** Loopback by default; ports are picked free unless given. */
  host?: string;
  s3Port?: number;
  dynamoPort?: number;
}

export interface Emulators {
  s3Endpoint: string;
  dynamoEndpoint: string;
  /** Variables for the handlers: endpoints, region, dummy credentials, bucket and table names. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Idle keep-alive sockets from SDK clients would otherwise hold the server open.
    server.closeIdleConnections();
  });
}

export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const host = options.host ?? "127.0.0.1";
  const rawBucket = options.rawBucket ?? "local-raw";
  const chartsBucket = options.chartsBucket ?? "local-charts";
  const tableName = options.tableName ?? "gacc-local";
  if (options.fresh) await rm(options.dataDir, { recursive: true, force: true });
  const dynamoDir = join(options.dataDir, "dynamodb");
  const s3Dir = join(options.dataDir, "s3");
  await mkdir(dynamoDir, { recursive: true });
  await mkdir(s3Dir, { recursive: true });

  const dynamoServer = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoAddress = await listen(dynamoServer, options.dynamoPort ?? 0, host);
  const dynamoEndpoint = `http://${host}:${dynamoAddress.port}`;

  const s3rver = new S3rver({
    address: host,
    port: options.s3Port ?? 0,
    directory: s3Dir,
    silent: true,
    configureBuckets: [{ name: rawBucket, configs: [LOCAL_UPLOAD_CORS] }, { name: chartsBucket }],
  });
  let s3Address: AddressInfo;
  try {
    s3Address = await s3rver.run();
  } catch (err) {
    await close(dynamoServer);
    throw err;
  }
  const s3Endpoint = `http://${host}:${s3Address.port}`;

  const stop = async (): Promise<void> => {
    await Promise.allSettled([
      s3rver.httpServer ? close(s3rver.httpServer) : Promise.resolve(),
      close(dynamoServer),
    ]).then((results) => {
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    });
  };

  const client = createDynamoClient({
    endpoint: dynamoEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await createTable(client, tableName);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }

  return {
    s3Endpoint,
    dynamoEndpoint,
    env: {
      AWS_ENDPOINT_URL_S3: s3Endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      RAW_BUCKET: rawBucket,
      CHARTS_BUCKET: chartsBucket,
      TABLE_NAME: tableName,
    },
    stop,
  };
}
