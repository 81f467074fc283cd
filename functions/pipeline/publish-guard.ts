/**
 * The publish guard: a last look at each chart before its files replace the ones graphics load. A
 * chart is held back (its files are not written; the last published ones stay) when, compared with
 * the chart as published:
 *
 * - it would lose points it had (a month of a monthly series; a year of a year-to-date chart while its
 *   months are the same; a whole series), or
 * - a value it had moves by more than `maxMovePct` (25%) without a matching revision: the point is
 *   not marked revised from exactly the value published (a GACC revision recorded in the store, or a
 *   later vintage replacing an earlier one, marks it so), or
 * - its unit changed (currency, multiplier or quantity unit): every value would move.
 *
 * A held chart is recorded (ChartHoldStore, one record per chart: what was held, why, when) and
 * reported in the publish report; it stays held until an editor accepts exactly that version
 * (acceptHeldChart, keyed by the sha256 of the chart file that was held). The next publish then
 * writes it. If the data change again before that, the new version is judged afresh.
 *
 * Ranked charts (top partners) are compared value by value only: which partners make the top list
 * changes with the period.
 */

import type { ChartHold, GuardFinding } from "../domain/chart-holds.js";
import { type ChartEnvelope, type ChartPoint, publishedAmount } from "../domain/charts/envelope.js";
import { PipelineError } from "../domain/errors.js";
import type { ChartHoldStore } from "../domain/ports.js";
import { sha256Hex } from "../domain/sha256.js";
import { chartAmount, periodName, plural } from "../domain/wording.js";

export interface PublishGuardPolicy {
  /** A published value may move by at most this many percent without a matching revision. */
  maxMovePct: number;
}

export const DEFAULT_PUBLISH_GUARD: PublishGuardPolicy = { maxMovePct: 25 };

/** The chart is not held back (nothing to accept), or the version held is not the one named. */
export class NoHeldChart extends PipelineError {
  readonly code = "NO_HELD_CHART";
  readonly retryable = false;
}

/** A point's place: its partner in ranked charts, its month on the axis in time series (the two
 * average points of a January–February total share a period, never a month). */
function placeKey(p: ChartPoint): string {
  return p.category ? `${p.category}|${p.period}` : `|${p.chartPeriod}`;
}

/** The published amount a point's previous value stood for (a Jan–Feb average's is the total's). */
function previousAmount(p: ChartPoint): number | undefined {
  if (p.previousValue === undefined) return undefined;
  return p.combinedValue !== undefined ? p.previousValue * 2 : p.previousValue;
}

/** A point as an editor names it: "Imports from Russia, October 2023"; in ranked charts with its partner. */
function pointLabel(seriesLabel: string, p: ChartPoint): string {
  return `${seriesLabel}, ${p.categoryLabel ? `${p.categoryLabel}, ` : ""}${periodName(p.period)}`;
}

/** Where a lost point was: "August 2023", or "Russia, August 2023" in ranked charts. */
function placeName(p: ChartPoint): string {
  const who = p.categoryLabel ?? p.category;
  return `${who ? `${who}, ` : ""}${periodName(p.period)}`;
}

/** Which points must survive a republish: by period (and category) in time series; in year-to-date
 * charts only while the months compared stay the same; never in ranked charts. */
function survivorKey(chart: ChartEnvelope, previous: ChartEnvelope, p: ChartPoint): string | undefined {
  if (chart.chartType === "top-partners") return undefined;
  if (chart.chartType === "ytd-by-year") {
    const month = (x: ChartEnvelope) => x.latestPeriod?.slice(5) ?? "";
    if (month(chart) !== month(previous)) return undefined;
  }
  return `${p.category ?? ""}|${p.period}`;
}

/**
 * Compares a chart about to be published with the one published before. Returns the reasons to hold
 * it back (none: publish). Pure: no clock, no store.
 */
