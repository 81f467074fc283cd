/**
 * Runs, the pipeline lock and the audit log: what editors see of "what happened".
 *
 * A run is one pass of work an editor (or the schedule) asked for: a refresh (fetch → normalize →
 * publish), an upload (store → normalize → publish) or an accept (normalize → publish). Its record
 * holds its stages with their progress and, once finished, a result an editor can read: releases
 * held back and why, observations written and revised, and what changed in each chart (new points,
 * revised values).
 *
 * One run at a time: a run holds the pipeline lock, which expires, so a lock left by a crashed run
 * does not block the next one for ever. Every refresh, upload and accept is audited (who, when, what,
 * result).
 *
 * Domain code against small ports (RunStore, RunLock, AuditLog, RunLauncher, ChartStore): DynamoDB
 * implements them in AWS and locally (functions/adapters/dynamo-runs.ts); Step Functions or the local
 * process launches runs.
 */
import { randomBytes } from "node:crypto";
import { type ChartEnvelope, publishedAmount } from "../domain/charts/envelope.js";
import { describeError, RunInProgress } from "../domain/errors.js";
import type { CheckFinding } from "../domain/model.js";
import type { ChartStore } from "../domain/ports.js";
import { type FetchReport, outageSentence } from "./fetch-releases.js";
import type { NormalizeReport } from "./normalize-release.js";
import type { PublishReport } from "./publish-charts.js";

// ---- vocabulary ----------------------------------------------------------------------------------

/** The actor of scheduled refreshes (EventBridge Scheduler → functions/handlers/api.ts `scheduled`). */
export const SCHEDULE_ACTOR: Actor = { id: "schedule", name: "schedule" };

export type RunKind = "refresh" | "upload" | "accept" | "accept-chart";
export type StageName = "fetch" | "store" | "normalize" | "publish";
export type StageStatus = "pending" | "running" | "done" | "failed" | "skipped";
/** succeeded: all went through; needs-attention: finished, but a release was held back or a stage
 * reported errors for some pages; failed: a stage could not run. */
export type RunStatus = "running" | "succeeded" | "needs-attention" | "failed";

export interface RunStage {
  name: StageName;
  status: StageStatus;
  /** What the stage is doing or did, in words. */
  message: string;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
  /** Items done out of total (e.g. releases normalized), when the stage knows. */
  done?: number | undefined;
  total?: number | undefined;
}

/** Who asked: an editor (local token or Cognito user) or the schedule. */
export interface Actor {
  /** Stable id (Cognito `sub`, "local", "schedule"). */
  id: string;
  /** Shown in the audit log: e-mail, user name, "local editor", "schedule". */
  name: string;
}

export interface RunRequest {
  runId: string;
  kind: RunKind;
  /** Only these charts are rebuilt (refresh); default all. */
  charts?: string[] | undefined;
  /** Re-download every known page, not only the newest (refresh). */
  recheckAll?: boolean | undefined;
  /** The release an upload or accept is about. */
  releaseId?: string | undefined;
}

/** A chart value keyed by series and point. */
export type ChartSnapshot = Record<string, Record<string, number>>;

export interface PointChange {
  series: string;
  /** Period ("2023-08") or, in ranked charts, "2026-03 RUS". */
  point: string;
  label: string;
  value: number;
  /** Before the run (revisions only). */
  previous?: number | undefined;
}

export interface ChartChange {
  chartId: string;
  title: string;
  newPoints: PointChange[];
  revisions: PointChange[];
  removedPoints: PointChange[];
  /** Totals before the lists were capped. */
  counts: { newPoints: number; revisions: number; removedPoints: number };
  latestPeriodBefore: string | null;
  latestPeriodAfter: string | null;
}

export interface RunResult {
  /** Refresh: releases listed on GACC's index pages, and new or changed pages downloaded. */
  releasesListed?: number | undefined;
  releasesChanged?: number | undefined;
  releasesUnchanged?: number | undefined;
  /** Every release this run normalized (or tried to). */
  releases: Array<{
    releaseId: string;
    status: NormalizeReport["status"];
    observationsWritten: number;
    revisions: number;
    reasons: CheckFinding[];
    warnings: number;
  }>;
  quarantined: Array<{ releaseId: string; reasons: CheckFinding[] }>;
  observationsWritten: number;
  revisions: number;
  chartFilesWritten: string[];
  chartChanges: ChartChange[];
  /** What's new: per chart, the release-fact sentences first said in this run (functions/domain/facts). */
  news?: Array<{
    chartId: string;
    title: string;
    url: string;
    facts: Array<{ text: string; caveats: string[] }>;
  }>;
  /** The release alert's subject, and whether it was sent (no topic locally). */
  alert?: { subject: string; sent: boolean } | undefined;
  warnings: string[];
  errors: Array<{ stage: StageName; code: string; message: string }>;
  /** One line for people: "2 releases normalized, 4 observations written, 1 chart changed". */
  summary: string;
}

