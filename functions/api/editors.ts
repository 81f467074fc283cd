/**
 * What editors can see and do, as plain use cases over the pipeline's ports: the status, a refresh,
 * a run's progress, an upload of a query-platform export, and the acceptance of a held-back release.
 * No HTTP here (routes.ts maps requests onto these), no SDK (the ports are injected).
 */
import { nextExpectedRelease, releaseAfterPeriod } from "../domain/calendar.js";
import { CHART_DEFINITIONS } from "../domain/charts/definitions.js";
import { ChoiceNeeded, describeError, LayoutChanged, NoTableOnPage } from "../domain/errors.js";
import type { Release, Resolution } from "../domain/model.js";
import { formatBytes } from "../domain/numbers.js";
import type { RawStore, ReleaseStore } from "../domain/ports.js";
import type { QueryFlow } from "../domain/query-csv/normalize.js";
import { releaseCurrency, releaseName, resolutionText } from "../domain/wording.js";
import {
  type AcceptPreview,
  type CurrencyChoice,
  currencyChoiceOf,
  previewAcceptance,
} from "../pipeline/accept-preview.js";
import {
  choicesNeeded,
  type NormalizeDeps,
  type NormalizeOptions,
  type NormalizeReport,
  normalizeRelease,
} from "../pipeline/normalize-release.js";
import { type ChartIndexEntry, type PublishDeps, publishCharts } from "../pipeline/publish-charts.js";
import { acceptHeldChart, type ChartHold, NoHeldChart, openHolds } from "../pipeline/publish-guard.js";
import {
  type Actor,
  type AuditEntry,
  auditView,
  beginRun,
  finishRun,
  type LockState,
  publicRun,
  type RunDeps,
  type RunKind,
  type RunLauncher,
  type RunOutcome,
  type RunRecord,
  RunTracker,
  STAGES_OF,
  settleAbandoned,
} from "../pipeline/runs.js";
import { isQueryFlow, QUERY_FLOWS, recordUpload, type UploadedRelease } from "../pipeline/upload-release.js";
import { ApiError, badRequest, conflict, notFound, unprocessable } from "./http.js";

export interface EditorDeps extends RunDeps {
  releases: ReleaseStore;
  raw: RawStore;
  launcher: RunLauncher;
  normalize: NormalizeDeps;
  publish: PublishDeps;
  /** Public base URL of the chart files, for index.json and chart links. */
  publicBaseUrl: string;
  stage: string;
}

/** Uploads larger than this are refused (the platform's 10,000-row files are well under it). Deployed,
 * API Gateway base64-encodes the body and Lambda takes at most 6 MB a request: 4 MB leaves room. */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
export const MAX_REASON_CHARS = 1000;

export interface ReleaseView {
  releaseId: string;
  /** As GACC names it ("Preliminary release, by country, September 2023, in US dollars"). */
  name: string;
  source: string;
  table: string;
  currency: string;
  period: string;
  status: Release["status"];
  reasons: Release["reasons"];
  warnings: Release["warnings"];
  url: string;
  fetchedAt: string;
  updatedAt: string;
  acceptance?: (NonNullable<Release["acceptance"]> & { reading: string }) | undefined;
  /** An upload replaced by a reading under the other flow. */
  supersededBy?: string | undefined;
  /** Held back: choices an editor must make to accept it (e.g. the currency), with their labels. */
  choices?: { currency?: CurrencyChoice | undefined } | undefined;
  upload?:
    | {
        fileName: string;
        flow: string;
        uploadedBy: string;
        firstPeriod: string;
        replaces?: UploadedRelease["replaces"];
      }
    | undefined;
}

export interface StatusView {
  stage: string;
  now: string;
  /** The run holding the lock right now, if any. */
  running: { runId: string; since: string; expiresAt: string } | null;
  latestRun: ReturnType<typeof publicRun> | null;
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
}

const KNOWN_CHARTS = CHART_DEFINITIONS.map((d) => d.id);

