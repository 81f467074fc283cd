/**
 * DynamoDB implementation of the run ports (functions/domain/ports.ts) on the pipeline's single
 * table (see dynamo-store.ts for the other items):
 *
 * | item  | pk      | sk              | other                                                        |
 * |-------|---------|-----------------|--------------------------------------------------------------|
 * | run   | `RUN`   | `<runId>`       | `doc` (S): the RunRecord as JSON                              |
 * | lock  | `LOCK`  | `pipeline`      | `runId` (S), `acquiredAt` (S), `expiresAt` (N, epoch ms), `expiresAtIso` (S) |
 * | audit | `AUDIT` | `<iso time>#<id>` | `doc` (S): the AuditEntry as JSON                          |
 *
 * Run ids and audit sort keys start with the time, so "newest first" is one Query in reverse order.
 * The lock is one conditional write: taken when absent or expired (`attribute_not_exists(pk) OR
 * expiresAt < :now`), renewed, taken over and released only by the run that holds it.
 */
import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { StoreIntegrityError } from "../domain/errors.js";
import type { AuditLog, RunLock, RunStore } from "../domain/ports.js";
import type { AuditEntry, LockState, RunRecord } from "../domain/runs.js";
import { errorNameOf, storeFailure } from "./aws-clients.js";
import { AUDIT_PK, LOCK_PK, LOCK_SK, RUN_PK } from "./dynamo-keys.js";
import { DynamoTable } from "./dynamo-table.js";

type Item = Record<string, AttributeValue>;

const s = (value: string): AttributeValue => ({ S: value });

function isConditionFailure(err: unknown): boolean {
  return errorNameOf(err) === "ConditionalCheckFailedException";
}

export class DynamoRunStore extends DynamoTable implements RunStore, RunLock, AuditLog {
  private readDoc<T>(item: Item): T {
    const where = `${item.pk?.S ?? "?"} / ${item.sk?.S ?? "?"}`;
    try {
      return JSON.parse(item.doc?.S ?? "") as T;
    } catch {
      throw new StoreIntegrityError(
        `Item ${where} in ${this.label} holds no readable doc.`,
        this.label,
        where,
      );
    }
  }

