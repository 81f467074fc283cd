/**
 * What the deployed-shape functions ask of DynamoDB and S3, counted at their SDK boundary (the
 * recording proxy every function's endpoints point at; test/deployed/support/recording-proxy.ts):
 * requests by operation, and DynamoDB's request units from the items on the wire, with DynamoDB's
 * published rules (the same item-size rule as dynamo-meter.ts):
 *
 * - write: ceil(item size / 1 KB) per item put (PutItem, each BatchWriteItem put), doubled inside a
 *   transaction, plus the same again on gsi1 when the item carries its key (the index projects ALL);
 *   UpdateItem and DeleteItem, whose item the request does not carry, count 1 (every item here is
 *   under 1 KB; dynamo-meter.ts checks that on the write benchmark);
 * - read: ceil(bytes returned / 4 KB), halved for an eventually consistent read; a Query's bytes are
 *   the sum of the items of its page; BatchGetItem per item; a transaction's reads doubled.
 *
 * An answer that is an error (4xx/5xx) is counted as a request but no units (a conditional-check
 * failure does cost a write unit on DynamoDB: those are rare here, the run lock's, and counted 1).
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { ExchangeObserver } from "../../test/deployed/support/recording-proxy.js";
import { itemSize } from "./dynamo-meter.js";

type Item = Record<string, AttributeValue>;

export interface AwsTally {
  dynamoRequests: Record<string, number>;
  writeUnits: number;
  readUnits: number;
  itemsWritten: number;
  s3Requests: Record<string, number>;
  /** S3 PUT, COPY, POST and LIST requests (one price tier). */
  s3WriteClass: number;
  /** S3 GET, HEAD and the rest (the other tier); DELETE is free and not counted here. */
  s3ReadClass: number;
  snsPublishes: number;
}

export function emptyAwsTally(): AwsTally {
  return {
    dynamoRequests: {},
    writeUnits: 0,
    readUnits: 0,
    itemsWritten: 0,
    s3Requests: {},
    s3WriteClass: 0,
    s3ReadClass: 0,
    snsPublishes: 0,
  };
}

const KB = 1024;
const writeUnitsOf = (item: Item) => {
  const units = Math.max(1, Math.ceil(itemSize(item) / KB));
  return item.gsi1pk ? 2 * units : units;
};
const readUnitsOf = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / (4 * KB))) * (consistent ? 1 : 0.5);

interface Body {
  Item?: Item;
  Items?: Item[];
  ConsistentRead?: boolean;
  RequestItems?: Record<string, Array<{ PutRequest?: { Item: Item } }> | { ConsistentRead?: boolean }>;
  TransactItems?: Array<Record<string, { Item?: Item }>>;
  Responses?: Record<string, Item[]> | Array<{ Item?: Item }>;
}

const parse = (b: Buffer): Body => {
  try {
    return JSON.parse(b.toString("utf8") || "{}") as Body;
  } catch {
    return {};
  }
};

/** Adds one exchange to `t`. */
export function countExchange(t: AwsTally, x: Parameters<ExchangeObserver>[0]): void {
  const bump = (m: Record<string, number>, k: string) => {
    m[k] = (m[k] ?? 0) + 1;
  };
  if (x.service === "sns") {
    t.snsPublishes++;
    return;
  }
  if (x.service === "s3") {
    bump(t.s3Requests, x.operation);
    if (["PutObject", "CopyObject", "ListObjectsV2"].includes(x.operation) || x.operation.endsWith(" bucket"))
      t.s3WriteClass++;
    else if (x.operation !== "DeleteObject" && x.operation !== "DeleteObjects") t.s3ReadClass++;
    return;
  }
  if (x.service !== "dynamodb") return;
  bump(t.dynamoRequests, x.operation);
  if (x.status >= 400) {
    if (x.status === 400 && x.response.toString("utf8").includes("ConditionalCheckFailed")) t.writeUnits += 1;
    return;
  }
  const req = parse(x.request);
  switch (x.operation) {
    case "PutItem":
      if (req.Item) {
        t.writeUnits += writeUnitsOf(req.Item);
        t.itemsWritten++;
      }
      return;
    case "UpdateItem":
    case "DeleteItem":
      t.writeUnits += 1;
      t.itemsWritten++;
      return;
    case "BatchWriteItem":
      for (const writes of Object.values(req.RequestItems ?? {})) {
        for (const w of writes as Array<{ PutRequest?: { Item: Item } }>) {
          t.writeUnits += w.PutRequest ? writeUnitsOf(w.PutRequest.Item) : 1;
          t.itemsWritten++;
        }
      }
      // Unprocessed items come back and are sent again, and counted again then.
      return;
    case "TransactWriteItems":
      for (const op of req.TransactItems ?? []) {
        for (const [kind, x2] of Object.entries(op)) {
          if (kind === "ConditionCheck") continue;
          t.writeUnits += 2 * (x2.Item ? writeUnitsOf(x2.Item) : 1);
          t.itemsWritten++;
        }
      }
      return;
    case "GetItem": {
      const res = parse(x.response);
      t.readUnits += readUnitsOf(res.Item ? itemSize(res.Item) : 0, req.ConsistentRead === true);
      return;
    }
    case "Query":
    case "Scan": {
      const res = parse(x.response);
      const bytes = (res.Items ?? []).reduce((a, i) => a + itemSize(i), 0);
      t.readUnits += readUnitsOf(bytes, req.ConsistentRead === true);
      return;
    }
    case "BatchGetItem": {
      const res = parse(x.response);
      for (const items of Object.values((res.Responses ?? {}) as Record<string, Item[]>))
        for (const i of items) t.readUnits += readUnitsOf(itemSize(i), false);
      return;
    }
    case "TransactGetItems": {
      const res = parse(x.response);
      for (const r of (res.Responses ?? []) as Array<{ Item?: Item }>)
        t.readUnits += 2 * readUnitsOf(r.Item ? itemSize(r.Item) : 0, true);
      return;
    }
    default:
      return;
  }
}
