/**
 * The Monthly Bulletin's table (2) by country/region (`/statics/report/monthly.html`): the verified
 * vintage of the by-country figures, in US$1,000, with ~250 partners.
 *
 * Columns are found by their headers, never by position: a top header row names the groups
 * ("Exports & Imports", "Exports", "Imports", "1-to-8 Total Year-on-Year (±%)", spanning columns) and
 * the row below names the period of each column ("8", "1-to-8") or, under the y/y group, the flow.
 *
 * Rows: "Total"; continent header rows whose name ends in a colon ("Asia:"), which are groupings
 * (the registry's grouping code when it knows the name, e.g. ASIA or AFRICA, else CONT-<NAME>) and
 * whose figures, if printed, are kept (a header printed as one spanning cell has none); the
 * countries after a continent row are recorded as its members; groupings such as the aggregates in
 * capitals at the bottom ("APEC", "EU") end the continent blocks. Names are mapped
 * through the partner registry ("Russia" → RUS); a name it does not know is reported (warning) and
 * its row kept out, never silently dropped. Rows are never summed.
 *
 * Read in named steps: locate (title, period, unit row, header) → columns → rows (continents,
 * partners, figures) → checks (domain/checks/). Unreadable structure (not a by-country table, no
 * period, no unit row, no header) throws LayoutChanged; everything else becomes a blocking finding
 * or a warning.
 */
import {
  checkCurrencyAgrees,
  checkFlowsAddUp,
  checkHasRows,
  checkMonthWithinYtd,
  columnsKnown,
  duplicatePartner,
  type FindingSink,
  findingSink,
  flag,
  layoutKnown,
  printedCellsTolerance,
  warnLargeYoy,
  warnPartnerUnmapped,
} from "../checks/index.js";
import { LayoutChanged } from "../errors.js";
import type { Flow, NormalizeResult, Observation, ObservationKind, Partner, Provenance } from "../model.js";
import { isNoValue, parsePrintedNumber, scaleDecimal } from "../numbers.js";
import { type PartnerRegistry, partners } from "../partners.js";
import { BULLETIN_BY_COUNTRY_TABLE } from "../table-ids.js";
import type { PrintedUnit } from "../units.js";
import { amountText, flowsAddUpText, largeYoyText, MONTH_NAMES, monthWithinYtdText } from "../wording.js";
import { expandColspans, type TableCell } from "./html-table.js";
import { type LocatedTable, locateTable, type TableSigns } from "./locate.js";
import {
  cumulativeKind,
  formatPeriod,
  parseHeaderPeriod,
  periodOfKind,
  type TitlePeriod,
} from "./release-title.js";

export interface UnmappedPartner {
  /** The name as printed. */
  name: string;
  /** How many figures the row carried (all kept out). */
  figures: number;
}

export interface BulletinResult extends NormalizeResult {
  /** Rows whose partner name the registry does not know: kept out of `observations`, listed here. */
  unmapped: UnmappedPartner[];
}

export function normalizeBulletinByCountry(
  html: string,
  provenance: Provenance,
  registry: PartnerRegistry = partners,
): BulletinResult {
  const located = locateTable(html, BULLETIN_SIGNS);
  const sink = findingSink();
  const result = (observations: Observation[], unmapped: UnmappedPartner[]): BulletinResult => ({
    table: BULLETIN_BY_COUNTRY_TABLE,
    currency: located.unit.currency,
    period: located.titlePeriod.period,
    title: located.title,
    observations,
    blocking: sink.blocking,
    warnings: sink.warnings,
    unmapped,
  });
  checkCurrencyAgrees(
    located.unit,
    [
      ["title", located.title],
      ["table's title row", located.titleRow?.[0]?.text ?? ""],
    ],
    sink,
  );
  const columns = readColumns(located.header, located.subHeader, located.titlePeriod, sink);
  if (sink.blocking.some((f) => f.check === columnsKnown.id)) return result([], []);

  const rows = readRows(located, columns, provenance, registry, sink);
  // No data rows at all, or rows none of which gave a figure.
  checkHasRows(
    Math.min(rows.dataRows, rows.observations.length),
    sink,
    `No figures could be read from the table "${located.title}".`,
  );
  return result(rows.observations, rows.unmapped);
}

// ---------------------------------------------------------------------------------------------
// Locate: title, period, unit row and the two header rows
// ---------------------------------------------------------------------------------------------

