/**
 * DynamoDB writes and publish cost, measured on the real stages against dynalite and s3rver
 * (local/emulators.ts, in a temp dir) and a GACC mirror serving five-plus years of synthetic table (4)
 * releases (lib/table4-site.ts). The stages run through the very Lambda handlers (fetch, normalize,
 * publish) in the order the state machine runs them; the DynamoDB client is metered at the SDK boundary
 * (lib/dynamo-meter.ts) and cross-checked against DynamoStore.stats.
 *
 *   (a) first load: 60 monthly releases, fetched, normalized, then every chart published;
 *   (b) the same run again with nothing changed upstream: must write nothing;
 *   (c) one new month plus a revision of the month before (GACC revises its latest releases): must
 *       write in proportion to the observations that changed.
 */
import { join } from "node:path";
import { startEmulators } from "../local/emulators.js";
import { startMirror } from "../local/mirror/server.js";
import { DynamoMeter, type WriteTally, writeRequestsOf } from "./lib/dynamo-meter.js";
import { since } from "./lib/stats.js";
import { benchSite, type Revision, releasePeriods } from "./lib/table4-site.js";

export const FIRST_PERIOD = "2021-05";
export const LAST_PERIOD = "2026-09";
export const NEXT_PERIOD = "2026-10";
const REVISION: Revision = {
  period: LAST_PERIOD,
  partner: "Russian Federation",
  flow: "exports",
  deltaTenths: 123,
};

export interface WriteFigures {
  /** Releases the normalize stage wrote. */
  releasesNormalized: number;
  /** Observations whose stored value changed (new or revised), as the normalize stage reports them. */
  observationsChanged: number;
  /** Revision records kept beside revised observations. */
  revisions: number;
  /** DynamoDB write requests (BatchWriteItem + PutItem), all stages. */
  requests: number;
  requestsByType: Record<string, number>;
  /** Items put (observations, revisions, release records). */
  items: number;
  /** Write units computed from item sizes: table + global secondary index. */
  units: number;
  tableUnits: number;
  indexUnits: number;
  /** Table units as dynalite reported them (ReturnConsumedCapacity), a cross-check. */
  emulatorTableUnits: number;
  largestItemBytes: number;
  /** Of which, by stage. */
  byStage: Record<
    "fetch" | "normalize" | "publish",
    { requests: number; items: number; units: number; batchWriteRequests: number; batchItems: number }
  >;
}

export interface PipelineFigures {
  releases: number;
  periods: { first: string; last: string; added: string; revised: string };
  writes: { firstLoad: WriteFigures; unchangedRerun: WriteFigures; oneMonthRelease: WriteFigures };
  /** One month release: the batches of observations and revisions it needs at 25 items a request. */
  oneMonthExpectedBatches: number;
  oneMonthBatchItems: number;
  publishMs: number;
  publishCharts: number;
  publishFilesWritten: number;
  /** DynamoDB requests by operation during the publish after the first load. */
  publishDynamoRequests: Record<string, number>;
  /** DynamoStore.stats over the same publish. */
  publishStoreStats: { queries: number; scans: number; reads: number; writeRequests: number };
  /** Publish after the one-month release (incremental: every chart rebuilt, changed files written). */
  publishAfterOneMonthMs: number;
  firstLoadMs: number;
}

type StageTallies = Record<"fetch" | "normalize" | "publish", WriteTally>;

function writeFigures(
  stages: StageTallies,
  normalize: Array<{ observationsWritten: number; revisions: number; status: string }>,
): WriteFigures {
  const all = Object.values(stages);
  const byType: Record<string, number> = {};
  for (const t of all) {
    for (const [op, n] of Object.entries(t.requests)) {
      if (op === "PutItem" || op === "BatchWriteItem") byType[op] = (byType[op] ?? 0) + n;
    }
  }
  const sum = (f: (t: WriteTally) => number) => all.reduce((a, t) => a + f(t), 0);
  const stage = (t: WriteTally) => ({
    requests: writeRequestsOf(t),
    items: t.itemsWritten,
    units: t.tableWriteUnits + t.indexWriteUnits,
    batchWriteRequests: t.requests.BatchWriteItem ?? 0,
    batchItems: t.itemsByOp.BatchWriteItem ?? 0,
  });
  return {
    releasesNormalized: normalize.filter((n) => n.status === "normalized").length,
    observationsChanged: normalize.reduce((a, n) => a + n.observationsWritten, 0),
    revisions: normalize.reduce((a, n) => a + n.revisions, 0),
    requests: sum(writeRequestsOf),
    requestsByType: byType,
    items: sum((t) => t.itemsWritten),
    units: sum((t) => t.tableWriteUnits + t.indexWriteUnits),
    tableUnits: sum((t) => t.tableWriteUnits),
    indexUnits: sum((t) => t.indexWriteUnits),
    emulatorTableUnits: sum((t) => t.emulatorTableWriteUnits),
    largestItemBytes: Math.max(...all.map((t) => t.largestItemBytes)),
    byStage: {
      fetch: stage(stages.fetch),
      normalize: stage(stages.normalize),
      publish: stage(stages.publish),
    },
  };
}

