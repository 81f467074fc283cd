/**
 * The published chart files as graphics and the pipeline see them: their keys, index.json, a chart
 * file read back. One home for each, so that a key
 * or a parse rule never differs between publish, runs, the editors' status and the local export.
 */
import type { ChartEnvelope, ChartIndexEntry } from "./envelope.js";

export const CHARTS_PREFIX = "charts/";
export const INDEX_KEY = `${CHARTS_PREFIX}index.json`;

/** `charts/<name>`: the stable URL's key of a published file. */
export const chartFileKey = (name: string) => `${CHARTS_PREFIX}${name}`;
/** `charts/<id>.json`: a chart's envelope. */
export const chartJsonKey = (id: string) => chartFileKey(`${id}.json`);
/** `charts/v/<version>/<name>`: the immutable copy of one version of a file. */
export const versionedKey = (version: string, name: string) => `${CHARTS_PREFIX}v/${version}/${name}`;
/** The files each published chart has, by suffix (facts: functions/pipeline/publish-facts.ts). */
export const CHART_FILE_SUFFIXES = [".json", ".csv", ".dw-metadata.json", ".facts.json"] as const;

/** A published chart file read back; undefined when it is not an envelope (it is then replaced). */
export function parseEnvelope(body: Uint8Array): ChartEnvelope | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(body).toString("utf8")) as ChartEnvelope;
    return Array.isArray(parsed?.series) && parsed.unit ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The charts listed in a published index.json; an unreadable one lists none (it is rewritten). */
export function parseIndex(body: Uint8Array): ChartIndexEntry[] {
  try {
    const parsed = JSON.parse(Buffer.from(body).toString("utf8")) as { charts?: Partial<ChartIndexEntry>[] };
    // Entries written before index schema 2 have no state or metadata URL: they were published.
    return Array.isArray(parsed?.charts)
      ? parsed.charts.map((c) => ({
          id: c.id ?? "",
          title: c.title ?? "",
          state: c.state ?? "published",
          ...(c.stateReason ? { stateReason: c.stateReason } : {}),
          url: c.url ?? null,
          csvUrl: c.csvUrl ?? null,
          metadataUrl: c.metadataUrl ?? (c.url ? c.url.replace(/\.json$/, ".dw-metadata.json") : null),
          updatedAt: c.updatedAt ?? null,
          latestPeriod: c.latestPeriod ?? null,
        }))
      : [];
  } catch {
    return [];
  }
}
