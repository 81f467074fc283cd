/**
 * The data rows of a table (5)/(6): each row's commodity, printed parent and quantity unit, its
 * figures as observations, and the checks on them (rules in domain/checks/). A cell that cannot be
 * read makes a `layout` finding for its row; the other rows are still read.
 */
import {
  checkMonthWithinYtd,
  checkYoyRecomputed,
  columnsKnown,
  duplicateCommodity,
  type FindingSink,
  flag,
  layoutKnown,
  quantityUnitKnown,
  warnLargeYoy,
} from "../../checks/index.js";
import { LayoutChanged } from "../../errors.js";
import type { Observation, ObservationKind, Partner, Provenance } from "../../model.js";
import { isNoValue, parsePrintedNumber, scaleDecimal } from "../../numbers.js";
import type { PrintedUnit } from "../../units.js";
import {
  amountText,
  largeYoyText,
  monthWithinYtdText,
  quantityText,
  yoyRecomputedText,
} from "../../wording.js";
import type { TableCell } from "../html-table.js";
import { cumulativeKind, formatPeriod, periodOfKind, type TitlePeriod } from "../release-title.js";
import { commodityCode } from "./codes.js";
import type { ColumnGroup, Columns } from "./columns.js";
import { alignedTexts } from "./layout.js";
import type { CommodityLayout, CommodityRow } from "./model.js";
import { parseQuantityUnit, type QuantityUnit } from "./quantity-unit.js";

const WORLD: Partner = { code: "WORLD", nameAsPrinted: "World", isGrouping: true };

export interface RowContext {
  flow: "exports" | "imports";
  layout: CommodityLayout;
  columns: Columns;
  unit: PrintedUnit;
  titlePeriod: TitlePeriod;
  provenance: Provenance;
  /** Printed quantity units by commodity code, from another release (used on unit-cell-missing pages). */
  hints: ReadonlyMap<string, string>;
  sink: FindingSink;
}

export interface ReadRows {
  observations: Observation[];
  rows: CommodityRow[];
  /** Labels of rows whose quantities were left out for want of a known unit. */
  quantitiesLeftOut: string[];
  /** "Rare earth (Ton)": rows whose unit came from a hint. */
  hinted: string[];
}

