/**
 * The S3 and DynamoDB adapters against real emulators (s3rver, dynalite) started in-process, plus
 * retry behaviour proven with a DynamoDB client wrapped at the SDK boundary.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDynamoClient, createS3Client } from "../../functions/adapters/aws-clients.js";
import { type DynamoSender, DynamoStore } from "../../functions/adapters/dynamo-store.js";
import { createEnv, optionalEnv, requireEnv } from "../../functions/adapters/env.js";
import { S3ChartStore, S3RawStore } from "../../functions/adapters/s3-stores.js";
import { ConfigurationError, StoreIntegrityError, StoreUnavailable } from "../../functions/domain/errors.js";
import type { Provenance, Release, Revision } from "../../functions/domain/model.js";
import { addressKey, type StoredObservation, seriesKeyOf } from "../../functions/domain/ports.js";
import { type Emulators, LOCAL_CREDENTIALS, startEmulators } from "../../local/emulators.js";

let dataDir: string;
let emu: Emulators;
let s3: S3Client;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "stores-test-"));
  emu = await startEmulators({
    dataDir,
    fresh: true,
    rawBucket: "test-raw",
    chartsBucket: "test-charts",
    tableName: "test-table",
  });
  const common = { region: "us-east-1", credentials: LOCAL_CREDENTIALS };
  s3 = createS3Client({ ...common, endpoint: emu.s3Endpoint });
  dynamo = createDynamoClient({ ...common, endpoint: emu.dynamoEndpoint });
});

afterAll(async () => {
  s3?.destroy();
  dynamo?.destroy();
  await emu?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const bytes = (text: string) => new TextEncoder().encode(text);

const provenance: Provenance = {
  releaseId: "prelim-2023-08-t4-usd",
  url: "http://english.customs.gov.cn/Statics/abc.html",
  sha256: "a".repeat(64),
  fetchedAt: "2023-09-07T03:12:00.000Z",
};

function observation(over: {
  partner?: string;
  flow?: StoredObservation["flow"];
  commodity?: string;
  period?: string;
  kind?: StoredObservation["kind"];
  value?: number;
  vintage?: StoredObservation["vintage"];
  currency?: StoredObservation["currency"];
}): StoredObservation {
  const base = {
    reporter: "CHN" as const,
    partner: { code: over.partner ?? "RUS", nameAsPrinted: "Russia", isGrouping: false },
    flow: over.flow ?? "imports",
    commodity: over.commodity ?? "TOTAL",
    period: over.period ?? "2023-08",
    kind: over.kind ?? "month",
    value: over.value ?? 11_500_000_000,
    currency: over.currency ?? "USD",
    printed: { value: "11,500.0", unit: "USD1 Million" },
    vintage: over.vintage ?? "preliminary",
    provenance,
  };
  return { ...base, seriesKey: seriesKeyOf(base) };
}

describe("S3RawStore", () => {
  it("round-trips bytes and provenance metadata, and a second put of the same bytes writes nothing", async () => {
    const store = new S3RawStore(s3, "test-raw");
    const body = bytes("<html><table><tr><td>Russia</td><td>11,500.0&nbsp;</td></tr></table></html>");
    const digest = sha256(body);
    const key = `raw/gacc/${digest}.html`;
    const meta = {
      sourceUrl: "http://english.customs.gov.cn/Statics/0f3c.html",
      fetchedAt: "2023-09-07T03:12:00.000Z",
      sha256: digest,
      contentType: "text/html; charset=utf-8",
    };

    expect(await store.exists(key)).toBe(false);
    await store.put(key, body, meta);
    expect(await store.exists(key)).toBe(true);
    const got = await store.get(key);
    expect(Buffer.from(got.body).equals(Buffer.from(body))).toBe(true);
    expect(got.meta).toEqual(meta);

    const send = vi.spyOn(s3, "send");
    try {
      await store.put(key, body, meta);
      const puts = send.mock.calls.filter(([cmd]) => cmd instanceof PutObjectCommand);
      expect(puts).toHaveLength(0);
    } finally {
      send.mockRestore();
    }
  });

  it("refuses other bytes under an existing key, and bytes that do not match their sha256", async () => {
    const store = new S3RawStore(s3, "test-raw");
    const first = bytes("first version");
    const key = "raw/gacc/fixed-key.html";
    const meta = { sourceUrl: "http://x/", fetchedAt: "2023-09-07T00:00:00Z", contentType: "text/html" };
    await store.put(key, first, { ...meta, sha256: sha256(first) });

    const second = bytes("second version");
    await expect(store.put(key, second, { ...meta, sha256: sha256(second) })).rejects.toBeInstanceOf(
      StoreIntegrityError,
    );
    await expect(store.put("raw/other.html", second, { ...meta, sha256: sha256(first) })).rejects.toThrow(
      /hash to/,
    );
    expect(Buffer.from((await store.get(key)).body).toString()).toBe("first version");
  });

  it("reports a missing archived object as a typed, non-retryable error", async () => {
    const store = new S3RawStore(s3, "test-raw");
    const err = await store.get("raw/nope.html").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreIntegrityError);
    expect((err as StoreIntegrityError).retryable).toBe(false);
  });
});

describe("S3ChartStore", () => {
  it("returns undefined for a missing key and round-trips bytes with content type and cache control", async () => {
    const store = new S3ChartStore(s3, "test-charts");
    expect(await store.get("charts/missing.json")).toBeUndefined();

    const body = bytes('{"id":"china-russia-imports","latestPeriod":"2023-08"}');
    await store.put({
      key: "charts/china-russia-imports.json",
      body,
      contentType: "application/json; charset=utf-8",
      cacheControl: "public, max-age=60",
    });
    const got = await store.get("charts/china-russia-imports.json");
    expect(Buffer.from(got ?? []).toString()).toBe('{"id":"china-russia-imports","latestPeriod":"2023-08"}');
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: "test-charts", Key: "charts/china-russia-imports.json" }),
    );
    expect(head.ContentType).toBe("application/json; charset=utf-8");
    expect(head.CacheControl).toBe("public, max-age=60");
  });
});

describe("DynamoStore on dynalite", () => {
  it("round-trips observations exactly: big values, Jan–Feb periods and HS codes stay as they were", async () => {
    const store = new DynamoStore(dynamo, "test-table");
    const big = observation({ value: 11_500_000_000 });
    const janFeb = observation({ period: "2023-01/02", kind: "jan-feb", value: 19_862_300_000.5 });
    const hs = {
      ...observation({ partner: "344", commodity: "03011100", value: 123_456_789, currency: "CNY" }),
      commodityLabel: "Live ornamental freshwater fish",
      quantity: { value: 1200, unit: "Ton", printedUnit: "Ton" },
    };
    const stats = await store.write([big, janFeb, hs], []);
    expect(stats).toEqual({ requests: 1, items: 3 });

    const missing = {
      seriesKey: big.seriesKey,
      kind: "month" as const,
      period: "2023-09",
      vintage: "preliminary" as const,
    };
    const got = await store.getMany([big, janFeb, hs, missing, big]);
    expect(got.size).toBe(3);
    expect(got.get(addressKey(big))).toEqual(big);
    expect(got.get(addressKey(big))?.value).toBe(11500000000);
    expect(got.get(addressKey(janFeb))?.period).toBe("2023-01/02");
    expect(got.get(addressKey(janFeb))?.value).toBe(19862300000.5);
    expect(got.get(addressKey(hs))).toEqual(hs);
    expect(got.get(addressKey(hs))?.commodity).toBe("03011100");
    expect(got.get(addressKey(hs))?.partner.code).toBe("344");
    expect(got.has(addressKey(missing))).toBe(false);

    const raw = await dynamo.send(
      new QueryCommand({
        TableName: "test-table",
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: `S#${big.seriesKey}` } },
      }),
    );
    const keys = (raw.Items ?? []).map((i) => [i.sk?.S, i.gsi1pk?.S, i.gsi1sk?.S, i.value?.N]);
    expect(keys).toEqual([
      [
        "O#jan-feb#2023-01/02#preliminary",
        "X#TOTAL#USD#jan-feb#2023-01/02",
        "RUS#imports#preliminary",
        "19862300000.5",
      ],
      ["O#month#2023-08#preliminary", "X#TOTAL#USD#month#2023-08", "RUS#imports#preliminary", "11500000000"],
    ]);
  });

  it("queries one series with its revisions, and one cross-section across partners, flows and vintages", async () => {
    const store = new DynamoStore(dynamo, "test-table");
    const period = "2022-05";
    const kaz = observation({ partner: "KAZ", period, value: 10_000_000_000 });
    const kazBulletin = observation({ partner: "KAZ", period, value: 10_100_000_000, vintage: "bulletin" });
    const kazExports = observation({ partner: "KAZ", period, flow: "exports", value: 4_000_000_000 });
    const deu = observation({ partner: "DEU", period, value: 7_000_000_000 });
    const otherMonth = observation({ partner: "KAZ", period: "2022-06", value: 9_000_000_000 });
    const cny = observation({ partner: "KAZ", period, currency: "CNY", value: 70_000_000_000 });
    const revision: Revision = {
      seriesKey: kaz.seriesKey,
      kind: "month",
      period,
      vintage: "preliminary",
      oldValue: 9_900_000_000,
      newValue: 10_000_000_000,
      oldRelease: { ...provenance, releaseId: "old" },
      newRelease: provenance,
      revisedAt: "2022-07-13T03:00:00.000Z",
    };
    await store.write([kaz, kazBulletin, kazExports, deu, otherMonth, cny], [revision]);

    const series = await store.querySeries(kaz.seriesKey);
    expect(series.observations.map((o) => [o.period, o.vintage, o.value])).toEqual([
      ["2022-05", "bulletin", 10_100_000_000],
      ["2022-05", "preliminary", 10_000_000_000],
      ["2022-06", "preliminary", 9_000_000_000],
    ]);
    expect(series.revisions).toEqual([revision]);

    const slice = await store.queryCrossSection({
      commodity: "TOTAL",
      currency: "USD",
      kind: "month",
      period,
    });
    expect(slice.map((o) => [o.partner.code, o.flow, o.vintage, o.value])).toEqual([
      ["DEU", "imports", "preliminary", 7_000_000_000],
      ["KAZ", "exports", "preliminary", 4_000_000_000],
      ["KAZ", "imports", "bulletin", 10_100_000_000],
      ["KAZ", "imports", "preliminary", 10_000_000_000],
    ]);
    expect(store.stats.scans).toBe(0);
  });

  it("stores releases and lists them", async () => {
    const store = new DynamoStore(dynamo, "test-table");
    const release: Release = {
      releaseId: "prelim-2023-08-t4-usd",
      source: "gacc-preliminary",
      table: "4",
      currency: "USD",
      period: "2023-08",
      url: "http://english.customs.gov.cn/Statics/abc.html",
      sha256: "b".repeat(64),
      fetchedAt: "2023-09-07T03:12:00.000Z",
      rawKey: `raw/${"b".repeat(64)}.html`,
      status: "quarantined",
      reasons: [{ check: "currency", message: "Title says CNY but the unit row says USD1 Million" }],
      warnings: [],
      updatedAt: "2023-09-07T03:13:00.000Z",
    };
    expect(await store.getRelease(release.releaseId)).toBeUndefined();
    await store.putRelease(release);
    await store.putRelease({
      ...release,
      releaseId: "prelim-2023-07-t4-usd",
      period: "2023-07",
      status: "accepted",
    });
    expect(await store.getRelease(release.releaseId)).toEqual(release);
    const all = await store.listReleases();
    expect(all.map((r) => [r.releaseId, r.status])).toEqual([
      ["prelim-2023-07-t4-usd", "accepted"],
      ["prelim-2023-08-t4-usd", "quarantined"],
    ]);
  });

  it("writes 60 items in batches of 25 and reads them back in one paginated Query", async () => {
    const store = new DynamoStore(dynamo, "test-table");
    const obs = Array.from({ length: 60 }, (_, i) =>
      observation({ partner: "USA", period: `${1960 + i}-03`, value: 1_000_000 * (i + 1) }),
    );
    const stats = await store.write(obs, []);
    expect(stats.items).toBe(60);
    expect(stats.requests).toBeGreaterThanOrEqual(3);
    expect(store.stats.writeItems).toBe(60);

    // Force small pages at the SDK boundary so pagination is exercised against the real emulator.
    const paged: DynamoSender = {
      send: ((cmd: unknown) => {
        if (cmd instanceof QueryCommand) cmd.input.Limit = 7;
        return (dynamo.send as (c: unknown) => Promise<unknown>)(cmd);
      }) as DynamoSender["send"],
    };
    const pagedStore = new DynamoStore(paged, "test-table");
    const series = await pagedStore.querySeries(obs[0]?.seriesKey ?? "");
    expect(series.observations).toHaveLength(60);
    expect(series.observations.map((o) => o.value).sort((a, b) => a - b)).toEqual(obs.map((o) => o.value));
    expect(pagedStore.stats.queries).toBe(9);

    const many = await store.getMany(obs);
    expect([...many.values()].map((o) => o.value).sort((a, b) => a - b)).toEqual(obs.map((o) => o.value));
  });
});

describe("DynamoStore retries what DynamoDB leaves unprocessed", () => {
  type Send = (c: unknown) => Promise<unknown>;
  const realSend = (): Send => dynamo.send.bind(dynamo) as Send;

  it("lands every item when some calls come back partly unprocessed, with bounded backoff", async () => {
    let writeCalls = 0;
    let getCalls = 0;
    const flaky: DynamoSender = {
      send: (async (cmd: unknown) => {
        const input = (cmd as { input: Record<string, unknown> }).input;
        if (cmd instanceof BatchWriteItemCommand && writeCalls++ % 2 === 0) {
          // Every other call: only the first third lands; the rest comes back unprocessed.
          const requests = (input.RequestItems as Record<string, unknown[]>)["test-table"] ?? [];
          const cut = Math.ceil(requests.length / 3);
          (input.RequestItems as Record<string, unknown[]>)["test-table"] = requests.slice(0, cut);
          const res = (await realSend()(cmd)) as BatchWriteItemCommandOutput;
          return { ...res, UnprocessedItems: { "test-table": requests.slice(cut) } };
        }
        if (cmd instanceof BatchGetItemCommand && getCalls++ % 2 === 0) {
          const req = (input.RequestItems as Record<string, { Keys: unknown[]; ConsistentRead?: boolean }>)[
            "test-table"
          ];
          const keys = req?.Keys ?? [];
          const cut = Math.ceil(keys.length / 2);
          (input.RequestItems as Record<string, unknown>)["test-table"] = {
            ...req,
            Keys: keys.slice(0, cut),
          };
          const res = (await realSend()(cmd)) as BatchGetItemCommandOutput;
          return { ...res, UnprocessedKeys: { "test-table": { ...req, Keys: keys.slice(cut) } } };
        }
        return realSend()(cmd);
      }) as DynamoSender["send"],
    };
    const delays: number[] = [];
    const store = new DynamoStore(flaky, "test-table", {
      sleep: async (ms) => {
        delays.push(ms);
      },
      maxDelayMs: 400,
    });
    const obs = Array.from({ length: 60 }, (_, i) =>
      observation({ partner: "JPN", period: `${1900 + i}-11`, value: 5_000_000_000 + i }),
    );

    const stats = await store.write(obs, []);
    expect(stats.items).toBe(60);
    expect(stats.requests).toBeGreaterThan(3);
    expect(stats.requests).toBeLessThanOrEqual(3 * 8);
    expect(stats.requests).toBe(store.stats.writeRequests);
    expect(store.stats.writeItems).toBe(60);
    expect(delays.length).toBeGreaterThan(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(400);

    const series = await new DynamoStore(dynamo, "test-table").querySeries(obs[0]?.seriesKey ?? "");
    expect(series.observations.map((o) => o.value).sort((a, b) => a - b)).toEqual(obs.map((o) => o.value));

    const got = await store.getMany(obs);
    expect(got.size).toBe(60);
    expect(got.get(addressKey(obs[59] as StoredObservation))?.value).toBe(5_000_000_059);
  });

  it("gives up after the retry budget with a typed, retryable error naming how many items did not land", async () => {
    let calls = 0;
    const stuck: DynamoSender = {
      send: (async (cmd: unknown) => {
        calls++;
        const input = (cmd as { input: { RequestItems?: Record<string, unknown[]> } }).input;
        // Nothing is ever processed.
        return { UnprocessedItems: input.RequestItems ?? {}, $metadata: {} };
      }) as DynamoSender["send"],
    };
    const store = new DynamoStore(stuck, "test-table", { maxBatchAttempts: 5, sleep: async () => {} });
    const obs = Array.from({ length: 60 }, (_, i) =>
      observation({ partner: "KOR", period: `${1800 + i}-01` }),
    );

    const err = await store.write(obs, []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailable);
    expect((err as StoreUnavailable).retryable).toBe(true);
    expect((err as StoreUnavailable).message).toMatch(/^60 of 60 items did not land/);
    expect(calls).toBe(3 * 5);
    expect(store.stats.writeRequests).toBe(15);
    expect(store.stats.writeItems).toBe(0);
  });
});

describe("local emulators", () => {
  it("keep their data across a restart on the same directory, and `fresh` wipes it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "emulators-restart-"));
    const names = { dataDir: dir, rawBucket: "r-raw", chartsBucket: "r-charts", tableName: "r-table" };
    const o = observation({ partner: "BRA", period: "2021-04", value: 3_141_592_653 });
    const withStores = async <T>(e: Emulators, f: (d: DynamoStore, c: S3ChartStore) => Promise<T>) => {
      const common = { region: "us-east-1", credentials: LOCAL_CREDENTIALS };
      const d = createDynamoClient({ ...common, endpoint: e.dynamoEndpoint });
      const c = createS3Client({ ...common, endpoint: e.s3Endpoint });
      try {
        return await f(new DynamoStore(d, names.tableName), new S3ChartStore(c, names.chartsBucket));
      } finally {
        d.destroy();
        c.destroy();
      }
    };
    try {
      const first = await startEmulators({ ...names, fresh: true });
      expect(first.env).toMatchObject({
        RAW_BUCKET: "r-raw",
        CHARTS_BUCKET: "r-charts",
        TABLE_NAME: "r-table",
      });
      expect(first.env.AWS_ENDPOINT_URL_S3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await withStores(first, async (d, c) => {
        await d.write([o], []);
        await c.put({
          key: "index.json",
          body: bytes("[]"),
          contentType: "application/json",
          cacheControl: "no-cache",
        });
      });
      await first.stop();

      const second = await startEmulators(names);
      const kept = await withStores(second, async (d, c) => [
        (await d.getMany([o])).get(addressKey(o))?.value,
        await c.get("index.json"),
      ]);
      await second.stop();
      expect(kept[0]).toBe(3_141_592_653);
      expect(Buffer.from((kept[1] as Uint8Array) ?? []).toString()).toBe("[]");

      const third = await startEmulators({ ...names, fresh: true });
      const wiped = await withStores(third, async (d) => (await d.getMany([o])).size);
      await third.stop();
      expect(wiped).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("environment", () => {
  it("names the missing variable and what it is for", () => {
    expect(() => requireEnv("TABLE_NAME", {})).toThrow(ConfigurationError);
    expect(() => requireEnv("TABLE_NAME", { TABLE_NAME: "  " })).toThrow(
      /^Missing environment variable TABLE_NAME: the DynamoDB table/,
    );
    expect(requireEnv("TABLE_NAME", { TABLE_NAME: "t" })).toBe("t");
    expect(optionalEnv("STAGE", {})).toBeUndefined();
    expect(optionalEnv("STAGE", "local", {})).toBe("local");
  });

  it("reads lazily, checks URLs and derives the allowed hosts from the base URL", () => {
    const env = createEnv({
      GACC_BASE_URL: "http://127.0.0.1:8123/mirror",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
    });
    expect(env.gaccBaseUrl).toBe("http://127.0.0.1:8123/mirror/");
    expect(env.allowedHosts).toEqual(["http://127.0.0.1:8123"]);
    expect(env.deploymentStage).toBe("local");
    expect(env.chartsPublicUrl).toBeUndefined();
    expect(env.aws).toEqual({
      region: "us-east-1",
      s3Endpoint: "http://127.0.0.1:9/",
      dynamoEndpoint: undefined,
      snsEndpoint: undefined,
    });
    expect(env.aws.credentials).toBeUndefined();
    expect(createEnv({ AWS_ACCESS_KEY_ID: "AK", AWS_SECRET_ACCESS_KEY: "SK" }).aws.credentials).toEqual({
      accessKeyId: "AK",
      secretAccessKey: "SK",
    });
    expect(env.releaseAlertsTopicArn).toBeUndefined();
    expect(
      createEnv({ RELEASE_ALERTS_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:alerts" })
        .releaseAlertsTopicArn,
    ).toBe("arn:aws:sns:eu-west-1:123456789012:alerts");
    expect(() => createEnv({ RELEASE_ALERTS_TOPIC_ARN: "alerts" }).releaseAlertsTopicArn).toThrow(
      /RELEASE_ALERTS_TOPIC_ARN is not an SNS topic ARN/,
    );
    expect(() => env.rawBucket).toThrow(/Missing environment variable RAW_BUCKET/);
    const source: Record<string, string> = { TABLE_NAME: "first" };
    const later = createEnv(source);
    expect(later.tableName).toBe("first");
    source.TABLE_NAME = "second";
    expect(later.tableName).toBe("first");
    later.reset();
    expect(later.tableName).toBe("second");
    expect(() => createEnv({ GACC_BASE_URL: "not a url" }).gaccBaseUrl).toThrow(/not a valid http\(s\) URL/);
  });
});
