/**
 * The SDK boundary of one function: its S3, DynamoDB and Step Functions endpoints all point at this
 * proxy, which records every call as IAM sees it (service, IAM action, resource ARN, and for DynamoDB
 * the partition-key values the request touches, i.e. `dynamodb:LeadingKeys`), then forwards the bytes
 * unchanged (Host header included, so signatures still verify) to dynalite, s3rver or the local
 * engine. It can also answer a few calls with a service error (fault injection).
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ACCOUNT, REGION } from "./local-resources.js";

export interface RecordedCall {
  fn: string;
  service: "s3" | "dynamodb" | "states" | "sns";
  /** The API operation, e.g. "TransactWriteItems" or "HeadObject". */
  operation: string;
  /** The IAM action evaluated for it, e.g. "dynamodb:PutItem". */
  action: string;
  resource: string;
  /** DynamoDB: partition-key values of the items or query (dynamodb:LeadingKeys). */
  leadingKeys?: string[];
  /** S3 ListObjectsV2: the prefix (s3:prefix). */
  prefix?: string;
}

export interface Upstreams {
  s3: string;
  dynamodb: string;
  states: string;
  sns: string;
}

interface Fault {
  service: RecordedCall["service"];
  remaining: number;
  status: number;
  body: string;
}

type Attr = Record<string, { S?: string }>;
interface DynamoBody {
  TableName?: string;
  IndexName?: string;
  Key?: Attr;
  Item?: Attr;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Attr;
  RequestItems?: Record<string, unknown>;
  TransactItems?: Array<Record<string, DynamoBody>>;
  stateMachineArn?: string;
  executionArn?: string;
}

const tableArn = (t: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${t}`;

/** Partition-key attributes: the table's `pk`, the index gsi1's `gsi1pk`. */
const PARTITION_KEYS = ["pk", "gsi1pk"];

function keyOf(item: Attr | undefined): string[] {
  const v = item?.pk?.S;
  return v === undefined ? [] : [v];
}

/** The partition-key value a Query's key condition fixes (`pk = :v`, `#n = :v`). */
function queryKey(b: DynamoBody): string[] {
  const expr = b.KeyConditionExpression ?? "";
  for (const m of expr.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const name = m[1]?.startsWith("#") ? b.ExpressionAttributeNames?.[m[1]] : m[1];
    if (name && PARTITION_KEYS.includes(name)) {
      const v = b.ExpressionAttributeValues?.[m[2] as string]?.S;
      if (v !== undefined) return [v];
    }
  }
  return [];
}

function dynamoCalls(operation: string, b: DynamoBody): Omit<RecordedCall, "fn">[] {
  const one = (action: string, table: string, keys: string[], index?: string) => ({
    service: "dynamodb" as const,
    operation,
    action: `dynamodb:${action}`,
    resource: index ? `${tableArn(table)}/index/${index}` : tableArn(table),
    leadingKeys: keys,
  });
  switch (operation) {
    case "GetItem":
    case "DeleteItem":
    case "UpdateItem":
      return [one(operation, b.TableName ?? "", keyOf(b.Key))];
    case "PutItem":
      return [one(operation, b.TableName ?? "", keyOf(b.Item))];
    case "Query":
      return [one(operation, b.TableName ?? "", queryKey(b), b.IndexName)];
    case "Scan":
    case "DescribeTable":
      return [one(operation, b.TableName ?? "", [], b.IndexName)];
    case "BatchWriteItem":
    case "BatchGetItem":
      return Object.entries(b.RequestItems ?? {}).map(([table, v]) => {
        const keys =
          operation === "BatchGetItem"
            ? ((v as { Keys: Attr[] }).Keys ?? []).flatMap(keyOf)
            : (v as Array<{ PutRequest?: { Item: Attr }; DeleteRequest?: { Key: Attr } }>).flatMap((r) =>
                keyOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key),
              );
        return one(operation, table, [...new Set(keys)]);
      });
    case "TransactWriteItems":
    case "TransactGetItems": {
      // Transactions have no IAM action of their own: each item needs its own action.
      const action: Record<string, string> = {
        Put: "PutItem",
        Update: "UpdateItem",
        Delete: "DeleteItem",
        ConditionCheck: "ConditionCheckItem",
        Get: "GetItem",
      };
      return (b.TransactItems ?? []).flatMap((t) =>
        Object.entries(t).map(([kind, x]) =>
          one(action[kind] ?? kind, x.TableName ?? "", keyOf(x.Key ?? x.Item)),
        ),
      );
    }
    default:
      return [one(operation, b.TableName ?? "", [])];
  }
}