export interface RunRecord {
  runId: string;
  kind: RunKind;
  status: RunStatus;
  requestedBy: Actor;
  request: RunRequest;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string | undefined;
  stages: RunStage[];
  result?: RunResult | undefined;
  /** The Step Functions execution (AWS) or "in-process" (local). */
  executionRef?: string | undefined;
  /** The audit entry this run completes. */
  audit?: { at: string; id: string } | undefined;
  /** The charts as they were when the run started, to tell what changed (kept out of API answers). */
  chartsBefore?: Record<string, ChartSnapshot> | undefined;
}

export type AuditAction = "refresh" | "upload" | "accept" | "accept-chart";
export type AuditResult = "started" | "succeeded" | "needs-attention" | "failed" | "refused";

export interface AuditEntry {
  /** Unique with `at` (the sort key is `<at>#<id>`). */
  id: string;
  at: string;
  by: Actor;
  action: AuditAction;
  /** What it was about: "all charts", a chart list, "harukaworks_2023.csv (imports)", a release id. */
  target: string;
  /** The reason given (accept), the file's sha256 (upload)... */
  details?: Record<string, string> | undefined;
  result: AuditResult;
  /** The outcome in words. */
  message: string;
  runId?: string | undefined;
  updatedAt?: string | undefined;
  /** Repeated refusals are one entry (per run in the way and per person): how many, and the last. */
  count?: number | undefined;
  lastAt?: string | undefined;
}

// ---- ports ---------------------------------------------------------------------------------------

