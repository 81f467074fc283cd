/**
 * Query-platform export → observations (vintage "query", kind "month", reporter CHN, commodity = the
 * HS code as printed). The file does not say whether it holds imports or exports: that was a choice
 * in the query, so the uploader states it (`flow`), and it is required.
 */

import {
  checkHasRows,
  findingSink,
  flag,
  partnerNameMismatch,
  queryBreakdown,
  queryDuplicateRows,
  queryNoValue,
  queryRowLimit,
  queryUnknownUnit,
  warnPartnerUnmapped,
} from "../checks/index.js";
import { ConfigurationError, LayoutChanged } from "../errors.js";
import type { Currency, NormalizeResult, Observation, Partner, Provenance } from "../model.js";
import { partners as defaultRegistry, type PartnerEntry, type PartnerRegistry } from "../partners.js";
import { QUERY_TABLE } from "../table-ids.js";
import type { QueryExportInput } from "./decode.js";
import { type QueryHeader, type QueryRow, readQueryRows } from "./read.js";

/** The platform's limit on rows per export: a file with exactly this many was probably cut off. */
export const QUERY_ROW_LIMIT = 10_000;

export type QueryFlow = "imports" | "exports";

export interface NormalizeQueryOptions {
  /** What the query asked for; the file itself does not say. */
  flow: QueryFlow;
  provenance: Provenance;
  /** Defaults to the project's registry (data/partners.json). */
  registry?: PartnerRegistry;
}

/** Lines listed in a finding before "and N more". */
const LIST_LINES = 10;

function listLines(lines: number[], total: number): string {
  const shown = lines.slice(0, LIST_LINES).join(", ");
  return total > LIST_LINES ? `${shown} and ${total - LIST_LINES} more` : shown;
}

interface Tally {
  lines: number[];
  count: number;
}

function tally(map: Map<string, Tally>, key: string, line: number): void {
  const t = map.get(key) ?? { lines: [], count: 0 };
  if (t.lines.length < LIST_LINES) t.lines.push(line);
  t.count++;
  map.set(key, t);
}

function requireOptions(options: NormalizeQueryOptions | undefined): {
  flow: QueryFlow;
  provenance: Provenance;
} {
  const flow = options?.flow as unknown;
  if (flow !== "imports" && flow !== "exports") {
    throw new ConfigurationError(
      `A query-platform export needs its flow stated as "imports" or "exports"${flow === undefined ? "" : ` (got ${JSON.stringify(flow)})`}: ` +
        "the file does not say which the query asked for. Give it with the upload (or --flow on the command line).",
    );
  }
  if (!options?.provenance) {
    throw new ConfigurationError(
      "A query-platform export needs its provenance (release id, URL, sha256, fetched-at)",
    );
  }
  return { flow, provenance: options.provenance };
}

/**
 * Maps one row to an observation, or undefined when its partner code is not in the registry or its
 * value is printed as `?` (the caller reports both). Exposed for streaming callers (the benchmark).
 */
export function queryRowToObservation(
  row: QueryRow,
  flow: QueryFlow,
  provenance: Provenance,
  registry: PartnerRegistry = defaultRegistry,
  partnerCache?: Map<string, Partner>,
): Observation | undefined {
  if (row.value === undefined) return undefined;
  const name = row.partnerName ?? "";
  const cacheKey = `${row.partnerCode}\u0000${name}`;
  let partner = partnerCache?.get(cacheKey);
  if (!partner) {
    const entry = registry.byPlatform(row.partnerCode);
    if (!entry) return undefined;
    partner = {
      code: entry.code,
      nameAsPrinted: row.partnerName ?? entry.platformNameZh ?? entry.names[0] ?? row.partnerCode,
      isGrouping: entry.grouping,
    };
    partnerCache?.set(cacheKey, partner);
  }
  const q = row.quantity;
  return {
    reporter: "CHN",
    partner,
    flow,
    commodity: row.hsCode,
    commodityLabel: row.commodityName,
    quantity: q ? { value: q.value, unit: q.unit, printedUnit: q.printedUnit } : undefined,
    period: row.period,
    kind: "month",
    value: row.value,
    currency: row.currency,
    printed: { value: row.valuePrinted, unit: row.currency },
    vintage: "query",
    provenance,
  };
}

/**
 * Reads and normalizes a whole export. Observations are collected in memory (the platform exports
 * at most 10,000 rows a file); for bigger inputs stream with readQueryRows + queryRowToObservation.
 * Throws LayoutChanged (nothing returned) when the file cannot be read as a platform export.
 */
