/**
 * Duplicates: every trigger delivered twice. The second delivery writes nothing (no DynamoDB
 * PutItem/BatchWriteItem, no S3 PutObject, counted at the SDK boundary) and publishes nothing; the
 * chart files stay byte-identical. Triggers: the schedule (fetch handler), a whole refresh, the
 * normalize handler for one release (a new page and an already-normalized one), the publish handler,
 * and an editor's upload of a query-platform export (recordUpload, then normalize).
 */
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleReleases } from "../../local/mirror/render.js";
import { queryExportChunks } from "../support/query-export.js";
import { figureLog } from "./support/figures.js";
import type { SdkFaults } from "./support/sdk-faults.js";
import { type ReliabilityStack, startReliabilityStack } from "./support/stack.js";

const figures = figureLog("duplicates");
let rel: ReliabilityStack;
let faults: SdkFaults;
let handlers: {
  fetch: typeof import("../../functions/handlers/fetch.js").handler;
  normalize: typeof import("../../functions/handlers/normalize.js").handler;
  publish: typeof import("../../functions/handlers/publish.js").handler;
};

const WRITES = [
  PutItemCommand,
  BatchWriteItemCommand,
  UpdateItemCommand,
  DeleteItemCommand,
  TransactWriteItemsCommand,
  PutObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  CopyObjectCommand,
];

/** Write calls (DynamoDB and S3) made while `fn` runs. */
async function countWrites<T>(fn: () => Promise<T>): Promise<{ result: T; writes: string[] }> {
  const writes: string[] = [];
  const observe = (_service: string, command: unknown) => {
    if (WRITES.some((W) => command instanceof W)) writes.push((command as object).constructor.name);
  };
  faults.observers.push(observe);
  try {
    return { result: await fn(), writes };
  } finally {
    faults.observers.splice(faults.observers.indexOf(observe), 1);
  }
}

/** Delivers a trigger twice, in order; returns both results and the second delivery's writes. */
async function twice<T>(scenario: string, deliver: () => Promise<T>) {
  const chartsBefore = await rel.chartObjects();
  const first = await countWrites(deliver);
  const chartsAfterFirst = await rel.chartObjects();
  const dbAfterFirst = await rel.dbSnapshot();
  const second = await countWrites(deliver);
  const chartsAfterSecond = await rel.chartObjects();
  const dbAfterSecond = await rel.dbSnapshot();
  const changed = [...new Set([...chartsAfterFirst.keys(), ...chartsAfterSecond.keys()])].filter(
    (k) => chartsAfterFirst.get(k) !== chartsAfterSecond.get(k),
  ).length;
  figures.add({
    area: "duplicates",
    scenario,
    cases: 2,
    faults: 1,
    dataLost: second.writes.length + changed,
    note: `first delivery ${first.writes.length} writes, second ${second.writes.length}`,
  });
  expect(second.writes).toEqual([]);
  expect(chartsAfterSecond).toEqual(chartsAfterFirst);
  expect(dbAfterSecond).toEqual(dbAfterFirst);
  return { first, second, chartsBefore, chartsAfterFirst };
}

function releasePath(currency: string, period: string): string {
  const r = sampleReleases().find((x) => x.currency === currency && x.period === period);
  if (!r) throw new Error(`no sample release ${currency} ${period}`);
  return r.path;
}

beforeAll(async () => {
  rel = await startReliabilityStack();
  faults = await rel.faults();
  faults.set({});
  await rel.use("duplicates");
  const [fetch, normalize, publish] = await Promise.all([
    import("../../functions/handlers/fetch.js"),
    import("../../functions/handlers/normalize.js"),
    import("../../functions/handlers/publish.js"),
  ]);
  handlers = { fetch: fetch.handler, normalize: normalize.handler, publish: publish.handler };
  const first = await rel.run();
  expect(first.errors).toEqual([]);
}, 120_000);

afterAll(async () => {
  figures.flush();
  await rel?.stop();
});

