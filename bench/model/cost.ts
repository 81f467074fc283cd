/**
 * What the stack costs a month, as arithmetic over measured counts and dated list prices
 * (data/aws-prices.json). Pure: the bench measures the usage of each kind of run in the deployed
 * shape and counts how often each happens from the deployed schedules; this module only multiplies
 * and adds, so every figure it prints can be traced to a count and a price.
 *
 * Left out on purpose (small or not ours to model): the Free Tier, taxes, data transfer between AWS
 * services in one region (free), X-Ray traces, the console's own page loads, Cognito sign-ins, KMS
 * requests, and CloudWatch Logs storage after ingestion.
 */
import pricesFile from "../../data/aws-prices.json" with { type: "json" };

export type PriceKey = keyof typeof pricesFile.prices;
export type Prices = Record<PriceKey, number>;

export interface PriceBook {
  region: string;
  asOf: string;
  reviewed: boolean;
  prices: Prices;
  sources: Record<PriceKey, string>;
}

/** The repository's price list. */
export function priceBook(file: typeof pricesFile = pricesFile): PriceBook {
  const entries = Object.entries(file.prices) as Array<[PriceKey, { usd: number; source: string }]>;
  for (const [k, p] of entries) {
    if (!(typeof p.usd === "number" && p.usd >= 0 && Number.isFinite(p.usd)))
      throw new RangeError(`data/aws-prices.json: ${k} has no price`);
    if (!/^https:\/\//.test(p.source)) throw new RangeError(`data/aws-prices.json: ${k} names no source`);
    // Each price says when and against which pages it was last checked.
    const checked = (p as { checked?: { on?: unknown; against?: unknown } }).checked;
    if (
      !(typeof checked?.on === "string" && /^\d{4}-\d{2}-\d{2}$/.test(checked.on)) ||
      !Array.isArray(checked.against) ||
      !checked.against.every((u) => typeof u === "string" && /^https:\/\//.test(u))
    )
      throw new RangeError(`data/aws-prices.json: ${k} does not say when and where it was checked`);
  }
  return {
    region: file.region,
    asOf: file.asOf,
    reviewed: file.reviewed,
    prices: Object.fromEntries(entries.map(([k, p]) => [k, p.usd])) as Prices,
    sources: Object.fromEntries(entries.map(([k, p]) => [k, p.source])) as Record<PriceKey, string>,
  };
}

/** What one run used, as measured (lambda figures summed over its invocations). */
export interface RunUsage {
  lambdaGbSeconds: number;
  lambdaRequests: number;
  /** Step Functions Standard state transitions. */
  transitions: number;
  /** Execution wall time (for Express, billed by duration). */
  wallMs: number;
  dynamoWriteUnits: number;
  dynamoReadUnits: number;
  s3WriteClass: number;
  s3ReadClass: number;
  snsPublishes: number;
  /** Scheduler invocations that started it (1 for a poll, 0 for an editor's run). */
  schedulerInvocations: number;
  /** Log bytes ingested (Lambda output + the workflow's execution log). */
  logBytes: number;
}

export type Workflow = "standard" | "express";
export type TableMode =
  | { mode: "on-demand" }
  | { mode: "provisioned"; writeUnits: number; readUnits: number };

export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = 365 / 12;
const GB = 1024 ** 3;
/** Express workflows are billed in 64 MB memory steps; ours fit the first step (small payloads). */
const EXPRESS_GB = 64 / 1024;
/** An Express workflow stops after 5 minutes. */
export const EXPRESS_MAX_MS = 5 * 60_000;

export interface RunCost {
  lambda: number;
  workflow: number;
  dynamo: number;
  s3: number;
  other: number;
  total: number;
}

/** One run's cost. With a provisioned table, request units are in the capacity and cost nothing here. */
export function runCost(
  u: RunUsage,
  p: Prices,
  workflow: Workflow,
  table: TableMode = { mode: "on-demand" },
): RunCost {
  const lambda = u.lambdaGbSeconds * p.lambdaGbSecondArm + u.lambdaRequests * p.lambdaRequest;
  const flow =
    workflow === "standard"
      ? u.transitions * p.sfnStandardTransition
      : p.sfnExpressRequest + (Math.ceil(u.wallMs / 100) / 10) * EXPRESS_GB * p.sfnExpressGbSecond;
  const dynamo =
    table.mode === "on-demand"
      ? u.dynamoWriteUnits * p.dynamoWriteRequestUnit + u.dynamoReadUnits * p.dynamoReadRequestUnit
      : 0;
  const s3 = u.s3WriteClass * p.s3WriteClassRequest + u.s3ReadClass * p.s3ReadClassRequest;
  const other =
    u.snsPublishes * p.snsPublish +
    u.schedulerInvocations * p.schedulerInvocation +
    (u.logBytes / GB) * p.cloudwatchLogsIngestGb;
  return { lambda, workflow: flow, dynamo, s3, other, total: lambda + flow + dynamo + s3 + other };
}

export interface MonthInputs {
  /** Each kind of run and how many happen in an average month. */
  runs: Array<{ kind: string; perMonth: number; usage: RunUsage }>;
  storage: { dynamoBytes: number; s3Bytes: number; pointInTimeRecovery: boolean };
  /** Chart files loaded by readers' browsers through CloudFront. */
  traffic: { chartLoadsPerDay: number; bytesPerLoad: number };
  fixed: { kmsKeys: number; alarms: number; customMetrics: number; secrets: number };
  workflow: Workflow;
  table: TableMode;
}

export interface CostLine {
  item: string;
  usd: number;
}

export interface MonthCost {
  total: number;
  lines: CostLine[];
  byRun: Array<{ kind: string; perMonth: number; each: RunCost; usd: number }>;
}

/** The monthly bill for `inputs`, line by line. */
export function monthlyCost(inputs: MonthInputs, p: Prices): MonthCost {
  const byRun = inputs.runs.map((r) => {
    const each = runCost(r.usage, p, inputs.workflow, inputs.table);
    return { kind: r.kind, perMonth: r.perMonth, each, usd: each.total * r.perMonth };
  });
  const sum = (f: (c: RunCost) => number) => byRun.reduce((a, r) => a + f(r.each) * r.perMonth, 0);
  const { storage, traffic, fixed } = inputs;
  const loads = traffic.chartLoadsPerDay * DAYS_PER_MONTH;
  const lines: CostLine[] = [
    { item: "Lambda (GB-seconds + requests)", usd: sum((c) => c.lambda) },
    {
      item:
        inputs.workflow === "standard"
          ? "Step Functions Standard (transitions)"
          : "Step Functions Express (requests + duration)",
      usd: sum((c) => c.workflow),
    },
    {
      item:
        inputs.table.mode === "on-demand"
          ? "DynamoDB on-demand request units"
          : `DynamoDB provisioned ${inputs.table.writeUnits} WCU + ${inputs.table.readUnits} RCU`,
      usd:
        inputs.table.mode === "on-demand"
          ? sum((c) => c.dynamo)
          : HOURS_PER_MONTH *
            (inputs.table.writeUnits * p.dynamoWcuHour + inputs.table.readUnits * p.dynamoRcuHour),
    },
    {
      item: `DynamoDB storage${storage.pointInTimeRecovery ? " + point-in-time recovery" : ""}`,
      usd:
        (storage.dynamoBytes / GB) *
        (p.dynamoStorageGbMonth + (storage.pointInTimeRecovery ? p.dynamoPitrGbMonth : 0)),
    },
    { item: "S3 requests", usd: sum((c) => c.s3) },
    { item: "S3 storage", usd: (storage.s3Bytes / GB) * p.s3StorageGbMonth },
    {
      item: "CloudFront chart loads (requests + transfer)",
      usd: loads * p.cloudfrontHttpsRequest + ((loads * traffic.bytesPerLoad) / GB) * p.cloudfrontTransferGb,
    },
    { item: "Scheduler, SNS, CloudWatch Logs ingestion", usd: sum((c) => c.other) },
    {
      item: `Fixed: ${fixed.kmsKeys} KMS keys, ${fixed.alarms} alarms, ${fixed.customMetrics} custom metrics, ${fixed.secrets} secret${fixed.secrets === 1 ? "" : "s"}`,
      usd:
        fixed.kmsKeys * p.kmsKeyMonth +
        fixed.alarms * p.cloudwatchAlarmMonth +
        fixed.customMetrics * p.cloudwatchMetricMonth +
        fixed.secrets * p.secretsManagerSecretMonth,
    },
  ];
  return { total: lines.reduce((a, l) => a + l.usd, 0), lines, byRun };
}

/** Usage scaled by a factor (the same work done `k` times), e.g. a cost per chart times charts. */
export function scaleUsage(u: RunUsage, k: number): RunUsage {
  return Object.fromEntries(Object.entries(u).map(([key, v]) => [key, v * k])) as unknown as RunUsage;
}

/** Adds usages field by field. */
export function addUsage(a: RunUsage, b: RunUsage): RunUsage {
  return Object.fromEntries(
    Object.entries(a).map(([key, v]) => [key, v + b[key as keyof RunUsage]]),
  ) as unknown as RunUsage;
}

/** Whether two costs differ by more than `factor` (the bench shows both sides of such a choice). */
export function differsBy(a: number, b: number, factor = 2): boolean {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return lo === 0 ? hi > 0 : hi / lo > factor;
}
