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
import { createHash } from "node:crypto";
import type { ChartEnvelope, ChartPoint } from "../domain/charts/envelope.js";
import { PipelineError } from "../domain/errors.js";
import type { CheckFinding } from "../domain/model.js";

export interface PublishGuardPolicy {
  /** A published value may move by at most this many percent without a matching revision. */
  maxMovePct: number;
}

export const DEFAULT_PUBLISH_GUARD: PublishGuardPolicy = { maxMovePct: 25 };

export type GuardCheck = "points-lost" | "value-moved" | "unit-changed";

export interface GuardFinding extends CheckFinding {
  check: GuardCheck;
}

export type ChartHoldStatus = "held" | "accepted" | "released";

/** A chart version held back by the guard, and what became of it. */
export interface ChartHold {
  chartId: string;
  status: ChartHoldStatus;
  /** sha256 of the chart JSON held back: an acceptance covers exactly these bytes. */
  candidateSha256: string;
  /** The chart as published when it was held: its latest period and update time. */
  published: { latestPeriod: string | null; updatedAt: string | null };
  /** The held version's latest period and update time. */
  candidate: { latestPeriod: string | null; updatedAt: string | null };
  reasons: GuardFinding[];
  heldAt: string;
  acceptance?: { by: string; reason: string; at: string } | undefined;
  /** When the held (or a later) version was written, or the hold stopped applying. */
  releasedAt?: string | undefined;
  updatedAt: string;
}

/** Where holds are kept (DynamoDB in AWS and locally: functions/adapters/dynamo-holds.ts). */
export interface ChartHoldStore {
  getHold(chartId: string): Promise<ChartHold | undefined>;
  putHold(hold: ChartHold): Promise<void>;
  /** Every hold, any status. */
  listHolds(): Promise<ChartHold[]>;
}

/** The chart is not held back (nothing to accept), or the version held is not the one named. */
export class NoHeldChart extends PipelineError {
  readonly code = "NO_HELD_CHART";
  readonly retryable = false;
}

export function chartSha256(body: string | Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

const fmt = (v: number) => String(Math.round(v * 1000) / 1000);

function pointLabel(seriesLabel: string, p: ChartPoint): string {
  return `${seriesLabel}, ${p.categoryLabel ? `${p.categoryLabel} ` : ""}${p.period}`;
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
      message: `the chart's unit would change from ${unitOf(previous)} ("${previous.unit.label}") to ${unitOf(next)} ("${next.unit.label}"): every value would move`,
    });
  }
  for (const before of previous.series) {
    const after = next.series.find((s) => s.key === before.key);
    const afterByPoint = new Map((after?.points ?? []).map((p) => [`${p.category ?? ""}|${p.period}`, p]));
    const lost: string[] = [];
    for (const old of before.points) {
      const now = afterByPoint.get(`${old.category ?? ""}|${old.period}`);
      if (!now) {
        if (survivorKey(next, previous, old) !== undefined)
          lost.push(old.period + (old.category ? ` ${old.category}` : ""));
        continue;
      }
      if (unitOf(previous) !== unitOf(next) || now.value === old.value) continue;
      const movePct =
        old.value === 0
          ? Number.POSITIVE_INFINITY
          : (Math.abs(now.value - old.value) / Math.abs(old.value)) * 100;
      if (movePct <= policy.maxMovePct) continue;
      const documented = now.revised && now.previousValue === old.value;
      if (documented) continue;
      findings.push({
        check: "value-moved",
        message:
          `${pointLabel(before.label, old)} would move from ${fmt(old.value)} to ${fmt(now.value)} ` +
          `(${Number.isFinite(movePct) ? `${Math.round(movePct)}%` : "from zero"}, more than ${policy.maxMovePct}%) ` +
          "with no revision on record for it",
      });
    }
    if (!after && before.points.length > 0) {
      findings.push({
        check: "points-lost",
        message: `the series "${before.label}" would disappear with its ${before.points.length} points`,
      });
    } else if (lost.length > 0) {
      const shown = lost.slice(0, 6).join(", ");
      findings.push({
        check: "points-lost",
        message: `"${before.label}" would lose ${lost.length} point${lost.length === 1 ? "" : "s"} it had (${shown}${lost.length > 6 ? ", …" : ""})`,
      });
    }
  }
  return findings;
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
  const findings = guardChart(previous, next, input.policy);
  const sha = chartSha256(body);
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
 * An editor accepts the version of a chart the guard held back: the next publish writes it (and
 * only it: if the data changed since, the new version is judged afresh). `candidateSha256`, when
 * given, must name the version the editor looked at. For the editors' API.
 */
export async function acceptHeldChart(
  holds: ChartHoldStore,
  chartId: string,
  acceptance: { by: string; reason: string; candidateSha256?: string | undefined },
  now: Date = new Date(),
): Promise<ChartHold> {
  const hold = await holds.getHold(chartId);
  if (!hold || hold.status === "released") {
    throw new NoHeldChart(`The chart ${chartId} is not held back: there is nothing to accept.`);
  }
  if (acceptance.candidateSha256 && acceptance.candidateSha256 !== hold.candidateSha256) {
    throw new NoHeldChart(
      `The chart ${chartId} held back now is a different version (${hold.candidateSha256.slice(0, 12)}) from the one ` +
        `accepted (${acceptance.candidateSha256.slice(0, 12)}): the data changed since. Review it again.`,
    );
  }
  if (!acceptance.reason.trim())
    throw new NoHeldChart(`Say why the held version of ${chartId} may be published.`);
  const at = now.toISOString();
  const accepted: ChartHold = {
    ...hold,
    status: "accepted",
    acceptance: { by: acceptance.by, reason: acceptance.reason.trim(), at },
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
