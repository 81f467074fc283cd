/**
 * Raw HTTP for the security probes: fetch() and the WHATWG URL parser resolve `..` and `%2e%2e`
 * before a request leaves, which is exactly what an attacker does not do. These send the request
 * target byte for byte.
 */
import { request } from "node:http";
import { connect } from "node:net";

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GET (or another method) with the request target and Host exactly as given. */
export function rawRequest(
  baseUrl: string,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: options.method ?? "GET",
        path: target,
        headers: { host: base.host, ...options.headers },
        // Node refuses some targets itself (spaces, control characters); the raw socket below sends those.
        insecureHTTPParser: true,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/**
 * Writes `head` (request line and headers, CRLF-separated, ending with a blank line) on a raw
 * socket and resolves with the status line of the first answer, or "no answer" after `waitMs`.
 */
export function rawSocketStatus(baseUrl: string, head: string, waitMs: number): Promise<string> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(base.port), base.hostname);
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("no answer");
    }, waitMs);
    socket.on("data", (d: Buffer) => {
      text += d.toString("latin1");
      const line = text.split("\r\n")[0];
      if (line && text.includes("\r\n")) {
        clearTimeout(timer);
        socket.destroy();
        resolve(line);
      }
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.write(head);
  });
}
