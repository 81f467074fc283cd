/**
 * The deployed shape, run (`npm run test:deployed`, also part of `npm test`): the dev stack is
 * synthesized with real bundling, and its pipeline state machine definition is executed by
 * aws-local-stepfunctions, each Lambda task running the bundle CDK built in its own Node process with
 * the function's template environment (mapped to dynalite, s3rver and the GACC mirror by
 * support/local-resources.ts). Every SDK call is recorded at each function's endpoint.
 *
 * The tests run in order and share the stack: first run, no change, quarantine, a retried fault, the
 * scheduled path.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Client, DYNAMODB_MAX_ATTEMPTS } from "../../functions/adapters/aws-clients.js";
import { UPLOADS_PREFIX } from "../../functions/domain/raw-keys.js";
import type { FetchReport } from "../../functions/domain/reports.js";
import { sha256Hex } from "../../functions/domain/sha256.js";
import { type StoreUploadReport, stagedUploadKey } from "../../functions/pipeline/upload-release.js";
import {
  ACCESS,
  type FunctionAccess,
  IMPLIED_ACTIONS,
  PARTITIONS,
  RUNTIME_ACTIONS,
} from "../../infra/access.js";
import { LOCAL_CREDENTIALS } from "../../local/emulators.js";
import { releasePath } from "../reliability/support/pages.js";
import { describeConsoleUploads } from "./console.paths.js";
import { describeEditorsApi, editorsClient } from "./editors-api.paths.js";
import {
  type DeployedStack,
  discardSynth,
  startDeployedStack,
  synthesize,
} from "./support/deployed-stack.js";
import { unusedGrants } from "./support/grant-use.js";
import { evaluate, grantedActions, roleStatementsOf } from "./support/iam.js";
import { ACCOUNT, REGION } from "./support/local-resources.js";
import type { Execution } from "./support/local-sfn.js";

const SETUP_TIMEOUT = 300_000;
const RUN_TIMEOUT = 120_000;

let stack: DeployedStack;
let charts: ReturnType<typeof createS3Client>;

beforeAll(async () => {
  stack = await startDeployedStack(synthesize());
  charts = createS3Client({
    endpoint: stack.emulators.s3Endpoint,
    region: REGION,
    credentials: { ...LOCAL_CREDENTIALS },
  });
}, SETUP_TIMEOUT);

afterAll(async () => {
  charts?.destroy();
  await stack?.stop();
  if (stack) discardSynth(stack.synth);
}, SETUP_TIMEOUT);

const roleArnOf = (functionId: string) => `arn:aws:iam::${ACCOUNT}:role/${functionId}-role`;

let runs = 0;
async function run(input: Record<string, unknown> = {}): Promise<Execution> {
  const ex = stack.sfn.start(`deployed-run-${++runs}`, { trigger: "test", ...input });
  await ex.done;
  return ex;
}

interface RunOutput {
  runId: string;
  normalized: Array<{ releaseId: string; status: string; observationsWritten: number; reasons: unknown[] }>;
  publish: { chartsBuilt: number; filesWritten: string[] };
  fetch: { releases: unknown[]; errors: unknown[]; downloaded: number };
}

async function chartFiles(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const list = await charts.send(
    new ListObjectsV2Command({ Bucket: stack.local.names.chartsBucket, Prefix: "charts/" }),
  );
  for (const o of list.Contents ?? []) {
    if (!o.Key || o.Key.startsWith("charts/v/")) continue;
    const got = await charts.send(
      new GetObjectCommand({ Bucket: stack.local.names.chartsBucket, Key: o.Key }),
    );
    out.set(o.Key, (await got.Body?.transformToString("utf8")) ?? "");
  }
  return out;
}

function point(chart: string, series: string, period: string) {
  const c = JSON.parse(chart) as { series: Array<{ key: string; points: Array<{ period: string }> }> };
  return c.series.find((s) => s.key === series)?.points.find((p) => p.period === period);
}

describe("the synthesized workflow over the CDK bundles", () => {
  it("binds every Lambda task of the definition to a bundled function of the template", () => {
    expect(Object.keys(stack.functions).sort()).toEqual([
      "api",
      "fetch",
      "normalize",
      "publish",
      "scheduled",
      "upload",
    ]);
    for (const fn of Object.values(stack.functions)) {
      expect(fn.spec.bundle).toMatch(/asset\.[0-9a-f]{64}\/index\.mjs$/);
      // Exactly the template's variables reach the function (the mapping only swaps references).
      expect(Object.keys(fn.spec.environment)).toContain("STAGE");
    }
    expect(stack.functions.fetch?.spec.environment.GACC_BASE_URL).toBe(`${stack.mirror.baseUrl}/`);
    expect(stack.functions.publish?.spec.environment.CHARTS_BUCKET).toBe(stack.local.names.chartsBucket);
  });

  it(
    "a first run archives, normalizes and publishes the story",
    async () => {
      const ex = await run();
      expect(ex.status, ex.cause).toBe("SUCCEEDED");
      expect(ex.entered.slice(0, 7)).toEqual([
        "Defaults",
        "ReadInput",
        "WhichRun",
        "Fetch",
        "FetchedAnything",
        "AnythingChanged",
        "NormalizeChanged",
      ]);
      expect(ex.entered.slice(-2)).toEqual(["Publish", "RunReport"]);
      const out = ex.output as RunOutput;
      expect(out.runId).toBe(ex.name);
      expect(out.fetch.errors).toEqual([]);
      expect(out.normalized.length).toBeGreaterThan(10);
      expect(out.normalized.every((n) => n.status === "normalized")).toBe(true);
      expect(out.publish.filesWritten).toContain("charts/china-russia-trade-monthly.json");
      const files = await chartFiles();
      const monthly = files.get("charts/china-russia-trade-monthly.json") ?? "";
      expect(point(monthly, "imports", "2023-09")).toMatchObject({ value: 11.53 });
      expect(JSON.parse(monthly).provenance[0].sha256).toMatch(/^[0-9a-f]{64}$/);
      // One release alert, from the publish function, to the topic the template names.
      expect(stack.sns.published).toHaveLength(1);
      expect(stack.sns.published[0]?.subject).toMatch(/^China's trade with Russia: /);
      expect(stack.sns.published[0]?.topicArn).toBe(
        stack.functions.publish?.spec.environment.RELEASE_ALERTS_TOPIC_ARN,
      );
      expect(
        stack
          .calls()
          .filter((c) => c.service === "sns")
          .map((c) => [c.fn, c.action]),
      ).toEqual([["publish", "sns:Publish"]]);
    },
    RUN_TIMEOUT,
  );

  it(
    "a run with nothing new normalizes nothing and writes no file",
    async () => {
      const before = await chartFiles();
      const ex = await run();
      expect(ex.status, ex.cause).toBe("SUCCEEDED");
      expect(ex.entered).toContain("NothingToNormalize");
      expect(ex.entered).not.toContain("NormalizeChanged");
      const out = ex.output as RunOutput;
      expect(out.normalized).toEqual([]);
      expect(out.fetch.releases).toEqual([]);
      expect(out.publish.filesWritten).toEqual([]);
      expect(await chartFiles()).toEqual(before);
      expect(stack.sns.published).toHaveLength(1); // a re-run sends no alert
    },
    RUN_TIMEOUT,
  );

  it(
    "a release with a bad unit row is quarantined and the published charts stay byte-identical",
    async () => {
      const before = await chartFiles();
      const path = releasePath("USD", "2023-09");
      const original = stack.mirror.site.get(path)?.body.toString() ?? "";
      const bad = original.replace(/Unit: USD ?1 Million/, "Unit: CNY 100 Million");
      expect(bad).not.toBe(original);
      stack.mirror.override(path, bad);
      const ex = await run({ recheckAll: true });
      stack.mirror.reset();
      expect(ex.status, ex.cause).toBe("SUCCEEDED");
      const out = ex.output as RunOutput;
      const q = out.normalized.find((n) => n.releaseId === "prelim-by-country-usd-2023-09");
      expect(q).toMatchObject({ status: "quarantined", observationsWritten: 0 });
      expect(JSON.stringify(q?.reasons)).toMatch(/title says USD but the unit row says/);
      expect(await chartFiles()).toEqual(before);
    },
    RUN_TIMEOUT,
  );

  it(
    "an editor's acceptance takes the accept path: a stale preview ends in PREVIEW_CHANGED with nothing written, the confirmed one is normalized with the acceptance and published",
    async () => {
      const before = await chartFiles();
      // As the editors' API starts it (functions/api/editors/accept.ts): the release held back by the
      // test above, read as its unit row says, with the preview the editor confirmed.
      const accept = {
        releaseId: "prelim-by-country-usd-2023-09",
        by: "editor",
        reason: "Checked against the PDF: the figures are yuan",
        resolution: { currency: { choice: "unit-row", currency: "CNY" } },
      };
      const stale = await run({ accept: { ...accept, previewSha256: "0".repeat(64) } });
      expect(stale.status, stale.cause).toBe("SUCCEEDED");
      expect(stale.entered).toEqual([
        "Defaults",
        "ReadInput",
        "WhichRun",
        "NormalizeAccepted",
        "AcceptChecked",
        "AcceptRefused",
      ]);
      const { refused } = (
        stale.output as { accept: { refused: { code: string; message: string; previewSha256: string } } }
      ).accept;
      expect(refused.code).toBe("PREVIEW_CHANGED");
      expect(refused.message).toMatch(
        /^What accepting would publish changed after your preview .* Nothing was written/,
      );
      expect(refused.previewSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await chartFiles()).toEqual(before);

      // The preview as it stands, confirmed: normalized with the acceptance (still held back until now,
      // or the step would have refused), then published like every run.
      const ex = await run({ accept: { ...accept, previewSha256: refused.previewSha256 } });
      expect(ex.status, ex.cause).toBe("SUCCEEDED");
      expect(ex.entered).toEqual([
        "Defaults",
        "ReadInput",
        "WhichRun",
        "NormalizeAccepted",
        "AcceptChecked",
        "PublishAccepted",
        "AcceptReport",
      ]);
      const out = ex.output as RunOutput;
      expect(out.normalized).toHaveLength(1);
      expect(out.normalized[0]).toMatchObject({ releaseId: accept.releaseId, status: "accepted" });
      expect(out.normalized[0]?.observationsWritten).toBeGreaterThan(0);
      expect(out.publish.chartsBuilt).toBeGreaterThan(0);
    },
    RUN_TIMEOUT,
  );

  it(
    "a retryable store failure in Publish is absorbed by the definition's retry policy",
    async () => {
      // More failures than the SDK's own attempts: the function itself fails with StoreUnavailable.
      stack.proxies.publish?.failNext(
        "dynamodb",
        DYNAMODB_MAX_ATTEMPTS,
        500,
        JSON.stringify({ __type: "com.amazon.coral.availability#InternalServerError", message: "injected" }),
      );
      const ex = await run();
      expect(ex.status, ex.cause).toBe("SUCCEEDED");
      // One retry of Publish (the engine logs a retry, not a second entry), then the run's report.
      expect(ex.retried).toEqual(["Publish"]);
      expect(ex.entered.slice(-2)).toEqual(["Publish", "RunReport"]);
    },
    RUN_TIMEOUT,
  );

  it(
    "the scheduled path: the scheduler's input from the template, through the API's `scheduled` entry, runs the same definition",
    async () => {
      const schedules = Object.values(stack.synth.template.Resources).filter(
        (r) => r.Type === "AWS::Scheduler::Schedule",
      );
      const target = schedules
        .map((r) => r.Properties.Target as { Arn: unknown; Input: string })
        .find((t) => stack.local.resolve(t.Arn) === stack.functions.scheduled?.spec.arn);
      expect(target).toBeDefined();
      const input = JSON.parse(target?.Input ?? "{}");
      expect(input).toMatchObject({ trigger: "schedule" });
      const answer = await stack.invokeArn(String(stack.local.resolve(target?.Arn)), input);
      expect(answer.ok, answer.errorMessage).toBe(true);
      const { runId } = answer.result as { runId: string };
      const ex = stack.sfn.executions.get(stack.sfn.executionArn(runId));
      if (!ex) throw new Error(`the scheduled refresh started no execution named ${runId}`);
      await ex.done;
      expect(ex.status, ex.cause).toBe("SUCCEEDED");
      expect((ex.output as RunOutput).runId).toBe(runId);
      expect(ex.input).toMatchObject({ runId });
    },
    RUN_TIMEOUT,
  );
});

interface UploadOutput {
  runId: string;
  upload: StoreUploadReport;
  normalized: RunOutput["normalized"];
  publish?: RunOutput["publish"];
}

/** Stages an export as the editors' API has the browser do it (uploads/<sha256>.csv), then runs it. */
async function uploadRun(bytes: Buffer, flow: "imports" | "exports", fileName: string): Promise<Execution> {
  const sha256 = sha256Hex(bytes);
  const key = stagedUploadKey(sha256);
  await charts.send(
    new PutObjectCommand({
      Bucket: stack.local.names.rawBucket,
      Key: key,
      Body: bytes,
      ContentType: "text/csv",
    }),
  );
  return run({ upload: { key, sha256, fileName, flow, uploadedBy: "deployed test" } });
}

