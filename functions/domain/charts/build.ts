/**
 * Builds chart envelopes from stored levels. Derived numbers (single-month y/y, Jan–Feb comparisons)
 * are computed here, at publish time; a printed year-to-date y/y is never shown as a monthly one.
 * Everything is a pure function of stored data, so a re-run publishes byte-identical files.
 */

import { releaseAfterPeriod } from "../calendar.js";
import { type ObservationKind, VINTAGE_RANK } from "../model.js";
import { partners } from "../partners.js";
import { type ObservationStore, type StoredObservation, seriesKeyOf } from "../ports.js";
import type { ChartDefinition, SeriesDefinition } from "./definitions.js";
import type { ChartEnvelope, ChartPoint, ChartSeries } from "./envelope.js";
import { CHART_SCHEMA_VERSION } from "./envelope.js";

export const SOURCE = {
  name: "General Administration of Customs of the People's Republic of China (GACC)",
  url: "http://english.customs.gov.cn/statics/report/preliminary.html",
};

export interface ChartInputs {
  observations: Pick<ObservationStore, "querySeries" | "queryCrossSection">;
  /** Latest period with an accepted by-country release per currency (for cross-section charts). */
  latestCrossSectionPeriod(currency: string): string | undefined;
}

type Slot = { best: StoredObservation; previous?: number; revised: boolean };

/** One value per (kind, period): the highest vintage wins (bulletin over preliminary); revisions flagged. */
async function loadSlots(inputs: ChartInputs, seriesKey: string): Promise<Map<string, Slot>> {
  const { observations, revisions } = await inputs.observations.querySeries(seriesKey);
  const slots = new Map<string, Slot>();
  const sorted = [...observations].sort((a, b) => VINTAGE_RANK[a.vintage] - VINTAGE_RANK[b.vintage]);
  for (const o of sorted) {
    const key = `${o.kind}|${o.period}`;
    const lower = slots.get(key);
    // A later vintage replacing a different earlier value is a revision readers should see.
    const changedAcrossVintages = lower !== undefined && lower.best.value !== o.value;
    slots.set(key, {
      best: o,
      previous: changedAcrossVintages ? lower.best.value : undefined,
      revised: changedAcrossVintages,
    });
  }
  for (const r of [...revisions].sort((a, b) => a.revisedAt.localeCompare(b.revisedAt))) {
    const slot = slots.get(`${r.kind}|${r.period}`);
    if (slot && slot.best.vintage === r.vintage && slot.best.value === r.newValue) {
      slot.revised = true;
      slot.previous = r.oldValue;
    }
  }
  return slots;
}

function yoy(value: number, base: number | undefined): number | null {
  if (base === undefined || base === 0) return null;
  return Math.round(((value - base) / Math.abs(base)) * 1000) / 10;
}

function shiftYear(period: string, years: number): string {
  return period.replace(/^\d{4}/, (y) => String(Number(y) + years));
}

/** Where a period sits on a date axis: "2023-01/02" → "2023-02". */
export function chartPeriodOf(period: string): string {
  return period.replace(/^(\d{4})-01\/02$/, "$1-02");
}

class Collector {
  readonly provenance = new Map<string, StoredObservation["provenance"]>();
  readonly warnings: string[] = [];
  add(o: StoredObservation): void {
    this.provenance.set(o.provenance.releaseId + o.provenance.sha256, o.provenance);
  }
}

type Measure = (o: StoredObservation) => number | undefined;
const MEASURES: Record<"value" | "quantity", Measure> = {
  value: (o) => o.value,
  quantity: (o) => o.quantity?.value,
};

function point(
  slot: Slot,
  multiplier: number,
  base: number | undefined,
  collector: Collector,
  extra: Partial<ChartPoint> = {},
  measure: Measure = MEASURES.value,
): ChartPoint | undefined {
  const o = slot.best;
  const level = measure(o);
  if (level === undefined) return undefined;
  collector.add(o);
  const p: ChartPoint = {
    period: o.period,
    chartPeriod: chartPeriodOf(o.period),
    ...extra,
    value: level / multiplier,
    yoyPct: yoy(level, base),
    vintage: o.vintage,
    revised: slot.revised,
  };
  // Revisions are tracked on values; a quantity chart shows the flag but not a previous value.
  if (slot.previous !== undefined && measure === MEASURES.value) p.previousValue = slot.previous / multiplier;
  if (o.kind === "jan-feb") p.combinedMonths = 2;
  return p;
}

function seriesKeyFor(def: ChartDefinition, s: SeriesDefinition, partner: string): string {
  return seriesKeyOf({
    reporter: "CHN",
    partner: { code: partner },
    flow: s.flow,
    commodity: s.commodity,
    currency: s.currency ?? def.unit.currency ?? "",
  });
}

const measureOf = (s: SeriesDefinition): Measure => MEASURES[s.measure ?? "value"];

async function monthlySeries(
  def: ChartDefinition,
  inputs: ChartInputs,
  c: Collector,
): Promise<ChartSeries[]> {
  const out: ChartSeries[] = [];
  for (const s of def.series) {
    const slots = await loadSlots(inputs, seriesKeyFor(def, s, s.partner ?? "WORLD"));
    const measure = measureOf(s);
    const points: ChartPoint[] = [];
    for (const [key, slot] of slots) {
      const kind = key.split("|")[0] as ObservationKind;
      if (kind === "ytd") continue;
      const baseSlot = slots.get(`${kind}|${shiftYear(slot.best.period, -1)}`);
      const p = point(slot, def.unit.multiplier, baseSlot && measure(baseSlot.best), c, {}, measure);
      if (p) points.push(p);
    }
    points.sort((a, b) => a.chartPeriod.localeCompare(b.chartPeriod));
    out.push({ key: s.key, label: s.label, points });
  }
  return out;
}

