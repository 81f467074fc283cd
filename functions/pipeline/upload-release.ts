/**
 * An editor's upload of a query-platform export (stats.customs.gov.cn is behind a CAPTCHA, so a
 * person exports the CSV and uploads it). The file is archived byte for byte at its content address,
 * like any fetched page, and recorded as a release of the table QUERY_TABLE with the flow the editor
 * stated as `declaredFlow` (the file does not say whether it holds imports or exports); the table
 * registry (domain/tables.ts) parses it with that flow. Normalizing and
 * publishing then go through the same stages as every other release.
 *
 * Idempotent: the same bytes with the same flow are the same release; uploading them again writes
 * nothing.
 */
import { describeError, LayoutChanged, NoTableOnPage, UploadFlowConflict } from "../domain/errors.js";
import type { Release } from "../domain/model.js";
import { formatBytes } from "../domain/numbers.js";
import type { RawStore, ReleaseStore } from "../domain/ports.js";
import { normalizeQueryExport, type QueryFlow } from "../domain/query-csv/normalize.js";
import { MAX_UPLOAD_BYTES, UPLOADS_PREFIX } from "../domain/raw-keys.js";
import type { StagedUpload } from "../domain/runs.js";
import { sha256Hex } from "../domain/sha256.js";
import { QUERY_TABLE } from "../domain/table-ids.js";
import { archiveRelease } from "./archive.js";

export const QUERY_SOURCE = "gacc-query-platform";
/** Where the files come from (the provenance of every number in them). */
export const QUERY_PLATFORM_URL = "http://stats.customs.gov.cn/";
export const QUERY_FLOWS: readonly QueryFlow[] = ["imports", "exports"];

/** Where a staged upload's bytes wait for their run (domain/raw-keys.ts says why there). */
export function stagedUploadKey(sha256: string): string {
  return `${UPLOADS_PREFIX}${sha256.toLowerCase()}.csv`;
}

export function isSha256Hex(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/i.test(value);
}

export type { StagedUpload } from "../domain/runs.js";

/** Why a staged upload was not stored (nothing was recorded): the editor reads `message`. */
export interface UploadRefusal {
  code: "NOT_A_QUERY_EXPORT" | "FLOW_CONFLICT" | "UPLOAD_MISSING" | "UPLOAD_MISMATCH" | "TOO_LARGE";
  message: string;
  earlierReleaseId?: string | undefined;
}

/** What storing a staged upload did: the release it recorded, or why it refused (nothing stored). */
export type StoreUploadReport =
  | {
      releaseId: string;
      sha256: string;
      created: boolean;
      replaces?: UploadedRelease["replaces"];
      /** In words, for the run's store stage. */
      message: string;
    }
  | { refused: UploadRefusal };

/** A release made from an upload: the flow (`declaredFlow`) and the file as the editor gave them. */
export interface UploadedRelease extends Release {
  declaredFlow: QueryFlow;
  uploadedBy: string;
  fileName: string;
  /** First period in the file (the release's `period` is the last). */
  firstPeriod: string;
  title: string;
}

export interface UploadDeps {
  raw: RawStore;
  releases: ReleaseStore;
  now: () => Date;
}

export interface QueryUpload {
  bytes: Uint8Array;
  fileName: string;
  flow: QueryFlow;
  uploadedBy: string;
  /** The editor says an earlier reading of these bytes under the other flow was wrong: replace it. */
  replace?: boolean | undefined;
}

export function isQueryFlow(value: unknown): value is QueryFlow {
  return value === "imports" || value === "exports";
}

export function uploadReleaseId(flow: QueryFlow, sha256: string): string {
  return `query-${flow}-${sha256.slice(0, 16)}`;
}

/**
 * Archives the file and records its release (status "fetched", ready to normalize). The file is read
 * once first, so a file that is not a query-platform export is refused (LayoutChanged, naming the
 * line) before anything is stored. Returns `created: false` when these bytes were already uploaded
 * with this flow.
 */
export async function recordUpload(
  deps: UploadDeps,
  upload: QueryUpload,
): Promise<{ release: UploadedRelease; created: boolean }> {
  const sha256 = sha256Hex(upload.bytes);
  const releaseId = uploadReleaseId(upload.flow, sha256);
  const known = await deps.releases.getRelease(releaseId);
  const otherFlow: QueryFlow = upload.flow === "imports" ? "exports" : "imports";
  const otherLive = await otherReading(deps, sha256, upload.flow, upload.replace);
  const now = deps.now().toISOString();
  const replaces = otherLive
    ? { releaseId: otherLive.releaseId, flow: otherFlow, by: upload.uploadedBy, at: now }
    : undefined;
  if (known && known.sha256 === sha256) {
    if (!replaces) return { release: known as UploadedRelease, created: false };
    // Back to an earlier reading of this file: it is live again, the other one replaced. It is
    // normalized again, which writes no figure (they are stored) but records the change of reading.
    const revived: UploadedRelease = {
      ...(known as UploadedRelease),
      supersededBy: undefined,
      replaces,
      status: "fetched",
      normalizedSha256: undefined,
      updatedAt: now,
    };
    await deps.releases.putRelease(revived);
    await supersede(deps, otherLive, releaseId, now);
    return { release: revived, created: false };
  }

  const fetchedAt = now;
  const provenance = { releaseId, url: QUERY_PLATFORM_URL, sha256, fetchedAt };
  const parsed = await normalizeQueryExport(upload.bytes, { flow: upload.flow, provenance });
  const periods = parsed.observations.map((o) => o.period).sort();

  const release = await archiveRelease<UploadedRelease>(deps, {
    bytes: upload.bytes,
    contentType: "text/csv",
    sourceUrl: `${QUERY_PLATFORM_URL} (uploaded as ${upload.fileName} by ${upload.uploadedBy})`,
    fetchedAt,
    sha256,
    facts: {
      releaseId,
      source: QUERY_SOURCE,
      table: QUERY_TABLE,
      currency: parsed.currency,
      period: parsed.period || (periods.at(-1) ?? ""),
      firstPeriod: periods[0] ?? "",
      url: QUERY_PLATFORM_URL,
      declaredFlow: upload.flow,
      fileName: upload.fileName,
      uploadedBy: upload.uploadedBy,
      title: parsed.title,
      replaces,
    },
  });
  await supersede(deps, otherLive, releaseId, now);
  return { release, created: true };
}

