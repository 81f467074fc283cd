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
 * Structural surprises that leave nothing to read (not a table (5)/(6), no period, no unit row, no
 * header) throw LayoutChanged; everything else is reported as a blocking finding or a warning.
 */
import { checkCurrencyAgrees } from "../checks.js";
import { LayoutChanged } from "../errors.js";
import type {
  CheckFinding,
  Currency,
  NormalizeResult,
  Observation,
  ObservationKind,
  Partner,
  Provenance,
} from "../model.js";
import { cleanCell, isNoValue, parsePrintedNumber, printedDecimals, scaleDecimal } from "../numbers.js";
import { type PrintedUnit, parseUnitRow } from "../units.js";
import { readReleasePage, type TableCell } from "./html-table.js";
import { formatPeriod, parseHeaderPeriod, parseTitlePeriod, type TitlePeriod } from "./release-title.js";

export const MAJOR_EXPORTS_TABLE = "major-exports-by-quantity";
export const MAJOR_IMPORTS_TABLE = "major-imports-by-quantity";

const WORLD: Partner = { code: "WORLD", nameAsPrinted: "World", isGrouping: true };

// ---------------------------------------------------------------------------------------------
// Commodity codes and quantity units
// ---------------------------------------------------------------------------------------------

/**
 * Labels GACC has printed differently for the same commodity across years, mapped to one series
 * code so a chart runs across them. Only pairs known to cover the same goods; the printed label is
 * always kept in `commodityLabel`.
 */
const SLUG_ALIASES: Record<string, string> = {
  "agriculture-products": "agricultural-products",
  "grain-food": "grain",
  "soya-beans": "soybeans",
  "crude-petroleum-oils": "crude-oil",
  "natural-gases": "natural-gas",
  "petroleum-products": "refined-petroleum-products",
  "high-tech-products": "hi-tech-products",
  "electronic-integrated-circuits": "integrated-circuits",
};

/** "Agriculture products*" → "cat:agricultural-products"; "Motor vehicles（including chassis...)" → "cat:motor-vehicles-including-chassis...". */
export function commodityCode(label: string): string {
  const slug = label
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\*/g, "")
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `cat:${SLUG_ALIASES[slug] ?? slug}`;
}

export interface QuantityUnit {
  /** Base unit the scaled quantity is in: "ton", "kg", "m3", "piece", "set", "pair", "vehicle"... */
  unit: string;
  /** Printed quantity × 10^powerOfTen = quantity in `unit`. */
  powerOfTen: number;
  /** The unit exactly as printed ("10,000 Tons"). */
  printed: string;
}

const BASE_UNITS: Array<[RegExp, string]> = [
  [/^(tons?|tonnes?)$/i, "ton"],
  [/^(kilograms?|kgs?)$/i, "kg"],
  [/^(cbm|cubic met(?:er|re)s?|m3)$/i, "m3"],
  [/^(pcs|pieces?)$/i, "piece"],
  [/^sets?$/i, "set"],
  [/^pairs?$/i, "pair"],
  [/^(autos?|cars?|vehicles?)$/i, "vehicle"],
  [/^(ships?|vessels?)$/i, "ship"],
  [/^(crafts?|aircrafts?)$/i, "aircraft"],
  [/^heads?$/i, "head"],
];

/**
 * Reads a printed quantity unit. Returns null for "no unit" cells ("-", "—"), undefined for a unit
 * we do not know (the caller warns and keeps the quantity out).
 */
export function parseQuantityUnit(printed: string): QuantityUnit | null | undefined {
  const text = printed.replace(/[\s\u00a0\u3000]+/g, " ").trim();
  if (isNoValue(text)) return null;
  const m = /^(?:(\d{1,3}(?:,\d{3})*|\d+)\s*)?(?:(million|thousand)\s+)?(.+)$/i.exec(text);
  if (!m) return undefined;
  const factor = m[1]?.replace(/,/g, "") ?? "1";
  if (!/^10*$/.test(factor)) return undefined;
  const word = (m[2] ?? "").toLowerCase();
  const powerOfTen = factor.length - 1 + (word === "million" ? 6 : word === "thousand" ? 3 : 0);
  const base = BASE_UNITS.find(([re]) => re.test((m[3] ?? "").trim()))?.[1];
  if (!base) return undefined;
  return { unit: base, powerOfTen, printed: text };
}

