/**
 * Query-platform CSV exports (stats.customs.gov.cn): streaming reader, normalizer, HS-chapter sums,
 * and a generator of synthetic exports for tests and the benchmark.
 */
export { HS_CHAPTERS, hsChapterOf, sumByHsChapter } from "./chapters.js";
export { fieldOfHeader, QUERY_HEADERS, type QueryField, unitSymbol } from "./columns.js";
export { type DecodeInfo, decodeQueryExport, type QueryEncoding, type QueryExportInput } from "./decode.js";
export {
  type GeneratedExport,
  type GenerateQueryExportOptions,
  generateQueryExport,
  queryExportChunks,
  queryExportLines,
} from "./generate.js";
export {
  type NormalizeQueryOptions,
  normalizeQueryExport,
  QUERY_ROW_LIMIT,
  QUERY_TABLE,
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