export function guardChart(
  previous: ChartEnvelope | undefined,
  next: ChartEnvelope,
  policy: PublishGuardPolicy = DEFAULT_PUBLISH_GUARD,
): GuardFinding[] {
  if (!previous) return [];
  const findings: GuardFinding[] = [];
  const unitOf = (c: ChartEnvelope) =>
    `${c.unit.currency ?? "-"} × ${c.unit.multiplier}${c.unit.quantityUnit ? ` (${c.unit.quantityUnit})` : ""}`;
  if (unitOf(previous) !== unitOf(next)) {
    findings.push({
      check: "unit-changed",
      message: `the chart would change its unit from ${previous.unit.label} to ${next.unit.label}, so every figure on it would move`,
      detail: `unit ${unitOf(previous)} → ${unitOf(next)}`,
    });
  }
  // Raw amounts for "Details": base units (dollars, yuan) when the chart is in a currency.
  const base = (v: number) => v * next.unit.multiplier;
  const currency = next.unit.currency ?? undefined;
  for (const before of previous.series) {
    const after = next.series.find((s) => s.key === before.key);
    const afterByPoint = new Map((after?.points ?? []).map((p) => [placeKey(p), p]));
    const lost: string[] = [];
    for (const old of before.points) {
      const was = publishedAmount(old);
      if (was === null) continue;
      const now = afterByPoint.get(placeKey(old));
      const is = now ? publishedAmount(now) : null;
      if (!now || is === null) {
        if (survivorKey(next, previous, old) !== undefined) lost.push(placeName(old));
        continue;
      }
      if (unitOf(previous) !== unitOf(next) || is === was) continue;
      const movePct = was === 0 ? Number.POSITIVE_INFINITY : (Math.abs(is - was) / Math.abs(was)) * 100;
      if (movePct <= policy.maxMovePct) continue;
      const documented = now.revised && previousAmount(now) === was;
      if (documented) continue;
      const change = Number.isFinite(movePct)
        ? `${is > was ? "up" : "down"} ${Math.round(movePct)}%`
        : "up from zero";
      findings.push({
        check: "value-moved",
        message:
          `${pointLabel(before.label, old)} would move from ${chartAmount(was, next.unit.label)} to ` +
          `${chartAmount(is, next.unit.label)} (${change}, more than ${policy.maxMovePct}%), and GACC has not marked it as a revision`,
        amounts: { published: base(was), candidate: base(is) },
        currency,
        detail: `series ${before.key} at ${old.category ?? old.chartPeriod}: ${was} → ${is} in chart units`,
      });
    }
    const hadPoints = before.points.some((p) => publishedAmount(p) !== null);
    if (!after && hadPoints) {
      findings.push({
        check: "points-lost",
        message: `"${before.label}" would disappear from the chart, with its ${plural(before.points.length, "figure")}`,
        detail: `series ${before.key} missing from the new version`,
      });
    } else if (lost.length > 0) {
      const shown = lost.slice(0, 6).join("; ");
      findings.push({
        check: "points-lost",
        message: `"${before.label}" would lose ${lost.length === 1 ? "a figure" : plural(lost.length, "figure")} it shows now (${shown}${lost.length > 6 ? "; …" : ""})`,
      });
    }
  }
  return findings;
}

/** A guard finding as the run's log says it: a broken chart file by what broke (its detail), else its words. */
export function logText(f: GuardFinding): string {
  return f.check === "inconsistent" && f.detail ? f.detail : f.message;
}

/** What publish does with a chart the guard looked at. */
export type GuardDecision =
  | { publish: true; hold?: ChartHold | undefined }
  | { publish: false; hold: ChartHold };

/**
 * Decides whether a chart's new version may be written, and the hold record that goes with the
 * decision (to be saved): publish when the guard finds nothing, or when an editor accepted exactly
 * this version; otherwise hold it.
 */
export function decide(input: {
  chartId: string;
  previous: ChartEnvelope | undefined;
  next: ChartEnvelope;
  /** The chart JSON that would be written. */
  body: string;
  existing: ChartHold | undefined;
  now: Date;
  policy?: PublishGuardPolicy;
}): GuardDecision {
  const { chartId, previous, next, body, existing, now } = input;
  const at = now.toISOString();
  const findings = [...chartConsistency(next), ...guardChart(previous, next, input.policy)];
  const sha = sha256Hex(body);
  const open = existing && existing.status !== "released" ? existing : undefined;
  if (findings.length === 0) {
    // Nothing to hold; a hold still open no longer applies (the data changed back, or moved on).
    return {
      publish: true,
      hold: open ? { ...open, status: "released", releasedAt: at, updatedAt: at } : undefined,
    };
  }
  if (open?.status === "accepted" && open.candidateSha256 === sha) {
    return { publish: true, hold: { ...open, status: "released", releasedAt: at, updatedAt: at } };
  }
  const sameCandidate = open?.status === "held" && open.candidateSha256 === sha;
  return {
    publish: false,
    hold: {
      chartId,
      status: "held",
      candidateSha256: sha,
      published: { latestPeriod: previous?.latestPeriod ?? null, updatedAt: previous?.updatedAt ?? null },
      candidate: { latestPeriod: next.latestPeriod, updatedAt: next.updatedAt },
      reasons: findings,
      heldAt: sameCandidate ? open.heldAt : at,
      updatedAt: sameCandidate ? open.updatedAt : at,
    },
  };
}

