/**
 * Tables (5) "China's Major Exports by Quantity and Value" and (6) "Major Imports ..." for the local
 * GACC mirror, rendered from the project's own commodity samples (data/samples/major-*.csv, one row
 * per commodity as printed on GACC's page) in the layout of GACC's pages:
 *
 *   title row; "Unit: CNY 100 Million" / "Unit: USD1 Million"; a header row "Commodity" | "QTY Unit" |
 *   "5" | "1-5 Total" | "1-5 Total, 2025" | "1-5 Total Year-On-Year(%)" (each group spanning a
 *   Quantity and a Value column) and a sub-header of Quantity/Value pairs; then one row per commodity,
 *   its hierarchy shown by leading &nbsp;, `-` where the page prints none; GACC's notes at the end.
 *
 * Every printed digit comes from the sample; nothing is computed or invented. Only single-month
 * releases are supported (the January–February layout has no sample yet).
 */
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { parseQuantityUnit } from "../../functions/domain/gacc/commodity-table.js";
import type { Currency } from "../../functions/domain/model.js";
import { MAJOR_EXPORTS_TABLE, MAJOR_IMPORTS_TABLE } from "../../functions/domain/table-ids.js";
import {
  articlePage,
  esc,
  GACC_ORIGIN,
  indexTitleOf,
  type MirrorRelease,
  MONTH_ABBR,
  nbsp,
  pageIdFor,
  SampleDataError,
  type SampleFile,
  withThousands,
} from "./html.js";

export const SAMPLES_DIR = new URL("../../data/samples/", import.meta.url);
/** The commodity samples the mirror serves by default (file names in data/samples/). */
export const DEFAULT_COMMODITY_SAMPLES: readonly string[] = ["major-imports-2026-05-cny.csv"];

/** One commodity row of a sample, cells as printed (thousands commas removed, `-` for none). */
export interface CommoditySampleRow {
  label: string;
  /** Leading &nbsp; before the label on the page. */
  indent: number;
  /** Starred row ("Agriculture products*"): an aggregate of other rows. */
  aggregate: boolean;
  /** "10,000 Tons", "Ton", "100 Million PCS"..., or "-". */
  quantityUnit: string;
  monthQuantity: string;
  monthValue: string;
  ytdQuantity: string;
  ytdValue: string;
  priorYtdQuantity: string;
  priorYtdValue: string;
  ytdYoyPctQuantity: string;
  ytdYoyPctValue: string;
  note: string;
}

/** One rendered table (5)/(6) page. */
export interface CommodityRelease extends MirrorRelease {
  table: typeof MAJOR_EXPORTS_TABLE | typeof MAJOR_IMPORTS_TABLE;
  /** GACC's table number in the preliminary release: 5 exports, 6 imports. */
  tableNumber: 5 | 6;
  flow: "exports" | "imports";
  /** The row of the preliminary index that links it: "(6) China's Major Imports by Quantity and Value (in CNY)". */
  indexTitle: string;
  /** The unit row as printed: "Unit: CNY 100 Million". */
  unitRow: string;
  /** Value unit as a power of ten of the currency (8 for CNY 100 Million). */
  valuePowerOfTen: number;
  /** "2026/06/10", from the sample's source_date. */
  postedOn: string;
  sourceUrl: string;
  sourceOutlet: string;
  /** The sample file it was rendered from. */
  sampleFile: string;
  rows: CommoditySampleRow[];
}

const COLUMNS = [
  "period",
  "table_currency",
  "flow",
  "value_unit",
  "commodity_as_printed",
  "indent_nbsp",
  "aggregate",
  "quantity_unit",
  "month_quantity",
  "month_value",
  "ytd_quantity",
  "ytd_value",
  "prior_ytd_quantity",
  "prior_ytd_value",
  "ytd_yoy_pct_quantity",
  "ytd_yoy_pct_value",
  "source_url",
  "source_outlet",
  "source_date",
  "note",
] as const;

/** Value units a sample may use, as GACC's unit rows print them. */
const VALUE_UNITS: Record<string, { currency: Currency; powerOfTen: number }> = {
  "CNY 100 Million": { currency: "CNY", powerOfTen: 8 },
  "USD1 Million": { currency: "USD", powerOfTen: 6 },
};

const CELL = /^(-|-?\d+(\.\d+)?)$/;
const NUMBER_COLUMNS = COLUMNS.slice(COLUMNS.indexOf("month_quantity"), COLUMNS.indexOf("source_url"));

export function readCommoditySamples(names: readonly string[] = DEFAULT_COMMODITY_SAMPLES): SampleFile[] {
  return names.map((name) => ({ name, text: readFileSync(new URL(name, SAMPLES_DIR), "utf8") }));
}

