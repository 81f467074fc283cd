/**
 * The editors' API on the local server, against the local stack (dynalite + s3rver + the GACC
 * mirror) with the real handlers, the real SDK and refreshes run in-process by the local launcher:
 * auth, refresh 202/409 with a lock that expires, run progress to completion, an upload of a real
 * query-platform export, and the acceptance of a held-back release with its audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatusView } from "../../functions/api/editors/status.js";
import type { RunRecord } from "../../functions/domain/runs.js";
import type { AcceptPreview } from "../../functions/pipeline/accept-preview.js";
import type { LocalEditors } from "../../local/editors.js";
import { sampleReleases } from "../../local/mirror/render.js";
import { type EditorsServer, startEditorsServer } from "../support/editors-server.js";
import type { LocalStack } from "../support/local-stack.js";
import { describeWithSharedData, readShared } from "../support/shared-data.js";

const TOKEN = "test-editor-token-1234";
let stack: LocalStack;
let editors: LocalEditors;
let server: { url: string; stop(): Promise<void> };

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string | null; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, body });
  return { status: res.status, body: (await res.json()) as T };
}

async function waitForRun(runId: string, seen: string[] = []): Promise<RunRecord> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { status, body } = await call<RunRecord>("GET", `/api/runs/${runId}`, { token: null });
    expect(status).toBe(200);
    seen.push(body.stages.map((s) => `${s.name}:${s.status}`).join(","));
    if (body.status !== "running") return body;
    if (Date.now() > deadline) throw new Error(`run ${runId} still running after 20 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A run started by an upload or an acceptance (202). */
type Started = {
  runId: string;
  releaseId: string;
  links: { self: string };
  error?: { code: string; message: string };
};
type ReleaseView = StatusView["releases"][number];

/** A release as the status shows it. */
async function releaseView(releaseId: string): Promise<ReleaseView | undefined> {
  return (await call<StatusView>("GET", "/api/status", { token: null })).body.releases.find(
    (r) => r.releaseId === releaseId,
  );
}

function byCountryPath(currency: string, period: string): string {
  const r = sampleReleases().find((x) => x.currency === currency && x.period === period);
  if (!r) throw new Error(`no sample release ${currency} ${period}`);
  return r.path;
}

let running: EditorsServer | undefined;
beforeAll(async () => {
  running = await startEditorsServer({ token: TOKEN, since: 2022 });
  ({ stack, editors, server } = running);
}, 60_000);

afterAll(async () => {
  await running?.stop();
});