/**
 * Why an editor cannot accept `hold` as the version of `chartId` they looked at (`candidateSha256`), in
 * their words; undefined when they can. Asked by the editors' API before it starts the run, and by the
 * run before it records the acceptance (the data may have moved in between).
 */
export function whyNotAcceptable(
  hold: ChartHold | undefined,
  chartId: string,
  candidateSha256: string | undefined,
): string | undefined {
  if (!hold || hold.status === "released") {
    return `The chart ${chartId} is not held back: there is nothing to accept.`;
  }
  if (candidateSha256 && candidateSha256 !== hold.candidateSha256) {
    return (
      `The chart ${chartId} held back now is a different version (${hold.candidateSha256.slice(0, 12)}) from the one ` +
      `accepted (${candidateSha256.slice(0, 12)}): the data changed since. Review it again.`
    );
  }
  return undefined;
}

/**
 * An editor accepts the version of a chart the guard held back: the next publish writes it (and
 * only it: if the data changed since, the new version is judged afresh). `candidateSha256`, when
 * given, must name the version the editor looked at. In the run the editors' API starts (the
 * workflow's publish function), right before it publishes; a retry of that run's step that finds its
 * own acceptance already carried out (`runId`) returns it again.
 */
export async function acceptHeldChart(
  holds: ChartHoldStore,
  chartId: string,
  acceptance: {
    by: string;
    reason: string;
    candidateSha256?: string | undefined;
    runId?: string | undefined;
  },
  now: Date = new Date(),
): Promise<ChartHold> {
  const hold = await holds.getHold(chartId);
  if (
    hold?.status === "released" &&
    acceptance.runId !== undefined &&
    hold.acceptance?.runId === acceptance.runId
  ) {
    return hold;
  }
  const problem = whyNotAcceptable(hold, chartId, acceptance.candidateSha256);
  if (problem || !hold) throw new NoHeldChart(problem ?? "");
  if (!acceptance.reason.trim())
    throw new NoHeldChart(`Say why the held version of ${chartId} may be published.`);
  const at = now.toISOString();
  const accepted: ChartHold = {
    ...hold,
    status: "accepted",
    acceptance: {
      by: acceptance.by,
      reason: acceptance.reason.trim(),
      at,
      ...(acceptance.runId ? { runId: acceptance.runId } : {}),
    },
    updatedAt: at,
  };
  await holds.putHold(accepted);
  return accepted;
}

/** Holds an editor still has to look at (status "held"), newest first. */
export async function openHolds(holds: ChartHoldStore): Promise<ChartHold[]> {
  return (await holds.listHolds())
    .filter((h) => h.status === "held")
    .sort((a, b) => b.heldAt.localeCompare(a.heldAt) || a.chartId.localeCompare(b.chartId));
}

// ---- Cross-field checks: what the JSON Schema cannot say -------------------------------------------

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** Characters that break a field name in Vega's access paths, d3, pandas or R: never in a key or header. */
const UNSAFE_FIELD = /['".[\]\\]/;

function validDateTime(v: string): boolean {
  return ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v));
}

/** The months a period covers on the axis: "2023-01/02" → 2023-01 and 2023-02. */
function monthsOf(period: string): string[] {
  const m = /^(\d{4})-(\d{2})(?:\/(\d{2}))?$/.exec(period);
  if (!m) return [];
  const out: string[] = [];
  for (let k = Number(m[2]); k <= Number(m[3] ?? m[2]); k++)
    out.push(`${m[1]}-${String(k).padStart(2, "0")}`);
  return out;
}

