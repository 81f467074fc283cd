/**
 * Stage 2, normalize: parse one archived release, run the blocking checks, and write only the
 * observations whose value changed (keeping the old value as a revision). A release that fails a
 * check is quarantined with its reasons and nothing from it is written.
 */

import { chartUseOf } from "../domain/charts/usage.js";
import { ChoiceNeeded, PipelineError } from "../domain/errors.js";
import type {
  Acceptance,
  CheckFinding,
  NormalizeResult,
  Observation,
  Provenance,
  Release,
  Resolution,
  Revision,
} from "../domain/model.js";
import {
  addressKey,
  type ObservationStore,
  type RawStore,
  type ReleaseStore,
  type StoredObservation,
  seriesKeyOf,
} from "../domain/ports.js";
import type { NormalizeReport } from "../domain/reports.js";
import { currencyName, resolutionText } from "../domain/wording.js";

export interface NormalizeDeps {
  raw: RawStore;
  releases: ReleaseStore;
  observations: ObservationStore;
  now: () => Date;
  /** Chooses the parser for a release (by its table). */
  parse(
    release: Release,
    bytes: Uint8Array,
    provenance: Provenance,
  ): NormalizeResult | Promise<NormalizeResult>;
}

export interface NormalizeOptions {
  /** An editor accepted this quarantined release after review: publish despite blocking findings,
   * read as the editor resolved it (e.g. in the currency they chose). */
  acceptance?: Omit<Acceptance, "at"> & { at?: string | undefined };
}

/** What normalizing a release would write, computed without writing anything (also the accept preview). */
export interface NormalizePlan {
  release: Release;
  result: NormalizeResult;
  /** Observations the parser read, before duplicate rows were dropped. */
  parsed: number;
  /** Every observation read, as it would be stored. */
  stored: StoredObservation[];
  /** Only those whose value differs from what is stored. */
  toWrite: StoredObservation[];
  revisions: Revision[];
}

/**
 * The choices an editor must make before a release with these findings can be accepted (nothing is
 * assumed): a currency when title and unit row disagree.
 */
export function choicesNeeded(blocking: CheckFinding[]): { currency?: { title: string; unitRow: string } } {
  const c = blocking.find((f) => f.currencies)?.currencies;
  return c ? { currency: c } : {};
}

export interface CurrencyChoice {
  title: string;
  unitRow: string;
  options: Array<{ choice: "title" | "unit-row"; currency: string; label: string }>;
}

/** The currency choice a held-back release needs, with words for each option (none when no conflict).
 * Here, beside choicesNeeded, so the editors' status reads it without loading the accept preview. */
export function currencyChoiceOf(release: Release): { currency?: CurrencyChoice } {
  const needed = choicesNeeded(release.reasons).currency;
  if (!needed) return {};
  const { title, unitRow } = needed;
  return {
    currency: {
      title,
      unitRow,
      options: [
        { choice: "title", currency: title, label: `${currencyName(title)}, as the title says` },
        { choice: "unit-row", currency: unitRow, label: `${currencyName(unitRow)}, as the unit row says` },
      ],
    },
  };
}

/** Applies an editor's resolution to a parsed release; throws ChoiceNeeded when one is missing. */
export function resolve(result: NormalizeResult, resolution: Resolution | undefined): NormalizeResult {
  const needed = choicesNeeded(result.blocking).currency;
  if (!needed) return result;
  const chosen = resolution?.currency;
  if (!chosen) {
    throw new ChoiceNeeded(
      `Say which currency the figures are in: the title says ${currencyName(needed.title)}, the unit row ${currencyName(needed.unitRow)}. Nothing is assumed.`,
    );
  }
  const expected = chosen.choice === "title" ? needed.title : needed.unitRow;
  if (chosen.currency !== expected) {
    throw new ChoiceNeeded(
      `The ${chosen.choice === "title" ? "title" : "unit row"} says ${currencyName(expected)}, not ${currencyName(chosen.currency)}.`,
    );
  }
  return {
    ...result,
    currency: chosen.currency,
    observations: result.observations.map((o) => ({ ...o, currency: chosen.currency })),
  };
}

