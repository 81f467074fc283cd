/**
 * The editors' API as CloudFront and API Gateway hand it to the bundled function: each request becomes
 * an HTTP API (payload 2.0) event with the origin header CloudFront adds (the template's secret, mapped
 * by local-resources.ts) and the claims API Gateway's JWT authorizer passes after verifying a Cognito
 * token. A request without a valid token never reaches the function deployed (the authorizer answers
 * 401), so "no identity" here stands for a token the authorizer accepted without claims we can use.
 * The console in Chromium reaches the function through the same mapping (console-bridge.ts uses
 * `EditorsClient.send`).
 *
 * Every call is timed per route (with the function's peak RSS, what the API's memory and timeout are
 * sized from), and the SDK calls the function made during it are counted (a refused request must make
 * none).
 */
import { ORIGIN_VERIFY_HEADER } from "../../../functions/api/origin-verify.js";
import type { LambdaFunction } from "./lambda-pool.js";
import { ORIGIN_VERIFY_VALUE } from "./local-resources.js";
import type { RecordingProxy } from "./recording-proxy.js";

/** JWT claims as API Gateway passes them (list claims flattened to "[a b]"). */
export type Claims = Record<string, string>;

export const EDITOR: Claims = {
  sub: "5b0c6f4e-0000-4000-8000-00000000e017",
  email: "editor@newsroom.example",
  "cognito:username": "editor",
  "cognito:groups": "[editors]",
};

/** Signed in, but not in the editors group: may read, may not write. */
export const READER: Claims = {
  sub: "5b0c6f4e-0000-4000-8000-0000000000ea",
  email: "reader@newsroom.example",
  "cognito:username": "reader",
};

export interface Answer<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
  /** SDK calls the function made while answering. */
  sdkCalls: number;
}

export interface RequestOptions {
  json?: unknown;
  /** A raw body (sent base64-encoded, as API Gateway does for binary media). */
  body?: Uint8Array;
  contentType?: string;
  query?: Record<string, string>;
  /** undefined: the editor; null: no claims. */
  claims?: Claims | null;
  /** false: the request came to the API's origin name directly, around CloudFront. */
  viaCdn?: boolean;
}

/** One route's figures over the run. */
export interface RouteFigures {
  route: string;
  calls: number;
  /** Longest invocation (the handler's time in the function's process). */
  longestMs: number;
  totalMs: number;
}

/** `/api/runs/2026…` → `/api/runs/{id}`: the route, whatever the id. */
export function routeOf(method: string, path: string): string {
  return `${method} ${path.replace(/^(\/api\/(?:runs|releases|charts|uploads))\/[^/]+/, "$1/{id}")}`;
}

let requests = 0;

/**
 * A request as it reaches API Gateway from CloudFront's /api/* behaviour, which forwards every viewer
 * header but Host and adds the origin header.
 */
export interface GatewayRequest {
  method: string;
  path: string;
  rawQueryString?: string;
  /** The viewer's headers, lower-case (Host is dropped: API Gateway answers its own name only). */
  headers?: Record<string, string>;
  /** The body as API Gateway passes it: text, or base64 for binary media. */
  body?: string;
  isBase64Encoded?: boolean;
  /** What the JWT authorizer passes after verifying the token; null: none we can use. */
  claims: Claims | null;
  /** false: the request came to the API's origin name directly, around CloudFront. */
  viaCdn?: boolean;
}

/** The function's answer, as API Gateway reads it (payload 2.0 structured result). */
export interface GatewayResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

