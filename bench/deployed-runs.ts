/**
 * Runs of the deployed shape, measured: the synthesized pipeline state machine executed by
 * aws-local-stepfunctions over the bundles CDK built, each function in its own Node process with its
 * template environment and memory setting, against dynalite + s3rver + the GACC mirror
 * (test/deployed/support/, the harness `npm run test:deployed` proves the shape with). The mirror
 * serves every release of a span of months (lib/release-site.ts).
 *
 * Per run: wall time (from the scheduler's invocation, or StartExecution, to the execution's end),
 * Step Functions state transitions (from the engine's events), per function invocations, cold starts,
 * billed time (init + duration, as Lambda bills since August 2025) × configured memory = GB-seconds
 * and peak RSS, and DynamoDB / S3 / SNS requests and units counted at each function's SDK boundary
 * (lib/aws-meter.ts). Functions are stopped before a "cold" run, so its figures include the init phase
 * and its peak RSS is its own.
 *
 *   steady state      the deployed fetch's default history (2022 → last month): a first load, then a
 *                     no-change poll cold and warm (through the `scheduled` entry with the polling
 *                     schedule's input from the template), then a release day: the preliminary
 *                     release's pages appear (tables 4, 5, 6 × USD, CNY) and the next poll takes them
 *                     to the charts; then the Bulletin's two pages, the same way; then an editor's
 *                     upload of a 10,000-row query-platform export (the platform's maximum per file):
 *                     staged under uploads/ as the browser PUTs it, then the workflow's upload path
 *                     (StoreUpload → NormalizeUpload → PublishUpload), cold.
 *   backfill scale    a fresh stack per span (e.g. 12, 48, 104 months up to the same last month), one
 *                     execution `{ since: <first year> }`: fetch archives every page, the Map
 *                     normalizes each release (2 at a time, as deployed), publish builds every chart.
 */