/**
 * The live reading of these bytes under the other flow, if any. One file, one flow: the same bytes
 * read as both imports and exports would put every figure twice, so without `replace` that reading
 * is a conflict (UploadFlowConflict, nothing stored). The editors' API asks before the bytes are
 * sent; the workflow asks again when it stores them.
 */
export async function otherReading(
  deps: Pick<UploadDeps, "releases">,
  sha256: string,
  flow: QueryFlow,
  replace: boolean | undefined,
): Promise<UploadedRelease | undefined> {
  const otherFlow: QueryFlow = flow === "imports" ? "exports" : "imports";
  const other = (await deps.releases.getRelease(uploadReleaseId(otherFlow, sha256.toLowerCase()))) as
    | UploadedRelease
    | undefined;
  const otherLive = other && !other.supersededBy ? other : undefined;
  if (otherLive && !replace) {
    throw new UploadFlowConflict(
      `This file was already uploaded as China's ${otherFlow}${otherLive.uploadedBy ? ` by ${otherLive.uploadedBy}` : ""} on ${otherLive.fetchedAt.slice(0, 10)}. ` +
        `The same file cannot hold both imports and exports, so nothing was stored. If ${otherFlow} was the wrong choice, upload it again with "replace the earlier reading" ticked.`,
      otherLive.releaseId,
    );
  }
  return otherLive;
}

/** Marks the earlier reading replaced: its figures stay stored (the record) but no chart uses them. */
async function supersede(
  deps: UploadDeps,
  earlier: Release | undefined,
  by: string,
  now: string,
): Promise<void> {
  if (earlier) await deps.releases.putRelease({ ...earlier, supersededBy: by, updatedAt: now });
}

/** The editor-readable refusal for a file that is not a query-platform export. */
export function notAQueryExport(err: unknown): UploadRefusal {
  return {
    code: "NOT_A_QUERY_EXPORT",
    message: `This file cannot be read as a query-platform export: ${describeError(err).message} Nothing was stored.`,
  };
}

/**
 * The workflow's first upload step: reads the staged bytes, checks they are the ones announced (size
 * cap, sha256) and records the release (archive + record, see recordUpload). A file that cannot be
 * read, or that conflicts with an earlier reading, is refused with the reason and nothing is stored;
 * other failures (the stores) throw, for the workflow's retries.
 */
export async function storeStagedUpload(deps: UploadDeps, staged: StagedUpload): Promise<StoreUploadReport> {
  if (!(await deps.raw.exists(staged.key))) {
    return {
      refused: {
        code: "UPLOAD_MISSING",
        message: `The file ${staged.fileName} never arrived (nothing at ${staged.key}). Upload it again.`,
      },
    };
  }
  const { body } = await deps.raw.get(staged.key);
  if (body.byteLength > MAX_UPLOAD_BYTES) {
    return {
      refused: {
        code: "TOO_LARGE",
        message: `The file ${staged.fileName} is ${formatBytes(body.byteLength)}, over the upload limit of ${formatBytes(MAX_UPLOAD_BYTES)}; nothing was stored.`,
      },
    };
  }
  const sha256 = sha256Hex(body);
  if (sha256 !== staged.sha256.toLowerCase()) {
    return {
      refused: {
        code: "UPLOAD_MISMATCH",
        message: `The bytes that arrived for ${staged.fileName} are not the file announced (sha256 ${sha256.slice(0, 12)}…, expected ${staged.sha256.slice(0, 12)}…). Nothing was stored; upload it again.`,
      },
    };
  }
  try {
    const { release, created } = await recordUpload(deps, {
      bytes: body,
      fileName: staged.fileName,
      flow: staged.flow,
      uploadedBy: staged.uploadedBy,
      replace: staged.replace,
    });
    const releaseId = release.releaseId;
    return {
      releaseId,
      sha256,
      created,
      replaces: release.replaces,
      message: release.replaces
        ? `Archived as ${releaseId}, replacing the earlier reading ${release.replaces.releaseId} (as ${release.replaces.flow})`
        : created
          ? `Archived as ${releaseId} (sha256 ${sha256.slice(0, 12)}…)`
          : `Already uploaded as ${releaseId}: nothing new to store`,
    };
  } catch (err) {
    if (err instanceof LayoutChanged || err instanceof NoTableOnPage)
      return { refused: notAQueryExport(err) };
    if (err instanceof UploadFlowConflict)
      return {
        refused: { code: "FLOW_CONFLICT", message: err.message, earlierReleaseId: err.earlierReleaseId },
      };
    throw err;
  }
}