async function ytdSeries(def: ChartDefinition, inputs: ChartInputs, c: Collector): Promise<ChartSeries[]> {
  const loaded = await Promise.all(
    def.series.map(async (s) => ({
      s,
      slots: await loadSlots(inputs, seriesKeyFor(def, s, s.partner ?? "WORLD")),
    })),
  );
  // The latest month with a year-to-date figure in any series decides the months compared.
  const latest = loaded
    .flatMap(({ slots }) =>
      [...slots.values()].filter((x) => x.best.kind === "ytd").map((x) => x.best.period),
    )
    .sort()
    .at(-1);
  if (!latest) return def.series.map((s) => ({ key: s.key, label: s.label, points: [] }));
  const month = latest.slice(5, 7);
  return loaded.map(({ s, slots }) => {
    const points: ChartPoint[] = [];
    const years = [...slots.values()]
      .filter((x) => x.best.kind === "ytd" && x.best.period.endsWith(`-${month}`))
      .sort((a, b) => a.best.period.localeCompare(b.best.period));
    const measure = measureOf(s);
    for (const slot of years) {
      const baseSlot = slots.get(`ytd|${shiftYear(slot.best.period, -1)}`);
      const p = point(slot, def.unit.multiplier, baseSlot && measure(baseSlot.best), c, {}, measure);
      if (!p) continue;
      const printed = slot.best.printedYtdYoyPct;
      // GACC computes its y/y against last year's revised figures: a gap is a signal, not a blocker.
      if (
        measure === MEASURES.value &&
        printed !== undefined &&
        p.yoyPct !== null &&
        Math.abs(printed - p.yoyPct) > 0.6
      ) {
        c.warnings.push(
          `${s.label}, January–${month} ${slot.best.period.slice(0, 4)}: GACC printed ${printed}% y/y but the stored levels give ${p.yoyPct}% (last year's base may have been revised)`,
        );
      }
      points.push(p);
    }
    return { key: s.key, label: s.label, points };
  });
}

async function topPartnerSeries(
  def: ChartDefinition,
  inputs: ChartInputs,
  c: Collector,
): Promise<ChartSeries[]> {
  const period = inputs.latestCrossSectionPeriod(def.unit.currency ?? "");
  if (!period) return def.series.map((s) => ({ key: s.key, label: s.label, points: [] }));
  const kind: ObservationKind = period.includes("/") ? "jan-feb" : "month";
  const slice = { commodity: "TOTAL", currency: def.unit.currency ?? "", kind };
  const [now, yearAgo] = await Promise.all([
    inputs.observations.queryCrossSection({ ...slice, period }),
    inputs.observations.queryCrossSection({ ...slice, period: shiftYear(period, -1) }),
  ]);
  const best = (rows: StoredObservation[]) => {
    const m = new Map<string, StoredObservation>();
    for (const o of rows) {
      if (o.partner.isGrouping || partners.get(o.partner.code)?.grouping) continue;
      const k = `${o.partner.code}|${o.flow}`;
      const have = m.get(k);
      if (!have || VINTAGE_RANK[o.vintage] > VINTAGE_RANK[have.vintage]) m.set(k, o);
    }
    return m;
  };
  const current = best(now);
  const previous = best(yearAgo);
  const rankFlow = def.series[0]?.flow ?? "total";
  const ranked = [...current.values()]
    .filter((o) => o.flow === rankFlow)
    .sort((a, b) => b.value - a.value || a.partner.code.localeCompare(b.partner.code))
    .slice(0, def.top ?? 10)
    .map((o) => o.partner);
  return def.series.map((s) => ({
    key: s.key,
    label: s.label,
    points: ranked.flatMap((p) => {
      const o = current.get(`${p.code}|${s.flow}`);
      if (!o) return [];
      const base = previous.get(`${p.code}|${s.flow}`)?.value;
      const pt = point({ best: o, revised: false }, def.unit.multiplier, base, c, {
        category: p.code,
        categoryLabel: p.nameAsPrinted,
      });
      return pt ? [pt] : [];
    }),
  }));
}

export async function buildChart(def: ChartDefinition, inputs: ChartInputs): Promise<ChartEnvelope> {
  const c = new Collector();
  const builders = { monthly: monthlySeries, "ytd-by-year": ytdSeries, "top-partners": topPartnerSeries };
  const series = await builders[def.type](def, inputs, c);
  const provenance = [...c.provenance.values()].sort(
    (a, b) => a.releaseId.localeCompare(b.releaseId) || a.fetchedAt.localeCompare(b.fetchedAt),
  );
  const periods = series
    .flatMap((s) => s.points.map((p) => p.period))
    .sort((a, b) => chartPeriodOf(a).localeCompare(chartPeriodOf(b)));
  const latestPeriod = periods.at(-1) ?? null;
  const updatedAt =
    provenance
      .map((p) => p.fetchedAt)
      .sort()
      .at(-1) ?? null;
  return {
    schemaVersion: CHART_SCHEMA_VERSION,
    id: def.id,
    chartType: def.type,
    title: def.title,
    subtitle: def.subtitle,
    unit: def.unit,
    source: SOURCE,
    updatedAt,
    latestPeriod,
    nextRelease: latestPeriod ? releaseAfterPeriod("preliminary", latestPeriod) : null,
    series,
    notes: def.notes,
    warnings: c.warnings,
    provenance,
  };
}
