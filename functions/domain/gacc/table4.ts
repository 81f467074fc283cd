/**
 * Table (4) of the preliminary release: "China's Total Export & Import Values by Country/Region".
 * Two layouts: a normal month (10 cells a row) and the combined January–February release (7 cells).
 * Tables are matched by title words, never by their number, which drifts between years.
 */
import {
  checkCurrencyAgrees,
  checkFlowsAddUp,
  checkMonthWithinYtd,
  checkSomeRows,
  type FindingSink,
  roundingTolerance,
  warnLargeYoy,
} from "../checks.js";
import { LayoutChanged } from "../errors.js";
import type {
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
import { currencyInTitle, type PrintedUnit, parseUnitRow } from "../units.js";
import { readReleasePage, type TableCell } from "./html-table.js";
import { parseTitlePeriod } from "./release-title.js";

export const BY_COUNTRY_TABLE = "by-country";

/** Title words that identify table (4) in any year. */
export function isByCountryTitle(title: string): boolean {
  return /by\s+country/i.test(title) && /export/i.test(title) && /import/i.test(title);
}

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

/** Expands colspans so header cells line up with data columns. */
function expand(row: TableCell[]): string[] {
  return row.flatMap((c) => Array.from({ length: c.colspan }, () => c.text));
}

/**
 * Confirms the header says what the layout assumes: the flow of each column, then month vs
 * year-to-date. A missing, extra or reordered column is a changed layout, never a guess.
 */
function verifyHeader(header1: TableCell[], header2: TableCell[], layout: Layout, month: number): void {
  const top = expand(header1);
  const sub = expand(header2);
  const problems: string[] = [];
  if (top.length !== layout.cells || sub.length !== layout.cells) {
    problems.push(`the header spans ${top.length} and ${sub.length} columns, expected ${layout.cells}`);
  }
  for (const flow of FLOWS) {
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
  }
  if (!/year-on-year|y\/y|yoy/i.test(top.join(" "))) problems.push("the year-on-year columns are missing");
  if (problems.length > 0) {
    throw new LayoutChanged(`The by-country table's header has changed: ${problems.join("; ")}`);
  }
}

function isNoteRow(row: TableCell[]): boolean {
  return row.length === 1 && /^note/i.test(row[0]?.text ?? "");
}

export interface Table4Options {
  provenance: Provenance;
  vintage?: Vintage;
}

/** Parses a table (4) page into observations and check findings. Throws typed errors on layout trouble. */
export function normalizeTable4(html: string, options: Table4Options): NormalizeResult {
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
  const unit: PrintedUnit = parseUnitRow(unitRow.text);

  const sink: FindingSink = { blocking: [], warnings: [] };
  const titleCurrency = currencyInTitle(title);
  if (!titleCurrency) throw new LayoutChanged(`The title "${title}" does not say "(in CNY)" or "(in USD)"`);
  checkCurrencyAgrees(
    unit,
    [
      ["title", title],
      ["table's title row", page.rows[0]?.[0]?.text ?? ""],
    ],
    sink,
  );

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

  const year = titlePeriod.year;
  const mm = String(titlePeriod.month).padStart(2, "0");
  const monthKind: ObservationKind = layout.janFeb ? "jan-feb" : "month";
  const monthPeriod = layout.janFeb ? `${year}-01/02` : `${year}-${mm}`;
  const ytdPeriod = `${year}-${mm}`;
  const vintage = options.vintage ?? "preliminary";

  const observations: Observation[] = [];
  const unknownPartners: string[] = [];
  let grouping: { code: string; indent: number } | undefined;
  let memberIndent: number | undefined;

  for (const [i, row] of dataRows.entries()) {
    const name = row[0]?.text ?? "";
    const where = `Row ${i + 1} ("${name}")`;
    if (row.length !== layout.cells) {
      throw new LayoutChanged(`${where} has ${row.length} cells where the header has ${layout.cells}`);
    }
    // Members follow an "of which:" row unmarked; only their indentation says where the list ends.
    // Without indentation (indent 0) we mark only the "of which:" row itself.
    const indent = row[0]?.indent ?? 0;
    const ofWhich = /^of\s+which\s*[:：]/i.test(name);
    let isMember: boolean;
    if (ofWhich) {
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
    if (!entry) {
      unknownPartners.push(printedName);
      continue;
    }
    if (!isMember) grouping = entry.grouping ? { code: entry.code, indent } : undefined;
    const partner: Partner = {
      code: entry.code,
      nameAsPrinted: printedName,
      isGrouping: entry.grouping,
      memberOf: isMember ? grouping?.code : undefined,
    };

    const cell = (col: number) => row[col]?.text ?? "";
    const monthValues: Partial<Record<Flow, number>> = {};
    const ytdValues: Partial<Record<Flow, number>> = {};
    let monthDecimals = 0;
    let ytdDecimals = 0;
    for (const flow of FLOWS) {
      const monthCell = cell(layout.month[flow]);
      const yoy = parsePrintedNumber(cell(layout.yoy[flow]), `${where}, ${flow} y/y`);
      const monthValue = scaleDecimal(monthCell, unit.powerOfTen, `${where}, ${flow}`);
      monthDecimals = Math.max(monthDecimals, printedDecimals(monthCell));
      const common = {
        reporter: "CHN" as const,
        partner,
        flow,
        commodity: "TOTAL",
        currency: unit.currency,
        vintage,
        provenance: options.provenance,
      };
      if (monthValue !== undefined) {
        monthValues[flow] = monthValue;
        observations.push({
          ...common,
          period: monthPeriod,
          kind: monthKind,
          value: monthValue,
          printed: { value: cleanCell(monthCell), unit: unit.asPrinted },
          printedYtdYoyPct: layout.janFeb ? yoy : undefined,
        });
      }
      // The YTD figure: its own column in a normal month; the Jan–Feb value itself in the combined release.
      const ytdCell = layout.ytd ? cell(layout.ytd[flow]) : monthCell;
      const ytdValue = scaleDecimal(ytdCell, unit.powerOfTen, `${where}, ${flow} year-to-date`);
      ytdDecimals = Math.max(ytdDecimals, printedDecimals(ytdCell));
      if (ytdValue !== undefined) {
        ytdValues[flow] = ytdValue;
        observations.push({
          ...common,
          period: ytdPeriod,
          kind: "ytd",
          value: ytdValue,
          printed: { value: cleanCell(ytdCell), unit: unit.asPrinted },
          printedYtdYoyPct: yoy,
        });
      }
      warnLargeYoy(where, `${flow} year-to-date`, yoy, sink);
      if (layout.ytd) {
        const tol = roundingTolerance(printedDecimals(ytdCell), unit.powerOfTen, 2);
        checkMonthWithinYtd(where, flow, monthValue, ytdValue, tol, sink, unit.currency);
      }
    }
    // Each check's tolerance comes from the precision of the cells it compares.
    checkFlowsAddUp(
      where,
      monthValues,
      roundingTolerance(monthDecimals, unit.powerOfTen, 3),
      "for the month",
      sink,
      unit.currency,
    );
    if (layout.ytd) {
      checkFlowsAddUp(
        where,
        ytdValues,
        roundingTolerance(ytdDecimals, unit.powerOfTen, 3),
        "year-to-date",
        sink,
        unit.currency,
      );
    }
  }

  for (const name of unknownPartners) {
    sink.warnings.push({
      check: "partner-unmapped",
      message: `the partner "${name}" is not in data/partners.json yet; its row was kept out`,
    });
  }
  checkSomeRows(observations, `The page "${title}"`, sink);

  return {
    table: BY_COUNTRY_TABLE,
    currency: titleCurrency,
    period: monthPeriod,
    title,
    observations,
    blocking: sink.blocking,
    warnings: sink.warnings,
  };
}
