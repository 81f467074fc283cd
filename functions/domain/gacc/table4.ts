/**
 * Table (4) of the preliminary release: "China's Total Export & Import Values by Country/Region".
 * Two layouts: a normal month (10 cells a row) and the combined January–February release (7 cells).
 * Tables are matched by title words, never by their number, which drifts between years.
 *
 * Read in named steps: locate (title, period, unit row) → columns and layout (the header must say
 * what the layout assumes) → rows (partners, observations) → checks (domain/checks/). Layout
 * trouble throws LayoutChanged; check findings are returned.
 */
import {
  checkCurrencyAgrees,
  checkFlowsAddUp,
  checkHasRows,
  checkMonthWithinYtd,
  type FindingSink,
  findingSink,
  roundingTolerance,
  warnLargeYoy,
  warnPartnerUnmapped,
} from "../checks/index.js";
import { LayoutChanged } from "../errors.js";
import type {
  Currency,
  Flow,
  NormalizeResult,
  Observation,
  ObservationKind,
  Partner,
  Provenance,
  Vintage,
} from "../model.js";
import { cleanCell, parsePrintedNumber, printedDecimals, scaleDecimal } from "../numbers.js";
import { partners } from "../partners.js";
import { BY_COUNTRY_TABLE } from "../table-ids.js";
import { currencyInTitle, type PrintedUnit, parseUnitRow } from "../units.js";
import { amountText, flowsAddUpText, largeYoyText, monthWithinYtdText } from "../wording.js";
import { expandColspans, type ReleasePage, readReleasePage, type TableCell } from "./html-table.js";
import { isByCountryTitle, parseTitlePeriod, type TitlePeriod } from "./release-title.js";

export { isByCountryTitle };

/** Title words that identify table (4) in any year. */

export interface Table4Options {
  provenance: Provenance;
  vintage?: Vintage;
}