/**
 * Reads and checks one commodity sample. Throws SampleDataError naming the line of anything the page
 * could not print as published (a malformed number, an unknown unit, a month above its year to date).
 */
export function parseCommoditySample(file: SampleFile): Omit<CommodityRelease, "indexPath"> {
  const parsed = Papa.parse<Record<string, string>>(file.text, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new SampleDataError(`${file.name} does not parse (row ${e?.row}): ${e?.message}`);
  }
  const missing = COLUMNS.filter((c) => !parsed.meta.fields?.includes(c));
  if (missing.length > 0) throw new SampleDataError(`${file.name} lacks the columns ${missing.join(", ")}`);
  if (parsed.data.length === 0) throw new SampleDataError(`${file.name} has no commodity rows`);

  const first = parsed.data[0] ?? {};
  const shared = (c: (typeof COLUMNS)[number]) => (first[c] ?? "").trim();
  const period = shared("period");
  const flow = shared("flow");
  const valueUnit = shared("value_unit");
  const currency = shared("table_currency");
  const unit = VALUE_UNITS[valueUnit];
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period))
    throw new SampleDataError(`${file.name}: period "${period}" (a single month "2026-05" is expected)`);
  if (flow !== "imports" && flow !== "exports") throw new SampleDataError(`${file.name}: flow "${flow}"`);
  if (!unit || unit.currency !== currency)
    throw new SampleDataError(`${file.name}: value_unit "${valueUnit}" for a ${currency} table`);

  const labels = new Set<string>();
  const rows = parsed.data.map((r, i): CommoditySampleRow => {
    const where = `${file.name} line ${i + 2}`;
    const get = (c: (typeof COLUMNS)[number]) => (r[c] ?? "").trim();
    for (const c of [
      "period",
      "flow",
      "value_unit",
      "table_currency",
      "source_url",
      "source_date",
    ] as const) {
      if (get(c) !== shared(c))
        throw new SampleDataError(
          `${where}: ${c} "${get(c)}" differs from the first row's; one page per file`,
        );
    }
    const label = (r.commodity_as_printed ?? "").trim();
    if (label === "" || labels.has(label)) throw new SampleDataError(`${where}: commodity "${label}"`);
    labels.add(label);
    const aggregate = get("aggregate");
    if ((aggregate === "yes") !== /\*$/.test(label) || !["yes", "no"].includes(aggregate))
      throw new SampleDataError(`${where}: aggregate "${aggregate}" but the label is "${label}"`);
    const indent = get("indent_nbsp");
    if (!/^\d{1,2}$/.test(indent)) throw new SampleDataError(`${where}: indent_nbsp "${indent}"`);
    const quantityUnit = get("quantity_unit");
    if (parseQuantityUnit(quantityUnit) === undefined)
      throw new SampleDataError(`${where}: quantity_unit "${quantityUnit}" is not one the parser knows`);
    const row: CommoditySampleRow = {
      label,
      indent: Number(indent),
      aggregate: aggregate === "yes",
      quantityUnit,
      monthQuantity: get("month_quantity"),
      monthValue: get("month_value"),
      ytdQuantity: get("ytd_quantity"),
      ytdValue: get("ytd_value"),
      priorYtdQuantity: get("prior_ytd_quantity"),
      priorYtdValue: get("prior_ytd_value"),
      ytdYoyPctQuantity: get("ytd_yoy_pct_quantity"),
      ytdYoyPctValue: get("ytd_yoy_pct_value"),
      note: get("note"),
    };
    for (const c of NUMBER_COLUMNS) {
      if (!CELL.test(get(c)))
        throw new SampleDataError(`${where}: ${c} "${get(c)}" is not a plain number or "-"`);
    }
    const quantities = [row.monthQuantity, row.ytdQuantity, row.priorYtdQuantity];
    if (quantityUnit === "-" && quantities.some((q) => q !== "-"))
      throw new SampleDataError(`${where}: quantities without a quantity unit`);
    // Only a comparison of two printed decimals: no arithmetic on published figures.
    const exceeds = (m: string, y: string) => m !== "-" && y !== "-" && Number(m) > Number(y);
    if (exceeds(row.monthValue, row.ytdValue) || exceeds(row.monthQuantity, row.ytdQuantity))
      throw new SampleDataError(`${where}: the month exceeds the year to date; a page cannot print both`);
    return row;
  });

  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  const tableNumber = flow === "exports" ? 5 : 6;
  const table = flow === "exports" ? MAJOR_EXPORTS_TABLE : MAJOR_IMPORTS_TABLE;
  const title = `(${tableNumber}) China's Major ${flow === "exports" ? "Exports" : "Imports"} by Quantity and Value, ${MONTH_ABBR[month - 1]} ${year} (in ${currency})`;
  const pageId = pageIdFor(table, currency as Currency, period);
  return {
    table,
    tableNumber,
    flow,
    currency: currency as Currency,
    period,
    year,
    month,
    title,
    indexTitle: indexTitleOf(title),
    unitRow: `Unit: ${valueUnit}`,
    valuePowerOfTen: unit.powerOfTen,
    pageId,
    path: `/Statics/${pageId}.html`,
    url: `${GACC_ORIGIN}/Statics/${pageId}.html`,
    postedOn: shared("source_date").replace(/-/g, "/"),
    sourceUrl: shared("source_url"),
    sourceOutlet: shared("source_outlet"),
    sampleFile: file.name,
    rows,
  };
}

