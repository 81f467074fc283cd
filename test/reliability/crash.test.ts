/**
 * Crash mid-way: normalize is stopped after k of n BatchWriteItem calls (at the SDK boundary: the
 * (k+1)-th call and everything after it fail, as if the process had died). The next run completes,
 * and DynamoDB (every item) and the charts bucket (every object, byte for byte) equal those of a
 * clean run. No chart is ever written from partial data: publish refuses while a release is in
 * status "normalizing", and every chart object written by the crashed run and its recovery is
 * byte-identical to the clean run's.
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { figureLog } from "./support/figures.js";
import type { SdkFaults } from "./support/sdk-faults.js";
import { freezeClock, type ReliabilityStack, startReliabilityStack, thawClock } from "./support/stack.js";

const figures = figureLog("crash");
let rel: ReliabilityStack;
let faults: SdkFaults;
let batchWritesInCleanRun = 0;
let cleanDb: string[] = [];
let cleanCharts: Map<string, string>;

/** Chart objects written while `fn` runs (key → body as text), attempted writes included. */
async function recordChartWrites<T>(
  bucket: string,
  fn: () => Promise<T>,
): Promise<{ result: T; writes: Map<string, string[]> }> {
  const writes = new Map<string, string[]>();
  const observe = (_service: string, command: unknown) => {
    if (command instanceof PutObjectCommand && command.input.Bucket === bucket && command.input.Key) {
      const body = command.input.Body;
      const text = typeof body === "string" ? body : Buffer.from(body as Uint8Array).toString("utf8");
      writes.set(command.input.Key, [...(writes.get(command.input.Key) ?? []), text]);
    }
  };
  faults.observers.push(observe);
  try {
    return { result: await fn(), writes };
  } finally {
    faults.observers.splice(faults.observers.indexOf(observe), 1);
  }
}

function differences(a: string[], b: string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  return [...sa].filter((x) => !sb.has(x)).length + [...sb].filter((x) => !sa.has(x)).length;
}

function chartDifferences(a: Map<string, string>, b: Map<string, string>): number {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).length;
}

beforeAll(async () => {
  freezeClock();
  rel = await startReliabilityStack();
  faults = await rel.faults();
  await rel.use("clean");
  faults.set({});
  const clean = await rel.run();
  expect(clean.errors).toEqual([]);
  expect(clean.ok).toBe(true);
  batchWritesInCleanRun = faults.counters.batchWrites;
  cleanDb = await rel.dbSnapshot();
  cleanCharts = await rel.chartObjects();
}, 120_000);

afterAll(async () => {
  figures.flush();
  await rel?.stop();
  thawClock();
});

/** k as a count, or as a share of the clean run's batch writes ("last": n − 1). */
const CRASH_POINTS: Array<number | "quarter" | "half" | "three-quarters" | "last"> = [
  0,
  1,
  2,
  "quarter",
  "half",
  "three-quarters",
  "last",
];

function resolveK(point: (typeof CRASH_POINTS)[number]): number {
  const n = batchWritesInCleanRun;
  switch (point) {
    case "quarter":
      return Math.floor(n / 4);
    case "half":
      return Math.floor(n / 2);
    case "three-quarters":
      return Math.floor((3 * n) / 4);
    case "last":
      return n - 1;
    default:
      return point;
  }
}

describe("a crash after k of n batch writes", () => {
  it("has a clean run to compare with", () => {
    expect(batchWritesInCleanRun).toBeGreaterThan(10);
    expect(cleanDb.length).toBeGreaterThan(400);
    expect([...cleanCharts.keys()]).toContain("charts/china-russia-trade-monthly.json");
  });

  it.each(CRASH_POINTS)("crash at %s: the next run completes and equals a clean run", async (point) => {
    const k = resolveK(point);
    const ns = await rel.use(`crash-${k}`);
    const { handler: publish } = await import("../../functions/handlers/publish.js");
    const { dynamoStore } = await import("../../functions/composition.js");

    // The crashed run.
    faults.set({ crashAfterBatchWrites: k });
    const { result: crashed, writes: crashWrites } = await recordChartWrites(ns.chartsBucket, () =>
      rel.run(),
    );
    expect(faults.counters.injected.crash).toBe(1);
    expect(crashed.ok).toBe(false);
    expect(crashed.errors.some((e) => e.message.includes("simulated process crash"))).toBe(true);

    // The process restarts. One release was caught half-written.
    faults.set({});
    const statuses = (await dynamoStore().listReleases()).map((r) => r.status);
    expect(statuses.filter((s) => s === "normalizing")).toHaveLength(1);
    // A publish trigger arriving now (a duplicate, an editor's refresh) refuses: nothing from partial data.
    await expect(publish({})).rejects.toMatchObject({
      code: "PUBLISH_HELD",
      message: expect.stringMatching(
        /only partly written\. The next run completes it; the last good charts are still served/,
      ),
    });
    expect(await rel.chartObjects()).toEqual(new Map());

    // The next run completes the work.
    const { result: recovered, writes: recoveryWrites } = await recordChartWrites(ns.chartsBucket, () =>
      rel.run(),
    );
    expect(recovered.errors).toEqual([]);
    expect(recovered.ok).toBe(true);
    expect((await dynamoStore().listReleases()).every((r) => r.status === "normalized")).toBe(true);

    const db = await rel.dbSnapshot();
    const charts = await rel.chartObjects();
    const dbLost = differences(cleanDb, db);
    const chartsOff = chartDifferences(cleanCharts, charts);
    expect(dbLost).toBe(0);
    expect(db).toEqual(cleanDb);
    expect(chartsOff).toBe(0);
    expect(charts).toEqual(cleanCharts);

    // Every chart object ever written, by the crashed run or its recovery, is the clean run's bytes.
    let partial = 0;
    for (const [key, bodies] of [...crashWrites, ...recoveryWrites]) {
      for (const body of bodies) if (cleanCharts.get(key) !== body) partial++;
    }
    expect(partial).toBe(0);

    figures.add({
      area: "crash",
      scenario: `crash after ${k} of ${batchWritesInCleanRun} BatchWriteItem calls`,
      cases: 1,
      faults: 1,
      retries: 1,
      dataLost: dbLost + chartsOff + partial,
      note: `${db.length} DynamoDB items and ${charts.size} chart objects compared with a clean run; 1 recovery run`,
    });
  });

  it("crash after the last batch landed, before the release is marked normalized: the next run still publishes", async () => {
    const ns = await rel.use("crash-before-status");
    const n = batchWritesInCleanRun;
    faults.set({
      crashWhen: (command, counts) => command === "PutItemCommand" && counts.BatchWriteItemCommand === n,
    });
    const crashed = await rel.run();
    expect(faults.counters.injected.crash).toBe(1);
    expect(crashed.ok).toBe(false);
    faults.set({});
    const recovered = await rel.run();
    expect(recovered.errors).toEqual([]);
    const db = await rel.dbSnapshot(ns);
    const charts = await rel.chartObjects(ns);
    const lost = differences(cleanDb, db) + chartDifferences(cleanCharts, charts);
    figures.add({
      area: "crash",
      scenario: "crash after the last BatchWriteItem, before the release's status write",
      cases: 1,
      faults: 1,
      retries: 1,
      dataLost: lost,
      note: "every item landed but the release stayed 'normalizing'; the next run writes nothing new and must still publish",
    });
    expect(db).toEqual(cleanDb);
    expect(charts).toEqual(cleanCharts);
  });
});