/** What marks the Bulletin's table by country/region. */
const BULLETIN_SIGNS: TableSigns<"by-country"> = {
  page: "This Bulletin table by country",
  titleRow: /countr/i,
  // Titles come with their whitespace collapsed to single spaces (html-table.ts).
  kindOf: (title) => (/by (major )?countr/i.test(title) ? "by-country" : undefined),
  notThisTable: (title) =>
    `"${title}" is not a table by country/region: check which Bulletin table this page is.`,
  periodExample: '"August 2023"',
  unitExample: "Unit: US$1,000",
  isHeader: (cells) => cells.length > 1 && /countr|region|partner/i.test(cells[0]?.text ?? ""),
  headerStart: "Country/Region",
};

// ---------------------------------------------------------------------------------------------
// Columns, from the two header rows
// ---------------------------------------------------------------------------------------------

const FLOWS: readonly Flow[] = ["total", "exports", "imports"];

interface ColumnMap {
  width: number;
  value: Record<Flow, Partial<Record<"month" | "cumulative", number>>>;
  yoy: Partial<Record<Flow, number>>;
}

/** Which flow a header label names: "Exports & Imports"/"Total" → total, "Exports" → exports... */
function flowOfLabel(label: string): Flow | undefined {
  const t = label.toLowerCase();
  if (/export\w*\s*(&|and)\s*import|import\w*\s*(&|and)\s*export|^total\b|total\s+value/.test(t))
    return "total";
  if (/export/.test(t)) return "exports";
  if (/import/.test(t)) return "imports";
  return undefined;
}

const isYoyLabel = (label: string): boolean => /year[\s-]*on[\s-]*year|±|y\/y|%/i.test(label);

function readColumns(
  header: TableCell[],
  subHeader: TableCell[],
  titlePeriod: TitlePeriod,
  sink: FindingSink,
): ColumnMap {
  const top = expandColspans(header);
  const width = top.length;
  const subLabels = expandColspans(subHeader);
  // 0 when the sub-header has a cell per column, 1 when it omits the row-spanning first one.
  const offset = width - subLabels.length;
  const columns: ColumnMap = { width, value: { total: {}, exports: {}, imports: {} }, yoy: {} };
  for (let col = 1; col < width; col++) {
    placeColumn(columns, col, top[col] ?? "", subLabels[col - offset] ?? "", titlePeriod, sink);
  }
  for (const flow of FLOWS) {
    const cols = columns.value[flow];
    const needed = titlePeriod.janFeb ? cols.cumulative : cols.month;
    if (needed === undefined) {
      flag(
        columnsKnown,
        sink,
        `The ${flow} column for ${titlePeriod.janFeb ? "January–February" : "the month"} is missing: the layout has changed.`,
      );
    }
  }
  return columns;
}

/** Reads one column's two header labels into the map, or flags a column we do not know. */
function placeColumn(
  columns: ColumnMap,
  col: number,
  group: string,
  sub: string,
  titlePeriod: TitlePeriod,
  sink: FindingSink,
): void {
  if (isYoyLabel(group)) {
    const period = parseHeaderPeriod(group);
    const flow = flowOfLabel(sub);
    if (!flow || (period && period.toMonth !== titlePeriod.month)) {
      flag(columnsKnown, sink, `The y/y column "${group} / ${sub}" is not one we can read for this release.`);
      return;
    }
    columns.yoy[flow] = col;
    return;
  }
  const flow = flowOfLabel(group);
  const period = parseHeaderPeriod(sub);
  if (!flow || !period || period.yoy) {
    flag(columnsKnown, sink, `The column "${group} / ${sub}" is not one we know.`);
    return;
  }
  if (period.toMonth !== titlePeriod.month) {
    flag(
      columnsKnown,
      sink,
      `The column "${group} / ${sub}" runs to ${MONTH_NAMES[period.toMonth - 1] ?? period.toMonth}, but the title is for ${MONTH_NAMES[titlePeriod.month - 1] ?? titlePeriod.month}.`,
    );
    return;
  }
  // For January–February, the "1-to-2" columns are the combined release; a lone "2" would be February.
  const span = period.span;
  if (columns.value[flow][span] !== undefined) {
    flag(columnsKnown, sink, `Two columns read as ${flow} ${span}: "${group} / ${sub}".`);
    return;
  }
  columns.value[flow][span] = col;
}

