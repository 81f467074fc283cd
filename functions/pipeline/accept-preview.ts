/**
 * The preview of accepting a held-back release: before anything is written, what the editor would
 * publish — how each finding is read (a currency conflict needs the editor's explicit choice), how
 * many figures would be stored, and which chart points would change, old → new, in chart units.
 *
 * The preview is computed from the same plan normalizing writes (planNormalize) and the same chart
 * builder publishing uses, over the store as it is plus the planned writes, in memory. Its sha256
 * covers the plan and the effect: the editor confirms that hash, and the accept refuses if the
 * preview computed under the pipeline lock differs (the data moved in between).
 */

import { buildChart } from "../domain/charts/build.js";
import { CHART_DEFINITIONS } from "../domain/charts/definitions.js";
import { type ChartUse, chartUseOf, whyUnchanged } from "../domain/charts/usage.js";
import type { CheckFinding, Release, Resolution, Revision } from "../domain/model.js";
import { addressKey, type ObservationStore, type StoredObservation } from "../domain/ports.js";
import type { ChartChange } from "../domain/reports.js";
import { sha256Hex } from "../domain/sha256.js";
import {
  chartAmount,
  chartChangeText,
  currencyName,
  labelText,
  plural,
  releaseName,
  resolutionText,
} from "../domain/wording.js";
import {
  type CurrencyChoice,
  currencyChoiceOf,
  type NormalizeDeps,
  type NormalizeOptions,
  planNormalize,
} from "./normalize-release.js";
import { chartInputs } from "./publish-charts.js";
import { diffChart, hasChanges, snapshotOf } from "./runs/snapshot.js";

export interface AcceptPreview {
  releaseId: string;
  /** The release as GACC names it, read as resolved. */
  releaseName: string;
  /** The release's bytes (sha256) the preview read. */
  sha256: string;
  /** Choices the editor still has to make; while any is open there is no effect and no hash. */
  choicesNeeded: { currency?: CurrencyChoice };
  resolution: Resolution | undefined;
  /** Each finding that held the release back, and how accepting reads it. */
  readings: Array<{ check: string; finding: string; reading: string }>;
  figures: { stored: number; changed: number; revised: number };
  /** Charts whose points would change, with the unit they are shown in. */
  charts: Array<ChartChange & { unit: string }>;
  /** True when accepting changes no chart (the figures would be stored, not shown). */
  noChartChanges: boolean;
  /** What the figures hold and which charts draw such figures; when none, which chart would and
   * what it needs (functions/domain/charts/usage.ts). Absent while a choice is open. */
  chartUse?: ChartUse;
  /** One paragraph for the editor. */
  headline: string;
  /** What the editor confirms; absent while a choice is open. */
  previewSha256?: string;
}

export interface PreviewDeps {
  normalize: NormalizeDeps;
}

/** The store as it would be after writing a plan: reads see the planned values. */
function overlay(
  base: Pick<ObservationStore, "querySeries" | "queryCrossSection">,
  toWrite: StoredObservation[],
  revisions: Revision[],
): Pick<ObservationStore, "querySeries" | "queryCrossSection"> {
  const merge = (have: StoredObservation[], extra: StoredObservation[]) => {
    const replaced = new Set(extra.map(addressKey));
    return [...have.filter((o) => !replaced.has(addressKey(o))), ...extra];
  };
  return {
    querySeries: async (seriesKey) => {
      const got = await base.querySeries(seriesKey);
      return {
        observations: merge(
          got.observations,
          toWrite.filter((o) => o.seriesKey === seriesKey),
        ),
        revisions: [...got.revisions, ...revisions.filter((r) => r.seriesKey === seriesKey)],
      };
    },
    queryCrossSection: async (slice) => {
      const got = await base.queryCrossSection(slice);
      const extra = toWrite.filter(
        (o) =>
          o.commodity === slice.commodity &&
          o.currency === slice.currency &&
          o.kind === slice.kind &&
          o.period === slice.period,
      );
      return merge(got, extra);
    },
  };
}

function readingOf(finding: CheckFinding, resolution: Resolution | undefined): string {
  if (finding.currencies) {
    return resolution?.currency
      ? `Read in ${currencyName(resolution.currency.currency)}, as the ${resolution.currency.choice === "title" ? "title" : "unit row"} says.`
      : "Choose: the figures are in one currency or the other.";
  }
  return "Figures used as printed.";
}

