/**
 * The status editors see at a glance: the run holding the lock, recent runs, releases by status,
 * the next release expected, the charts, the audit log and the charts held back.
 */
import { nextExpectedRelease, releaseAfterPeriod } from "../../domain/calendar.js";
import type { ChartHold } from "../../domain/chart-holds.js";
import type { ChartIndexEntry } from "../../domain/charts/envelope.js";
import { INDEX_KEY, parseIndex } from "../../domain/charts/published.js";
import type { Release } from "../../domain/model.js";
import { comparePeriods } from "../../domain/periods.js";
import { type AuditEntry, auditView, type LockState, publicRun, type RunRecord } from "../../domain/runs.js";
import { type Glance, runHeadline, statusGlance } from "../../domain/wording.js";
import { openHolds } from "../../pipeline/publish-guard.js";
import type { EditorDeps } from "./deps.js";
import { type ReleaseView, releaseView } from "./release-view.js";
import { settle } from "./run-observation.js";

export interface StatusView {
  /** The deployment stage ("prod", "local"). */
  stage: string;
  now: string;
  /** The run holding the lock right now, if any. */
  running: { runId: string; since: string; expiresAt: string } | null;
  /** The latest run, with what it did in a sentence (wording.ts: the console and CLI say the same). */
  latestRun: (ReturnType<typeof publicRun> & { headline: string }) | null;
  recentRuns: Array<
    Pick<RunRecord, "runId" | "kind" | "status" | "startedAt" | "finishedAt"> & { summary?: string }
  >;
  counts: Record<Release["status"], number>;
  releases: ReleaseView[];
  nextRelease: {
    kind: string;
    period: string;
    expectedFrom: string;
    expectedBy: string;
    /** The window has passed and the release is not in yet. */
    overdue: boolean;
    basis: string;
    /** The latest month any chart shows (what "up to date" is measured from). */
    latestShown: string | null;
    /** The calendar's next window from now (differs from the above when that one is overdue). */
    upcoming: { period: string; expectedFrom: string; expectedBy: string };
  };
  charts: ChartIndexEntry[];
  audit: AuditEntry[];
  /** Chart versions the publish guard held back, waiting for an editor. */
  heldCharts: ChartHold[];
  /**
   * The status at a glance, in words: are the charts up to date with GACC's calendar, what came in
   * last and when, what GACC should publish next (by today's date) and whether it is due, what
   * needs an editor.
   */
  glance: Glance;
}

export async function editorStatus(d: EditorDeps): Promise<StatusView> {
  const now = d.now();
  const [releases, runs, audit, lock, charts, heldCharts] = await Promise.all([
    d.releases.listReleases(),
    d.runs.listRuns(10),
    d.audit.recentAudit(30),
    d.lock.current(),
    chartIndex(d),
    openHolds(d.holds),
  ]);
  const latest = runs[0] ? await settle(d, runs[0]) : undefined;
  const counts = { fetched: 0, normalizing: 0, normalized: 0, quarantined: 0, accepted: 0 };
  for (const r of releases) counts[r.status]++;
  // A lock counts while it has not expired and its run has not finished (a finished run releases it
  // a moment after writing its result).
  const holder = lock ? runs.find((r) => r.runId === lock.runId) : undefined;
  const live =
    lock && Date.parse(lock.expiresAt) > now.getTime() && (!holder || holder.status === "running")
      ? lock
      : undefined;
  const views = releases.map(releaseView);
  const names = new Map(views.map((r) => [r.releaseId, r.name]));
  const view: Omit<StatusView, "glance"> = {
    stage: d.deploymentStage,
    now: now.toISOString(),
    running: live ? runningOf(live) : null,
    latestRun: latest
      ? { ...publicRun(latest), headline: runHeadline(latest, (id) => names.get(id) ?? id) }
      : null,
    recentRuns: runs.map((r, i) => {
      const run = i === 0 && latest ? latest : r;
      return {
        runId: run.runId,
        kind: run.kind,
        status: run.status,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        summary: run.result?.summary,
      };
    }),
    counts,
    releases: views.sort(
      (a, b) => comparePeriods(b.period, a.period) || a.releaseId.localeCompare(b.releaseId),
    ),
    nextRelease: nextRelease(charts, now),
    charts,
    audit: audit.map(auditView),
    heldCharts,
  };
  return { ...view, glance: statusGlance(view) };
}

/**
 * The next preliminary release after the latest month the charts show (not the latest stored: a
 * release accepted but shown by no chart does not make the charts any fresher), and the calendar's
 * next window from today.
 */
function nextRelease(charts: ChartIndexEntry[], now: Date): StatusView["nextRelease"] {
  const upcoming = nextExpectedRelease(now, "preliminary");
  const upcomingWindow = {
    period: upcoming.period,
    expectedFrom: upcoming.expectedFrom,
    expectedBy: upcoming.expectedBy,
  };
  const latest = charts
    .map((c) => c.latestPeriod)
    .filter((p): p is string => typeof p === "string" && p !== "")
    .sort(comparePeriods)
    .at(-1);
  if (latest) {
    const next = releaseAfterPeriod("preliminary", latest);
    return {
      ...next,
      overdue: Date.parse(next.expectedBy) < now.getTime(),
      basis: `the preliminary release after ${latest}, the latest month the charts show`,
      latestShown: latest,
      upcoming: upcomingWindow,
    };
  }
  return {
    ...upcoming,
    overdue: false,
    basis: "GACC's release calendar (no chart shows any month yet)",
    latestShown: null,
    upcoming: upcomingWindow,
  };
}

async function chartIndex(d: EditorDeps): Promise<StatusView["charts"]> {
  const body = await d.charts.get(INDEX_KEY);
  return body ? parseIndex(body) : [];
}

function runningOf(lock: LockState): NonNullable<StatusView["running"]> {
  return { runId: lock.runId, since: lock.acquiredAt, expiresAt: lock.expiresAt };
}
