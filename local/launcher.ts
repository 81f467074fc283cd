/**
 * The RunLauncher under `npm start` and in tests: a refresh runs `runPipeline` (the local twin of
 * the state machine, calling the same handlers), an upload `runUpload`, an acceptance `runAccept`, a
 * held chart's acceptance `runAcceptChart`, in this process, in the background, recording each
 * stage's progress on the run record and renewing the run's lock while it works.
 */
import type { Wiring } from "../functions/composition.js";
import { describeError, StoreIntegrityError } from "../functions/domain/errors.js";
import type { RunLauncher } from "../functions/domain/ports.js";
import type { RunRecord, RunRequest } from "../functions/domain/runs.js";
import { type RunDeps, RunTracker } from "../functions/pipeline/runs/lifecycle.js";
import {
  type RunProgress,
  type RunSummary,
  runAccept,
  runAcceptChart,
  runPipeline,
  runUpload,
} from "./run-pipeline.js";

export interface InProcessLauncherOptions {
  /** The run ports (created on first launch). */
  deps: () => RunDeps;
  /** What the handlers run on (default: the process environment). */
  wiring?: Wiring;
  /** First year of index pages to read. */
  since?: number;
  /** Also told about every progress step (the console log of `npm start`). */
  onProgress?: (runId: string, p: RunProgress) => void;
}

export interface FinishedLocalRun {
  record: RunRecord;
  summary: RunSummary | undefined;
}

export class InProcessLauncher implements RunLauncher {
  private readonly active = new Map<string, Promise<FinishedLocalRun>>();

  constructor(private readonly options: InProcessLauncherOptions) {}

  async launch(request: RunRequest): Promise<{ executionRef: string }> {
    const work = this.execute(request);
    this.active.set(request.runId, work);
    work.then(
      () => this.active.delete(request.runId),
      () => this.active.delete(request.runId),
    );
    return { executionRef: `in-process:${process.pid}` };
  }

  /** Resolves when the run ends (immediately with undefined for a run this process is not running). */
  wait(runId: string): Promise<FinishedLocalRun | undefined> {
    return this.active.get(runId) ?? Promise.resolve(undefined);
  }

  /** Resolves when no run is in progress (before stopping the emulators). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()]);
  }

  private async execute(request: RunRequest): Promise<FinishedLocalRun> {
    const deps = this.options.deps();
    // beginRun saved the record before launching; wait a tick so the caller's answer goes out first.
    await new Promise((resolve) => setImmediate(resolve));
    const record = await deps.runs.getRun(request.runId);
    if (!record) {
      throw new StoreIntegrityError(
        `Run ${request.runId} was launched but has no record`,
        "runs",
        request.runId,
      );
    }
    const tracker = new RunTracker(deps, record);
    const heartbeat = setInterval(
      () => void deps.lock.renew(request.runId, deps.now(), deps.lockTtlMs).catch(() => undefined),
      Math.max(1000, Math.floor(deps.lockTtlMs / 3)),
    );
    heartbeat.unref();
    let summary: RunSummary | undefined;
    try {
      const progress = (p: RunProgress) => {
        void tracker.update(p.stage, {
          status: p.status ?? "running",
          message: p.message,
          ...(p.done !== undefined ? { done: p.done } : {}),
          ...(p.total !== undefined ? { total: p.total } : {}),
        });
        this.options.onProgress?.(request.runId, p);
      };
      summary = request.upload
        ? await runUpload(request.runId, request.upload, progress, this.options.wiring)
        : request.accept
          ? await runAccept(request.runId, request.accept, progress, this.options.wiring)
          : request.acceptChart
            ? await runAcceptChart(request.runId, request.acceptChart, progress, this.options.wiring)
            : await runPipeline(
                {
                  runId: request.runId,
                  since: this.options.since,
                  recheckAll: request.recheckAll,
                  charts: request.charts,
                  wiring: this.options.wiring,
                },
                progress,
              );
      return { record: await tracker.finish(summary), summary };
    } catch (err) {
      const stage = record.stages.find((s) => s.status === "running")?.name ?? "fetch";
      return {
        record: await tracker.finish({ normalize: [], errors: [{ stage, ...describeError(err) }] }),
        summary,
      };
    } finally {
      clearInterval(heartbeat);
    }
  }
}
