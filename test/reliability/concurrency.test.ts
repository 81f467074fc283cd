/**
 * Concurrency: the pipeline lock (functions/pipeline/runs/lifecycle.ts, a conditional write on DynamoDB in
 * functions/adapters/dynamo-runs.ts) through the editors' service and the in-process launcher that
 * `npm start` uses, against dynalite:
 *
 * - two refreshes asked for at once: one runs, the other is refused with RUN_IN_PROGRESS (and the
 *   refusal is audited); the store ends exactly as after one run (no double writes);
 * - a lock left by a run whose process died blocks others only until it expires; the dead run is then
 *   closed as failed (RUN_ABANDONED) rather than left "running" for ever;
 * - a run seen finished has its audit entry finished and the lock free (no "started" after the run
 *   ended, no refusal of a refresh asked for the moment it ended).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EditorService } from "../../functions/api/editors/service.js";
import type { RunRecord } from "../../functions/domain/runs.js";
import type { InProcessLauncher } from "../../local/launcher.js";
import { figureLog } from "./support/figures.js";
import { freezeClock, type ReliabilityStack, startReliabilityStack, thawClock } from "./support/stack.js";

const figures = figureLog("lock");
const TTL_MS = 60_000;
let rel: ReliabilityStack;
let clock = 0;

async function service(): Promise<{
  service: EditorService;
  launcher: InProcessLauncher;
  deps: import("../../functions/api/editors/deps.js").EditorDeps;
}> {
  const { editorDeps } = await import("../../functions/composition.js");
  const { EditorService } = await import("../../functions/api/editors/service.js");
  const { InProcessLauncher } = await import("../../local/launcher.js");
  let deps: import("../../functions/api/editors/deps.js").EditorDeps | undefined;
  const launcher = new InProcessLauncher({
    deps: () => deps as import("../../functions/api/editors/deps.js").EditorDeps,
    since: 2022,
  });
  deps = editorDeps({ launcher, lockTtlMs: TTL_MS, now: () => new Date(clock) });
  return { service: new EditorService(deps), launcher, deps };
}

const editor = (id: string) => ({ id, name: `${id}@newsroom.test` });

/** Items of the table without run, lock and audit records (those differ by design). */
async function pipelineItems(): Promise<string[]> {
  return (await rel.dbSnapshot()).filter((l) => !/"pk":"(RUN|LOCK|AUDIT)"/.test(l));
}

beforeAll(async () => {
  freezeClock();
  clock = Date.now();
  rel = await startReliabilityStack();
  (await rel.faults()).set({});
}, 120_000);

afterAll(async () => {
  figures.flush();
  await rel?.stop();
  thawClock();
});

