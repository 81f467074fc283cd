/**
 * Facts about a chart's latest period, computed from the chart's own points (so every number in a
 * sentence is a number graphics already publish): the level and its y/y, the previous period's y/y
 * and whether the direction reversed, streaks, highs and lows, the year-to-date total, revisions.
 * Each fact lists the points it uses with their release ids, and the caveats those points carry.
 *
 * January–February is one period: the one before March is the combined release, the one after
 * December, and it is compared only with other combined releases. A claim that would need single
 * months inside a combined release (a "highest since" across it) is not made.
 */
import { periodOrder } from "../periods.js";
import { directionOf } from "./sentences.js";

/** The subset of a chart envelope facts read (structural, so charts with more fields fit). */
export interface FactPointInput {
  period: string;
  /** null in a gap (the chart says why); for January–February, the monthly average of the total. */
  value: number | null;
  yoyPct: number | null;
  vintage?: string | undefined;
  revised?: boolean | undefined;
  /** In the same unit and basis as `value` (halved, like it, for January–February). */
  previousValue?: number | null | undefined;
  combinedMonths?: number | undefined;
  /** January–February: the published two-month total, on both of its average points. */
  combinedValue?: number | undefined;
  releaseId?: string | null | undefined;
  previousReleaseId?: string | null | undefined;
  /** Caveat codes the chart put on the point's computed change (envelope.ts, CaveatCode). */
  caveats?: string[] | undefined;
  /** Ranked charts: the partner's code and name, its rank and its ranks before (envelope.ts). */
  category?: string | undefined;
  categoryLabel?: string | undefined;
  rank?: number | undefined;
  rankPrevious?: EarlierRank | undefined;
  rankYearEarlier?: EarlierRank | undefined;
}

export interface EarlierRank {
  period: string;
  rank: number;
  releaseId: string;
}

export interface FactChart {
  id: string;
  chartType: string;
  title: string;
  unit: { currency: string | null; multiplier: number; label: string; quantityUnit?: string | undefined };
  latestPeriod: string | null;
  series: Array<{ key: string; label: string; points: FactPointInput[] }>;
  /** Ranked charts: the partners (category codes) whose ranks are news (chart definition
   * `factsFor`); without it, the partner ranked first in the first series. */
  focus?: string[] | undefined;
}

/** A point a fact uses: enough to find it in the chart and trace it to its release. */
export interface FactPoint {
  series: string;
  period: string;
  /** Ranked charts: the partner the point is about (a period holds one point per partner). */
  category?: string;
  value: number;
  releaseId: string | null;
}

/**
 * Caveat codes a fact can carry. The chart's own codes on computed changes (yoy-over-100,
 * base-rounded, base-revised, base-combined, base-small: functions/domain/charts/envelope.ts) are
 * carried as they are; these are added from the points themselves.
 */
export type CaveatCode = "combined-months" | "preliminary" | "gaps-in-history" | (string & {});

interface FactBase {
  /** Stable within a chart: kind, series and period (what a fact is about, not what it says). */
  id: string;
  series: string;
  period: string;
  points: FactPoint[];
  caveats: CaveatCode[];
}

export type Fact = FactBase &
  (
    | {
        kind: "change";
        value: number;
        yoyPct: number | null;
        previous?: { period: string; yoyPct: number };
        reversed: boolean;
      }
    | { kind: "streak"; direction: "up" | "down"; length: number; includesCombined: boolean }
    | { kind: "first-since"; direction: "up" | "down"; since: string }
    | { kind: "high-low"; extreme: "high" | "low"; value: number; since: string | null; historyStart: string }
    | { kind: "ytd"; value: number; yoyPct: number | null }
    | {
        kind: "rank";
        /** The partner (category code) and its name as the chart prints it. */
        category: string;
        categoryLabel: string;
        value: number;
        rank: number;
        /** The series' flow, for the words ("trading partner", "source of imports", "export market"). */
        flow: "total" | "imports" | "exports";
        previous?: EarlierRank;
        yearEarlier?: EarlierRank;
      }
    | {
        kind: "revision";
        oldValue: number;
        newValue: number;
        vintage: string;
        oldReleaseId: string | null;
        newReleaseId: string | null;
      }
  );

