/**
 * An editor's upload of a query-platform export. The API only accepts and stages the bytes
 * (content-addressed under the raw bucket's uploads/ prefix, size-capped) and starts a run; reading,
 * archiving and normalizing happen in that run (deployed: the state machine's upload path, in a
 * function sized for it; locally: the in-process launcher), never in the request. Answers 202 with
 * the run id; the editor follows the run like a refresh.
 *
 * Two ways in:
 *   - slot + start (the console; deployed, the AWS way past API payload limits): the browser asks for
 *     a slot with the file's name, flow, size and sha256, PUTs the bytes to the presigned address, then
 *     starts the run;
 *   - the file in the request (multipart or raw; scripts, small files): staged the same way, then started.
 * Everything an editor can get wrong without the bytes being read (no flow, empty, too large, the same
 * file already read under the other flow) is refused at once, before anything is stored.
 */
import { describeError, InvalidRequest, StateConflict, TooLarge } from "../../domain/errors.js";
import { formatBytes } from "../../domain/numbers.js";
import type { UploadSlot } from "../../domain/ports.js";
import type { QueryFlow } from "../../domain/query-csv/normalize.js";
import { MAX_UPLOAD_BYTES } from "../../domain/raw-keys.js";
import type { Actor, RunRecord, StagedUpload } from "../../domain/runs.js";
import { sha256Hex } from "../../domain/sha256.js";
import { beginRun, finishRun } from "../../pipeline/runs/lifecycle.js";
import {
  isQueryFlow,
  isSha256Hex,
  otherReading,
  QUERY_FLOWS,
  stagedUploadKey,
  uploadReleaseId,
} from "../../pipeline/upload-release.js";
import type { EditorDeps } from "./deps.js";

export interface UploadFacts {
  fileName?: unknown;
  flow: unknown;
  replace?: unknown;
}

interface Checked {
  fileName: string;
  flow: QueryFlow;
  replace: boolean;
}

/** What the editor said about the file, checked (the messages are the console's). */
function checked(input: UploadFacts): Checked {
  if (!isQueryFlow(input.flow)) {
    throw new InvalidRequest(
      `Say whether the file holds China's imports or exports (flow = ${QUERY_FLOWS.join(" or ")})` +
        `${input.flow === undefined || input.flow === "" ? "" : `, not ${JSON.stringify(input.flow)}`}: ` +
        "the file itself does not say; it was a choice in the query.",
    );
  }
  const name = typeof input.fileName === "string" ? input.fileName : "";
  return {
    fileName: name.replace(/[\r\n]/g, " ").slice(0, 200) || "upload.csv",
    flow: input.flow,
    replace: input.replace === true || input.replace === "true",
  };
}

function checkSize(size: number): void {
  if (size === 0)
    throw new InvalidRequest("The file is empty. Choose the CSV exported from the query platform.");
  if (size > MAX_UPLOAD_BYTES) {
    throw new TooLarge(
      `The file is ${formatBytes(size)}; uploads are limited to ${formatBytes(MAX_UPLOAD_BYTES)}. ` +
        "A query-platform export (at most 10,000 rows) is far smaller: is this the right file?",
    );
  }
}

function checkSha256(value: unknown): string {
  if (!isSha256Hex(value))
    throw new InvalidRequest('"sha256" must be the file\'s SHA-256, 64 hexadecimal characters.');
  return value.toLowerCase();
}

export interface UploadSlotAnswer {
  releaseId: string;
  sha256: string;
  /** Send the file's bytes here, exactly as given (method, URL, headers). */
  upload: UploadSlot;
  /** Then start the run: POST this path with the same fileName, flow and replace. */
  start: string;
}

/** Step 1 of the console's upload: where to send the bytes (nothing is recorded yet). */
export async function uploadSlot(
  deps: EditorDeps,
  _by: Actor,
  input: UploadFacts & { size?: unknown; sha256?: unknown },
): Promise<UploadSlotAnswer> {
  const facts = checked(input);
  if (typeof input.size !== "number" || !Number.isInteger(input.size) || input.size < 0)
    throw new InvalidRequest('"size" must be the file\'s size in bytes.');
  checkSize(input.size);
  const sha256 = checkSha256(input.sha256);
  // The same file already read under the other flow: refused now, before the bytes travel.
  await otherReading(deps, sha256, facts.flow, facts.replace);
  return {
    releaseId: uploadReleaseId(facts.flow, sha256),
    sha256,
    upload: await deps.uploads.slot(stagedUploadKey(sha256), input.size, sha256),
    start: `/api/uploads/${sha256}`,
  };
}

/** Step 2: the bytes are staged; start the run that stores, normalizes and publishes them. */
export async function startUpload(
  deps: EditorDeps,
  by: Actor,
  sha256Param: string,
  input: UploadFacts,
): Promise<{ run: RunRecord; releaseId: string }> {
  const facts = checked(input);
  const sha256 = checkSha256(sha256Param);
  const key = stagedUploadKey(sha256);
  const size = await deps.uploads.size(key);
  if (size === undefined) {
    throw new StateConflict(
      "UPLOAD_MISSING",
      `The file ${facts.fileName} has not arrived: send its bytes to the upload address first, then start the upload.`,
    );
  }
  checkSize(size);
  await otherReading(deps, sha256, facts.flow, facts.replace);
  const releaseId = uploadReleaseId(facts.flow, sha256);
  const staged: StagedUpload = {
    key,
    sha256,
    fileName: facts.fileName,
    flow: facts.flow,
    uploadedBy: by.name,
    ...(facts.replace ? { replace: true } : {}),
  };
  const record = await beginRun(deps, {
    kind: "upload",
    by,
    request: { releaseId, upload: staged },
    audit: {
      target: `${facts.fileName} (${facts.flow})`,
      details: {
        fileName: facts.fileName,
        flow: facts.flow,
        sha256,
        ...(facts.replace ? { replace: "the earlier reading under the other flow" } : {}),
      },
    },
  });
  try {
    const { executionRef } = await deps.launcher.launch(record.request);
    return { run: { ...record, executionRef }, releaseId };
  } catch (err) {
    await finishRun(deps, record, {
      normalize: [],
      errors: [{ stage: "store", ...describeError(err) }],
    });
    throw err;
  }
}

/** The file in the request itself: staged like a slot's bytes, then started. */
export async function upload(
  deps: EditorDeps,
  by: Actor,
  input: UploadFacts & { bytes: Uint8Array },
): Promise<{ run: RunRecord; releaseId: string }> {
  const facts = checked(input);
  checkSize(input.bytes.byteLength);
  const sha256 = sha256Hex(input.bytes);
  await otherReading(deps, sha256, facts.flow, facts.replace);
  await deps.uploads.put(stagedUploadKey(sha256), input.bytes);
  return startUpload(deps, by, sha256, input);
}