export function readRows(dataRows: TableCell[][], ctx: RowContext): ReadRows {
  const out: ReadRows = { observations: [], rows: [], quantitiesLeftOut: [], hinted: [] };
  const identify = rowIdentifier(ctx);
  for (const cells of dataRows) {
    const row = identify(cells);
    if (!row) continue;
    const unit = quantityUnitOf(row, ctx, out.hinted);
    try {
      const figures = readFigures(row, unit.quantityUnit, ctx);
      if (figures.leftOut) out.quantitiesLeftOut.push(row.label);
      pushObservations(row, unit.quantityUnit, figures, ctx, out.observations);
      checkRow(row.label, figures, ctx, unit.quantityUnit ?? undefined);
      out.rows.push(rowOf(row, unit, figures, ctx));
    } catch (err) {
      if (!(err instanceof LayoutChanged)) throw err;
      flag(layoutKnown, ctx.sink, err.message);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Which commodity a row is, and where it is printed
// ---------------------------------------------------------------------------------------------

interface IdentifiedRow {
  label: string;
  /** Cell texts lined up with the header's columns. */
  texts: string[];
  commodity: string;
  indent: number;
  parent: string | undefined;
}

/**
 * Names each row's commodity and printed parent (by indentation), flagging a row as wide as no
 * header, a row without a name and a commodity printed twice. Undefined for a row to skip.
 */
function rowIdentifier(ctx: RowContext): (cells: TableCell[]) => IdentifiedRow | undefined {
  const parents: Array<{ indent: number; commodity: string }> = [];
  const seen = new Set<string>();
  return (cells) => {
    const label = cells[0]?.text ?? "";
    const texts = alignedTexts(cells, ctx.layout);
    if (ctx.layout === "normal" && cells.length !== ctx.columns.width) {
      flag(
        columnsKnown,
        ctx.sink,
        `The row "${label}" has ${cells.length} cells, the header ${ctx.columns.width}.`,
      );
      return undefined;
    }
    const commodity = commodityCode(label);
    if (label === "" || commodity === "cat:") {
      flag(layoutKnown, ctx.sink, `A data row has no commodity name: ${JSON.stringify(texts)}.`);
      return undefined;
    }
    if (seen.has(commodity)) {
      flag(
        duplicateCommodity,
        ctx.sink,
        `Two rows name the same commodity ("${label}"): which one is right?`,
      );
      return undefined;
    }
    seen.add(commodity);
    const indent = cells[0]?.indent ?? 0;
    while (parents.length > 0 && (parents[parents.length - 1]?.indent ?? 0) >= indent) parents.pop();
    const parent = parents[parents.length - 1]?.commodity;
    parents.push({ indent, commodity });
    return { label, texts, commodity, indent, parent };
  };
}

interface RowUnit {
  quantityUnit: QuantityUnit | null | undefined;
  unitSource: "printed" | "hint" | undefined;
}

/** The row's quantity unit: printed, or (unit-cell-missing pages only) a hint from another release. */
function quantityUnitOf(row: IdentifiedRow, ctx: RowContext, hinted: string[]): RowUnit {
  if (ctx.layout === "unit-cell-missing") {
    const hint = ctx.hints.get(row.commodity);
    const quantityUnit = hint === undefined ? undefined : parseQuantityUnit(hint);
    if (!quantityUnit) return { quantityUnit, unitSource: undefined };
    hinted.push(`${row.label} (${quantityUnit.printed})`);
    return { quantityUnit, unitSource: "hint" };
  }
  const quantityUnit = parseQuantityUnit(row.texts[1] ?? "");
  if (quantityUnit === undefined) {
    flag(
      quantityUnitKnown,
      ctx.sink,
      `The quantity unit "${row.texts[1]}" of "${row.label}" is not one we know: its quantities are left out.`,
    );
  }
  return { quantityUnit, unitSource: quantityUnit ? "printed" : undefined };
}

// ---------------------------------------------------------------------------------------------
// Figures and observations
// ---------------------------------------------------------------------------------------------

/** One column group's quantity and value, scaled, beside the text printed. */
interface GroupFigures {
  value: number | undefined;
  valueText: string;
  quantity: number | undefined;
  quantityText: string;
}

interface RowFigures {
  month: GroupFigures | undefined;
  ytd: GroupFigures | undefined;
  prior: GroupFigures | undefined;
  yoyValueText: string;
  yoyQuantityText: string;
  yoyValue: number | undefined;
  yoyQuantity: number | undefined;
  /** Some quantity was read (in a known unit). */
  hasQuantity: boolean;
  /** Some quantity was printed but left out for want of a unit. */
  leftOut: boolean;
}

function readFigures(
  row: IdentifiedRow,
  quantityUnit: QuantityUnit | null | undefined,
  ctx: RowContext,
): RowFigures {
  const { month: monthGroup, ytd: ytdGroup, prior: priorGroup, yoy: yoyGroup } = ctx.columns.groups;
  const cell = (col: number | undefined): string => (col === undefined ? "" : (row.texts[col] ?? ""));
  const where = (group: ColumnGroup, what: string): string => `"${row.label}", ${group.label} ${what}`;
  const flags = { hasQuantity: false, leftOut: false };
  const read = (group: ColumnGroup | undefined): GroupFigures | undefined => {
    if (!group) return undefined;
    const valueText = cell(group.valueCol);
    const quantityText = cell(group.quantityCol);
    const value = scaleDecimal(valueText, ctx.unit.powerOfTen, where(group, "value"));
    let quantity: number | undefined;
    if (!isNoValue(quantityText)) {
      if (quantityUnit) {
        quantity = scaleDecimal(quantityText, quantityUnit.powerOfTen, where(group, "quantity"));
        flags.hasQuantity = true;
      } else {
        parsePrintedNumber(quantityText, where(group, "quantity"));
        flags.leftOut = true;
      }
    }
    return { value, valueText, quantity, quantityText };
  };
  const month = read(monthGroup);
  const ytd = read(ytdGroup);
  const prior = read(priorGroup);
  const yoyValueText = yoyGroup ? cell(yoyGroup.valueCol) : "";
  const yoyQuantityText = yoyGroup ? cell(yoyGroup.quantityCol) : "";
  const yoyValue = yoyGroup ? parsePrintedNumber(yoyValueText, where(yoyGroup, "value y/y %")) : undefined;
  const yoyQuantity = yoyGroup
    ? parsePrintedNumber(yoyQuantityText, where(yoyGroup, "quantity y/y %"))
    : undefined;
  return { month, ytd, prior, yoyValueText, yoyQuantityText, yoyValue, yoyQuantity, ...flags };
}

function pushObservations(
  row: IdentifiedRow,
  quantityUnit: QuantityUnit | null | undefined,
  figures: RowFigures,
  ctx: RowContext,
  observations: Observation[],
): void {
  const { titlePeriod, unit } = ctx;
  const quantityOf = (q: number | undefined) =>
    q !== undefined && quantityUnit
      ? { value: q, unit: quantityUnit.unit, printedUnit: quantityUnit.printed }
      : undefined;
  const push = (kind: ObservationKind, r: GroupFigures, yoy?: number) => {
    if (r.value === undefined) return;
    observations.push({
      reporter: "CHN",
      partner: WORLD,
      flow: ctx.flow,
      commodity: row.commodity,
      commodityLabel: row.label,
      quantity: quantityOf(r.quantity),
      period: periodOfKind(titlePeriod, kind),
      kind,
      value: r.value,
      currency: unit.currency,
      printed: { value: r.valueText, unit: unit.asPrinted },
      // Only the cumulative figure is given its printed y/y (the month's is not printed).
      printedYtdYoyPct: yoy,
      vintage: "preliminary",
      provenance: ctx.provenance,
    });
  };
  if (figures.month) push("month", figures.month);
  if (figures.ytd) push(cumulativeKind(titlePeriod), figures.ytd, figures.yoyValue);
}

function rowOf(row: IdentifiedRow, unit: RowUnit, figures: RowFigures, ctx: RowContext): CommodityRow {
  const { hasQuantity, prior } = figures;
  return {
    commodity: row.commodity,
    label: row.label,
    aggregate: row.label.endsWith("*"), // labels are trimmed (html-table.ts)
    indent: row.indent,
    parent: row.parent,
    quantityUnit: hasQuantity && unit.quantityUnit ? unit.quantityUnit : undefined,
    unitSource: hasQuantity ? unit.unitSource : undefined,
    priorYtd: { value: prior?.value, quantity: prior?.quantity, year: ctx.titlePeriod.year - 1 },
    printedYtdYoyPct: figures.yoyValue,
    printedYtdYoyPctQuantity: figures.yoyQuantity,
  };
}

// ---------------------------------------------------------------------------------------------
// Checks on one row (the rules are in domain/checks/)
// ---------------------------------------------------------------------------------------------

function checkRow(
  label: string,
  figures: RowFigures,
  ctx: RowContext,
  quantityUnit: QuantityUnit | undefined,
): void {
  const { month, ytd, prior, yoyValue, yoyValueText, yoyQuantityText } = figures;
  const { sink, unit, titlePeriod } = ctx;
  const row = `"${label}"`;
  const monthPeriod = formatPeriod(titlePeriod.year, titlePeriod.month);
  const money = (x: number) => amountText(x, unit.currency);
  const tonnage = (x: number) => (quantityUnit ? quantityText(x, quantityUnit.unit) : String(x));
  const { flow } = ctx;
  if (month && ytd) {
    const values = { month: month.value ?? 0, yearToDate: ytd.value ?? 0 };
    checkMonthWithinYtd(
      month.value,
      ytd.value,
      0,
      sink,
      () => monthWithinYtdText(row, `${flow} by value`, values, monthPeriod, money),
      { amounts: values, currency: unit.currency },
    );
    const quantities = { month: month.quantity ?? 0, yearToDate: ytd.quantity ?? 0 };
    checkMonthWithinYtd(
      month.quantity,
      ytd.quantity,
      0,
      sink,
      () => monthWithinYtdText(row, `${flow} by quantity`, quantities, monthPeriod, tonnage),
      { amounts: quantities },
    );
  }
  warnLargeYoy(yoyValue, sink, () => largeYoyText(row, `${flow} by value`, yoyValue ?? 0, monthPeriod));
  if (ytd && prior && ctx.columns.groups.yoy) {
    const pairs: Array<
      [string, string, string, string, number | undefined, number | undefined, (x: number) => string]
    > = [
      ["value", ytd.valueText, prior.valueText, yoyValueText, ytd.value, prior.value, money],
      [
        "quantity",
        ytd.quantityText,
        prior.quantityText,
        yoyQuantityText,
        ytd.quantity,
        prior.quantity,
        tonnage,
      ],
    ];
    for (const [what, current, before, pct, now, then, amount] of pairs) {
      checkYoyRecomputed({ current, prior: before, pct }, row, sink, () =>
        yoyRecomputedText(row, `${flow} by ${what}`, pct, { current: now ?? 0, prior: then ?? 0 }, amount),
      );
    }
  }
}