export interface RunStore {
  putRun(run: RunRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(limit: number): Promise<RunRecord[]>;
}

export interface LockState {
  runId: string;
  acquiredAt: string;
  expiresAt: string;
}

/** One lock for the whole pipeline, with expiry. */
export interface RunLock {
  /** Takes the lock when free or expired; otherwise returns who holds it. */
  acquire(
    runId: string,
    now: Date,
    ttlMs: number,
  ): Promise<{ acquired: true } | { acquired: false; holder: LockState }>;
  /** Takes the lock from `fromRunId` (a holder known to have finished); false when someone else has it now. */
  takeOver(fromRunId: string, runId: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Extends a held lock; false when `runId` no longer holds it. */
  renew(runId: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Lets go, if `runId` still holds it. */
  release(runId: string): Promise<void>;
  current(): Promise<LockState | undefined>;
}

export interface AuditLog {
  /** Writes (or rewrites, same `at` and `id`) one entry. */
  putAudit(entry: AuditEntry): Promise<void>;
  /**
   * Counts one more refusal into the entry with this `at` and `id` (written as given the first
   * time, then only its count and `lastAt` change), atomically: concurrent refusals all count.
   */
  countRefusal(entry: AuditEntry, at: string): Promise<void>;
  getAudit(at: string, id: string): Promise<AuditEntry | undefined>;
  /** Newest first. */
  recentAudit(limit: number): Promise<AuditEntry[]>;
}

/** What a launcher can tell about a run it started (AWS: the Step Functions execution). */
export interface RunObservation {
  state: "running" | "finished" | "failed" | "unknown";
  stages?: RunStage[] | undefined;
  /** The pipeline's own report, when the execution returned one. */
  outcome?: RunOutcome | undefined;
  error?: { code: string; message: string } | undefined;
}

/**
 * Starts a refresh somewhere: Step Functions in AWS, a background task in the local process. A
 * launcher that records progress itself (local) needs no `observe`; one that cannot (Step Functions)
 * reports the execution's state through it.
 */
export interface RunLauncher {
  launch(request: RunRequest): Promise<{ executionRef: string }>;
  observe?(run: RunRecord): Promise<RunObservation>;
}

export interface RunDeps {
  runs: RunStore;
  lock: RunLock;
  audit: AuditLog;
  charts: ChartStore;
  now: () => Date;
  /** How long a lock lasts without renewal: a crashed run blocks others at most this long. */
  lockTtlMs: number;
}

/** What the stages reported (the local runner's summary, or a Step Functions execution's output). */
export interface RunOutcome {
  fetch?: FetchReport | undefined;
  normalize: NormalizeReport[];
  publish?: PublishReport | undefined;
  errors: Array<{ stage: StageName; code: string; message: string }>;
}

// ---- ids -----------------------------------------------------------------------------------------

/** "20260512T101503123Z-refresh-3fa2": sorts by time, valid as a Step Functions execution name. */
export function newRunId(
  kind: RunKind,
  now: Date,
  random: () => string = () => randomBytes(3).toString("hex"),
): string {
  return `${now.toISOString().replace(/[-:.]/g, "")}-${kind}-${random()}`;
}

export function isRunId(id: string): boolean {
  return /^[0-9]{8}T[0-9]{9}Z-(refresh|upload|accept|accept-chart)-[0-9a-z]{2,16}$/.test(id);
}

export const STAGES_OF: Record<RunKind, StageName[]> = {
  refresh: ["fetch", "normalize", "publish"],
  upload: ["store", "normalize", "publish"],
  accept: ["normalize", "publish"],
  "accept-chart": ["publish"],
};

// ---- charts: snapshot and diff -----------------------------------------------------------------

interface ChartIndexFile {
  charts: Array<{ id: string }>;
}

async function readJson<T>(charts: ChartStore, key: string): Promise<T | undefined> {
  const body = await charts.get(key);
  if (!body) return undefined;
  try {
    return JSON.parse(Buffer.from(body).toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

export async function readPublishedCharts(charts: ChartStore): Promise<ChartEnvelope[]> {
  const index = await readJson<ChartIndexFile>(charts, "charts/index.json");
  const out: ChartEnvelope[] = [];
  for (const { id } of index?.charts ?? []) {
    const chart = await readJson<ChartEnvelope>(charts, `charts/${id}.json`);
    if (chart) out.push(chart);
  }
  return out;
}

function pointKey(p: { period: string; category?: string | undefined }): string {
  return p.category ? `${p.period} ${p.category}` : p.period;
}

export function snapshotOf(chart: ChartEnvelope): ChartSnapshot {
  const snap: ChartSnapshot = {};
  for (const s of chart.series) {
    const values: Record<string, number> = {};
    // One value per published figure: a January–February total once (not its two average points).
    for (const p of s.points) {
      const amount = publishedAmount(p);
      if (amount !== null) values[pointKey(p)] = amount;
    }
    snap[s.key] = values;
  }
  return snap;
}

export async function snapshotCharts(charts: ChartStore): Promise<Record<string, ChartSnapshot>> {
  const out: Record<string, ChartSnapshot> = {};
  for (const chart of await readPublishedCharts(charts)) out[chart.id] = snapshotOf(chart);
  return out;
}

const MAX_LISTED = 24;

/** What changed in one chart between two snapshots: new points, revised values, removed points. */
export function diffChart(
  before: ChartSnapshot | undefined,
  after: ChartEnvelope,
  latestPeriodBefore: string | null = null,
): ChartChange {
  const change: ChartChange = {
    chartId: after.id,
    title: after.title,
    newPoints: [],
    revisions: [],
    removedPoints: [],
    counts: { newPoints: 0, revisions: 0, removedPoints: 0 },
    latestPeriodBefore,
    latestPeriodAfter: after.latestPeriod,
  };
  const push = (list: PointChange[], kind: keyof ChartChange["counts"], c: PointChange) => {
    change.counts[kind]++;
    if (list.length < MAX_LISTED) list.push(c);
  };
  for (const s of after.series) {
    const old = before?.[s.key] ?? {};
    const seen = new Set<string>();
    for (const p of s.points) {
      const value = publishedAmount(p);
      const key = pointKey(p);
      if (value === null || seen.has(key)) continue;
      seen.add(key);
      const label = `${s.label}, ${p.categoryLabel ? `${p.categoryLabel} ` : ""}${p.period}`;
      const previous = old[key];
      if (previous === undefined)
        push(change.newPoints, "newPoints", { series: s.key, point: key, label, value });
      else if (previous !== value) {
        push(change.revisions, "revisions", { series: s.key, point: key, label, value, previous });
      }
    }
    for (const [key, value] of Object.entries(old)) {
      if (!seen.has(key)) {
        push(change.removedPoints, "removedPoints", {
          series: s.key,
          point: key,
          label: `${s.label}, ${key}`,
          value,
        });
      }
    }
  }
  return change;
}

export function hasChanges(c: ChartChange): boolean {
  return c.counts.newPoints + c.counts.revisions + c.counts.removedPoints > 0;
}

// ---- results -------------------------------------------------------------------------------------

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function resultOf(outcome: RunOutcome, chartChanges: ChartChange[]): RunResult {
  const releases = outcome.normalize.map((n) => ({
    releaseId: n.releaseId,
    status: n.status,
    observationsWritten: n.observationsWritten,
    revisions: n.revisions,
    reasons: n.reasons,
    warnings: n.warnings.length,
  }));
  const quarantined = outcome.normalize
    .filter((n) => n.status === "quarantined")
    .map((n) => ({ releaseId: n.releaseId, reasons: n.reasons }));
  const observationsWritten = outcome.normalize.reduce((a, n) => a + n.observationsWritten, 0);
  const revisions = outcome.normalize.reduce((a, n) => a + n.revisions, 0);
  const warnings = [
    ...(outcome.fetch?.warnings ?? []).map((w) => w.message),
    ...outcome.normalize.flatMap((n) => n.warnings.map((w) => `${n.releaseId}: ${w.message}`)),
    ...(outcome.publish?.warnings ?? []),
  ];
  const changed = chartChanges.filter(hasChanges);
  const parts: string[] = [];
  if (outcome.fetch) {
    parts.push(
      `${plural(outcome.fetch.releasesSeen, "release")} listed, ${outcome.fetch.releases.length} new or changed`,
    );
  }
  const normalized = releases.filter((r) => r.status === "normalized").length;
  const accepted = releases.filter((r) => r.status === "accepted").length;
  if (outcome.normalize.length > 0 && (normalized > 0 || accepted === 0))
    parts.push(`${normalized} normalized`);
  if (accepted > 0) parts.push(`${accepted} accepted after review`);
  if (quarantined.length > 0) parts.push(`${quarantined.length} held back`);
  parts.push(`${plural(observationsWritten, "observation")} written (${plural(revisions, "revision")})`);
  parts.push(
    outcome.publish
      ? `${plural(changed.length, "chart")} changed, ${plural(outcome.publish.filesWritten.length, "file")} written`
      : outcome.fetch?.nothingFetched
        ? `nothing published, because ${outcome.fetch.nothingFetched}`
        : "nothing published",
  );
  if (outcome.errors.length > 0) parts.push(plural(outcome.errors.length, "error"));
  return {
    releasesListed: outcome.fetch?.releasesSeen,
    releasesChanged: outcome.fetch?.releases.length,
    releasesUnchanged: outcome.fetch?.unchanged,
    releases,
    quarantined,
    observationsWritten,
    revisions,
    chartFilesWritten: outcome.publish?.filesWritten ?? [],
    chartChanges: changed,
    news: (outcome.publish?.facts?.news ?? []).map((n) => ({
      chartId: n.chartId,
      title: n.title,
      url: n.url,
      facts: n.facts.map((f) => ({ text: f.text, caveats: f.caveats.map((c) => c.text) })),
    })),
    alert: outcome.publish?.facts?.alert
      ? { subject: outcome.publish.facts.alert.subject, sent: outcome.publish.facts.alert.sent }
      : undefined,
    warnings: warnings.slice(0, 40),
    errors: outcome.errors,
    // An outage is one plain sentence, not a tally of zeros.
    summary: outcome.errors.find((e) => e.code === "UPSTREAM_UNREACHABLE")?.message ?? `${parts.join("; ")}.`,
  };
}

export function statusOf(result: RunResult, stages: RunStage[]): RunStatus {
  if (stages.some((s) => s.status === "failed")) return "failed";
  if (result.quarantined.length > 0 || result.errors.length > 0) return "needs-attention";
  return "succeeded";
}

// ---- lifecycle -----------------------------------------------------------------------------------

function auditTarget(request: RunRequest): string {
  if (request.kind === "refresh") return request.charts?.length ? request.charts.join(", ") : "all charts";
  if (request.kind === "accept-chart") return request.charts?.join(", ") ?? "";
  return request.releaseId ?? "";
}

/**
 * Starts a run: takes the lock (taking it over from a holder that has finished or whose lock
 * expired), records the run with its stages pending and the charts as they are, and audits the
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
    // The record goes in right after the lock, before the (slower) chart snapshot: a second editor
    // refused with this run's id can follow it at once.
    await deps.runs.putRun(record);
    record.chartsBefore = await snapshotCharts(deps.charts);
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
  let chartChanges: ChartChange[] = [];
  try {
    const after = await readPublishedCharts(deps.charts);
    chartChanges = after.map((c) => diffChart(record.chartsBefore?.[c.id], c));
  } catch (err) {
    outcome.errors.push({ stage: "publish", ...describeError(err) });
  }
  const result = resultOf(outcome, chartChanges);
  const finished: RunRecord = {
    ...record,
    status: statusOf(result, record.stages),
    result,
    finishedAt: now,
    updatedAt: now,
    chartsBefore: undefined,
  };
  try {
    await deps.runs.putRun(finished);
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

/** For API answers: the record without its internal chart snapshot. */
export function publicRun(run: RunRecord): Omit<RunRecord, "chartsBefore"> {
  const { chartsBefore: _omit, ...rest } = run;
  return rest;
}

/** An audit entry as editors read it: a collapsed refusal says how often and when last. */
export function auditView(entry: AuditEntry): AuditEntry {
  if (!entry.count || entry.count < 2) return entry;
  return {
    ...entry,
    message: `${entry.message} (refused ${entry.count} times, the last at ${entry.lastAt ?? entry.at})`,
  };
}
