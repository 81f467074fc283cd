/**
 * The editors' API in the deployed-shape run: the API function's bundle, invoked as API Gateway invokes
 * it (support/editors-client.ts), through every route an editor uses, on the stack deployed.test.ts
 * runs. Its SDK calls are recorded like every function's, so "IAM proven by use" there covers the API's
 * role too, and its per-route figures are what its memory and timeout are sized from.
 *
 * Called from deployed.test.ts (one stack, one run), after the pipeline and upload paths: the data the
 * routes read is the story those published.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createDynamoClient } from "../../functions/adapters/aws-clients.js";
import { DynamoStore } from "../../functions/adapters/dynamo-store.js";
import type { StatusView } from "../../functions/api/editors/status.js";
import type { RunRecord } from "../../functions/domain/runs.js";
import { sha256Hex } from "../../functions/domain/sha256.js";
import type { AcceptPreview } from "../../functions/pipeline/accept-preview.js";
import { LOCAL_CREDENTIALS } from "../../local/emulators.js";
import { releasePath } from "../reliability/support/pages.js";
import { queryExportChunks } from "../support/query-export.js";
import type { DeployedStack } from "./support/deployed-stack.js";
import { EditorsClient, READER } from "./support/editors-client.js";
import { REGION } from "./support/local-resources.js";

const RUN_TIMEOUT = 120_000;

interface ErrorBody {
  error: { code: string; message: string };
}
interface Started {
  runId: string;
  status: string;
  releaseId?: string;
  links: { self: string };
}

let client: EditorsClient | undefined;

/** The client the paths below used (its per-route figures), once they ran. */
export function editorsClient(): EditorsClient | undefined {
  return client;
}

