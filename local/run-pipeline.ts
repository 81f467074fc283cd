/**
 * The local twin of the deployed state machine: fetch → normalize each changed release → publish,
 * calling the very handlers Lambda runs. A stage failure is recorded, never swallowed; publish is
 * skipped when nothing changed (idempotent re-runs write nothing).
 */
import { processWiring, type Wiring } from "../functions/composition.js";
import { describeError } from "../functions/domain/errors.js";
import type { CheckFinding } from "../functions/domain/model.js";
import type { FetchReport, NormalizeReport, PublishReport } from "../functions/domain/reports.js";
import type { AcceptRequest, ChartAcceptRequest, StagedUpload } from "../functions/domain/runs.js";
import { PIPELINE_STEPS, type PipelineStep, type StageName } from "../functions/domain/stages.js";
import { fetchHandler } from "../functions/handlers/fetch.js";
import { normalizeHandler } from "../functions/handlers/normalize.js";
import { publishHandler } from "../functions/handlers/publish.js";
import { uploadHandler } from "../functions/handlers/upload.js";

export interface RunOptions {
  runId?: string;
  since?: number;
  recheckAll?: boolean;
  charts?: string[];
  /** Publish even when fetch or normalize failed (publishing still refuses partly written releases). */
  forcePublish?: boolean;
  /** The settings and clients the handlers run on (default: the process environment, as in Lambda). */
  wiring?: Wiring;
}

export interface RunProgress {
  stage: StageName;
  message: string;
  /** How the stage stands after this step (absent: still running). */
  status?: "running" | "done" | "skipped" | "failed";
  /** Items done out of total, where the stage knows (releases normalized). */
  done?: number;
  total?: number;
}

export interface RunSummary {
  runId: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  fetch?: FetchReport;
  normalize: NormalizeReport[];
  publish?: PublishReport;
  errors: Array<{ stage: StageName; code: string; message: string }>;
}

export async function runPipeline(
  options: RunOptions = {},
  onProgress: (p: RunProgress) => void = () => {},
): Promise<RunSummary> {
  // The handlers Lambda runs, over the caller's wiring (npm start: the emulators').
  const wiring = options.wiring ?? processWiring;
  const runFetch = fetchHandler(wiring);
  const runNormalize = normalizeHandler(wiring);
  const runPublish = publishHandler(wiring);
  const runId = options.runId ?? `run-${new Date().toISOString().replace(/[-:.]/g, "")}`;
  const summary: RunSummary = {
    runId,
    startedAt: new Date().toISOString(),
    finishedAt: "",
    ok: false,
    normalize: [],
    errors: [],
  };
  const fail = (stage: PipelineStep, err: unknown) => summary.errors.push({ stage, ...describeError(err) });

  // The steps in the one order (functions/domain/stages.ts), each as the deployed workflow runs it.
  const steps: Record<PipelineStep, () => Promise<void>> = {
    fetch: async () => {
      onProgress({ stage: "fetch", message: "Reading GACC's release index pages", status: "running" });
      try {
        summary.fetch = await runFetch({ runId, since: options.since, recheckAll: options.recheckAll });
        for (const e of summary.fetch.errors)
          summary.errors.push({ stage: "fetch", code: e.code, message: e.message });
        onProgress({
          stage: "fetch",
          message: `${summary.fetch.releasesSeen} releases listed, ${summary.fetch.releases.length} new or changed${
            summary.fetch.errors.length ? `, ${summary.fetch.errors.length} pages could not be read` : ""
          }`,
          status: "done",
        });
      } catch (err) {
        fail("fetch", err);
        onProgress({ stage: "fetch", message: describeError(err).message, status: "failed" });
      }
    },
    normalize: async () => {
      const toNormalize = summary.fetch?.releases ?? [];
      for (const [i, r] of toNormalize.entries()) {
        onProgress({
          stage: "normalize",
          message: `Normalizing ${r.releaseId} (${i + 1} of ${toNormalize.length})`,
          status: "running",
          done: i,
          total: toNormalize.length,
        });
        try {
          summary.normalize.push(await runNormalize({ releaseId: r.releaseId, runId }));
        } catch (err) {
          fail("normalize", err);
        }
      }
      if (toNormalize.length > 0) {
        const held = summary.normalize.filter((n) => n.status === "quarantined").length;
        const failed = summary.errors.filter((e) => e.stage === "normalize").length;
        onProgress({
          stage: "normalize",
          message: `${toNormalize.length} releases normalized${held ? `, ${held} held back` : ""}${failed ? `, ${failed} failed` : ""}`,
          status: failed === toNormalize.length ? "failed" : "done",
          done: toNormalize.length,
          total: toNormalize.length,
        });
      } else {
        onProgress({
          stage: "normalize",
          message: summary.fetch ? "No new or changed release to normalize" : "Skipped: fetch failed",
          status: "skipped",
        });
      }
    },
    publish: async () => {
      // Publishing writes only the files whose bytes changed, so it runs whenever the stages before it
      // completed, not only when this run wrote something: a run after a failed publish, or after a crash
      // between a release's last write and its status, still brings the charts up to date (nothing new
      // was written this time, but the charts are behind). After a failed fetch or normalize it does not
      // run: the last good charts stay.
      // A run that fetched nothing publishes nothing (see whyNothingFetched), even for chosen charts.
      const nothingFetched = summary.fetch?.nothingFetched;
      const stagesCompleted =
        summary.fetch !== undefined && !summary.errors.some((e) => e.stage === "normalize");
      if (nothingFetched && !options.forcePublish) {
        onProgress({
          stage: "publish",
          message: `Nothing published: ${nothingFetched}. The last good charts stay`,
          status: "skipped",
        });
      } else if (stagesCompleted || options.forcePublish || options.charts) {
        onProgress({ stage: "publish", message: "Building charts", status: "running" });
        try {
          summary.publish = await runPublish({
            runId,
            ...(options.charts ? { charts: options.charts } : {}),
          });
          onProgress({
            stage: "publish",
            message: publishedText(summary.publish),
            status: "done",
          });
        } catch (err) {
          fail("publish", err);
          onProgress({ stage: "publish", message: describeError(err).message, status: "failed" });
        }
      } else {
        onProgress({
          stage: "publish",
          message: "Skipped: an earlier stage failed; the last good charts stay",
          status: "skipped",
        });
      }
    },
  };
  for (const step of PIPELINE_STEPS) await steps[step]();
  summary.finishedAt = new Date().toISOString();
  const quarantined = summary.normalize.some((n) => n.status === "quarantined");
  summary.ok = summary.errors.length === 0 && !quarantined;
  return summary;
}

