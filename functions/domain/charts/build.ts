/**
 * Builds chart envelopes from stored levels. Derived numbers (single-month y/y, Jan–Feb comparisons)
 * are computed here, at publish time; a printed year-to-date y/y is never shown as a monthly one.
 * Everything is a pure function of stored data and stored releases, so a re-run publishes
 * byte-identical files.
 *
 * What graphics consumers rely on (docs/graphics.md):
 * - every month of a time series' span is present; a month with no figure is a null point with a
 *   reason, so every tool breaks the line there (never interpolated);
 * - GACC's combined January–February figure is shown as its monthly average at both months
 *   (flagged, the exact total beside it), so a line chart shows no two-month spike;
 * - every point names the release (and page version) it comes from;
 * - computed changes that need care carry caveat codes and a warning in words.
 */

import { releaseAfterPeriod } from "../calendar.js";
import { type ObservationKind, type Provenance, type Revision, VINTAGE_RANK } from "../model.js";
import { partners } from "../partners.js";
import { periodOrder } from "../periods.js";
import { type ObservationStore, type StoredObservation, seriesKeyOf } from "../ports.js";
import {
  BULLETIN_BY_COUNTRY_TABLE,
  BY_COUNTRY_TABLE,
  MAJOR_EXPORTS_TABLE,
  MAJOR_IMPORTS_TABLE,
  QUERY_TABLE,
} from "../table-ids.js";
import { chartAmount, MONTH_NAMES, periodName } from "../wording.js";
import type { ChartDefinition, SeriesDefinition } from "./definitions.js";
import type { CaveatCode, ChartEnvelope, ChartPoint, ChartSeries, MissingReason } from "./envelope.js";
import { CHART_SCHEMA_VERSION } from "./envelope.js";

/** A stored release as chart building sees it: what period it covers and whether its figures count. */
export interface ChartRelease {
  table: string;
  currency: string;
  period: string;
  /** Its figures (of this or an earlier version of its page) are in the store. */
  publishable: boolean;
  /** Its latest page was held back by a check and waits for an editor. */
  heldBack: boolean;
}

export interface ChartInputs {
  observations: Pick<ObservationStore, "querySeries" | "queryCrossSection">;
  /** Every stored release (publishable or held back): spans, gap reasons, updatedAt, nextRelease. */
  releases: ChartRelease[];
}

/** Where a period sits on a date axis: "2023-01/02" → "2023-02". */
export const chartPeriodOf = periodOrder;

/** "January–November" for a year-to-date total ending in month "11" ("January" for "01"). */
export function ytdMonthsLabel(month: string): string {
  const to = MONTH_NAMES[Number(month) - 1] ?? month;
  return month === "01" ? to : `January–${to}`;
}

function addMonth(chartPeriod: string, n: number): string {
  const y = Number(chartPeriod.slice(0, 4));
  const m = Number(chartPeriod.slice(5, 7)) - 1 + n;
  const year = y + Math.floor(m / 12);
  return `${year}-${String((((m % 12) + 12) % 12) + 1).padStart(2, "0")}`;
}

/** The release period that would hold a chart month: January and February come out as "YYYY-01/02". */
function releasePeriodsFor(chartPeriod: string): string[] {
  const [y, m] = [chartPeriod.slice(0, 4), chartPeriod.slice(5, 7)];
  return m === "01" || m === "02" ? [`${y}-01/02`, chartPeriod] : [chartPeriod];
}

type Slot = {
  best: StoredObservation;
  previous?: number;
  previousRelease?: Provenance;
  revised: boolean;
  /** The latest revision changed the figure's reading (an upload's flow an editor corrected). */
  replacedReading?: Revision["replacedReading"];
};

