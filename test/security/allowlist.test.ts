/**
 * The fetcher's allowlist (D3): scheme, host and port on every hop; names that resolve to internal
 * addresses refused unless the allowlist names the address; typed errors for every refusal,
 * invalid URLs and redirects to them included. Real HTTP servers on loopback; DNS answers are the
 * only thing injected (nothing real on a laptop resolves a public name to 127.0.0.1 on demand).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FetchAllowlist,
  isInternalAddress,
  parseAllowedEntry,
} from "../../functions/adapters/fetch-allowlist.js";
import { HttpPageSource } from "../../functions/adapters/http-page-source.js";
import { describeError, UpstreamRefused } from "../../functions/domain/errors.js";

const PAGE = "<html><body><table><tr><td>ok</td></tr></table></body></html>";

interface Site {
  server: Server;
  port: number;
  /** Location header per path (a redirect), else the page. */
  redirects: Map<string, string>;
  hits: string[];
}

async function site(): Promise<Site> {
  const redirects = new Map<string, string>();
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const to = redirects.get(req.url ?? "");
    if (to !== undefined) {
      res.writeHead(302, { location: to });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    res.end(PAGE);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { server, port: (server.address() as AddressInfo).port, redirects, hits };
}

let a: Site;
let b: Site;

beforeAll(async () => {
  a = await site();
  b = await site();
});
afterAll(async () => {
  for (const s of [a, b]) await new Promise((r) => s?.server.close(r));
});

const source = (allowed: string[], resolve?: (h: string) => Promise<string[]>) =>
  new HttpPageSource({
    allowedHosts: allowed,
    attempts: 1,
    timeoutMs: 3000,
    ...(resolve ? { resolve } : {}),
  });

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return describeError(err);
  }
  throw new Error("expected a refusal");
}

describe("allowlist entries", () => {
  it("make the default port explicit and keep scheme and port apart", () => {
    expect(parseAllowedEntry("english.customs.gov.cn")).toEqual([
      { scheme: "http", hostname: "english.customs.gov.cn", port: 80 },
      { scheme: "https", hostname: "english.customs.gov.cn", port: 443 },
    ]);
    expect(parseAllowedEntry("127.0.0.1:8080")).toEqual([
      { scheme: "http", hostname: "127.0.0.1", port: 8080 },
      { scheme: "https", hostname: "127.0.0.1", port: 8080 },
    ]);
    expect(parseAllowedEntry("https://mirror.example.org")).toEqual([
      { scheme: "https", hostname: "mirror.example.org", port: 443 },
    ]);
    expect(() => parseAllowedEntry("ftp://x.example")).toThrow(/not an http\(s\) origin/);
    expect(() => parseAllowedEntry("http://x.example/path")).toThrow(/bare origin/);
    const list = new FetchAllowlist(["english.customs.gov.cn"]);
    expect(list.allows(new URL("http://english.customs.gov.cn/x"))).toBe(true);
    expect(list.allows(new URL("http://english.customs.gov.cn:80/x"))).toBe(true);
    expect(list.allows(new URL("https://english.customs.gov.cn/x"))).toBe(true);
    expect(list.allows(new URL("http://english.customs.gov.cn:8080/x"))).toBe(false);
    expect(list.allows(new URL("https://english.customs.gov.cn:80/x"))).toBe(false);
    expect(list.allows(new URL("ftp://english.customs.gov.cn/x"))).toBe(false);
    expect(list.allows(new URL("http://customs.gov.cn/x"))).toBe(false);
  });

  it("know internal addresses, IPv4-mapped IPv6 included", () => {
    for (const internal of [
      "127.0.0.1",
      "127.8.9.10",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:a9fe:a9fe",
      "not-an-address",
    ]) {
      expect(isInternalAddress(internal), internal).toBe(true);
    }
    for (const external of ["202.96.128.86", "8.8.8.8", "2001:4860:4860::8888", "172.32.0.1"]) {
      expect(isInternalAddress(external), external).toBe(false);
    }
  });
});