function nextMonth(p: string): string {
  const [y, m] = [Number(p.slice(0, 4)), Number(p.slice(5, 7))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/**
 * Checks a chart before it is written for what a schema cannot: period and chartPeriod agree; combined
 * January–February fields only on combined periods; unique series keys and points; no gaps left
 * implicit in a time series; valid date-times; every release a point names is in `provenance`; safe
 * field names. Each finding holds the chart back like any other publish-guard finding.
 */
export function chartConsistency(chart: ChartEnvelope): GuardFinding[] {
  const problems: string[] = [];
  const provenance = new Set(chart.provenance.map((p) => `${p.releaseId}|${p.sha256}`));
  const releases = new Set(chart.provenance.map((p) => p.releaseId));
  const keys = new Set<string>();
  const labels = new Set<string>();
  for (const s of chart.series) {
    if (keys.has(s.key)) problems.push(`two series share the key "${s.key}"`);
    if (labels.has(s.label)) problems.push(`two series share the label "${s.label}" (a CSV header)`);
    keys.add(s.key);
    labels.add(s.label);
    for (const name of [s.key, s.label])
      if (UNSAFE_FIELD.test(name))
        problems.push(`"${name}" has a character that breaks field access ('".[]\\)`);
    const places = new Set<string>();
    let previous: string | undefined;
    for (const p of s.points) {
      const where = `${s.key} ${p.category ?? p.chartPeriod}`;
      const place = p.category ?? p.chartPeriod;
      if (places.has(place)) problems.push(`${where}: two points at the same place`);
      places.add(place);
      const combined = p.period.includes("/");
      if (chart.chartType === "monthly") {
        if (!monthsOf(p.period).includes(p.chartPeriod))
          problems.push(`${where}: chartPeriod is not a month of period ${p.period}`);
        if (previous !== undefined && p.chartPeriod !== nextMonth(previous))
          problems.push(`${where}: follows ${previous}; the months between are not listed as gaps`);
        previous = p.chartPeriod;
      } else if (chart.chartType === "ytd-by-year") {
        const end = monthsOf(p.period).at(-1);
        if (end !== p.chartPeriod) problems.push(`${where}: chartPeriod does not end period ${p.period}`);
      } else if (monthsOf(p.period).at(-1) !== chartPeriodOfPeriod(chart.latestPeriod)) {
        problems.push(`${where}: period ${p.period} is not the chart's month ${chart.latestPeriod}`);
      }
      const averaged = p.valueBasis === "average-of-combined";
      if ((p.combinedMonths !== undefined || averaged) && !combined)
        problems.push(`${where}: marked as a combined January–February figure, but ${p.period} is one month`);
      if (combined && p.value !== null && chart.chartType === "monthly" && !averaged)
        problems.push(`${where}: the combined ${p.period} figure is not shown as its monthly average`);
      if (averaged && p.combinedValue !== undefined && p.value !== null && p.value * 2 !== p.combinedValue)
        problems.push(`${where}: the average is not half the combined total`);
      if ((p.value === null) !== (p.missing !== undefined))
        problems.push(`${where}: a gap needs a null value and a reason, a figure neither`);
      if (p.value !== null && !provenance.has(`${p.releaseId}|${p.sha256}`))
        problems.push(`${where}: release ${p.releaseId ?? "(none)"} is not in the chart's provenance`);
      if (p.previousReleaseId !== undefined && !releases.has(p.previousReleaseId))
        problems.push(`${where}: previous release ${p.previousReleaseId} is not in the chart's provenance`);
      if (chart.latestPeriod && chartPeriodOfPeriod(p.period) > chartPeriodOfPeriod(chart.latestPeriod))
        problems.push(`${where}: later than the chart's latest period ${chart.latestPeriod}`);
    }
  }
  const times = [
    ["updatedAt", chart.updatedAt],
    ["nextRelease.expectedFrom", chart.nextRelease?.expectedFrom],
    ["nextRelease.expectedBy", chart.nextRelease?.expectedBy],
    ...chart.provenance.map((p) => [`fetchedAt of ${p.releaseId}`, p.fetchedAt]),
  ] as const;
  for (const [name, v] of times)
    if (typeof v === "string" && !validDateTime(v)) problems.push(`${name} "${v}" is not a valid date-time`);
  // The editor's words say what it means for them; which field broke is engineer detail.
  return [...new Set(problems)].map((problem) => ({
    check: "inconsistent",
    message:
      "the new chart file does not hang together (a fault in our software, not in GACC's figures); ask the engineers before publishing it",
    detail: `the chart file is inconsistent: ${problem}`,
  }));
}

function chartPeriodOfPeriod(period: string | null): string {
  return period ? (monthsOf(period).at(-1) ?? period) : "";
}
