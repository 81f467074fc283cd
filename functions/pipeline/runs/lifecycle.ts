/**
 * A run's lifecycle: one run at a time under the pipeline lock, which expires, so a lock left by a
 * crashed run does not block the next one for ever; progress recorded as stages go; a result and an
 * audit entry when it ends (who, when, what, result). Written against the ports in domain/ports.ts
 * (DynamoDB implements them in AWS and locally: functions/adapters/dynamo-runs.ts).
 */
import { randomBytes } from "node:crypto";
import { RunInProgress } from "../../domain/errors.js";
import type { AuditLog, ChartStore, RunLock, RunStore } from "../../domain/ports.js";
import {
  type Actor,
  type AuditEntry,
  type RunKind,
  type RunOutcome,
  type RunRecord,
  type RunRequest,
  type RunStage,
  SCHEDULE_ACTOR,
  STAGES_OF,
  type StageStatus,
} from "../../domain/runs.js";
import type { StageName } from "../../domain/stages.js";
import { outageSentence, resultOf, statusOf } from "./result.js";

export interface RunDeps {
  runs: RunStore;
  lock: RunLock;
  audit: AuditLog;
  charts: ChartStore;
  now: () => Date;
  /** How long a lock lasts without renewal: a crashed run blocks others at most this long. */
  lockTtlMs: number;
}

/** "20260512T101503123Z-refresh-3fa2": sorts by time, valid as a Step Functions execution name. */
export function newRunId(
  kind: RunKind,
  now: Date,
  random: () => string = () => randomBytes(3).toString("hex"),
): string {
  return `${now.toISOString().replace(/[-:.]/g, "")}-${kind}-${random()}`;
}

function auditTarget(request: RunRequest): string {
  if (request.kind === "refresh") return request.charts?.length ? request.charts.join(", ") : "all charts";
  if (request.kind === "accept-chart") return request.acceptChart?.chartId ?? "";
  return request.releaseId ?? "";
}

/**
 * Starts a run: takes the lock (taking it over from a holder that has finished or whose lock
 * expired), records the run with its stages pending, and audits the
 * request. Throws RunInProgress (with the running id) while another run holds the lock.
 */
export async function beginRun(
  deps: RunDeps,
  input: {
    kind: RunKind;
    by: Actor;
    request?: Omit<RunRequest, "runId" | "kind">;
    audit?: { target?: string; details?: Record<string, string> };
    runId?: string;
  },
  /** Asked about a live lock holder: has it really finished (AWS: the execution's state)? */
  observe?: (run: RunRecord) => Promise<void>,
): Promise<RunRecord> {
  const now = deps.now();
  const runId = input.runId ?? newRunId(input.kind, now);
  const request: RunRequest = { ...input.request, runId, kind: input.kind };
  const auditEntry: AuditEntry = {
    id: runId,
    at: now.toISOString(),
    by: input.by,
    action: input.kind,
    target: input.audit?.target ?? auditTarget(request),
    details: input.audit?.details,
    result: "started",
    message: "Started",
    runId,
  };

  let got = await deps.lock.acquire(runId, now, deps.lockTtlMs);
  // A few rounds: a finished holder's lock is taken over, but another request may take it over
  // first; then that request is the run in progress, and its id is the one to report (never the
  // finished holder's, which a second tab would follow to its end and stop).
  for (let round = 0; !got.acquired && round < 3; round++) {
    const holderId = got.holder.runId;
    let holder = await deps.runs.getRun(holderId);
    if (holder?.status === "running" && observe) {
      await observe(holder);
      holder = await deps.runs.getRun(holderId);
    }
    // A holder whose record says it finished left its lock behind (it crashed after finishing, or
    // is letting go this instant): take it over. A holder still running (or just starting) keeps it.
    if (!holder || holder.status === "running") break;
    if (await deps.lock.takeOver(holderId, runId, now, deps.lockTtlMs)) got = { acquired: true };
    else got = await deps.lock.acquire(runId, now, deps.lockTtlMs);
  }
  if (!got.acquired) {
    const holderId = got.holder.runId;
    // A scheduled poll that finds a run in progress is routine (dozens a day on release days):
    // only people's refused requests go in the audit log. Repeated refusals (an editor clicking
    // Refresh again and again) are counted into one entry per person and run in the way, dated
    // when that run took the lock, so they cannot push real entries out of the audit view.
    if (input.by.id !== SCHEDULE_ACTOR.id) {
      await deps.audit.countRefusal(
        {
          ...auditEntry,
          at: got.holder.acquiredAt || auditEntry.at,
          id: `${holderId}-refused-${input.kind}-${input.by.id.replace(/[^A-Za-z0-9_.@-]/g, "_")}`,
          runId: holderId,
          result: "refused",
          message: `Refused: run ${holderId} is in progress`,
        },
        now.toISOString(),
      );
    }
    throw new RunInProgress(holderId);
  }

  const record: RunRecord = {
    runId,
    kind: input.kind,
    status: "running",
    requestedBy: input.by,
    request,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    stages: STAGES_OF[input.kind].map((name) => ({ name, status: "pending", message: "Waiting" })),
    audit: { at: auditEntry.at, id: auditEntry.id },
  };
  try {
    // The record goes in right after the lock: a second editor refused with this run's id can follow
    // it at once.
    await deps.runs.putRun(record);
    await deps.audit.putAudit(auditEntry);
  } catch (err) {
    await deps.lock.release(runId);
    throw err;
  }
  return record;
}