function s3Call(method: string, url: URL, headers: Record<string, unknown>): Omit<RecordedCall, "fn">[] {
  const [, bucket = "", ...rest] = url.pathname.split("/");
  const key = decodeURIComponent(rest.join("/"));
  const base = { service: "s3" as const };
  if (!key) {
    if (method === "GET" && url.searchParams.has("list-type"))
      return [
        {
          ...base,
          operation: "ListObjectsV2",
          action: "s3:ListBucket",
          resource: `arn:aws:s3:::${bucket}`,
          prefix: url.searchParams.get("prefix") ?? "",
        },
      ];
    if (method === "POST" && url.searchParams.has("delete"))
      return [
        {
          ...base,
          operation: "DeleteObjects",
          action: "s3:DeleteObject",
          resource: `arn:aws:s3:::${bucket}/*`,
        },
      ];
    return [
      { ...base, operation: `${method} bucket`, action: "s3:ListBucket", resource: `arn:aws:s3:::${bucket}` },
    ];
  }
  const resource = `arn:aws:s3:::${bucket}/${key}`;
  if (method === "GET") return [{ ...base, operation: "GetObject", action: "s3:GetObject", resource }];
  // HeadObject is authorized as s3:GetObject.
  if (method === "HEAD") return [{ ...base, operation: "HeadObject", action: "s3:GetObject", resource }];
  if (method === "DELETE")
    return [{ ...base, operation: "DeleteObject", action: "s3:DeleteObject", resource }];
  if (method === "PUT" && headers["x-amz-copy-source"])
    return [{ ...base, operation: "CopyObject", action: "s3:PutObject", resource }];
  if (method === "PUT" || method === "POST")
    return [{ ...base, operation: "PutObject", action: "s3:PutObject", resource }];
  return [{ ...base, operation: method, action: `s3:${method}`, resource }];
}

/** A whole request and its answer, for a meter (the bench counts DynamoDB units and S3 requests). */
export type ExchangeObserver = (exchange: {
  fn: string;
  service: RecordedCall["service"];
  operation: string;
  request: Buffer;
  status: number;
  response: Buffer;
}) => void;

export class RecordingProxy {
  readonly calls: RecordedCall[] = [];
  /** Set to see every forwarded request with its answer (off by default: answers are not kept). */
  observer: ExchangeObserver | undefined;
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  endpoint = "";

  constructor(
    readonly fn: string,
    private readonly upstreams: Upstreams,
  ) {}

  /** The next `count` calls to `service` answer `status` with `body` (a service error the SDK parses). */
  failNext(service: Fault["service"], count: number, status: number, body: string): void {
    this.faults.push({ service, remaining: count, status, body });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        const target = String(req.headers["x-amz-target"] ?? "");
        const url = new URL(req.url ?? "/", "http://proxy");
        let service: RecordedCall["service"];
        let recorded: Omit<RecordedCall, "fn">[];
        if (target.startsWith("DynamoDB_")) {
          service = "dynamodb";
          const operation = target.split(".")[1] ?? "";
          recorded = dynamoCalls(operation, JSON.parse(body.toString("utf8") || "{}") as DynamoBody);
        } else if (target.startsWith("AWSStepFunctions.")) {
          service = "states";
          const operation = target.split(".")[1] ?? "";
          const b = JSON.parse(body.toString("utf8") || "{}") as DynamoBody;
          recorded = [
            {
              service,
              operation,
              action: `states:${operation}`,
              resource: b.stateMachineArn ?? b.executionArn ?? "*",
            },
          ];
        } else if (/\/sns\/aws4_request/.test(String(req.headers.authorization ?? ""))) {
          // SNS speaks the query protocol: a signed form POST (Action=Publish&TopicArn=...).
          service = "sns";
          const form = new URLSearchParams(body.toString("utf8"));
          const operation = form.get("Action") ?? "";
          recorded = [
            { service, operation, action: `sns:${operation}`, resource: form.get("TopicArn") ?? "*" },
          ];
        } else {
          service = "s3";
          recorded = s3Call(req.method ?? "GET", url, req.headers);
        }
        // A browser's CORS preflight (OPTIONS, before it PUTs to a presigned address) is no call of the
        // function's: S3 answers it from the bucket's CORS rules, unsigned, with no IAM action evaluated.
        if (req.method !== "OPTIONS") for (const c of recorded) this.calls.push({ fn: this.fn, ...c });

        const fault = this.faults.find((f) => f.service === service && f.remaining > 0);
        if (fault) {
          fault.remaining--;
          res.writeHead(fault.status, { "content-type": "application/x-amz-json-1.0" });
          res.end(fault.body);
          return;
        }
        const upstream = new URL(this.upstreams[service]);
        const forward = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            const observer = this.observer;
            if (observer) {
              const answer: Buffer[] = [];
              up.on("data", (c: Buffer) => answer.push(c));
              up.on("end", () =>
                observer({
                  fn: this.fn,
                  service,
                  operation: recorded[0]?.operation ?? "",
                  request: body,
                  status: up.statusCode ?? 502,
                  response: Buffer.concat(answer),
                }),
              );
            }
            up.pipe(res);
          },
        );
        forward.on("error", (err) => {
          res.writeHead(502);
          res.end(String(err));
        });
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
}
