/**
 * The tables this pipeline reads, matched by title words (table numbers drift between years).
 * Adding a table = one entry here with its title test and its normalizer.
 */

import { BY_COUNTRY_TABLE, isByCountryTitle, normalizeTable4 } from "./gacc/table4.js";
import type { NormalizeResult, Provenance } from "./model.js";

export interface TableSpec {
  table: string;
  source: "prelim" | "bulletin" | "query";
  matchesTitle(title: string): boolean;
  normalize(bytes: Uint8Array, provenance: Provenance): NormalizeResult;
}

const decode = (bytes: Uint8Array) => new TextDecoder("utf-8").decode(bytes);

export const PRELIMINARY_TABLES: TableSpec[] = [
  {
    table: BY_COUNTRY_TABLE,
    source: "prelim",
    matchesTitle: isByCountryTitle,
    normalize: (bytes, provenance) => normalizeTable4(decode(bytes), { provenance }),
  },
];

export function tableSpec(table: string): TableSpec | undefined {
  return PRELIMINARY_TABLES.find((t) => t.table === table);
}

/** "prelim-by-country-usd-2023-08", "prelim-by-country-cny-2025-01/02" → stable, readable ids. */
export function releaseIdOf(source: string, table: string, currency: string, period: string): string {
  return `${source}-${table}-${currency.toLowerCase()}-${period.replace("/", "-")}`;
}