/** Computes what accepting `release` with `acceptance` would write and publish. Writes nothing. */
export async function previewAcceptance(
  deps: PreviewDeps,
  release: Release,
  acceptance: NonNullable<NormalizeOptions["acceptance"]>,
): Promise<AcceptPreview> {
  const resolution = acceptance.resolution;
  const open: AcceptPreview["choicesNeeded"] = resolution?.currency ? {} : currencyChoiceOf(release);
  const resolvedRelease = { ...release, acceptance: { ...acceptance, at: "" } };
  const base: AcceptPreview = {
    releaseId: release.releaseId,
    releaseName: releaseName(resolution ? resolvedRelease : release),
    sha256: release.sha256,
    choicesNeeded: open,
    resolution,
    readings: release.reasons.map((f) => ({
      check: f.check,
      finding: f.message,
      reading: readingOf(f, resolution),
    })),
    figures: { stored: 0, changed: 0, revised: 0 },
    charts: [],
    noChartChanges: true,
    headline: "",
  };
  if (open.currency) {
    base.headline = `Before anything is published, say which currency these figures are in: the title says ${currencyName(open.currency.title)}, the unit row ${currencyName(open.currency.unitRow)}.`;
    return base;
  }

  const n = deps.normalize;
  const plan = await planNormalize(n, release, { acceptance });
  const releases = await n.releases.listReleases();
  const asAccepted: Release = {
    ...release,
    status: "accepted",
    normalizedSha256: release.sha256,
    acceptance: { ...acceptance, at: acceptance.at ?? "" },
  };
  const before = chartInputs(releases, n.observations);
  const after = chartInputs(
    releases.map((r) => (r.releaseId === release.releaseId ? asAccepted : r)),
    overlay(n.observations, plan.toWrite, plan.revisions),
  );
  const charts: AcceptPreview["charts"] = [];
  const latestShown = new Map<string, string | null>();
  for (const def of CHART_DEFINITIONS) {
    const was = await buildChart(def, before);
    latestShown.set(def.id, was.latestPeriod);
    const will = await buildChart(def, after);
    const change = diffChart(snapshotOf(was), will, was.latestPeriod);
    if (hasChanges(change)) charts.push({ ...change, unit: will.unit.label });
  }
  const preview: AcceptPreview = {
    ...base,
    figures: {
      stored: plan.stored.length,
      changed: plan.toWrite.length,
      revised: plan.revisions.length,
    },
    charts,
    noChartChanges: charts.length === 0,
    chartUse: chartUseOf(plan.stored),
  };
  preview.headline = headlineOf(preview, latestShown);
  preview.previewSha256 = sha256Hex(
    JSON.stringify({
      releaseId: release.releaseId,
      sha256: release.sha256,
      resolution: resolution ?? null,
      writes: plan.toWrite.map((o) => [addressKey(o), o.currency, o.value]),
      revisions: plan.revisions.map((r) => [r.seriesKey, r.kind, r.period, r.oldValue, r.newValue]),
      charts: charts.map((c) => [c.chartId, c.newPoints, c.revisions, c.removedPoints, c.counts]),
    }),
  );
  return preview;
}

function headlineOf(p: AcceptPreview, latestShown: Map<string, string | null>): string {
  const how = resolutionText(p.resolution);
  if (p.figures.stored === 0)
    return `The ${p.releaseName} gave no figures to publish; accepting cannot change that.`;
  if (p.noChartChanges) {
    const head = `Accepting the ${p.releaseName} (${how}) would store ${plural(p.figures.changed, "figure")} but change no chart.`;
    const why = p.chartUse ? whyUnchanged(p.chartUse, (id) => latestShown.get(id) ?? null) : "";
    return `${head} ${why}`.trim();
  }
  const lines = p.charts.map((c) => {
    const first = [...c.revisions, ...c.newPoints][0];
    const example = first
      ? first.previous !== undefined
        ? ` (e.g. ${labelText(first.label)}: ${chartAmount(first.previous, c.unit)} → ${chartAmount(first.value, c.unit)})`
        : ` (e.g. ${labelText(first.label)}: new, ${chartAmount(first.value, c.unit)})`
      : "";
    return `"${c.title}": ${chartChangeText(c.counts)}${example}`;
  });
  return `Accepting the ${p.releaseName} (${how}) would change ${plural(p.charts.length, "chart")}: ${lines.join("; ")}.`;
}