function releaseView(r: Release): ReleaseView {
  const u = r as Partial<UploadedRelease>;
  return {
    releaseId: r.releaseId,
    name: releaseName({ ...r, fileName: u.fileName }),
    source: r.source,
    table: r.table,
    // The currency its figures are stored in: the editor's choice when they resolved a conflict.
    currency: releaseCurrency(r),
    period: r.period,
    status: r.status,
    reasons: r.reasons,
    warnings: r.warnings,
    url: r.url,
    fetchedAt: r.fetchedAt,
    updatedAt: r.updatedAt,
    acceptance: r.acceptance
      ? { ...r.acceptance, reading: resolutionText(r.acceptance.resolution) }
      : undefined,
    supersededBy: r.supersededBy,
    choices: r.status === "quarantined" ? currencyChoiceOf(r) : undefined,
    upload: u.declaredFlow
      ? {
          fileName: u.fileName ?? "",
          flow: u.declaredFlow,
          uploadedBy: u.uploadedBy ?? "",
          firstPeriod: u.firstPeriod ?? "",
          replaces: u.replaces,
        }
      : undefined,
  };
}

/** "2023-01/02" sorts as February. */
const sortablePeriod = (p: string) => p.replace("01/02", "02");

function normalizeMessage(n: NormalizeReport): string {
  if (n.status === "quarantined") return `Held back: ${n.reasons.map((r) => r.message).join("; ")}`;
  if (n.status === "skipped") return "Already normalized: nothing new to write";
  return `${n.observationsWritten} observations written, ${n.revisions} revised${n.warnings.length ? `, ${n.warnings.length} warnings` : ""}`;
}

export class EditorService {
  constructor(private readonly deps: EditorDeps) {}

  // ---- reads ----

  async status(): Promise<StatusView> {
    const d = this.deps;
    const now = d.now();
    const [releases, runs, audit, lock, charts, heldCharts] = await Promise.all([
      d.releases.listReleases(),
      d.runs.listRuns(10),
      d.audit.recentAudit(30),
      d.lock.current(),
      this.chartIndex(),
      d.publish.holds ? openHolds(d.publish.holds) : Promise.resolve([]),
    ]);
    const latest = runs[0] ? await this.settle(runs[0]) : undefined;
    const counts = { fetched: 0, normalizing: 0, normalized: 0, quarantined: 0, accepted: 0 };
    for (const r of releases) counts[r.status]++;
    // A lock counts while it has not expired and its run has not finished (a finished run releases it
    // a moment after writing its result).
    const holder = lock ? runs.find((r) => r.runId === lock.runId) : undefined;
    const live =
      lock && Date.parse(lock.expiresAt) > now.getTime() && (!holder || holder.status === "running")
        ? lock
        : undefined;
    return {
      stage: d.stage,
      now: now.toISOString(),
      running: live ? runningOf(live) : null,
      latestRun: latest ? publicRun(latest) : null,
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
      releases: releases
        .map(releaseView)
        .sort(
          (a, b) =>
            sortablePeriod(b.period).localeCompare(sortablePeriod(a.period)) ||
            a.releaseId.localeCompare(b.releaseId),
        ),
      nextRelease: this.nextRelease(charts, now),
      charts,
      audit: audit.map(auditView),
      heldCharts,
    };
  }