// ---------------------------------------------------------------------------------------------
// Rows: continents, partners, figures
// ---------------------------------------------------------------------------------------------

/** "Asia:" → "Asia"; undefined for a name without the trailing colon. */
function continentName(name: string): string | undefined {
  const m = /^(.*\S)\s*[:：]$/.exec(name); // cell texts are trimmed
  return m?.[1];
}

function continentCode(name: string, registry: PartnerRegistry): string {
  const known = registry.byPrintedName(name);
  if (known?.grouping) return known.code;
  return `CONT-${name
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")}`;
}

interface RowContext {
  titlePeriod: TitlePeriod;
  unit: PrintedUnit;
  columns: ColumnMap;
  provenance: Provenance;
  registry: PartnerRegistry;
  sink: FindingSink;
}

interface ReadRows {
  observations: Observation[];
  unmapped: UnmappedPartner[];
  /** Rows that carry a partner's figures (continent headers printed as one cell do not count). */
  dataRows: number;
}

function readRows(
  located: LocatedTable<"by-country">,
  columns: ColumnMap,
  provenance: Provenance,
  registry: PartnerRegistry,
  sink: FindingSink,
): ReadRows {
  const ctx: RowContext = {
    titlePeriod: located.titlePeriod,
    unit: located.unit,
    columns,
    provenance,
    registry,
    sink,
  };
  const out: ReadRows = { observations: [], unmapped: [], dataRows: 0 };
  const seen = new Map<string, string>();
  let continent: string | undefined;
  let inNotes = false;
  for (const cells of located.page.rows.slice(located.headerIndex + 2)) {
    const name = cells[0]?.text ?? "";
    if (cells.every((c) => c.text === "")) continue;
    inNotes ||= /^notes?\s*[:：]/i.test(name);
    if (inNotes) {
      // Notes run to the end of the table; a data row after them means the layout is not what we know.
      if (cells.length > 1) flag(layoutKnown, sink, `A row after the notes: "${name}".`);
      continue;
    }
    // A continent header may be printed as one cell spanning the table, with no figures.
    const spanningContinent = cells.length === 1 ? continentName(name) : undefined;
    if (spanningContinent !== undefined) {
      continent = continentCode(spanningContinent, registry);
      continue;
    }
    out.dataRows++;
    if (cells.length !== columns.width) {
      flag(columnsKnown, sink, `The row "${name}" has ${cells.length} cells, the header ${columns.width}.`);
      continue;
    }
    const texts = cells.map((c) => c.text);
    const found = partnerOfRow(name, texts, continent, ctx, out.unmapped);
    if (!found) continue;
    continent = found.continent;
    const earlier = seen.get(found.partner.code);
    if (earlier !== undefined) {
      flag(
        duplicatePartner,
        sink,
        `"${earlier}" and "${name}" both name the same partner: which one is right?`,
      );
      continue;
    }
    seen.set(found.partner.code, name);
    readFigures(name, texts, found.partner, ctx, out.observations);
  }
  return out;
}

/**
 * The row's partner, and the continent the rows after it belong to. A continent row ("Asia:") is a
 * grouping and starts a block; a grouping (the capitals at the bottom: "APEC", "EU") ends the
 * blocks. Undefined (and listed, warned) when the registry does not know the name.
 */
function partnerOfRow(
  name: string,
  texts: string[],
  continent: string | undefined,
  ctx: RowContext,
  unmapped: UnmappedPartner[],
): { partner: Partner; continent: string | undefined } | undefined {
  const continentLabel = continentName(name);
  if (continentLabel !== undefined) {
    const code = continentCode(continentLabel, ctx.registry);
    return { partner: { code, nameAsPrinted: name, isGrouping: true }, continent: code };
  }
  const entry = ctx.registry.byPrintedName(name);
  if (!entry) {
    const figures = texts.slice(1).filter((t) => !isNoValue(t)).length;
    unmapped.push({ name, figures });
    warnPartnerUnmapped(
      ctx.sink,
      `The partner "${name}" is not in our list of partners yet, so its row (${figures} figure${figures === 1 ? "" : "s"}) ` +
        "was left out; an engineer can add it.",
    );
    return undefined;
  }
  const next = entry.grouping ? undefined : continent;
  return {
    partner: { code: entry.code, nameAsPrinted: name, isGrouping: entry.grouping, memberOf: next },
    continent: next,
  };
}

interface Level {
  value: number;
  text: string;
}