/**
 * Records progress of a running run, one write at a time and in order, renewing its lock as it goes.
 * Progress writes never fail the run: a lost progress write is only a stale progress bar.
 */
export class RunTracker {
  private chain: Promise<void> = Promise.resolve();
  private lastRenew = 0;

  constructor(
    private readonly deps: RunDeps,
    readonly record: RunRecord,
  ) {}

  private stage(name: StageName): RunStage {
    let s = this.record.stages.find((x) => x.name === name);
    if (!s) {
      s = { name, status: "pending", message: "" };
      this.record.stages.push(s);
    }
    return s;
  }

  /** Updates one stage; stages before it that never started are marked skipped. */
  update(
    name: StageName,
    change: { status?: StageStatus; message?: string; done?: number; total?: number },
  ): Promise<void> {
    const now = this.deps.now();
    const s = this.stage(name);
    const at = now.toISOString();
    if (change.status === "running" && s.status === "pending") s.startedAt = at;
    if (change.status && change.status !== "running" && change.status !== "pending") {
      s.startedAt ??= at;
      s.finishedAt = at;
    }
    if (change.status) s.status = change.status;
    if (change.message !== undefined) s.message = change.message;
    if (change.done !== undefined) s.done = change.done;
    if (change.total !== undefined) s.total = change.total;
    this.record.updatedAt = at;
    const snapshot = structuredClone(this.record);
    const renew = now.getTime() - this.lastRenew > this.deps.lockTtlMs / 4;
    if (renew) this.lastRenew = now.getTime();
    this.chain = this.chain.then(async () => {
      try {
        await this.deps.runs.putRun(snapshot);
        if (renew) await this.deps.lock.renew(this.record.runId, now, this.deps.lockTtlMs);
      } catch {
        // Progress is best effort; the final write below is not.
      }
    });
    return this.chain;
  }

  /** Waits for progress writes, then finishes the run (see finishRun). */
  async finish(outcome: RunOutcome): Promise<RunRecord> {
    await this.chain;
    return finishRun(this.deps, this.record, outcome);
  }
}

/**
 * Finishes a run: stages not yet finished are closed (failed when the outcome names an error in
 * them, skipped when they never ran), the result is computed with what changed in each chart, the
 * audit entry gets its result, and the lock is released.
 */
