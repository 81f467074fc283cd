/**
 * Tables (5) and (6) of the preliminary release: "China's Major Exports / Imports by Quantity and
 * Value". China's totals by commodity (partner WORLD), not by partner.
 *
 * Normal layout, one row per commodity: Commodity | Quantity Unit | then a Quantity/Value pair for
 * each column group: the month ("5"), the year to date ("1-5 Total"), last year's year to date
 * ("1-5 Total, 2025") and the year-to-date y/y % ("1-5 Total, Year-On-Year(%)").
 *
 * What real pages do, and what we do about it:
 * - Tables are matched by title words ("Major Exports"/"Major Imports" + "Quantity"), never by number.
 * - January–February: no month group (8 cells a row); the "1-2 Total" group becomes kind "jan-feb".
 * - April 2025 (exports): data rows lack the Quantity Unit cell and end with an empty cell, so every
 *   value sits one column left of its header. We recognise that shape for the whole table (second
 *   cell a number on some rows, never a unit; every row ends with an empty cell), realign the values
 *   and say so in a warning. The page prints no quantity units then: quantities are kept only where
 *   the caller passes the unit of the same commodity from another release (`unitHints`, with its own
 *   warning), otherwise they are left out and listed. A table mixing shapes is rejected.
 * - May 2026 (imports) labels last year's column "2024": warned about; the column is read by its
 *   position as last year's.
 * - Units vary by row ("10,000 Tons", "Ton", "100 Million PCS"): quantities are scaled exactly to a
 *   base unit ("ton", "piece"...) and the printed unit is kept.
 * - Starred rows ("Agriculture products*") are aggregates; indentation (&nbsp;) is recorded as the
 *   row's printed parent. GACC's indentation is not always inclusion (on the May 2026 imports page,
 *   iron ore sits indented below the agriculture block): it is information, never a reason to sum.
 *
 * Read in named steps: locate (title, flow, period, unit row, header) → columns (commodity/columns.ts)
 * → layout (commodity/layout.ts) → rows and their checks (commodity/rows.ts, rules in domain/checks/).
 * Structural surprises that leave nothing to read (not a table (5)/(6), no period, no unit row, no
 * header) throw LayoutChanged; everything else is reported as a blocking finding or a warning.
 */
import {
  checkCurrencyAgrees,
  checkHasRows,
  columnsKnown,
  type FindingSink,
  findingSink,
  flag,
  layoutKnown,
  quantityUnitHint,
  quantityUnitKnown,
  unitCellMissing,
} from "../checks/index.js";
import type { Provenance } from "../model.js";
import { MAJOR_EXPORTS_TABLE, MAJOR_IMPORTS_TABLE } from "../table-ids.js";
import { readColumns } from "./commodity/columns.js";
import { detectLayout } from "./commodity/layout.js";
import type { CommodityTableResult } from "./commodity/model.js";
import { type ReadRows, readRows } from "./commodity/rows.js";
import type { TableCell } from "./html-table.js";
import { type LocatedTable, locateTable, type TableSigns } from "./locate.js";

export { commodityCode } from "./commodity/codes.js";
export type { CommodityLayout, CommodityRow, CommodityTableResult } from "./commodity/model.js";
export { parseQuantityUnit, type QuantityUnit } from "./commodity/quantity-unit.js";

export interface CommodityTableOptions {
  /**
   * Printed quantity units by commodity code ("cat:rare-earth" → "Ton"), taken from another release
   * of the same table. Used only when this page prints no units (the April 2025 defect), and said so.
   */
  unitHints?: ReadonlyMap<string, string> | Readonly<Record<string, string>> | undefined;
}

/** Unit hints from a good release, for a later page that prints none. */
export function quantityUnitHints(result: CommodityTableResult): Map<string, string> {
  const hints = new Map<string, string>();
  for (const row of result.rows) {
    if (row.quantityUnit && row.unitSource === "printed") hints.set(row.commodity, row.quantityUnit.printed);
  }
  return hints;
}