describe("uploads in the workflow", () => {
  // The 10,000- and 45,000-row exports go through the console (console.paths.ts, below).
  it(
    "a file that is not a query-platform export ends in a clear refusal: nothing recorded, charts unchanged",
    async () => {
      const before = await chartFiles();
      const bytes = Buffer.from("Dear editor,\nthis is a letter, not an export.\n");
      const ex = await uploadRun(bytes, "imports", "notes.txt");
      expect(ex.status, ex.cause).toBe("SUCCEEDED");
      expect(ex.entered.slice(-2)).toEqual(["UploadStored", "UploadRefused"]);
      const out = ex.output as UploadOutput;
      expect(out.normalized).toEqual([]);
      expect("refused" in out.upload && out.upload.refused).toMatchObject({ code: "NOT_A_QUERY_EXPORT" });
      expect("refused" in out.upload && out.upload.refused.message).toMatch(
        /^This file cannot be read as a query-platform export: .+ Nothing was stored\.$/,
      );
      expect(await chartFiles()).toEqual(before);
    },
    RUN_TIMEOUT,
  );
});

describe("IAM proven by use", () => {
  it(
    "a second scheduled refresh finds the first run's lock, sees that run ended, and takes the lock over",
    async () => {
      const scheduled = stack.functions.scheduled;
      if (!scheduled) throw new Error("no scheduled function");
      const answer = await scheduled.invoke({ trigger: "schedule", schedule: "QuietDays" });
      expect(answer.ok, answer.errorMessage).toBe(true);
      const { runId } = answer.result as { runId: string };
      const ex = stack.sfn.executions.get(stack.sfn.executionArn(runId));
      if (!ex) throw new Error(`no execution named ${runId}`);
      await ex.done;
      expect(ex.status, ex.cause).toBe("SUCCEEDED");
      const ops = stack.proxies.scheduled?.calls.map((c) => c.operation) ?? [];
      expect(ops).toContain("DescribeExecution");
      expect(ops).toContain("GetExecutionHistory");
      expect(ops).toContain("DeleteItem");
    },
    RUN_TIMEOUT,
  );

  // After the scheduled paths (which leave a finished run's lock for the next refresh to take over).
  describeEditorsApi(() => stack);
  // Uploads as an editor makes them: the console in Chromium, each run followed to its summary.
  describeConsoleUploads(() => stack);

  it("every DynamoDB item call names its partition (so the leading-key conditions were evaluated)", () => {
    const itemCalls = stack
      .calls()
      .filter((c) => c.service === "dynamodb" && c.operation !== "DescribeTable");
    expect(itemCalls.length).toBeGreaterThan(100);
    for (const c of itemCalls) expect(c.leadingKeys?.length, `${c.fn} ${c.operation}`).toBeGreaterThan(0);
  });

  it(
    "every recorded call is allowed by the calling function's role (IAM policy simulator)",
    async () => {
      const seen = new Set<string>();
      const denied: string[] = [];
      let evaluated = 0;
      for (const call of stack.calls()) {
        const key = JSON.stringify([call.fn, call.action, call.resource, call.leadingKeys, call.prefix]);
        if (seen.has(key)) continue;
        seen.add(key);
        const fn = stack.functions[call.fn];
        if (!fn) throw new Error(`call from unknown function ${call.fn}`);
        const statements = roleStatementsOf(stack.synth.template, stack.local, fn.spec.logicalId);
        const verdict = await evaluate(
          call,
          statements,
          stack.synth.template,
          stack.local,
          roleArnOf(fn.spec.logicalId),
        );
        evaluated++;
        if (verdict.result !== "Allowed")
          denied.push(
            `${call.fn} ${call.action} ${call.resource} ${call.leadingKeys ?? ""}: ${verdict.result} ${verdict.detail ?? ""}`,
          );
      }
      expect(evaluated).toBeGreaterThan(50);
      expect(denied).toEqual([]);
    },
    RUN_TIMEOUT,
  );

  it(
    "the simulator denies what a role does not grant (the check can fail)",
    async () => {
      const fetch = stack.functions.fetch;
      if (!fetch) throw new Error("no fetch function");
      const statements = roleStatementsOf(stack.synth.template, stack.local, fetch.spec.logicalId);
      const table = stack.local.tableArn();
      const probe = (action: string, resource: string, leadingKeys?: string[]) =>
        evaluate(
          {
            fn: "fetch",
            service: action.startsWith("s3") ? "s3" : "dynamodb",
            operation: "probe",
            action,
            resource,
            ...(leadingKeys ? { leadingKeys } : {}),
          },
          statements,
          stack.synth.template,
          stack.local,
          roleArnOf(fetch.spec.logicalId),
        );
      expect((await probe("dynamodb:PutItem", table, ["RELEASE"])).result).toBe("Allowed");
      // Another partition, an unused action, another bucket: all refused.
      expect((await probe("dynamodb:PutItem", table, ["S#CN|RUS|imports|TOTAL|USD"])).result).not.toBe(
        "Allowed",
      );
      expect((await probe("dynamodb:Scan", table, ["RELEASE"])).result).not.toBe("Allowed");
      expect((await probe("dynamodb:DeleteItem", table, ["RELEASE"])).result).not.toBe("Allowed");
      expect(
        (await probe("s3:PutObject", `arn:aws:s3:::${stack.local.names.chartsBucket}/charts/x.json`)).result,
      ).not.toBe("Allowed");
    },
    RUN_TIMEOUT,
  );

  it.each(Object.keys(ACCESS))("%s's role grants only actions its paths use (infra/access.ts)", (name) => {
    const fn = stack.functions[name];
    if (!fn) throw new Error(`no function ${name}`);
    const used = new Set(
      stack
        .calls()
        .filter((c) => c.fn === name)
        .map((c) => c.action),
    );
    const granted = grantedActions(roleStatementsOf(stack.synth.template, stack.local, fn.spec.logicalId));
    const unused = granted.filter((a) => {
      if (used.has(a) || RUNTIME_ACTIONS[a]) return false;
      const implied = IMPLIED_ACTIONS[a];
      return !(implied && used.has(implied.by));
    });
    expect(unused).toEqual([]);
    expect(granted).not.toContain("dynamodb:Scan");
  });

  it.each(Object.keys(ACCESS))(
    "%s's table and object grants each reach only partitions and key prefixes its calls touched",
    (name) => {
      const access: FunctionAccess = ACCESS[name as keyof typeof ACCESS];
      const calls = stack.calls().filter((c) => c.fn === name);
      const { rawBucket, chartsBucket } = stack.local.names;
      expect(unusedGrants(access, calls, { raw: rawBucket, charts: chartsBucket })).toEqual([]);
    },
  );

  it("the grant-use check can fail: a partition or key prefix no call touched is reported", () => {
    const calls = stack.calls().filter((c) => c.fn === "fetch");
    const wider: FunctionAccess = {
      table: [
        {
          partitions: [PARTITIONS.releases, PARTITIONS.holds],
          actions: ["dynamodb:GetItem"],
          why: "a probe: fetch reads releases, never holds",
        },
      ],
      raw: [
        { actions: ["s3:PutObject"], keys: `${UPLOADS_PREFIX}*`, why: "a probe: fetch stages no upload" },
      ],
    };
    const { rawBucket, chartsBucket } = stack.local.names;
    expect(unusedGrants(wider, calls, { raw: rawBucket, charts: chartsBucket })).toEqual([
      "dynamodb:GetItem on HOLD",
      `s3:PutObject on raw ${UPLOADS_PREFIX}*`,
    ]);
  });
});