/**
 * The local twin of the state machine's upload path: StoreUpload → NormalizeUpload → PublishUpload,
 * calling the very handler the Upload function runs (functions/handlers/upload.ts) and the publish
 * handler. A file the store step refuses ends the run with its reason; nothing is normalized or published.
 */
export async function runUpload(
  runId: string,
  upload: StagedUpload,
  onProgress: (p: RunProgress) => void = () => {},
  wiring: Wiring = processWiring,
): Promise<RunSummary> {
  const runUploadStep = uploadHandler(wiring);
  const { summary, step, refuse, publishAndFinish } = editorRun(runId, onProgress, publishHandler(wiring));
  let releaseId: string | undefined;
  const stored = await step("store", `Checking and archiving ${upload.fileName}`, async () => {
    const report = await runUploadStep({ runId, upload });
    if ("refused" in report) return refuse("store", report.refused);
    releaseId = report.releaseId;
    onProgress({ stage: "store", message: report.message, status: "done" });
  });
  const normalized =
    stored &&
    (await step("normalize", `Normalizing ${releaseId}`, async () => {
      const n = await runUploadStep({ runId, releaseId: releaseId ?? "" });
      summary.normalize.push(n);
      onProgress({
        stage: "normalize",
        message: `${n.observationsWritten} observations written, ${n.revisions} revised`,
        status: "done",
      });
    }));
  return publishAndFinish(Boolean(normalized));
}

/**
 * The local twin of the state machine's accept path: NormalizeAccepted → PublishAccepted, calling the
 * very handlers the Normalize and Publish functions run. A preview that changed since the editor
 * confirmed it ends the run with that reason; nothing is written or published.
 */
export async function runAccept(
  runId: string,
  accept: AcceptRequest,
  onProgress: (p: RunProgress) => void = () => {},
  wiring: Wiring = processWiring,
): Promise<RunSummary> {
  const runNormalize = normalizeHandler(wiring);
  const { summary, step, refuse, publishAndFinish } = editorRun(runId, onProgress, publishHandler(wiring));
  const normalized = await step("normalize", `Normalizing ${accept.releaseId} as accepted`, async () => {
    const report = await runNormalize({ runId, releaseId: accept.releaseId, accept });
    if ("refused" in report) return refuse("normalize", report.refused);
    summary.normalize.push(report);
    onProgress({
      stage: "normalize",
      message: `${report.observationsWritten} observations written, ${report.revisions} revised`,
      status: "done",
    });
  });
  return publishAndFinish(Boolean(normalized));
}

/**
 * The local twin of the state machine's held-chart path: PublishChartAccepted, calling the very handler
 * the Publish function runs. A chart no longer held as the editor saw it ends the run with that reason;
 * nothing is recorded or published.
 */
export async function runAcceptChart(
  runId: string,
  acceptChart: ChartAcceptRequest,
  onProgress: (p: RunProgress) => void = () => {},
  wiring: Wiring = processWiring,
): Promise<RunSummary> {
  const runPublish = publishHandler(wiring);
  const { summary, step, refuse, finish } = editorRun(runId, onProgress, runPublish);
  await step("publish", `Publishing the accepted ${acceptChart.chartId}`, async () => {
    const report = await runPublish({ runId, acceptChart });
    if ("refused" in report) return refuse("publish", report.refused);
    summary.publish = report;
    onProgress({ stage: "publish", message: publishedText(report), status: "done" });
  });
  return finish();
}