/** A high or low is news when it beats at least this many earlier periods in a row. */
export const HIGH_LOW_MIN_SPAN = 3;

type Known = FactPointInput & { value: number };

const isCombined = (period: string) => period.includes("/");

export function shiftYear(period: string, years: number): string {
  return period.replace(/^\d{4}/, (y) => String(Number(y) + years));
}

/** The period before `period`, with January–February as one: before March is the combined release
 * (or February, where a series has single months), before the combined release is December. */
export function previousPeriod(period: string, has: (p: string) => boolean = () => false): string {
  const m = /^(\d{4})-(\d{2})/.exec(period);
  if (!m) return period;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (isCombined(period) || month === 1) return `${year - 1}-12`;
  if (month === 2) return `${year}-01`;
  if (month === 3) return has(`${year}-02`) ? `${year}-02` : `${year}-01/02`;
  return `${year}-${String(month - 1).padStart(2, "0")}`;
}

function ref(series: string, p: Known): FactPoint {
  return { series, period: p.period, value: p.value, releaseId: p.releaseId ?? null };
}

/** The caveats a point brings to a fact that uses it: the chart's codes on its computed change
 * (when the fact states that change), plus combined months and a preliminary vintage. */
function caveatsOf(p: Known, statesChange = true): CaveatCode[] {
  // Every code a chart puts on a point is about its computed change (envelope.ts, CaveatCode).
  const out = new Set<CaveatCode>(statesChange ? (p.caveats ?? []) : []);
  if (p.combinedMonths === 2 || isCombined(p.period)) {
    out.add("combined-months");
    out.delete("base-combined"); // said once: "combined-months" covers both years
  }
  if (p.vintage === "preliminary") out.add("preliminary");
  return [...out].sort();
}

/** The points of a series with a value, one per period: a January–February release (two average
 * points in the chart) counts once, at its published total. */
function knownPoints(points: FactPointInput[]): Known[] {
  const out: Known[] = [];
  const seen = new Set<string>();
  for (const p of points) {
    if (typeof p.value !== "number" || seen.has(p.period)) continue;
    seen.add(p.period);
    const months = p.combinedValue !== undefined ? (p.combinedMonths ?? 2) : 1;
    out.push({
      ...p,
      value: p.combinedValue ?? p.value,
      ...(typeof p.previousValue === "number" ? { previousValue: p.previousValue * months } : {}),
    });
  }
  return out.sort((a, b) => order(a.period).localeCompare(order(b.period)));
}

