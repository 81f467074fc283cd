/**
 * The column groups of a table (5)/(6), from its two header rows: each group ("5", "1-5 Total",
 * "1-5 Total, 2025", "1-5 Total, Year-On-Year(%)") spans a Quantity and a Value column. A group we
 * do not know, or one missing, is a `columns` finding: nothing is guessed.
 */
import { columnsKnown, type FindingSink, flag, priorYearLabel, ytdYearLabel } from "../../checks/index.js";
import { expandColspans, type TableCell } from "../html-table.js";
import { type HeaderPeriod, parseHeaderPeriod, type TitlePeriod } from "../release-title.js";

export type GroupRole = "month" | "ytd" | "prior" | "yoy";

export interface ColumnGroup {
  role: GroupRole;
  label: string;
  quantityCol: number;
  valueCol: number;
}

export interface Columns {
  /** Cells a data row should have: commodity, unit, and two per group. */
  width: number;
  groups: Partial<Record<GroupRole, ColumnGroup>>;
}

const ROLE_NAMES: Record<GroupRole, string> = {
  month: "the month",
  ytd: "the year to date",
  prior: "last year's year to date",
  yoy: "the year-to-date y/y %",
};

export function readColumns(
  header: TableCell[],
  subHeader: TableCell[],
  title: TitlePeriod,
  sink: FindingSink,
): Columns {
  const top = expandColspans(header);
  const width = top.length;
  if (!/unit|qty/i.test(top[1] ?? "")) {
    flag(columnsKnown, sink, `The second column is "${top[1] ?? ""}", not the Quantity Unit column.`);
  }
  // The sub-header ("Quantity", "Value" ...) usually omits the two row-spanning first columns.
  const subLabels = expandColspans(subHeader);
  const offset = subLabels.length === width ? 0 : width - subLabels.length;
  const sub = (col: number): string => subLabels[col - offset] ?? "";

  const groups: Partial<Record<GroupRole, ColumnGroup>> = {};
  let cumulativeSeen = 0;
  for (let col = 2; col < width; col += 2) {
    const label = top[col] ?? "";
    if (top[col + 1] !== label) {
      flag(columnsKnown, sink, `The column group "${label}" does not span a Quantity and a Value column.`);
      continue;
    }
    const period = parseHeaderPeriod(label);
    const role = roleOf(period, () => cumulativeSeen++ === 0);
    if (!role || !period) {
      flag(
        columnsKnown,
        sink,
        `The column group "${label}" is not one we know (month, year to date, last year, y/y %).`,
      );
      continue;
    }
    const group = readGroup(role, label, period, col, sub, groups, title, sink);
    if (group) groups[role] = group;
  }
  checkAllGroups(groups, title, sink);
  return { width, groups };
}

/** Month, year to date, last year's year to date (the second cumulative group), or the y/y %. */
function roleOf(period: HeaderPeriod | undefined, firstCumulative: () => boolean): GroupRole | undefined {
  if (period?.yoy) return "yoy";
  if (period?.span === "month") return "month";
  if (period?.span === "cumulative") return firstCumulative() ? "ytd" : "prior";
  return undefined;
}

/** Checks one group's period and its Quantity/Value sub-columns; undefined when it cannot be used. */
function readGroup(
  role: GroupRole,
  label: string,
  period: HeaderPeriod,
  col: number,
  sub: (col: number) => string,
  groups: Partial<Record<GroupRole, ColumnGroup>>,
  title: TitlePeriod,
  sink: FindingSink,
): ColumnGroup | undefined {
  if (groups[role]) {
    flag(
      columnsKnown,
      sink,
      `Two column groups read as the same thing: "${groups[role]?.label}" and "${label}".`,
    );
    return undefined;
  }
  if (period.toMonth !== title.month) {
    flag(
      columnsKnown,
      sink,
      `The column group "${label}" ends in month ${period.toMonth}, but the title is for month ${title.month}.`,
    );
  }
  checkGroupYear(role, label, period, title, sink);
  const q = sub(col);
  const v = sub(col + 1);
  if (!/^(quantity|qty)/i.test(q) || !/^value/i.test(v)) {
    flag(columnsKnown, sink, `Under "${label}" the columns are "${q}" and "${v}", not Quantity and Value.`);
    return undefined;
  }
  return { role, label, quantityCol: col, valueCol: col + 1 };
}

/** GACC has labelled last year's column with the wrong year: read by position, and said so. */
function checkGroupYear(
  role: GroupRole,
  label: string,
  period: HeaderPeriod,
  title: TitlePeriod,
  sink: FindingSink,
): void {
  if (role === "prior" && period.year !== undefined && period.year !== title.year - 1) {
    flag(
      priorYearLabel,
      sink,
      `The page labels last year's column "${label}" (year ${period.year}), but this release is for ${title.year}: ` +
        `the column is read by its position as ${title.year - 1}. GACC's label is wrong; the figures are not relabelled.`,
    );
  }
  if (role === "ytd" && period.year !== undefined && period.year !== title.year) {
    flag(ytdYearLabel, sink, `The year-to-date column "${label}" names ${period.year}, not ${title.year}.`);
  }
}

/** Every group the release needs is there; a January–February release has no single month. */
function checkAllGroups(
  groups: Partial<Record<GroupRole, ColumnGroup>>,
  title: TitlePeriod,
  sink: FindingSink,
): void {
  const expected: GroupRole[] = title.janFeb ? ["ytd", "prior", "yoy"] : ["month", "ytd", "prior", "yoy"];
  for (const role of expected) {
    if (!groups[role]) flag(columnsKnown, sink, `The columns for ${ROLE_NAMES[role]} are missing.`);
  }
  if (title.janFeb && groups.month) {
    flag(columnsKnown, sink, `A single-month column "${groups.month.label}" in a January–February release.`);
  }
}
