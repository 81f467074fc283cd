/**
 * Stage 3, publish: regenerate every chart from stored levels and write only the files whose bytes
 * changed, each with an immutable versioned copy beside it. Refuses to publish while a release is
 * partly written, so no chart is ever built from half a release. Every chart file is validated
 * against the schema before anything is written, and passes the publish guard (publish-guard.ts): a
 * chart that would lose points or move a value a long way with no revision on record is held back
 * until an editor accepts it.
 */
import type { ChartHold } from "../domain/chart-holds.js";
import { awaitingDataReason, buildChart, type ChartInputs } from "../domain/charts/build.js";
import { CHART_DEFINITIONS, type ChartDefinition } from "../domain/charts/definitions.js";
import type { ChartEnvelope, ChartIndexEntry } from "../domain/charts/envelope.js";
import { chartFiles, indexFile } from "../domain/charts/files.js";
import {
  chartFileKey,
  chartJsonKey,
  INDEX_KEY,
  parseEnvelope,
  parseIndex,
  versionedKey,
} from "../domain/charts/published.js";
import { PublishHeld } from "../domain/errors.js";
import type { Release } from "../domain/model.js";
import type { ChartHoldStore, ChartStore, ObservationStore, ReleaseStore } from "../domain/ports.js";
import type { PublishReport } from "../domain/reports.js";
import { sha256Hex } from "../domain/sha256.js";
import type { FactsStep } from "./publish-facts.js";
import {
  chartConsistency,
  DEFAULT_PUBLISH_GUARD,
  decide,
  logText,
  type PublishGuardPolicy,
} from "./publish-guard.js";
import { diffChart, snapshotOf } from "./runs/snapshot.js";

export interface PublishDeps {
  releases: ReleaseStore;
  observations: ObservationStore;
  charts: ChartStore;
  /** Where held charts are recorded and editors' acceptances read. Without it charts are still held
   * back (and reported), but nothing records them for an editor to accept. */
  holds?: ChartHoldStore | undefined;
  /** The publish guard's policy; `false` turns the guard off (first loads, tests of other things). */
  guard?: PublishGuardPolicy | false | undefined;
  /** Facts files and the release alert, right after the chart files (publish-facts.ts). Every run
   * that publishes gives it (functions/composition.ts, publishWithFactsDeps), the pipeline's and the editors' API's. */
  facts?: FactsStep | undefined;
  now?: () => Date;
}

export interface PublishOptions {
  /** Public base URL of the charts (CloudFront, or the local server), for index.json. */
  publicBaseUrl: string;
  /** Only these chart ids (default: all). */
  only?: string[];
  definitions?: ChartDefinition[];
}

/** Cache-Control of the latest chart files; CloudFront keeps them this long (bench/perfmodel.ts reads it). */
export const LATEST_CACHE = "public, max-age=60, stale-while-revalidate=300";
const VERSIONED_CACHE = "public, max-age=31536000, immutable";

/**
 * Whether a release's figures are in the store for charts to use: it is normalized (or accepted), or
 * an earlier version of its page was, and the newer bytes are still waiting or were held back (their
 * observations are not written, the earlier ones stay and keep being published).
 */
export function isPublishable(r: Release): boolean {
  if (r.supersededBy) return false;
  return r.status === "normalized" || r.status === "accepted" || r.normalizedSha256 !== undefined;
}

/**
 * What charts are built from: the stored observations, less those of releases an editor replaced
 * (an upload read under the wrong flow), and the latest by-country period per currency.
 */
export function chartInputs(releases: Release[], observations: ChartInputs["observations"]): ChartInputs {
  const superseded = new Set(releases.filter((r) => r.supersededBy).map((r) => r.releaseId));
  const keep = <T extends { provenance: { releaseId: string } }>(o: T) =>
    !superseded.has(o.provenance.releaseId);
  return {
    observations:
      superseded.size === 0
        ? observations
        : {
            querySeries: async (key) => {
              const got = await observations.querySeries(key);
              return { observations: got.observations.filter(keep), revisions: got.revisions };
            },
            queryCrossSection: async (slice) => (await observations.queryCrossSection(slice)).filter(keep),
          },
    releases: releases.map((r) => ({
      table: r.table,
      // The currency its figures were stored in: the editor's choice when they resolved a conflict.
      currency: r.acceptance?.resolution?.currency?.currency ?? r.currency,
      period: r.period,
      publishable: isPublishable(r),
      heldBack: r.status === "quarantined",
    })),
  };
}