/** One value per (kind, period): the highest vintage wins (bulletin over preliminary); revisions flagged. */
async function loadSlots(inputs: ChartInputs, seriesKey: string, c: Collector): Promise<Map<string, Slot>> {
  const { observations, revisions } = await inputs.observations.querySeries(seriesKey);
  c.saw(observations);
  const slots = new Map<string, Slot>();
  const sorted = [...observations].sort((a, b) => VINTAGE_RANK[a.vintage] - VINTAGE_RANK[b.vintage]);
  for (const o of sorted) {
    const key = `${o.kind}|${o.period}`;
    const lower = slots.get(key);
    // A later vintage replacing a different earlier value is a revision readers should see.
    const changed = lower !== undefined && lower.best.value !== o.value;
    slots.set(key, {
      best: o,
      previous: changed ? lower.best.value : undefined,
      previousRelease: changed ? lower.best.provenance : undefined,
      revised: changed,
    });
  }
  for (const r of [...revisions].sort((a, b) => a.revisedAt.localeCompare(b.revisedAt))) {
    const slot = slots.get(`${r.kind}|${r.period}`);
    if (slot && slot.best.vintage === r.vintage && slot.best.value === r.newValue) {
      slot.revised = true;
      slot.previous = r.oldValue;
      slot.previousRelease = r.oldRelease;
      slot.replacedReading = r.replacedReading;
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

/** Which stored releases a chart's numbers come from (its "source set"). */
function inScope(def: ChartDefinition): (r: ChartRelease) => boolean {
  const wanted = new Set<string>();
  for (const s of def.series) {
    const currency = s.currency ?? def.unit.currency ?? "";
    const tables = s.commodity === "TOTAL" ? [BY_COUNTRY_TABLE, BULLETIN_BY_COUNTRY_TABLE] : [];
    if (s.commodity.startsWith("cat:"))
      tables.push(s.flow === "exports" ? MAJOR_EXPORTS_TABLE : MAJOR_IMPORTS_TABLE);
    else if (s.commodity !== "TOTAL") tables.push(QUERY_TABLE);
    for (const t of tables) wanted.add(`${t}|${currency}`);
  }
  return (r) => wanted.has(`${r.table}|${r.currency}`);
}

/** Why a chart month has no figure, judged from the releases stored for it. */
function missingReason(releases: ChartRelease[], chartPeriod: string): MissingReason {
  const periods = releasePeriodsFor(chartPeriod);
  const at = releases.filter((r) => periods.includes(r.period));
  if (at.some((r) => r.heldBack)) return "held-back";
  if (at.some((r) => r.publishable)) return "not-published";
  return "not-fetched";
}

class Collector {
  readonly provenance = new Map<string, Provenance>();
  readonly warnings: string[] = [];
  /** Latest fetch time of any figure read for the chart (shown or not): charts that read the same
   * series share it, and it moves only when stored figures do. */
  latestFetch = "";
  saw(observations: StoredObservation[]): void {
    for (const o of observations)
      if (o.provenance.fetchedAt > this.latestFetch) this.latestFetch = o.provenance.fetchedAt;
  }
  add(p: Provenance): void {
    this.provenance.set(`${p.releaseId}|${p.sha256}`, p);
  }
}

type Measure = (o: StoredObservation) => number | undefined;
const MEASURES: Record<"value" | "quantity", Measure> = {
  value: (o) => o.value,
  quantity: (o) => o.quantity?.value,
};
const measureOf = (s: SeriesDefinition): Measure => MEASURES[s.measure ?? "value"];

/** A base below this share of a series' median level makes a percentage change large by arithmetic. */
const SMALL_BASE_SHARE = 0.1;
/** A base's rounding that could move the change by more than this many points is flagged. */
const ROUNDING_POINTS = 1;

/** Relative half-width of the rounding in a printed figure: "5000.0" (rounded to thousands) → 0.1. */
export function printedRoundingShare(printed: string): number | undefined {
  const text = printed.replace(/,/g, "").trim();
  const m = /^-?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const [int = "", dec = ""] = [m[1], m[2]];
  const number = Math.abs(Number(text));
  if (number === 0) return undefined;
  // Decimal digits that are not all zero set the precision; otherwise the integer's trailing zeros do.
  const step = /[1-9]/.test(dec)
    ? 10 ** -dec.replace(/0+$/, "").length
    : 10 ** (int.length - int.replace(/0+$/, "").length);
  return step / 2 / number;
}

/** The base behind a computed y/y, with what is known about it. */
interface Base {
  obs: StoredObservation;
  level: number;
  revised: boolean;
}

function caveatsFor(
  def: ChartDefinition,
  level: number,
  yoyPct: number | null,
  base: Base | undefined,
  median: number,
) {
  const codes: CaveatCode[] = [];
  const words: string[] = [];
  if (yoyPct === null || !base) return { codes, words };
  if (Math.abs(yoyPct) > 100) {
    codes.push("yoy-over-100");
    words.push(`a change of more than 100% is rare and usually says more about the base than the month`);
  }
  const share = base.obs.value === base.level ? printedRoundingShare(base.obs.printed.value) : undefined;
  if (share !== undefined) {
    const points = Math.abs(level / base.level) * share * 100;
    if (points > ROUNDING_POINTS) {
      codes.push("base-rounded");
      words.push(
        `the figure a year earlier was published rounded (${chartAmount(base.level / def.unit.multiplier, def.unit.label)}), so the change could be off by about ${Math.round(points)} percentage points`,
      );
    }
  }
  if (base.revised) {
    codes.push("base-revised");
    words.push("the figure a year earlier was revised after it was first published");
  }
  if (base.obs.kind === "jan-feb") {
    codes.push("base-combined");
    words.push("it compares two-month January–February totals, as China's customs publishes them");
  }
  if (median > 0 && Math.abs(base.level) < median * SMALL_BASE_SHARE) {
    codes.push("base-small");
    words.push("the figure a year earlier was unusually small");
  }
  return { codes, words };
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return 0;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] ?? 0) : ((v[mid - 1] ?? 0) + (v[mid] ?? 0)) / 2;
}

interface PointInput {
  slot: Slot;
  def: ChartDefinition;
  seriesLabel: string;
  measure: Measure;
  base: Base | undefined;
  median: number;
  c: Collector;
}

/** The observed point for a slot (with its release, revision and caveats), or undefined without a level. */
function observedPoint(input: PointInput, extra: Partial<ChartPoint> = {}): ChartPoint | undefined {
  const { slot, def, measure, base, c } = input;
  const o = slot.best;
  const level = measure(o);
  if (level === undefined) return undefined;
  const multiplier = def.unit.multiplier;
  const yoyPct = yoy(level, base?.level);
  const caveats = caveatsFor(def, level, yoyPct, base, input.median);
  c.add(o.provenance);
  const p: ChartPoint = {
    period: o.period,
    chartPeriod: chartPeriodOf(o.period),
    periodLabel: periodName(o.period),
    ...extra,
    value: level / multiplier,
    valueBasis: "observed",
    yoyPct,
    ...(caveats.codes.length ? { caveats: caveats.codes } : {}),
    vintage: o.vintage,
    revised: slot.revised,
    releaseId: o.provenance.releaseId,
    sha256: o.provenance.sha256,
  };
  // Revisions are tracked on values; a quantity chart shows the flag but not a previous value.
  if (slot.previous !== undefined && measure === MEASURES.value) {
    p.previousValue = slot.previous / multiplier;
    if (slot.previousRelease) {
      c.add(slot.previousRelease);
      p.previousReleaseId = slot.previousRelease.releaseId;
      p.previousSha256 = slot.previousRelease.sha256;
    }
  }
  if (slot.replacedReading && slot.previousRelease) {
    c.warnings.push(
      `${input.seriesLabel}, ${periodName(o.period)}: the uploaded file was first read as China's ${slot.replacedReading.flow} (${slot.previousRelease.releaseId}); ${slot.replacedReading.by} replaced that reading (${o.provenance.releaseId}).`,
    );
  }
  if (caveats.words.length) {
    const sign = yoyPct !== null && yoyPct > 0 ? "+" : "";
    const where = `${input.seriesLabel}${p.categoryLabel ? `, ${p.categoryLabel}` : ""}, ${periodName(o.period)}`;
    c.warnings.push(`${where}: ${sign}${yoyPct}% from a year earlier; ${caveats.words.join("; ")}.`);
  }
  return p;
}

/** The two average points of a combined January–February figure (value halved, total kept exact). */
function averagePoints(p: ChartPoint, level: number, multiplier: number): ChartPoint[] {
  const year = p.period.slice(0, 4);
  const label = `${periodName(p.period)}, monthly average`;
  return ["01", "02"].map((m) => ({
    ...p,
    chartPeriod: `${year}-${m}`,
    periodLabel: label,
    value: level / 2 / multiplier,
    valueBasis: "average-of-combined" as const,
    ...(p.previousValue !== undefined ? { previousValue: p.previousValue / 2 } : {}),
    combinedMonths: 2,
    combinedValue: level / multiplier,
  }));
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

interface Context {
  releases: ChartRelease[];
  /** The end of every series' span: the latest period of the chart's releases (or of its data). */
  end: string | undefined;
  c: Collector;
}

function baseOf(slots: Map<string, Slot>, kind: ObservationKind, period: string, measure: Measure) {
  const slot = slots.get(`${kind}|${shiftYear(period, -1)}`);
  const level = slot && measure(slot.best);
  return slot && level !== undefined ? { obs: slot.best, level, revised: slot.revised } : undefined;
}

async function monthlySeries(
  def: ChartDefinition,
  inputs: ChartInputs,
  ctx: Context,
): Promise<ChartSeries[]> {
  const out: ChartSeries[] = [];
  for (const s of def.series) {
    const slots = await loadSlots(inputs, seriesKeyFor(def, s, s.partner ?? "WORLD"), ctx.c);
    const measure = measureOf(s);
    const levels = [...slots.values()]
      .filter((x) => x.best.kind === "month")
      .map((x) => Math.abs(measure(x.best) ?? 0));
    const med = median(levels);
    const byMonth = new Map<string, ChartPoint>();
    // Observed months first: an observed month wins over a January–February average at its place.
    const ordered = [...slots.values()]
      .filter((x) => x.best.kind !== "ytd")
      .sort((a, b) => (a.best.kind === "month" ? 0 : 1) - (b.best.kind === "month" ? 0 : 1));
    for (const slot of ordered) {
      const kind = slot.best.kind;
      const base = baseOf(slots, kind, slot.best.period, measure);
      const input = { slot, def, seriesLabel: s.label, measure, base, median: med, c: ctx.c };
      const p = observedPoint(input);
      if (!p) continue;
      const level = measure(slot.best) ?? 0;
      const points = kind === "jan-feb" ? averagePoints(p, level, def.unit.multiplier) : [p];
      for (const x of points) if (!byMonth.has(x.chartPeriod)) byMonth.set(x.chartPeriod, x);
    }
    const months = [...byMonth.keys()].sort();
    const first = months[0];
    const last = [months.at(-1), ctx.end && chartPeriodOf(ctx.end)]
      .filter((x): x is string => !!x)
      .sort()
      .at(-1);
    const points: ChartPoint[] = [];
    for (let m = first; m && last && m <= last; m = addMonth(m, 1)) {
      points.push(
        byMonth.get(m) ?? {
          period: m,
          chartPeriod: m,
          periodLabel: periodName(m),
          value: null,
          missing: missingReason(ctx.releases, m),
          yoyPct: null,
        },
      );
    }
    out.push({ key: s.key, label: s.label, points });
  }
  return out;
}

async function ytdSeries(def: ChartDefinition, inputs: ChartInputs, ctx: Context): Promise<ChartSeries[]> {
  const loaded = await Promise.all(
    def.series.map(async (s) => ({
      s,
      slots: await loadSlots(inputs, seriesKeyFor(def, s, s.partner ?? "WORLD"), ctx.c),
    })),
  );
  // The months compared end at the latest month with a year-to-date figure in any series (the latest
  // release may print none); each year is that same span of months.
  const end = loaded
    .flatMap(({ slots }) =>
      [...slots.values()]
        .filter((x) => x.best.kind === "ytd" || x.best.kind === "jan-feb")
        .map((x) => chartPeriodOf(x.best.period)),
    )
    .sort()
    .at(-1);
  if (!end) return def.series.map((s) => ({ key: s.key, label: s.label, points: [] }));
  const month = end.slice(5, 7);
  const ytdSlot = (slots: Map<string, Slot>, year: number) =>
    slots.get(`ytd|${year}-${month}`) ?? (month === "02" ? slots.get(`jan-feb|${year}-01/02`) : undefined);
  return loaded.map(({ s, slots }) => {
    const measure = measureOf(s);
    const years = [...slots.values()]
      .filter((x) => ytdSlot(slots, Number(x.best.period.slice(0, 4))) === x)
      .map((x) => Number(x.best.period.slice(0, 4)));
    const firstYear = Math.min(...years);
    const points: ChartPoint[] = [];
    if (years.length === 0) return { key: s.key, label: s.label, points };
    for (let y = firstYear; y <= Number(end.slice(0, 4)); y++) {
      const label = `${ytdMonthsLabel(month)} ${y}`;
      const slot = ytdSlot(slots, y);
      const baseSlot = ytdSlot(slots, y - 1);
      const baseLevel = baseSlot && measure(baseSlot.best);
      const base =
        baseSlot && baseLevel !== undefined
          ? { obs: baseSlot.best, level: baseLevel, revised: baseSlot.revised }
          : undefined;
      const p =
        slot &&
        observedPoint(
          { slot, def, seriesLabel: s.label, measure, base, median: 0, c: ctx.c },
          { periodLabel: label },
        );
      if (!slot || !p) {
        const period = `${y}-${month}`;
        points.push({
          period,
          chartPeriod: period,
          periodLabel: label,
          value: null,
          missing: missingReason(ctx.releases, period),
          yoyPct: null,
        });
        continue;
      }
      p.chartPeriod = `${y}-${month}`;
      p.periodLabel = label;
      const printed = slot.best.printedYtdYoyPct;
      // GACC computes its y/y against last year's revised figures: a gap is a signal, not a blocker.
      if (
        measure === MEASURES.value &&
        printed !== undefined &&
        p.yoyPct !== null &&
        Math.abs(printed - p.yoyPct) > 0.6
      ) {
        ctx.c.warnings.push(
          `${s.label}, ${label}: China's customs printed ${printed}% from a year earlier, but the figures stored give ${p.yoyPct}% (last year's figure may have been revised).`,
        );
      }
      points.push(p);
    }
    return { key: s.key, label: s.label, points };
  });
}

/** The cross-section period before `period` for ranks: the month before, with January–February as
 * one (before March is February where stored as a month, else the combined release). */
function previousCrossSection(
  period: string,
  hasFebruary: boolean,
): { period: string; kind: ObservationKind } {
  const year = Number(period.slice(0, 4));
  const month = period.includes("/") ? 1 : Number(period.slice(5, 7));
  if (month === 1) return { period: `${year - 1}-12`, kind: "month" };
  if (month === 3 && !hasFebruary) return { period: `${year}-01/02`, kind: "jan-feb" };
  return { period: `${year}-${String(month - 1).padStart(2, "0")}`, kind: "month" };
}

/** Each country's rank (1 = largest) by one flow in a cross-section; groupings are not ranked. */
function ranksOf(
  rows: Map<string, StoredObservation>,
  flow: string,
): Map<string, StoredObservation & { rank: number }> {
  const ranked = [...rows.values()]
    .filter((o) => o.flow === flow)
    .sort((a, b) => b.value - a.value || a.partner.code.localeCompare(b.partner.code));
  return new Map(ranked.map((o, i) => [o.partner.code, { ...o, rank: i + 1 }]));
}

async function topPartnerSeries(
  def: ChartDefinition,
  inputs: ChartInputs,
  ctx: Context,
): Promise<ChartSeries[]> {
  const period = ctx.end;
  if (!period) return def.series.map((s) => ({ key: s.key, label: s.label, points: [] }));
  const kindOf = (p: string): ObservationKind => (p.includes("/") ? "jan-feb" : "month");
  const slice = { commodity: "TOTAL", currency: def.unit.currency ?? "" };
  const cross = (p: string, kind: ObservationKind = kindOf(p)) =>
    inputs.observations.queryCrossSection({ ...slice, kind, period: p });
  const yearAgoPeriod = shiftYear(period, -1);
  const [now, yearAgo] = await Promise.all([cross(period), cross(yearAgoPeriod)]);
  // The period before, for moves in rank: February as a month where stored, else January–February.
  let before = previousCrossSection(period, true);
  let earlier = await cross(before.period, before.kind);
  if (earlier.length === 0 && before.period.endsWith("-02")) {
    before = previousCrossSection(period, false);
    earlier = await cross(before.period, before.kind);
  }
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
  ctx.c.saw([...now, ...yearAgo]);
  const current = best(now);
  const previous = best(yearAgo);
  const prior = best(earlier);
  const rankFlow = def.series[0]?.flow ?? "total";
  const ranked = [...ranksOf(current, rankFlow).values()].slice(0, def.top ?? 10).map((o) => o.partner);
  return def.series.map((s) => {
    // Ranks among every country the table lists (not only those shown), by this series' flow.
    const rankNow = ranksOf(current, s.flow);
    const rankYearAgo = ranksOf(previous, s.flow);
    const rankBefore = ranksOf(prior, s.flow);
    const earlierRank = (r: Map<string, StoredObservation & { rank: number }>, code: string) => {
      const o = r.get(code);
      if (!o) return undefined;
      ctx.c.add(o.provenance);
      return { period: o.period, rank: o.rank, releaseId: o.provenance.releaseId };
    };
    return {
      key: s.key,
      label: s.label,
      points: ranked.flatMap((p) => {
        const o = current.get(`${p.code}|${s.flow}`);
        if (!o) return [];
        const b = previous.get(`${p.code}|${s.flow}`);
        const rank = rankNow.get(p.code)?.rank;
        const rankPrevious = earlierRank(rankBefore, p.code);
        const rankYearEarlier = earlierRank(rankYearAgo, p.code);
        const pt = observedPoint(
          {
            slot: { best: o, revised: false },
            def,
            seriesLabel: s.label,
            measure: MEASURES.value,
            base: b && { obs: b, level: b.value, revised: false },
            median: 0,
            c: ctx.c,
          },
          {
            category: p.code,
            categoryLabel: p.nameAsPrinted,
            ...(rank !== undefined ? { rank } : {}),
            ...(rankPrevious ? { rankPrevious } : {}),
            ...(rankYearEarlier ? { rankYearEarlier } : {}),
          },
        );
        return pt ? [pt] : [];
      }),
    };
  });
}

/** The subtitle with its `{period}` filled: the month shown, or the months every total covers. */
function subtitleOf(def: ChartDefinition, latestPeriod: string | null, ytdMonth: string): string {
  if (!def.subtitle.includes("{period}")) return def.subtitle;
  const words = ytdMonth
    ? ytdMonthsLabel(ytdMonth)
    : latestPeriod
      ? periodName(latestPeriod)
      : "the latest month";
  return def.subtitle.replace("{period}", words);
}

/** Why a chart has nothing to show yet (index.json says it; no files are written). */
export function awaitingDataReason(def: ChartDefinition, releases: ChartRelease[]): string {
  const mine = releases.filter(inScope(def));
  if (mine.length === 0)
    return def.series.some((s) => s.commodity !== "TOTAL" && !s.commodity.startsWith("cat:"))
      ? "No query-platform export for this chart has been uploaded yet."
      : "No release this chart is built from has been fetched yet.";
  if (mine.every((r) => !r.publishable))
    return "Every release this chart is built from is held back by a check, waiting for an editor.";
  return "The releases that have come in hold none of the figures this chart shows yet.";
}

const byChartPeriod = (a: string, b: string) => chartPeriodOf(a).localeCompare(chartPeriodOf(b));

export async function buildChart(def: ChartDefinition, inputs: ChartInputs): Promise<ChartEnvelope> {
  const c = new Collector();
  const releases = inputs.releases.filter(inScope(def));
  const publishable = releases.filter((r) => r.publishable);
  const end = publishable
    .map((r) => r.period)
    .sort(byChartPeriod)
    .at(-1);
  const builders = { monthly: monthlySeries, "ytd-by-year": ytdSeries, "top-partners": topPartnerSeries };
  const series = await builders[def.type](def, inputs, { releases, end, c });
  const provenance = [...c.provenance.values()].sort(
    (a, b) => a.releaseId.localeCompare(b.releaseId) || a.fetchedAt.localeCompare(b.fetchedAt),
  );
  const hasData = series.some((s) => s.points.some((p) => p.value !== null));
  // One truth per run: charts built from the same releases share latestPeriod, updatedAt, nextRelease.
  const latestPeriod = hasData
    ? (end ??
      series
        .flatMap((s) => s.points.map((p) => p.period))
        .sort(byChartPeriod)
        .at(-1) ??
      null)
    : null;
  const updatedAt = hasData ? c.latestFetch || null : null;
  // Year-to-date charts: every point totals the same months (those of the latest year-to-date figure).
  // (From any series: the first may print no total for these months.)
  const ytdMonth =
    def.type === "ytd-by-year" && hasData
      ? (series.flatMap((s) => s.points)[0]?.chartPeriod.slice(5, 7) ?? "")
      : "";
  const kind = def.series.some((s) => s.commodity !== "TOTAL" && !s.commodity.startsWith("cat:"))
    ? "query"
    : "preliminary";
  return {
    schemaVersion: CHART_SCHEMA_VERSION,
    id: def.id,
    chartType: def.type,
    title: def.title,
    subtitle: subtitleOf(def, latestPeriod, ytdMonth),
    unit: def.unit,
    source: def.source,
    updatedAt,
    latestPeriod,
    nextRelease: latestPeriod ? releaseAfterPeriod(kind, latestPeriod) : null,
    ...(ytdMonth ? { ytdMonths: { from: "01", to: ytdMonth, label: ytdMonthsLabel(ytdMonth) } } : {}),
    series,
    notes: [
      ...def.notes,
      // Figures an editor accepted after review say so, with how they were read.
      ...provenance
        .filter((p) => p.acceptedAfterReview)
        .map((p) => `Figures of GACC release ${p.releaseId} were ${p.acceptedAfterReview}.`),
    ],
    methodology: def.methodology,
    warnings: [...new Set(c.warnings)],
    provenance,
  };
}
