/**
 * Probes of the editors' API on the local server against the local stack: an accept for a chart id
 * that does not exist is a 404 that leaves no run and no audit entry behind, and a flood of refused
 * refreshes is one counted audit entry that pushes nothing out of the audit view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatusView } from "../../functions/api/editors/status.js";
import type { LocalEditors } from "../../local/editors.js";
import { type EditorsServer, startEditorsServer } from "../support/editors-server.js";

const TOKEN = "security-api-token-0123456789abcdef";
let editors: LocalEditors;
let server: { url: string; stop(): Promise<void> };

// biome-ignore lint/suspicious/noExplicitAny: answers of several shapes, checked field by field below
type Body = any;

async function call(method: string, path: string, json?: unknown): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, body: await res.json() };
}

let running: EditorsServer | undefined;
beforeAll(async () => {
  running = await startEditorsServer({ token: TOKEN, since: 2026 });
  ({ editors, server } = running);
}, 60_000);

afterAll(async () => {
  await running?.stop();
});

describe("editors' API", () => {
  it("answers 404 to accepting a chart that does not exist, recording no run and no audit entry", async () => {
    const started = await call("POST", "/api/refresh", {});
    expect(started.status).toBe(202);
    await editors.launcher.wait(started.body.runId);
    const before = (await call("GET", "/api/status")).body as StatusView;

    for (const id of ["no-such-chart", "..%2f..%2fraw", "china-russia-trade-monthly.json"]) {
      const answer = await call("POST", `/api/charts/${id}/accept`, {
        reason: "checked against the PDF by hand",
      });
      expect(answer.status, id).toBe(404);
      expect(answer.body.error.code, id).toBe("NOT_FOUND");
      expect(answer.body.error.message, id).toMatch(/^There is no chart .+\. Known charts: china-/);
    }
    const after = (await call("GET", "/api/status")).body as StatusView;
    expect(after.latestRun?.runId).toBe(started.body.runId);
    expect(after.recentRuns.map((r) => r.runId)).toEqual(before.recentRuns.map((r) => r.runId));
    expect(after.audit).toEqual(before.audit);
  });

  it("collapses repeated refused refreshes into one counted entry; earlier entries stay in view", async () => {
    const { deps } = editors;
    const earlier = ((await call("GET", "/api/status")).body as StatusView).audit;
    expect(earlier.length).toBeGreaterThan(0);
    // A run in the way: another process holds the lock.
    const holder = "20260101T000000000Z-refresh-abcd";
    expect(await deps.lock.acquire(holder, deps.now(), 60_000)).toEqual({ acquired: true });
    try {
      const answers = await Promise.all(Array.from({ length: 40 }, () => call("POST", "/api/refresh", {})));
      for (const a of answers) {
        expect(a.status).toBe(409);
        expect(a.body.runningId).toBe(holder);
      }
      const audit = ((await call("GET", "/api/status")).body as StatusView).audit;
      const refused = audit.filter((e) => e.result === "refused");
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ count: 40, runId: holder, by: { id: "local" } });
      expect(refused[0]?.message).toMatch(
        new RegExp(`^Refused: run ${holder} is in progress \\(refused 40 times, the last at 20\\d\\d-`),
      );
      // Nothing real was pushed out: every earlier entry is still listed.
      for (const e of earlier) expect(audit.map((x) => x.id)).toContain(e.id);
      expect(audit).toHaveLength(earlier.length + 1);
    } finally {
      await deps.lock.release(holder);
    }
  });
});
