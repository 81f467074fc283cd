/**
 * Probes of the local server (`npm start`) on loopback, against the real S3 emulator: chart paths
 * that would leave the charts prefix (D1), the Host check (DNS rebinding), the editor token checked
 * before a body is read, and the minimum token strength.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { weakTokenReason } from "../../functions/api/auth.js";
import { chartKeyFromPath } from "../../functions/domain/charts/public-path.js";
import type { ChartStore, RawStore } from "../../functions/domain/ports.js";
import { sha256Hex } from "../../functions/domain/sha256.js";
import { rawKeyFor } from "../../functions/pipeline/archive.js";
import type { LocalEditors } from "../../local/editors.js";
import { type LocalStack, startLocalStack } from "../support/local-stack.js";
import { rawRequest, rawSocketStatus } from "./support.js";

const TOKEN = "security-probe-token-0123456789abcdef";
const SECRET = "SECRET-UPLOAD-an editor's query-platform file";
const SHA = sha256Hex(Buffer.from(SECRET));
const RAW_KEY = rawKeyFor(SHA, "text/csv");

let stack: LocalStack;
let editors: LocalEditors;
let server: { url: string; stop(): Promise<void> };
let rawBucket: string;
let chartsBucket: string;

beforeAll(async () => {
  stack = await startLocalStack();
  rawBucket = stack.env.RAW_BUCKET ?? "";
  chartsBucket = stack.env.CHARTS_BUCKET ?? "";
  const { fetchDeps } = await import("../../functions/composition.js");
  const raw: RawStore = fetchDeps().raw;
  await raw.put(RAW_KEY, Buffer.from(SECRET), {
    sourceUrl: "upload://secret.csv",
    fetchedAt: "2026-01-01T00:00:00.000Z",
    sha256: SHA,
    contentType: "text/csv",
  });
  const { createLocalEditors } = await import("../../local/editors.js");
  const { startLocalServer } = await import("../../local/server.js");
  editors = createLocalEditors({ token: TOKEN, since: 2022 });
  const charts: ChartStore = editors.deps.charts;
  await charts.put({
    key: "charts/probe.json",
    body: Buffer.from('{"id":"probe"}'),
    contentType: "application/json",
    cacheControl: "no-cache",
  });
  server = await startLocalServer({ charts, port: 0, api: editors.route });
}, 60_000);

afterAll(async () => {
  await editors?.launcher.idle();
  await server?.stop();
  await stack?.stop();
});

/** Every spelling of "leave charts/ for the raw archive" we know of. */
const traversals = (bucket: string): string[] => [
  `/charts/..%2f..%2f${bucket}%2f${RAW_KEY.replaceAll("/", "%2f")}`,
  `/charts/..%2F..%2F${bucket}%2F${RAW_KEY.replaceAll("/", "%2F")}`,
  `/charts/../../${bucket}/${RAW_KEY}`,
  `/charts/%2e%2e/%2e%2e/${bucket}/${RAW_KEY}`,
  `/charts/%2E%2E/%2E%2E/${bucket}/${RAW_KEY}`,
  `/charts/.%2e/.%2e/${bucket}/${RAW_KEY}`,
  `/charts/..%5c..%5c${bucket}%5c${RAW_KEY}`,
  `/charts/..\\..\\${bucket}\\${RAW_KEY}`,
  `/charts/v/../../../${bucket}/${RAW_KEY}`,
  `/charts/./../${bucket}/${RAW_KEY}`,
  `/charts/%00`,
  `/charts/probe.json%00.csv`,
  `/charts/probe%0a.json`,
  `/charts/probe%7f.json`,
  `/charts/%E0%A4%A`,
  `/charts/%`,
  `/charts/%zz`,
];

