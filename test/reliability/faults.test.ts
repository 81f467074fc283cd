/**
 * Throttling and transient errors injected at the SDK boundary, on the clients the handlers use:
 * DynamoDB `ThrottlingException` and S3 `503 SlowDown` at the HTTP layer (the SDK retries them with
 * its own strategy and the clients' maxAttempts), DynamoDB `UnprocessedItems`/`UnprocessedKeys` at
 * send() (our store retries those with bounded backoff), each at 30% of calls, seeded.
 *
 * - Every item lands: after at most a few runs (a run that still fails after its retries fails with a
 *   typed, retryable error and the next run resumes), DynamoDB and the charts equal a clean run.
 * - Persistent failure: the stage fails with a typed error the run summary records, and the last
 *   good charts stay byte-identical; once the service is back, the next run completes the work.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../local/run-pipeline.js";
import { figureLog } from "./support/figures.js";
import { releasePath, reviseRussiaRow } from "./support/pages.js";
import type { FaultPlan, SdkFaults } from "./support/sdk-faults.js";
import { freezeClock, type ReliabilityStack, startReliabilityStack, thawClock } from "./support/stack.js";

const figures = figureLog("faults");
let rel: ReliabilityStack;
let faults: SdkFaults;
let cleanDb: string[];
let cleanCharts: Map<string, string>;

/** Runs allowed before "every item lands" must hold. */
const MAX_RUNS = 5;

function differences(a: string[], b: string[]): number {
  const sb = new Set(b);
  const sa = new Set(a);
  return a.filter((x) => !sb.has(x)).length + b.filter((x) => !sa.has(x)).length;
}

function chartDifferences(a: Map<string, string>, b: Map<string, string>): number {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).length;
}

async function storeRetries(): Promise<number> {
  const { dynamoStore } = await import("../../functions/composition.js");
  return dynamoStore().stats.retries;
}

beforeAll(async () => {
  freezeClock();
  rel = await startReliabilityStack();
  faults = await rel.faults();
  faults.set({});
  await rel.use("faults-clean");
  const clean = await rel.run();
  expect(clean.errors).toEqual([]);
  cleanDb = await rel.dbSnapshot();
  cleanCharts = await rel.chartObjects();
}, 120_000);

afterAll(async () => {
  figures.flush();
  await rel?.stop();
  thawClock();
});

const AT_30_PERCENT: Array<[string, FaultPlan]> = [
  ["DynamoDB ThrottlingException on 30% of requests", { dynamoThrottleRate: 0.3 }],
  ["DynamoDB UnprocessedItems/UnprocessedKeys on 30% of batch calls", { unprocessedRate: 0.3 }],
  ["S3 503 SlowDown on 30% of requests", { s3SlowDownRate: 0.3 }],
  ["all three at once, 30% each", { dynamoThrottleRate: 0.3, unprocessedRate: 0.3, s3SlowDownRate: 0.3 }],
];