/**
 * Reads one partner's figures, flow by flow, and checks them as it goes. A cell that cannot be
 * read is a layout finding; what was read before it stays, as it always has.
 */
function readFigures(
  name: string,
  texts: string[],
  partner: Partner,
  ctx: RowContext,
  observations: Observation[],
): void {
  try {
    const read = (flow: Flow) => readFlow(name, texts, partner, flow, ctx, observations);
    // In FLOWS order: total, exports, imports.
    const levels = { total: read("total"), exports: read("exports"), imports: read("imports") };
    checkAddUp(name, levels, ctx);
  } catch (err) {
    if (!(err instanceof LayoutChanged)) throw err;
    flag(layoutKnown, ctx.sink, err.message);
  }
}

function readFlow(
  name: string,
  texts: string[],
  partner: Partner,
  flow: Flow,
  ctx: RowContext,
  observations: Observation[],
): { month?: Level | undefined; cumulative?: Level | undefined } {
  const { columns, unit, titlePeriod, sink } = ctx;
  const where = (span: string) => `"${name}", ${flow} ${span}`;
  const read = (col: number | undefined, span: string): Level | undefined => {
    if (col === undefined) return undefined;
    const text = texts[col] ?? "";
    const value = scaleDecimal(text, unit.powerOfTen, where(span));
    return value === undefined ? undefined : { value, text };
  };
  const month = read(columns.value[flow].month, "month");
  const cumulative = read(columns.value[flow].cumulative, "year to date");
  const yoyCol = columns.yoy[flow];
  const yoyText = yoyCol === undefined ? "" : (texts[yoyCol] ?? "");
  const yoy = parsePrintedNumber(yoyText, where("y/y %"));
  const push = (kind: ObservationKind, level: Level) =>
    observations.push({
      reporter: "CHN",
      partner,
      flow,
      commodity: "TOTAL",
      period: periodOfKind(titlePeriod, kind),
      kind,
      value: level.value,
      currency: unit.currency,
      printed: { value: level.text, unit: unit.asPrinted },
      printedYtdYoyPct: kind === "month" ? undefined : yoy,
      vintage: "bulletin",
      provenance: ctx.provenance,
    });
  if (month) push("month", month);
  if (cumulative) push(cumulativeKind(titlePeriod), cumulative);
  const monthPeriod = formatPeriod(titlePeriod.year, titlePeriod.month);
  const amounts = { month: month?.value ?? 0, yearToDate: cumulative?.value ?? 0 };
  checkMonthWithinYtd(
    month?.value,
    cumulative?.value,
    0,
    sink,
    () => monthWithinYtdText(`"${name}"`, flow, amounts, monthPeriod, (x) => amountText(x, unit.currency)),
    { amounts, currency: unit.currency },
  );
  warnLargeYoy(yoy, sink, () => largeYoyText(`"${name}"`, flow, yoy ?? 0, monthPeriod));
  return { month, cumulative };
}

// ---------------------------------------------------------------------------------------------
// Checks across a row's flows (the rules are in domain/checks/)
// ---------------------------------------------------------------------------------------------

function checkAddUp(
  name: string,
  levels: Record<Flow, { month?: Level | undefined; cumulative?: Level | undefined }>,
  ctx: RowContext,
): void {
  const { unit, sink, titlePeriod } = ctx;
  const monthPeriod = formatPeriod(titlePeriod.year, titlePeriod.month);
  for (const span of ["month", "cumulative"] as const) {
    const t = levels.total[span];
    const e = levels.exports[span];
    const i = levels.imports[span];
    if (!t || !e || !i) continue;
    // Half a unit of the last printed digit per term, in base units.
    const tolerance = printedCellsTolerance([t.text, e.text, i.text], unit.powerOfTen);
    // A January–February release prints only the two months together (its "cumulative" columns).
    const months =
      span === "month" ? monthPeriod : titlePeriod.janFeb ? titlePeriod.period : `to ${monthPeriod}`;
    const amounts = (gap: number) => ({ exportsPlusImports: e.value + i.value, total: t.value, gap });
    checkFlowsAddUp(
      { total: t.value, exports: e.value, imports: i.value },
      tolerance,
      sink,
      (gap) => flowsAddUpText(`"${name}"`, amounts(gap), months, unit.currency),
      (gap) => ({ amounts: amounts(gap), currency: unit.currency }),
    );
  }
}
