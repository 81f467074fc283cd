/**
 * `charts/<id>.facts.json`: a chart's facts with their sentences, documented by
 * data/schema/facts.schema.json. A pure function of the chart, so re-runs write identical bytes.
 */
import { LayoutChanged } from "../errors.js";
import { facts as validate } from "../schema-validators.js";
import { computeFacts, type Fact, type FactChart, type FactPoint } from "./facts.js";
import {
  AMOUNT_SIGNIFICANT_FIGURES,
  caveatText,
  defaultSubject,
  LITTLE_CHANGED_PCT,
  type Subject,
  sentence,
} from "./sentences.js";

export const FACTS_SCHEMA_VERSION = 1;

/** Throws if a facts file does not match data/schema/facts.schema.json: nothing invalid is published. */
export function assertValidFacts(file: unknown): asserts file is FactsFile {
  if (!validate(file)) {
    const detail = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    throw new LayoutChanged(`A facts file failed its schema check and was not published: ${detail}`);
  }
}

export interface FactEntry {
  id: string;
  kind: Fact["kind"];
  series: string;
  period: string;
  /** The sentence, in newsroom style (rules in functions/domain/facts/sentences.ts). */
  text: string;
  points: FactPoint[];
  /** Said beside the sentence: what to check or say before printing it. */
  caveats: Array<{ code: string; text: string }>;
  /** The numbers behind the sentence, unrounded (kind-specific). */
  values: Record<string, string | number | boolean | null>;
}

export interface FactsFile {
  schemaVersion: number;
  chartId: string;
  title: string;
  latestPeriod: string | null;
  /** The rounding and wording rules the sentences follow. */
  style: { amountSignificantFigures: number; percentDecimals: number; littleChangedPct: number };
  facts: FactEntry[];
}

export type SubjectOf = (seriesKey: string) => Subject;

/** The subject for each series: from `subjects` where given, else the series label. */
export function subjectsFor(chart: FactChart, subjects: Record<string, Subject> = {}): SubjectOf {
  return (key) => subjects[key] ?? defaultSubject(chart.series.find((s) => s.key === key)?.label ?? key);
}

export function buildFactsFile(chart: FactChart, subjects: Record<string, Subject> = {}): FactsFile {
  const subjectOf = subjectsFor(chart, subjects);
  return {
    schemaVersion: FACTS_SCHEMA_VERSION,
    chartId: chart.id,
    title: chart.title,
    latestPeriod: chart.latestPeriod,
    style: {
      amountSignificantFigures: AMOUNT_SIGNIFICANT_FIGURES,
      percentDecimals: 1,
      littleChangedPct: LITTLE_CHANGED_PCT,
    },
    facts: computeFacts(chart).map((f) => entry(f, chart, subjectOf)),
  };
}

function entry(f: Fact, chart: FactChart, subjectOf: SubjectOf): FactEntry {
  const { id, kind, series, period, points, caveats, ...rest } = f;
  const values: FactEntry["values"] = {};
  for (const [k, v] of Object.entries(rest)) {
    if ((k === "previous" || k === "yearEarlier") && v && typeof v === "object") {
      // { period, yoyPct } (a change) or { period, rank, releaseId } (a rank): flattened.
      for (const [field, x] of Object.entries(v as Record<string, string | number>))
        values[`${k}${field.charAt(0).toUpperCase()}${field.slice(1)}`] = x;
    } else if (v === null || ["string", "number", "boolean"].includes(typeof v)) {
      values[k] = v as string | number | boolean | null;
    }
  }
  return {
    id,
    kind,
    series,
    period,
    text: sentence(f, chart, subjectOf),
    points,
    caveats: caveats.map((code) => ({ code, text: caveatText(code) })),
    values,
  };
}

export function factsFileBody(file: FactsFile): string {
  assertValidFacts(file);
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Reads a published facts file; anything unreadable counts as none (every fact is then new). */
export function readFactsFile(body: Uint8Array | string | undefined): FactsFile | undefined {
  if (body === undefined) return undefined;
  try {
    const text = typeof body === "string" ? body : Buffer.from(body).toString("utf8");
    const parsed = JSON.parse(text) as FactsFile;
    return Array.isArray(parsed?.facts) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Facts whose sentence was not in the previously published file: what is news in this run. */
export function newFacts(previous: FactsFile | undefined, next: FactsFile): FactEntry[] {
  const seen = new Set((previous?.facts ?? []).map((f) => `${f.id}\n${f.text}`));
  return next.facts.filter((f) => !seen.has(`${f.id}\n${f.text}`));
}
