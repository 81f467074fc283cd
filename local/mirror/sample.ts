/**
 * The project's sample of published figures (data/samples/published-figures.csv), read and checked:
 * one row per figure as a news report or GACC's own page published it, with its source. The mirror's
 * table (4) pages (render-table4.ts) are rendered from it; a malformed row throws SampleDataError
 * naming its line.
 */
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import type { Currency, Flow } from "../../functions/domain/model.js";
import { SampleDataError } from "./html.js";

export const DEFAULT_SAMPLE_CSV = new URL("../../data/samples/published-figures.csv", import.meta.url);

export type PeriodKind = "month" | "jan_feb" | "ytd";

/** One row of data/samples/published-figures.csv: one published figure with its source. */
export interface SampleFigure {
  /** "2023-08" (month or year-to-date to August) or "2023-01/02" (combined January–February). */
  period: string;
  periodKind: PeriodKind;
  currency: Currency;
  partnerAsPrinted: string;
  flow: Flow;
  /** The value exactly as published, in `unit` (thousands separators removed). */
  value: string;
  unit: string;
  /** y/y % as published (for month rows a single-month y/y, which table (4) does not print). */
  yoyPct: string;
  sourceUrl: string;
  sourceOutlet: string;
  sourceDate: string;
  note: string;
}

export const SAMPLE_COLUMNS = [
  "period",
  "period_kind",
  "table_currency",
  "partner_as_printed",
  "flow",
  "value",
  "unit",
  "yoy_pct",
  "source_url",
  "source_outlet",
  "source_date",
  "note",
] as const;

/** Units the sample may use, as powers of ten of the currency's base unit. */
export const SAMPLE_UNITS: Record<string, { currency: Currency; powerOfTen: number }> = {
  "USD bn": { currency: "USD", powerOfTen: 9 },
  "USD1 Million": { currency: "USD", powerOfTen: 6 },
  "CNY 100 Million": { currency: "CNY", powerOfTen: 8 },
};

export const FLOWS: Flow[] = ["total", "exports", "imports"];
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function readSampleCsv(url: URL = DEFAULT_SAMPLE_CSV): string {
  return readFileSync(url, "utf8");
}

/** Parses and checks the sample CSV. Throws SampleDataError naming the line of anything malformed. */
export function parseSampleFigures(csvText: string): SampleFigure[] {
  const parsed = Papa.parse<Record<string, string>>(csvText, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new SampleDataError(`The sample CSV does not parse (row ${e?.row}): ${e?.message}`);
  }
  const missing = SAMPLE_COLUMNS.filter((c) => !parsed.meta.fields?.includes(c));
  if (missing.length > 0) throw new SampleDataError(`The sample CSV lacks the columns ${missing.join(", ")}`);
  const seen = new Set<string>();
  return parsed.data.map((r, i) => {
    const line = i + 2;
    const get = (c: (typeof SAMPLE_COLUMNS)[number]) => (r[c] ?? "").trim();
    const kind = get("period_kind");
    const flow = get("flow");
    const currency = get("table_currency");
    const unit = get("unit");
    const period = get("period");
    const value = get("value");
    const yoy = get("yoy_pct");
    const where = `Sample CSV line ${line}`;
    if (kind !== "month" && kind !== "jan_feb" && kind !== "ytd")
      throw new SampleDataError(`${where}: period_kind "${kind}"`);
    if (!FLOWS.includes(flow as Flow)) throw new SampleDataError(`${where}: flow "${flow}"`);
    if (currency !== "USD" && currency !== "CNY")
      throw new SampleDataError(`${where}: table_currency "${currency}"`);
    const u = SAMPLE_UNITS[unit];
    if (!u || u.currency !== currency)
      throw new SampleDataError(`${where}: unit "${unit}" for a ${currency} table`);
    const periodOk =
      kind === "jan_feb" ? /^\d{4}-01\/02$/.test(period) : /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
    if (!periodOk) throw new SampleDataError(`${where}: period "${period}" for kind ${kind}`);
    if (!PLAIN_NUMBER.test(value))
      throw new SampleDataError(`${where}: value "${value}" is not a plain number`);
    if (yoy !== "" && !PLAIN_NUMBER.test(yoy)) throw new SampleDataError(`${where}: yoy_pct "${yoy}"`);
    if (!get("source_url") || !get("source_outlet"))
      throw new SampleDataError(`${where}: every figure needs its source`);
    const key = [currency, period, kind, get("partner_as_printed"), flow].join("|");
    if (seen.has(key))
      throw new SampleDataError(`${where}: a second figure for ${key}; choose one and say so in note`);
    seen.add(key);
    return {
      period,
      periodKind: kind,
      currency,
      partnerAsPrinted: get("partner_as_printed"),
      flow: flow as Flow,
      value,
      unit,
      yoyPct: yoy,
      sourceUrl: get("source_url"),
      sourceOutlet: get("source_outlet"),
      sourceDate: get("source_date"),
      note: get("note"),
    };
  });
}
