/**
 * A run as it stands now. A launcher that cannot record progress itself (Step Functions) is asked how
 * its execution is doing, and what it says is recorded; a run abandoned by a crashed process is closed.
 */
import { NotFound } from "../../domain/errors.js";
import { type LockState, type RunKind, type RunRecord, STAGES_OF } from "../../domain/runs.js";
import { finishRun, settleAbandoned } from "../../pipeline/runs/lifecycle.js";
import type { EditorDeps } from "./deps.js";

/** A run as it stands now (reading a Step Functions execution's progress when needed). */
export async function runNow(deps: EditorDeps, runId: string): Promise<RunRecord> {
  const run = await deps.runs.getRun(runId);
  if (!run) {
    // The lock is taken a moment before the run's record is written: a run that holds the lock is
    // starting, never "not found" (a second tab refused with its id follows it from here).
    const lock = await deps.lock.current();
    if (lock?.runId === runId) return startingRun(lock);
    throw new NotFound(`There is no run ${runId}: reload to see the latest runs.`);
  }
  return settle(deps, run);
}

export async function settle(deps: EditorDeps, run: RunRecord): Promise<RunRecord> {
  let current = run;
  if (current.status === "running" && deps.launcher.observe) current = await observeRun(deps, current);
  return settleAbandoned(deps, current);
}

/** Asks the launcher how a running run is doing and records what it says. */
export async function observeRun(deps: EditorDeps, run: RunRecord): Promise<RunRecord> {
  const observe = deps.launcher.observe;
  if (!observe || run.status !== "running") return run;
  const o = await observe.call(deps.launcher, run);
  const withStages = o.stages ? { ...run, stages: o.stages } : run;
  if (o.state === "finished") return finishRun(deps, withStages, o.outcome ?? { normalize: [], errors: [] });
  if (o.state === "failed") {
    const stage =
      withStages.stages.find((s) => s.status === "failed" || s.status === "running")?.name ?? "fetch";
    return finishRun(deps, withStages, {
      normalize: [],
      errors: [{ stage, code: o.error?.code ?? "FAILED", message: o.error?.message ?? "The run failed" }],
    });
  }
  if (o.stages && JSON.stringify(o.stages) !== JSON.stringify(run.stages)) {
    const updated = { ...withStages, updatedAt: deps.now().toISOString() };
    await deps.runs.putRun(updated);
    return updated;
  }
  return run;
}

/** A run that holds the lock but whose record is not written yet: all its stages wait. */
function startingRun(lock: LockState): RunRecord {
  const kind = (/Z-(refresh|upload|accept-chart|accept)-/.exec(lock.runId)?.[1] ?? "refresh") as RunKind;
  return {
    runId: lock.runId,
    kind,
    status: "running",
    requestedBy: { id: "unknown", name: "another editor" },
    request: { runId: lock.runId, kind },
    startedAt: lock.acquiredAt,
    updatedAt: lock.acquiredAt,
    stages: STAGES_OF[kind].map((name) => ({ name, status: "pending", message: "Starting" })),
  };
}