/** A publish's tally, as every run's progress says it. */
function publishedText(p: PublishReport): string {
  return `${p.filesWritten.length} chart files written, ${p.filesUnchanged} unchanged`;
}

/**
 * What the editors' paths (upload, accept, a held chart's accept) share: the run's summary, a step that records its
 * failure, a refusal (the run ends with its reason), and the closing publish when every step before it
 * succeeded.
 */
function editorRun(
  runId: string,
  onProgress: (p: RunProgress) => void,
  runPublish: ReturnType<typeof publishHandler>,
) {
  const summary: RunSummary = {
    runId,
    startedAt: new Date().toISOString(),
    finishedAt: "",
    ok: false,
    normalize: [],
    errors: [],
  };
  const step = async (stage: StageName, message: string, work: () => Promise<void>) => {
    onProgress({ stage, message, status: "running" });
    try {
      await work();
    } catch (err) {
      summary.errors.push({ stage, ...describeError(err) });
      onProgress({ stage, message: describeError(err).message, status: "failed" });
    }
    return summary.errors.length === 0;
  };
  const refuse = (stage: StageName, refused: { code: string; message: string }) => {
    summary.errors.push({ stage, code: refused.code, message: refused.message });
    onProgress({ stage, message: refused.message, status: "failed" });
  };
  const publishAndFinish = async (publish: boolean): Promise<RunSummary> => {
    if (publish) {
      await step("publish", "Building charts", async () => {
        const report = await runPublish({ runId });
        summary.publish = report;
        onProgress({ stage: "publish", message: publishedText(report), status: "done" });
      });
    }
    return finish();
  };
  const finish = (): RunSummary => {
    summary.finishedAt = new Date().toISOString();
    summary.ok = summary.errors.length === 0 && !summary.normalize.some((n) => n.status === "quarantined");
    return summary;
  };
  return { summary, step, refuse, publishAndFinish, finish };
}

/** One screen an editor can read: what was seen, what is new, what was held back and why. */
export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  const f = s.fetch;
  const quarantined = s.normalize.filter((n) => n.status === "quarantined");
  const written = s.normalize.reduce((a, n) => a + n.observationsWritten, 0);
  const revised = s.normalize.reduce((a, n) => a + n.revisions, 0);
  lines.push(`Run ${s.runId}: ${s.ok ? "OK" : "NEEDS ATTENTION"}`);
  if (f) {
    lines.push(
      `  Releases: ${f.releasesSeen} listed in ${f.indexPagesRead} index pages, ${f.releases.length} new or changed, ${f.unchanged} re-checked unchanged, ${quarantined.length} quarantined`,
    );
  }
  for (const q of quarantined) {
    lines.push(`  HELD BACK ${q.releaseId}:`);
    for (const r of q.reasons) lines.push(`    - ${r.message}`);
  }
  lines.push(`  Observations: ${written} written, ${revised} revised`);
  if (s.publish) {
    lines.push(
      `  Charts: ${s.publish.chartsBuilt} built, ${s.publish.filesWritten.length} files written, ${s.publish.filesUnchanged} unchanged`,
    );
  } else if (f?.nothingFetched) {
    lines.push(`  Charts: nothing published, because ${f.nothingFetched}; the last good charts stay`);
  } else {
    lines.push("  Charts: nothing changed, nothing published");
  }
  const warnings: CheckFinding[] = [...(f?.warnings ?? []), ...s.normalize.flatMap((n) => n.warnings)];
  if (warnings.length > 0) {
    lines.push(`  Warnings (${warnings.length}):`);
    for (const w of warnings.slice(0, 8)) lines.push(`    - ${w.message}`);
    if (warnings.length > 8) lines.push(`    … and ${warnings.length - 8} more`);
  }
  for (const w of s.publish?.warnings.slice(0, 5) ?? []) lines.push(`    - ${w}`);
  const news = s.publish?.facts?.news ?? [];
  if (news.length > 0) {
    const count = news.reduce((a, n) => a + n.facts.length, 0);
    lines.push(`  What's new (${count} sentence${count === 1 ? "" : "s"}):`);
    for (const n of news) {
      lines.push(`    ${n.title} (${n.url})`);
      for (const f of n.facts) {
        lines.push(`      - ${f.text}`);
        for (const c of f.caveats) lines.push(`          Note: ${c.text}`);
      }
    }
    const alert = s.publish?.facts?.alert;
    if (alert)
      lines.push(
        `  Release alert ${alert.sent ? "sent" : "not sent (no topic configured locally)"}: ${alert.subject}`,
      );
  } else if (s.publish) {
    lines.push("  What's new: no new facts");
  }
  for (const e of s.errors) lines.push(`  ERROR in ${e.stage}: ${e.message}`);
  return lines.join("\n");
}