export function normalizeCommodityTable(
  html: string,
  provenance: Provenance,
  options: CommodityTableOptions = {},
): CommodityTableResult {
  const located = locateTable(html, COMMODITY_SIGNS);
  const { title, titlePeriod, unit, kind: flow } = located;
  const sink = findingSink();
  const base = {
    table: flow === "exports" ? MAJOR_EXPORTS_TABLE : MAJOR_IMPORTS_TABLE,
    currency: unit.currency,
    period: titlePeriod.period,
    title,
    flow,
  } as const;
  checkCurrencyAgrees(
    unit,
    [
      ["title", title],
      ["table's title row", located.titleRow?.[0]?.text ?? ""],
    ],
    sink,
  );
  const columns = readColumns(located.header, located.subHeader, titlePeriod, sink);
  const dataRows = dataRowsOf(located, sink);
  checkHasRows(dataRows.length, sink, `The table "${title}" has no commodity rows.`);
  const layout = detectLayout(dataRows, columns.width);
  if (layout === undefined) {
    flag(
      layoutKnown,
      sink,
      "Some rows have a quantity unit in the second cell and others a number: the values cannot be " +
        "lined up with their headers safely, so nothing from this page is used.",
    );
  }
  if (sink.blocking.some((f) => f.check === columnsKnown.id) || layout === undefined || !columns.groups.ytd) {
    return { ...base, layout: layout ?? "normal", observations: [], rows: [], ...sink };
  }
  if (layout === "unit-cell-missing") {
    flag(
      unitCellMissing,
      sink,
      "The data rows on this page lack the Quantity Unit cell and end with an empty cell, so every value sits one " +
        "column left of its header (a known GACC defect). The values were realigned under their headers; the page " +
        "prints no quantity units.",
    );
  }
  const hints = hintsOf(options);
  const read = readRows(dataRows, { flow, layout, columns, unit, titlePeriod, provenance, hints, sink });
  checkQuantityUnits(read, sink);
  if (dataRows.length > 0) {
    checkHasRows(read.observations.length, sink, `No figures could be read from the table "${title}".`);
  }
  return { ...base, layout, observations: read.observations, rows: read.rows, ...sink };
}

// ---------------------------------------------------------------------------------------------
// Locate: title (flow, period), unit row and the two header rows
// ---------------------------------------------------------------------------------------------

/** The flow of a table (5)/(6) title ("China's Major Imports by Quantity and Value"), or undefined: not one. */
export function commodityTableFlow(title: string): "exports" | "imports" | undefined {
  const flow = /major\s+(exports|imports)\b/i.exec(title)?.[1]?.toLowerCase();
  if (!/quantity/i.test(title)) return undefined;
  return flow === "exports" ? "exports" : flow === "imports" ? "imports" : undefined;
}

/** What marks table (5) or (6): "China's Major Exports/Imports by Quantity and Value". */
const COMMODITY_SIGNS: TableSigns<"exports" | "imports"> = {
  page: "This table of major exports/imports",
  titleRow: /major\s+(exports|imports)/i,
  kindOf: (title) => commodityTableFlow(title),
  notThisTable: (title) =>
    `"${title}" is not a table of China's major exports or imports by quantity and value: check which table this page is.`,
  periodExample: '"May 2026" or "January-February 2025"',
  unitExample: "Unit: USD1 Million",
  isHeader: (cells) => /^commodity/i.test(cells[0]?.text ?? ""),
  headerStart: "Commodity",
};

// ---------------------------------------------------------------------------------------------
// Data rows: between the header and GACC's notes
// ---------------------------------------------------------------------------------------------

const isNoteRow = (cells: TableCell[]): boolean => /^notes?\s*[:：]/i.test(cells[0]?.text ?? "");

function dataRowsOf(located: LocatedTable<unknown>, sink: FindingSink): TableCell[][] {
  const dataRows: TableCell[][] = [];
  let inNotes = false;
  for (const cells of located.page.rows.slice(located.headerIndex + 2)) {
    if (cells.every((c) => c.text === "")) continue;
    inNotes ||= isNoteRow(cells);
    if (inNotes) {
      // Notes run to the end of the table; a data row after them means the layout is not what we know.
      if (cells.length > 1) flag(layoutKnown, sink, `A row after the notes: "${cells[0]?.text ?? ""}".`);
      continue;
    }
    if (cells.length === 1) {
      flag(layoutKnown, sink, `A row spanning the table amid the data: "${cells[0]?.text ?? ""}".`);
      continue;
    }
    dataRows.push(cells);
  }
  return dataRows;
}

// ---------------------------------------------------------------------------------------------
// Quantity units: hints in, what was taken from them or left out said
// ---------------------------------------------------------------------------------------------

function hintsOf(options: CommodityTableOptions): ReadonlyMap<string, string> {
  if (!options.unitHints) return new Map<string, string>();
  return options.unitHints instanceof Map ? options.unitHints : new Map(Object.entries(options.unitHints));
}

function checkQuantityUnits(read: ReadRows, sink: FindingSink): void {
  if (read.hinted.length > 0) {
    flag(
      quantityUnitHint,
      sink,
      `This page prints no quantity units; the units of ${read.hinted.join(", ")} were taken from another release of the same table.`,
    );
  }
  if (read.quantitiesLeftOut.length > 0) {
    flag(
      quantityUnitKnown,
      sink,
      `Quantities without a known unit were left out (values kept) for: ${read.quantitiesLeftOut.join(", ")}.`,
    );
  }
}