import { gzipSync } from "node:zlib";
import { type AttributeValue, ScanCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { createDynamoClient, createS3Client } from "../functions/adapters/aws-clients.js";
import { sha256Hex } from "../functions/domain/sha256.js";
import { stagedUploadKey } from "../functions/pipeline/upload-release.js";
import { LOCAL_CREDENTIALS } from "../local/emulators.js";
import {
  type DeployedStack,
  type Synthesized,
  startDeployedStack,
} from "../test/deployed/support/deployed-stack.js";
import type { InvocationRecord } from "../test/deployed/support/lambda-pool.js";
import { REGION } from "../test/deployed/support/local-resources.js";
import type { Execution } from "../test/deployed/support/local-sfn.js";
import { queryExportChunks } from "../test/support/query-export.js";
import { type AwsTally, countExchange, emptyAwsTally } from "./lib/aws-meter.js";
import { itemSize } from "./lib/dynamo-meter.js";
import { monthsIn, type ReleaseSite, releaseSite } from "./lib/release-site.js";

export interface FunctionFigures {
  memoryMb: number;
  timeoutSeconds: number;
  invocations: number;
  coldStarts: number;
  /** Sum of handler durations. */
  durationMs: number;
  /** Sum of init phases (cold starts). */
  initMs: number;
  /** init + duration, each invocation rounded up to 1 ms, as Lambda bills. */
  billedMs: number;
  gbSeconds: number;
  peakRssMb: number;
  maxDurationMs: number;
}

export interface RunFigures {
  kind: string;
  status: string;
  /** A failed run's error and cause, as Step Functions reports them. */
  error?: string;
  cause?: string;
  wallMs: number;
  /** State transitions as Step Functions Standard bills them: states entered (Map iterations included) + retries. */
  transitions: number;
  normalize: { releases: number; normalized: number; quarantined: number };
  lambda: Record<string, FunctionFigures>;
  aws: AwsTally;
  /** The same counts, by calling function. */
  awsByFn: Record<string, AwsTally>;
  /** Lambda output + the execution log (level ALL with data, as deployed), bytes. */
  logBytes: number;
  chartsBuilt: number;
  filesWritten: number;
}

interface Output {
  normalized?: Array<{ status: string }>;
  publish?: { chartsBuilt?: number; filesWritten?: string[] };
}

/** Measures one run: `start` starts it (scheduler invoke or StartExecution) and returns its execution. */
async function measure(
  stack: DeployedStack,
  kind: string,
  start: () => Promise<Execution>,
  options: { cold: boolean },
): Promise<RunFigures> {
  if (options.cold) await Promise.all(Object.values(stack.functions).map((f) => f.stop()));
  const marks = Object.fromEntries(Object.entries(stack.functions).map(([n, f]) => [n, f.log.length]));
  const logMark = Object.values(stack.functions).reduce((a, f) => a + f.logBytes, 0);
  const aws = emptyAwsTally();
  const awsByFn: Record<string, AwsTally> = {};
  for (const p of Object.values(stack.proxies))
    p.observer = (x) => {
      countExchange(aws, x);
      awsByFn[x.fn] ??= emptyAwsTally();
      countExchange(awsByFn[x.fn] as AwsTally, x);
    };
  const t0 = Date.now();
  const ex = await start();
  await ex.done;
  const wallMs = (ex.stopDate ?? Date.now()) - t0;
  // The last answers may still be on their way through a proxy.
  await new Promise((r) => setTimeout(r, 50));
  for (const p of Object.values(stack.proxies)) p.observer = undefined;

  const lambda: Record<string, FunctionFigures> = {};
  for (const [name, fn] of Object.entries(stack.functions)) {
    const records: InvocationRecord[] = fn.log.slice(marks[name] ?? 0);
    if (records.length === 0) continue;
    const billedMs = records.reduce((a, r) => a + Math.ceil((r.initMs ?? 0) + r.durationMs), 0);
    lambda[name] = {
      memoryMb: fn.spec.memoryMb,
      timeoutSeconds: fn.spec.timeoutSeconds,
      invocations: records.length,
      coldStarts: records.filter((r) => r.initMs !== undefined).length,
      durationMs: records.reduce((a, r) => a + r.durationMs, 0),
      initMs: records.reduce((a, r) => a + (r.initMs ?? 0), 0),
      billedMs,
      gbSeconds: (billedMs / 1000) * (fn.spec.memoryMb / 1024),
      peakRssMb: Math.max(...records.map((r) => r.maxRssMb)),
      maxDurationMs: Math.max(...records.map((r) => r.durationMs)),
    };
  }
  const out = (ex.output ?? {}) as Output;
  const normalized = out.normalized ?? [];
  return {
    kind,
    status: ex.status,
    ...(ex.error ? { error: ex.error, cause: ex.cause?.slice(0, 2000) } : {}),
    wallMs,
    transitions:
      ex.events.filter((e) => e.type.endsWith("StateEntered")).length +
      ex.events.filter((e) => e.type === "TaskRetried").length,
    normalize: {
      releases: normalized.length,
      normalized: normalized.filter((n) => n.status === "normalized").length,
      quarantined: normalized.filter((n) => n.status === "quarantined").length,
    },
    lambda,
    aws,
    awsByFn,
    logBytes: Object.values(stack.functions).reduce((a, f) => a + f.logBytes, 0) - logMark + ex.logBytes,
    chartsBuilt: out.publish?.chartsBuilt ?? 0,
    filesWritten: out.publish?.filesWritten?.length ?? 0,
  };
}

let executions = 0;
const execute = (stack: DeployedStack, input: Record<string, unknown>) => async () =>
  stack.sfn.start(`bench-${++executions}`, { trigger: "bench", ...input });

/** The polling schedule's own input (from the template), through the `scheduled` entry, as the scheduler invokes it. */
function scheduledPoll(stack: DeployedStack, scheduleId: string) {
  return async (): Promise<Execution> => {
    const target = Object.values(stack.synth.template.Resources)
      .filter((r) => r.Type === "AWS::Scheduler::Schedule")
      .map((r) => r.Properties.Target as { Arn: unknown; Input: string })
      .find((t) => JSON.parse(t.Input).schedule === scheduleId);
    if (!target) throw new Error(`no schedule ${scheduleId} in the template`);
    const answer = await stack.invokeArn(String(stack.local.resolve(target.Arn)), JSON.parse(target.Input));
    if (!answer.ok) throw new Error(`the scheduled entry failed: ${answer.errorMessage}`);
    const { runId } = answer.result as { runId: string };
    const ex = stack.sfn.executions.get(stack.sfn.executionArn(runId));
    if (!ex) throw new Error(`the scheduled entry started no execution (${JSON.stringify(answer.result)})`);
    return ex;
  };
}

/** Serves on the running mirror what changed between two renderings of the site (new pages, new index rows). */
function post(
  stack: DeployedStack,
  before: ReleaseSite,
  after: ReleaseSite,
  which: (path: string, body: string) => boolean,
) {
  let pages = 0;
  for (const [path, page] of after.site) {
    const body = page.body.toString();
    if (before.site.get(path)?.body.toString() === body || !which(path, body)) continue;
    stack.mirror.override(path, { body: page.body, contentType: page.contentType });
    pages++;
  }
  return pages;
}

/** The Bulletin's index pages and its table (2) pages (the preliminary release's tables are (4)–(6)). */
const isBulletin = (path: string, body: string) =>
  /\/statics\/report\/monthly/i.test(path) || /<title>\(2\) /.test(body);

export interface SteadyStateFigures {
  span: { from: string; to: string; months: number; pages: ReleaseSite["pages"] };
  firstLoad: RunFigures;
  pollCold: RunFigures;
  pollWarm: RunFigures;
  preliminary: RunFigures & { pagesPosted: number };
  bulletin: RunFigures & { pagesPosted: number };
  upload: RunFigures & { rows: number; bytes: number };
  /** At rest after the Bulletin day (before the upload, which adds a year of query-platform rows). */
  stored: StoredFigures;
}

/** Rows in the measured upload: the query platform exports at most 10,000 rows a file. */
export const UPLOAD_ROWS = 10_000;

/** Stages an export as the editors' API has the browser do it (uploads/<sha256>.csv), then runs it. */
function uploadRun(stack: DeployedStack, bytes: Buffer) {
  return async (): Promise<Execution> => {
    const sha256 = sha256Hex(bytes);
    const key = stagedUploadKey(sha256);
    const s3 = createS3Client({
      region: REGION,
      credentials: { ...LOCAL_CREDENTIALS },
      endpoint: stack.emulators.s3Endpoint,
    });
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: stack.local.names.rawBucket,
          Key: key,
          Body: bytes,
          ContentType: "text/csv",
        }),
      );
    } finally {
      s3.destroy();
    }
    return execute(stack, {
      upload: { key, sha256, fileName: "export.csv", flow: "imports", uploadedBy: "bench" },
    })();
  };
}

