/**
 * DynamoDB implementation of the publish guard's ChartHoldStore (functions/domain/ports.ts)
 * on the pipeline's single table (see dynamo-store.ts for the other items):
 *
 * | item | pk     | sk          | other                                  |
 * |------|--------|-------------|----------------------------------------|
 * | hold | `HOLD` | `<chartId>` | `doc` (S): the ChartHold as JSON        |
 *
 * One item per chart, rewritten as the hold moves from held to accepted to released; every hold is
 * one Query on `pk = HOLD`.
 */
import { type AttributeValue, GetItemCommand, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import type { ChartHold } from "../domain/chart-holds.js";
import { StoreIntegrityError } from "../domain/errors.js";
import type { ChartHoldStore } from "../domain/ports.js";
import { HOLD_PK } from "./dynamo-keys.js";
import { DynamoTable } from "./dynamo-table.js";

type Item = Record<string, AttributeValue>;

export class DynamoChartHoldStore extends DynamoTable implements ChartHoldStore {
  private readDoc(item: Item): ChartHold {
    const where = `${item.pk?.S ?? "?"} / ${item.sk?.S ?? "?"}`;
    try {
      return JSON.parse(item.doc?.S ?? "") as ChartHold;
    } catch {
      throw new StoreIntegrityError(
        `Item ${where} in ${this.label} holds no readable hold record.`,
        this.label,
        where,
      );
    }
  }

  async getHold(chartId: string): Promise<ChartHold | undefined> {
    const res = await this.send(`read the hold of chart ${chartId}`, () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: HOLD_PK }, sk: { S: chartId } },
          ConsistentRead: true,
        }),
      ),
    );
    return res.Item ? this.readDoc(res.Item) : undefined;
  }

  async putHold(hold: ChartHold): Promise<void> {
    await this.send(`record the hold of chart ${hold.chartId}`, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: { S: HOLD_PK }, sk: { S: hold.chartId }, doc: { S: JSON.stringify(hold) } },
        }),
      ),
    );
  }

  async listHolds(): Promise<ChartHold[]> {
    const out: ChartHold[] = [];
    let start: Item | undefined;
    do {
      const res = await this.send("list chart holds", () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": { S: HOLD_PK } },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of res.Items ?? []) out.push(this.readDoc(item));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
