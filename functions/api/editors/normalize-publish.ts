/**
 * The end of an upload or an acceptance: the pipeline's steps after fetch, as every run takes them:
 * normalize the one release, then publish the charts (with their facts and the release alert) unless it
 * was held back or wrote nothing new.
 */
import type { NormalizeReport } from "../../domain/reports.js";
import type { RunOutcome } from "../../domain/runs.js";
import { type PipelineStep, stepsAfter } from "../../domain/stages.js";
import { type NormalizeOptions, normalizeRelease } from "../../pipeline/normalize-release.js";
import { publishCharts } from "../../pipeline/publish-charts.js";
import type { RunTracker } from "../../pipeline/runs/lifecycle.js";
import type { EditorDeps } from "./deps.js";

export async function normalizeAndPublish(
  deps: EditorDeps,
  tracker: RunTracker,
  outcome: RunOutcome,
  releaseId: string,
  acceptance?: NormalizeOptions["acceptance"],
  /** Publish even when nothing new was written (a replaced reading changes what charts use). */
  forcePublish = false,
): Promise<void> {
  let skipPublish: string | undefined;
  // The pipeline's steps after fetch, in the one order (functions/domain/stages.ts).
  const steps: Record<Exclude<PipelineStep, "fetch">, () => Promise<void>> = {
    normalize: async () => {
      await tracker.update("normalize", {
        status: "running",
        message: `Normalizing ${releaseId}`,
        done: 0,
        total: 1,
      });
      const n = await normalizeRelease(deps.normalize, releaseId, acceptance ? { acceptance } : {});
      outcome.normalize.push(n);
      await tracker.update("normalize", { status: "done", message: normalizeMessage(n), done: 1 });
      if (n.status === "quarantined") skipPublish = "Held back: nothing published";
      else if (n.status === "skipped" && n.observationsWritten === 0 && !acceptance && !forcePublish)
        skipPublish = "Nothing changed, nothing to publish";
    },
    publish: async () => {
      if (skipPublish) {
        await tracker.update("publish", { status: "skipped", message: skipPublish });
        return;
      }
      await tracker.update("publish", { status: "running", message: "Building charts" });
      // With the facts step and the alert, as the pipeline's publish (functions/composition.ts, publishWithFactsDeps).
      outcome.publish = await publishCharts(deps.publish, { publicBaseUrl: deps.publicBaseUrl });
      await tracker.update("publish", {
        status: "done",
        message: `${outcome.publish.filesWritten.length} chart files written, ${outcome.publish.filesUnchanged} unchanged`,
      });
    },
  };
  for (const step of stepsAfter("fetch")) await steps[step as keyof typeof steps]();
}

function normalizeMessage(n: NormalizeReport): string {
  if (n.status === "quarantined") return `Held back: ${n.reasons.map((r) => r.message).join("; ")}`;
  if (n.status === "skipped") return "Already normalized: nothing new to write";
  return `${n.observationsWritten} observations written, ${n.revisions} revised${n.warnings.length ? `, ${n.warnings.length} warnings` : ""}`;
}