export async function finishRun(deps: RunDeps, record: RunRecord, given: RunOutcome): Promise<RunRecord> {
  const now = deps.now().toISOString();
  const outcome = withOutageCollapsed(given);
  for (const s of record.stages) {
    const failed = outcome.errors.some((e) => e.stage === s.name && isStageFatal(e, outcome));
    if (failed) {
      s.status = "failed";
      s.message = outcome.errors.find((e) => e.stage === s.name)?.message ?? "Failed";
    } else if (s.status === "running") s.status = "done";
    else if (s.status === "pending") {
      s.status = "skipped";
      s.message = skippedMessage(s.name, outcome);
    }
    // After an outage the later stages say so in the same words, not with the raw page errors.
    if (outcome !== given && s.name !== "fetch" && s.status === "skipped")
      s.message = "Skipped: GACC could not be reached, the charts are unchanged";
    s.startedAt ??= s.status === "skipped" ? undefined : now;
    if (s.status !== "skipped") s.finishedAt ??= now;
  }
  // What changed in each chart, as publish saw it when it replaced each file (no chart read here).
  const result = resultOf(outcome, outcome.publish?.chartChanges ?? []);
  const finished: RunRecord = {
    ...record,
    status: statusOf(result, record.stages),
    result,
    finishedAt: now,
    updatedAt: now,
    chartsBefore: undefined,
  };
  // The run record last: whoever sees the run finished (the console, the CLI, a waiting test) finds
  // its audit entry finished too and the lock free, so a refresh asked for at once is not refused.
  // Each write is tried even when the one before it fails.
  try {
    try {
      const entry = record.audit ? await deps.audit.getAudit(record.audit.at, record.audit.id) : undefined;
      if (entry) {
        await deps.audit.putAudit({
          ...entry,
          result: finished.status === "running" ? "started" : finished.status,
          message: result.summary,
          updatedAt: now,
        });
      }
    } finally {
      await deps.lock.release(record.runId);
    }
  } finally {
    await deps.runs.putRun(finished);
  }
  return finished;
}

/**
 * A fetch that reached no index page at all is an outage: its page-by-page errors become one
 * sentence (they stay in the fetch report for engineers), and the fetch stage fails.
 */
function withOutageCollapsed(outcome: RunOutcome): RunOutcome {
  const sentence = outcome.fetch ? outageSentence(outcome.fetch) : undefined;
  if (!sentence) return outcome;
  return {
    ...outcome,
    errors: [
      { stage: "fetch", code: "UPSTREAM_UNREACHABLE", message: sentence },
      ...outcome.errors.filter((e) => e.stage !== "fetch"),
    ],
  };
}

/** Fetch errors about single pages leave the run going; a stage error with no report means it did not run. */
function isStageFatal(e: { stage: StageName; code: string }, outcome: RunOutcome): boolean {
  if (e.stage === "fetch") return outcome.fetch === undefined || e.code === "UPSTREAM_UNREACHABLE";
  if (e.stage === "publish") return true;
  return e.stage === "store" || outcome.normalize.length === 0;
}

function skippedMessage(stage: StageName, outcome: RunOutcome): string {
  if (stage === "publish") {
    return outcome.errors.length > 0 && outcome.normalize.length === 0
      ? "Skipped: an earlier stage failed"
      : "Nothing changed, nothing to publish";
  }
  if (stage === "normalize") return "No new or changed release to normalize";
  return "Skipped";
}

/**
 * The run as it stands. A run whose record says running but whose lock is gone and which has not
 * reported for longer than a lock lasts ended without finishing (its process crashed): it is closed
 * as failed, so editors are not left watching a run that will never end.
 */
export async function settleAbandoned(deps: RunDeps, run: RunRecord): Promise<RunRecord> {
  if (run.status !== "running") return run;
  const idle = deps.now().getTime() - Date.parse(run.updatedAt);
  if (idle < deps.lockTtlMs) return run;
  const lock = await deps.lock.current();
  if (lock?.runId === run.runId && Date.parse(lock.expiresAt) > deps.now().getTime()) return run;
  return finishRun(deps, run, abandonedOutcome(run));
}

function abandonedOutcome(run: RunRecord): RunOutcome {
  const stage = run.stages.find((s) => s.status === "running")?.name ?? run.stages[0]?.name ?? "fetch";
  return {
    normalize: [],
    errors: [
      {
        stage,
        code: "RUN_ABANDONED",
        message:
          "The run stopped without finishing (its process ended) and its lock expired. Nothing half-done was " +
          "published; start a new refresh.",
      },
    ],
  };
}

/**
 * After a restart of the process that runs runs (the local server): runs it left "running" ended
 * with it. They are closed as failed and the lock is let go.
 */
export async function recoverAbandoned(deps: RunDeps): Promise<RunRecord[]> {
  const closed: RunRecord[] = [];
  for (const run of await deps.runs.listRuns(20)) {
    if (run.status === "running") closed.push(await finishRun(deps, run, abandonedOutcome(run)));
  }
  const lock = await deps.lock.current();
  if (lock) await deps.lock.release(lock.runId);
  return closed;
}
