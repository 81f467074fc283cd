/**
 * The id of each table this pipeline reads: stored on every release and observation, named in
 * release ids and chart provenance. Imports nothing, so chart building, publishing and the mirror
 * can name a table without loading its parser.
 */

/** Table (4) of the preliminary release: trade by country/region. */
export const BY_COUNTRY_TABLE = "by-country";
/** The Monthly Bulletin's table by country/region (the verified vintage). */
export const BULLETIN_BY_COUNTRY_TABLE = "bulletin-by-country";
/** Table (5) of the preliminary release: major exports by quantity and value. */
export const MAJOR_EXPORTS_TABLE = "major-exports-by-quantity";
/** Table (6) of the preliminary release: major imports by quantity and value. */
export const MAJOR_IMPORTS_TABLE = "major-imports-by-quantity";
/** Query-platform CSV exports, uploaded by an editor or `npm run ingest`. */
export const QUERY_TABLE = "query-platform";