describe("chart paths stay under charts/ (D1)", () => {
  it("the rule refuses each spelling of traversal, encoded separators, NUL and control characters", () => {
    for (const path of traversals("raw-bucket")) {
      const checked = chartKeyFromPath(path);
      expect(checked.ok, path).toBe(false);
      if (!checked.ok) expect(checked.status, path).toBe(400);
    }
    expect(chartKeyFromPath("/charts/china-russia-trade-monthly.json")).toEqual({
      ok: true,
      key: "charts/china-russia-trade-monthly.json",
    });
    expect(chartKeyFromPath("/charts/v/0123abcd/china-top-partners.csv")).toEqual({
      ok: true,
      key: "charts/v/0123abcd/china-top-partners.csv",
    });
    // Double encoding decodes once: a name with "%" in it is simply not a chart file.
    expect(chartKeyFromPath("/charts/%252e%252e%252fx")).toMatchObject({ ok: false, status: 404 });
    expect(chartKeyFromPath("/raw/x.csv")).toMatchObject({ ok: false, status: 404 });
  });

  it("the server answers 400 or 404 to every probe, never the archived file and never a bucket name", async () => {
    const ok = await rawRequest(server.url, "/charts/probe.json");
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('{"id":"probe"}');
    for (const bucket of [rawBucket, chartsBucket, "..", ""]) {
      for (const target of traversals(bucket)) {
        const answer = await rawRequest(server.url, target);
        expect([400, 404], `${target} → ${answer.status}`).toContain(answer.status);
        expect(answer.body, target).not.toContain("SECRET");
        expect(answer.body, target).not.toContain(rawBucket);
        expect(answer.body, target).not.toContain(chartsBucket);
      }
    }
    // The old report: NUL answered 500 with the bucket name, a malformed escape 500.
    expect((await rawRequest(server.url, "/charts/%00")).status).toBe(400);
    expect((await rawRequest(server.url, "/charts/%E0%A4%A")).status).toBe(400);
    // The console's files follow the same rule.
    expect((await rawRequest(server.url, "/..%2f..%2fpackage.json")).status).toBe(400);
    expect((await rawRequest(server.url, "/../package.json")).status).toBe(400);
  });
});

describe("Host is checked against the served name (DNS rebinding)", () => {
  it("answers 421 to another name pointed at 127.0.0.1, and serves its own names", async () => {
    const port = new URL(server.url).port;
    const rebound = await rawRequest(server.url, "/api/status", {
      headers: { host: `attacker.example:${port}` },
    });
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain("latestRun");
    const noPort = await rawRequest(server.url, "/api/status", { headers: { host: "127.0.0.1" } });
    expect(noPort.status).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const own = await rawRequest(server.url, "/api/status", { headers: { host } });
      expect(own.status, host).toBe(200);
    }
  });
});

describe("the editor token is checked before the body is read", () => {
  const head = (auth: string) =>
    `POST /api/refresh HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\n${auth}` +
    "Content-Type: application/json\r\nContent-Length: 6000000\r\n\r\n";

  it("answers 401 at once to a 6 MB request without the token, before a byte of its body arrives", async () => {
    expect(await rawSocketStatus(server.url, head(""), 3000)).toBe("HTTP/1.1 401 Unauthorized");
    expect(await rawSocketStatus(server.url, head("Authorization: Bearer wrong-token\r\n"), 3000)).toBe(
      "HTTP/1.1 401 Unauthorized",
    );
    // With the token, the same request waits for its body: the difference is the check, not the route.
    expect(await rawSocketStatus(server.url, head(`Authorization: Bearer ${TOKEN}\r\n`), 400)).toBe(
      "no answer",
    );
  });
});

describe("local editor token strength", () => {
  it("refuses short, repetitive or spaced tokens and accepts the generated kind", async () => {
    expect(weakTokenReason("secret")).toMatch(/6 characters long; use at least 24/);
    expect(weakTokenReason("a".repeat(40))).toMatch(/repeats a few characters/);
    expect(weakTokenReason("abcabcabcabcabcabcabcabcabc")).toMatch(/3 distinct/);
    expect(weakTokenReason("correct horse battery staple xx")).toMatch(/white space/);
    const { generateEditorToken } = await import("../../local/editors.js");
    for (let i = 0; i < 20; i++) expect(weakTokenReason(generateEditorToken())).toBeUndefined();
  });

  it("npm start refuses to start with a weak EDITOR_TOKEN, before starting anything", async () => {
    const { env } = await import("../../functions/adapters/env.js");
    const { start } = await import("../../local/start.js");
    const before = process.env.EDITOR_TOKEN;
    process.env.EDITOR_TOKEN = "letmein";
    env.reset();
    try {
      await expect(
        start({
          once: true,
          gaccUrl: "http://127.0.0.1:9",
          since: 2026,
          out: undefined,
          port: 0,
          fresh: false,
          dataDir: "/nonexistent/never-created",
          quiet: true,
        }),
      ).rejects.toThrow(/EDITOR_TOKEN is too weak to guard the editors' API: it is 7 characters long/);
    } finally {
      if (before === undefined) delete process.env.EDITOR_TOKEN;
      else process.env.EDITOR_TOKEN = before;
      env.reset();
    }
  });
});
