/**
 * The tables this pipeline reads, matched by title words (table numbers drift between years), and
 * the index pages that list them. Adding a table = one entry here with its title test and normalizer.
 *
 * Table (4)'s, the Bulletin's and the query-platform CSV reader's modules are imported on first use:
 * fetch only matches titles, and a normalize run loads the parser its release needs. (The commodity
 * tables' module decides their titles too, so it is loaded with this one.)
 */
import { LayoutChanged } from "./errors.js";
import { commodityTableFlow, normalizeCommodityTable } from "./gacc/commodity-table.js";
import { decodePage } from "./gacc/html-table.js";
import type { IndexPageKind } from "./gacc/index-page.js";
import { isByCountryTitle } from "./gacc/release-title.js";
import type { NormalizeResult, Provenance, Release } from "./model.js";
import { QUERY_EXPORT_TABLE } from "./query-export-table.js";
import {
  BULLETIN_BY_COUNTRY_TABLE,
  BY_COUNTRY_TABLE,
  MAJOR_EXPORTS_TABLE,
  MAJOR_IMPORTS_TABLE,
} from "./table-ids.js";

export interface TableSpec {
  table: string;
  matchesTitle(title: string): boolean;
  normalize(
    bytes: Uint8Array,
    provenance: Provenance,
    release: Release,
  ): NormalizeResult | Promise<NormalizeResult>;
}

/** An index page kind and the tables read from it. */
export interface IndexSource {
  /** Short prefix of release ids ("prelim", "bulletin"). */
  source: string;
  /** Recorded on each release. */
  name: string;
  indexPage: IndexPageKind;
  tables: TableSpec[];
}

const decode = (bytes: Uint8Array) => decodePage(bytes);

export const INDEX_SOURCES: IndexSource[] = [
  {
    source: "prelim",
    name: "gacc-preliminary",
    indexPage: "preliminary",
    tables: [
      {
        table: BY_COUNTRY_TABLE,
        matchesTitle: isByCountryTitle,
        normalize: async (bytes, provenance) =>
          (await import("./gacc/table4.js")).normalizeTable4(decode(bytes), { provenance }),
      },
      {
        table: MAJOR_EXPORTS_TABLE,
        matchesTitle: (title) => commodityTableFlow(title) === "exports",
        normalize: (bytes, provenance) => normalizeCommodityTable(decode(bytes), provenance),
      },
      {
        table: MAJOR_IMPORTS_TABLE,
        matchesTitle: (title) => commodityTableFlow(title) === "imports",
        normalize: (bytes, provenance) => normalizeCommodityTable(decode(bytes), provenance),
      },
    ],
  },
  {
    source: "bulletin",
    name: "gacc-bulletin",
    indexPage: "monthly",
    tables: [
      {
        table: BULLETIN_BY_COUNTRY_TABLE,
        matchesTitle: isByCountryTitle,
        normalize: async (bytes, provenance) =>
          (await import("./gacc/bulletin.js")).normalizeBulletinByCountry(decode(bytes), provenance),
      },
    ],
  },
];

const ALL_TABLES: TableSpec[] = [...INDEX_SOURCES.flatMap((s) => s.tables), QUERY_EXPORT_TABLE];

export function tableSpec(table: string): TableSpec | undefined {
  return ALL_TABLES.find((t) => t.table === table);
}

/** The table of `source` a link's title names, if it is one we read (fetch's choice). */
export function tableOfTitle(source: IndexSource, title: string): TableSpec | undefined {
  return source.tables.find((t) => t.matchesTitle(title));
}

/** Reads a release with the parser of its table, from the same list fetch matched its title against. */
export function parseRelease(
  release: Release,
  bytes: Uint8Array,
  provenance: Provenance,
): NormalizeResult | Promise<NormalizeResult> {
  const spec = tableSpec(release.table);
  if (!spec) throw new LayoutChanged(`No parser is registered for the table "${release.table}"`);
  return spec.normalize(bytes, provenance, release);
}

/** "prelim-by-country-usd-2023-08", "bulletin-by-country-usd-2023-08" → stable, readable ids. */
export function releaseIdOf(source: string, table: string, currency: string, period: string): string {
  const name = table.startsWith(`${source}-`) ? table : `${source}-${table}`;
  return `${name}-${currency.toLowerCase()}-${period.replace("/", "-")}`;
}