// ---------------------------------------------------------------------------------------------
// Result shape
// ---------------------------------------------------------------------------------------------

/** One commodity row as read, beside the observations it gave. */
export interface CommodityRow {
  commodity: string;
  label: string;
  /** Starred rows: GACC's aggregates ("Agriculture products*"), which include other rows. */
  aggregate: boolean;
  /** Leading &nbsp; count as printed. */
  indent: number;
  /** Commodity code of the row this one is printed indented under, if any (see module note). */
  parent?: string | undefined;
  /** The quantity unit used, or undefined when the row has no quantity. */
  quantityUnit?: QuantityUnit | undefined;
  /** Where the unit came from: the page itself, or a hint from another release (shifted pages). */
  unitSource?: "printed" | "hint" | undefined;
  /** Last year's year-to-date as printed on this page (GACC's revised base), in base units. */
  priorYtd: { value?: number | undefined; quantity?: number | undefined; year: number };
  printedYtdYoyPct?: number | undefined;
  printedYtdYoyPctQuantity?: number | undefined;
}

export type CommodityLayout = "normal" | "unit-cell-missing";

export interface CommodityTableResult extends NormalizeResult {
  flow: "exports" | "imports";
  layout: CommodityLayout;
  rows: CommodityRow[];
}

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

// ---------------------------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------------------------

type GroupRole = "month" | "ytd" | "prior" | "yoy";

interface ColumnGroup {
  role: GroupRole;
  label: string;
  quantityCol: number;
  valueCol: number;
}

interface Columns {
  /** Cells a data row should have: commodity, unit, and two per group. */
  width: number;
  groups: Partial<Record<GroupRole, ColumnGroup>>;
}

function finding(check: string, message: string): CheckFinding {
  return { check, message };
}

/** Expands a header row by colspan into one label per column. */
function expand(cells: TableCell[]): string[] {
  return cells.flatMap((c) => Array.from({ length: c.colspan }, () => c.text));
}

function readColumns(
  header: TableCell[],
  subHeader: TableCell[],
  title: TitlePeriod,
  blocking: CheckFinding[],
  warnings: CheckFinding[],
): Columns {
  const top = expand(header);
  const width = top.length;
  if (!/unit|qty/i.test(top[1] ?? "")) {
    blocking.push(
      finding("columns", `The second column is "${top[1] ?? ""}", not the Quantity Unit column.`),
    );
  }
  // The sub-header ("Quantity", "Value" ...) usually omits the two row-spanning first columns.
  const subLabels = expand(subHeader);
  const offset = subLabels.length === width ? 0 : width - subLabels.length;
  const sub = (col: number): string => subLabels[col - offset] ?? "";

  const groups: Partial<Record<GroupRole, ColumnGroup>> = {};
  let cumulativeSeen = 0;
  for (let col = 2; col < width; col += 2) {
    const label = top[col] ?? "";
    if (top[col + 1] !== label) {
      blocking.push(
        finding("columns", `The column group "${label}" does not span a Quantity and a Value column.`),
      );
      continue;
    }
    const period = parseHeaderPeriod(label);
    let role: GroupRole | undefined;
    if (period?.yoy) role = "yoy";
    else if (period?.span === "month") role = "month";
    else if (period?.span === "cumulative") role = cumulativeSeen++ === 0 ? "ytd" : "prior";
    if (!role || !period) {
      blocking.push(
        finding(
          "columns",
          `The column group "${label}" is not one we know (month, year to date, last year, y/y %).`,
        ),
      );
      continue;
    }
    if (groups[role]) {
      blocking.push(
        finding(
          "columns",
          `Two column groups read as the same thing: "${groups[role]?.label}" and "${label}".`,
        ),
      );
      continue;
    }
    if (period.toMonth !== title.month) {
      blocking.push(
        finding(
          "columns",
          `The column group "${label}" ends in month ${period.toMonth}, but the title is for month ${title.month}.`,
        ),
      );
    }
    if (role === "prior" && period.year !== undefined && period.year !== title.year - 1) {
      warnings.push(
        finding(
          "prior-year-label",
          `The page labels last year's column "${label}" (year ${period.year}), but this release is for ${title.year}: ` +
            `the column is read by its position as ${title.year - 1}. GACC's label is wrong; the figures are not relabelled.`,
        ),
      );
    }
    if (role === "ytd" && period.year !== undefined && period.year !== title.year) {
      warnings.push(
        finding(
          "ytd-year-label",
          `The year-to-date column "${label}" names ${period.year}, not ${title.year}.`,
        ),
      );
    }
    const q = sub(col);
    const v = sub(col + 1);
    if (!/^(quantity|qty)/i.test(q) || !/^value/i.test(v)) {
      blocking.push(
        finding("columns", `Under "${label}" the columns are "${q}" and "${v}", not Quantity and Value.`),
      );
      continue;
    }
    groups[role] = { role, label, quantityCol: col, valueCol: col + 1 };
  }

  const expected: GroupRole[] = title.janFeb ? ["ytd", "prior", "yoy"] : ["month", "ytd", "prior", "yoy"];
  const names: Record<GroupRole, string> = {
    month: "the month",
    ytd: "the year to date",
    prior: "last year's year to date",
    yoy: "the year-to-date y/y %",
  };
  for (const role of expected) {
    if (!groups[role]) blocking.push(finding("columns", `The columns for ${names[role]} are missing.`));
  }
  if (title.janFeb && groups.month) {
    blocking.push(
      finding("columns", `A single-month column "${groups.month.label}" in a January–February release.`),
    );
  }
  return { width, groups };
}