function seriesFacts(chart: FactChart, series: FactChart["series"][number]): Fact[] {
  const known = knownPoints(series.points);
  const byPeriod = new Map(known.map((p) => [p.period, p]));
  const has = (p: string) => byPeriod.has(p);
  const prev = (p: string) => previousPeriod(p, has);
  const facts: Fact[] = [];
  const key = series.key;

  for (const p of known) {
    if (!p.revised || typeof p.previousValue !== "number" || p.previousValue === p.value) continue;
    facts.push({
      id: `revision:${key}:${p.period}`,
      kind: "revision",
      series: key,
      period: p.period,
      points: [ref(key, p)],
      caveats: caveatsOf(p, false),
      oldValue: p.previousValue,
      newValue: p.value,
      vintage: p.vintage ?? "",
      oldReleaseId: p.previousReleaseId ?? null,
      newReleaseId: p.releaseId ?? null,
    });
  }

  // The series' latest figure: the chart's latest period, or before it where that period is a gap.
  const latest = known
    .filter((p) => !chart.latestPeriod || order(p.period) <= order(chart.latestPeriod))
    .at(-1);
  if (!latest) return facts;
  const yearAgo = byPeriod.get(shiftYear(latest.period, -1));
  const base = latest.yoyPct !== null ? yearAgo : undefined;

  if (chart.chartType === "ytd-by-year") {
    facts.unshift({
      id: `ytd:${key}:${latest.period}`,
      kind: "ytd",
      series: key,
      period: latest.period,
      points: base ? [ref(key, latest), ref(key, base)] : [ref(key, latest)],
      caveats: caveatsOf(latest, latest.yoyPct !== null),
      value: latest.value,
      yoyPct: latest.yoyPct,
    });
    return facts;
  }
  if (chart.chartType !== "monthly") return facts;

  // Level, y/y, the previous period's y/y and whether the direction reversed.
  const before = byPeriod.get(prev(latest.period));
  const previous = before && before.yoyPct !== null ? before : undefined;
  const dir = latest.yoyPct === null ? undefined : directionOf(latest.yoyPct);
  const prevDir = previous ? directionOf(previous.yoyPct as number) : undefined;
  const reversed =
    dir !== undefined && prevDir !== undefined && dir !== "flat" && prevDir !== "flat" && dir !== prevDir;
  const head: Fact = {
    id: `change:${key}:${latest.period}`,
    kind: "change",
    series: key,
    period: latest.period,
    points: [ref(key, latest), ...(base ? [ref(key, base)] : [])],
    caveats: caveatsOf(latest, latest.yoyPct !== null),
    value: latest.value,
    yoyPct: latest.yoyPct,
    reversed: false,
  };
  if (head.kind === "change" && previous && latest.yoyPct !== null) {
    head.previous = { period: previous.period, yoyPct: previous.yoyPct as number };
    head.reversed = reversed;
    head.points.push(ref(key, previous));
  }
  const headFacts: Fact[] = [head];

  // Streaks and "the first … since", by y/y direction, over consecutive stored periods only.
  if (dir === "up" || dir === "down") {
    const run: Known[] = [latest];
    let at = latest;
    for (;;) {
      const p = byPeriod.get(prev(at.period));
      if (!p || p.yoyPct === null || directionOf(p.yoyPct) !== dir) break;
      run.push(p);
      at = p;
    }
    if (run.length >= 2) {
      headFacts.push({
        id: `streak:${key}:${latest.period}`,
        kind: "streak",
        series: key,
        period: latest.period,
        points: run.map((p) => ref(key, p)),
        caveats: [...new Set(run.flatMap((p) => caveatsOf(p)))].sort(),
        direction: dir,
        length: run.length,
        includesCombined: run.some((p) => isCombined(p.period)),
      });
    } else if (previous) {
      // Walk back over periods going the other way (or little changed) to the last one going this way.
      let p: Known | undefined = previous;
      while (p && p.yoyPct !== null && directionOf(p.yoyPct) !== dir) p = byPeriod.get(prev(p.period));
      if (p && p.yoyPct !== null && directionOf(p.yoyPct) === dir) {
        headFacts.push({
          id: `first-since:${key}:${latest.period}`,
          kind: "first-since",
          series: key,
          period: latest.period,
          points: [ref(key, latest), ref(key, p)],
          caveats: caveatsOf(latest),
          direction: dir,
          since: p.period,
        });
      }
    }
  }

  // Highs and lows against comparable periods (single months with single months, combined with combined).
  const comparable = known
    .filter((p) => isCombined(p.period) === isCombined(latest.period) && p !== latest)
    .filter((p) => order(p.period) < order(latest.period))
    .sort((a, b) => order(b.period).localeCompare(order(a.period)));
  for (const extreme of ["high", "low"] as const) {
    const beats = (p: Known) => (extreme === "high" ? p.value >= latest.value : p.value <= latest.value);
    const stop = comparable.findIndex(beats);
    const beaten = stop === -1 ? comparable.length : stop;
    if (beaten < HIGH_LOW_MIN_SPAN) continue;
    const caveats = new Set(caveatsOf(latest, false));
    if (stop === -1) {
      const start = comparable.at(-1) as Known;
      if (!continuous(latest.period, start.period, has, prev)) caveats.add("gaps-in-history");
      headFacts.push({
        id: `high-low:${key}:${latest.period}:${extreme}`,
        kind: "high-low",
        series: key,
        period: latest.period,
        points: [ref(key, latest), ref(key, start)],
        caveats: [...caveats].sort(),
        extreme,
        value: latest.value,
        since: null,
        historyStart: start.period,
      });
      continue;
    }
    const since = comparable[stop] as Known;
    // "Highest since X" only holds if every period between is stored and none is a combined release.
    if (!continuous(latest.period, since.period, has, prev)) continue;
    headFacts.push({
      id: `high-low:${key}:${latest.period}:${extreme}`,
      kind: "high-low",
      series: key,
      period: latest.period,
      points: [ref(key, latest), ref(key, since)],
      caveats: [...caveats].sort(),
      extreme,
      value: latest.value,
      since: since.period,
      historyStart: (comparable.at(-1) as Known).period,
    });
  }
  return [...headFacts, ...facts];
}