/** What an accepted release's figures carry in their provenance (and charts in their notes). */
export function acceptedNote(acceptance: NormalizeOptions["acceptance"]): string | undefined {
  if (!acceptance) return undefined;
  return `accepted after review by ${acceptance.by}: ${resolutionText(acceptance.resolution)} ("${acceptance.reason}")`;
}

/**
 * One value per series, period and vintage: a page that prints the same partner (or commodity) twice
 * with the same figures is read once; twice with different figures, neither can be trusted, which
 * holds the release back (and, should an editor accept it anyway, neither value is written).
 */
export function withoutDuplicates(observations: Observation[]): {
  observations: Observation[];
  conflicts: CheckFinding[];
} {
  const groups = new Map<string, Observation[]>();
  for (const o of observations) {
    const key = addressKey({ ...o, seriesKey: seriesKeyOf(o) });
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const kept: Observation[] = [];
  const conflicts: CheckFinding[] = [];
  for (const group of groups.values()) {
    const first = group[0] as Observation;
    if (group.every((o) => o.value === first.value)) {
      kept.push(first);
      continue;
    }
    const printed = [...new Set(group.map((o) => `"${o.printed.value}"`))].join(" and ");
    const what = first.commodity === "TOTAL" ? "" : `, ${first.commodityLabel ?? first.commodity}`;
    conflicts.push({
      check: "duplicate-rows",
      message: `"${first.partner.nameAsPrinted}" (${first.flow}${what}, ${first.kind} ${first.period}) is printed ${group.length} times with different values (${printed}); none of them is used`,
    });
  }
  return { observations: kept, conflicts };
}

export async function normalizeRelease(
  deps: NormalizeDeps,
  releaseId: string,
  options: NormalizeOptions = {},
): Promise<NormalizeReport> {
  const release = await deps.releases.getRelease(releaseId);
  const report: NormalizeReport = {
    releaseId,
    status: "skipped",
    observationsParsed: 0,
    observationsWritten: 0,
    revisions: 0,
    writeRequests: 0,
    reasons: [],
    warnings: [],
  };
  if (!release) {
    report.reasons.push({ check: "release-known", message: `No release ${releaseId} is recorded` });
    return report;
  }
  // Idempotent: a duplicate trigger for bytes already normalized (or already quarantined) does nothing.
  const alreadyDone =
    (release.status === "normalized" || release.status === "accepted") &&
    release.normalizedSha256 === release.sha256;
  if ((alreadyDone || release.status === "quarantined") && !options.acceptance) {
    report.status = "skipped";
    report.reasons = release.reasons;
    report.warnings = release.warnings;
    return report;
  }

  const plan = await planNormalize(deps, release, options);
  const { result, toWrite, revisions } = plan;
  report.observationsParsed = plan.parsed;
  report.warnings = result.warnings;

  const now = deps.now().toISOString();
  if (result.blocking.length > 0 && !(options.acceptance && result.observations.length > 0)) {
    report.status = "quarantined";
    report.reasons = result.blocking;
    await deps.releases.putRelease({
      ...release,
      status: "quarantined",
      reasons: result.blocking,
      warnings: result.warnings,
      updatedAt: now,
    });
    return report;
  }

  // Mark in progress first: publish refuses to run while any release is partly written.
  await deps.releases.putRelease({ ...release, status: "normalizing", updatedAt: now });

  const stats = await deps.observations.write(toWrite, revisions);
  report.observationsWritten = toWrite.length;
  report.revisions = revisions.length;
  report.writeRequests = stats.requests;

  const status = options.acceptance ? "accepted" : "normalized";
  report.status = status;
  report.reasons = options.acceptance ? result.blocking : [];
  report.chartUse = chartUseOf(plan.stored);
  await deps.releases.putRelease({
    ...release,
    status,
    reasons: report.reasons,
    warnings: result.warnings,
    normalizedSha256: release.sha256,
    acceptance: options.acceptance
      ? { ...options.acceptance, at: options.acceptance.at ?? now }
      : release.acceptance,
    updatedAt: now,
  });
  return report;
}

/**
 * Reads a release and works out what normalizing it would write: parse, drop duplicate rows, apply
 * the editor's resolution (accepts), compare with what is stored. Writes nothing.
 */
export async function planNormalize(
  deps: NormalizeDeps,
  release: Release,
  options: NormalizeOptions = {},
): Promise<NormalizePlan> {
  const note = acceptedNote(options.acceptance);
  const provenance: Provenance = {
    releaseId: release.releaseId,
    url: release.url,
    sha256: release.sha256,
    fetchedAt: release.fetchedAt,
    ...(note ? { acceptedAfterReview: note } : {}),
  };
  let result: NormalizeResult;
  // Store trouble (unreachable, no permission, archived object missing) is the caller's to retry or
  // report: it says nothing about the page, so it never quarantines a release.
  const { body } = await deps.raw.get(release.rawKey);
  try {
    result = await deps.parse(release, body, provenance);
  } catch (err) {
    // A page we cannot read is quarantined with the typed error's reason.
    if (!(err instanceof PipelineError) || err.retryable) throw err;
    result = {
      table: release.table,
      currency: release.currency,
      period: release.period,
      title: "",
      observations: [],
      blocking: [{ check: "readable", code: err.code, message: err.message }],
      warnings: [],
    };
  }
  const parsed = result.observations.length;
  const checked = withoutDuplicates(result.observations);
  result = {
    ...result,
    observations: checked.observations,
    blocking: [...result.blocking, ...checked.conflicts],
  };
  if (options.acceptance && result.observations.length > 0)
    result = resolve(result, options.acceptance.resolution);

  const stored: StoredObservation[] = result.observations.map((o) => ({ ...o, seriesKey: seriesKeyOf(o) }));
  const current = await deps.observations.getMany(stored);
  const toWrite: StoredObservation[] = [];
  const revisions: Revision[] = [];
  for (const o of stored) {
    const old = current.get(addressKey(o));
    if (old && old.value === o.value) continue;
    toWrite.push(o);
    // Dated when the revised page was fetched, not when this ran: a duplicate delivery of the same
    // release (even one running at the same time) writes the very same revision item, never a second.
    if (old && old.provenance.sha256 !== o.provenance.sha256)
      revisions.push(revisionOf(o, old, release.fetchedAt));
  }
  revisions.push(...(await replacedReadings(deps, release, stored)));
  return { release, result, parsed, stored, toWrite, revisions };
}

/**
 * An upload that replaces an earlier reading of the same file under the other flow: each of its
 * figures the earlier reading stored is recorded as a revision of the figure's reading (old → new
 * release, same value), so charts flag the point revised and the run counts the revisions. Keyed by
 * the moment the editor replaced it: a duplicate normalize writes the same items, never new ones.
 */
async function replacedReadings(
  deps: NormalizeDeps,
  release: Release,
  stored: StoredObservation[],
): Promise<Revision[]> {
  const replaced = release.replaces;
  if (!replaced) return [];
  const earlier = stored.map((o) => {
    const flow = replaced.flow;
    return { ...o, flow, seriesKey: seriesKeyOf({ ...o, flow }) };
  });
  const found = await deps.observations.getMany(earlier);
  const out: Revision[] = [];
  stored.forEach((o, i) => {
    const old = found.get(addressKey(earlier[i] as StoredObservation));
    if (!old || old.provenance.releaseId !== replaced.releaseId) return;
    out.push({
      ...revisionOf(o, old, replaced.at),
      replacedReading: { flow: replaced.flow, by: replaced.by },
    });
  });
  return out;
}

/** The revision item for `o` replacing `old` (same address, or the other flow's reading). */
function revisionOf(o: StoredObservation, old: StoredObservation, revisedAt: string): Revision {
  return {
    seriesKey: o.seriesKey,
    kind: o.kind,
    period: o.period,
    vintage: o.vintage,
    oldValue: old.value,
    newValue: o.value,
    oldRelease: old.provenance,
    newRelease: o.provenance,
    revisedAt,
  };
}
