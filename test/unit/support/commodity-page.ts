/**
 * A synthetic table (5)/(6) page ("China's Major Exports/Imports by Quantity and Value", May 2026,
 * US$ million) in GACC's layout, and two data rows as GACC prints them. Tests change one cell of a
 * row (`CRUDE.with(3, "n/a")`) or one option of the page and see what the parser does with that.
 */
import { type Row, releasePage } from "./gacc-page.js";

/** The column groups of a May table: month, year to date, last year's year to date, y/y. */
export const GROUPS = ["5", "1-5 Total", "1-5 Total, 2025", "1-5 Total, Year-On-Year(%)"];

export const span2 = (text: string) => ({ text, colspan: 2 });

export const commodityTitle = (flow: "Exports" | "Imports" = "Imports"): string =>
  `(${flow === "Exports" ? 5 : 6}) China's Major ${flow} by Quantity and Value, May 2026 (in USD)`;

export interface CommodityPageOptions {
  /** Table (5) or (6); Imports unless told. */
  flow?: "Exports" | "Imports";
  /** The page title and the table's title row; the flow's May 2026 title unless told. */
  title?: string;
  unit?: string;
  groups?: string[];
  /** The sub-header row; Quantity, Value under every group unless told. */
  sub?: string[];
  /** Rows after the data; a one-line note unless told. */
  after?: Row[];
}

/** Title row, unit row, header, Quantity/Value sub-header, `rows`, then a note. */
export function commodityPage(rows: Row[], opts: CommodityPageOptions = {}): string {
  const title = opts.title ?? commodityTitle(opts.flow);
  const groups = opts.groups ?? GROUPS;
  const width = 2 + 2 * groups.length;
  return releasePage(title, [
    [{ text: title, colspan: width }],
    [{ text: opts.unit ?? "Unit: USD1 Million", colspan: width }],
    ["Commodity", "Quantity Unit", ...groups.map(span2)],
    opts.sub ?? groups.flatMap(() => ["Quantity", "Value"]),
    ...rows,
    ...(opts.after ?? [[{ text: "Note: synthetic page for tests.", colspan: width }]]),
  ]);
}

/** Name, unit, then Quantity and Value for each of GROUPS, as on the May 2026 imports page. */
export const CRUDE = [
  "Crude petroleum oils",
  "10,000 Tons",
  "3,308.1",
  "25,801.6",
  "21,836.4",
  "125,352.0",
  "22,945.7",
  "125,170.1",
  "-4.8",
  "0.1",
];
export const SOY = [
  "Soya beans",
  "10,000 Tons",
  "1,179.1",
  "5,313.9",
  "3,694.2",
  "17,226.7",
  "3,710.6",
  "16,865.6",
  "-0.4",
  "2.1",
];
