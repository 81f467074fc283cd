/**
 * The local stack for reliability tests: dynalite + s3rver + the GACC mirror (test/support/local-stack),
 * the real handlers and the real SDK clients, plus:
 *
 * - namespaces: each scenario gets its own table and buckets on the same emulators, so a clean run
 *   and a crashed-then-resumed run can be compared side by side;
 * - snapshots: every DynamoDB item (a Scan, for the test's eyes only: the pipeline never scans) and
 *   every object in the charts bucket, byte for byte;
 * - SdkFaults on the process-wide clients the handlers use.
 */

import { type AttributeValue, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { vi } from "vitest";
import type { RunOptions, RunSummary } from "../../../local/run-pipeline.js";
import { type LocalStack, startLocalStack } from "../../support/local-stack.js";
import { SdkFaults } from "./sdk-faults.js";

export interface Namespace {
  name: string;
  table: string;
  rawBucket: string;
  chartsBucket: string;
}

export interface ReliabilityStack {
  local: LocalStack;
  /** Creates (once) and switches the handlers to this namespace's table and buckets. */
  use(name: string): Promise<Namespace>;
  current: Namespace | undefined;
  /** Runs the pipeline as `npm start --once` does (local/run-pipeline.ts), in the current namespace. */
  run(options?: RunOptions): Promise<RunSummary>;
  /** Every item of a namespace's table as stable JSON lines, sorted by key. */
  dbSnapshot(ns?: Namespace): Promise<string[]>;
  /** Every object of a namespace's charts bucket: key → bytes as text. */
  chartObjects(ns?: Namespace): Promise<Map<string, string>>;
  /** Objects whose key is not a versioned copy (charts/<id>.json, .csv, index.json...). */
  latestCharts(ns?: Namespace): Promise<Map<string, string>>;
  faults(): Promise<SdkFaults>;
  /** Direct clients for the test's own reads (never patched). */
  admin: { dynamo: DynamoDBClient; s3: S3Client };
  stop(): Promise<void>;
}

/**
 * Freezes Date (only Date: timers stay real) so runs in different namespaces produce the same bytes.
 * At the real time, not a fixed one: Node stamps HTTP responses from its own clock, the SDK corrects
 * its signing time by the difference, and s3rver would refuse the "skewed" requests.
 */
export function freezeClock(at = new Date()): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(at);
}

export function thawClock(): void {
  vi.useRealTimers();
}

function plain(v: AttributeValue | undefined): unknown {
  if (!v) return undefined;
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return Number(v.N);
  return JSON.stringify(v);
}

export async function startReliabilityStack(): Promise<ReliabilityStack> {
  const local = await startLocalStack();
  const env = local.env;
  const clientConfig = {
    region: env.AWS_REGION ?? "us-east-1",
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
    },
  };
  const admin = {
    dynamo: new DynamoDBClient({ ...clientConfig, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
    s3: new S3Client({
      ...clientConfig,
      endpoint: env.AWS_ENDPOINT_URL_S3,
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    }),
  };
  const { createTable } = await import("../../../functions/adapters/dynamo-store.js");
  const { resetEnv } = await import("../../../functions/adapters/env.js");
  const { runPipeline } = await import("../../../local/run-pipeline.js");
  const created = new Map<string, Namespace>();
  let faults: SdkFaults | undefined;

  const stack: ReliabilityStack = {
    local,
    admin,
    current: undefined,
    async use(name) {
      let ns = created.get(name);
      if (!ns) {
        const slug = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
        ns = { name, table: `rel-${slug}`, rawBucket: `rel-raw-${slug}`, chartsBucket: `rel-charts-${slug}` };
        await createTable(admin.dynamo, ns.table);
        for (const Bucket of [ns.rawBucket, ns.chartsBucket])
          await admin.s3.send(new CreateBucketCommand({ Bucket }));
        created.set(name, ns);
      }
      Object.assign(process.env, {
        TABLE_NAME: ns.table,
        RAW_BUCKET: ns.rawBucket,
        CHARTS_BUCKET: ns.chartsBucket,
      });
      resetEnv();
      stack.current = ns;
      return ns;
    },
    run(options = {}) {
      return runPipeline({ since: 2022, ...options });
    },
    async dbSnapshot(ns = stack.current) {
      if (!ns) throw new Error("no namespace in use");
      const lines: string[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const res = await admin.dynamo.send(
          new ScanCommand({ TableName: ns.table, ExclusiveStartKey: start, ConsistentRead: true }),
        );
        for (const item of res.Items ?? []) {
          const entries = Object.keys(item)
            .sort()
            .map((k) => [k, plain(item[k])]);
          lines.push(JSON.stringify(Object.fromEntries(entries)));
        }
        start = res.LastEvaluatedKey;
      } while (start);
      return lines.sort();
    },
    async chartObjects(ns = stack.current) {
      if (!ns) throw new Error("no namespace in use");
      const out = new Map<string, string>();
      let token: string | undefined;
      do {
        const res = await admin.s3.send(
          new ListObjectsV2Command({ Bucket: ns.chartsBucket, ContinuationToken: token }),
        );
        for (const o of res.Contents ?? []) {
          if (!o.Key) continue;
          const got = await admin.s3.send(new GetObjectCommand({ Bucket: ns.chartsBucket, Key: o.Key }));
          out.set(o.Key, (await got.Body?.transformToString("utf-8")) ?? "");
        }
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
      return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
    },
    async latestCharts(ns = stack.current) {
      const all = await stack.chartObjects(ns);
      return new Map([...all].filter(([k]) => !k.startsWith("charts/v/")));
    },
    async faults() {
      if (!faults) {
        const { dynamoClient, s3Client } = await import("../../../functions/adapters/aws-clients.js");
        faults = await new SdkFaults(dynamoClient(), s3Client()).install();
      }
      return faults;
    },
    async stop() {
      faults?.uninstall();
      admin.dynamo.destroy();
      admin.s3.destroy();
      await local.stop();
    },
  };
  return stack;
}
