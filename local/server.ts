/**
 * The local web server: chart files from the charts bucket (with CORS, as CloudFront serves them),
 * the editor console, and (when given) the editors' API routes.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EDITOR_GROUP, localTokenIdentity } from "../functions/api/auth.js";
import { type ApiRequest, serialize } from "../functions/api/http.js";
import type { ApiHandler } from "../functions/api/router.js";
import {
  CHARTS_URL_PREFIX,
  chartKeyFromPath,
  checkedRelativePath,
} from "../functions/domain/charts/public-path.js";
import { formatBytes } from "../functions/domain/numbers.js";
import type { ChartStore } from "../functions/domain/ports.js";

const CONSOLE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "console");

const TYPES: Record<string, string> = {
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

const JSON_TYPE = "application/json; charset=utf-8";

export type ApiRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface LocalServerOptions {
  charts: ChartStore;
  port: number;
  host?: string;
  api?: ApiRoute;
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  type: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": type, "x-content-type-options": "nosniff", ...extra });
  res.end(body);
}

/**
 * The `Host` values this server answers to: the address it listens on and `localhost`, with its
 * port. Anything else is a browser that was pointed here by a DNS name it resolved to 127.0.0.1
 * (DNS rebinding), which must not read the status or drive the API as if it were the console.
 */
export function servedHosts(host: string, port: number): Set<string> {
  const names = new Set([host, "localhost"]);
  return new Set([...names].map((n) => `${n.includes(":") && !n.startsWith("[") ? `[${n}]` : n}:${port}`));
}

export async function startLocalServer(
  options: LocalServerOptions,
): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const listenHost = options.host ?? "127.0.0.1";
  let hosts = new Set<string>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A client that hangs up mid-request is not a failure of ours.
      if ((err as { code?: string })?.code === "ECONNRESET") return res.destroy();
      // The details are for the terminal, not the client: they name buckets, keys and files.
      console.error(`local server: ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent)
        send(
          res,
          500,
          JSON.stringify({
            error: {
              code: "INTERNAL",
              message: "Something went wrong on our side; see the terminal running npm start.",
            },
          }),
          JSON_TYPE,
        );
      else res.destroy();
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? "").toLowerCase();
    if (!hosts.has(host)) {
      return send(
        res,
        421,
        `This server answers only to ${[...hosts].map((h) => `http://${h}/`).join(" or ")}\n`,
        "text/plain; charset=utf-8",
        { connection: "close" },
      );
    }
    // Routed on the path exactly as sent: the WHATWG parser would resolve "/charts/%2e%2e/..." first.
    const target = req.url ?? "/";
    if (!target.startsWith("/")) return send(res, 400, "Bad request target\n", "text/plain");
    const rawPath = target.split("?")[0] ?? "/";
    const url = new URL(target, `http://${host}`);
    if (rawPath.startsWith(CHARTS_URL_PREFIX)) {
      const cors = {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, HEAD, OPTIONS",
      };
      if (req.method === "OPTIONS") return send(res, 204, "", "text/plain", cors);
      if (req.method !== "GET" && req.method !== "HEAD")
        return send(res, 405, "Chart files are read with GET\n", "text/plain", {
          ...cors,
          allow: "GET, HEAD, OPTIONS",
        });
      const checked = chartKeyFromPath(rawPath);
      if (!checked.ok) return send(res, checked.status, `${checked.message}\n`, "text/plain", cors);
      const key = checked.key;
      const body = await options.charts.get(key);
      if (!body) return send(res, 404, "Not found\n", "text/plain", cors);
      return send(res, 200, body, TYPES[extname(key)] ?? "application/octet-stream", {
        ...cors,
        "cache-control": key.startsWith("charts/v/") ? "public, max-age=31536000, immutable" : "no-cache",
      });
    }
    if (options.api && rawPath.startsWith("/api/") && (await options.api(req, res, url))) return;
    // Deployed, the stack writes this file with the hosted sign-in page; locally editors paste a token.
    if (rawPath === "/console-config.json") {
      return send(res, 200, JSON.stringify({ stage: "local", apiBase: "/api" }), JSON_TYPE);
    }
    const checked = rawPath === "/" ? { ok: true as const, key: "index.html" } : checkedRelativePath(rawPath);
    if (!checked.ok) return send(res, checked.status, `${checked.message}\n`, "text/plain");
    try {
      const body = await readFile(join(CONSOLE_DIR, checked.key));
      return send(res, 200, body, TYPES[extname(checked.key)] ?? "application/octet-stream", {
        "cache-control": "no-cache",
      });
    } catch {
      return send(res, 404, "Not found\n", "text/plain");
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, listenHost, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  hosts = servedHosts(listenHost, port);
  const shownHost = listenHost.includes(":") ? `[${listenHost}]` : listenHost;
  return {
    url: `http://${shownHost}:${port}`,
    server,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Bodies larger than this are refused before they are read to the end (uploads are far smaller). */
export const MAX_API_BODY_BYTES = 6 * 1024 * 1024;

/** How to sign in locally, for the API's 401 answers. */
export const LOCAL_SIGN_IN_HINT =
  "Send the editor token as the header `Authorization: Bearer <token>` (the console asks for it once). " +
  "`npm start` prints the token and saves it in .local/editor-token; set EDITOR_TOKEN to choose your own.";

export { EDITOR_GROUP };

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Mounts the editors' API on the local server: node:http request → ApiRequest (with the local editor
 * when the bearer token matches) → the shared router → JSON answer.
 */
export function nodeApiRoute(api: ApiHandler, options: { token: string; editorName?: string }): ApiRoute {
  return async (req, res, url) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    }
    // Credentials first, then the body: a caller without the token gets its 401 (or 404/405) before
    // a single byte of a body is read, so nobody can make the server buffer megabytes unasked.
    const auth = localTokenIdentity(headers.authorization, options.token, options.editorName);
    const head: Omit<ApiRequest, "body"> = {
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      identity: auth.identity,
      authProblem: auth.problem,
    };
    const early = api.preflight?.(head);
    let answer: ReturnType<typeof serialize>;
    if (early) {
      answer = serialize(early);
      if (!req.complete) res.setHeader("connection", "close");
    } else {
      const body = await readBody(req, MAX_API_BODY_BYTES);
      if (body === undefined) {
        answer = serialize({
          status: 413,
          body: {
            error: {
              code: "TOO_LARGE",
              message: `The request is larger than ${formatBytes(MAX_API_BODY_BYTES)}. Is this the right file?`,
            },
          },
        });
        res.setHeader("connection", "close");
      } else {
        answer = serialize(await api({ ...head, body }));
      }
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return true;
  };
}