// ---------------------------------------------------------------------------------------------
// HTML

const td = (attrs: string, text: string) => `\t\t\t<td${attrs}>\n\t\t\t\t<span>${text}</span>\n\t\t\t</td>`;
const tr = (cells: string[]) => `\t\t<tr>\n${cells.join("\n")}\n\t\t</tr>`;
const headTd = (text: string, span = "") => td(`${span} align="center" class="style3"`, `<b>${text}</b>`);
/** Levels print with a trailing &nbsp; as on GACC's pages; `-` and y/y % without. */
const levelTd = (cell: string) =>
  td(' align="right" class="style9"', cell === "-" ? "-" : `${withThousands(cell)}&nbsp;`);
const pctTd = (cell: string) =>
  td(' align="right" class="style10"', cell === "-" ? "-" : withThousands(cell));

/** The label with its indentation; runs of spaces inside it print as &nbsp; ("Meat(including&nbsp;&nbsp;meat offal)"). */
const labelHtml = (row: CommoditySampleRow) =>
  `${nbsp(row.indent)}${esc(row.label).replace(/ {2,}/g, (m) => nbsp(m.length))}`;

/** One table (5)/(6) page for a single month. */
export function renderCommodityPage(release: Omit<CommodityRelease, "indexPath">): string {
  const { month, year } = release;
  const ytd = `1-${month} Total`;
  const header = [
    headTd("Commodity", ' rowspan="2"'),
    headTd(release.flow === "imports" ? "QTY Unit" : "Quantity Unit", ' rowspan="2"'),
    headTd(String(month), ' colspan="2"'),
    headTd(ytd, ' colspan="2"'),
    headTd(`${ytd}, ${year - 1}`, ' colspan="2"'),
    headTd(`${ytd} Year-On-Year(%)&nbsp;`, ' colspan="2"'),
  ];
  const subHeader = [0, 1, 2, 3].flatMap(() => [headTd("Quantity"), headTd("Value")]);
  const dataRows = release.rows.map((r) =>
    tr([
      td(' class="style7"', labelHtml(r)),
      td(' align="center" class="style8"', esc(r.quantityUnit)),
      ...[r.monthQuantity, r.monthValue, r.ytdQuantity, r.ytdValue, r.priorYtdQuantity, r.priorYtdValue].map(
        levelTd,
      ),
      pctTd(r.ytdYoyPctQuantity),
      pctTd(r.ytdYoyPctValue),
    ]),
  );
  const aggregates = release.rows.filter((r) => r.aggregate).map((r) => `"${esc(r.label)}"`);
  const notes = [
    ...(aggregates.length > 0
      ? [
          `Note: 1. ${aggregates.slice(0, -1).join(", ")}${aggregates.length > 1 ? " and " : ""}${aggregates.at(-1)} include relevant products listed in the table.`,
        ]
      : ["Note: 1. No aggregate rows."]),
    `${nbsp(6)}2. Figures transcribed by the project from GACC's published page (${esc(release.sourceUrl)}); the page around them is the project's own. "-": none printed.`,
  ];
  const wide = (text: string) => tr([td(' colspan="10" align="left" class="style19"', text)]);
  const table = [
    '<table style="border-collapse:collapse;" border="0" cellspacing="0" class="ke-zeroborder">',
    "\t<tbody>",
    tr([td(' colspan="10" align="left" class="style1"', esc(release.title))]),
    tr([td(' colspan="10" align="right" class="style2"', esc(release.unitRow))]),
    tr(header),
    tr(subHeader),
    ...dataRows,
    ...notes.map(wide),
    "\t</tbody>",
    "</table>",
  ].join("\n");
  return articlePage(release.title, release.postedOn, table);
}
