/**
 * Stage 3, publish: regenerate every chart from stored levels and write only the files whose bytes
 * changed, each with an immutable versioned copy beside it. Refuses to publish while a release is
 * partly written, so no chart is ever built from half a release.
 */
import { createHash } from "node:crypto";
import { buildChart, type ChartInputs } from "../domain/charts/build.js";
import { CHART_DEFINITIONS, type ChartDefinition } from "../domain/charts/definitions.js";
import { chartFiles } from "../domain/charts/files.js";
import { PublishHeld } from "../domain/errors.js";
import { BY_COUNTRY_TABLE } from "../domain/gacc/table4.js";
import type { Release } from "../domain/model.js";
import type { ChartStore, ObservationStore, ReleaseStore } from "../domain/ports.js";

export interface PublishDeps {
  releases: ReleaseStore;
  observations: ObservationStore;
  charts: ChartStore;
}

export interface PublishOptions {
  /** Public base URL of the charts (CloudFront, or the local server), for index.json. */
  publicBaseUrl: string;
  /** Only these chart ids (default: all). */
  only?: string[];
  definitions?: ChartDefinition[];
}

export interface PublishReport {
  chartsBuilt: number;
  filesWritten: string[];
  filesUnchanged: number;
  warnings: string[];
}

const LATEST_CACHE = "public, max-age=60, stale-while-revalidate=300";
const VERSIONED_CACHE = "public, max-age=31536000, immutable";

/**
 * Whether a release's figures are in the store for charts to use: it is normalized (or accepted), or
 * an earlier version of its page was, and the newer bytes are still waiting or were held back (their
 * observations are not written, the earlier ones stay and keep being published).
 */
export function isPublishable(r: Release): boolean {
  return r.status === "normalized" || r.status === "accepted" || r.normalizedSha256 !== undefined;
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
  const inputs: ChartInputs = {
    observations: deps.observations,
    latestCrossSectionPeriod: (currency) =>
      releases
        .filter((r) => r.table === BY_COUNTRY_TABLE && r.currency === currency && isPublishable(r))
        .map((r) => r.period)
        .sort((a, b) => a.replace("01/02", "02").localeCompare(b.replace("01/02", "02")))
        .at(-1),
  };
  const definitions = (options.definitions ?? CHART_DEFINITIONS).filter(
    (d) => !options.only || options.only.includes(d.id),
  );
  const report: PublishReport = { chartsBuilt: 0, filesWritten: [], filesUnchanged: 0, warnings: [] };
  const index: Array<{
    id: string;
    title: string;
    url: string;
    csvUrl: string;
    updatedAt: string | null;
    latestPeriod: string | null;
  }> = [];
  const base = options.publicBaseUrl.replace(/\/+$/, "");

  // Build and validate everything first: a chart that fails its schema stops the run before any write.
  const built = [];
  for (const def of definitions) {
    const envelope = await buildChart(def, inputs);
    built.push({ envelope, files: chartFiles(envelope) });
    report.chartsBuilt++;
    report.warnings.push(...envelope.warnings.map((w) => `${def.id}: ${w}`));
    index.push({
      id: def.id,
      title: def.title,
      url: `${base}/charts/${def.id}.json`,
      csvUrl: `${base}/charts/${def.id}.csv`,
      updatedAt: envelope.updatedAt,
      latestPeriod: envelope.latestPeriod,
    });
  }
  const files = built.flatMap((b) => b.files);
  if (!options.only) {
    const existing = await deps.charts.get("charts/index.json");
    const listed = existing
      ? (JSON.parse(Buffer.from(existing).toString("utf8")) as { charts: typeof index }).charts
      : [];
    const merged = [...listed.filter((c) => !index.some((i) => i.id === c.id)), ...index].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    files.push({
      name: "index.json",
      body: `${JSON.stringify({ schemaVersion: 1, charts: merged }, null, 2)}\n`,
      contentType: "application/json; charset=utf-8",
    });
  }

  for (const f of files) {
    const key = `charts/${f.name}`;
    const body = Buffer.from(f.body, "utf8");
    const current = await deps.charts.get(key);
    if (current && Buffer.compare(Buffer.from(current), body) === 0) {
      report.filesUnchanged++;
      continue;
    }
    const version = createHash("sha256").update(body).digest("hex").slice(0, 16);
    // Immutable copy first, then the stable URL: a reader never sees a latest file without its copy.
    await deps.charts.put({
      key: `charts/v/${version}/${f.name}`,
      body,
      contentType: f.contentType,
      cacheControl: VERSIONED_CACHE,
    });
    await deps.charts.put({ key, body, contentType: f.contentType, cacheControl: LATEST_CACHE });
    report.filesWritten.push(key);
  }
  return report;
}
