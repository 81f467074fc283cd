/**
 * Serializes a chart envelope into the files graphics load: <id>.json, a wide Datawrapper-ready CSV
 * and Datawrapper external metadata. Output is deterministic (stable key order, no clock).
 */
import Ajv from "ajv";
import Papa from "papaparse";
import schema from "../../../data/schema/chart.schema.json" with { type: "json" };
import { LayoutChanged } from "../errors.js";
import type { ChartEnvelope } from "./envelope.js";

const ajv = new Ajv.default({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

export interface ChartFile {
  name: string;
  body: string;
  contentType: string;
}

/** Throws if the envelope does not match data/schema/chart.schema.json: nothing invalid is published. */
export function assertValidChart(envelope: unknown): asserts envelope is ChartEnvelope {
  if (!validate(envelope)) {
    const detail = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    throw new LayoutChanged(`A chart file failed its schema check and was not published: ${detail}`);
  }
}

const JAN_FEB_NOTE = "January–February combined";

/**
 * Text cells a spreadsheet could run as a formula (OWASP's CSV injection list) get a leading `'`.
 * Papa's own `escapeFormulae: true` pattern (/^[=+\-@\t\r].*$/) misses a cell with a line break
 * after its first character ("=HYPERLINK(…)\nx"); this one only looks at the first character.
 * Numbers are never touched: -8.2 stays a number.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Wide CSV: time series get `period` (YYYY-MM, parses as a date in Datawrapper and Vega-Lite) first;
 * bar charts get `partner`. Text cells that could run as spreadsheet formulas are neutralized.
 */
export function chartCsv(envelope: ChartEnvelope): string {
  const byCategory = envelope.chartType === "top-partners";
  const rows = new Map<string, Record<string, string | number>>();
  for (const s of envelope.series) {
    for (const p of s.points) {
      const key = byCategory ? (p.category ?? "") : p.chartPeriod;
      const row = rows.get(key) ?? (byCategory ? { partner: p.categoryLabel ?? key } : { period: key });
      row[s.label] = p.value;
      if (p.combinedMonths) row.note = JAN_FEB_NOTE;
      rows.set(key, row);
    }
  }
  const first = byCategory ? "partner" : "period";
  const columns = [first, ...envelope.series.map((s) => s.label)];
  if ([...rows.values()].some((r) => r.note)) columns.push("note");
  const ordered = byCategory
    ? [...rows.values()]
    : [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
  return `${Papa.unparse(
    { fields: columns, data: ordered.map((r) => columns.map((c) => r[c] ?? "")) },
    { escapeFormulae: FORMULA_START, newline: "\n" },
  )}\n`;
}

/** Datawrapper's external metadata JSON (title, describe, annotate). */
export function datawrapperMetadata(envelope: ChartEnvelope): Record<string, unknown> {
  return {
    title: envelope.title,
    describe: {
      intro: envelope.subtitle,
      "source-name": envelope.source.name,
      "source-url": envelope.source.url,
    },
    annotate: { notes: [...envelope.notes, ...envelope.warnings].join(" ") },
  };
}

export function chartFiles(envelope: ChartEnvelope): ChartFile[] {
  assertValidChart(envelope);
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  return [
    { name: `${envelope.id}.json`, body: json(envelope), contentType: "application/json; charset=utf-8" },
    { name: `${envelope.id}.csv`, body: chartCsv(envelope), contentType: "text/csv; charset=utf-8" },
    {
      name: `${envelope.id}.dw-metadata.json`,
      body: json(datawrapperMetadata(envelope)),
      contentType: "application/json; charset=utf-8",
    },
  ];
}