describe("editors' API on the local server", () => {
  it("refuses writes without the editor token with a message an editor understands, and keeps reads open", async () => {
    const none = await call<{ error: { code: string; message: string } }>("POST", "/api/refresh", {
      token: null,
    });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("UNAUTHENTICATED");
    expect(none.body.error.message).toMatch(
      /^Only editors can do this\. Send the editor token as the header `Authorization: Bearer <token>`/,
    );
    expect(none.body.error.message).toContain("npm start");

    const wrong = await call<{ error: { message: string } }>("POST", "/api/uploads?flow=imports", {
      token: "not-the-token",
      body: "x",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toContain("not this server's");

    const accept = await call("POST", "/api/releases/prelim-by-country-usd-2023-09/accept", {
      token: null,
      json: { reason: "x" },
    });
    expect(accept.status).toBe(401);

    const status = await call<StatusView>("GET", "/api/status", { token: null });
    expect(status.status).toBe(200);
    expect(status.body.latestRun).toBeNull();
    expect(status.body.audit).toEqual([]); // refused anonymous calls are not "who did what"

    const unknown = await call<{ error: { code: string } }>("GET", "/api/nothing-here", { token: null });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("NOT_FOUND");
  });

  it("refuses a form whose file is over the upload cap (413) before storing or starting anything", async () => {
    const { MAX_UPLOAD_BYTES } = await import("../../functions/domain/raw-keys.js");
    const form = new FormData();
    form.append("flow", "imports");
    form.append("file", new Blob([new Uint8Array(MAX_UPLOAD_BYTES + 1).fill(0x30)]), "huge.csv");
    const res = await call<{ error: { code: string; message: string } }>("POST", "/api/uploads", {
      body: form,
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("TOO_LARGE");
    expect(res.body.error.message).toMatch(
      /^The file "huge\.csv" is larger than 4\.2 MB, the upload limit\./,
    );
    const status = await call<StatusView>("GET", "/api/status", { token: null });
    expect(status.body.audit.filter((a) => a.action === "upload")).toEqual([]);
  });

  it("starts a refresh (202), refuses a second one while it runs (409 with the running id), and reports progress to the end", async () => {
    // Slow the current index page so the first run is surely still running when the second asks.
    stack.mirror.override("/statics/report/preliminary.html", { delayMs: 800 });
    const first = await call<{ runId: string; status: string; links: { self: string } }>(
      "POST",
      "/api/refresh",
      {
        json: {},
      },
    );
    const second = await call<{ error: { code: string; message: string }; runningId: string }>(
      "POST",
      "/api/refresh",
    );
    stack.mirror.reset();
    expect(first.status).toBe(202);
    expect(first.body.status).toBe("running");
    expect(first.body.links.self).toBe(`/api/runs/${first.body.runId}`);
    expect(second.status).toBe(409);
    expect(second.body.runningId).toBe(first.body.runId);
    expect(second.body.error).toEqual({
      code: "RUN_IN_PROGRESS",
      message: `Run ${first.body.runId} is already in progress; wait for it to finish.`,
    });

    const seen: string[] = [];
    const run = await waitForRun(first.body.runId, seen);
    expect(seen.some((s) => s.includes(":running"))).toBe(true);
    expect(run.status).toBe("succeeded");
    expect(run.stages.map((s) => [s.name, s.status])).toEqual([
      ["fetch", "done"],
      ["normalize", "done"],
      ["publish", "done"],
    ]);
    const normalize = run.stages.find((s) => s.name === "normalize");
    expect(normalize?.done).toBe(normalize?.total);
    expect(run.result?.observationsWritten).toBeGreaterThan(100);
    expect(run.result?.quarantined).toEqual([]);
    // What changed in each chart: on a first run, every point is new.
    const monthly = run.result?.chartChanges.find((c) => c.chartId === "china-russia-trade-monthly");
    expect(monthly?.counts.revisions).toBe(0);
    expect(monthly?.newPoints).toContainEqual(
      expect.objectContaining({ series: "imports", point: "2023-08", value: 11.5 }),
    );
    expect(run).not.toHaveProperty("chartsBefore");

    const { body: st } = await call<StatusView>("GET", "/api/status", { token: null });
    expect(st.running).toBeNull();
    expect(st.latestRun?.runId).toBe(first.body.runId);
    expect(st.releases.find((r) => r.releaseId === "prelim-by-country-usd-2023-08")).toMatchObject({
      status: "normalized",
      currency: "USD",
      period: "2023-08",
      reasons: [],
    });
    expect(st.counts.quarantined).toBe(0);
    expect(st.charts.find((c) => c.id === "china-russia-trade-monthly")).toMatchObject({
      url: "http://charts.test/charts/china-russia-trade-monthly.json",
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(st.nextRelease).toMatchObject({
      kind: "preliminary",
      expectedFrom: expect.stringMatching(/\+08:00$/),
    });
    const audit = st.audit.filter((a) => a.action === "refresh");
    expect(audit.map((a) => [a.result, a.by.name, a.target])).toEqual([
      ["refused", "local editor", "all charts"],
      ["succeeded", "local editor", "all charts"],
    ]);
    expect(audit[1]?.message).toBe(run.result?.summary);
  });

  it("two editors refreshing in the same instant: one run starts, the other is told it is in progress and can follow it at once", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const [a, b] = await Promise.all([
        call<{ runId?: string; runningId?: string; error?: { code: string } }>("POST", "/api/refresh", {
          json: {},
        }),
        call<{ runId?: string; runningId?: string; error?: { code: string } }>("POST", "/api/refresh", {
          json: {},
        }),
      ]);
      expect([a.status, b.status].sort()).toEqual([202, 409]);
      const started = a.status === 202 ? a.body : b.body;
      const refused = a.status === 202 ? b.body : a.body;
      expect(refused.error?.code).toBe("RUN_IN_PROGRESS");
      expect(refused.runningId).toBe(started.runId);
      // The refused tab follows the run it was given: found at once, never "no run".
      const follow = await call<RunRecord>("GET", `/api/runs/${refused.runningId}`, { token: null });
      expect(follow.status).toBe(200);
      expect(follow.body.runId).toBe(started.runId);
      const run = await waitForRun(started.runId ?? "");
      expect(run.status).toBe("succeeded");
    }
    // The instant between taking the lock and writing the run's record: the run is "starting", not missing.
    const { deps } = editors;
    const id = "20991231T000000000Z-refresh-beef01";
    expect(await deps.lock.acquire(id, new Date(), deps.lockTtlMs)).toEqual({ acquired: true });
    try {
      const starting = await call<RunRecord>("GET", `/api/runs/${id}`, { token: null });
      expect(starting.status).toBe(200);
      expect(starting.body).toMatchObject({ runId: id, kind: "refresh", status: "running" });
      expect(starting.body.stages.map((s) => s.status)).toEqual(["pending", "pending", "pending"]);
      const st = await call<StatusView>("GET", "/api/status", { token: null });
      expect(st.body.running?.runId).toBe(id);
    } finally {
      await deps.lock.release(id);
    }
    const gone = await call("GET", `/api/runs/${id}`, { token: null });
    expect(gone.status).toBe(404);
  });

  it("a refresh that reaches nothing upstream ends in one plain sentence, its fetch stage failed, charts unchanged", async () => {
    const { indexPathFor } = await import("../../functions/domain/gacc/index-page.js");
    const year = new Date().getUTCFullYear();
    const challenge =
      '<html><head><script>var $_ts=window["$_ts"];$_ts.nsd=1;</script></head><body></body></html>';
    for (const kind of ["preliminary", "monthly"] as const) {
      for (let y = 2022; y <= year; y++)
        stack.mirror.override(indexPathFor(kind, y, year), { status: 412, body: challenge });
    }
    const before = Buffer.from(await (await fetch(`${server.url}/charts/index.json`)).arrayBuffer());
    const refresh = await call<{ runId: string }>("POST", "/api/refresh", { json: {} });
    const run = await waitForRun(refresh.body.runId);
    stack.mirror.reset();
    expect(run.status).toBe("failed");
    expect(run.stages.map((s) => [s.name, s.status])).toEqual([
      ["fetch", "failed"],
      ["normalize", "skipped"],
      ["publish", "skipped"],
    ]);
    const sentence = `Couldn't reach GACC's website (${new URL(stack.mirror.baseUrl).host}): none of its ${2 * (year - 2022 + 1)} release index pages answered, so nothing was fetched and the charts are unchanged.`;
    expect(run.stages[0]?.message).toBe(sentence);
    expect(run.result?.summary).toBe(sentence);
    expect(run.result?.errors).toEqual([{ stage: "fetch", code: "UPSTREAM_UNREACHABLE", message: sentence }]);
    const after = Buffer.from(await (await fetch(`${server.url}/charts/index.json`)).arrayBuffer());
    expect(Buffer.compare(after, before)).toBe(0);
  });

  it("rejects a refresh of unknown charts, and a lock left by a crashed run expires", async () => {
    const bad = await call<{ error: { message: string }; knownCharts: string[] }>("POST", "/api/refresh", {
      json: { charts: ["no-such-chart"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^Unknown chart no-such-chart\. Known charts: /);
    expect(bad.body.knownCharts).toContain("china-russia-trade-monthly");

    // A run that crashed: its record says running, its lock was taken 10 minutes ago and has expired.
    const { deps } = editors;
    const crashedAt = new Date(Date.now() - 10 * 60_000);
    const crashedId = "20200101T000000000Z-refresh-dead01";
    await deps.runs.putRun({
      runId: crashedId,
      kind: "refresh",
      status: "running",
      requestedBy: { id: "local", name: "local editor" },
      request: { runId: crashedId, kind: "refresh" },
      startedAt: crashedAt.toISOString(),
      updatedAt: crashedAt.toISOString(),
      stages: [{ name: "fetch", status: "running", message: "Reading GACC's release index pages" }],
    });
    expect(await deps.lock.acquire(crashedId, crashedAt, deps.lockTtlMs)).toEqual({ acquired: true });

    const again = await call<{ runId: string }>("POST", "/api/refresh", {
      json: { charts: ["china-top-partners"] },
    });
    expect(again.status).toBe(202);
    const run = await waitForRun(again.body.runId);
    expect(run.status).toBe("succeeded");
    expect(run.request.charts).toEqual(["china-top-partners"]);

    // The crashed run is closed as failed when next looked at, with a reason an editor can act on.
    const crashed = await waitForRun(crashedId);
    expect(crashed.status).toBe("failed");
    expect(crashed.result?.errors[0]).toMatchObject({ stage: "fetch", code: "RUN_ABANDONED" });
    expect(crashed.result?.errors[0]?.message).toMatch(/start a new refresh/);
  });

  it("accepts a held-back release only as previewed: the editor chooses the currency, sees the effect, confirms, and exactly that is written", async () => {
    const ID = "prelim-by-country-usd-2023-09";
    const path = byCountryPath("USD", "2023-09");
    const original = stack.mirror.site.get(path)?.body.toString() ?? "";
    // The real June 2025 incident, here for September 2023: title in US dollars, unit row in yuan.
    const bad = original.replace(/Unit: USD ?1 Million/, "Unit: CNY 100 Million");
    expect(bad).not.toBe(original);
    const holdBack = async (html: string) => {
      stack.mirror.override(path, html);
      const refresh = await call<{ runId: string }>("POST", "/api/refresh", { json: { recheckAll: true } });
      expect(refresh.status).toBe(202);
      const run = await waitForRun(refresh.body.runId);
      stack.mirror.reset();
      expect(run.status).toBe("needs-attention");
      expect(run.result?.quarantined.map((q) => q.releaseId)).toEqual([ID]);
    };
    // The good page first (as earlier runs stored it), then the bad one.
    const first = await call<{ runId: string }>("POST", "/api/refresh", { json: {} });
    await waitForRun(first.body.runId);
    await holdBack(bad);

    const { body: st } = await call<StatusView>("GET", "/api/status", { token: null });
    const held = st.releases.find((r) => r.releaseId === ID);
    expect(held?.status).toBe("quarantined");
    expect(held?.name).toBe("Preliminary release, by country, September 2023, in US dollars");
    expect(held?.reasons[0]?.message).toMatch(/title says USD but the unit row says "Unit: CNY 100 Million"/);
    // The same words the console and the CLI print (functions/domain/wording.ts).
    expect(held?.headline).toBe(
      "Held back: the September 2023 table says US dollars in its title but yuan in its unit row, so its numbers can't be trusted. Charts are unchanged.",
    );
    expect(held?.reasonsInWords).toEqual([
      "The September 2023 table says US dollars in its title but yuan in its unit row, so its numbers can't be trusted.",
    ]);
    expect(st.latestRun?.headline).toBe(
      "1 new or revised release from GACC. Held back for review: the Preliminary release, by country, September 2023, in US dollars. Charts are unchanged.",
    );
    expect(st.glance.editor.text).toBe(
      "Needs an editor: the Preliminary release, by country, September 2023, in US dollars is held back for review.",
    );
    const nextBefore = st.nextRelease;

    type Preview = AcceptPreview;
    const preview = (resolution?: unknown) =>
      call<Preview & { error?: { code: string; message: string } }>("POST", `/api/releases/${ID}/preview`, {
        json: resolution === undefined ? {} : { resolution },
      });

    // Nothing is assumed: without a choice the preview asks for one and has nothing to confirm.
    const open = await preview();
    expect(open.status).toBe(200);
    expect(open.body.choicesNeeded.currency?.options.map((o) => [o.choice, o.currency])).toEqual([
      ["title", "USD"],
      ["unit-row", "CNY"],
    ]);
    expect(open.body.previewSha256).toBeUndefined();
    expect(open.body.headline).toMatch(/say which currency these figures are in/);
    const badChoice = await preview({ currency: "usd" });
    expect(badChoice.status).toBe(400);

    // Choice 1, the title (US dollars): the chart of trade with Russia changes, old → new in US$ billion.
    const title = await preview({ currency: "title" });
    expect(title.status).toBe(200);
    expect(title.body.resolution).toEqual({ currency: { choice: "title", currency: "USD" } });
    expect(title.body.releaseName).toBe("Preliminary release, by country, September 2023, in US dollars");
    expect(title.body.noChartChanges).toBe(false);
    const monthly = title.body.charts.find((c) => c.chartId === "china-russia-trade-monthly");
    expect(monthly?.unit).toBe("US$ billion");
    // The unit row says 100 million where the page meant 1 million: the values would be 100 times larger.
    const sepImports = monthly?.revisions.find((r) => r.series === "imports" && r.point === "2023-09");
    expect(sepImports?.previous).toBeGreaterThan(0);
    expect(sepImports?.value).toBeCloseTo((sepImports?.previous ?? 0) * 100, 6);
    expect(sepImports).toMatchObject({ previous: 11.53, value: 1153 });
    expect(title.body.headline).toContain(
      "Imports from Russia, September 2023: US$11.5 billion → US$1,153.0 billion",
    );
    expect(title.body.headline).toMatch(
      /^Accepting the Preliminary release, by country, September 2023, in US dollars \(read in US dollars, as its title says\) would change \d+ charts?:/,
    );
    expect(title.body.previewSha256).toMatch(/^[0-9a-f]{64}$/);

    // Choice 2, the unit row (yuan): stored as yuan figures, which no chart shows for September 2023.
    const unitRow = await preview({ currency: "unit-row" });
    expect(unitRow.body.resolution).toEqual({ currency: { choice: "unit-row", currency: "CNY" } });
    expect(unitRow.body.releaseName).toBe("Preliminary release, by country, September 2023, in yuan");
    expect(unitRow.body.charts).toEqual([]);
    expect(unitRow.body.noChartChanges).toBe(true);
    expect(unitRow.body.headline).toMatch(/would store [\d,]+ figures but change no chart/);
    // Before confirming, it says why: the only chart of yuan figures by country shows its latest month.
    expect(unitRow.body.headline).toMatch(
      /change no chart\. “China's largest trading partners” \(it shows the latest month only: March 2026\) draws figures like these \(China's .* with Russia, September 2023, in yuan\), but it already shows these values or another month\.$/,
    );
    expect(unitRow.body.chartUse?.uses.map((u) => u.chartId)).toEqual(["china-top-partners"]);
    expect(unitRow.body.chartUse?.held).toMatchObject({ periods: ["2023-09"], currencies: ["CNY"] });
    // The page holds Russia's four figures; in yuan they go to other series, so all four are new there.
    expect(unitRow.body.figures).toEqual({ stored: 4, changed: 4, revised: 0 });
    expect(title.body.figures).toEqual({ stored: 4, changed: 4, revised: 4 });
    expect(unitRow.body.previewSha256).not.toBe(title.body.previewSha256);

    const reason = "Checked against GACC's PDF: the figures are CNY 100 million";
    const acceptWith = (json: Record<string, unknown>) =>
      call<
        Started & {
          preview: Preview;
          error?: { code: string; message: string };
        }
      >("POST", `/api/releases/${ID}/accept`, { json });

    const noReason = await acceptWith({ reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error?.message).toMatch(/^Give a reason for accepting this release/);
    const noChoice = await acceptWith({ reason });
    expect(noChoice.status).toBe(400);
    expect(noChoice.body.error?.code).toBe("CHOICE_NEEDED");
    const unconfirmed = await acceptWith({ reason, resolution: { currency: "unit-row" } });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error?.code).toBe("PREVIEW_FIRST");
    // The hash of one choice does not confirm the other.
    const crossed = await acceptWith({
      reason,
      resolution: { currency: "unit-row" },
      previewSha256: title.body.previewSha256,
    });
    expect(crossed.status).toBe(409);
    expect(crossed.body.error?.code).toBe("PREVIEW_CHANGED");

    const notHeld = await call<{ error: { code: string } }>(
      "POST",
      "/api/releases/prelim-by-country-usd-2023-08/accept",
      { json: { reason: "looks fine" } },
    );
    expect(notHeld.status).toBe(409);
    expect(notHeld.body.error.code).toBe("NOT_QUARANTINED");
    // The refusal is audited with the editor's reason and why, before any run.
    const { body: refusedView } = await call<StatusView>("GET", "/api/status", { token: null });
    expect(refusedView.audit.find((a) => a.action === "accept" && a.result === "refused")).toMatchObject({
      by: { id: "local" },
      target: "prelim-by-country-usd-2023-08",
      details: { reason: "looks fine" },
      message: "Refused: the release is normalized, not held back",
    });
    const missing = await call("POST", "/api/releases/no-such-release/accept", { json: { reason: "x" } });
    expect(missing.status).toBe(404);

    const chartBytes = async (id: string) =>
      Buffer.from(await (await fetch(`${server.url}/charts/${id}.json`)).arrayBuffer());
    const monthlyBefore = await chartBytes("china-russia-trade-monthly");

    // Confirm the unit-row reading: what is written is the preview — yuan figures, no chart changed.
    const accepted = await acceptWith({
      reason,
      resolution: { currency: "unit-row" },
      previewSha256: unitRow.body.previewSha256,
    });
    // The API checked the preview and started a run (202): normalize and publish happen in the run.
    expect(accepted.status).toBe(202);
    expect(accepted.body.preview.previewSha256).toBe(unitRow.body.previewSha256);
    expect(accepted.body.links.self).toBe(`/api/runs/${accepted.body.runId}`);
    const acceptedRun = await waitForRun(accepted.body.runId);
    expect(acceptedRun.stages.map((st) => [st.name, st.status])).toEqual([
      ["normalize", "done"],
      ["publish", "done"],
    ]);
    expect(await releaseView(ID)).toMatchObject({
      status: "accepted",
      currency: "CNY",
      name: "Preliminary release, by country, September 2023, in yuan",
      acceptance: {
        by: "local editor",
        reason,
        resolution: { currency: { choice: "unit-row", currency: "CNY" } },
        previewSha256: unitRow.body.previewSha256,
        reading: "read in yuan, as its unit row says",
      },
    });
    expect(acceptedRun).toMatchObject({ kind: "accept", status: "succeeded" });
    expect(acceptedRun.result?.releases[0]?.observationsWritten).toBe(unitRow.body.figures.changed);
    expect(acceptedRun.result?.chartChanges).toEqual([]);
    expect(Buffer.compare(await chartBytes("china-russia-trade-monthly"), monthlyBefore)).toBe(0);
    const { dynamoStore } = await import("../../functions/composition.js");
    const cny = await dynamoStore().querySeries("CHN|RUS|imports|TOTAL|CNY");
    const sepCny = cny.observations.find((o) => o.kind === "month" && o.period === "2023-09");
    expect(sepCny?.provenance.acceptedAfterReview).toBe(
      `accepted after review by local editor: read in yuan, as its unit row says ("${reason}")`,
    );

    const { body: after } = await call<StatusView>("GET", "/api/status", { token: null });
    const entry = after.audit.find((a) => a.action === "accept" && a.result !== "refused");
    expect(entry).toMatchObject({
      by: { id: "local", name: "local editor" },
      target: ID,
      details: {
        reason,
        reading: "read in yuan, as its unit row says",
        previewSha256: unitRow.body.previewSha256,
      },
      result: "succeeded",
      runId: accepted.body.runId,
    });
    expect(JSON.parse(entry?.details?.preview ?? "{}")).toEqual(unitRow.body);
    expect(after.releases.find((r) => r.releaseId === ID)?.currency).toBe("CNY");
    // No chart shows what was stored: "next release" has not moved on.
    expect(after.nextRelease).toEqual(nextBefore);
    // Nor are the charts any fresher: every chart's latest period and update time are as they were.
    expect(after.charts.map((c) => [c.id, c.latestPeriod, c.updatedAt])).toEqual(
      st.charts.map((c) => [c.id, c.latestPeriod, c.updatedAt]),
    );
    expect(after.counts.accepted).toBe(1);

    // Held back again (the page changes once more), and this time read as the title says.
    await holdBack(bad.replace("</body>", "<!-- again --></body>"));
    const title2 = await preview({ currency: "title" });
    expect(title2.body.noChartChanges).toBe(false);
    // The run computes the preview again and carries out only the one confirmed: a run whose preview
    // no longer matches (the data moved between the API's check and the run) ends in PREVIEW_CHANGED,
    // nothing written, the release still held back.
    const { runAccept } = await import("../../local/run-pipeline.js");
    const stale = await runAccept("stale-preview-run", {
      releaseId: ID,
      by: "local editor",
      reason: "Checked: the figures are US dollars",
      resolution: { currency: { choice: "title", currency: "USD" } },
      previewSha256: unitRow.body.previewSha256 ?? "",
    });
    expect(stale.errors).toEqual([
      {
        stage: "normalize",
        code: "PREVIEW_CHANGED",
        message:
          "What accepting would publish changed after your preview (another run wrote data). Nothing was written: look at the new preview and confirm it.",
      },
    ]);
    expect(stale.normalize).toEqual([]);
    expect(stale.publish).toBeUndefined();
    expect(await releaseView(ID)).toMatchObject({ status: "quarantined", currency: "USD" });
    // Confirmed from a terminal (npm run accept): the preview first, nothing written, then exactly it.
    const { main: cli } = await import("../../local/cli.js");
    const printed: string[] = [];
    const print = (line: string) => printed.push(line);
    const args = [ID, "--reason", "Checked: the figures are US dollars", "--currency", "title"];
    process.env.EDITOR_TOKEN = TOKEN;
    try {
      expect(await cli(["accept", ...args, "--url", server.url], print)).toBe(0);
      expect(printed).toEqual([
        title2.body.headline,
        `Nothing was written. To publish exactly this, run the same command with --preview ${title2.body.previewSha256}`,
      ]);
      expect(await releaseView(ID)).toMatchObject({ status: "quarantined" });
      printed.length = 0;
      const confirm = [...args, "--preview", title2.body.previewSha256 ?? "", "--url", server.url];
      expect(await cli(["accept", ...confirm], print)).toBe(0);
    } finally {
      delete process.env.EDITOR_TOKEN;
    }
    expect(printed[0]).toMatch(/^Started run \S+-accept-\S+ on .*: publishing as previewed$/);
    const confirmedRun = await waitForRun(/^Started run (\S+)/.exec(printed[0] ?? "")?.[1] ?? "");
    expect(printed.at(-1)).toContain(`(run ${confirmedRun.runId};`);
    expect(confirmedRun.status).toBe("succeeded");
    expect(await releaseView(ID)).toMatchObject({ status: "accepted", currency: "USD" });
    // The run changed exactly the points the preview showed, to the values it showed.
    const shown = title2.body.charts.map((c) => [c.chartId, c.counts, c.revisions, c.newPoints]);
    const done = (confirmedRun.result?.chartChanges ?? []).map((c) => [
      c.chartId,
      c.counts,
      c.revisions,
      c.newPoints,
    ]);
    expect(done).toEqual(shown);
    const chart = JSON.parse((await chartBytes("china-russia-trade-monthly")).toString()) as {
      notes: string[];
      provenance: Array<{ releaseId: string; acceptedAfterReview?: string }>;
    };
    // The figures shown come from the accepted bytes, whose provenance says how they were read.
    expect(
      chart.provenance
        .filter((p) => p.releaseId === ID)
        .map((p) => p.acceptedAfterReview)
        .find((a) => a !== undefined),
    ).toMatch(/^accepted after review by local editor: read in US dollars, as its title says/);
    expect(chart.notes).toContainEqual(
      expect.stringMatching(/accepted after review by local editor: read in US dollars/),
    );

    // Put the page's figures back as published, so later tests see the real ones.
    const fix = await call<{ runId: string }>("POST", "/api/refresh", { json: { recheckAll: true } });
    await waitForRun(fix.body.runId);
  });

  it("shows a chart the publish guard held back, and publishes it when an editor accepts it with a reason", async () => {
    const { dynamoStore } = await import("../../functions/composition.js");
    const store = dynamoStore();
    const series = await store.querySeries("CHN|RUS|imports|TOTAL|USD");
    const oct = series.observations.find((o) => o.kind === "month" && o.period === "2023-10");
    if (!oct) throw new Error("no October 2023 imports stored");
    // A value moves tenfold with no revision on record (as a parser bug would make it): held back.
    await store.write([{ ...oct, value: oct.value * 10 }], []);
    const refresh = await call<{ runId: string }>("POST", "/api/refresh", { json: {} });
    expect(refresh.status).toBe(202);
    await waitForRun(refresh.body.runId);

    const { body: st } = await call<StatusView>("GET", "/api/status", { token: null });
    const hold = st.heldCharts.find((h) => h.chartId === "china-russia-trade-monthly");
    expect(hold?.status).toBe("held");
    expect(hold?.reasons.map((r) => r.check)).toContain("value-moved");
    const chartJson = async () =>
      (await (await fetch(`${server.url}/charts/china-russia-trade-monthly.json`)).json()) as {
        series: Array<{ key: string; points: Array<{ period: string; value: number }> }>;
      };
    const octValue = async () =>
      (await chartJson()).series.find((x) => x.key === "imports")?.points.find((p) => p.period === "2023-10")
        ?.value;
    expect(await octValue()).toBe(11.1); // graphics still get the last good chart

    const noReason = await call("POST", "/api/charts/china-russia-trade-monthly/accept", { json: {} });
    expect(noReason.status).toBe(400);
    const notHeld = await call<{ error: { code: string } }>("POST", "/api/charts/china-top-partners/accept", {
      json: { reason: "fine" },
    });
    expect(notHeld.status).toBe(409);
    expect(notHeld.body.error.code).toBe("NOT_HELD");

    // A version other than the one held: refused at once, audited, no run.
    const stale = await call<{ error: { code: string; message: string } }>(
      "POST",
      "/api/charts/china-russia-trade-monthly/accept",
      { json: { reason: "looked at an old page", candidateSha256: "0".repeat(64) } },
    );
    expect([stale.status, stale.body.error.code]).toEqual([409, "NOT_HELD"]);
    expect(stale.body.error.message).toMatch(/is a different version .* Review it again\.$/);

    const reason = "Checked with the desk: publish the reprocessed series";
    const accepted = await call<Started & { chartId: string }>(
      "POST",
      "/api/charts/china-russia-trade-monthly/accept",
      { json: { reason, candidateSha256: hold?.candidateSha256 } },
    );
    // The API checked the hold and started a run: the run records the acceptance and publishes.
    expect(accepted.status).toBe(202);
    expect(accepted.body.links.self).toBe(`/api/runs/${accepted.body.runId}`);
    expect(accepted.body).toMatchObject({
      chartId: "china-russia-trade-monthly",
      run: { kind: "accept-chart" },
    });
    const seen: string[] = [];
    const done = await waitForRun(accepted.body.runId, seen);
    expect(done).toMatchObject({ kind: "accept-chart", status: "succeeded" });
    expect(done.stages).toMatchObject([{ name: "publish", status: "done" }]);
    expect(done.stages[0]?.message).toMatch(/^\d+ chart files written, \d+ unchanged$/);
    expect(done.result?.summary).toMatch(/; 1 chart changed, \d+ files written\.$/);
    expect(done.result?.chartChanges.map((c) => c.chartId)).toEqual(["china-russia-trade-monthly"]);
    expect(await octValue()).toBe(111);
    const { body: after } = await call<StatusView>("GET", "/api/status", { token: null });
    expect(after.heldCharts).toEqual([]);
    const audited = after.audit.filter((a) => a.action === "accept-chart");
    expect(audited[0]).toMatchObject({
      target: "china-russia-trade-monthly",
      details: { reason, candidateSha256: hold?.candidateSha256 },
      result: "succeeded",
      runId: accepted.body.runId,
    });
    expect(audited.find((a) => a.result === "refused")).toMatchObject({
      target: "china-russia-trade-monthly",
      details: { reason: "looked at an old page" },
      message: expect.stringMatching(
        /^Refused: The chart china-russia-trade-monthly held back now is a different version/,
      ),
    });

    // Put the stored value back (held again, as any unexplained move is), and accept that too (without
    // naming the version: the one held when the editor asks is the one accepted).
    await store.write([oct], []);
    const back = await call<{ runId: string }>("POST", "/api/refresh", { json: {} });
    await waitForRun(back.body.runId);
    const again = await call<Started>("POST", "/api/charts/china-russia-trade-monthly/accept", {
      json: { reason: "restored" },
    });
    expect(again.status).toBe(202);
    expect((await waitForRun(again.body.runId)).status).toBe("succeeded");
    expect(await octValue()).toBe(11.1);
  });
});

describeWithSharedData("uploads of query-platform exports", () => {
  const FILE = "harukaworks_2023.csv";

  it("stages a real export, answers 202 with the run, and the run archives it byte for byte, normalizes and publishes it", async () => {
    const bytes = readShared("stats_customs_query_platform", FILE);
    const form = new FormData();
    form.append("flow", "imports");
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "text/csv" }), FILE);
    const res = await call<Started>("POST", "/api/uploads", { body: form });
    expect(res.status).toBe(202);
    const { rawKeyFor } = await import("../../functions/pipeline/archive.js");
    const { sha256Hex } = await import("../../functions/domain/sha256.js");
    const sha = sha256Hex(bytes);
    expect(res.body.releaseId).toBe(`query-imports-${sha.slice(0, 16)}`);
    expect(res.body.links.self).toBe(`/api/runs/${res.body.runId}`);
    const run = await waitForRun(res.body.runId);
    expect(run.status).toBe("succeeded");
    expect(run.stages.map((s) => [s.name, s.status])).toEqual([
      ["store", "done"],
      ["normalize", "done"],
      ["publish", "done"],
    ]);
    expect(run.result?.observationsWritten).toBe(40);
    expect(await releaseView(res.body.releaseId)).toMatchObject({
      source: "gacc-query-platform",
      table: "query-platform",
      currency: "CNY",
      period: "2023-12",
      status: "normalized",
      upload: { fileName: FILE, flow: "imports", uploadedBy: "local editor", firstPeriod: "2023-01" },
    });
    // What the file held, and why no chart changed: which chart would use such figures, and what it needs.
    const read = run.result?.releases[0];
    expect(read?.chartUse?.held).toMatchObject({ flows: ["imports"], partnerCount: 3, commodityCount: 2 });
    expect(read?.chartUse?.uses).toEqual([]);
    expect(read?.chartUse?.wouldUse.map((w) => [w.chartId, w.needs])).toEqual([
      ["china-russia-imports-by-hs-chapter", "of HS chapters 27, 10 or 03 from Russia"],
    ]);
    expect(read?.effect).toMatch(
      /^No chart changed\. No chart shows China's imports of HS 12019011 and HS 12019019 from Argentina, Brazil and the United States, January–December 2023, in yuan\. “What China buys from Russia” would/,
    );

    // Archived at its content address, byte for byte, like any fetched page.
    const archived = await editors.deps.raw.get(rawKeyFor(sha, "text/csv"));
    expect(Buffer.compare(Buffer.from(archived.body), bytes)).toBe(0);
    expect(archived.meta.sha256).toBe(sha);
    // Codes stay strings; values in whole yuan; flow as the editor said.
    const { observations } = await editors.deps.normalize.observations.querySeries(
      "CHN|ARG|imports|12019019|CNY",
    );
    expect(observations.find((o) => o.period === "2023-01")).toMatchObject({
      value: 5917063944,
      vintage: "query",
      commodity: "12019019",
      printed: { value: "5,917,063,944", unit: "CNY" },
    });

    // The same bytes again: the same release, nothing written.
    const again = await call<Started>("POST", "/api/uploads", { body: form });
    expect(again.status).toBe(202);
    expect(again.body.releaseId).toBe(res.body.releaseId);
    const second = await waitForRun(again.body.runId);
    expect(second.stages[0]?.message).toBe(`Already uploaded as ${res.body.releaseId}: nothing new to store`);
    expect(second.result?.observationsWritten).toBe(0);

    const { body: st } = await call<StatusView>("GET", "/api/status", { token: null });
    expect(st.audit.find((a) => a.action === "upload")).toMatchObject({
      target: `${FILE} (imports)`,
      by: { name: "local editor" },
      result: "succeeded",
      details: { fileName: FILE, flow: "imports", sha256: sha },
    });
  });

  it("the console's way: a slot, the bytes PUT to its presigned address (s3rver), then the run", async () => {
    const bytes = readShared("stats_customs_query_platform", "harukaworks_2024in.csv");
    const { sha256Hex } = await import("../../functions/domain/sha256.js");
    const sha256 = sha256Hex(bytes);
    const facts = { fileName: "harukaworks_2024in.csv", flow: "imports" };
    const slot = await call<{
      releaseId: string;
      upload: { method: string; url: string; headers: Record<string, string> };
      start: string;
    }>("POST", "/api/uploads", { json: { ...facts, size: bytes.byteLength, sha256 } });
    expect(slot.status).toBe(201);
    expect(slot.body.start).toBe(`/api/uploads/${sha256}`);
    // Presigned for exactly this key, size and type, with the sha256 S3 checks the bytes against.
    const url = new URL(slot.body.upload.url);
    expect(url.pathname).toMatch(new RegExp(`/uploads/${sha256}\\.csv$`));
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
    expect(url.searchParams.get("x-amz-checksum-sha256")).toBe(Buffer.from(sha256, "hex").toString("base64"));

    // Started before the bytes arrived: refused, nothing recorded.
    const early = await call<Started>("POST", slot.body.start, { json: facts });
    expect(early.status).toBe(409);
    expect(early.body.error?.code).toBe("UPLOAD_MISSING");

    const put = await fetch(slot.body.upload.url, {
      method: slot.body.upload.method,
      headers: slot.body.upload.headers,
      body: new Uint8Array(bytes),
    });
    expect(put.status).toBe(200);
    const started = await call<Started>("POST", slot.body.start, { json: facts });
    expect(started.status).toBe(202);
    expect(started.body.releaseId).toBe(slot.body.releaseId);
    expect((await waitForRun(started.body.runId)).status).toBe("succeeded");
    expect(await releaseView(slot.body.releaseId)).toMatchObject({ status: "normalized" });
  });

  it("refuses the same file under the other flow, unless the editor replaces the earlier reading (recorded)", async () => {
    const bytes = readShared("stats_customs_query_platform", FILE);
    const { sha256Hex } = await import("../../functions/domain/sha256.js");
    const sha = sha256Hex(bytes);
    const asImports = `query-imports-${sha.slice(0, 16)}`;
    const asExports = `query-exports-${sha.slice(0, 16)}`;
    const send = (flow: string, replace?: boolean) => {
      const form = new FormData();
      form.append("flow", flow);
      if (replace) form.append("replace", "true");
      form.append("file", new Blob([new Uint8Array(bytes)], { type: "text/csv" }), FILE);
      return call<Started & { earlierReleaseId?: string }>("POST", "/api/uploads", { body: form });
    };
    const first = await send("imports"); // stored as imports (earlier test, or now)
    expect(first.status).toBe(202);
    await waitForRun(first.body.runId);

    const refused = await send("exports");
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe("FLOW_CONFLICT");
    expect(refused.body.error?.message).toMatch(
      /^This file was already uploaded as China's imports by local editor on \d{4}-\d{2}-\d{2}\. The same file cannot hold both imports and exports, so nothing was stored\./,
    );
    expect(refused.body.earlierReleaseId).toBe(asImports);
    expect(await editors.deps.releases.getRelease(asExports)).toBeUndefined();
    const { observations: none } = await editors.deps.normalize.observations.querySeries(
      "CHN|ARG|exports|12019019|CNY",
    );
    expect(none.filter((o) => o.provenance.releaseId === asExports)).toEqual([]);

    // The editor says imports was the wrong choice: the exports reading replaces it, on the record.
    const replaced = await send("exports", true);
    expect(replaced.status).toBe(202);
    const replacedRun = await waitForRun(replaced.body.runId);
    expect(replacedRun.status).toBe("succeeded");
    expect(await releaseView(asExports)).toMatchObject({
      status: "normalized",
      upload: { flow: "exports", replaces: { releaseId: asImports, flow: "imports", by: "local editor" } },
    });
    expect((await editors.deps.releases.getRelease(asImports))?.supersededBy).toBe(asExports);
    // Recorded as a revision of every figure's reading (old → new release), counted in the run.
    expect(replacedRun.result?.revisions).toBe(40);
    expect(replacedRun.result?.summary).toContain("(40 revisions)");
    const { observations: _o, revisions } = await editors.deps.normalize.observations.querySeries(
      "CHN|ARG|exports|12019019|CNY",
    );
    expect(revisions.find((r) => r.period === "2023-01")).toMatchObject({
      oldValue: 5917063944,
      newValue: 5917063944,
      oldRelease: { releaseId: asImports },
      newRelease: { releaseId: asExports },
      replacedReading: { flow: "imports", by: "local editor" },
    });
    const { body: st } = await call<StatusView>("GET", "/api/status", { token: null });
    expect(st.releases.find((r) => r.releaseId === asImports)?.supersededBy).toBe(asExports);
    expect(st.audit.find((a) => a.action === "upload")).toMatchObject({
      target: `${FILE} (exports)`,
      details: { flow: "exports", replace: "the earlier reading under the other flow" },
      result: "succeeded",
    });
    // And back: imports is live again, exports replaced.
    const back = await send("imports", true);
    expect(back.status).toBe(202);
    const backRun = await waitForRun(back.body.runId);
    expect(await releaseView(asImports)).toMatchObject({ upload: { replaces: { releaseId: asExports } } });
    expect((await editors.deps.releases.getRelease(asImports))?.supersededBy).toBeUndefined();
    expect((await editors.deps.releases.getRelease(asExports))?.supersededBy).toBe(asImports);
    expect(backRun.result?.revisions).toBe(40);
  });

  it("takes the raw file with the flow as a query parameter", async () => {
    const bytes = readShared("stats_customs_query_platform", "harukaworks_2024out.csv");
    const res = await call<Started>("POST", "/api/uploads?flow=exports&filename=harukaworks_2024out.csv", {
      body: new Uint8Array(bytes),
      headers: { "content-type": "text/csv" },
    });
    expect(res.status).toBe(202);
    expect((await waitForRun(res.body.runId)).status).toBe("succeeded");
    expect(await releaseView(res.body.releaseId)).toMatchObject({
      status: "normalized",
      upload: { flow: "exports" },
    });
  });

  it("asks for the flow, and a file that is not a query-platform export ends its run in a clear error, nothing stored", async () => {
    const bytes = readShared("stats_customs_query_platform", FILE);
    const noFlow = await call<{ error: { message: string } }>("POST", "/api/uploads", {
      body: new Uint8Array(bytes),
      headers: { "content-type": "text/csv" },
    });
    expect(noFlow.status).toBe(400);
    expect(noFlow.body.error.message).toMatch(/^Say whether the file holds China's imports or exports/);

    const before = (await call<StatusView>("GET", "/api/status", { token: null })).body.releases.length;
    const notCsv = await call<Started>("POST", "/api/uploads?flow=imports&filename=notes.txt", {
      body: "Dear editor,\nthis is a letter, not an export.\n",
    });
    expect(notCsv.status).toBe(202);
    const run = await waitForRun(notCsv.body.runId);
    expect(run.status).toBe("failed");
    expect(run.stages[0]).toMatchObject({ name: "store", status: "failed" });
    expect(run.stages[0]?.message).toMatch(
      /^This file cannot be read as a query-platform export: .+ Nothing was stored\.$/,
    );
    expect(run.result?.errors[0]).toMatchObject({ stage: "store", code: "NOT_A_QUERY_EXPORT" });
    expect((await call<StatusView>("GET", "/api/status", { token: null })).body.releases).toHaveLength(
      before,
    );
    expect(await editors.deps.releases.getRelease(notCsv.body.releaseId)).toBeUndefined();
  });
});
