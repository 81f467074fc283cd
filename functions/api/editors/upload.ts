/** An editor's upload of a query-platform export: archived, recorded as a release, normalized, published. */
import {
  CannotProcess,
  describeError,
  InvalidRequest,
  LayoutChanged,
  NoTableOnPage,
  TooLarge,
} from "../../domain/errors.js";
import { formatBytes } from "../../domain/numbers.js";
import type { QueryFlow } from "../../domain/query-csv/normalize.js";
import type { Actor, RunOutcome, RunRecord } from "../../domain/runs.js";
import { beginRun, RunTracker } from "../../pipeline/runs/lifecycle.js";
import { isQueryFlow, QUERY_FLOWS, recordUpload } from "../../pipeline/upload-release.js";
import { type EditorDeps, MAX_UPLOAD_BYTES } from "./deps.js";
import { normalizeAndPublish } from "./normalize-publish.js";
import { type ReleaseView, releaseView } from "./release-view.js";

/** Archives an uploaded query-platform export, records its release, normalizes and publishes it. */
export async function upload(
  deps: EditorDeps,
  by: Actor,
  input: { bytes: Uint8Array; fileName: string; flow: unknown; replace?: unknown },
): Promise<{ run: RunRecord; release: ReleaseView | undefined; created: boolean }> {
  if (!isQueryFlow(input.flow)) {
    throw new InvalidRequest(
      `Say whether the file holds China's imports or exports (flow = ${QUERY_FLOWS.join(" or ")})` +
        `${input.flow === undefined || input.flow === "" ? "" : `, not ${JSON.stringify(input.flow)}`}: ` +
        "the file itself does not say; it was a choice in the query.",
    );
  }
  const flow: QueryFlow = input.flow;
  if (input.bytes.byteLength === 0)
    throw new InvalidRequest("The file is empty. Choose the CSV exported from the query platform.");
  if (input.bytes.byteLength > MAX_UPLOAD_BYTES) {
    throw new TooLarge(
      `The file is ${formatBytes(input.bytes.byteLength)}; uploads are limited to ${formatBytes(MAX_UPLOAD_BYTES)}. ` +
        "A query-platform export (at most 10,000 rows) is far smaller: is this the right file?",
    );
  }
  const fileName = input.fileName.replace(/[\r\n]/g, " ").slice(0, 200) || "upload.csv";
  const replace = input.replace === true || input.replace === "true";
  const record = await beginRun(deps, {
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
  const tracker = new RunTracker(deps, record);
  const outcome: RunOutcome = { normalize: [], errors: [] };
  let releaseId: string | undefined;
  let created = false;
  let refusal: CannotProcess | undefined;
  try {
    await tracker.update("store", { status: "running", message: `Reading and archiving ${fileName}` });
    const stored = await recordUpload(deps, {
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
    await normalizeAndPublish(deps, tracker, outcome, releaseId, undefined, Boolean(stored.release.replaces));
  } catch (err) {
    const unreadable = err instanceof LayoutChanged || err instanceof NoTableOnPage;
    const stage = releaseId ? (outcome.normalize.length ? "publish" : "normalize") : "store";
    outcome.errors.push({ stage, ...describeError(err) });
    await tracker.update(stage, { status: "failed", message: describeError(err).message });
    if (unreadable) {
      refusal = new CannotProcess(
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
  const release = releaseId ? await deps.releases.getRelease(releaseId) : undefined;
  return { run, release: release ? releaseView(release) : undefined, created };
}