describe("time budget", () => {
  it(
    "with a page that never answers, fetch returns before its timeout with a partial report, and the next run completes",
    async () => {
      const fetch = stack.functions.fetch;
      if (!fetch) throw new Error("no fetch function");
      const path = releasePath("USD", "2023-06");
      stack.mirror.override(path, { delayMs: 3_600_000 });
      // The fetch function under a 15 s timeout (the template's is 300 s), so the test takes seconds.
      const timeoutSeconds = 15;
      const answer = await fetch.invoke(
        { runId: "budget-1", recheckAll: true, since: 2022 },
        { timeoutSeconds },
      );
      stack.mirror.reset();
      expect(answer.ok, answer.errorMessage).toBe(true);
      expect(answer.durationMs).toBeLessThan(timeoutSeconds * 1000);
      const report = answer.result as FetchReport;
      expect(report.downloaded).toBeGreaterThan(0);
      expect(report.deferred?.length ?? 0).toBeGreaterThan(0);
      // The page that never answered was given what was left of the budget, not its full 20 s × 3 attempts.
      const hung = report.errors.find((e) => e.url.toLowerCase().endsWith(path.toLowerCase()));
      expect(hung?.message).toMatch(/did not answer within \d+(\.\d+)? s/);
      const next = await run({ recheckAll: true });
      expect(next.status, next.cause).toBe("SUCCEEDED");
      const out = next.output as RunOutput & { fetch: FetchReport };
      expect(out.fetch.errors).toEqual([]);
      expect(out.fetch.deferred).toBeUndefined();
      expect(out.fetch.downloaded).toBe(out.fetch.releasesSeen);
    },
    RUN_TIMEOUT,
  );
});

