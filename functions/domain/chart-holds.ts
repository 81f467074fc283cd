/**
 * The publish guard's vocabulary: why a chart version was held back, and the record of a hold until an
 * editor accepts it (the guard itself: functions/pipeline/publish-guard.ts).
 */
import type { CheckFinding } from "./model.js";

export type GuardCheck = "points-lost" | "value-moved" | "unit-changed" | "inconsistent";

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
  /** Who accepted it, why, when, and in which run (the run that publishes it). */
  acceptance?: { by: string; reason: string; at: string; runId?: string | undefined } | undefined;
  /** When the held (or a later) version was written, or the hold stopped applying. */
  releasedAt?: string | undefined;
  updatedAt: string;
}
