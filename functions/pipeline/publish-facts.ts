/**
 * Release facts, right after the chart files: for every chart this run published, its facts file
 * (`charts/<id>.facts.json`) is rebuilt from the chart itself; when its bytes changed, the facts whose
 * sentences are new make up the run's news, and one release alert carries them all.
 *
 * Order matters for "sent only when facts changed, never lost": the alert goes out before the facts
 * files are written. If sending fails, publish fails, nothing about facts is written, and the retried
 * run finds the same facts new and sends again. A re-run finds identical facts files and sends nothing.
 */
import type { ChartDefinition } from "../domain/charts/definitions.js";
import { chartFileKey } from "../domain/charts/published.js";
import { composeAlert } from "../domain/facts/alert.js";
import type { FactChart } from "../domain/facts/facts.js";
import { buildFactsFile, factsFileBody, newFacts, readFactsFile } from "../domain/facts/facts-file.js";
import { type Subject, seriesSubject } from "../domain/facts/sentences.js";
import { partners } from "../domain/partners.js";
import type { AlertSender, ChartStore } from "../domain/ports.js";
import type { FactsReport } from "../domain/reports.js";

export const FACTS_CONTENT_TYPE = "application/json; charset=utf-8";

/** `charts/<id>.facts.json`: the one place its name is made. */
export function factsFileName(chartId: string): string {
  return `${chartId}.facts.json`;
}

/** The sentence subject of each series, from its definition (rule in domain/facts/sentences.ts). */
function subjectsOf(def: ChartDefinition | undefined): Record<string, Subject> {
  const out: Record<string, Subject> = {};
  for (const s of def?.series ?? []) {
    out[s.key] = seriesSubject({ ...s, partnerName: s.partner ? partners.shortName(s.partner) : undefined });
  }
  return out;
}

/** Writes a chart file whose bytes changed; `read` is the file as this run already read it. */
export type WriteChartFile = (
  name: string,
  body: string,
  contentType: string,
  read?: { body: Uint8Array | undefined },
) => Promise<boolean>;

/** What publishCharts calls right after writing the chart files (see PublishDeps.facts). */
export type FactsStep = (
  published: Array<{ envelope: FactChart; definition?: ChartDefinition | undefined }>,
  urls: (chartId: string) => { url: string; csvUrl: string },
  write: WriteChartFile,
) => Promise<FactsReport>;

/** The facts step over a chart store, sending alerts through `alerts` (none: facts only). */
export function factsStep(deps: { charts: ChartStore; alerts?: AlertSender | undefined }): FactsStep {
  return (published, urls, write) => publishFacts(deps, published, urls, write);
}

export async function publishFacts(
  deps: { charts: ChartStore; alerts?: AlertSender | undefined },
  published: Array<{ envelope: FactChart; definition?: ChartDefinition | undefined }>,
  urls: (chartId: string) => { url: string; csvUrl: string },
  write: WriteChartFile,
): Promise<FactsReport> {
  const report: FactsReport = { news: [], factsFilesWritten: [] };
  const pending: Array<{ name: string; body: string; current: Uint8Array | undefined }> = [];
  for (const { envelope, definition } of published) {
    const name = factsFileName(envelope.id);
    // Ranked charts: the partners whose ranks are news come from the definition.
    const chart = definition?.factsFor ? { ...envelope, focus: definition.factsFor } : envelope;
    const file = buildFactsFile(chart, subjectsOf(definition));
    const body = factsFileBody(file);
    const current = await deps.charts.get(chartFileKey(name));
    if (current && Buffer.from(current).toString("utf8") === body) continue;
    pending.push({ name, body, current });
    const fresh = newFacts(readFactsFile(current), file);
    if (fresh.length > 0)
      report.news.push({ chartId: envelope.id, title: envelope.title, ...urls(envelope.id), facts: fresh });
  }
  const alert = composeAlert(report.news);
  if (alert) {
    const sent = deps.alerts ? await deps.alerts.send(alert) : undefined;
    report.alert = { ...alert, sent: deps.alerts !== undefined, messageId: sent?.messageId };
  }
  for (const p of pending) {
    if (await write(p.name, p.body, FACTS_CONTENT_TYPE, { body: p.current }))
      report.factsFilesWritten.push(chartFileKey(p.name));
  }
  return report;
}