export function describeEditorsApi(stackOf: () => DeployedStack): void {
  describe("the editors' API, route by route (the bundle API Gateway invokes)", () => {
    let store: DynamoStore | undefined;
    let dynamo: ReturnType<typeof createDynamoClient> | undefined;
    const api = (): EditorsClient => {
      if (!client) {
        const stack = stackOf();
        const fn = stack.functions.api;
        const proxy = stack.proxies.api;
        if (!fn || !proxy) throw new Error("no api function in the template");
        client = new EditorsClient(fn, proxy);
      }
      return client;
    };
    /** The table as a test sees it (around every function's recording proxy: calls here are not the API's). */
    const table = (): DynamoStore => {
      const stack = stackOf();
      dynamo ??= createDynamoClient({
        endpoint: stack.emulators.dynamoEndpoint,
        region: REGION,
        credentials: { ...LOCAL_CREDENTIALS },
      });
      store ??= new DynamoStore(dynamo, stack.local.names.tableName);
      return store;
    };
    afterAll(() => dynamo?.destroy());

    const refresh = async (json: Record<string, unknown> = {}) => {
      const started = await api().call<Started>("POST", "/api/refresh", { json });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const done = await api().follow<RunRecord>(started.body.runId);
      expect(done.status).toBe(200);
      return done.body;
    };

    it("refuses a request around CloudFront, without a usable identity, or a write by a non-editor, touching nothing", async () => {
      const around = await api().call<ErrorBody>("GET", "/api/status", { viaCdn: false });
      expect([around.status, around.body.error.code]).toEqual([403, "NOT_THROUGH_CDN"]);
      const anonymous = await api().call<ErrorBody>("GET", "/api/status", { claims: null });
      expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "UNAUTHENTICATED"]);
      const reader = await api().call<ErrorBody>("POST", "/api/refresh", { claims: READER, json: {} });
      expect([reader.status, reader.body.error.code]).toEqual([403, "FORBIDDEN"]);
      expect(reader.body.error.message).toMatch(
        /^You are signed in as reader@newsroom\.example, but not as an editor/,
      );
      // Refused before any store is asked.
      expect([around.sdkCalls, anonymous.sdkCalls, reader.sdkCalls]).toEqual([0, 0, 0]);
    });

    it("the status a signed-in reader sees: releases, charts, runs", async () => {
      const st = await api().call<StatusView>("GET", "/api/status", { claims: READER });
      expect(st.status).toBe(200);
      expect(st.body.stage).toBe("dev");
      expect(st.body.releases.map((r) => r.releaseId)).toContain("prelim-by-country-usd-2023-09");
      expect(st.body.charts.map((c) => c.id)).toContain("china-russia-trade-monthly");
    });

    it(
      "a refresh starts an execution of the pipeline; following it records the run's end and frees the lock",
      async () => {
        const started = await api().call<Started>("POST", "/api/refresh", { json: {} });
        expect(started.status).toBe(202);
        expect(started.headers.location).toBe(started.body.links.self);
        const stack = stackOf();
        const ex = stack.sfn.executions.get(stack.sfn.executionArn(started.body.runId));
        expect(ex?.input).toMatchObject({ runId: started.body.runId, trigger: "editor" });
        const done = await api().follow<RunRecord>(started.body.runId);
        expect(done.body).toMatchObject({ runId: started.body.runId, status: "succeeded" });
        expect(done.body.requestedBy.name).toBe("editor@newsroom.example");
        const st = await api().call<StatusView>("GET", "/api/status");
        expect(st.body.running).toBeNull();
        expect(st.body.latestRun?.runId).toBe(started.body.runId);
        expect(st.body.audit[0]).toMatchObject({ action: "refresh", result: "succeeded" });
      },
      RUN_TIMEOUT,
    );

    it(
      "a refresh asked for while another runs is refused with the running id and counted in the audit log",
      async () => {
        const stack = stackOf();
        // The index answers slowly, so the first run is still fetching when the second request comes.
        stack.mirror.override("/statics/report/preliminary.html", { delayMs: 4000 });
        try {
          const first = await api().call<Started>("POST", "/api/refresh", { json: {} });
          expect(first.status).toBe(202);
          const second = await api().call<ErrorBody & { runningId: string }>("POST", "/api/refresh", {
            json: {},
          });
          expect([second.status, second.body.error.code]).toEqual([409, "RUN_IN_PROGRESS"]);
          expect(second.body.runningId).toBe(first.body.runId);
          const done = await api().follow<RunRecord>(first.body.runId);
          expect(done.body.status).toBe("succeeded");
        } finally {
          stack.mirror.reset();
        }
        // The refusal is one counted entry (UpdateItem on the audit partition), not one entry per click.
        const st = await api().call<StatusView>("GET", "/api/status");
        expect(st.body.audit.find((a) => a.result === "refused" && a.action === "refresh")).toMatchObject({
          message: expect.stringMatching(/^Refused: run .* is in progress/),
        });
      },
      RUN_TIMEOUT,
    );

    it(
      "a held-back release: the preview asks for the currency, then shows what accepting publishes; acceptance needs that preview",
      async () => {
        const stack = stackOf();
        const id = "prelim-by-country-usd-2023-09";
        const path = releasePath("USD", "2023-09");
        const original = stack.mirror.site.get(path)?.body.toString() ?? "";
        // Bytes of its own (the marker): the accept path's own test accepted the same misprint earlier.
        const misprint = original.replace(/Unit: USD ?1 Million/, "Unit: CNY 100 Million");
        stack.mirror.override(path, misprint.replace("</body>", "<!-- the API's routes --></body>"));
        try {
          await refresh({ recheckAll: true });
        } finally {
          stack.mirror.reset();
        }
        const st = await api().call<StatusView>("GET", "/api/status");
        expect(st.body.releases.find((r) => r.releaseId === id)?.status).toBe("quarantined");

        const preview = (json: Record<string, unknown>) =>
          api().call<AcceptPreview>("POST", `/api/releases/${id}/preview`, { json });
        const ask = await preview({});
        expect(ask.status).toBe(200);
        expect(ask.body.choicesNeeded.currency).toMatchObject({ title: "USD", unitRow: "CNY" });
        expect(ask.body.previewSha256).toBeUndefined();
        const asTitle = await preview({ resolution: { currency: "title" } });
        expect(asTitle.status).toBe(200);
        expect(asTitle.body.previewSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(asTitle.body.sha256).toMatch(/^[0-9a-f]{64}$/);

        const accept = (json: Record<string, unknown>) =>
          api().call<ErrorBody & Started>("POST", `/api/releases/${id}/accept`, { json });
        const unconfirmed = await accept({ reason: "checked", resolution: { currency: "title" } });
        expect([unconfirmed.status, unconfirmed.body.error.code]).toEqual([409, "PREVIEW_FIRST"]);
        const reason = "Checked against the PDF: US dollars, the unit row is a typo";
        const accepted = await accept({
          reason,
          resolution: { currency: "title" },
          previewSha256: asTitle.body.previewSha256,
        });
        // The API checked the preview and started the workflow's accept path; it wrote no figures.
        expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
        const ex = stack.sfn.executions.get(stack.sfn.executionArn(accepted.body.runId));
        expect(ex?.input).toMatchObject({
          runId: accepted.body.runId,
          accept: {
            releaseId: id,
            by: "editor@newsroom.example",
            reason,
            resolution: { currency: { choice: "title", currency: "USD" } },
            previewSha256: asTitle.body.previewSha256,
          },
        });
        const done = await api().follow<RunRecord>(accepted.body.runId);
        expect(done.body).toMatchObject({ kind: "accept", status: "succeeded" });
        expect(ex?.entered.slice(-4)).toEqual([
          "NormalizeAccepted",
          "AcceptChecked",
          "PublishAccepted",
          "AcceptReport",
        ]);
        const after = await api().call<StatusView>("GET", "/api/status");
        expect(after.body.releases.find((r) => r.releaseId === id)?.status).toBe("accepted");
      },
      RUN_TIMEOUT,
    );

    it(
      "a chart the publish guard held back is listed, and published when an editor accepts it",
      async () => {
        const chartId = "china-russia-trade-monthly";
        const series = await table().querySeries("CHN|RUS|imports|TOTAL|USD");
        const oct = series.observations.find((o) => o.kind === "month" && o.period === "2023-10");
        if (!oct) throw new Error("no October 2023 imports stored");
        // A value moves tenfold with no revision on record (as a parser bug would make it): held back.
        await table().write([{ ...oct, value: oct.value * 10 }], []);
        await refresh();
        const held = async () =>
          (await api().call<StatusView>("GET", "/api/status")).body.heldCharts.find(
            (h) => h.chartId === chartId,
          );
        const hold = await held();
        expect(hold?.status).toBe("held");
        expect(hold?.reasons.map((r) => r.check)).toContain("value-moved");
        const accept = (candidateSha256: string | undefined) =>
          api().call<ErrorBody & Started & { chartId: string }>("POST", `/api/charts/${chartId}/accept`, {
            json: { reason: "Checked with the desk", candidateSha256 },
          });
        const stack = stackOf();
        // A version that is not the one held: refused by the API at once (409), no run started.
        const executionsBefore = stack.sfn.executions.size;
        const stale = await accept("0".repeat(64));
        expect([stale.status, stale.body.error.code]).toEqual([409, "NOT_HELD"]);
        expect(stack.sfn.executions.size).toBe(executionsBefore);
        // The same stale version reaching the workflow (the hold moved after the API looked): the Publish
        // function refuses, records and writes nothing, and the execution says why.
        const direct = stack.sfn.start("deployed-stale-chart-accept", {
          trigger: "test",
          acceptChart: { chartId, by: "editor", reason: "stale", candidateSha256: "0".repeat(64) },
        });
        await direct.done;
        expect(direct.status, direct.cause).toBe("SUCCEEDED");
        expect(direct.entered.slice(-3)).toEqual([
          "PublishChartAccepted",
          "ChartAcceptChecked",
          "ChartAcceptRefused",
        ]);
        expect(
          (direct.output as { acceptChart: { refused: { code: string; message: string } } }).acceptChart,
        ).toMatchObject({
          refused: {
            code: "NOT_HELD",
            message: expect.stringMatching(/is a different version .* Review it again\.$/),
          },
        });
        expect((await held())?.status).toBe("held");

        const accepted = await accept(hold?.candidateSha256);
        // The API checked the hold and started the workflow's held-chart path; it wrote no hold, no chart.
        expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
        expect(accepted.body.chartId).toBe(chartId);
        const ex = stack.sfn.executions.get(stack.sfn.executionArn(accepted.body.runId));
        expect(ex?.input).toMatchObject({
          runId: accepted.body.runId,
          acceptChart: {
            chartId,
            by: "editor@newsroom.example",
            reason: "Checked with the desk",
            candidateSha256: hold?.candidateSha256,
          },
        });
        const done = await api().follow<RunRecord>(accepted.body.runId);
        expect(done.body).toMatchObject({ kind: "accept-chart", status: "succeeded" });
        expect(done.body.stages.map((s) => [s.name, s.status])).toEqual([["publish", "done"]]);
        expect(done.body.result?.chartChanges.map((c) => c.chartId)).toEqual([chartId]);
        expect(ex?.entered.slice(-3)).toEqual([
          "PublishChartAccepted",
          "ChartAcceptChecked",
          "ChartAcceptReport",
        ]);
        expect(await held()).toBeUndefined();
        // Writes to the charts bucket and the hold, and any alert, came from the Publish function only.
        const writers = stack
          .calls()
          .filter((c) => c.action === "s3:PutObject" && c.resource.includes(stack.local.names.chartsBucket))
          .map((c) => c.fn);
        expect(new Set(writers)).toEqual(new Set(["publish"]));
        expect(
          stack
            .calls()
            .filter((c) => c.service === "sns")
            .every((c) => c.fn === "publish"),
        ).toBe(true);
        const st = await api().call<StatusView>("GET", "/api/status");
        expect(
          st.body.audit.find((a) => a.action === "accept-chart" && a.result === "succeeded"),
        ).toMatchObject({
          target: chartId,
          runId: accepted.body.runId,
        });

        // The stored value back (held again, as any unexplained move is), and accepted too.
        await table().write([oct], []);
        await refresh();
        const again = await held();
        expect(again?.status).toBe("held");
        const restored = await accept(again?.candidateSha256);
        expect(restored.status).toBe(202);
        expect((await api().follow<RunRecord>(restored.body.runId)).body.status).toBe("succeeded");
        expect(await held()).toBeUndefined();
      },
      RUN_TIMEOUT,
    );

    it(
      "an upload the console's way: a slot, the browser's PUT to its presigned address, the start, the run followed",
      async () => {
        const bytes = Buffer.concat([...queryExportChunks(300, { seed: 31, startPeriod: "2021-01" })]);
        const sha256 = sha256Hex(bytes);
        const facts = { fileName: "export-300.csv", flow: "exports" };
        const slot = await api().call<{
          releaseId: string;
          upload: { method: string; url: string; headers: Record<string, string> };
          start: string;
        }>("POST", "/api/uploads", { json: { ...facts, size: bytes.byteLength, sha256 } });
        expect(slot.status, JSON.stringify(slot.body)).toBe(201);
        // The browser sends the bytes to S3 itself, signed with the API's role (so its calls are the API's).
        const put = await fetch(slot.body.upload.url, {
          method: slot.body.upload.method,
          headers: slot.body.upload.headers,
          body: new Uint8Array(bytes),
        });
        expect(put.status).toBe(200);
        const started = await api().call<Started>("POST", slot.body.start, { json: facts });
        expect(started.status, JSON.stringify(started.body)).toBe(202);
        expect(started.body.releaseId).toBe(slot.body.releaseId);
        const done = await api().follow<RunRecord>(started.body.runId);
        expect(done.body).toMatchObject({ kind: "upload", status: "succeeded" });
        const st = await api().call<StatusView>("GET", "/api/status");
        expect(st.body.releases.find((r) => r.releaseId === slot.body.releaseId)?.status).toBe("normalized");
      },
      RUN_TIMEOUT,
    );

    it(
      "an upload in the request that is no export: staged, then refused by its run in words, nothing recorded",
      async () => {
        const bytes = Buffer.from("Dear editor,\nthis is a letter, not an export.\n");
        const started = await api().call<Started>("POST", "/api/uploads", {
          body: bytes,
          contentType: "text/csv",
          query: { flow: "imports", filename: "letter.csv" },
        });
        expect(started.status, JSON.stringify(started.body)).toBe(202);
        const done = await api().follow<RunRecord>(started.body.runId);
        expect(done.body.status).not.toBe("succeeded");
        expect(JSON.stringify(done.body.result)).toMatch(/cannot be read as a query-platform export/);
        const st = await api().call<StatusView>("GET", "/api/status");
        expect(st.body.releases.map((r) => r.releaseId)).not.toContain(started.body.releaseId);
      },
      RUN_TIMEOUT,
    );
  });
}