export async function publishCharts(deps: PublishDeps, options: PublishOptions): Promise<PublishReport> {
  const releases = await deps.releases.listReleases();
  const partial = releases.filter((r) => r.status === "normalizing");
  if (partial.length > 0) {
    throw new PublishHeld(
      `Publishing waits: release ${partial.map((r) => r.releaseId).join(", ")} is only partly written. ` +
        "The next run completes it; the last good charts are still served.",
    );
  }
  const inputs = chartInputs(releases, deps.observations);
  const definitions = (options.definitions ?? CHART_DEFINITIONS).filter(
    (d) => !options.only || options.only.includes(d.id),
  );
  const report: PublishReport = {
    chartsBuilt: 0,
    filesWritten: [],
    filesUnchanged: 0,
    warnings: [],
    held: [],
  };
  const now = (deps.now ?? (() => new Date()))();
  const index: ChartIndexEntry[] = [];
  const base = options.publicBaseUrl.replace(/\/+$/, "");

  // Build and validate everything first: a chart that fails its schema stops the run before any write.
  // A chart with nothing to show is not written as an empty frame: index.json says it awaits data.
  // Each published chart file is read once per run, here: the guard, the byte comparison and the
  // chart's diff all use these bytes.
  const built: Array<{
    envelope: ChartEnvelope;
    files: ReturnType<typeof chartFiles>;
    current: Uint8Array | undefined;
    previous: ChartEnvelope | undefined;
  }> = [];
  const awaiting = new Set<string>();
  for (const def of definitions) {
    const envelope = await buildChart(def, inputs);
    report.chartsBuilt++;
    const hasData = envelope.series.some((s) => s.points.some((p) => p.value !== null));
    const current = await deps.charts.get(chartJsonKey(def.id));
    const previous = current ? parseEnvelope(current) : undefined;
    // An empty chart is listed as awaiting data, unless the published one has figures: then the
    // guard sees every point lost and holds it back.
    const publishedFigures = (previous?.series ?? []).some((s) => s.points.some((p) => p.value !== null));
    if (!hasData && !publishedFigures) {
      awaiting.add(def.id);
      index.push({
        id: def.id,
        title: def.title,
        state: "awaiting-data",
        stateReason: awaitingDataReason(def, inputs.releases),
        url: null,
        csvUrl: null,
        metadataUrl: null,
        updatedAt: null,
        latestPeriod: null,
      });
      continue;
    }
    built.push({ envelope, files: chartFiles(envelope), current, previous });
    report.warnings.push(...envelope.warnings.map((w) => `${def.id}: ${w}`));
    index.push({
      id: def.id,
      title: def.title,
      state: "published",
      url: `${base}/charts/${def.id}.json`,
      csvUrl: `${base}/charts/${def.id}.csv`,
      metadataUrl: `${base}/charts/${def.id}.dw-metadata.json`,
      updatedAt: envelope.updatedAt,
      latestPeriod: envelope.latestPeriod,
    });
  }

  // The publish guard: each chart against the version graphics load now.
  const toRelease: ChartHold[] = [];
  const heldIds = new Set<string>();
  if (deps.guard === false) {
    // Without the guard, the cross-field checks still hold a chart back (nothing records it).
    for (const b of built) {
      const reasons = chartConsistency(b.envelope);
      if (reasons.length === 0) continue;
      heldIds.add(b.envelope.id);
      const json = b.files.find((f) => f.name === `${b.envelope.id}.json`);
      report.held?.push({
        chartId: b.envelope.id,
        reasons,
        candidateSha256: sha256Hex(json?.body ?? ""),
      });
      report.warnings.push(`${b.envelope.id}: HELD BACK: ${reasons.map(logText).join("; ")}`);
    }
  } else {
    const policy = deps.guard ?? DEFAULT_PUBLISH_GUARD;
    for (const b of built) {
      const id = b.envelope.id;
      const json = b.files.find((f) => f.name === `${id}.json`);
      if (!json) continue;
      const { current, previous } = b;
      if (current && !previous)
        report.warnings.push(`${id}: the published chart file could not be read; it is replaced`);
      const decision = decide({
        chartId: id,
        previous,
        next: b.envelope,
        body: json.body,
        existing: await deps.holds?.getHold(id),
        now,
        policy,
      });
      if (decision.publish) {
        if (decision.hold) toRelease.push(decision.hold);
        continue;
      }
      heldIds.add(id);
      await deps.holds?.putHold(decision.hold);
      report.held?.push({
        chartId: id,
        reasons: decision.hold.reasons,
        candidateSha256: decision.hold.candidateSha256,
      });
      report.warnings.push(
        `${id}: HELD BACK until an editor accepts it: ${decision.hold.reasons.map(logText).join("; ")}`,
      );
    }
  }

  const files = built.filter((b) => !heldIds.has(b.envelope.id)).flatMap((b) => b.files);
  let indexRead: { body: Uint8Array | undefined } | undefined;
  if (!options.only) {
    const existing = await deps.charts.get(INDEX_KEY);
    indexRead = { body: existing };
    const listed = existing ? parseIndex(existing) : [];
    // A held chart keeps its listing as published.
    const fresh = index.filter((i) => !heldIds.has(i.id));
    const merged = [...listed.filter((c) => !fresh.some((i) => i.id === c.id)), ...fresh].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    files.push(indexFile(merged));
  }

  const readAlready = new Map(built.map((b) => [`${b.envelope.id}.json`, { body: b.current }]));
  if (indexRead) readAlready.set("index.json", indexRead);
  for (const f of files) {
    if (await writeChartFile(deps.charts, f.name, f.body, f.contentType, readAlready.get(f.name)))
      report.filesWritten.push(`charts/${f.name}`);
    else report.filesUnchanged++;
  }
  // Facts and the release alert, from the same charts, right after their files.
  const published = built.filter((b) => !heldIds.has(b.envelope.id));
  // What changed in each chart, against the version it replaced (held charts keep theirs).
  report.chartChanges = published.map((b) =>
    diffChart(b.previous ? snapshotOf(b.previous) : undefined, b.envelope),
  );
  report.facts = await deps.facts?.(
    published.map((b) => ({
      envelope: b.envelope,
      definition: definitions.find((d) => d.id === b.envelope.id),
    })),
    (id) => ({ url: `${base}/charts/${id}.json`, csvUrl: `${base}/charts/${id}.csv` }),
    (name, body, contentType, read) => writeChartFile(deps.charts, name, body, contentType, read),
  );
  // Accepted (or no longer applicable) holds are closed once their chart is written.
  for (const hold of toRelease) await deps.holds?.putHold(hold);
  return report;
}

/**
 * Writes `charts/<name>` when its bytes changed, immutable copy first, then the stable URL: a reader
 * never sees a latest file without its copy. Returns whether anything was written.
 */
export async function writeChartFile(
  charts: ChartStore,
  name: string,
  text: string,
  contentType: string,
  /** The file as this run already read it (absent: read it now). */
  read?: { body: Uint8Array | undefined },
): Promise<boolean> {
  const key = chartFileKey(name);
  const body = Buffer.from(text, "utf8");
  const current = read ? read.body : await charts.get(key);
  if (current && Buffer.compare(Buffer.from(current), body) === 0) return false;
  const version = sha256Hex(body).slice(0, 16);
  await charts.put({ key: versionedKey(version, name), body, contentType, cacheControl: VERSIONED_CACHE });
  await charts.put({ key, body, contentType, cacheControl: LATEST_CACHE });
  return true;
}

export type { ChartIndexEntry };
