/**
 * DynamoDB implementation of ReleaseStore and ObservationStore, on one table.
 *
 * Table: partition key `pk` (S), sort key `sk` (S); global secondary index `gsi1` on `gsi1pk` (S) /
 * `gsi1sk` (S), projection ALL; on-demand billing.
 *
 * | item        | pk                | sk                                             | gsi1pk                                          | gsi1sk                              | other                  |
 * |-------------|-------------------|------------------------------------------------|-------------------------------------------------|-------------------------------------|------------------------|
 * | observation | `S#<seriesKey>`   | `O#<kind>#<period>#<vintage>`                  | `X#<commodity>#<currency>#<kind>#<period>`      | `<partnerCode>#<flow>#<vintage>`    | `value` (N), `doc` (S) |
 * | revision    | `S#<seriesKey>`   | `R#<kind>#<period>#<vintage>#<revisedAt>`      | –                                               | –                                   | `doc` (S)              |
 * | release     | `RELEASE`         | `<releaseId>`                                  | –                                               | –                                   | `doc` (S)              |
 *
 * - One partition per series (reporter|partner|flow|commodity|currency): a chart's series is one
 *   Query on `pk`, observations (`O#`) and revisions (`R#`) together, never a Scan.
 * - A cross-section (every partner, flow and vintage of one commodity/currency/kind/period, e.g. "all
 *   partners' imports in 2023-08") is one Query on `gsi1`.
 * - `doc` is the JSON of the domain object and is what reads return: strings stay strings ("03011100",
 *   "2023-01/02") and numbers round-trip exactly (JSON and DynamoDB N both hold 11500000000 exactly).
 *   `value` is kept as a native number for ad-hoc inspection only.
 *
 * Attributes are marshalled by hand (no lib-dynamodb): the item shape is small and fixed.
 * Batch calls retry what DynamoDB leaves unprocessed with bounded exponential backoff and full jitter;
 * whatever is still left after the budget becomes a StoreUnavailable (retryable) naming the count.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { StoreIntegrityError, StoreUnavailable } from "../domain/errors.js";
import type { Release, Revision } from "../domain/model.js";
import {
  addressKey,
  type CrossSection,
  type ObservationAddress,
  type ObservationStore,
  type ReleaseStore,
  type StoredObservation,
  type WriteStats,
} from "../domain/ports.js";
import { errorNameOf, storeFailure } from "./aws-clients.js";
import { RELEASE_PK, seriesPk } from "./dynamo-keys.js";
import { type DynamoSender, DynamoTable } from "./dynamo-table.js";

export const GSI1 = "gsi1";
/** DynamoDB's per-call limits. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

type Item = Record<string, AttributeValue>;

/** What the store needs of a DynamoDB client: its `send`. Tests may pass a wrapper at this boundary. */
export type { DynamoSender } from "./dynamo-table.js";

// ---- keys ----------------------------------------------------------------------------------------

export function observationSk(a: Pick<ObservationAddress, "kind" | "period" | "vintage">): string {
  return `O#${a.kind}#${a.period}#${a.vintage}`;
}

export function revisionSk(r: Pick<Revision, "kind" | "period" | "vintage" | "revisedAt">): string {
  return `R#${r.kind}#${r.period}#${r.vintage}#${r.revisedAt}`;
}

export function crossSectionPk(x: CrossSection): string {
  return `X#${x.commodity}#${x.currency}#${x.kind}#${x.period}`;
}

function s(value: string): AttributeValue {
  return { S: value };
}

function n(value: number, what: string): AttributeValue {
  if (!Number.isFinite(value)) {
    throw new StoreIntegrityError(
      `Refused to store ${what}: its value ${value} is not a finite number.`,
      "DynamoDB",
      what,
    );
  }
  return { N: String(value) };
}

export function observationItem(o: StoredObservation): Item {
  const sk = observationSk(o);
  return {
    pk: s(seriesPk(o.seriesKey)),
    sk: s(sk),
    gsi1pk: s(crossSectionPk(o)),
    gsi1sk: s(`${o.partner.code}#${o.flow}#${o.vintage}`),
    value: n(o.value, `${o.seriesKey} ${sk}`),
    doc: s(JSON.stringify(o)),
  };
}

export function revisionItem(r: Revision): Item {
  return { pk: s(seriesPk(r.seriesKey)), sk: s(revisionSk(r)), doc: s(JSON.stringify(r)) };
}

export function releaseItem(r: Release): Item {
  return { pk: s(RELEASE_PK), sk: s(r.releaseId), doc: s(JSON.stringify(r)) };
}

