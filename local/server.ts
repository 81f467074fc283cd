/**
 * The local web server: chart files from the charts bucket (with CORS, as CloudFront serves them),
 * the editor console, and (when given) the editors' API routes.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { EDITOR_GROUP, localTokenIdentity } from "../functions/api/auth.js";
import { type ApiRequest, serialize } from "../functions/api/http.js";
import type { ApiHandler } from "../functions/api/router.js";
import type { ChartStore } from "../functions/domain/ports.js";

const CONSOLE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "console");

const TYPES: Record<string, string> = {
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

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
  res.writeHead(status, { "content-type": type, ...extra });
  res.end(body);
}

export async function startLocalServer(
  options: LocalServerOptions,
): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    handle(req, res, url).catch((err: unknown) => {
      send(res, 500, JSON.stringify({ error: (err as Error).message }), TYPES[".json"] ?? "application/json");
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname.startsWith("/charts/")) {
      const cors = {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, HEAD, OPTIONS",
      };
      if (req.method === "OPTIONS") return send(res, 204, "", "text/plain", cors);
      const key = decodeURIComponent(url.pathname.slice(1));
      const body = await options.charts.get(key);
      if (!body) return send(res, 404, "Not found", "text/plain", cors);
      return send(res, 200, body, TYPES[extname(key)] ?? "application/octet-stream", {
        ...cors,
        "cache-control": key.startsWith("charts/v/") ? "public, max-age=31536000, immutable" : "no-cache",
      });
    }
    if (options.api && url.pathname.startsWith("/api/") && (await options.api(req, res, url))) return;
    // Deployed, the stack writes this file with the hosted sign-in page; locally editors paste a token.
    if (url.pathname === "/console-config.json") {
      return send(
        res,
        200,
        JSON.stringify({ stage: "local", apiBase: "/api" }),
        TYPES[".json"] ?? "application/json",
      );
    }
    const file = url.pathname === "/" ? "index.html" : normalize(url.pathname).replace(/^[/\\]+/, "");
    if (file.includes("..")) return send(res, 400, "Bad path", "text/plain");
    try {
      const body = await readFile(join(CONSOLE_DIR, file));
      return send(res, 200, body, TYPES[extname(file)] ?? "application/octet-stream", {
        "cache-control": "no-cache",
      });
    } catch {
      return send(res, 404, "Not found", "text/plain");
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
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
    const body = await readBody(req, MAX_API_BODY_BYTES);
    let answer: ReturnType<typeof serialize>;
    if (body === undefined) {
      answer = serialize({
        status: 413,
        body: {
          error: {
            code: "TOO_LARGE",
            message: `The request is larger than ${MAX_API_BODY_BYTES / 1024 / 1024} MB. Is this the right file?`,
          },
        },
      });
      res.setHeader("connection", "close");
    } else {
      const auth = localTokenIdentity(headers.authorization, options.token, options.editorName);
      const request: ApiRequest = {
        method: (req.method ?? "GET").toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers,
        body,
        identity: auth.identity,
        authProblem: auth.problem,
      };
      answer = serialize(await api(request));
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return true;
  };
}