/** Parses a table (4) page into observations and check findings. Throws typed errors on layout trouble. */
export function normalizeTable4(html: string, options: Table4Options): NormalizeResult {
  const located = locateTable(html);
  const sink = findingSink();
  checkCurrencyAgrees(
    located.unit,
    [
      ["title", located.title],
      ["table's title row", located.page.rows[0]?.[0]?.text ?? ""],
    ],
    sink,
  );
  const { layout, dataRows } = readLayout(located);
  const periods = periodsOf(located.titlePeriod, layout);
  const read = readRows(dataRows, layout, located.unit, periods, options);
  for (const row of read.rows) checkRow(row, layout, located.unit, periods, sink);
  for (const name of read.unknownPartners) {
    warnPartnerUnmapped(
      sink,
      `the partner "${name}" is not in our list of partners yet, so its row was left out; an engineer can add it`,
    );
  }
  checkHasRows(read.observations.length, sink, `The page "${located.title}" parsed to zero rows`);
  return {
    table: BY_COUNTRY_TABLE,
    currency: located.titleCurrency,
    period: periods.month,
    title: located.title,
    observations: read.observations,
    blocking: sink.blocking,
    warnings: sink.warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Locate: the title, its period and currency, and the unit row
// ---------------------------------------------------------------------------------------------

interface LocatedTable {
  page: ReleasePage;
  title: string;
  titlePeriod: TitlePeriod;
  titleCurrency: Currency;
  unit: PrintedUnit;
  unitRowIndex: number;
}

function locateTable(html: string): LocatedTable {
  const page = readReleasePage(html, "This by-country page");
  const title = page.pageTitle ?? page.rows[0]?.[0]?.text ?? "";
  if (!isByCountryTitle(title)) {
    throw new LayoutChanged(`Expected a "by Country/Region" table but the page title is "${title}"`);
  }
  const titlePeriod = parseTitlePeriod(title);
  if (!titlePeriod) throw new LayoutChanged(`No month and year found in the title "${title}"`);

  const unitRowIndex = page.rows.findIndex((r) => r.length === 1 && /^unit\b/i.test(r[0]?.text ?? ""));
  const unitRow = page.rows[unitRowIndex]?.[0];
  if (!unitRow) throw new LayoutChanged(`The page "${title}" has no unit row ("Unit: ...")`);
  const unit = parseUnitRow(unitRow.text);
  const titleCurrency = currencyInTitle(title);
  if (!titleCurrency) throw new LayoutChanged(`The title "${title}" does not say "(in CNY)" or "(in USD)"`);
  return { page, title, titlePeriod, titleCurrency, unit, unitRowIndex };
}

// ---------------------------------------------------------------------------------------------
// Columns and layout
// ---------------------------------------------------------------------------------------------

const FLOWS: Flow[] = ["total", "exports", "imports"];

interface Layout {
  janFeb: boolean;
  cells: number;
  /** Column of each flow's value for the release month (or Jan–Feb), its YTD, and its printed YTD y/y. */
  month: Record<Flow, number>;
  ytd: Record<Flow, number> | undefined;
  yoy: Record<Flow, number>;
}

const MONTH_LAYOUT: Layout = {
  janFeb: false,
  cells: 10,
  month: { total: 1, exports: 3, imports: 5 },
  ytd: { total: 2, exports: 4, imports: 6 },
  yoy: { total: 7, exports: 8, imports: 9 },
};

const JAN_FEB_LAYOUT: Layout = {
  janFeb: true,
  cells: 7,
  month: { total: 1, exports: 2, imports: 3 },
  ytd: undefined,
  yoy: { total: 4, exports: 5, imports: 6 },
};

const flowHeader: Record<Flow, RegExp> = {
  total: /export\s*&\s*import|total/i,
  exports: /^export$/i,
  imports: /^import$/i,
};

function isNoteRow(row: TableCell[]): boolean {
  return row.length === 1 && /^note/i.test(row[0]?.text ?? "");
}

/** The layout the rows have (by their width), confirmed against the title and the two header rows. */
function readLayout(located: LocatedTable): { layout: Layout; dataRows: TableCell[][] } {
  const { page, title, titlePeriod, unitRowIndex } = located;
  const header1 = page.rows[unitRowIndex + 1];
  const header2 = page.rows[unitRowIndex + 2];
  if (!header1 || !header2) throw new LayoutChanged(`The page "${title}" has no column headers`);
  const dataRows = page.rows.slice(unitRowIndex + 3).filter((r) => !isNoteRow(r));
  const firstRow = dataRows[0];
  const layout = firstRow?.length === JAN_FEB_LAYOUT.cells ? JAN_FEB_LAYOUT : MONTH_LAYOUT;
  if (layout.janFeb !== titlePeriod.janFeb) {
    throw new LayoutChanged(
      `The title "${title}" is ${titlePeriod.janFeb ? "a January–February" : "a single-month"} release but rows have ${firstRow?.length} cells`,
    );
  }
  verifyHeader(header1, header2, layout, titlePeriod.month);
  return { layout, dataRows };
}

/**
 * Confirms the header says what the layout assumes: the flow of each column, then month vs
 * year-to-date. A missing, extra or reordered column is a changed layout, never a guess.
 */
function verifyHeader(header1: TableCell[], header2: TableCell[], layout: Layout, month: number): void {
  const top = expandColspans(header1);
  const sub = expandColspans(header2);
  const problems: string[] = [];
  if (top.length !== layout.cells || sub.length !== layout.cells) {
    problems.push(`the header spans ${top.length} and ${sub.length} columns, expected ${layout.cells}`);
  }
  for (const flow of FLOWS) problems.push(...flowColumnProblems(top, sub, layout, flow, month));
  if (!/year-on-year|y\/y|yoy/i.test(top.join(" "))) problems.push("the year-on-year columns are missing");
  if (problems.length > 0) {
    throw new LayoutChanged(`The by-country table's header has changed: ${problems.join("; ")}`);
  }
}

/** What is wrong with one flow's columns in the header (top row: flows; sub row: periods, y/y flows). */
function flowColumnProblems(
  top: string[],
  sub: string[],
  layout: Layout,
  flow: Flow,
  month: number,
): string[] {
  const problems: string[] = [];
  const m = layout.month[flow];
  if (!flowHeader[flow].test(top[m] ?? ""))
    problems.push(`column ${m + 1} should be ${flow} but is "${top[m]}"`);
  const y = layout.yoy[flow];
  if (!flowHeader[flow].test(sub[y] ?? ""))
    problems.push(`column ${y + 1} should be ${flow} y/y but is "${sub[y]}"`);
  if (layout.ytd) {
    const ytd = layout.ytd[flow];
    if (!flowHeader[flow].test(top[ytd] ?? "")) {
      problems.push(`column ${ytd + 1} should be ${flow} but is "${top[ytd]}"`);
    }
    const monthLabel = cleanCell(sub[m] ?? "");
    const ytdLabel = cleanCell(sub[ytd] ?? "");
    if (monthLabel !== String(month))
      problems.push(`column ${m + 1} should be month ${month} but is "${sub[m]}"`);
    if (!new RegExp(`^1-?(to)?-?${month}`, "i").test(ytdLabel)) {
      problems.push(`column ${ytd + 1} should be 1-to-${month} but is "${sub[ytd]}"`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Rows: partners and observations
// ---------------------------------------------------------------------------------------------

interface Periods {
  month: string;
  monthKind: ObservationKind;
  ytd: string;
}

function periodsOf(titlePeriod: TitlePeriod, layout: Layout): Periods {
  const year = titlePeriod.year;
  const mm = String(titlePeriod.month).padStart(2, "0");
  return {
    month: layout.janFeb ? `${year}-01/02` : `${year}-${mm}`,
    monthKind: layout.janFeb ? "jan-feb" : "month",
    ytd: `${year}-${mm}`,
  };
}

/** One flow of one row as read: the figures the checks compare. */
interface FlowReading {
  flow: Flow;
  month: number | undefined;
  ytd: number | undefined;
  ytdCell: string;
  yoy: number | undefined;
}

interface RowReading {
  /** `Row 3 ("Russian Federation")`: how messages name the row. */
  where: string;
  flows: FlowReading[];
  /** The finest precision printed among the row's month (and YTD) cells: the add-up tolerance. */
  monthDecimals: number;
  ytdDecimals: number;
}

interface ReadRows {
  observations: Observation[];
  rows: RowReading[];
  unknownPartners: string[];
}

function readRows(
  dataRows: TableCell[][],
  layout: Layout,
  unit: PrintedUnit,
  periods: Periods,
  options: Table4Options,
): ReadRows {
  const out: ReadRows = { observations: [], rows: [], unknownPartners: [] };
  const membership = memberTracker();
  for (const [i, row] of dataRows.entries()) {
    const name = row[0]?.text ?? "";
    const where = `Row ${i + 1} ("${name}")`;
    if (row.length !== layout.cells) {
      throw new LayoutChanged(`${where} has ${row.length} cells where the header has ${layout.cells}`);
    }
    const partner = membership.partnerOf(name, row[0]?.indent ?? 0);
    if (typeof partner === "string") {
      out.unknownPartners.push(partner);
      continue;
    }
    out.rows.push(readRow(row, where, partner, layout, unit, periods, options, out.observations));
  }
  return out;
}

/**
 * Members follow an "of which:" row unmarked; only their indentation says where the list ends.
 * Without indentation (indent 0) we mark only the "of which:" row itself. Returns the partner, or
 * the printed name when the registry does not know it.
 */
function memberTracker(): { partnerOf(name: string, indent: number): Partner | string } {
  let grouping: { code: string; indent: number } | undefined;
  let memberIndent: number | undefined;
  return {
    partnerOf(name, indent) {
      let isMember: boolean;
      if (/^of\s+which\s*[:：]/i.test(name)) {
        memberIndent = indent > (grouping?.indent ?? 0) ? indent : undefined;
        isMember = true;
      } else if (memberIndent !== undefined && indent >= memberIndent) {
        isMember = true;
      } else {
        memberIndent = undefined;
        isMember = false;
      }
      const printedName = name.replace(/^of\s+which\s*[:：]\s*/i, "").trim();
      const entry = partners.byPrintedName(printedName);
      if (!entry) return printedName;
      if (!isMember) grouping = entry.grouping ? { code: entry.code, indent } : undefined;
      return {
        code: entry.code,
        nameAsPrinted: printedName,
        isGrouping: entry.grouping,
        memberOf: isMember ? grouping?.code : undefined,
      };
    },
  };
}

/** Reads one partner's row: per flow, the month (or Jan–Feb) and year-to-date observations. */
function readRow(
  row: TableCell[],
  where: string,
  partner: Partner,
  layout: Layout,
  unit: PrintedUnit,
  periods: Periods,
  options: Table4Options,
  observations: Observation[],
): RowReading {
  const cell = (col: number) => row[col]?.text ?? "";
  const reading: RowReading = { where, flows: [], monthDecimals: 0, ytdDecimals: 0 };
  for (const flow of FLOWS) {
    const monthCell = cell(layout.month[flow]);
    const yoy = parsePrintedNumber(cell(layout.yoy[flow]), `${where}, ${flow} y/y`);
    const month = scaleDecimal(monthCell, unit.powerOfTen, `${where}, ${flow}`);
    reading.monthDecimals = Math.max(reading.monthDecimals, printedDecimals(monthCell));
    const common = {
      reporter: "CHN" as const,
      partner,
      flow,
      commodity: "TOTAL",
      currency: unit.currency,
      vintage: options.vintage ?? "preliminary",
      provenance: options.provenance,
    };
    if (month !== undefined) {
      observations.push({
        ...common,
        period: periods.month,
        kind: periods.monthKind,
        value: month,
        printed: { value: cleanCell(monthCell), unit: unit.asPrinted },
        printedYtdYoyPct: layout.janFeb ? yoy : undefined,
      });
    }
    // The YTD figure: its own column in a normal month; the Jan–Feb value itself in the combined release.
    const ytdCell = layout.ytd ? cell(layout.ytd[flow]) : monthCell;
    const ytd = scaleDecimal(ytdCell, unit.powerOfTen, `${where}, ${flow} year-to-date`);
    reading.ytdDecimals = Math.max(reading.ytdDecimals, printedDecimals(ytdCell));
    if (ytd !== undefined) {
      observations.push({
        ...common,
        period: periods.ytd,
        kind: "ytd",
        value: ytd,
        printed: { value: cleanCell(ytdCell), unit: unit.asPrinted },
        printedYtdYoyPct: yoy,
      });
    }
    reading.flows.push({ flow, month, ytd, ytdCell, yoy });
  }
  return reading;
}

// ---------------------------------------------------------------------------------------------
// Checks (the rules are in domain/checks/; each tolerance comes from the cells it compares)
// ---------------------------------------------------------------------------------------------

function checkRow(
  row: RowReading,
  layout: Layout,
  unit: PrintedUnit,
  periods: Periods,
  sink: FindingSink,
): void {
  const { where } = row;
  const monthValues: Partial<Record<Flow, number>> = {};
  const ytdValues: Partial<Record<Flow, number>> = {};
  for (const { flow, month, ytd, ytdCell, yoy } of row.flows) {
    if (month !== undefined) monthValues[flow] = month;
    if (ytd !== undefined) ytdValues[flow] = ytd;
    warnLargeYoy(yoy, sink, () => largeYoyText(where, flow, yoy ?? 0, periods.ytd));
    if (layout.ytd) {
      const tol = roundingTolerance(printedDecimals(ytdCell), unit.powerOfTen, 2);
      const amounts = { month: month ?? 0, yearToDate: ytd ?? 0 };
      checkMonthWithinYtd(
        month,
        ytd,
        tol,
        sink,
        () => monthWithinYtdText(where, flow, amounts, periods.ytd, (x) => amountText(x, unit.currency)),
        { amounts, currency: unit.currency },
      );
    }
  }
  checkAddUp(
    where,
    monthValues,
    roundingTolerance(row.monthDecimals, unit.powerOfTen, 3),
    periods.month,
    sink,
    unit.currency,
  );
  if (layout.ytd) {
    checkAddUp(
      where,
      ytdValues,
      roundingTolerance(row.ytdDecimals, unit.powerOfTen, 3),
      `to ${periods.ytd}`,
      sink,
      unit.currency,
    );
  }
}

function checkAddUp(
  where: string,
  values: Partial<Record<Flow, number>>,
  tolerance: number,
  span: string,
  sink: FindingSink,
  currency: Currency,
): void {
  const { total = 0, exports = 0, imports = 0 } = values;
  const amounts = (gap: number) => ({ exportsPlusImports: exports + imports, total, gap });
  checkFlowsAddUp(
    values,
    tolerance,
    sink,
    (gap) => flowsAddUpText(where, amounts(gap), span, currency),
    (gap) => ({ amounts: amounts(gap), currency }),
  );
}