function keyString(item: Item): string {
  return `${item.pk?.S ?? ""}\u0000${item.sk?.S ?? ""}`;
}

function readDoc<T>(item: Item, table: string): T {
  const raw = item.doc?.S;
  const where = `${item.pk?.S ?? "?"} / ${item.sk?.S ?? "?"}`;
  if (raw === undefined) {
    throw new StoreIntegrityError(
      `Item ${where} in table ${table} has no doc attribute.`,
      `table ${table}`,
      where,
    );
  }
  try {
    return JSON.parse(raw) as T;
  } catch (err) {
    throw new StoreIntegrityError(
      `Item ${where} in table ${table} holds unreadable JSON (${err instanceof Error ? err.message : String(err)}).`,
      `table ${table}`,
      where,
    );
  }
}

// ---- store ---------------------------------------------------------------------------------------

export interface DynamoStats {
  /** GetItem and BatchGetItem calls (retries included). */
  reads: number;
  /** BatchWriteItem and PutItem calls (retries included). */
  writeRequests: number;
  /** Items that landed. */
  writeItems: number;
  /** Query pages. */
  queries: number;
  /** Always 0: this store never scans. Kept so benchmarks can assert it. */
  scans: number;
  /** Batch calls repeated because DynamoDB left part of them unprocessed. */
  retries: number;
}

