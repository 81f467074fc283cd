/**
 * Serializes a chart envelope into the files graphics load: <id>.json, a wide Datawrapper-ready CSV
 * and Datawrapper external metadata. Output is deterministic (stable key order, no clock).
 * The contract for consumers is docs/graphics.md; test/consumers/ checks it with their libraries.
 */
import Papa from "papaparse";
import { LayoutChanged } from "../errors.js";
import * as schemaValidators from "../schema-validators.js";
import type { ChartEnvelope, ChartIndexEntry, ChartPoint, MissingReason } from "./envelope.js";

// data/schema/*.json precompiled at build time (`npm run schemas`): nothing is compiled at cold start.
const validators = {
  chart: schemaValidators.chart,
  metadata: schemaValidators.metadata,
  index: schemaValidators.index,
};

export interface ChartFile {
  name: string;
  body: string;
  contentType: string;
}

function check(kind: keyof typeof validators, what: string, value: unknown): void {
  const validate = validators[kind];
  if (!validate(value)) {
    const detail = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    throw new LayoutChanged(`${what} failed its schema check and was not published: ${detail}`);
  }
}

/** Throws if the envelope does not match data/schema/chart.schema.json: nothing invalid is published. */
export function assertValidChart(envelope: unknown): asserts envelope is ChartEnvelope {
  check("chart", "A chart file", envelope);
}

/** Throws if index.json does not match data/schema/index.schema.json. */
export function assertValidIndex(index: unknown): void {
  check("index", "charts/index.json", index);
}

/**
 * Text cells a spreadsheet could run as a formula (OWASP's CSV injection list) get a leading `'`.
 * Papa's own `escapeFormulae: true` pattern (/^[=+\-@\t\r].*$/) misses a cell with a line break
 * after its first character ("=HYPERLINK(…)\nx"); this one only looks at the first character.
 * Numbers are never touched: -8.2 stays a number.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** Characters that break a field name somewhere (Vega's access paths, d3, pandas, R): never in a header. */
export const UNSAFE_FIELD_CHARS = /['".[\]\\]/;

/** Reader words for a gap (the CSV's note column). */
export const MISSING_WORDS: Record<MissingReason, string> = {
  "not-published": "not published",
  "not-fetched": "no figure available",
  "held-back": "held back for checking",
};

const AVERAGE_NOTE = "average of the January–February total";

/** The CSV's columns: the first (period / year / partner), then one per series, then extra text columns. */
export function csvColumns(envelope: ChartEnvelope): { first: string[]; series: string[]; extra: string[] } {
  const series = envelope.series.map((s) => s.label);
  if (envelope.chartType === "top-partners") return { first: ["partner"], series, extra: ["code", "period"] };
  if (envelope.chartType === "ytd-by-year") return { first: ["year", "months"], series, extra: [] };
  return { first: ["period"], series, extra: ["note"] };
}

function rowNote(cells: Array<{ label: string; p: ChartPoint | undefined }>): string {
  const notes = new Set<string>();
  const reasons = cells.map((c) => (c.p?.missing ? MISSING_WORDS[c.p.missing] : undefined));
  const allSame = reasons.every((r) => r !== undefined && r === reasons[0]);
  if (allSame && reasons[0]) notes.add(reasons[0]);
  else
    for (const [i, c] of cells.entries()) {
      const reason = reasons[i];
      if (reason) notes.add(`${c.label}: ${reason}`);
    }
  if (cells.some((c) => c.p?.valueBasis === "average-of-combined")) notes.add(AVERAGE_NOTE);
  return [...notes].join("; ");
}

/**
 * Wide CSV. Monthly charts: `period` (YYYY-MM, every month of the span; empty cells where there is no
 * figure, so lines break) and a `note` column. Year-to-date charts: `year` and `months`
 * ("January–November"). Bar charts: `partner`, then values, then `code` and `period`.
 * Text cells that could run as spreadsheet formulas are neutralized.
 */
export function chartCsv(envelope: ChartEnvelope): string {
  const { first, series, extra } = csvColumns(envelope);
  const rows = new Map<string, Record<string, string | number>>();
  const points = new Map<string, Array<{ label: string; p: ChartPoint | undefined }>>();
  for (const s of envelope.series) {
    for (const p of s.points) {
      const key = envelope.chartType === "top-partners" ? (p.category ?? "") : p.chartPeriod;
      let row = rows.get(key);
      if (!row) {
        row =
          envelope.chartType === "top-partners"
            ? { partner: p.categoryLabel ?? key, code: p.category ?? "", period: p.period }
            : envelope.chartType === "ytd-by-year"
              ? { year: p.chartPeriod.slice(0, 4), months: envelope.ytdMonths?.label ?? "" }
              : { period: p.chartPeriod };
        rows.set(key, row);
      }
      if (p.value !== null) row[s.label] = p.value;
      points.set(key, [...(points.get(key) ?? []), { label: s.label, p }]);
    }
  }
  if (envelope.chartType === "monthly")
    for (const [key, row] of rows) row.note = rowNote(points.get(key) ?? []);
  const columns = [...first, ...series, ...extra];
  const ordered =
    envelope.chartType === "top-partners"
      ? [...rows.values()]
      : [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
  return `${Papa.unparse(
    { fields: columns, data: ordered.map((r) => columns.map((c) => r[c] ?? "")) },
    { escapeFormulae: FORMULA_START, newline: "\n" },
  )}\n`;
}

/** Reader notes for the Datawrapper footer: the chart's notes, plus what is special about its points. */
export function readerNotes(envelope: ChartEnvelope): string[] {
  const points = envelope.series.flatMap((s) => s.points);
  const notes = [...envelope.notes];
  if (points.some((p) => p.missing)) notes.push("Gaps mark months for which no figure is available.");
  if (points.some((p) => p.revised)) notes.push("Some figures were revised after first publication.");
  if (points.some((p) => p.caveats?.length))
    notes.push("Some changes from a year earlier compare with unusually small, rounded or revised figures.");
  return notes;
}

/**
 * Datawrapper's external metadata JSON (title, describe, annotate): text for a newspaper reader, never
 * about files or fields (those live in the JSON's `methodology` and docs/graphics.md).
 */
export function datawrapperMetadata(envelope: ChartEnvelope): Record<string, unknown> {
  return {
    title: envelope.title,
    describe: {
      intro: envelope.subtitle,
      "source-name": envelope.source.name,
      "source-url": envelope.source.url,
      byline: "",
    },
    annotate: { notes: readerNotes(envelope).join(" ") },
  };
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export function chartFiles(envelope: ChartEnvelope): ChartFile[] {
  assertValidChart(envelope);
  const metadata = datawrapperMetadata(envelope);
  check("metadata", "A Datawrapper metadata file", metadata);
  return [
    { name: `${envelope.id}.json`, body: json(envelope), contentType: "application/json; charset=utf-8" },
    { name: `${envelope.id}.csv`, body: chartCsv(envelope), contentType: "text/csv; charset=utf-8" },
    {
      name: `${envelope.id}.dw-metadata.json`,
      body: json(metadata),
      contentType: "application/json; charset=utf-8",
    },
  ];
}

export const INDEX_SCHEMA_VERSION = 2;

export function indexFile(charts: ChartIndexEntry[]): ChartFile {
  const index = { schemaVersion: INDEX_SCHEMA_VERSION, charts };
  assertValidIndex(index);
  return { name: "index.json", body: json(index), contentType: "application/json; charset=utf-8" };
}