// ---------------------------------------------------------------------------------------------
// Row shapes
// ---------------------------------------------------------------------------------------------

const NUMBER = /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;
const isNumber = (text: string): boolean => NUMBER.test(cleanCell(text));
const hasLetters = (text: string): boolean => /[A-Za-z]/.test(text);

/**
 * Decides how data rows line up with the header. "normal": name, unit, values. "unit-cell-missing":
 * name, values, then empty padding — recognised only when it holds for every row at once.
 * Returns undefined when rows disagree (some with a unit cell, some without).
 */
function detectLayout(rows: TableCell[][], width: number): CommodityLayout | undefined {
  const valueCount = width - 2;
  let unitTexts = 0;
  let numbersInUnitCell = 0;
  let unitless = 0;
  for (const cells of rows) {
    const second = cells[1]?.text ?? "";
    if (hasLetters(second)) unitTexts++;
    if (isNumber(second)) numbersInUnitCell++;
    const values = cells.slice(1, 1 + valueCount).map((c) => c.text);
    const padding = cells.slice(1 + valueCount).map((c) => c.text);
    if (
      values.length === valueCount &&
      values.every((t) => isNumber(t) || isNoValue(t)) &&
      values.some((t) => t !== "") &&
      padding.every((t) => t.trim() === "") &&
      cells.length <= width &&
      (cells.length === width - 1 || padding.length > 0)
    ) {
      unitless++;
    }
  }
  if (numbersInUnitCell === 0) return "normal";
  if (unitTexts === 0 && unitless === rows.length) return "unit-cell-missing";
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The normalizer
// ---------------------------------------------------------------------------------------------

const isNoteRow = (cells: TableCell[]): boolean => /^notes?\s*[:：]/i.test(cells[0]?.text ?? "");

/** Half a unit of the last printed digit, as an interval around the printed number. */
function printedInterval(cell: string, where: string): [number, number] | undefined {
  const n = parsePrintedNumber(cell, where);
  if (n === undefined) return undefined;
  const half = 0.5 * 10 ** -printedDecimals(cell);
  return [n - half, n + half];
}

/** Whether a printed y/y % can follow from the printed current and prior figures, given rounding. */
function yoyConsistent(current: string, prior: string, pct: string, where: string): boolean {
  const c = printedInterval(current, where);
  const p = printedInterval(prior, where);
  const y = printedInterval(pct, where);
  if (!c || !p || !y || p[0] <= 0) return true;
  const lo = (c[0] / p[1] - 1) * 100;
  const hi = (c[1] / p[0] - 1) * 100;
  return hi >= y[0] && lo <= y[1];
}

export function normalizeCommodityTable(
  html: string,
  provenance: Provenance,
  options: CommodityTableOptions = {},
): CommodityTableResult {
  const page = readReleasePage(html, "This table of major exports/imports");
  const titleRow = page.rows.find(
    (cells) => cells.length === 1 && /major\s+(exports|imports)/i.test(cells[0]?.text ?? ""),
  );
  const title = page.pageTitle ?? titleRow?.[0]?.text ?? "";
  const flowWord = /major\s+(exports|imports)\b/i.exec(title)?.[1]?.toLowerCase();
  if (!flowWord || !/quantity/i.test(title)) {
    throw new LayoutChanged(
      `"${title}" is not a table of China's major exports or imports by quantity and value: check which table this page is.`,
    );
  }
  const flow = flowWord === "exports" ? "exports" : "imports";
  const titlePeriod = parseTitlePeriod(title);
  if (!titlePeriod) {
    throw new LayoutChanged(
      `The title "${title}" names no month we can read (e.g. "May 2026" or "January-February 2025").`,
    );
  }
  const unitRowIndex = page.rows.findIndex((cells) => /^unit\s*[:：]/i.test(cells[0]?.text ?? ""));
  const unitText = page.rows[unitRowIndex]?.[0]?.text;
  if (unitRowIndex < 0 || unitText === undefined) {
    throw new LayoutChanged(
      `The table "${title}" has no unit row ("Unit: USD1 Million"): its values cannot be scaled.`,
    );
  }
  const unit: PrintedUnit = parseUnitRow(unitText);
  const headerIndex = page.rows.findIndex((cells) => /^commodity/i.test(cells[0]?.text ?? ""));
  const header = page.rows[headerIndex];
  const subHeader = page.rows[headerIndex + 1];
  if (headerIndex < 0 || !header || !subHeader) {
    throw new LayoutChanged(`The table "${title}" has no header row starting with "Commodity".`);
  }

  const blocking: CheckFinding[] = [];
  const warnings: CheckFinding[] = [];
  const base = {
    table: flow === "exports" ? MAJOR_EXPORTS_TABLE : MAJOR_IMPORTS_TABLE,
    currency: unit.currency as Currency,
    period: titlePeriod.period,
    title,
    flow,
  } as const;

  checkCurrencyAgrees(
    unit,
    [
      ["title", title],
      ["table's title row", titleRow?.[0]?.text ?? ""],
    ],
    { blocking, warnings },
  );

  const columns = readColumns(header, subHeader, titlePeriod, blocking, warnings);
  const dataRows: TableCell[][] = [];
  let inNotes = false;
  for (const cells of page.rows.slice(headerIndex + 2)) {
    if (cells.every((c) => c.text === "")) continue;
    inNotes ||= isNoteRow(cells);
    if (inNotes) {
      // Notes run to the end of the table; a data row after them means the layout is not what we know.
      if (cells.length > 1)
        blocking.push(finding("layout", `A row after the notes: "${cells[0]?.text ?? ""}".`));
      continue;
    }
    if (cells.length === 1) {
      blocking.push(finding("layout", `A row spanning the table amid the data: "${cells[0]?.text ?? ""}".`));
      continue;
    }
    dataRows.push(cells);
  }
  if (dataRows.length === 0) {
    blocking.push(finding("zero-rows", `The table "${title}" has no commodity rows.`));
  }
  const { month: monthGroup, ytd: ytdGroup, prior: priorGroup, yoy: yoyGroup } = columns.groups;
  const layout = detectLayout(dataRows, columns.width);
  if (layout === undefined) {
    blocking.push(
      finding(
        "layout",
        "LayoutChanged: some rows have a quantity unit in the second cell and others a number: the values cannot be " +
          "lined up with their headers safely, so nothing from this page is used.",
      ),
    );
  }
  if (blocking.some((f) => f.check === "columns") || layout === undefined || !ytdGroup) {
    return { ...base, layout: layout ?? "normal", observations: [], rows: [], blocking, warnings };
  }

  const hints = options.unitHints
    ? options.unitHints instanceof Map
      ? options.unitHints
      : new Map(Object.entries(options.unitHints))
    : new Map<string, string>();
  if (layout === "unit-cell-missing") {
    warnings.push(
      finding(
        "unit-cell-missing",
        "The data rows on this page lack the Quantity Unit cell and end with an empty cell, so every value sits one " +
          "column left of its header (a known GACC defect). The values were realigned under their headers; the page " +
          "prints no quantity units.",
      ),
    );
  }

  const observations: Observation[] = [];
  const rows: CommodityRow[] = [];
  const parents: Array<{ indent: number; commodity: string }> = [];
  const seen = new Set<string>();
  const quantitiesLeftOut: string[] = [];
  const hinted: string[] = [];
  const ytdKind: ObservationKind = titlePeriod.janFeb ? "jan-feb" : "ytd";

  for (const cells of dataRows) {
    const first = cells[0];
    const label = first?.text ?? "";
    // Realign: with the unit cell missing, cell i holds what the header puts in column i + 1.
    const texts =
      layout === "unit-cell-missing"
        ? [label, "", ...cells.slice(1).map((c) => c.text)]
        : cells.map((c) => c.text);
    if (layout === "normal" && cells.length !== columns.width) {
      blocking.push(
        finding("columns", `The row "${label}" has ${cells.length} cells, the header ${columns.width}.`),
      );
      continue;
    }
    const commodity = commodityCode(label);
    if (label === "" || commodity === "cat:") {
      blocking.push(finding("layout", `A data row has no commodity name: ${JSON.stringify(texts)}.`));
      continue;
    }
    if (seen.has(commodity)) {
      blocking.push(
        finding("duplicate-commodity", `Two rows read as the same commodity ${commodity} ("${label}").`),
      );
      continue;
    }
    seen.add(commodity);
    const indent = first?.indent ?? 0;
    while (parents.length > 0 && (parents[parents.length - 1]?.indent ?? 0) >= indent) parents.pop();
    const parent = parents[parents.length - 1]?.commodity;
    parents.push({ indent, commodity });

    // Quantity unit: printed, or (shifted pages only) a hint from another release.
    let quantityUnit: QuantityUnit | null | undefined;
    let unitSource: "printed" | "hint" | undefined;
    if (layout === "unit-cell-missing") {
      const hint = hints.get(commodity);
      quantityUnit = hint === undefined ? undefined : parseQuantityUnit(hint);
      if (quantityUnit) {
        unitSource = "hint";
        hinted.push(`${label} (${quantityUnit.printed})`);
      }
    } else {
      quantityUnit = parseQuantityUnit(texts[1] ?? "");
      if (quantityUnit) unitSource = "printed";
      else if (quantityUnit === undefined) {
        warnings.push(
          finding(
            "quantity-unit",
            `The quantity unit "${texts[1]}" of "${label}" is not one we know: its quantities are left out.`,
          ),
        );
      }
    }

    const cell = (col: number | undefined): string => (col === undefined ? "" : (texts[col] ?? ""));
    const where = (group: ColumnGroup, what: string): string => `"${label}", ${group.label} ${what}`;
    let hasQuantity = false;
    let leftOut = false;
    const read = (group: ColumnGroup | undefined) => {
      if (!group) return undefined;
      const valueText = cell(group.valueCol);
      const quantityText = cell(group.quantityCol);
      const value = scaleDecimal(valueText, unit.powerOfTen, where(group, "value"));
      let quantity: number | undefined;
      if (!isNoValue(quantityText)) {
        if (quantityUnit) {
          quantity = scaleDecimal(quantityText, quantityUnit.powerOfTen, where(group, "quantity"));
          hasQuantity = true;
        } else {
          parsePrintedNumber(quantityText, where(group, "quantity"));
          leftOut = true;
        }
      }
      return { value, valueText, quantity, quantityText };
    };

    try {
      const month = read(monthGroup);
      const ytd = read(ytdGroup);
      const prior = read(priorGroup);
      const yoyValueText = yoyGroup ? cell(yoyGroup.valueCol) : "";
      const yoyQuantityText = yoyGroup ? cell(yoyGroup.quantityCol) : "";
      const yoyValue = yoyGroup
        ? parsePrintedNumber(yoyValueText, where(yoyGroup, "value y/y %"))
        : undefined;
      const yoyQuantity = yoyGroup
        ? parsePrintedNumber(yoyQuantityText, where(yoyGroup, "quantity y/y %"))
        : undefined;
      if (leftOut) quantitiesLeftOut.push(label);

      const quantityOf = (q: number | undefined) =>
        q !== undefined && quantityUnit
          ? { value: q, unit: quantityUnit.unit, printedUnit: quantityUnit.printed }
          : undefined;
      const push = (kind: ObservationKind, r: NonNullable<ReturnType<typeof read>>, yoy?: number) => {
        if (r.value === undefined) return;
        observations.push({
          reporter: "CHN",
          partner: WORLD,
          flow,
          commodity,
          commodityLabel: label,
          quantity: quantityOf(r.quantity),
          period: kind === "month" ? formatPeriod(titlePeriod.year, titlePeriod.month) : titlePeriod.period,
          kind,
          value: r.value,
          currency: unit.currency,
          printed: { value: r.valueText, unit: unit.asPrinted },
          printedYtdYoyPct: kind === "month" ? undefined : yoy,
          vintage: "preliminary",
          provenance,
        });
      };
      if (month) push("month", month);
      if (ytd) push(ytdKind, ytd, yoyValue);

      // Checks on this row.
      if (month && ytd) {
        if (month.value !== undefined && ytd.value !== undefined && month.value > ytd.value) {
          blocking.push(
            finding(
              "month-vs-ytd",
              `"${label}": the month's value ${month.valueText} exceeds the year to date ${ytd.valueText}.`,
            ),
          );
        }
        if (month.quantity !== undefined && ytd.quantity !== undefined && month.quantity > ytd.quantity) {
          blocking.push(
            finding(
              "month-vs-ytd",
              `"${label}": the month's quantity ${month.quantityText} exceeds the year to date ${ytd.quantityText}.`,
            ),
          );
        }
      }
      if (yoyValue !== undefined && Math.abs(yoyValue) > 100) {
        warnings.push(
          finding(
            "yoy-large",
            `"${label}": the printed year-to-date y/y change in value is ${yoyValueText}%.`,
          ),
        );
      }
      if (ytd && prior && yoyGroup) {
        const pairs: Array<[string, string, string, string]> = [
          ["value", ytd.valueText, prior.valueText, yoyValueText],
          ["quantity", ytd.quantityText, prior.quantityText, yoyQuantityText],
        ];
        for (const [what, current, before, pct] of pairs) {
          if (!yoyConsistent(current, before, pct, `"${label}"`)) {
            warnings.push(
              finding(
                "yoy-recomputed",
                `"${label}": the printed ${what} y/y ${pct}% does not follow from ${current} against last year's ${before} ` +
                  "(beyond rounding): a revision of last year's base, or a misread column.",
              ),
            );
          }
        }
      }
      rows.push({
        commodity,
        label,
        aggregate: /\*\s*$/.test(label),
        indent,
        parent,
        quantityUnit: hasQuantity && quantityUnit ? quantityUnit : undefined,
        unitSource: hasQuantity ? unitSource : undefined,
        priorYtd: { value: prior?.value, quantity: prior?.quantity, year: titlePeriod.year - 1 },
        printedYtdYoyPct: yoyValue,
        printedYtdYoyPctQuantity: yoyQuantity,
      });
    } catch (err) {
      if (!(err instanceof LayoutChanged)) throw err;
      blocking.push(finding("layout", err.message));
    }
  }

  if (hinted.length > 0) {
    warnings.push(
      finding(
        "quantity-unit-hint",
        `This page prints no quantity units; the units of ${hinted.join(", ")} were taken from another release of the same table.`,
      ),
    );
  }
  if (quantitiesLeftOut.length > 0) {
    warnings.push(
      finding(
        "quantity-unit",
        `Quantities without a known unit were left out (values kept) for: ${quantitiesLeftOut.join(", ")}.`,
      ),
    );
  }
  if (dataRows.length > 0 && observations.length === 0) {
    blocking.push(finding("zero-rows", `No figures could be read from the table "${title}".`));
  }
  return { ...base, layout: layout ?? "normal", observations, rows, blocking, warnings };
}
