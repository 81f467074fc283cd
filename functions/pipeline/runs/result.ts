/**
 * A finished run's result: what the stages reported, summed up for editors, with one line for people
 * ("2 releases normalized, 4 observations written, 1 chart changed") and the run's status.
 */

import { effectOf } from "../../domain/charts/usage.js";
import type { ChartChange, FetchReport } from "../../domain/reports.js";
import type { RunOutcome, RunResult, RunStage, RunStatus } from "../../domain/runs.js";
import { hasChanges } from "./snapshot.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function resultOf(outcome: RunOutcome, chartChanges: ChartChange[]): RunResult {
  const changedCharts = chartChanges.filter(hasChanges);
  const releases = outcome.normalize.map((n) => ({
    releaseId: n.releaseId,
    status: n.status,
    observationsWritten: n.observationsWritten,
    revisions: n.revisions,
    reasons: n.reasons,
    warnings: n.warnings.length,
    ...(n.chartUse ? { chartUse: n.chartUse, effect: effectOf(n.chartUse, changedCharts) } : {}),
  }));
  const quarantined = outcome.normalize
    .filter((n) => n.status === "quarantined")
    .map((n) => ({ releaseId: n.releaseId, reasons: n.reasons }));
  const observationsWritten = outcome.normalize.reduce((a, n) => a + n.observationsWritten, 0);
  const revisions = outcome.normalize.reduce((a, n) => a + n.revisions, 0);
  const warnings = [
    ...(outcome.fetch?.warnings ?? []).map((w) => w.message),
    ...outcome.normalize.flatMap((n) => n.warnings.map((w) => `${n.releaseId}: ${w.message}`)),
    ...(outcome.publish?.warnings ?? []),
  ];
  const changed = chartChanges.filter(hasChanges);
  const parts: string[] = [];
  if (outcome.fetch) {
    parts.push(
      `${plural(outcome.fetch.releasesSeen, "release")} listed, ${outcome.fetch.releases.length} new or changed`,
    );
  }
  const normalized = releases.filter((r) => r.status === "normalized").length;
  const accepted = releases.filter((r) => r.status === "accepted").length;
  if (outcome.normalize.length > 0 && (normalized > 0 || accepted === 0))
    parts.push(`${normalized} normalized`);
  if (accepted > 0) parts.push(`${accepted} accepted after review`);
  if (quarantined.length > 0) parts.push(`${quarantined.length} held back`);
  parts.push(`${plural(observationsWritten, "observation")} written (${plural(revisions, "revision")})`);
  parts.push(
    outcome.publish
      ? `${plural(changed.length, "chart")} changed, ${plural(outcome.publish.filesWritten.length, "file")} written`
      : outcome.fetch?.nothingFetched
        ? `nothing published, because ${outcome.fetch.nothingFetched}`
        : "nothing published",
  );
  if (outcome.errors.length > 0) parts.push(plural(outcome.errors.length, "error"));
  return {
    releasesListed: outcome.fetch?.releasesSeen,
    releasesChanged: outcome.fetch?.releases.length,
    releasesUnchanged: outcome.fetch?.unchanged,
    releases,
    quarantined,
    observationsWritten,
    revisions,
    chartFilesWritten: outcome.publish?.filesWritten ?? [],
    chartChanges: changed,
    news: (outcome.publish?.facts?.news ?? []).map((n) => ({
      chartId: n.chartId,
      title: n.title,
      url: n.url,
      facts: n.facts.map((f) => ({ text: f.text, caveats: f.caveats.map((c) => c.text) })),
    })),
    alert: outcome.publish?.facts?.alert
      ? { subject: outcome.publish.facts.alert.subject, sent: outcome.publish.facts.alert.sent }
      : undefined,
    warnings: warnings.slice(0, 40),
    errors: outcome.errors,
    // An outage is one plain sentence, not a tally of zeros.
    summary: outcome.errors.find((e) => e.code === "UPSTREAM_UNREACHABLE")?.message ?? `${parts.join("; ")}.`,
  };
}

export function statusOf(result: RunResult, stages: RunStage[]): RunStatus {
  if (stages.some((s) => s.status === "failed")) return "failed";
  if (result.quarantined.length > 0 || result.errors.length > 0) return "needs-attention";
  return "succeeded";
}

/**
 * When no index page could be read, GACC is down or unreachable from here: one sentence for editors
 * (the page-by-page errors stay in the report for engineers). Undefined when anything was reached.
 * Here, not in fetch-releases.ts, so a run's lifecycle (every editors' API route) does not load the
 * table registry and its parsers.
 */
export function outageSentence(report: FetchReport): string | undefined {
  if (report.indexPagesRead > 0 || report.errors.length === 0) return undefined;
  let host = report.errors[0]?.url ?? "";
  try {
    host = new URL(host).host;
  } catch {
    // keep the address as given
  }
  return `Couldn't reach GACC's website (${host}): none of its ${report.errors.length} release index pages answered, so nothing was fetched and the charts are unchanged.`;
}
