/**
 * A tiny local GACC mirror: serves the rendered sample site (render.ts) over node:http on loopback,
 * in the real URL layout: preliminary-release indexes and their table (4), (5) and (6) pages, and
 * the Monthly Bulletin's indexes and pages (`options.render` chooses the samples, e.g.
 * `{ bulletinSamples: [] }` for none). Paths match case-insensitively, as the real site serves
 * `/Statics/...` and `/statics/...` alike; anything else is 404.
 *
 * Test hooks: `override(path, ...)` replaces one page (a revised page, a page with a bad unit row, a
 * 412 challenge, a slow drip, a redirect to another host), `reset()` drops overrides and the request
 * log, `requests` lists the paths requested, in order.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type MirrorPage, type MirrorRenderOptions, renderMirrorSite } from "./render.js";

export interface MirrorResponse {
  /** Default 200. */
  status?: number;
  /** Default: the rendered page at that path (so a delay or drip can wrap the real page), else empty. */
  body?: string | Uint8Array;
  /** Extra or replacement headers, e.g. `{ location: "http://elsewhere.example/x.html" }` for a redirect. */
  headers?: Record<string, string>;
  /** Default: the rendered page's content type, else "text/html; charset=utf-8". */
  contentType?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Send the body at this rate (Content-Length still announces the full size). */
  dripBytesPerSec?: number;
}

export interface MirrorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The pages to serve; default: renderMirrorSite(render). */
  site?: Map<string, MirrorPage>;
  render?: MirrorRenderOptions;
}

export interface Mirror {
  /** "http://127.0.0.1:<port>", no trailing slash. */
  baseUrl: string;
  /** Replaces what one path answers until reset(). A string or bytes is a 200 HTML page. */
  override(path: string, response: string | Uint8Array | MirrorResponse): void;
  /** Drops every override and empties the request log. */
  reset(): void;
  /** Paths requested (as the client spelled them, without query string), oldest first. */
  readonly requests: string[];
  /** The site being served (path → page). */
  readonly site: ReadonlyMap<string, MirrorPage>;
  stop(): Promise<void>;
}

const HTML = "text/html; charset=utf-8";

/** Lookup key: the path alone, lower-cased (the real site is case-insensitive). Accepts full URLs too. */
function keyOf(pathOrUrl: string): string {
  const path = /^[a-z]+:\/\//i.test(pathOrUrl)
    ? new URL(pathOrUrl).pathname
    : (pathOrUrl.split(/[?#]/)[0] ?? "");
  return decodeURIComponent(path.startsWith("/") ? path : `/${path}`).toLowerCase();
}

const toBytes = (body: string | Uint8Array): Buffer =>
  typeof body === "string"
    ? Buffer.from(body, "utf8")
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);

export async function startMirror(options: MirrorOptions = {}): Promise<Mirror> {
  const site = options.site ?? renderMirrorSite(options.render);
  const pages = new Map<string, MirrorPage>();
  for (const [path, page] of site) pages.set(keyOf(path), page);
  const overrides = new Map<string, MirrorResponse>();
  const requests: string[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  function answer(
    req: IncomingMessage,
    res: ServerResponse,
    spec: Required<Pick<MirrorResponse, "status">> & MirrorResponse,
  ) {
    const bytes = toBytes(spec.body ?? "");
    res.statusCode = spec.status;
    res.setHeader("content-type", spec.contentType ?? HTML);
    res.setHeader("content-length", String(bytes.byteLength));
    for (const [name, value] of Object.entries(spec.headers ?? {})) res.setHeader(name, value);
    if (req.method === "HEAD" || bytes.byteLength === 0) {
      res.end();
      return;
    }
    const rate = spec.dripBytesPerSec;
    if (!rate || rate <= 0) {
      res.end(bytes);
      return;
    }
    // Ten slices a second at the requested rate, until the body is out or the client goes away.
    const slice = Math.max(1, Math.floor(rate / 10));
    let offset = 0;
    const step = () => {
      if (res.destroyed) return;
      const next = bytes.subarray(offset, offset + slice);
      offset += next.byteLength;
      if (offset >= bytes.byteLength) {
        res.end(next);
        return;
      }
      res.write(next);
      later(100, step);
    };
    step();
  }

  const server = createServer((req, res) => {
    const rawPath = (req.url ?? "/").split(/[?#]/)[0] ?? "/";
    requests.push(rawPath);
    if (req.method !== "GET" && req.method !== "HEAD") {
      answer(req, res, {
        status: 405,
        body: "Method Not Allowed",
        contentType: "text/plain; charset=utf-8",
        headers: { allow: "GET, HEAD" },
      });
      return;
    }
    let key: string;
    try {
      key = keyOf(rawPath);
    } catch {
      answer(req, res, { status: 400, body: "Bad Request", contentType: "text/plain; charset=utf-8" });
      return;
    }
    const page = pages.get(key);
    const over = overrides.get(key);
    let spec: Required<Pick<MirrorResponse, "status">> & MirrorResponse;
    if (over) {
      spec = {
        ...over,
        status: over.status ?? 200,
        body: over.body ?? page?.body ?? "",
        contentType: over.contentType ?? page?.contentType ?? HTML,
      };
    } else if (page) {
      spec = { status: 200, body: page.body, contentType: page.contentType };
    } else {
      spec = { status: 404, body: "<html><body><h1>404 Not Found</h1></body></html>", contentType: HTML };
    }
    if (spec.delayMs && spec.delayMs > 0) later(spec.delayMs, () => answer(req, res, spec));
    else answer(req, res, spec);
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://${host}:${port}`,
    override(path, response) {
      const spec =
        typeof response === "string" || response instanceof Uint8Array ? { body: response } : { ...response };
      overrides.set(keyOf(path), spec);
    },
    reset() {
      overrides.clear();
      requests.length = 0;
    },
    requests,
    site,
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