describe("sizing from measurement", () => {
  // Runs last: the figures cover every path above. They are the ones next to each function's
  // memorySize/timeout in infra/gacc-trade-charts-stack.ts.
  it("every invoked function peaked at ≤ 60% of its configured memory and finished inside its timeout", () => {
    const rows: string[] = [];
    for (const [name, fn] of Object.entries(stack.functions)) {
      const u = fn.usage;
      rows.push(
        `${name.padEnd(10)} invocations ${String(u.invocations).padStart(3)}  peak RSS ${u.peakRssMb.toFixed(0).padStart(4)} MB of ${fn.spec.memoryMb} MB (${((100 * u.peakRssMb) / fn.spec.memoryMb).toFixed(0)}%)  longest ${(u.maxDurationMs / 1000).toFixed(2)} s of ${fn.spec.timeoutSeconds} s`,
      );
    }
    console.log(`deployed-shape run, per function:\n${rows.join("\n")}`);
    console.log(`the editors' API, per route (slowest first):\n${editorsClient()?.report() ?? "not run"}`);
    for (const [name, fn] of Object.entries(stack.functions)) {
      const u = fn.usage;
      if (u.invocations === 0) continue;
      expect(u.timeouts, name).toBe(0);
      expect(u.peakRssMb, name).toBeLessThanOrEqual(0.6 * fn.spec.memoryMb);
      expect(u.maxDurationMs, name).toBeLessThan(fn.spec.timeoutSeconds * 1000);
    }
    expect(
      Object.values(stack.functions).filter((f) => f.usage.invocations > 0).length,
    ).toBeGreaterThanOrEqual(4);
  });
});