/** Sort key on a date axis: the combined release sits at February. */
const order = periodOrder;

/** Whether every period from `from` back to `to` is stored, with no combined release between single
 * months (its single months are unknown). Combined releases are a year apart: every year's must be there. */
function continuous(
  from: string,
  to: string,
  has: (p: string) => boolean,
  prev: (p: string) => string,
): boolean {
  if (isCombined(from)) {
    for (let y = Number(from.slice(0, 4)) - 1; y > Number(to.slice(0, 4)); y--)
      if (!has(`${y}-01/02`)) return false;
    return true;
  }
  let at = prev(from);
  while (order(at) > order(to)) {
    if (!has(at) || isCombined(at)) return false;
    at = prev(at);
  }
  return at === to;
}

/** A ranked chart's series flow, read from its key or label ("total", "imports", "exports"). */
function flowOf(series: FactChart["series"][number]): "total" | "imports" | "exports" {
  const text = `${series.key} ${series.label}`.toLowerCase();
  if (/\bimports?\b/.test(text)) return "imports";
  if (/\bexports?\b/.test(text)) return "exports";
  return "total";
}

/**
 * Ranked charts (top partners): for each partner in focus, per series, its rank in the chart's
 * period, with its rank in the period before and a year earlier where the chart carries them.
 */
function rankFacts(chart: FactChart): Fact[] {
  const first = chart.series[0]?.points.find((p) => p.rank === 1 && typeof p.value === "number");
  const focus = chart.focus ?? (first?.category ? [first.category] : []);
  const facts: Fact[] = [];
  for (const code of focus) {
    for (const s of chart.series) {
      const p = s.points.find((x) => x.category === code);
      if (!p || typeof p.value !== "number" || p.rank === undefined) continue;
      const known = p as Known;
      facts.push({
        id: `rank:${s.key}:${p.period}:${code}`,
        kind: "rank",
        series: s.key,
        period: p.period,
        points: [{ ...ref(s.key, known), category: code }],
        caveats: caveatsOf(known, false),
        category: code,
        categoryLabel: p.categoryLabel ?? code,
        value: p.value,
        rank: p.rank,
        flow: flowOf(s),
        ...(p.rankPrevious ? { previous: p.rankPrevious } : {}),
        ...(p.rankYearEarlier ? { yearEarlier: p.rankYearEarlier } : {}),
      });
    }
  }
  return facts;
}

/** Every fact about a chart: per series, the latest period's facts first, then revisions. */
export function computeFacts(chart: FactChart): Fact[] {
  if (chart.chartType === "top-partners") return rankFacts(chart);
  return chart.series.flatMap((s) => seriesFacts(chart, s));
}
