/**
 * Runs and the audit log, as editors see them: the vocabulary of "what happened". A run is one pass of
 * work an editor (or the schedule) asked for: a refresh (fetch → normalize → publish), an upload
 * (store → normalize → publish) or an accept (normalize → publish). Its record holds its stages with
 * their progress and, once finished, a result an editor can read. The lifecycle (lock, progress,
 * finishing) is functions/pipeline/runs/lifecycle.ts; the ports that keep runs are in ports.ts.
 */
import type { ChartUse } from "./charts/usage.js";
import type { CheckFinding, Resolution } from "./model.js";
import type { QueryFlow } from "./query-csv/normalize.js";
import type { ChartChange, ChartSnapshot, FetchReport, NormalizeReport, PublishReport } from "./reports.js";
import { PIPELINE_STEPS, type StageName, stepsAfter } from "./stages.js";

/** The actor of scheduled refreshes (EventBridge Scheduler → functions/handlers/api.ts `scheduled`). */
export const SCHEDULE_ACTOR: Actor = { id: "schedule", name: "schedule" };

export type RunKind = "refresh" | "upload" | "accept" | "accept-chart";
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
  /** An upload: its staged bytes (the raw bucket's uploads/ prefix) and what the editor said of them. */
  upload?: StagedUpload | undefined;
  /** An acceptance of a held-back release: normalized with it in the run, if the preview still holds. */
  accept?: AcceptRequest | undefined;
  /** An acceptance of a held-back chart: recorded and published by the run, if that version is still held. */
  acceptChart?: ChartAcceptRequest | undefined;
}

/**
 * An editor's acceptance of a chart version the publish guard held back, as the editors' API hands it to
 * a run: which chart, who and why, and the sha256 of the held chart file accepted (the one the editor
 * looked at; the run refuses, publishing nothing new, if a different version is held by then).
 */
export interface ChartAcceptRequest {
  chartId: string;
  by: string;
  reason: string;
  candidateSha256: string;
}

/**
 * An editor's acceptance of a held-back release, as the editors' API hands it to a run: who and why,
 * the reading chosen, and the preview the editor confirmed (the run computes it again and refuses,
 * writing nothing, if it changed).
 */
export interface AcceptRequest {
  releaseId: string;
  by: string;
  reason: string;
  resolution?: Resolution | undefined;
  previewSha256: string;
}

/** An upload whose bytes are staged at `key` (content-addressed), as the editors' API hands it to a run. */
export interface StagedUpload {
  key: string;
  sha256: string;
  fileName: string;
  flow: QueryFlow;
  uploadedBy: string;
  replace?: boolean | undefined;
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
    /** What the release's figures hold and which charts draw them (or would, and what they need). */
    chartUse?: ChartUse | undefined;
    /** For editors: which charts this run changed with them, or why none (and which chart would). */
    effect?: string | undefined;
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
  /** Charts as a run started, in records written before publish reported each chart's changes (kept out of API answers). */
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

export interface LockState {
  runId: string;
  acquiredAt: string;
  expiresAt: string;
}

/** What a launcher can tell about a run it started (AWS: the Step Functions execution). */
export interface RunObservation {
  state: "running" | "finished" | "failed" | "unknown";
  stages?: RunStage[] | undefined;
  /** The pipeline's own report, when the execution returned one. */
  outcome?: RunOutcome | undefined;
  error?: { code: string; message: string } | undefined;
}

/** What the stages reported (the local runner's summary, or a Step Functions execution's output). */
export interface RunOutcome {
  fetch?: FetchReport | undefined;
  normalize: NormalizeReport[];
  publish?: PublishReport | undefined;
  errors: Array<{ stage: StageName; code: string; message: string }>;
}

export function isRunId(id: string): boolean {
  return /^[0-9]{8}T[0-9]{9}Z-(refresh|upload|accept|accept-chart)-[0-9a-z]{2,16}$/.test(id);
}

/** Each kind of run's stages: the pipeline's steps (stages.ts), or their tail after an upload's store. */
export const STAGES_OF: Record<RunKind, StageName[]> = {
  refresh: [...PIPELINE_STEPS],
  upload: ["store", ...stepsAfter("fetch")],
  accept: stepsAfter("fetch"),
  "accept-chart": stepsAfter("normalize"),
};

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