/**
 * `from`…`to`: the history the mirror serves at first; `next`: the month whose releases then appear.
 * `pollSchedule`: the id of the schedule whose input the polls use.
 */
export async function benchSteadyState(
  synth: Synthesized,
  span: { from: string; to: string; next: string; currentYear: number },
  pollSchedule: string,
  log: (line: string) => void,
): Promise<SteadyStateFigures> {
  const before = releaseSite(span.from, span.to, span.currentYear);
  const after = releaseSite(span.from, span.next, span.currentYear);
  const stack = await startDeployedStack(synth, { mirror: { site: before.site } });
  try {
    const since = Number(span.from.slice(0, 4));
    log(`  first load ${span.from}…${span.to} (${before.periods.length} releases of each table)`);
    const firstLoad = await measure(stack, "first load", execute(stack, { since }), { cold: true });
    log(`  no-change poll (cold, then warm), through the scheduled entry (${pollSchedule})`);
    const pollCold = await measure(stack, "no-change poll (cold)", scheduledPoll(stack, pollSchedule), {
      cold: true,
    });
    const pollWarm = await measure(stack, "no-change poll (warm)", scheduledPoll(stack, pollSchedule), {
      cold: false,
    });
    const prelimPages = post(stack, before, after, (p, b) => !isBulletin(p, b));
    log(`  release day: ${prelimPages} preliminary pages for ${span.next} appear; the next poll (cold)`);
    const preliminary = await measure(stack, "release day: preliminary", scheduledPoll(stack, pollSchedule), {
      cold: true,
    });
    const bulletinPages = post(stack, before, after, isBulletin);
    log(`  Bulletin day: ${bulletinPages} Bulletin pages appear; the next poll (cold)`);
    const bulletin = await measure(stack, "release day: Bulletin", scheduledPoll(stack, pollSchedule), {
      cold: true,
    });
    const stored = await storedFigures(stack);
    const bytes = Buffer.concat([...queryExportChunks(UPLOAD_ROWS, { seed: 7, startPeriod: "2019-01" })]);
    log(`  an editor uploads a ${UPLOAD_ROWS.toLocaleString("en-US")}-row query-platform export (cold)`);
    const upload = await measure(stack, "upload", uploadRun(stack, bytes), { cold: true });
    return {
      span: { from: span.from, to: span.to, months: monthsIn(before.periods), pages: before.pages },
      firstLoad,
      pollCold,
      pollWarm,
      preliminary: { ...preliminary, pagesPosted: prelimPages },
      bulletin: { ...bulletin, pagesPosted: bulletinPages },
      upload: { ...upload, rows: UPLOAD_ROWS, bytes: bytes.byteLength },
      stored,
    };
  } finally {
    await stack.stop();
  }
}