  /**
   * The next preliminary release after the latest month the charts show (not the latest stored: a
   * release accepted but shown by no chart does not make the charts any fresher), and the calendar's
   * next window from today.
   */
  private nextRelease(charts: ChartIndexEntry[], now: Date): StatusView["nextRelease"] {
    const upcoming = nextExpectedRelease(now, "preliminary");
    const upcomingWindow = {
      period: upcoming.period,
      expectedFrom: upcoming.expectedFrom,
      expectedBy: upcoming.expectedBy,
    };
    const latest = charts
      .map((c) => c.latestPeriod)
      .filter((p): p is string => typeof p === "string" && p !== "")
      .sort((a, b) => sortablePeriod(a).localeCompare(sortablePeriod(b)))
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

  private async chartIndex(): Promise<StatusView["charts"]> {
    const body = await this.deps.charts.get("charts/index.json");
    if (!body) return [];
    try {
      return (JSON.parse(Buffer.from(body).toString("utf8")) as { charts: StatusView["charts"] }).charts;
    } catch {
      return [];
    }
  }

  /** A run as it stands now (reading a Step Functions execution's progress when needed). */
  async run(runId: string): Promise<RunRecord> {
    const run = await this.deps.runs.getRun(runId);
    if (!run) {
      // The lock is taken a moment before the run's record is written: a run that holds the lock is
      // starting, never "not found" (a second tab refused with its id follows it from here).
      const lock = await this.deps.lock.current();
      if (lock?.runId === runId) return startingRun(lock);
      throw notFound(`There is no run ${runId}. Runs are listed in GET /api/status.`);
    }
    return this.settle(run);
  }

  private async settle(run: RunRecord): Promise<RunRecord> {
    let current = run;
    if (current.status === "running" && this.deps.launcher.observe) current = await this.observe(current);
    return settleAbandoned(this.deps, current);
  }

  /** Asks the launcher how a running run is doing and records what it says. */
  private async observe(run: RunRecord): Promise<RunRecord> {
    const observe = this.deps.launcher.observe;
    if (!observe || run.status !== "running") return run;
    const o = await observe.call(this.deps.launcher, run);
    const withStages = o.stages ? { ...run, stages: o.stages } : run;
    if (o.state === "finished")
      return finishRun(this.deps, withStages, o.outcome ?? { normalize: [], errors: [] });
    if (o.state === "failed") {
      const stage =
        withStages.stages.find((s) => s.status === "failed" || s.status === "running")?.name ?? "fetch";
      return finishRun(this.deps, withStages, {
        normalize: [],
        errors: [{ stage, code: o.error?.code ?? "FAILED", message: o.error?.message ?? "The run failed" }],
      });
    }
    if (o.stages && JSON.stringify(o.stages) !== JSON.stringify(run.stages)) {
      const updated = { ...withStages, updatedAt: this.deps.now().toISOString() };
      await this.deps.runs.putRun(updated);
      return updated;
    }
    return run;
  }

  // ---- writes ----

  /** Starts a refresh in the background; returns its record at once (stages pending). */
  async refresh(by: Actor, input: { charts?: unknown; recheckAll?: unknown }): Promise<RunRecord> {
    const charts = parseCharts(input.charts);
    if (input.recheckAll !== undefined && typeof input.recheckAll !== "boolean") {
      throw badRequest(`"recheckAll" must be true or false, not ${JSON.stringify(input.recheckAll)}.`);
    }
    const record = await beginRun(
      this.deps,
      { kind: "refresh", by, request: { charts, recheckAll: input.recheckAll === true ? true : undefined } },
      (holder) => this.observe(holder).then(() => undefined),
    );
    try {
      const { executionRef } = await this.deps.launcher.launch(record.request);
      return { ...record, executionRef };
    } catch (err) {
      await finishRun(this.deps, record, {
        normalize: [],
        errors: [{ stage: "fetch", ...describeError(err) }],
      });
      throw err;
    }
  }

  /** Archives an uploaded query-platform export, records its release, normalizes and publishes it. */
  async upload(
    by: Actor,
    input: { bytes: Uint8Array; fileName: string; flow: unknown; replace?: unknown },
  ): Promise<{ run: RunRecord; release: ReleaseView | undefined; created: boolean }> {
    if (!isQueryFlow(input.flow)) {
      throw badRequest(
        `Say whether the file holds China's imports or exports (flow = ${QUERY_FLOWS.join(" or ")})` +
          `${input.flow === undefined || input.flow === "" ? "" : `, not ${JSON.stringify(input.flow)}`}: ` +
          "the file itself does not say; it was a choice in the query.",
      );
    }
    const flow: QueryFlow = input.flow;
    if (input.bytes.byteLength === 0)
      throw badRequest("The file is empty. Choose the CSV exported from the query platform.");
    if (input.bytes.byteLength > MAX_UPLOAD_BYTES) {
      throw new ApiError(
        413,
        "TOO_LARGE",
        `The file is ${formatBytes(input.bytes.byteLength)}; uploads are limited to ${formatBytes(MAX_UPLOAD_BYTES)}. ` +
          "A query-platform export (at most 10,000 rows) is far smaller: is this the right file?",
      );
    }
    const fileName = input.fileName.replace(/[\r\n]/g, " ").slice(0, 200) || "upload.csv";
    const replace = input.replace === true || input.replace === "true";
    const record = await beginRun(this.deps, {
      kind: "upload",
      by,
      audit: {
        target: `${fileName} (${flow})`,
        details: {
          fileName,
          flow,
          ...(replace ? { replace: "the earlier reading under the other flow" } : {}),
        },
      },
    });
    const tracker = new RunTracker(this.deps, record);
    const outcome: RunOutcome = { normalize: [], errors: [] };
    let releaseId: string | undefined;
    let created = false;
    let refusal: ApiError | undefined;
    try {
      await tracker.update("store", { status: "running", message: `Reading and archiving ${fileName}` });
      const stored = await recordUpload(this.deps, {
        bytes: input.bytes,
        fileName,
        flow,
        uploadedBy: by.name,
        replace,
      });
      releaseId = stored.release.releaseId;
      created = stored.created;
      record.request.releaseId = releaseId;
      await tracker.update("store", {
        status: "done",
        message: stored.release.replaces
          ? `Archived as ${releaseId}, replacing the earlier reading ${stored.release.replaces.releaseId} (as ${stored.release.replaces.flow})`
          : created
            ? `Archived as ${releaseId} (sha256 ${stored.release.sha256.slice(0, 12)}…)`
            : `Already uploaded as ${releaseId}: nothing new to store`,
      });
      await this.normalizeAndPublish(
        tracker,
        outcome,
        releaseId,
        undefined,
        Boolean(stored.release.replaces),
      );
    } catch (err) {
      const unreadable = err instanceof LayoutChanged || err instanceof NoTableOnPage;
      const stage = releaseId ? (outcome.normalize.length ? "publish" : "normalize") : "store";
      outcome.errors.push({ stage, ...describeError(err) });
      await tracker.update(stage, { status: "failed", message: describeError(err).message });
      if (unreadable) {
        refusal = unprocessable(
          "NOT_A_QUERY_EXPORT",
          `This file cannot be read as a query-platform export: ${describeError(err).message} Nothing was stored.`,
          { runId: record.runId },
        );
      } else {
        await tracker.finish(outcome);
        throw err;
      }
    }
    const run = await tracker.finish(outcome);
    if (refusal) throw refusal;
    const release = releaseId ? await this.deps.releases.getRelease(releaseId) : undefined;
    return { run, release: release ? releaseView(release) : undefined, created };
  }

  /** A held-back release, or why it cannot be accepted (not found, not held back: refused and audited). */
  private async heldRelease(by: Actor, releaseId: string, reason: string): Promise<Release> {
    const release = await this.deps.releases.getRelease(releaseId);
    if (!release) throw notFound(`There is no release ${releaseId}. Releases are listed in GET /api/status.`);
    if (release.status !== "quarantined") {
      await this.deps.audit.putAudit({
        id: `accept-${releaseId}-${this.deps.now().getTime()}`,
        at: this.deps.now().toISOString(),
        by,
        action: "accept",
        target: releaseId,
        details: { reason },
        result: "refused",
        message: `Refused: the release is ${release.status}, not held back`,
      });
      throw conflict(
        "NOT_QUARANTINED",
        `The ${releaseName(release)} is not held back (its status is "${release.status}"): there is nothing to accept.`,
        { status: release.status },
      );
    }
    return release;
  }

  /**
   * What accepting a held-back release would publish, before anything is written: how each finding
   * is read (a currency conflict needs `resolution.currency`: "title" or "unit-row"), and which chart
   * points change, old → new. Confirm with accept(), passing the preview's sha256.
   */
  async previewAccept(by: Actor, releaseId: string, input: { resolution?: unknown }): Promise<AcceptPreview> {
    const release = await this.heldRelease(by, releaseId, "(preview)");
    const resolution = parseResolution(release, input.resolution);
    return previewAcceptance(this.deps, release, { by: by.name, reason: "", resolution });
  }

  /**
   * Publishes a held-back release after an editor's review, exactly as previewed: the preview is
   * computed again under the pipeline lock and must have the sha256 the editor confirmed.
   */
  async accept(
    by: Actor,
    releaseId: string,
    input: { reason?: unknown; resolution?: unknown; previewSha256?: unknown },
  ): Promise<{ run: RunRecord; release: ReleaseView; preview: AcceptPreview }> {
    const reason = typeof input.reason === "string" ? input.reason.trim() : "";
    if (!reason) {
      throw badRequest(
        'Give a reason for accepting this release (e.g. "checked against the PDF: the unit row is a typo"); it is kept in the audit log.',
      );
    }
    if (reason.length > MAX_REASON_CHARS)
      throw badRequest(`Keep the reason under ${MAX_REASON_CHARS} characters.`);
    const release = await this.heldRelease(by, releaseId, reason);
    const resolution = parseResolution(release, input.resolution);
    const confirmed = typeof input.previewSha256 === "string" ? input.previewSha256 : "";
    const acceptance: NonNullable<NormalizeOptions["acceptance"]> = {
      by: by.name,
      reason,
      resolution,
      previewSha256: confirmed,
    };
    const preview = await previewAcceptance(this.deps, release, acceptance);
    if (preview.choicesNeeded.currency) throw new ChoiceNeeded(preview.headline);
    if (!confirmed) {
      throw conflict(
        "PREVIEW_FIRST",
        "Look at what accepting would publish first, then confirm that preview (send its previewSha256).",
        { preview },
      );
    }
    if (preview.previewSha256 !== confirmed) {
      throw conflict(
        "PREVIEW_CHANGED",
        "What accepting would publish has changed since your preview (the data moved on). Nothing was written: look at the new preview and confirm it.",
        { preview },
      );
    }
    const record = await beginRun(this.deps, {
      kind: "accept",
      by,
      request: { releaseId },
      audit: {
        target: releaseId,
        details: {
          reason,
          reading: resolutionText(resolution),
          previewSha256: confirmed,
          preview: JSON.stringify(preview),
        },
      },
    });
    const tracker = new RunTracker(this.deps, record);
    const outcome: RunOutcome = { normalize: [], errors: [] };
    try {
      // Under the lock nothing else writes: the figures must still be those the editor confirmed.
      const again = await previewAcceptance(this.deps, release, acceptance);
      if (again.previewSha256 !== confirmed) {
        throw conflict(
          "PREVIEW_CHANGED",
          "What accepting would publish changed while your request waited (another run wrote data). Nothing was written: look at the new preview and confirm it.",
          { preview: again },
        );
      }
      await this.normalizeAndPublish(tracker, outcome, releaseId, acceptance);
    } catch (err) {
      const stage = outcome.normalize.length ? "publish" : "normalize";
      outcome.errors.push({ stage, ...describeError(err) });
      await tracker.finish(outcome);
      throw err;
    }
    const run = await tracker.finish(outcome);
    const after = (await this.deps.releases.getRelease(releaseId)) ?? release;
    if (after.status !== "accepted") {
      throw unprocessable(
        "CANNOT_ACCEPT",
        `The ${releaseName(release)} could not be published even after review: ${after.reasons.map((r) => r.message).join("; ")}. ` +
          "It gave no numbers to publish; it stays held back.",
        { runId: run.runId },
      );
    }
    return { run, release: releaseView(after), preview };
  }

  /** Publishes the version of a chart the publish guard held back, after an editor's review. */
  async acceptChart(
    by: Actor,
    chartId: string,
    input: { reason?: unknown; candidateSha256?: unknown },
  ): Promise<{ run: RunRecord }> {
    const reason = typeof input.reason === "string" ? input.reason.trim() : "";
    if (!reason) {
      throw badRequest(
        'Give a reason for publishing this chart (e.g. "checked: GACC revised last year\'s figures"); it is kept in the audit log.',
      );
    }
    if (reason.length > MAX_REASON_CHARS)
      throw badRequest(`Keep the reason under ${MAX_REASON_CHARS} characters.`);
    // An id that names no chart is a 404 before anything is recorded: no run, no audit entry.
    if (!KNOWN_CHARTS.includes(chartId)) {
      throw notFound(`There is no chart ${chartId}. Known charts: ${KNOWN_CHARTS.join(", ")}.`);
    }
    const holds = this.deps.publish.holds;
    if (!holds) throw notFound("This deployment keeps no held charts.");
    const candidateSha256 = typeof input.candidateSha256 === "string" ? input.candidateSha256 : undefined;
    const record = await beginRun(this.deps, {
      kind: "accept-chart",
      by,
      request: { charts: [chartId] },
      audit: { target: chartId, details: { reason } },
    });
    const tracker = new RunTracker(this.deps, record);
    const outcome: RunOutcome = { normalize: [], errors: [] };
    try {
      await acceptHeldChart(holds, chartId, { by: by.name, reason, candidateSha256 }, this.deps.now());
      await tracker.update("publish", { status: "running", message: `Publishing the accepted ${chartId}` });
      outcome.publish = await publishCharts(this.deps.publish, { publicBaseUrl: this.deps.publicBaseUrl });
      await tracker.update("publish", {
        status: "done",
        message: `${outcome.publish.filesWritten.length} chart files written, ${outcome.publish.filesUnchanged} unchanged`,
      });
    } catch (err) {
      outcome.errors.push({ stage: "publish", ...describeError(err) });
      await tracker.finish(outcome);
      if (err instanceof NoHeldChart) throw conflict("NOT_HELD", err.message);
      throw err;
    }
    return { run: await tracker.finish(outcome) };
  }

  private async normalizeAndPublish(
    tracker: RunTracker,
    outcome: RunOutcome,
    releaseId: string,
    acceptance?: NormalizeOptions["acceptance"],
    /** Publish even when nothing new was written (a replaced reading changes what charts use). */
    forcePublish = false,
  ): Promise<void> {
    await tracker.update("normalize", {
      status: "running",
      message: `Normalizing ${releaseId}`,
      done: 0,
      total: 1,
    });
    const n = await normalizeRelease(this.deps.normalize, releaseId, acceptance ? { acceptance } : {});
    outcome.normalize.push(n);
    await tracker.update("normalize", { status: "done", message: normalizeMessage(n), done: 1 });
    if (
      n.status === "quarantined" ||
      (n.status === "skipped" && n.observationsWritten === 0 && !acceptance && !forcePublish)
    ) {
      await tracker.update("publish", {
        status: "skipped",
        message:
          n.status === "quarantined" ? "Held back: nothing published" : "Nothing changed, nothing to publish",
      });
      return;
    }
    await tracker.update("publish", { status: "running", message: "Building charts" });
    outcome.publish = await publishCharts(this.deps.publish, { publicBaseUrl: this.deps.publicBaseUrl });
    await tracker.update("publish", {
      status: "done",
      message: `${outcome.publish.filesWritten.length} chart files written, ${outcome.publish.filesUnchanged} unchanged`,
    });
  }
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

function runningOf(lock: LockState): NonNullable<StatusView["running"]> {
  return { runId: lock.runId, since: lock.acquiredAt, expiresAt: lock.expiresAt };
}

/**
 * The editor's reading of a held-back release: { currency: "title" | "unit-row" } where title and
 * unit row disagree. Nothing is assumed: without a needed choice the preview asks for it.
 */
function parseResolution(release: Release, value: unknown): Resolution | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value))
    throw badRequest('"resolution" must be an object, e.g. {"currency": "title"}.');
  const choice = (value as Record<string, unknown>).currency;
  if (choice === undefined) return undefined;
  const needed = choicesNeeded(release.reasons).currency;
  if (!needed) {
    throw badRequest(`The ${releaseName(release)} has no currency conflict: there is no currency to choose.`);
  }
  if (choice !== "title" && choice !== "unit-row") {
    throw badRequest(
      `"resolution.currency" is "title" (${needed.title}) or "unit-row" (${needed.unitRow}), not ${JSON.stringify(choice)}.`,
    );
  }
  return {
    currency: { choice, currency: choice === "title" ? needed.title : needed.unitRow } as NonNullable<
      Resolution["currency"]
    >,
  };
}

function parseCharts(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw badRequest(`"charts" must be a list of chart ids, e.g. ["${KNOWN_CHARTS[0]}"].`);
  }
  const unknown = (value as string[]).filter((id) => !KNOWN_CHARTS.includes(id));
  if (unknown.length > 0) {
    throw badRequest(
      `Unknown chart${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}. Known charts: ${KNOWN_CHARTS.join(", ")}.`,
      {
        knownCharts: KNOWN_CHARTS,
      },
    );
  }
  return value.length > 0 ? (value as string[]) : undefined;
}
