/**
 * The editors' API parts that only run in AWS or are easier to pin down alone: Cognito claims and
 * the `editors` group, the router's auth rules, the API Gateway event adapter, multipart uploads,
 * the Step Functions launcher (start, progress from history, outcome from output) and chart diffs.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  executionArnOf,
  outcomeFromOutput,
  type SfnSender,
  StepFunctionsLauncher,
  stagesFromHistory,
} from "../../functions/adapters/sfn-launcher.js";
import { cognitoIdentity, groupsOf, localTokenIdentity } from "../../functions/api/auth.js";
import { type ApiRequest, json } from "../../functions/api/http.js";
import { parseMultipart } from "../../functions/api/multipart.js";
import { createRouter } from "../../functions/api/router.js";
import type { ChartEnvelope } from "../../functions/domain/charts/envelope.js";
import { isRunId, type RunRecord, STAGES_OF } from "../../functions/domain/runs.js";
import { requestOf } from "../../functions/handlers/api.js";
import { newRunId } from "../../functions/pipeline/runs/lifecycle.js";
import { diffChart } from "../../functions/pipeline/runs/snapshot.js";

const ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:GaccPipeline";

function request(method: string, path: string, identity?: ApiRequest["identity"]): ApiRequest {
  return { method, path, query: new URLSearchParams(), headers: {}, body: new Uint8Array(), identity };
}

describe("who is calling", () => {
  it("reads the groups claim in every form API Gateway passes it", () => {
    expect(groupsOf("[editors admins]")).toEqual(["editors", "admins"]);
    expect(groupsOf("editors")).toEqual(["editors"]);
    expect(groupsOf('["editors","viewers"]')).toEqual(["editors", "viewers"]);
    expect(groupsOf(["editors"])).toEqual(["editors"]);
    expect(groupsOf(undefined)).toEqual([]);
  });

  it("names a Cognito user by e-mail and keeps their groups", () => {
    expect(
      cognitoIdentity({ sub: "abc-123", email: "desk@example.org", "cognito:groups": "[editors]" }),
    ).toEqual({ id: "abc-123", name: "desk@example.org", groups: ["editors"], via: "cognito" });
    expect(cognitoIdentity({ email: "no-sub@example.org" })).toBeUndefined();
  });

  it("accepts only the local token, and says why not", () => {
    expect(localTokenIdentity("Bearer s3cret", "s3cret").identity?.groups).toEqual(["editors"]);
    expect(localTokenIdentity("Bearer other", "s3cret").problem).toMatch(/not this server's/);
    expect(localTokenIdentity("Basic abc", "s3cret").problem).toMatch(/Bearer <token>/);
    expect(localTokenIdentity(undefined, "s3cret")).toEqual({});
  });
});

describe("router", () => {
  const api = createRouter(
    [
      {
        method: "GET",
        pattern: "/api/runs/{id}",
        access: "read",
        handler: async (_r, p) => json(200, { id: p.id }),
      },
      {
        method: "POST",
        pattern: "/api/refresh",
        access: "write",
        handler: async () => json(202, { ok: true }),
      },
    ],
    { readsNeedIdentity: true, editorGroup: "editors", signInHint: "Sign in." },
  );
  const reader = { id: "u1", name: "reader@example.org", groups: [], via: "cognito" as const };
  const editor = { ...reader, groups: ["editors"] };

  it("deployed: reads need a signed-in user, writes need the editors group", async () => {
    expect((await api(request("GET", "/api/runs/r%201"))).status).toBe(401);
    expect(await api(request("GET", "/api/runs/r%201", reader))).toEqual({
      status: 200,
      headers: {},
      body: { id: "r 1" },
    });
    const refused = await api(request("POST", "/api/refresh", reader));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: {
        code: "FORBIDDEN",
        message:
          'You are signed in as reader@example.org, but not as an editor: ask an administrator to add you to the "editors" group.',
      },
    });
    expect((await api(request("POST", "/api/refresh", editor))).status).toBe(202);
  });

  it("answers 405 with the allowed methods and 404 for unknown paths, always as JSON errors", async () => {
    const wrong = await api(request("DELETE", "/api/refresh", editor));
    expect(wrong.status).toBe(405);
    expect(wrong.headers).toEqual({ allow: "POST" });
    const missing = await api(request("GET", "/api/nope", editor));
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
  });
});

describe("API Gateway adapter", () => {
  it("turns an HTTP API v2 event with JWT claims into a request with an identity", () => {
    const event = {
      rawPath: "/api/uploads",
      rawQueryString: "flow=imports&filename=a.csv",
      headers: { "Content-Type": "text/csv" },
      body: Buffer.from([0xca, 0xfd, 0x2c]).toString("base64"),
      isBase64Encoded: true,
      requestContext: {
        http: { method: "post" },
        authorizer: {
          jwt: { claims: { sub: "s-1", email: "e@x.org", "cognito:groups": "[editors]" }, scopes: null },
        },
      },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
    const req = requestOf(event);
    expect(req.method).toBe("POST");
    expect(req.query.get("flow")).toBe("imports");
    expect(req.headers["content-type"]).toBe("text/csv");
    expect([...req.body]).toEqual([0xca, 0xfd, 0x2c]); // GB18030 bytes untouched
    expect(req.identity).toEqual({ id: "s-1", name: "e@x.org", groups: ["editors"], via: "cognito" });
  });
});

describe("multipart upload", () => {
  const limits = { fileBytes: 1024, fieldBytes: 64, files: 1, fields: 4 };

  it("keeps the file's bytes exactly and reads the flow field", async () => {
    const gb = Buffer.from([0xca, 0xfd, 0xbe, 0xdd, 0x0d, 0x0a, 0x2d, 0x2d]); // "数据", CRLF, "--"
    const body = Buffer.concat([
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="flow"\r\n\r\nexports\r\n'),
      Buffer.from(
        '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="q.csv"\r\nContent-Type: text/csv\r\n\r\n',
      ),
      gb,
      Buffer.from("\r\n--XyZ--\r\n"),
    ]);
    const form = await parseMultipart(body, "multipart/form-data; boundary=XyZ", limits);
    expect(form.files.map((f) => [f.name, f.fileName, f.contentType])).toEqual([
      ["file", "q.csv", "text/csv"],
    ]);
    expect(form.fields.get("flow")).toBe("exports");
    expect(Buffer.compare(form.files[0]?.data ?? Buffer.alloc(0), gb)).toBe(0);
  });

  it("refuses a cut-off form with a message", async () => {
    await expect(
      parseMultipart(
        Buffer.from('--B\r\nContent-Disposition: form-data; name="f"\r\n\r\nabc'),
        "multipart/form-data; boundary=B",
        limits,
      ),
    ).rejects.toThrow(/cut off/);
  });
});

describe("Step Functions launcher", () => {
  const runId = newRunId("refresh", new Date("2026-05-12T02:15:03.123Z"), () => "3fa2c1");

  it("names runs by time, valid as execution names", () => {
    expect(runId).toBe("20260512T021503123Z-refresh-3fa2c1");
    expect(isRunId(runId)).toBe(true);
    expect(executionArnOf(ARN, runId)).toBe(
      `arn:aws:states:eu-west-1:123456789012:execution:GaccPipeline:${runId}`,
    );
  });

  it("starts the state machine with the run id as execution name and the editor's options as input", async () => {
    const sent: unknown[] = [];
    const sfn: SfnSender = {
      send: (async (command: unknown) => {
        sent.push(command);
        return { executionArn: executionArnOf(ARN, runId) };
      }) as SfnSender["send"],
    };
    const res = await new StepFunctionsLauncher(ARN, sfn).launch({
      runId,
      kind: "refresh",
      charts: ["china-top-partners"],
    });
    expect(res.executionRef).toBe(executionArnOf(ARN, runId));
    const cmd = sent[0] as StartExecutionCommand;
    expect(cmd).toBeInstanceOf(StartExecutionCommand);
    expect(cmd.input.name).toBe(runId);
    expect(JSON.parse(cmd.input.input ?? "")).toEqual({
      trigger: "editor",
      runId,
      charts: ["china-top-partners"],
    });
  });

  it("reads progress from the execution history and the pipeline's reports from its output", async () => {
    const t = (s: number) => new Date(Date.UTC(2026, 4, 12, 2, 15, s));
    const events = [
      { type: "TaskStateEntered", timestamp: t(1), stateEnteredEventDetails: { name: "Fetch" } },
      { type: "ChoiceStateEntered", timestamp: t(5), stateEnteredEventDetails: { name: "AnythingChanged" } },
      { type: "MapStateEntered", timestamp: t(6), stateEnteredEventDetails: { name: "NormalizeChanged" } },
      { type: "MapStateStarted", timestamp: t(6), mapStateStartedEventDetails: { length: 3 } },
      { type: "MapIterationSucceeded", timestamp: t(7) },
      { type: "MapIterationSucceeded", timestamp: t(8) },
    ];
    const running = stagesFromHistory(events as never, false);
    expect(running.map((s) => [s.name, s.status])).toEqual([
      ["fetch", "done"],
      ["normalize", "running"],
      ["publish", "pending"],
    ]);
    expect(running[1]).toMatchObject({ done: 2, total: 3, message: "Normalized 2 of 3 releases" });

    const output = {
      runId,
      normalized: [
        {
          releaseId: "prelim-by-country-usd-2026-04",
          status: "normalized",
          observationsWritten: 90,
          revisions: 2,
          writeRequests: 4,
          observationsParsed: 90,
          reasons: [],
          warnings: [],
        },
      ],
      publish: {
        chartsBuilt: 6,
        filesWritten: ["charts/china-top-partners.json"],
        filesUnchanged: 17,
        warnings: [],
      },
    };
    const sfn: SfnSender = {
      send: (async (command: unknown) => {
        if (command instanceof DescribeExecutionCommand)
          return { status: "SUCCEEDED", output: JSON.stringify(output) };
        if (command instanceof GetExecutionHistoryCommand) {
          return {
            events: [
              ...events,
              { type: "MapIterationSucceeded", timestamp: t(9) },
              { type: "TaskStateEntered", timestamp: t(10), stateEnteredEventDetails: { name: "Publish" } },
              { type: "ExecutionSucceeded", timestamp: t(12) },
            ],
          };
        }
        throw new Error("unexpected command");
      }) as SfnSender["send"],
    };
    const observed = await new StepFunctionsLauncher(ARN, sfn).observe({ runId } as RunRecord);
    expect(observed.state).toBe("finished");
    expect(observed.stages?.map((s) => s.status)).toEqual(["done", "done", "done"]);
    expect(observed.outcome?.normalize[0]?.observationsWritten).toBe(90);
    expect(observed.outcome?.publish?.filesWritten).toEqual(["charts/china-top-partners.json"]);
  });

  it("reads a run with nothing new (the fetch report as output) as fetch only", () => {
    const outcome = outcomeFromOutput({
      runId,
      indexPagesRead: 9,
      releasesSeen: 40,
      downloaded: 2,
      releases: [],
      unchanged: 2,
      warnings: [],
      errors: [{ url: "http://x/y.html", code: "UPSTREAM_UNAVAILABLE", message: "timed out" }],
    });
    expect(outcome.fetch?.releasesSeen).toBe(40);
    expect(outcome.normalize).toEqual([]);
    expect(outcome.errors).toEqual([{ stage: "fetch", code: "UPSTREAM_UNAVAILABLE", message: "timed out" }]);
    const stages = stagesFromHistory(
      [
        { type: "TaskStateEntered", stateEnteredEventDetails: { name: "Fetch" } },
        { type: "ChoiceStateEntered", stateEnteredEventDetails: { name: "AnythingChanged" } },
        { type: "TaskStateEntered", stateEnteredEventDetails: { name: "Publish" } },
      ] as never,
      true,
    );
    // Nothing new: straight from Fetch to Publish (which writes only changed files).
    expect(stages.map((s) => s.status)).toEqual(["done", "skipped", "done"]);
    expect(stages[1]?.message).toBe("No new or changed release to normalize");
  });

  it("reads a held chart's acceptance as its one publish stage, and a refusal there as publish failing", () => {
    const events = [
      { type: "ChoiceStateEntered", stateEnteredEventDetails: { name: "WhichRun" } },
      { type: "TaskStateEntered", stateEnteredEventDetails: { name: "PublishChartAccepted" } },
      { type: "ChoiceStateEntered", stateEnteredEventDetails: { name: "ChartAcceptChecked" } },
      { type: "PassStateEntered", stateEnteredEventDetails: { name: "ChartAcceptRefused" } },
    ];
    const running = stagesFromHistory(events.slice(0, 2) as never, false, STAGES_OF["accept-chart"]);
    expect(running.map((s) => [s.name, s.status, s.message])).toEqual([
      ["publish", "running", "Building charts"],
    ]);
    const stages = stagesFromHistory(events as never, true, STAGES_OF["accept-chart"]);
    expect(stages.map((s) => [s.name, s.status])).toEqual([["publish", "done"]]);
    const refused = {
      code: "NOT_HELD",
      message: "The chart c is not held back: there is nothing to accept.",
    };
    expect(outcomeFromOutput({ runId, normalized: [], acceptChart: { refused } }).errors).toEqual([
      { stage: "publish", ...refused },
    ]);
    expect(outcomeFromOutput({ runId, normalized: [], publish: { filesWritten: [] } }).errors).toEqual([]);
  });
});

describe("what changed in a chart", () => {
  const chart = (points: Array<[string, number]>): ChartEnvelope =>
    ({
      id: "c",
      title: "C",
      latestPeriod: points.at(-1)?.[0] ?? null,
      series: [
        { key: "imports", label: "Imports", points: points.map(([period, value]) => ({ period, value })) },
      ],
    }) as unknown as ChartEnvelope;

  it("lists new points, revisions with the old value, and removed points", () => {
    const change = diffChart(
      { imports: { "2023-07": 9.2, "2023-08": 11.5, "2023-09": 1 } },
      chart([
        ["2023-07", 9.2],
        ["2023-08", 11.6],
        ["2023-10", 11.1],
      ]),
    );
    expect(change.counts).toEqual({ newPoints: 1, revisions: 1, removedPoints: 1 });
    expect(change.revisions).toEqual([
      { series: "imports", point: "2023-08", label: "Imports, 2023-08", value: 11.6, previous: 11.5 },
    ]);
    expect(change.newPoints[0]).toMatchObject({ point: "2023-10", value: 11.1 });
    expect(change.removedPoints[0]).toMatchObject({ point: "2023-09" });
  });
});