describe("transient faults at 30% of calls", () => {
  it.each(AT_30_PERCENT)("%s: every item lands, with bounded retries", async (scenario, plan) => {
    await rel.use(`faults-${scenario.slice(0, 24)}`);
    faults.set(plan);
    const runs: RunSummary[] = [];
    let faultsInjected = 0;
    let deferredItems = 0;
    let sdkRetries = 0;
    let backoffMs = 0;
    const maxAttempts = { dynamodb: 0, s3: 0 };
    do {
      runs.push(await rel.run());
      faultsInjected += faults.faults;
      deferredItems += faults.counters.deferredItems;
      sdkRetries += faults.sdkRetries;
      backoffMs += faults.counters.backoffMs;
      maxAttempts.dynamodb = Math.max(maxAttempts.dynamodb, faults.counters.maxAttempts.dynamodb);
      maxAttempts.s3 = Math.max(maxAttempts.s3, faults.counters.maxAttempts.s3);
      faults.nextRun();
    } while (!runs.at(-1)?.ok && runs.length < MAX_RUNS);
    const batchRetries = await storeRetries();
    faults.set({});

    // A run that gave up did so with a typed, retryable store error, never an untyped one.
    const failures = runs.flatMap((r) => r.errors);
    for (const e of failures) expect(e.code).toBe("STORE_UNAVAILABLE");
    expect(runs.at(-1)?.ok).toBe(true);

    const db = await rel.dbSnapshot();
    const charts = await rel.chartObjects();
    const lost = differences(cleanDb, db) + chartDifferences(cleanCharts, charts);
    figures.add({
      area: "faults",
      scenario,
      cases: runs.length,
      faults: faultsInjected,
      retries: sdkRetries + batchRetries + (runs.length - 1),
      dataLost: lost,
      note:
        `${sdkRetries} SDK retries (at most ${maxAttempts.dynamodb} attempts per DynamoDB call, ${maxAttempts.s3} per S3 call), ` +
        `${batchRetries} batch retries of ${deferredItems} unprocessed items, ${runs.length} run(s); ${backoffMs} ms of SDK backoff at 1/200 scale; ` +
        `${failures.length} run(s) gave up with STORE_UNAVAILABLE and were resumed`,
    });
    // Not vacuous: faults hit a real share of calls. (How writes batch up depends on timing, and with
    // it how many batch calls there are to fault: 20 to 29 seen for the unprocessed-items plan.)
    expect(faultsInjected).toBeGreaterThanOrEqual(10);
    // Bounded: no call went beyond the clients' configured attempts.
    const { DYNAMODB_MAX_ATTEMPTS, S3_MAX_ATTEMPTS } = await import(
      "../../functions/adapters/aws-clients.js"
    );
    expect(maxAttempts.dynamodb).toBeLessThanOrEqual(DYNAMODB_MAX_ATTEMPTS);
    expect(maxAttempts.s3).toBeLessThanOrEqual(S3_MAX_ATTEMPTS);
    expect(lost).toBe(0);
    expect(db).toEqual(cleanDb);
    expect(charts).toEqual(cleanCharts);
  });
});

