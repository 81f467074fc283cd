/**
 * Small ports the domain talks to. AWS adapters (functions/adapters) and the local run implement
 * them alike; domain code never imports an SDK.
 */
import type { ChartHold } from "./chart-holds.js";
import type { ReleaseAlert } from "./facts/alert.js";
import type { Observation, ObservationKind, Period, Release, Revision, Vintage } from "./model.js";
import type { AuditEntry, LockState, RunObservation, RunRecord, RunRequest } from "./runs.js";

export interface RawObjectMeta {
  sourceUrl: string;
  fetchedAt: string;
  sha256: string;
  contentType: string;
}

/** Archive of source bytes, content-addressed, never overwritten with other bytes, never deleted. */
export interface RawStore {
  put(key: string, body: Uint8Array, meta: RawObjectMeta): Promise<void>;
  get(key: string): Promise<{ body: Uint8Array; meta: RawObjectMeta }>;
  exists(key: string): Promise<boolean>;
}

/** Where the browser sends an upload's bytes (deployed: a presigned S3 PUT), exactly as given. */
export interface UploadSlot {
  method: "PUT";
  url: string;
  /** Headers the request must carry (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: string;
}

/** The staging area for uploads (the raw bucket's uploads/ prefix); the editors' API writes only here. */
export interface UploadInbox {
  /** A one-time address for exactly these bytes (their size and sha256) at `key`. */
  slot(key: string, size: number, sha256: string): Promise<UploadSlot>;
  /** Stores bytes the API received in the request itself (small files, scripts). */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The staged object's size, or undefined when nothing is there (yet). */
  size(key: string): Promise<number | undefined>;
}

export interface ReleaseStore {
  getRelease(releaseId: string): Promise<Release | undefined>;
  putRelease(release: Release): Promise<void>;
  listReleases(): Promise<Release[]>;
}

/** One stored observation, addressed by its series and (kind, period, vintage). */
export interface StoredObservation extends Observation {
  seriesKey: string;
}

export interface ObservationAddress {
  seriesKey: string;
  kind: ObservationKind;
  period: Period;
  vintage: Vintage;
}

export interface WriteStats {
  /** Write requests sent (BatchWriteItem calls count once each). */
  requests: number;
  /** Items written (observations + revisions). */
  items: number;
}

export interface ObservationStore {
  /** Current values at these addresses (missing ones are absent from the map, keyed by addressKey()). */
  getMany(addresses: ObservationAddress[]): Promise<Map<string, StoredObservation>>;
  /** Writes new/changed observations and the revisions they cause. */
  write(observations: StoredObservation[], revisions: Revision[]): Promise<WriteStats>;
  /** Everything stored for one series: one Query, never a Scan. */
  querySeries(seriesKey: string): Promise<{ observations: StoredObservation[]; revisions: Revision[] }>;
  /** Every observation of one (commodity, currency, kind, period), across partners, flows and vintages:
   * one Query on an index. */
  queryCrossSection(slice: CrossSection): Promise<StoredObservation[]>;
}

export interface CrossSection {
  commodity: string;
  currency: string;
  kind: ObservationKind;
  period: Period;
}

/** Series key: one DynamoDB partition per (reporter, partner, flow, commodity, currency). */
export function seriesKeyOf(o: {
  reporter: string;
  partner: { code: string };
  flow: string;
  commodity: string;
  currency: string;
}): string {
  return `${o.reporter}|${o.partner.code}|${o.flow}|${o.commodity}|${o.currency}`;
}

/** A source of pages (the GACC site or a mirror). Throws UpstreamUnavailable / UpstreamRefused. */
export interface PageSource {
  get(url: string, limits?: PageLimits): Promise<{ bytes: Uint8Array; contentType: string; url: string }>;
}

/** Bounds for one page, from the caller's time budget. */
export interface PageLimits {
  /** Epoch ms by which the page (every attempt, backoff included) must be done; no attempt starts past it. */
  deadline?: number;
}

export interface ChartObject {
  key: string;
  body: Uint8Array;
  contentType: string;
  cacheControl: string;
}

/** Where graphics read from: charts/<id>.json and friends. */
export interface ChartStore {
  get(key: string): Promise<Uint8Array | undefined>;
  put(object: ChartObject): Promise<void>;
}

export function addressKey(a: ObservationAddress): string {
  return `${a.seriesKey}|${a.kind}|${a.period}|${a.vintage}`;
}

// ---- runs, lock and audit (DynamoDB: functions/adapters/dynamo-runs.ts) ----

export interface RunStore {
  putRun(run: RunRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(limit: number): Promise<RunRecord[]>;
}

/** One lock for the whole pipeline, with expiry. */
export interface RunLock {
  /** Takes the lock when free or expired; otherwise returns who holds it. */
  acquire(
    runId: string,
    now: Date,
    ttlMs: number,
  ): Promise<{ acquired: true } | { acquired: false; holder: LockState }>;
  /** Takes the lock from `fromRunId` (a holder known to have finished); false when someone else has it now. */
  takeOver(fromRunId: string, runId: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Extends a held lock; false when `runId` no longer holds it. */
  renew(runId: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Lets go, if `runId` still holds it. */
  release(runId: string): Promise<void>;
  current(): Promise<LockState | undefined>;
}

export interface AuditLog {
  /** Writes (or rewrites, same `at` and `id`) one entry. */
  putAudit(entry: AuditEntry): Promise<void>;
  /**
   * Counts one more refusal into the entry with this `at` and `id` (written as given the first
   * time, then only its count and `lastAt` change), atomically: concurrent refusals all count.
   */
  countRefusal(entry: AuditEntry, at: string): Promise<void>;
  getAudit(at: string, id: string): Promise<AuditEntry | undefined>;
  /** Newest first. */
  recentAudit(limit: number): Promise<AuditEntry[]>;
}

/**
 * Starts a refresh somewhere: Step Functions in AWS, a background task in the local process. A
 * launcher that records progress itself (local) needs no `observe`; one that cannot (Step Functions)
 * reports the execution's state through it.
 */
export interface RunLauncher {
  launch(request: RunRequest): Promise<{ executionRef: string }>;
  observe?(run: RunRecord): Promise<RunObservation>;
}

// ---- the publish guard's holds, and release alerts ----

/** Where holds are kept (DynamoDB in AWS and locally: functions/adapters/dynamo-holds.ts). */
export interface ChartHoldStore {
  getHold(chartId: string): Promise<ChartHold | undefined>;
  putHold(hold: ChartHold): Promise<void>;
  /** Every hold, any status. */
  listHolds(): Promise<ChartHold[]>;
}

/** Delivers a release alert (SNS in AWS: functions/adapters/sns-alerts.ts). */
export interface AlertSender {
  send(alert: ReleaseAlert): Promise<{ messageId?: string | undefined } | undefined>;
}
