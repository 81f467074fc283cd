/**
 * Accepting a held-back release after an editor's review: first a preview of what it would publish
 * (read-only), then the acceptance of exactly that preview (its sha256). The API checks the preview and
 * starts a run (202); the run computes it again under the pipeline lock and normalizes and publishes
 * there (deployed: the workflow's accept path; locally: the in-process launcher), so the API writes no
 * figures and no charts (functions/pipeline/accept-release.ts).
 */
import { ChoiceNeeded, describeError, InvalidRequest, NotFound, StateConflict } from "../../domain/errors.js";
import type { Release, Resolution } from "../../domain/model.js";
import type { AcceptRequest, Actor, RunRecord } from "../../domain/runs.js";
import { releaseName, resolutionText, statusWord } from "../../domain/wording.js";
import { type AcceptPreview, previewAcceptance } from "../../pipeline/accept-preview.js";
import { choicesNeeded, type NormalizeOptions } from "../../pipeline/normalize-release.js";
import { beginRun, finishRun } from "../../pipeline/runs/lifecycle.js";
import { auditRefused, type EditorDeps, requiredReason } from "./deps.js";

/** A held-back release, or why it cannot be accepted (not found, not held back: refused and audited). */
async function heldRelease(deps: EditorDeps, by: Actor, releaseId: string, reason: string): Promise<Release> {
  const release = await deps.releases.getRelease(releaseId);
  if (!release)
    throw new NotFound(
      `There is no release ${releaseId}: it may have been replaced since you loaded the page. Reload to see the releases as they are now.`,
    );
  if (release.status !== "quarantined") {
    await auditRefused(deps, by, {
      action: "accept",
      target: releaseId,
      reason,
      why: `the release is ${release.status}, not held back`,
    });
    throw new StateConflict(
      "NOT_QUARANTINED",
      `The ${releaseName(release)} is not held back (it is already ${statusWord("release", release.status).toLowerCase()}): there is nothing to accept. Reload to see it as it is now.`,
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
export async function previewAccept(
  deps: EditorDeps,
  by: Actor,
  releaseId: string,
  input: { resolution?: unknown },
): Promise<AcceptPreview> {
  const release = await heldRelease(deps, by, releaseId, "(preview)");
  const resolution = parseResolution(release, input.resolution);
  return previewAcceptance(deps, release, { by: by.name, reason: "", resolution });
}

/**
 * Starts the run that publishes a held-back release after an editor's review, exactly as previewed:
 * the preview must have the sha256 the editor confirmed now, and the run computes it again under the
 * pipeline lock (PREVIEW_CHANGED there ends the run, nothing written). Answers with the run to follow.
 */
export async function accept(
  deps: EditorDeps,
  by: Actor,
  releaseId: string,
  input: { reason?: unknown; resolution?: unknown; previewSha256?: unknown },
): Promise<{ run: RunRecord; releaseId: string; preview: AcceptPreview }> {
  const reason = requiredReason(
    input.reason,
    'Give a reason for accepting this release (e.g. "checked against the PDF: the unit row is a typo"); it is kept in the audit log.',
  );
  const release = await heldRelease(deps, by, releaseId, reason);
  const resolution = parseResolution(release, input.resolution);
  const confirmed = typeof input.previewSha256 === "string" ? input.previewSha256 : "";
  const acceptance: NonNullable<NormalizeOptions["acceptance"]> = {
    by: by.name,
    reason,
    resolution,
    previewSha256: confirmed,
  };
  const preview = await previewAcceptance(deps, release, acceptance);
  if (preview.choicesNeeded.currency) throw new ChoiceNeeded(preview.headline);
  if (!confirmed) {
    throw new StateConflict(
      "PREVIEW_FIRST",
      "Look at what accepting would publish first, then confirm that preview (send its previewSha256).",
      { preview },
    );
  }
  if (preview.previewSha256 !== confirmed) {
    throw new StateConflict(
      "PREVIEW_CHANGED",
      "What accepting would publish has changed since your preview (the data moved on). Nothing was written: look at the new preview and confirm it.",
      { preview },
    );
  }
  const request: AcceptRequest = {
    releaseId,
    by: by.name,
    reason,
    ...(resolution ? { resolution } : {}),
    previewSha256: confirmed,
  };
  const record = await beginRun(deps, {
    kind: "accept",
    by,
    request: { releaseId, accept: request },
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
  try {
    const { executionRef } = await deps.launcher.launch(record.request);
    return { run: { ...record, executionRef }, releaseId, preview };
  } catch (err) {
    await finishRun(deps, record, { normalize: [], errors: [{ stage: "normalize", ...describeError(err) }] });
    throw err;
  }
}

/**
 * The editor's reading of a held-back release: { currency: "title" | "unit-row" } where title and
 * unit row disagree. Nothing is assumed: without a needed choice the preview asks for it.
 */
function parseResolution(release: Release, value: unknown): Resolution | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value))
    throw new InvalidRequest('"resolution" must be an object, e.g. {"currency": "title"}.');
  const choice = (value as Record<string, unknown>).currency;
  if (choice === undefined) return undefined;
  const needed = choicesNeeded(release.reasons).currency;
  if (!needed) {
    throw new InvalidRequest(
      `The ${releaseName(release)} has no currency conflict: there is no currency to choose.`,
    );
  }
  if (choice !== "title" && choice !== "unit-row") {
    throw new InvalidRequest(
      `"resolution.currency" is "title" (${needed.title}) or "unit-row" (${needed.unitRow}), not ${JSON.stringify(choice)}.`,
    );
  }
  return {
    currency: { choice, currency: choice === "title" ? needed.title : needed.unitRow } as NonNullable<
      Resolution["currency"]
    >,
  };
}
