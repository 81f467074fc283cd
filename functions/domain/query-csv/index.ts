/**
 * Query-platform CSV exports (stats.customs.gov.cn): streaming reader and normalizer. (A generator of
 * synthetic exports for tests and the benchmark is in test/support/query-export.ts.)
 */
export { fieldOfHeader, QUERY_HEADERS, type QueryField, unitSymbol } from "./columns.js";
export { type DecodeInfo, decodeQueryExport, type QueryEncoding, type QueryExportInput } from "./decode.js";
export {
  type NormalizeQueryOptions,
  normalizeQueryExport,
  QUERY_ROW_LIMIT,
  type QueryFlow,
  queryRowToObservation,
} from "./normalize.js";
export {
  type QueryHeader,
  type QueryQuantity,
  type QueryRow,
  type ReadQueryOptions,
  readQueryRowBatches,
  readQueryRows,
} from "./read.js";
