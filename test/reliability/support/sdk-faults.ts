/**
 * Fault injection at the SDK boundary, on the very clients the handlers use (the process-wide ones
 * from functions/adapters/aws-clients.ts). Nothing of our own code is replaced.
 *
 * Two layers:
 * - HTTP: the client's request handler answers some requests itself, the way the services do when
 *   they push back: DynamoDB `400 ThrottlingException`, S3 `503 SlowDown`. The SDK parses these
 *   into its own errors, classifies them and retries them with its retry strategy, exactly as in AWS.
 * - send(): DynamoDB `BatchWriteItem`/`BatchGetItem` that process only part of a request and hand
 *   back `UnprocessedItems`/`UnprocessedKeys` (a successful answer the SDK does not retry: our store
 *   must), and a simulated process crash: from the (k+1)-th BatchWriteItem on, every call on every
 *   client fails, as if the process had died.
 *
 * Decisions are seeded and keyed by the request itself (method, path, body, and how many times that
 * exact request was seen), so they do not depend on how concurrent requests interleave: with a frozen
 * clock the same run sees the same faults.
 *
 * Backoff: the SDK's ConfiguredRetryStrategy with the clients' own maxAttempts (DynamoDB 6, S3 4), and
 * the production shape of backoff (exponential, full jitter) at 1/200 of the SDK's delays (5 ms base
 * instead of 1 s for throttling), so a run with hundreds of injected throttles finishes in seconds.
 * Every delay is counted.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { seededRandom } from "../../support/random.js";

export type Service = "dynamodb" | "s3";

/** A process crash, simulated: not a PipelineError, not an SDK error; nothing classifies it. */
export class SimulatedCrash extends Error {
  constructor(what: string) {
    super(`simulated process crash (${what})`);
    this.name = "SimulatedCrash";
  }
}

export interface FaultPlan {
  /** Share of DynamoDB HTTP requests answered `400 ThrottlingException`. */
  dynamoThrottleRate?: number;
  /** Share of S3 HTTP requests answered `503 SlowDown`. */
  s3SlowDownRate?: number;
  /** Share of BatchWriteItem / BatchGetItem calls that process only part of their items. */
  unprocessedRate?: number;
  /** Every matching request fails, whatever the retries: the service is down. `match` gets the operation:
   * DynamoDB's ("BatchWriteItem", "PutItem"...) or S3's method and bucket ("PUT my-bucket"). */
  persistent?: { service: Service; match?: (operation: string) => boolean } | undefined;
  /** Crash on the (k+1)-th BatchWriteItem call; everything after it fails too. */
  crashAfterBatchWrites?: number | undefined;
  /** Crash on the first call for which this says so (given the command's name and the number of calls
   * of each command so far, this one included); everything after it fails too. */
  crashWhen?: ((command: string, counts: Readonly<Record<string, number>>) => boolean) | undefined;
}

export interface FaultCounters {
  /** Logical SDK calls (client.send). */
  calls: Record<Service, number>;
  /** Requests that reached the HTTP layer (first attempts and SDK retries). */
  httpAttempts: Record<Service, number>;
  injected: {
    throttling: number;
    slowDown: number;
    /** BatchWriteItem/BatchGetItem calls answered with only part of their items processed. */
    partialBatches: number;
    persistent: number;
    crash: number;
  };
  /** Items (writes or keys) those partial answers handed back unprocessed. */
  deferredItems: number;
  /** Most HTTP attempts any one call took (the SDK's retries are bounded by the client's maxAttempts). */
  maxAttempts: Record<Service, number>;
  /** BatchWriteItem calls made (each retry of leftover items counts once). */
  batchWrites: number;
  /** SDK backoff delays taken, and their sum. */
  backoffs: number;
  backoffMs: number;
}

type Send = (command: unknown, ...rest: unknown[]) => Promise<unknown>;

interface HttpRequestLike {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  headers: Record<string, string>;
  body?: unknown;
}

