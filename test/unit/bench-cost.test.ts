import { describe, expect, it } from "vitest";
import {
  addUsage,
  DAYS_PER_MONTH,
  differsBy,
  HOURS_PER_MONTH,
  type MonthInputs,
  monthlyCost,
  type Prices,
  priceBook,
  type RunUsage,
  runCost,
  scaleUsage,
} from "../../bench/model/cost.js";
import pricesFile from "../../data/aws-prices.json" with { type: "json" };

const book = priceBook();
const p = book.prices;

const usage = (over: Partial<RunUsage> = {}): RunUsage => ({
  lambdaGbSeconds: 0,
  lambdaRequests: 0,
  transitions: 0,
  wallMs: 0,
  dynamoWriteUnits: 0,
  dynamoReadUnits: 0,
  s3WriteClass: 0,
  s3ReadClass: 0,
  snsPublishes: 0,
  schedulerInvocations: 0,
  logBytes: 0,
  ...over,
});

describe("the price list (data/aws-prices.json)", () => {
  it("is dated, names its region, and every price has a source", () => {
    expect(book.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(book.region).toBe("us-east-1");
    for (const [k, url] of Object.entries(book.sources))
      expect(url, k).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });

  it("refuses a price without a number or a source", () => {
    const broken = structuredClone(pricesFile);
    broken.prices.kmsKeyMonth.source = "memory";
    expect(() => priceBook(broken)).toThrow(/kmsKeyMonth names no source/);
  });

  it("refuses a price that does not say when and against which pages it was checked", () => {
    const undated = structuredClone(pricesFile);
    undated.prices.snsPublish.checked.on = "recently";
    expect(() => priceBook(undated)).toThrow(/snsPublish does not say when and where it was checked/);
    const nowhere = structuredClone(pricesFile);
    nowhere.prices.snsPublish.checked.against = ["memory"];
    expect(() => priceBook(nowhere)).toThrow(/snsPublish does not say when and where/);
  });
});

describe("one run", () => {
  it("Lambda: GB-seconds and requests at the arm64 price", () => {
    const c = runCost(usage({ lambdaGbSeconds: 1000, lambdaRequests: 1_000_000 }), p, "standard");
    expect(c.lambda).toBeCloseTo(1000 * 0.0000133334 + 0.2, 10);
    expect(c.total).toBeCloseTo(c.lambda, 12);
  });

  it("Standard bills transitions; Express bills the execution and its duration in 100 ms and 64 MB steps", () => {
    const u = usage({ transitions: 40, wallMs: 12_345 });
    expect(runCost(u, p, "standard").workflow).toBeCloseTo(40 * 0.000025, 12);
    // 12,345 ms → 12.4 s × 1/16 GB.
    expect(runCost(u, p, "express").workflow).toBeCloseTo(0.000001 + 12.4 * (64 / 1024) * 0.00001667, 12);
  });

  it("DynamoDB request units are billed on demand, and are in the capacity when provisioned", () => {
    const u = usage({ dynamoWriteUnits: 2_000_000, dynamoReadUnits: 8_000_000 });
    expect(runCost(u, p, "standard").dynamo).toBeCloseTo(2 * 0.625 + 8 * 0.125, 10);
    expect(runCost(u, p, "standard", { mode: "provisioned", writeUnits: 1, readUnits: 1 }).dynamo).toBe(0);
  });

  it("S3 requests by tier, logs by the GB", () => {
    const c = runCost(usage({ s3WriteClass: 1000, s3ReadClass: 10_000, logBytes: 1024 ** 3 }), p, "standard");
    expect(c.s3).toBeCloseTo(0.005 + 0.004, 12);
    expect(c.other).toBeCloseTo(0.5, 12);
  });
});

describe("a month", () => {
  const base: MonthInputs = {
    runs: [
      {
        kind: "poll",
        perMonth: 1000,
        usage: usage({ lambdaGbSeconds: 2, transitions: 8, schedulerInvocations: 1 }),
      },
      {
        kind: "release",
        perMonth: 2,
        usage: usage({ lambdaGbSeconds: 10, transitions: 30, dynamoWriteUnits: 2000 }),
      },
    ],
    storage: { dynamoBytes: 2 * 1024 ** 3, s3Bytes: 1024 ** 3, pointInTimeRecovery: true },
    traffic: { chartLoadsPerDay: 10_000, bytesPerLoad: 5000 },
    fixed: { kmsKeys: 1, alarms: 3, customMetrics: 2, secrets: 1 },
    workflow: "standard",
    table: { mode: "on-demand" },
  };

  it("sums runs × how often, storage, traffic and fixed items, each traceable to one line", () => {
    const m = monthlyCost(base, p);
    const lambda = (1000 * 2 + 2 * 10) * p.lambdaGbSecondArm;
    const flow = (1000 * 8 + 2 * 30) * p.sfnStandardTransition;
    const dynamo = 2 * 2000 * p.dynamoWriteRequestUnit;
    const storage = 2 * (0.25 + 0.2) + 0.023;
    const loads = 10_000 * DAYS_PER_MONTH;
    const cdn = loads * 0.000001 + ((loads * 5000) / 1024 ** 3) * 0.085;
    const sched = 1000 * p.schedulerInvocation;
    const fixed = 1 + 0.3 + 0.6 + 0.4;
    expect(m.total).toBeCloseTo(lambda + flow + dynamo + storage + cdn + sched + fixed, 9);
    expect(m.lines.reduce((a, l) => a + l.usd, 0)).toBeCloseTo(m.total, 12);
    expect(m.byRun.map((r) => r.kind)).toEqual(["poll", "release"]);
  });

  it("traffic cost grows linearly with chart loads", () => {
    const cdn = (loads: number) =>
      monthlyCost({ ...base, traffic: { ...base.traffic, chartLoadsPerDay: loads } }, p).lines.find((l) =>
        l.item.startsWith("CloudFront"),
      )?.usd ?? 0;
    expect(cdn(100_000)).toBeCloseTo(10 * cdn(10_000), 9);
  });

  it("a provisioned table costs its capacity every hour, whatever the runs write", () => {
    const m = monthlyCost({ ...base, table: { mode: "provisioned", writeUnits: 5, readUnits: 5 } }, p);
    const line = m.lines.find((l) => l.item.startsWith("DynamoDB provisioned"));
    expect(line?.usd).toBeCloseTo(HOURS_PER_MONTH * 5 * (0.00065 + 0.00013), 9);
  });
});

describe("helpers", () => {
  it("scales and adds usages field by field", () => {
    const u = usage({ lambdaGbSeconds: 2, transitions: 3 });
    expect(addUsage(u, scaleUsage(u, 2))).toMatchObject({ lambdaGbSeconds: 6, transitions: 9, wallMs: 0 });
  });

  it("says when a choice changes a cost by more than 2×", () => {
    expect(differsBy(1, 2.01)).toBe(true);
    expect(differsBy(2.01, 1)).toBe(true);
    expect(differsBy(1, 2)).toBe(false);
    expect(differsBy(0, 0)).toBe(false);
  });

  it("prices are plain numbers (no strings sneak in)", () => {
    for (const v of Object.values(p as Prices)) expect(typeof v).toBe("number");
  });
});