export interface BackfillFigures extends RunFigures {
  from: string;
  to: string;
  months: number;
  pages: ReleaseSite["pages"];
  stored: StoredFigures;
}

/** One backfill of `from`…`to` on a fresh stack. */
export async function benchBackfill(
  synth: Synthesized,
  span: { from: string; to: string; currentYear: number },
  log: (line: string) => void,
): Promise<BackfillFigures> {
  const site = releaseSite(span.from, span.to, span.currentYear);
  const stack = await startDeployedStack(synth, { mirror: { site: site.site } });
  try {
    const months = monthsIn(site.periods);
    const pages = site.pages.table4 + site.pages.commodity + site.pages.bulletin;
    log(`  backfill ${span.from}…${span.to}: ${months} months, ${pages} release pages`);
    const run = await measure(
      stack,
      `backfill ${months} months`,
      execute(stack, { since: Number(span.from.slice(0, 4)) }),
      {
        cold: true,
      },
    );
    return {
      ...run,
      from: span.from,
      to: span.to,
      months,
      pages: site.pages,
      stored: await storedFigures(stack),
    };
  } finally {
    await stack.stop();
  }
}

export interface StoredFigures {
  /** DynamoDB's billed size: every item + 100 bytes, again for the items gsi1 projects. */
  dynamoBytes: number;
  items: number;
  indexItems: number;
  /** Objects and bytes in both buckets (current versions). */
  s3Objects: number;
  s3Bytes: number;
  /** Latest chart JSON files (charts/<id>.json): count, mean bytes and mean gzip bytes (CloudFront compresses). */
  chartFiles: number;
  chartJsonBytes: number;
  chartJsonGzipBytes: number;
}

/** What the stack holds at rest: the table's items (scanned by the bench, not by a function) and the buckets. */
export async function storedFigures(stack: DeployedStack): Promise<StoredFigures> {
  const config = {
    region: REGION,
    credentials: { ...LOCAL_CREDENTIALS },
  };
  const dynamo = createDynamoClient({ ...config, endpoint: stack.emulators.dynamoEndpoint });
  const s3 = createS3Client({ ...config, endpoint: stack.emulators.s3Endpoint });
  try {
    let dynamoBytes = 0;
    let items = 0;
    let indexItems = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({ TableName: stack.local.names.tableName, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) {
        const size = itemSize(item) + 100;
        dynamoBytes += item.gsi1pk ? 2 * size : size;
        items++;
        if (item.gsi1pk) indexItems++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    let s3Objects = 0;
    let s3Bytes = 0;
    const charts: string[] = [];
    for (const bucket of [stack.local.names.rawBucket, stack.local.names.chartsBucket]) {
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        for (const o of page.Contents ?? []) {
          s3Objects++;
          s3Bytes += o.Size ?? 0;
          if (
            bucket === stack.local.names.chartsBucket &&
            /^charts\/[^/]+\.json$/.test(o.Key ?? "") &&
            o.Key !== "charts/index.json"
          )
            charts.push(o.Key ?? "");
        }
        token = page.NextContinuationToken;
      } while (token);
    }
    let json = 0;
    let gzip = 0;
    for (const key of charts) {
      const got = await s3.send(new GetObjectCommand({ Bucket: stack.local.names.chartsBucket, Key: key }));
      const bytes = Buffer.from(
        await (got.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())),
      );
      json += bytes.byteLength;
      gzip += gzipSync(bytes).byteLength;
    }
    const n = Math.max(1, charts.length);
    return {
      dynamoBytes,
      items,
      indexItems,
      s3Objects,
      s3Bytes,
      chartFiles: charts.length,
      chartJsonBytes: json / n,
      chartJsonGzipBytes: gzip / n,
    };
  } finally {
    dynamo.destroy();
    s3.destroy();
  }
}
