/**
 * What changed in a chart (new points, revised values, removed points) between the version published
 * and the one replacing it: publish reports it for each chart it writes (publish-charts.ts), reading
 * each published chart once; the accept preview computes it before anything is written.
 */
import { type ChartEnvelope, publishedAmount } from "../../domain/charts/envelope.js";
import { chartJsonKey, INDEX_KEY, parseEnvelope, parseIndex } from "../../domain/charts/published.js";
import type { ChartStore } from "../../domain/ports.js";
import type { ChartChange, ChartSnapshot, PointChange } from "../../domain/reports.js";

/** Every chart listed in index.json, as published (unreadable files left out). */
export async function readPublishedCharts(charts: ChartStore): Promise<ChartEnvelope[]> {
  const index = await charts.get(INDEX_KEY);
  const out: ChartEnvelope[] = [];
  for (const { id } of index ? parseIndex(index) : []) {
    const body = await charts.get(chartJsonKey(id));
    const chart = body ? parseEnvelope(body) : undefined;
    if (chart) out.push(chart);
  }
  return out;
}

/** A published figure's key: its period (a January–February total once, not its two average points),
 * with its partner in ranked charts. */
function figureKey(p: { period: string; category?: string | undefined }): string {
  return p.category ? `${p.period} ${p.category}` : p.period;
}

export function snapshotOf(chart: ChartEnvelope): ChartSnapshot {
  const snap: ChartSnapshot = {};
  for (const s of chart.series) {
    const values: Record<string, number> = {};
    // One value per published figure: a January–February total once (not its two average points).
    for (const p of s.points) {
      const amount = publishedAmount(p);
      if (amount !== null) values[figureKey(p)] = amount;
    }
    snap[s.key] = values;
  }
  return snap;
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
      const key = figureKey(p);
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