export interface DynamoStoreOptions {
  /** Calls per batch including the first, before giving up on what is still unprocessed. Default 8. */
  maxBatchAttempts?: number;
  /** Backoff before retry k is random() × min(maxDelayMs, baseDelayMs × 2^k). Defaults 50 ms / 2 s. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Batches in flight at once. Default 4. */
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** Runs `work` over `inputs` with at most `limit` in flight; stops starting new work after a failure. */
async function pool<T>(inputs: T[], limit: number, work: (input: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < inputs.length) {
      const input = inputs[next++] as T;
      try {
        await work(input);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
}

export class DynamoStore extends DynamoTable implements ReleaseStore, ObservationStore {
  readonly stats: DynamoStats = {
    reads: 0,
    writeRequests: 0,
    writeItems: 0,
    queries: 0,
    scans: 0,
    retries: 0,
  };
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly concurrency: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(client: DynamoSender, tableName: string, options: DynamoStoreOptions = {}) {
    super(client, tableName);
    this.maxAttempts = Math.max(1, options.maxBatchAttempts ?? 8);
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.maxDelayMs = options.maxDelayMs ?? 2000;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  resetStats(): void {
    Object.assign(this.stats, {
      reads: 0,
      writeRequests: 0,
      writeItems: 0,
      queries: 0,
      scans: 0,
      retries: 0,
    });
  }

  private backoff(retry: number): Promise<void> {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** retry);
    return this.sleep(Math.floor(this.random() * cap));
  }

  // ---- releases ----

  async getRelease(releaseId: string): Promise<Release | undefined> {
    this.stats.reads++;
    const res = await this.send(`read release ${releaseId}`, () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: s(RELEASE_PK), sk: s(releaseId) },
          ConsistentRead: true,
        }),
      ),
    );
    return res.Item ? readDoc<Release>(res.Item, this.tableName) : undefined;
  }

  async putRelease(release: Release): Promise<void> {
    this.stats.writeRequests++;
    await this.send(`save release ${release.releaseId}`, () =>
      this.client.send(new PutItemCommand({ TableName: this.tableName, Item: releaseItem(release) })),
    );
    this.stats.writeItems++;
  }

  async listReleases(): Promise<Release[]> {
    const items = await this.queryAll("list releases", {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": s(RELEASE_PK) },
      ConsistentRead: true,
    });
    return items.map((i) => readDoc<Release>(i, this.tableName));
  }

  // ---- observations ----

  async getMany(addresses: ObservationAddress[]): Promise<Map<string, StoredObservation>> {
    const found = new Map<string, StoredObservation>();
    // BatchGetItem rejects a request that names the same key twice.
    const keys = new Map<string, Item>();
    for (const a of addresses) {
      const key = { pk: s(seriesPk(a.seriesKey)), sk: s(observationSk(a)) };
      keys.set(keyString(key), key);
    }
    let missing = 0;
    await pool(chunk([...keys.values()], BATCH_GET_LIMIT), this.concurrency, async (batch) => {
      let pending: Item[] = batch;
      for (let attempt = 0; pending.length > 0 && attempt < this.maxAttempts; attempt++) {
        if (attempt > 0) {
          this.stats.retries++;
          await this.backoff(attempt);
        }
        this.stats.reads++;
        const res = await this.send(`read ${pending.length} observations`, () =>
          this.client.send(
            new BatchGetItemCommand({
              RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
            }),
          ),
        );
        for (const item of res.Responses?.[this.tableName] ?? []) {
          const o = readDoc<StoredObservation>(item, this.tableName);
          found.set(addressKey(o), o);
        }
        pending = res.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
      missing += pending.length;
    });
    if (missing > 0) {
      throw new StoreUnavailable(
        `${missing} of ${keys.size} observations could not be read from ${this.label}: DynamoDB kept ` +
          `deferring them after ${this.maxAttempts} attempts (throttling). Run again later; nothing was written.`,
        this.label,
      );
    }
    return found;
  }

  async write(observations: StoredObservation[], revisions: Revision[]): Promise<WriteStats> {
    // BatchWriteItem rejects a request that names the same key twice: the last one given wins.
    const items = new Map<string, Item>();
    for (const o of observations) {
      const item = observationItem(o);
      items.set(keyString(item), item);
    }
    for (const r of revisions) {
      const item = revisionItem(r);
      items.set(keyString(item), item);
    }
    const total = items.size;
    let requests = 0;
    let unprocessed = 0;
    await pool(chunk([...items.values()], BATCH_WRITE_LIMIT), this.concurrency, async (batch) => {
      let pending: WriteRequest[] = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0 && attempt < this.maxAttempts; attempt++) {
        if (attempt > 0) {
          this.stats.retries++;
          await this.backoff(attempt);
        }
        requests++;
        this.stats.writeRequests++;
        const sent = pending;
        const res = await this.send(`write ${sent.length} items`, () =>
          this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: sent } })),
        );
        pending = res.UnprocessedItems?.[this.tableName] ?? [];
        this.stats.writeItems += sent.length - pending.length;
      }
      unprocessed += pending.length;
    });
    if (unprocessed > 0) {
      throw new StoreUnavailable(
        `${unprocessed} of ${total} items did not land in ${this.label}: DynamoDB kept deferring them after ` +
          `${this.maxAttempts} attempts per batch (throttling). The release is not complete; run again later ` +
          "(writes are idempotent, so what did land is simply written again).",
        this.label,
      );
    }
    return { requests, items: total };
  }

  async querySeries(
    seriesKey: string,
  ): Promise<{ observations: StoredObservation[]; revisions: Revision[] }> {
    const items = await this.queryAll(`read series ${seriesKey}`, {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": s(seriesPk(seriesKey)) },
      ConsistentRead: true,
    });
    const observations: StoredObservation[] = [];
    const revisions: Revision[] = [];
    for (const item of items) {
      const sk = item.sk?.S ?? "";
      if (sk.startsWith("O#")) observations.push(readDoc<StoredObservation>(item, this.tableName));
      else if (sk.startsWith("R#")) revisions.push(readDoc<Revision>(item, this.tableName));
    }
    return { observations, revisions };
  }

  async queryCrossSection(slice: CrossSection): Promise<StoredObservation[]> {
    const items = await this.queryAll(`read cross-section ${crossSectionPk(slice)}`, {
      IndexName: GSI1,
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": s(crossSectionPk(slice)) },
    });
    return items.map((i) => readDoc<StoredObservation>(i, this.tableName));
  }

  private async queryAll(
    action: string,
    input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">,
  ): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      this.stats.queries++;
      const res = await this.send(action, () =>
        this.client.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start })),
      );
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }
}

// ---- table ---------------------------------------------------------------------------------------

/**
 * Creates the table with its index (for the local runner and tests; in AWS the CDK stack owns it).
 * Idempotent: an existing table is left as it is. Resolves once the table and index are ACTIVE.
 */
export async function createTable(
  client: DynamoSender,
  tableName: string,
  timeoutMs = 30_000,
): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
          { AttributeName: "gsi1pk", AttributeType: "S" },
          { AttributeName: "gsi1sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: GSI1,
            KeySchema: [
              { AttributeName: "gsi1pk", KeyType: "HASH" },
              { AttributeName: "gsi1sk", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      }),
    );
  } catch (err) {
    if (errorNameOf(err) !== "ResourceInUseException")
      throw storeFailure(err, `table ${tableName}`, "create it");
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === "ACTIVE");
    if (Table?.TableStatus === "ACTIVE" && indexesActive) return;
    if (Date.now() > deadline) {
      throw new StoreUnavailable(
        `Table ${tableName} did not become active within ${timeoutMs} ms (status ${Table?.TableStatus ?? "unknown"}).`,
        `table ${tableName}`,
      );
    }
    await defaultSleep(50);
  }
}