describe("every hop is checked", () => {
  it("fetches from an allowed origin and reports the URL actually fetched after a redirect", async () => {
    a.redirects.set("/old.html", "/new.html");
    const page = await source([`127.0.0.1:${a.port}`]).get(`http://127.0.0.1:${a.port}/old.html`);
    expect(page.url).toBe(`http://127.0.0.1:${a.port}/new.html`);
  });

  it("refuses a redirect to another port on the same host (the old bare-host hole)", async () => {
    a.hits.length = 0;
    b.hits.length = 0;
    a.redirects.set("/hop.html", `http://127.0.0.1:${b.port}/secret.html`);
    const r = await refusal(source([`127.0.0.1:${a.port}`]).get(`http://127.0.0.1:${a.port}/hop.html`));
    expect(r.code).toBe("UPSTREAM_REFUSED");
    expect(r.message).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${b.port} is not on the allowlist`));
    expect(b.hits).toEqual([]);
  });

  it("refuses a redirect to another scheme, to a link-local address, and to an off-list host", async () => {
    const allowed = [`http://127.0.0.1:${a.port}`];
    for (const [path, to, why] of [
      [
        "/https.html",
        `https://127.0.0.1:${a.port}/x.html`,
        /https:\/\/127\.0\.0\.1:\d+ is not on the allowlist/,
      ],
      [
        "/meta.html",
        "http://169.254.169.254/latest/meta-data/",
        /169\.254\.169\.254:80 is not on the allowlist/,
      ],
      [
        "/evil.html",
        "http://evil.example:18911/Statics/x.html",
        /evil\.example:18911 is not on the allowlist/,
      ],
      ["/userinfo.html", `http://user:pw@127.0.0.1:${a.port}/x.html`, /user name or password/],
    ] as const) {
      a.redirects.set(path, to);
      const r = await refusal(source(allowed).get(`http://127.0.0.1:${a.port}${path}`));
      expect(r.code, path).toBe("UPSTREAM_REFUSED");
      expect(r.message, path).toMatch(why);
    }
  });

  it("turns invalid URLs, given or redirected to, into typed refusals (not TypeError)", async () => {
    a.redirects.set("/broken.html", "http://[not-an-ipv6/x.html");
    const r = await refusal(source([`127.0.0.1:${a.port}`]).get(`http://127.0.0.1:${a.port}/broken.html`));
    expect(r).toMatchObject({ code: "UPSTREAM_REFUSED" });
    expect(r.message).toMatch(/redirected to "http:\/\/\[not-an-ipv6\/x\.html", which is not a valid URL/);
    const given = await refusal(source(["english.customs.gov.cn"]).get("http//no-scheme"));
    expect(given).toMatchObject({ code: "UPSTREAM_REFUSED" });
    expect(given.message).toMatch(/is not a valid URL/);
    await expect(source(["english.customs.gov.cn"]).get("::::")).rejects.toBeInstanceOf(UpstreamRefused);
  });

  it("refuses an allowed name that resolves to loopback, link-local or private addresses", async () => {
    for (const address of ["127.0.0.1", "169.254.169.254", "10.0.0.8", "::1", "::ffff:127.0.0.1"]) {
      const resolve = async () => ["202.96.128.86", address];
      const r = await refusal(
        source([`gacc.test:${a.port}`], resolve).get(`http://gacc.test:${a.port}/page.html`),
      );
      expect(r.code, address).toBe("UPSTREAM_REFUSED");
      expect(r.message, address).toContain(`gacc.test resolves to ${address}, an internal address`);
    }
  });

  it("allows an internal address the allowlist names itself (the local mirror)", async () => {
    const page = await source([`127.0.0.1:${a.port}`]).get(`http://127.0.0.1:${a.port}/plain.html`);
    expect(Buffer.from(page.bytes).toString()).toBe(PAGE);
    const local = await source([`localhost:${a.port}`]).get(`http://localhost:${a.port}/plain.html`);
    expect(local.url).toBe(`http://localhost:${a.port}/plain.html`);
  });

  it("says sizes in words a person reads", async () => {
    const big = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html", "content-length": String(6 * 1024 * 1024) });
      res.end();
    });
    await new Promise<void>((r) => big.listen(0, "127.0.0.1", () => r()));
    const port = (big.address() as AddressInfo).port;
    try {
      const r = await refusal(source([`127.0.0.1:${port}`]).get(`http://127.0.0.1:${port}/big.html`));
      expect(r.message).toMatch(/is 6 MB, over the 5 MB limit$/);
    } finally {
      await new Promise((r) => big.close(r));
    }
  });
});
