/**
 * Counts what the pipeline asks of DynamoDB, at the SDK boundary: requests by operation (retries of
 * unprocessed items included, as DynamoStore sends them), items written, and write units.
 *
 * Write units are computed from the sizes of the items written, with DynamoDB's published rules:
 * an item's size is the sum of its attribute names' and values' lengths (strings in UTF-8 bytes,
 * numbers about one byte per two significant digits plus one), and each put costs ceil(size / 1 KB)
 * write units on the table, plus the same again on the global secondary index when the item carries
 * its key (gsi1pk: observations do, revisions and release records don't; the index projects ALL).
 * We also ask the emulator for ReturnConsumedCapacity and keep its table figure as a cross-check (it
 * charges an overwrite at the larger of the old and new sizes, as DynamoDB does).
 */
import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";

export interface WriteTally {
  /** Requests by operation name ("BatchWriteItem", "PutItem", "Query"...). */
  requests: Record<string, number>;
  /** Items sent in write requests (a re-sent unprocessed item counts again). */
  itemsWritten: number;
  /** The same, by operation ("BatchWriteItem", "PutItem"). */
  itemsByOp: Record<string, number>;
  /** Items by size band, to show whether any is over 1 KB. */
  largestItemBytes: number;
  tableWriteUnits: number;
  indexWriteUnits: number;
  /** What the emulator reported for the table (ReturnConsumedCapacity). */
  emulatorTableWriteUnits: number;
}

type Item = Record<string, AttributeValue>;

const WRITE_OPS = new Set(["PutItem", "BatchWriteItem", "UpdateItem", "DeleteItem", "TransactWriteItems"]);

function utf8(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** DynamoDB's size of a number: ~1 byte per 2 significant digits, plus 1. */
function numberSize(text: string): number {
  const digits = text
    .replace(/^-/, "")
    .replace(/e.*$/i, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((a, s) => a + utf8(s), 0);
  if (v.NS) return v.NS.reduce((a, s) => a + numberSize(s), 0);
  if (v.L) return 3 + v.L.reduce((a, x) => a + 1 + valueSize(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((a, [k, x]) => a + 1 + utf8(k) + valueSize(x), 0);
  return 0;
}

export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

export function emptyTally(): WriteTally {
  return {
    requests: {},
    itemsWritten: 0,
    itemsByOp: {},
    largestItemBytes: 0,
    tableWriteUnits: 0,
    indexWriteUnits: 0,
    emulatorTableWriteUnits: 0,
  };
}

export class DynamoMeter {
  private tally = emptyTally();

  /** Starts counting on this client (once per client). */
  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const op = context.commandName?.replace(/Command$/, "") ?? "unknown";
        const input = args.input as Record<string, unknown>;
        const t = this.tally;
        t.requests[op] = (t.requests[op] ?? 0) + 1;
        if (WRITE_OPS.has(op)) {
          input.ReturnConsumedCapacity = "TOTAL";
          for (const item of writtenItems(op, input)) this.addItem(op, item);
        }
        const result = await next(args);
        if (WRITE_OPS.has(op)) {
          const out = result.output as { ConsumedCapacity?: unknown };
          const consumed = Array.isArray(out.ConsumedCapacity)
            ? out.ConsumedCapacity
            : [out.ConsumedCapacity];
          for (const c of consumed as Array<{ CapacityUnits?: number } | undefined>) {
            t.emulatorTableWriteUnits += c?.CapacityUnits ?? 0;
          }
        }
        return result;
      },
      { step: "initialize", name: "benchDynamoMeter" },
    );
  }

  private addItem(op: string, item: Item): void {
    const t = this.tally;
    t.itemsByOp[op] = (t.itemsByOp[op] ?? 0) + 1;
    const size = itemSize(item);
    const units = Math.ceil(size / 1024);
    t.itemsWritten++;
    t.largestItemBytes = Math.max(t.largestItemBytes, size);
    t.tableWriteUnits += units;
    if (item.gsi1pk && item.gsi1sk) t.indexWriteUnits += units;
  }

  /** What was counted since the last call, and starts again from zero. */
  take(): WriteTally {
    const t = this.tally;
    this.tally = emptyTally();
    return t;
  }
}

function writtenItems(op: string, input: Record<string, unknown>): Item[] {
  if (op === "PutItem") return [input.Item as Item];
  if (op === "BatchWriteItem") {
    const byTable = input.RequestItems as Record<string, Array<{ PutRequest?: { Item?: Item } }>>;
    return Object.values(byTable)
      .flat()
      .flatMap((r) => (r.PutRequest?.Item ? [r.PutRequest.Item] : []));
  }
  return [];
}

export function writeRequestsOf(t: WriteTally): number {
  return Object.entries(t.requests)
    .filter(([op]) => WRITE_OPS.has(op))
    .reduce((a, [, n]) => a + n, 0);
}
