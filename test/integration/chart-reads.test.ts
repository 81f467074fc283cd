/**
 * A run reads each published chart once (issue 13 item 4): publish reads a chart's file once and uses
 * those bytes for the guard, the byte comparison and the chart's diff, which the run's result takes
 * from publish's report. Counted at the SDK boundary: every S3 GetObject the process-wide client sends
 * during an editor's refresh on the local stack, by key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleReleases } from "../../local/mirror/render.js";
import { type LocalStack, startLocalStack } from "../support/local-stack.js";

let stack: LocalStack;
let editors: import("../../local/editors.js").LocalEditors;
const gets = new Map<string, number>();

async function refresh(): Promise<import("../../functions/domain/runs.js").RunRecord> {
  gets.clear();
  const run = await editors.service.refresh({ id: "editor", name: "editor" }, { recheckAll: true });
  const finished = await editors.launcher.wait(run.runId);
  if (!finished) throw new Error(`run ${run.runId} did not finish here`);
  return finished.record;
}

beforeAll(async () => {
  stack = await startLocalStack();
  const { s3Client } = await import("../../functions/adapters/aws-clients.js");
  s3Client().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string };
      if (context.commandName === "GetObjectCommand" && input.Key)
        gets.set(input.Key, (gets.get(input.Key) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "countChartReads" },
  );
  const { createLocalEditors } = await import("../../local/editors.js");
  editors = createLocalEditors({ token: "t".repeat(32) });
  await refresh();
}, 180_000);

afterAll(async () => {
  await editors?.launcher.idle();
  await stack?.stop();
});

describe("chart reads per run", () => {
  it("reads each chart file at most once in a run with nothing new", async () => {
    const run = await refresh();
    expect(run.result?.chartChanges).toEqual([]);
    for (const [key, n] of gets) if (key.startsWith("charts/")) expect(n, key).toBe(1);
  }, 180_000);

  it("reads each chart file at most once in a run that changes a chart, and still reports the change", async () => {
    const r = sampleReleases().find((x) => x.currency === "USD" && x.period === "2023-10");
    if (!r) throw new Error("no sample release USD 2023-10");
    const original = stack.mirror.site.get(r.path)?.body.toString() ?? "";
    stack.mirror.override(r.path, original.replace("11,100.0", "11,400.0"));
    const run = await refresh();
    stack.mirror.reset();
    const monthly = run.result?.chartChanges.find((c) => c.chartId === "china-russia-trade-monthly");
    expect(monthly?.revisions.map((p) => [p.point, p.previous, p.value])).toContainEqual([
      "2023-10",
      11.1,
      11.4,
    ]);
    const chartJsonReads = [...gets].filter(([key]) => /^charts\/[^/]+\.json$/.test(key));
    expect(chartJsonReads.length).toBeGreaterThan(3);
    for (const [key, n] of chartJsonReads) expect(n, key).toBe(1);
  }, 180_000);
});