export async function benchPipeline(workDir: string, log: (line: string) => void): Promise<PipelineFigures> {
  const currentYear = new Date().getUTCFullYear();
  if (`${currentYear}-12` < NEXT_PERIOD) {
    throw new Error(`The clock says ${currentYear}: the benchmark's releases run to ${NEXT_PERIOD}`);
  }
  const periods = releasePeriods(FIRST_PERIOD, LAST_PERIOD);
  const site = benchSite(periods, { currentYear });
  const emulators = await startEmulators({ dataDir: join(workDir, "emulators"), fresh: true });
  const mirror = await startMirror({ site });
  Object.assign(process.env, emulators.env, {
    GACC_BASE_URL: mirror.baseUrl,
    ALLOWED_HOSTS: new URL(mirror.baseUrl).host,
    CHARTS_PUBLIC_URL: "http://charts.bench.invalid/",
    STAGE: "bench",
    POWERTOOLS_LOG_LEVEL: "WARN",
  });
  // Imported after the environment is set: the handlers read it once, on first use.
  const { dynamoClient, resetClients } = await import("../functions/adapters/aws-clients.js");
  const { env } = await import("../functions/adapters/env.js");
  env.reset();
  const [{ handler: fetch }, { handler: normalize }, { handler: publish }, { dynamoStore }] =
    await Promise.all([
      import("../functions/handlers/fetch.js"),
      import("../functions/handlers/normalize.js"),
      import("../functions/handlers/publish.js"),
      import("../functions/composition.js"),
    ]);
  const meter = new DynamoMeter();
  meter.attach(dynamoClient());
  const sinceYear = Number(FIRST_PERIOD.slice(0, 4));

  /** One scheduled run: fetch → normalize each new or changed release → publish if anything changed. */
  const run = async () => {
    meter.take();
    const fetched = await fetch({ since: sinceYear });
    if (fetched.errors.length > 0) throw new Error(`fetch failed: ${JSON.stringify(fetched.errors[0])}`);
    const fetchTally = meter.take();
    const reports = [];
    for (const r of fetched.releases) reports.push(await normalize({ releaseId: r.releaseId }));
    const held = reports.filter((r) => r.status === "quarantined");
    if (held.length > 0) throw new Error(`release held back: ${JSON.stringify(held[0]?.reasons)}`);
    const normalizeTally = meter.take();
    let publishMs = 0;
    let published: Awaited<ReturnType<typeof publish>> | undefined;
    dynamoStore().resetStats();
    if (reports.some((r) => r.observationsWritten > 0)) {
      const t0 = performance.now();
      published = await publish({});
      publishMs = since(t0);
    }
    const storeStats = { ...dynamoStore().stats };
    const publishTally = meter.take();
    return {
      fetched,
      reports,
      stages: { fetch: fetchTally, normalize: normalizeTally, publish: publishTally },
      publishMs,
      published,
      storeStats,
    };
  };
  try {
    let t0 = performance.now();
    const a = await run();
    const firstLoadMs = since(t0);
    log(
      `  first load: ${a.reports.length} releases, ${a.reports.reduce((x, r) => x + r.observationsWritten, 0)} observations, ${Math.round(firstLoadMs)} ms`,
    );
    if (a.reports.length !== periods.length) {
      throw new Error(`expected ${periods.length} releases, the fetch stage handed on ${a.reports.length}`);
    }
    const b = await run();
    log(
      `  unchanged re-run: ${b.reports.length} releases handed on, ${b.fetched.downloaded} pages re-checked`,
    );

    const site2 = benchSite(releasePeriods(FIRST_PERIOD, NEXT_PERIOD), { currentYear, revision: REVISION });
    let changedPages = 0;
    for (const [path, page] of site2) {
      if (site.get(path)?.body === page.body) continue;
      mirror.override(path, page.body);
      changedPages++;
    }
    t0 = performance.now();
    const c = await run();
    log(
      `  one-month release: ${changedPages} pages changed upstream, ${c.reports.length} releases normalized, ${Math.round(since(t0))} ms`,
    );
    // Observations and revision records go out in BatchWriteItem requests of up to 25 items each.
    const batchItems = c.reports.map((r) => r.observationsWritten + r.revisions);
    return {
      releases: periods.length,
      periods: { first: FIRST_PERIOD, last: LAST_PERIOD, added: NEXT_PERIOD, revised: REVISION.period },
      writes: {
        firstLoad: writeFigures(a.stages, a.reports),
        unchangedRerun: writeFigures(b.stages, b.reports),
        oneMonthRelease: writeFigures(c.stages, c.reports),
      },
      oneMonthExpectedBatches: batchItems.reduce((x, n) => x + Math.ceil(n / 25), 0),
      oneMonthBatchItems: batchItems.reduce((x, n) => x + n, 0),
      publishMs: a.publishMs,
      publishCharts: a.published?.chartsBuilt ?? 0,
      publishFilesWritten: a.published?.filesWritten.length ?? 0,
      publishDynamoRequests: a.stages.publish.requests,
      publishStoreStats: {
        queries: a.storeStats.queries,
        scans: a.storeStats.scans,
        reads: a.storeStats.reads,
        writeRequests: a.storeStats.writeRequests,
      },
      publishAfterOneMonthMs: c.publishMs,
      firstLoadMs,
    };
  } finally {
    resetClients();
    await mirror.stop();
    await emulators.stop();
  }
}
