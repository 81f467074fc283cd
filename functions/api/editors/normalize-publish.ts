/**
 * The end of an upload or an acceptance: normalize the one release, then publish the charts unless it
 * was held back or wrote nothing new.
 */
import type { NormalizeReport } from "../../domain/reports.js";
import type { RunOutcome } from "../../domain/runs.js";
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
  await tracker.update("normalize", {
    status: "running",
    message: `Normalizing ${releaseId}`,
    done: 0,
    total: 1,
  });
  const n = await normalizeRelease(deps.normalize, releaseId, acceptance ? { acceptance } : {});
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
  outcome.publish = await publishCharts(deps.publish, { publicBaseUrl: deps.publicBaseUrl });
  await tracker.update("publish", {
    status: "done",
    message: `${outcome.publish.filesWritten.length} chart files written, ${outcome.publish.filesUnchanged} unchanged`,
  });
}

function normalizeMessage(n: NormalizeReport): string {
  if (n.status === "quarantined") return `Held back: ${n.reasons.map((r) => r.message).join("; ")}`;
  if (n.status === "skipped") return "Already normalized: nothing new to write";
  return `${n.observationsWritten} observations written, ${n.revisions} revised${n.warnings.length ? `, ${n.warnings.length} warnings` : ""}`;
}