  private async newest(pk: string, limit: number, action: string): Promise<Item[]> {
    const res = await this.send(action, () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": s(pk) },
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
        }),
      ),
    );
    return res.Items ?? [];
  }

  // ---- runs ----

  async putRun(run: RunRecord): Promise<void> {
    await this.send(`save run ${run.runId}`, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: s(RUN_PK), sk: s(run.runId), doc: s(JSON.stringify(run)) },
        }),
      ),
    );
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const res = await this.send(`read run ${runId}`, () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: s(RUN_PK), sk: s(runId) },
          ConsistentRead: true,
        }),
      ),
    );
    return res.Item ? this.readDoc<RunRecord>(res.Item) : undefined;
  }

  async listRuns(limit: number): Promise<RunRecord[]> {
    return (await this.newest(RUN_PK, limit, "list runs")).map((i) => this.readDoc<RunRecord>(i));
  }

  // ---- lock ----

  private lockItem(runId: string, now: Date, ttlMs: number): Item {
    const expires = now.getTime() + ttlMs;
    return {
      pk: s(LOCK_PK),
      sk: s(LOCK_SK),
      runId: s(runId),
      acquiredAt: s(now.toISOString()),
      expiresAt: { N: String(expires) },
      expiresAtIso: s(new Date(expires).toISOString()),
    };
  }

  async acquire(
    runId: string,
    now: Date,
    ttlMs: number,
  ): Promise<{ acquired: true } | { acquired: false; holder: LockState }> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: this.lockItem(runId, now, ttlMs),
          ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now",
          ExpressionAttributeValues: { ":now": { N: String(now.getTime()) } },
        }),
      );
      return { acquired: true };
    } catch (err) {
      if (!isConditionFailure(err)) throw storeFailure(err, this.label, "take the pipeline lock");
    }
    const holder = await this.current();
    // Released between our write and our read: try once more.
    if (!holder) return this.acquire(runId, now, ttlMs);
    return { acquired: false, holder };
  }

  async takeOver(fromRunId: string, runId: string, now: Date, ttlMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: this.lockItem(runId, now, ttlMs),
          ConditionExpression: "attribute_not_exists(pk) OR runId = :from OR expiresAt < :now",
          ExpressionAttributeValues: { ":from": s(fromRunId), ":now": { N: String(now.getTime()) } },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw storeFailure(err, this.label, "take over the pipeline lock");
    }
  }

  async renew(runId: string, now: Date, ttlMs: number): Promise<boolean> {
    const expires = now.getTime() + ttlMs;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: s(LOCK_PK), sk: s(LOCK_SK) },
          UpdateExpression: "SET expiresAt = :e, expiresAtIso = :iso",
          ConditionExpression: "runId = :id",
          ExpressionAttributeValues: {
            ":e": { N: String(expires) },
            ":iso": s(new Date(expires).toISOString()),
            ":id": s(runId),
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw storeFailure(err, this.label, "renew the pipeline lock");
    }
  }

  async release(runId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { pk: s(LOCK_PK), sk: s(LOCK_SK) },
          ConditionExpression: "runId = :id",
          ExpressionAttributeValues: { ":id": s(runId) },
        }),
      );
    } catch (err) {
      // Someone else holds it now (ours expired and was taken): nothing of ours to release.
      if (!isConditionFailure(err)) throw storeFailure(err, this.label, "release the pipeline lock");
    }
  }

  async current(): Promise<LockState | undefined> {
    const res = await this.send("read the pipeline lock", () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: s(LOCK_PK), sk: s(LOCK_SK) },
          ConsistentRead: true,
        }),
      ),
    );
    const item = res.Item;
    if (!item) return undefined;
    const expires = Number(item.expiresAt?.N ?? "0");
    return {
      runId: item.runId?.S ?? "",
      acquiredAt: item.acquiredAt?.S ?? "",
      expiresAt: new Date(expires).toISOString(),
    };
  }

  // ---- audit ----

  async putAudit(entry: AuditEntry): Promise<void> {
    await this.send(`record audit entry ${entry.id}`, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: s(AUDIT_PK), sk: s(`${entry.at}#${entry.id}`), doc: s(JSON.stringify(entry)) },
        }),
      ),
    );
  }

  async countRefusal(entry: AuditEntry, at: string): Promise<void> {
    await this.send(`count a refusal into audit entry ${entry.id}`, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: s(AUDIT_PK), sk: s(`${entry.at}#${entry.id}`) },
          UpdateExpression: "SET doc = if_not_exists(doc, :doc), lastAt = :at ADD refusals :one",
          ExpressionAttributeValues: { ":doc": s(JSON.stringify(entry)), ":at": s(at), ":one": { N: "1" } },
        }),
      ),
    );
  }

  /** The entry's document, with the refusal count kept beside it (see countRefusal). */
  private auditOf(item: Item): AuditEntry {
    const entry = this.readDoc<AuditEntry>(item);
    const count = item.refusals?.N;
    return count ? { ...entry, count: Number(count), lastAt: item.lastAt?.S } : entry;
  }

  async getAudit(at: string, id: string): Promise<AuditEntry | undefined> {
    const res = await this.send(`read audit entry ${id}`, () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: s(AUDIT_PK), sk: s(`${at}#${id}`) },
          ConsistentRead: true,
        }),
      ),
    );
    return res.Item ? this.auditOf(res.Item) : undefined;
  }

  async recentAudit(limit: number): Promise<AuditEntry[]> {
    return (await this.newest(AUDIT_PK, limit, "list audit entries")).map((i) => this.auditOf(i));
  }
}