/** The HTTP API (payload 2.0) event API Gateway hands the function for `req`. */
export function gatewayEvent(req: GatewayRequest): Record<string, unknown> {
  const headers: Record<string, string> = { "user-agent": "deployed-test" };
  for (const [k, v] of Object.entries(req.headers ?? {}))
    if (k.toLowerCase() !== "host") headers[k.toLowerCase()] = v;
  headers.host = "api-origin.example";
  if (req.viaCdn !== false) headers[ORIGIN_VERIFY_HEADER] = ORIGIN_VERIFY_VALUE;
  else delete headers[ORIGIN_VERIFY_HEADER];
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: req.path,
    rawQueryString: req.rawQueryString ?? "",
    headers,
    requestContext: {
      accountId: "123456789012",
      apiId: "editors",
      domainName: "api-origin.example",
      http: {
        method: req.method,
        path: req.path,
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: headers["user-agent"],
      },
      requestId: `req-${++requests}`,
      routeKey: "$default",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(req.claims ? { authorizer: { jwt: { claims: req.claims, scopes: null } } } : {}),
    },
    ...(req.body !== undefined ? { body: req.body } : {}),
    isBase64Encoded: req.isBase64Encoded ?? false,
  };
}

export class EditorsClient {
  readonly figures = new Map<string, RouteFigures>();

  constructor(
    private readonly fn: LambdaFunction,
    private readonly proxy: RecordingProxy,
  ) {}

  /** Invokes the function with `req`'s event and counts the call in its route's figures. */
  async send(req: GatewayRequest): Promise<{ result: GatewayResult; sdkCalls: number }> {
    const before = this.proxy.calls.length;
    const answer = await this.fn.invoke(gatewayEvent(req));
    if (!answer.ok) throw new Error(`${req.method} ${req.path}: the function failed: ${answer.errorMessage}`);
    const result = answer.result as GatewayResult;
    // Refusals (origin, sign-in, group) are their own rows: they must stay cheap and touch nothing.
    const refused = result.statusCode === 401 || result.statusCode === 403;
    const route = `${refused ? "refused: " : ""}${routeOf(req.method, req.path)}`;
    const f = this.figures.get(route) ?? { route, calls: 0, longestMs: 0, totalMs: 0 };
    f.calls++;
    f.longestMs = Math.max(f.longestMs, answer.durationMs);
    f.totalMs += answer.durationMs;
    this.figures.set(route, f);
    return { result, sdkCalls: this.proxy.calls.length - before };
  }

  async call<T = Record<string, unknown>>(
    method: "GET" | "POST",
    path: string,
    options: RequestOptions = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    let isBase64Encoded = false;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.body) {
      headers["content-type"] = options.contentType ?? "application/octet-stream";
      body = Buffer.from(options.body).toString("base64");
      isBase64Encoded = true;
    }
    const { result, sdkCalls } = await this.send({
      method,
      path,
      rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
      headers,
      ...(body !== undefined ? { body } : {}),
      isBase64Encoded,
      claims: options.claims === undefined ? EDITOR : options.claims,
      ...(options.viaCdn === false ? { viaCdn: false } : {}),
    });
    return {
      status: result.statusCode,
      headers: result.headers,
      body: JSON.parse(result.body) as T,
      sdkCalls,
    };
  }

  /** Follows a run as the console does (GET /api/runs/{id}) until it is no longer running. */
  async follow<T extends { status: string }>(runId: string, timeoutMs = 60_000): Promise<Answer<T>> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const got = await this.call<T>("GET", `/api/runs/${encodeURIComponent(runId)}`, { claims: READER });
      if (got.status !== 200 || got.body.status !== "running") return got;
      if (Date.now() > until) throw new Error(`run ${runId} still running after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /**
   * The per-route figures, slowest first, as printed lines. (Memory is the function's, printed with the
   * other functions': a process's peak RSS only grows, and it is reached loading the bundle and on the
   * first calls, whatever the route.)
   */
  report(): string {
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    return [...this.figures.values()]
      .sort((a, b) => b.longestMs - a.longestMs)
      .map(
        (f) =>
          `  ${f.route.padEnd(34)} calls ${String(f.calls).padStart(3)}  longest ${s(f.longestMs)}  mean ${s(f.totalMs / f.calls)}`,
      )
      .join("\n");
  }
}
