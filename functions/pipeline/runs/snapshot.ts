/**
 * A run's view of the published charts: a snapshot of each chart's values when the run starts, and
 * what changed in each chart (new points, revised values, removed points) when it ends.
 */
import { type ChartEnvelope, publishedAmount } from "../../domain/charts/envelope.js";
import type { ChartStore } from "../../domain/ports.js";
import type { ChartChange, ChartSnapshot, PointChange } from "../../domain/runs.js";

interface ChartIndexFile {
  charts: Array<{ id: string }>;
}

async function readJson<T>(charts: ChartStore, key: string): Promise<T | undefined> {
  const body = await charts.get(key);
  if (!body) return undefined;
  try {
    return JSON.parse(Buffer.from(body).toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

export async function readPublishedCharts(charts: ChartStore): Promise<ChartEnvelope[]> {
  const index = await readJson<ChartIndexFile>(charts, "charts/index.json");
  const out: ChartEnvelope[] = [];
  for (const { id } of index?.charts ?? []) {
    const chart = await readJson<ChartEnvelope>(charts, `charts/${id}.json`);
    if (chart) out.push(chart);
  }
  return out;
}

function pointKey(p: { period: string; category?: string | undefined }): string {
  return p.category ? `${p.period} ${p.category}` : p.period;
}

export function snapshotOf(chart: ChartEnvelope): ChartSnapshot {
  const snap: ChartSnapshot = {};
  for (const s of chart.series) {
    const values: Record<string, number> = {};
    // One value per published figure: a January–February total once (not its two average points).
    for (const p of s.points) {
      const amount = publishedAmount(p);
      if (amount !== null) values[pointKey(p)] = amount;
    }
    snap[s.key] = values;
  }
  return snap;
}

export async function snapshotCharts(charts: ChartStore): Promise<Record<string, ChartSnapshot>> {
  const out: Record<string, ChartSnapshot> = {};
  for (const chart of await readPublishedCharts(charts)) out[chart.id] = snapshotOf(chart);
  return out;
}

const MAX_LISTED = 24;

/** What changed in one chart between two snapshots: new points, revised values, removed points. */
export function diffChart(
  before: ChartSnapshot | undefined,
  after: ChartEnvelope,
  latestPeriodBefore: string | null = null,
): ChartChange {
  const change: ChartChange = {
    chartId: after.id,
    title: after.title,
    newPoints: [],
    revisions: [],
    removedPoints: [],
    counts: { newPoints: 0, revisions: 0, removedPoints: 0 },
    latestPeriodBefore,
    latestPeriodAfter: after.latestPeriod,
  };
  const push = (list: PointChange[], kind: keyof ChartChange["counts"], c: PointChange) => {
    change.counts[kind]++;
    if (list.length < MAX_LISTED) list.push(c);
  };
  for (const s of after.series) {
    const old = before?.[s.key] ?? {};
    const seen = new Set<string>();
    for (const p of s.points) {
      const value = publishedAmount(p);
      const key = pointKey(p);
      if (value === null || seen.has(key)) continue;
      seen.add(key);
      const label = `${s.label}, ${p.categoryLabel ? `${p.categoryLabel} ` : ""}${p.period}`;
      const previous = old[key];
      if (previous === undefined)
        push(change.newPoints, "newPoints", { series: s.key, point: key, label, value });
      else if (previous !== value) {
        push(change.revisions, "revisions", { series: s.key, point: key, label, value, previous });
      }
    }
    for (const [key, value] of Object.entries(old)) {
      if (!seen.has(key)) {
        push(change.removedPoints, "removedPoints", {
          series: s.key,
          point: key,
          label: `${s.label}, ${key}`,
          value,
        });
      }
    }
  }
  return change;
}

export function hasChanges(c: ChartChange): boolean {
  return c.counts.newPoints + c.counts.revisions + c.counts.removedPoints > 0;
}
