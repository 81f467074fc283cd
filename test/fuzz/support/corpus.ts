/**
 * Inputs to mutate: the project's own pages (rendered by the local mirror from data/samples) and,
 * when ../shared/data/gacc is present, real GACC pages and query-platform exports.
 */
import { readdirSync } from "node:fs";
import {
  renderMirrorSite,
  sampleBulletinReleases,
  sampleCommodityReleases,
  sampleReleases,
} from "../../../local/mirror/render.js";
import { queryExportChunks } from "../../support/query-export.js";
import { readShared, sharedAvailable, sharedPath } from "../../support/shared-data.js";

export interface Input {
  name: string;
  bytes: Buffer;
  /** The table spec that reads it (functions/domain/tables.ts), for pages. */
  table?: string;
  /** The year an index page was requested for. */
  year?: number;
}

let site: ReturnType<typeof renderMirrorSite> | undefined;
function mirrorPage(path: string): Buffer {
  site ??= renderMirrorSite();
  const page = site.get(path);
  if (!page) throw new Error(`the mirror has no page ${path}`);
  return Buffer.from(page.body);
}

/** Our own table (4) pages: a month in CNY, a month in USD, and the Jan–Feb layout. */
export function ownTable4Pages(): Input[] {
  const all = sampleReleases();
  const chosen = [
    all.find((r) => r.currency === "CNY" && !r.janFeb),
    all.find((r) => r.currency === "USD" && r.period === "2023-08"),
    all.find((r) => r.janFeb),
  ].filter((r) => r !== undefined);
  return chosen.map((r) => ({
    name: `mirror ${r.currency} ${r.period}`,
    bytes: mirrorPage(r.path),
    table: r.table,
  }));
}

export function ownCommodityPages(): Input[] {
  return sampleCommodityReleases()
    .slice(0, 2)
    .map((r) => ({ name: `mirror ${r.table} ${r.period}`, bytes: mirrorPage(r.path), table: r.table }));
}

export function ownBulletinPages(): Input[] {
  return sampleBulletinReleases()
    .slice(0, 2)
    .map((r) => ({ name: `mirror bulletin ${r.period}`, bytes: mirrorPage(r.path), table: r.table }));
}

export function ownIndexPages(): Input[] {
  site ??= renderMirrorSite();
  // Index pages of years the sample has releases in (earlier years list titles but link nothing).
  const wanted = /\/statics\/report\/(preliminary2023|preliminary2022|monthly2023)\.html$/i;
  return [...site.entries()]
    .filter(([path]) => wanted.test(path))
    .map(([path, page]) => ({
      name: `mirror ${path}`,
      bytes: Buffer.from(page.body),
      year: Number(/(\d{4})\.html$/.exec(path)?.[1]),
    }));
}

/** Synthetic query-platform exports in the platform's own format (GB18030 and UTF-8, zh and en headers). */
export function ownQueryExports(): Input[] {
  const make = (rows: number, options: Parameters<typeof queryExportChunks>[1]) =>
    Buffer.concat([...queryExportChunks(rows, options)]);
  return [
    { name: "generated gb18030 zh CNY", bytes: make(40, { startPeriod: "2023-01", seed: 1 }) },
    {
      name: "generated utf-8 en USD",
      bytes: make(40, { encoding: "utf-8", headers: "en", currency: "USD", seed: 2 }),
    },
    {
      name: "generated utf-8 bom crlf",
      bytes: make(25, { encoding: "utf-8", bom: true, lineEnding: "\r\n", seed: 3 }),
    },
  ];
}

const SHARED_PAGES: Array<[string, string]> = [
  ["meridian_release_section4_by_country_mar2026_cny.html", "by-country"],
  ["meridian_release_section4_by_country_janfeb2025_cny.html", "by-country"],
  ["meridian_release_section4_by_country_jan2018_cny.html", "by-country"],
  ["meridian_release_section5_major_exports_may2026_usd.html", "major-exports-by-quantity"],
  ["meridian_release_section5_major_exports_apr2025_usd.html", "major-exports-by-quantity"],
  ["meridian_release_section5_major_exports_janfeb2025_cny.html", "major-exports-by-quantity"],
  ["meridian_release_section6_major_imports_may2026_cny.html", "major-imports-by-quantity"],
];

function shared(filter: (table: string) => boolean): Input[] {
  if (!sharedAvailable) return [];
  return SHARED_PAGES.filter(([, t]) => filter(t)).map(([file, table]) => ({
    name: file,
    bytes: readShared("gacc_english_site", file),
    table,
  }));
}

export const sharedTable4Pages = () => shared((t) => t === "by-country");
export const sharedCommodityPages = () => shared((t) => t !== "by-country");

export function sharedIndexPages(): Input[] {
  if (!sharedAvailable) return [];
  return [
    {
      name: "meridian_seed_2026.html",
      bytes: readShared("gacc_english_site", "meridian_seed_2026.html"),
      year: 2026,
    },
  ];
}

export function sharedQueryExports(): Input[] {
  if (!sharedAvailable) return [];
  return readdirSync(sharedPath("stats_customs_query_platform"))
    .filter((f) => f.startsWith("harukaworks_"))
    .map((f) => ({ name: f, bytes: readShared("stats_customs_query_platform", f) }));
}