describe("every trigger delivered twice", () => {
  it("a whole refresh, twice: the second run writes nothing", async () => {
    await twice("refresh (fetch → normalize → publish) delivered twice", () =>
      rel.run({ forcePublish: true }),
    );
  });

  it("the schedule fires twice with a new page waiting: the page is archived and recorded once", async () => {
    const path = releasePath("USD", "2023-08");
    const original = rel.local.mirror.site.get(path)?.body.toString() ?? "";
    const revised = original.replace("11,500.0", "11,600.0").replace("20,800.0", "20,900.0");
    expect(revised).not.toBe(original);
    rel.local.mirror.override(path, revised);
    try {
      const { first, second } = await twice("schedule → fetch handler, with a revised page", () =>
        handlers.fetch({ since: 2022, recheckAll: true }),
      );
      const id = "prelim-by-country-usd-2023-08";
      expect(first.writes).toEqual(["PutObjectCommand", "PutItemCommand"]);
      expect(first.result.releases).toEqual([expect.objectContaining({ releaseId: id, changed: true })]);
      // The second delivery hands the waiting release on again (so a lost normalize is not lost), writing nothing.
      expect(second.result.releases).toEqual([expect.objectContaining({ releaseId: id, changed: false })]);

      // The normalize trigger for that release, twice: the second is skipped.
      const n = await twice("normalize handler for a revised release", () =>
        handlers.normalize({ releaseId: id }),
      );
      expect(n.first.result).toMatchObject({ status: "normalized", observationsWritten: 2, revisions: 2 });
      expect(n.second.result).toMatchObject({ status: "skipped", observationsWritten: 0 });

      // The publish trigger, twice: the second writes nothing and the files are byte-identical.
      const p = await twice("publish handler after a revision", () => handlers.publish({}));
      expect(p.first.result.filesWritten.length).toBeGreaterThan(0);
      expect(p.second.result.filesWritten).toEqual([]);
      expect(p.chartsAfterFirst).not.toEqual(p.chartsBefore);
    } finally {
      rel.local.mirror.reset();
      // Put the original page back.
      const restored = await rel.run({ recheckAll: true });
      expect(restored.errors).toEqual([]);
    }
  });

  it("the schedule fires twice with nothing new: nothing is written either time", async () => {
    const { first } = await twice("schedule → fetch handler, nothing new", () =>
      handlers.fetch({ since: 2022 }),
    );
    expect(first.writes).toEqual([]);
  });

  it("normalize of an already-normalized release, twice: nothing is written", async () => {
    const { first } = await twice("normalize handler for an already-normalized release", () =>
      handlers.normalize({ releaseId: "prelim-by-country-cny-2026-03" }),
    );
    expect(first.writes).toEqual([]);
    expect(first.result.status).toBe("skipped");
  });

  it("an editor uploads the same query-platform export twice: archived, recorded and normalized once", async () => {
    const { recordUpload } = await import("../../functions/pipeline/upload-release.js");
    const { dynamoStore, fetchDeps } = await import("../../functions/composition.js");
    const bytes = Buffer.concat([...queryExportChunks(120, { startPeriod: "2023-01", seed: 7 })]);
    const upload = () =>
      recordUpload(
        { raw: fetchDeps().raw, releases: dynamoStore(), now: () => new Date() },
        { bytes, fileName: "export.csv", flow: "imports", uploadedBy: "editor@newsroom.test" },
      );
    const u = await twice("upload of a query-platform export", upload);
    expect(u.first.result.created).toBe(true);
    expect(u.second.result.created).toBe(false);
    expect(u.first.writes).toEqual(["PutObjectCommand", "PutItemCommand"]);
    const releaseId = u.first.result.release.releaseId;
    const n = await twice("normalize handler for an uploaded export", () =>
      handlers.normalize({ releaseId }),
    );
    expect(n.first.result.status).toBe("normalized");
    expect(n.first.result.observationsWritten).toBeGreaterThan(0);
    expect(n.second.result.status).toBe("skipped");
    await twice("publish handler after an upload", () => handlers.publish({}));
  });

  it("the normalize trigger delivered twice at once: the same items, no double revision", async () => {
    const path = releasePath("USD", "2023-07");
    const original = rel.local.mirror.site.get(path)?.body.toString() ?? "";
    const revised = original.replace("9,200.0", "9,300.0");
    expect(revised).not.toBe(original);
    rel.local.mirror.override(path, revised);
    try {
      const id = "prelim-by-country-usd-2023-07";
      const fetched = await handlers.fetch({ since: 2022, recheckAll: true });
      expect(fetched.releases.map((r) => r.releaseId)).toEqual([id]);
      const before = await rel.dbSnapshot();
      const { result, writes } = await countWrites(() =>
        Promise.all([handlers.normalize({ releaseId: id }), handlers.normalize({ releaseId: id })]),
      );
      const after = await rel.dbSnapshot();
      const added = after.filter((x) => !before.includes(x));
      const revisionItems = added.filter((x) => x.includes('"sk":"R#'));
      const written = result.reduce((a, r) => a + r.revisions, 0);
      figures.add({
        area: "duplicates",
        scenario: "normalize handler delivered twice concurrently",
        cases: 2,
        faults: 1,
        dataLost: Math.max(revisionItems.length - 1, 0),
        note: `${writes.length} write calls; ${revisionItems.length} revision item(s) stored for 1 revised value (${written} reported)`,
      });
      expect(revisionItems).toHaveLength(1);
    } finally {
      rel.local.mirror.reset();
      const restored = await rel.run({ recheckAll: true });
      expect(restored.errors).toEqual([]);
    }
  });
});