describe("persistent failure", () => {
  const REVISED_ID = "prelim-by-country-usd-2023-10";

  async function publishedWithRevisionWaiting(name: string): Promise<Map<string, string>> {
    const ns = await rel.use(name);
    faults.set({});
    const first = await rel.run();
    expect(first.errors).toEqual([]);
    // GACC revises October 2023 imports from Russia: US$11,100 million → 11,200 million.
    const path = releasePath("USD", "2023-10");
    const original = rel.local.mirror.site.get(path)?.body.toString() ?? "";
    rel.local.mirror.override(path, reviseRussiaRow(original, "11,100.0", "11,200.0"));
    return rel.chartObjects(ns);
  }

  async function recover(lastGood: Map<string, string>): Promise<RunSummary> {
    faults.set({});
    const next = await rel.run({ recheckAll: true });
    rel.local.mirror.reset();
    expect(next.errors).toEqual([]);
    const monthly = JSON.parse(
      (await rel.latestCharts()).get("charts/china-russia-trade-monthly.json") ?? "{}",
    );
    const oct = monthly.series
      .find((s: { key: string }) => s.key === "imports")
      .points.find((p: { period: string }) => p.period === "2023-10");
    expect(oct).toMatchObject({ value: 11.2, revised: true, previousValue: 11.1 });
    expect(await rel.chartObjects()).not.toEqual(lastGood);
    return next;
  }

  it("DynamoDB refuses every batch write: normalize fails with STORE_UNAVAILABLE, the charts stay as they were", async () => {
    const lastGood = await publishedWithRevisionWaiting("persistent-dynamo");
    faults.set({ persistent: { service: "dynamodb", match: (op) => op === "BatchWriteItem" } });
    const run = await rel.run({ recheckAll: true });
    const injected = faults.faults;
    const retried = faults.sdkRetries;
    expect(run.ok).toBe(false);
    expect(run.errors).toEqual([
      {
        stage: "normalize",
        code: "STORE_UNAVAILABLE",
        message: expect.stringMatching(
          /^Could not write \d+ items in the DynamoDB table rel-persistent-dynamo .*ThrottlingException.*even after retrying\. This is usually temporary: run again later\. Runs are idempotent, so nothing is duplicated\.$/,
        ),
      },
    ]);
    expect(run.publish).toBeUndefined();
    const { dynamoStore } = await import("../../functions/composition.js");
    expect((await dynamoStore().getRelease(REVISED_ID))?.status).toBe("normalizing");
    const charts = await rel.chartObjects();
    expect(charts).toEqual(lastGood);
    figures.add({
      area: "faults",
      scenario: "DynamoDB throttles every BatchWriteItem (persistent)",
      cases: 2,
      faults: injected,
      retries: retried,
      dataLost: chartDifferences(lastGood, charts),
      note: "normalize failed with STORE_UNAVAILABLE in the run summary; charts byte-identical; the next run completed the revision",
    });
    await recover(lastGood);
  });

  it("S3 refuses everything: fetch fails with STORE_UNAVAILABLE, nothing is archived or published", async () => {
    const lastGood = await publishedWithRevisionWaiting("persistent-s3");
    faults.set({ persistent: { service: "s3" } });
    const run = await rel.run({ recheckAll: true });
    const injected = faults.faults;
    const retried = faults.sdkRetries;
    expect(run.ok).toBe(false);
    expect(run.errors).toEqual([
      {
        stage: "fetch",
        code: "STORE_UNAVAILABLE",
        message: expect.stringMatching(
          /^Could not look up raw\/sha256\/.* in the raw archive bucket rel-raw-persistent-s3 .*even after retrying/,
        ),
      },
    ]);
    faults.set({});
    const charts = await rel.chartObjects();
    expect(charts).toEqual(lastGood);
    figures.add({
      area: "faults",
      scenario: "S3 answers 503 SlowDown to every request (persistent)",
      cases: 2,
      faults: injected,
      retries: retried,
      dataLost: chartDifferences(lastGood, charts),
      note: "fetch failed with STORE_UNAVAILABLE in the run summary; charts byte-identical; the next run completed the revision",
    });
    await recover(lastGood);
  });

  it("the charts bucket refuses every request during publish: publish fails, the charts stay, the next run publishes", async () => {
    const ns = await rel.use("persistent-charts");
    const lastGood = await publishedWithRevisionWaiting("persistent-charts");
    faults.set({ persistent: { service: "s3", match: (op) => op.endsWith(` ${ns.chartsBucket}`) } });
    const run = await rel.run({ recheckAll: true });
    const injected = faults.faults;
    const retried = faults.sdkRetries;
    expect(run.ok).toBe(false);
    expect(run.errors).toEqual([
      {
        stage: "publish",
        code: "STORE_UNAVAILABLE",
        message: expect.stringMatching(
          /in the charts bucket rel-charts-persistent-charts .*even after retrying/,
        ),
      },
    ]);
    expect(run.normalize.find((n) => n.releaseId === REVISED_ID)).toMatchObject({ status: "normalized" });
    faults.set({});
    const charts = await rel.chartObjects();
    expect(charts).toEqual(lastGood);
    // Service back: the revision is in DynamoDB but not yet in the charts; the next run must publish it.
    let recovered = true;
    try {
      await recover(lastGood);
    } catch {
      recovered = false;
    }
    figures.add({
      area: "faults",
      scenario: "charts bucket answers 503 SlowDown to every request during publish (persistent)",
      cases: 2,
      faults: injected,
      retries: retried,
      dataLost: chartDifferences(lastGood, charts) + (recovered ? 0 : 1),
      note: recovered
        ? "publish failed with STORE_UNAVAILABLE; charts byte-identical; the next run published the revision"
        : "publish failed with STORE_UNAVAILABLE; charts byte-identical; KNOWN BUG: the next run found nothing new and skipped publish, so the revision never reached the charts",
    });
    expect(recovered).toBe(true);
  });
});