interface RequestHandlerLike {
  handle(request: HttpRequestLike, options?: unknown): Promise<{ response: unknown }>;
}

interface PatchableConfig {
  requestHandler: RequestHandlerLike;
  retryStrategy: () => Promise<unknown>;
  maxAttempts: () => Promise<number>;
}

function zeroCounters(): FaultCounters {
  return {
    calls: { dynamodb: 0, s3: 0 },
    httpAttempts: { dynamodb: 0, s3: 0 },
    maxAttempts: { dynamodb: 0, s3: 0 },
    injected: { throttling: 0, slowDown: 0, partialBatches: 0, persistent: 0, crash: 0 },
    deferredItems: 0,
    batchWrites: 0,
    backoffs: 0,
    backoffMs: 0,
  };
}

/** Timestamps and the content hashes derived from them vary between test runs; decisions must not. */
function stable(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, "<time>")
    .replace(/\/v\/[0-9a-f]{16}\//g, "/v/<hash>/");
}

function bodyDigest(body: unknown): string {
  if (body === undefined || body === null) return "";
  if (typeof body === "string" || body instanceof Uint8Array) {
    const text = typeof body === "string" ? body : Buffer.from(body).toString("utf8");
    return createHash("sha256").update(stable(text)).digest("hex");
  }
  return "stream";
}

