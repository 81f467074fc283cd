/**
 * The query platform's CSV exports as a table of the registry (tables.ts lists it with GACC's tables):
 * they arrive by upload or `npm run ingest`, never from an index page. In a module of its own, with no
 * HTML parser behind it, so the Upload function (which reads only these) carries none.
 */
import { LayoutChanged } from "./errors.js";
import type { NormalizeResult, Provenance, Release } from "./model.js";
import { QUERY_TABLE } from "./table-ids.js";
import type { TableSpec } from "./tables.js";

export const QUERY_EXPORT_TABLE: TableSpec = {
  table: QUERY_TABLE,
  matchesTitle: () => false,
  normalize: async (bytes, provenance, release) => {
    if (!release.declaredFlow) {
      throw new LayoutChanged(
        `The upload ${release.releaseId} does not say whether it holds imports or exports; upload it again and choose the flow`,
      );
    }
    const { normalizeQueryExport } = await import("./query-csv/index.js");
    return normalizeQueryExport(bytes, { flow: release.declaredFlow, provenance });
  },
};

/** Reads an uploaded release (the Upload function's parser): a query export, or a LayoutChanged. */
export function parseQueryExport(
  release: Release,
  bytes: Uint8Array,
  provenance: Provenance,
): Promise<NormalizeResult> {
  if (release.table !== QUERY_TABLE) {
    throw new LayoutChanged(
      `The release ${release.releaseId} is a GACC page (table "${release.table}"), not an upload: the normalize function reads it`,
    );
  }
  return Promise.resolve(QUERY_EXPORT_TABLE.normalize(bytes, provenance, release));
}
