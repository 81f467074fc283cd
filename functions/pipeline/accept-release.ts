/**
 * An editor's acceptance of a held-back release, in the run the editors' API started for it (deployed:
 * the workflow's accept path, in the Normalize function; locally: the in-process launcher). The API
 * checked the preview the editor confirmed; here it is computed again, under the run (whose lock keeps
 * other runs out), and only if it is still exactly that preview is the release normalized with the
 * acceptance. Otherwise nothing is written and the run ends with the reason in the editor's words.
 */
import type { NormalizeReport } from "../domain/reports.js";
import type { AcceptRequest } from "../domain/runs.js";
import { releaseName, statusWord } from "../domain/wording.js";
import { previewAcceptance } from "./accept-preview.js";
import { type NormalizeDeps, normalizeRelease } from "./normalize-release.js";

/** Why an acceptance was not carried out (nothing was written): the editor reads `message`. */
export interface AcceptRefusal {
  code: "PREVIEW_CHANGED" | "NOT_QUARANTINED" | "NOT_FOUND";
  message: string;
  /** PREVIEW_CHANGED: the preview as it is now, to look at and confirm instead. */
  previewSha256?: string | undefined;
}

/** What the accept path's normalize step did: the release normalized with the acceptance, or why not. */
export type AcceptReport = NormalizeReport | { refused: AcceptRefusal };

export async function normalizeAccepted(deps: NormalizeDeps, request: AcceptRequest): Promise<AcceptReport> {
  const release = await deps.releases.getRelease(request.releaseId);
  if (!release) {
    return {
      refused: {
        code: "NOT_FOUND",
        message: `There is no release ${request.releaseId} any more. Nothing was written.`,
      },
    };
  }
  if (release.status !== "quarantined") {
    return {
      refused: {
        code: "NOT_QUARANTINED",
        message: `The ${releaseName(release)} is no longer held back (it is now ${statusWord("release", release.status).toLowerCase()}): another run changed it after your preview. Nothing was written. Reload to see it as it is now.`,
      },
    };
  }
  const acceptance = {
    by: request.by,
    reason: request.reason,
    resolution: request.resolution,
    previewSha256: request.previewSha256,
  };
  const preview = await previewAcceptance({ normalize: deps }, release, acceptance);
  if (preview.previewSha256 !== request.previewSha256) {
    return {
      refused: {
        code: "PREVIEW_CHANGED",
        message:
          "What accepting would publish changed after your preview (another run wrote data). Nothing was written: look at the new preview and confirm it.",
        previewSha256: preview.previewSha256,
      },
    };
  }
  return normalizeRelease(deps, request.releaseId, { acceptance });
}