describe("one run at a time", () => {
  it("two refreshes at once: one proceeds, the other is refused; the store is as after one clean run", async () => {
    await rel.use("lock-clean");
    const clean = await rel.run();
    expect(clean.errors).toEqual([]);
    const cleanItems = await pipelineItems();
    const cleanCharts = await rel.chartObjects();

    await rel.use("lock-twice");
    const { service: svc, launcher, deps } = await service();
    const [a, b] = await Promise.allSettled([svc.refresh(editor("ana"), {}), svc.refresh(editor("ben"), {})]);
    const started = [a, b].filter((x): x is PromiseFulfilledResult<RunRecord> => x.status === "fulfilled");
    const refused = [a, b].filter((x): x is PromiseRejectedResult => x.status === "rejected");
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const runId = started[0]?.value.runId ?? "";
    expect(refused[0]?.reason).toMatchObject({
      code: "RUN_IN_PROGRESS",
      message: `Run ${runId} is already in progress; wait for it to finish.`,
    });
    // While it works, a third request is refused too; so is a scheduled poll, which is routine and
    // so not audited (it would crowd people's actions out of the log).
    await expect(svc.refresh(editor("cy"), {})).rejects.toMatchObject({ code: "RUN_IN_PROGRESS" });
    const { SCHEDULE_ACTOR } = await import("../../functions/domain/runs.js");
    await expect(svc.refresh(SCHEDULE_ACTOR, {})).rejects.toMatchObject({ code: "RUN_IN_PROGRESS" });

    const finished = await launcher.wait(runId);
    expect(finished?.record.status).toBe("succeeded");
    expect(await deps.lock.current()).toBeUndefined();
    const audit = await deps.audit.recentAudit(10);
    expect(audit.filter((e) => e.result === "refused")).toHaveLength(2);
    expect(audit.filter((e) => e.result === "succeeded").map((e) => e.runId)).toEqual([runId]);
    const runs = await deps.runs.listRuns(10);
    expect(runs.map((r) => r.runId)).toEqual([runId]);

    // No double writes: the pipeline's items and the charts are those of one clean run.
    const items = await pipelineItems();
    const charts = await rel.chartObjects();
    const differing =
      items.filter((x) => !cleanItems.includes(x)).length +
      cleanItems.filter((x) => !items.includes(x)).length;
    figures.add({
      area: "lock",
      scenario: "three refreshes requested while one runs",
      cases: 3,
      faults: 2,
      dataLost: differing,
      note: "1 run, 2 refused with RUN_IN_PROGRESS (audited); store and charts equal to one clean run",
    });
    expect(items).toEqual(cleanItems);
    expect(charts).toEqual(cleanCharts);

    // The lock is free again: the next refresh runs.
    const next = await svc.refresh(editor("ana"), {});
    expect((await launcher.wait(next.runId))?.record.status).toBe("succeeded");
  });

  it("a lock left by a crashed run expires: refused before, taken after, the dead run closed as failed", async () => {
    await rel.use("lock-crash");
    const { service: svc, launcher, deps } = await service();
    const { beginRun } = await import("../../functions/pipeline/runs/lifecycle.js");
    // A run takes the lock and its process dies: no progress, no renewal, no finish.
    const dead = await beginRun(deps, { kind: "refresh", by: editor("cron") });
    expect((await deps.lock.current())?.runId).toBe(dead.runId);

    clock += TTL_MS - 1_000;
    await expect(svc.refresh(editor("ana"), {})).rejects.toMatchObject({
      code: "RUN_IN_PROGRESS",
      message: `Run ${dead.runId} is already in progress; wait for it to finish.`,
    });

    clock += 2_000; // past the lock's expiry
    const run = await svc.refresh(editor("ana"), {});
    expect(run.runId).not.toBe(dead.runId);
    expect((await launcher.wait(run.runId))?.record.status).toBe("succeeded");

    const closed = await svc.run(dead.runId);
    expect(closed).toMatchObject({ status: "failed" });
    expect(closed.result?.errors).toEqual([
      expect.objectContaining({
        code: "RUN_ABANDONED",
        message: expect.stringMatching(/its lock expired\. Nothing half-done was published/),
      }),
    ]);
    figures.add({
      area: "lock",
      scenario: "lock left by a crashed run",
      cases: 2,
      faults: 1,
      dataLost: 0,
      note: `refused until the ${TTL_MS / 1000} s lock expired, then taken; the dead run closed as failed (RUN_ABANDONED)`,
    });
  });

  it("whoever sees a run finished finds its audit entry finished and the lock free (the run record is written last)", async () => {
    await rel.use("finish-order");
    const { deps } = await service();
    const { beginRun, finishRun } = await import("../../functions/pipeline/runs/lifecycle.js");
    const run = await beginRun(deps, { kind: "refresh", by: editor("ana") });
    // What a reader polling the audit log would see at the instant the finished run record is stored.
    const seen: string[] = [];
    const runs = new Proxy(deps.runs, {
      get(target, prop, receiver) {
        if (prop !== "putRun") return Reflect.get(target, prop, receiver);
        return async (record: RunRecord) => {
          if (record.status !== "running") {
            const entry = await deps.audit.getAudit(run.audit?.at ?? "", run.audit?.id ?? "");
            const lock = (await deps.lock.current())?.runId === run.runId ? "locked" : "free";
            seen.push(`${record.status}/${entry?.result}/${lock}`);
          }
          return target.putRun(record);
        };
      },
    });
    const finished = await finishRun({ ...deps, runs }, run, { normalize: [], errors: [] });
    expect(finished.status).toBe("succeeded");
    expect(seen).toEqual(["succeeded/succeeded/free"]);
    expect((await deps.lock.current())?.runId).not.toBe(run.runId);
  });
});