export async function normalizeQueryExport(
  input: QueryExportInput,
  options: NormalizeQueryOptions,
): Promise<NormalizeResult> {
  const { flow, provenance } = requireOptions(options);
  const registry = options.registry ?? defaultRegistry;
  let header: QueryHeader | undefined;
  const observations: Observation[] = [];
  const partnerCache = new Map<string, Partner>();
  // Printed name → registry entry, looked up once per name: folding a name costs a Unicode
  // normalization and a dozen replacements, and a file repeats each partner's name on every row.
  const byName = new Map<string, PartnerEntry | undefined>();
  const unmapped = new Map<string, Tally>();
  const noValue = new Map<string, Tally>();
  const unknownUnits = new Map<string, Tally>();
  const nameMismatch = new Map<string, Tally>();
  const seen = new Map<string, number>();
  const duplicates: string[] = [];
  let duplicateCount = 0;
  let dataRows = 0;
  let first: string | undefined;
  let last: string | undefined;

  for await (const row of readQueryRows(input, { onHeader: (h) => (header = h) })) {
    dataRows++;
    const entry = registry.byPlatform(row.partnerCode);
    if (!entry) {
      tally(unmapped, `${row.partnerCode}\u0000${row.partnerName ?? ""}`, row.line);
      continue;
    }
    if (row.partnerName) {
      if (!byName.has(row.partnerName)) byName.set(row.partnerName, registry.byPrintedName(row.partnerName));
      const named = byName.get(row.partnerName);
      if (named && named.code !== entry.code) {
        tally(nameMismatch, `${row.partnerCode}\u0000${row.partnerName}\u0000${named.code}`, row.line);
      }
    }
    const obs = queryRowToObservation(row, flow, provenance, registry, partnerCache);
    if (!obs) {
      tally(noValue, row.valuePrinted, row.line);
      continue;
    }
    for (const q of [row.quantity, row.supplementaryQuantity]) {
      if (q && !q.unitKnown && q.printedUnit !== "") tally(unknownUnits, q.printedUnit, row.line);
    }
    const key = `${row.period}|${row.partnerCode}|${row.hsCode}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      duplicateCount++;
      if (duplicates.length < LIST_LINES) duplicates.push(`line ${row.line} repeats line ${earlier}`);
    } else {
      seen.set(key, row.line);
    }
    if (first === undefined || row.period < first) first = row.period;
    if (last === undefined || row.period > last) last = row.period;
    observations.push(obs);
  }
  if (!header) throw new LayoutChanged("The file has no header line");

  const sink = findingSink();
  const f = header.fields;
  const breakdown = [
    f.regimeCode !== undefined || f.regimeName !== undefined ? "customs regime (贸易方式)" : undefined,
    f.provinceCode !== undefined || f.provinceName !== undefined
      ? "location of importer/exporter (注册地)"
      : undefined,
  ].filter((b): b is string => b !== undefined);
  if (breakdown.length > 0) {
    flag(
      queryBreakdown,
      sink,
      `the export is broken down by ${breakdown.join(" and ")}: its rows are parts of a partner's trade in a ` +
        "commodity, and the file cannot say whether every part was included. Export again without that breakdown",
    );
  } else if (duplicateCount > 0) {
    flag(
      queryDuplicateRows,
      sink,
      `${duplicateCount === 1 ? "1 row repeats" : `${duplicateCount} rows repeat`} the month, partner and HS code of an earlier row (${duplicates.join("; ")}): the file cannot be read as one value per series`,
    );
  }
  if (dataRows === QUERY_ROW_LIMIT) {
    flag(
      queryRowLimit,
      sink,
      `the file has exactly ${QUERY_ROW_LIMIT.toLocaleString("en-US")} data rows: probably cut off at the platform's 10,000-row limit. Split the query (fewer months, partners or HS codes) and upload each part`,
    );
  }
  for (const [key, t] of unmapped) {
    const [code, name] = key.split("\u0000");
    warnPartnerUnmapped(
      sink,
      `partner code ${code}${name ? ` ("${name}")` : ""} is not in our list of partners yet, so ${t.count === 1 ? "its row was" : `its ${t.count} rows were`} left out (line ${listLines(t.lines, t.count)}); an engineer can add it`,
    );
  }
  for (const [key, t] of nameMismatch) {
    const [code, name, other] = key.split("\u0000");
    flag(
      partnerNameMismatch,
      sink,
      `partner code ${code} is printed with the name "${name}", which belongs to another partner (${other}); the rows were read by their code (line ${listLines(t.lines, t.count)})`,
    );
  }
  for (const [printed, t] of noValue) {
    flag(
      queryNoValue,
      sink,
      `${t.count === 1 ? "1 row prints" : `${t.count} rows print`} the value as "${printed}" (none), so ${t.count === 1 ? "it was" : "they were"} left out (line ${listLines(t.lines, t.count)})`,
    );
  }
  for (const [unit, t] of unknownUnits) {
    flag(
      queryUnknownUnit,
      sink,
      `the unit "${unit}" is not one we know; quantities in it are kept with the unit as printed (line ${listLines(t.lines, t.count)})`,
    );
  }
  checkHasRows(observations.length, sink, "The query-platform export parsed to zero rows");

  const currency: Currency = header.currency;
  const span = first && last ? (first === last ? first : `${first} to ${last}`) : "no data";
  return {
    table: QUERY_TABLE,
    currency,
    period: last ?? "",
    title: `Query platform export: China's ${flow} by partner and HS code, ${span} (${currency === "CNY" ? "yuan" : "US dollars"})`,
    observations,
    blocking: sink.blocking,
    warnings: sink.warnings,
  };
}