function operationOf(service: Service, req: HttpRequestLike): string {
  if (service === "dynamodb") return (req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
  // Path-style addressing (emulator): /<bucket>/<key>.
  return `${req.method} ${req.path.split("/")[1] ?? ""}`;
}

const enc = new TextEncoder();

function fakeResponse(statusCode: number, headers: Record<string, string>, body: string) {
  const bytes = enc.encode(body);
  return {
    response: {
      statusCode,
      reason: undefined,
      headers: { ...headers, "content-length": String(bytes.byteLength) },
      body: Readable.from(bytes.byteLength > 0 ? [Buffer.from(bytes)] : []),
    },
  };
}

function throttlingResponse() {
  return fakeResponse(
    400,
    {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-requestid": "INJECTED",
      "x-amzn-errortype": "ThrottlingException",
    },
    JSON.stringify({
      __type: "com.amazonaws.dynamodb.v20120810#ThrottlingException",
      message: "Rate of requests exceeds the allowed throughput (injected).",
    }),
  );
}

function slowDownResponse(method: string) {
  return fakeResponse(
    503,
    { "content-type": "application/xml", "x-amz-request-id": "INJECTED" },
    method === "HEAD"
      ? ""
      : '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate (injected).</Message><RequestId>INJECTED</RequestId></Error>',
  );
}

export class SdkFaults {
  plan: FaultPlan = {};
  counters: FaultCounters = zeroCounters();
  private crashed = false;
  private readonly perCommand: Record<string, number> = {};
  private readonly seen = new Map<string, number>();
  private readonly jitter: () => number;
  private readonly undo: Array<() => void> = [];
  private readonly freshQuotas: Array<() => void> = [];
  /** Called with every logical call before it is sent (e.g. to log chart writes). */
  readonly observers: Array<(service: Service, command: unknown) => void> = [];

  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly s3: S3Client,
    private readonly seed = 20260807,
  ) {
    this.jitter = seededRandom(seed);
  }

  /** Patches both clients. Idempotent until uninstall(). */
  async install(): Promise<this> {
    if (this.undo.length > 0) return this;
    await this.patch("dynamodb", this.dynamo);
    await this.patch("s3", this.s3);
    return this;
  }

  uninstall(): void {
    for (const u of this.undo.splice(0).reverse()) u();
  }

  /** New plan, counters from zero, crash state cleared ("the process restarted"). */
  set(plan: FaultPlan): void {
    this.plan = plan;
    this.counters = zeroCounters();
    this.crashed = false;
    this.seen.clear();
    for (const k of Object.keys(this.perCommand)) delete this.perCommand[k];
  }

  /**
   * The next run of the same scenario, as a new process: counters from zero, crash state cleared,
   * fresh SDK retry quotas; the plan and the per-request draws carry on (a request that failed every
   * attempt in one run is not doomed to fail the same way in the next).
   */
  nextRun(): void {
    this.counters = zeroCounters();
    this.crashed = false;
    for (const k of Object.keys(this.perCommand)) delete this.perCommand[k];
    for (const fresh of this.freshQuotas) fresh();
  }

  /** Total faults injected so far. */
  get faults(): number {
    return Object.values(this.counters.injected).reduce((a, b) => a + b, 0);
  }

  /** SDK retries so far: HTTP attempts beyond each call's first. */
  get sdkRetries(): number {
    const c = this.counters;
    return c.httpAttempts.dynamodb + c.httpAttempts.s3 - c.calls.dynamodb - c.calls.s3;
  }

  /** A uniform number in [0, 1) fixed by the seed and the request's identity. */
  private draw(identity: string): number {
    const n = (this.seen.get(identity) ?? 0) + 1;
    this.seen.set(identity, n);
    const h = createHash("sha256").update(`${this.seed}|${identity}|${n}`).digest();
    return h.readUInt32BE(0) / 4294967296;
  }

  private async patch(service: Service, client: DynamoDBClient | S3Client): Promise<void> {
    const config = client.config as unknown as PatchableConfig;
    // HTTP layer.
    const handler = config.requestHandler;
    const originalHandle = handler.handle;
    handler.handle = async (req: HttpRequestLike, options?: unknown) => {
      this.counters.httpAttempts[service]++;
      if (this.crashed) throw new SimulatedCrash("the process is gone");
      const operation = operationOf(service, req);
      const persistent = this.plan.persistent;
      if (persistent?.service === service && (!persistent.match || persistent.match(operation))) {
        this.counters.injected.persistent++;
        return service === "dynamodb" ? throttlingResponse() : slowDownResponse(req.method);
      }
      const rate =
        service === "dynamodb" ? (this.plan.dynamoThrottleRate ?? 0) : (this.plan.s3SlowDownRate ?? 0);
      if (rate > 0) {
        const identity = stable(
          `${service}|${req.method}|${req.path}|${JSON.stringify(req.query ?? {})}|${operation}|${bodyDigest(req.body)}`,
        );
        if (this.draw(identity) < rate) {
          if (service === "dynamodb") {
            this.counters.injected.throttling++;
            return throttlingResponse();
          }
          this.counters.injected.slowDown++;
          return slowDownResponse(req.method);
        }
      }
      return originalHandle.call(handler, req, options);
    };
    this.undo.push(() => {
      handler.handle = originalHandle;
    });

    // Retry strategy: the SDK's own, with the client's maxAttempts, delays scaled down and counted.
    const maxAttempts = await config.maxAttempts();
    const originalStrategy = config.retryStrategy;
    const newStrategy = () =>
      new ConfiguredRetryStrategy(maxAttempts, (attempt: number) => {
        const delay = Math.floor(this.jitter() * Math.min(100, 5 * 2 ** attempt));
        this.counters.backoffs++;
        this.counters.backoffMs += delay;
        return delay;
      });
    let strategy = newStrategy();
    config.retryStrategy = async () => strategy;
    this.freshQuotas.push(() => {
      strategy = newStrategy();
    });
    this.undo.push(() => {
      config.retryStrategy = originalStrategy;
    });

    // send(): partial batches and crashes.
    const target = client as unknown as { send: Send };
    const originalSend = target.send;
    const note = (x: unknown) => {
      const attempts = (x as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1;
      this.counters.maxAttempts[service] = Math.max(this.counters.maxAttempts[service], attempts);
    };
    const boundSend: Send = async (command, ...rest) => {
      try {
        const out = await originalSend.call(client, command, ...rest);
        note(out);
        return out;
      } catch (err) {
        note(err);
        throw err;
      }
    };
    target.send = async (command: unknown, ...rest: unknown[]) => {
      this.counters.calls[service]++;
      if (this.crashed) throw new SimulatedCrash("the process is gone");
      for (const observe of this.observers) observe(service, command);
      const name = (command as object).constructor.name;
      this.perCommand[name] = (this.perCommand[name] ?? 0) + 1;
      if (this.plan.crashWhen?.(name, this.perCommand)) {
        this.crashed = true;
        this.counters.injected.crash++;
        throw new SimulatedCrash(`at ${name} #${this.perCommand[name]}`);
      }
      if (service === "dynamodb" && command instanceof BatchWriteItemCommand) {
        this.counters.batchWrites++;
        const k = this.plan.crashAfterBatchWrites;
        if (k !== undefined && this.counters.batchWrites > k) {
          this.crashed = true;
          this.counters.injected.crash++;
          throw new SimulatedCrash(`at BatchWriteItem #${this.counters.batchWrites}`);
        }
        return this.partialWrite(command, boundSend, rest);
      }
      if (service === "dynamodb" && command instanceof BatchGetItemCommand) {
        return this.partialGet(command, boundSend, rest);
      }
      return boundSend(command, ...rest);
    };
    this.undo.push(() => {
      target.send = originalSend;
    });
  }

  /** Writes a leading part of the batch and hands the rest back as UnprocessedItems. */
  private async partialWrite(command: BatchWriteItemCommand, send: Send, rest: unknown[]): Promise<unknown> {
    const rate = this.plan.unprocessedRate ?? 0;
    const entries = Object.entries(command.input.RequestItems ?? {});
    const [table, requests] = entries[0] ?? [];
    if (rate <= 0 || !table || !requests || requests.length < 2 || entries.length !== 1) {
      return send(command, ...rest);
    }
    const identity = stable(`BatchWriteItem|${JSON.stringify(command.input)}`);
    if (this.draw(identity) >= rate) return send(command, ...rest);
    const keep = Math.max(1, Math.floor(this.draw(`${identity}|split`) * requests.length));
    const leftover: WriteRequest[] = requests.slice(keep);
    this.counters.injected.partialBatches++;
    this.counters.deferredItems += leftover.length;
    const out = (await send(
      new BatchWriteItemCommand({ ...command.input, RequestItems: { [table]: requests.slice(0, keep) } }),
      ...rest,
    )) as BatchWriteItemCommandOutput;
    const already = out.UnprocessedItems?.[table] ?? [];
    return { ...out, UnprocessedItems: { [table]: [...already, ...leftover] } };
  }

  /** Reads a leading part of the keys and hands the rest back as UnprocessedKeys. */
  private async partialGet(command: BatchGetItemCommand, send: Send, rest: unknown[]): Promise<unknown> {
    const rate = this.plan.unprocessedRate ?? 0;
    const entries = Object.entries(command.input.RequestItems ?? {});
    const [table, spec] = entries[0] ?? [];
    const keys = spec?.Keys ?? [];
    if (rate <= 0 || !table || !spec || keys.length < 2 || entries.length !== 1)
      return send(command, ...rest);
    const identity = stable(`BatchGetItem|${JSON.stringify(command.input)}`);
    if (this.draw(identity) >= rate) return send(command, ...rest);
    const keep = Math.max(1, Math.floor(this.draw(`${identity}|split`) * keys.length));
    this.counters.injected.partialBatches++;
    this.counters.deferredItems += keys.length - keep;
    const out = (await send(
      new BatchGetItemCommand({
        ...command.input,
        RequestItems: { [table]: { ...spec, Keys: keys.slice(0, keep) } },
      }),
      ...rest,
    )) as BatchGetItemCommandOutput;
    const already = out.UnprocessedKeys?.[table]?.Keys ?? [];
    const leftover: KeysAndAttributes = { ...spec, Keys: [...already, ...keys.slice(keep)] };
    return { ...out, UnprocessedKeys: { [table]: leftover } };
  }
}
