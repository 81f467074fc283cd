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
 * Unreadable structure (not a by-country table, no period, no unit row, no header) throws
 * LayoutChanged; everything else becomes a blocking finding or a warning.
 */
import { checkCurrencyAgrees } from "../checks.js";
import { LayoutChanged } from "../errors.js";
import type {
  CheckFinding,
  Flow,
  NormalizeResult,
  Observation,
  ObservationKind,
  Partner,
  Provenance,
} from "../model.js";
import { isNoValue, parsePrintedNumber, printedDecimals, scaleDecimal } from "../numbers.js";
import { type PartnerRegistry, partners } from "../partners.js";
import { parseUnitRow } from "../units.js";
import { readReleasePage, type TableCell } from "./html-table.js";
import { formatPeriod, parseHeaderPeriod, parseTitlePeriod } from "./release-title.js";

export const BULLETIN_BY_COUNTRY_TABLE = "bulletin-by-country";

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

const FLOWS: readonly Flow[] = ["total", "exports", "imports"];

function finding(check: string, message: string): CheckFinding {
  return { check, message };
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

function expand(cells: TableCell[]): string[] {
  return cells.flatMap((c) => Array.from({ length: c.colspan }, () => c.text));
}

/** "Asia:" → "Asia"; undefined for a name without the trailing colon. */
function continentName(name: string): string | undefined {
  const m = /^(.*\S)\s*[:：]$/.exec(name.trim());
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

interface ColumnMap {
  width: number;
  value: Record<Flow, Partial<Record<"month" | "cumulative", number>>>;
  yoy: Partial<Record<Flow, number>>;
}

export function normalizeBulletinByCountry(
  html: string,
  provenance: Provenance,
  registry: PartnerRegistry = partners,
): BulletinResult {
  const page = readReleasePage(html, "This Bulletin table by country");
  const titleRow = page.rows.find((cells) => cells.length === 1 && /countr/i.test(cells[0]?.text ?? ""));
  const title = page.pageTitle ?? titleRow?.[0]?.text ?? "";
  if (!/by\s+(major\s+)?countr/i.test(title)) {
    throw new LayoutChanged(
      `"${title}" is not a table by country/region: check which Bulletin table this page is.`,
    );
  }
  const titlePeriod = parseTitlePeriod(title);
  if (!titlePeriod) {
    throw new LayoutChanged(`The title "${title}" names no month we can read (e.g. "August 2023").`);
  }
  const unitText = page.rows.find((cells) => /^unit\s*[:：]/i.test(cells[0]?.text ?? ""))?.[0]?.text;
  if (unitText === undefined) {
    throw new LayoutChanged(
      `The table "${title}" has no unit row ("Unit: US$1,000"): its values cannot be scaled.`,
    );
  }
  const unit = parseUnitRow(unitText);
  const headerIndex = page.rows.findIndex(
    (cells) => cells.length > 1 && /countr|region|partner/i.test(cells[0]?.text ?? ""),
  );
  const header = page.rows[headerIndex];
  const subHeader = page.rows[headerIndex + 1];
  if (headerIndex < 0 || !header || !subHeader) {
    throw new LayoutChanged(`The table "${title}" has no header row starting with "Country/Region".`);
  }

  const blocking: CheckFinding[] = [];
  const warnings: CheckFinding[] = [];
  const result = (observations: Observation[], unmapped: UnmappedPartner[]): BulletinResult => ({
    table: BULLETIN_BY_COUNTRY_TABLE,
    currency: unit.currency,
    period: titlePeriod.period,
    title,
    observations,
    blocking,
    warnings,
    unmapped,
  });

  checkCurrencyAgrees(
    unit,
    [
      ["title", title],
      ["table's title row", titleRow?.[0]?.text ?? ""],
    ],
    { blocking, warnings },
  );

  // Columns, from the two header rows.
  const top = expand(header);
  const width = top.length;
  const subLabels = expand(subHeader);
  const offset = subLabels.length === width ? 0 : width - subLabels.length;
  const columns: ColumnMap = { width, value: { total: {}, exports: {}, imports: {} }, yoy: {} };
  for (let col = 1; col < width; col++) {
    const group = top[col] ?? "";
    const sub = subLabels[col - offset] ?? "";
    if (isYoyLabel(group)) {
      const period = parseHeaderPeriod(group);
      const flow = flowOfLabel(sub);
      if (!flow || (period && period.toMonth !== titlePeriod.month)) {
        blocking.push(
          finding("columns", `The y/y column "${group} / ${sub}" is not one we can read for this release.`),
        );
        continue;
      }
      columns.yoy[flow] = col;
      continue;
    }
    const flow = flowOfLabel(group);
    const period = parseHeaderPeriod(sub);
    if (!flow || !period || period.yoy) {
      blocking.push(finding("columns", `The column "${group} / ${sub}" is not one we know.`));
      continue;
    }
    if (period.toMonth !== titlePeriod.month) {
      blocking.push(
        finding(
          "columns",
          `The column "${group} / ${sub}" ends in month ${period.toMonth}, the title in ${titlePeriod.month}.`,
        ),
      );
      continue;
    }
    // For January–February, the "1-to-2" columns are the combined release; a lone "2" would be February.
    const span = period.span;
    if (columns.value[flow][span] !== undefined) {
      blocking.push(finding("columns", `Two columns read as ${flow} ${span}: "${group} / ${sub}".`));
      continue;
    }
    columns.value[flow][span] = col;
  }
  for (const flow of FLOWS) {
    const cols = columns.value[flow];
    const needed = titlePeriod.janFeb ? cols.cumulative : cols.month;
    if (needed === undefined) {
      blocking.push(
        finding(
          "columns",
          `The ${flow} column for ${titlePeriod.janFeb ? "January–February" : "the month"} is missing: the layout has changed.`,
        ),
      );
    }
  }
  if (blocking.some((f) => f.check === "columns")) return result([], []);

  // Rows.
  const observations: Observation[] = [];
  const unmapped: UnmappedPartner[] = [];
  const seen = new Map<string, string>();
  let continent: string | undefined;
  let dataRows = 0;
  const cumulativeKind: ObservationKind = titlePeriod.janFeb ? "jan-feb" : "ytd";

  let inNotes = false;
  for (const cells of page.rows.slice(headerIndex + 2)) {
    const name = cells[0]?.text ?? "";
    if (cells.every((c) => c.text === "")) continue;
    inNotes ||= /^notes?\s*[:：]/i.test(name);
    if (inNotes) {
      // Notes run to the end of the table; a data row after them means the layout is not what we know.
      if (cells.length > 1) blocking.push(finding("layout", `A row after the notes: "${name}".`));
      continue;
    }
    // A continent header may be printed as one cell spanning the table, with no figures.
    const spanningContinent = cells.length === 1 ? continentName(name) : undefined;
    if (spanningContinent !== undefined) {
      continent = continentCode(spanningContinent, registry);
      continue;
    }
    dataRows++;
    if (cells.length !== width) {
      blocking.push(finding("columns", `The row "${name}" has ${cells.length} cells, the header ${width}.`));
      continue;
    }
    const texts = cells.map((c) => c.text);
    const figures = texts.slice(1).filter((t) => !isNoValue(t)).length;

    let partner: Partner;
    const continentLabel = continentName(name);
    if (continentLabel !== undefined) {
      continent = continentCode(continentLabel, registry);
      partner = { code: continent, nameAsPrinted: name, isGrouping: true };
    } else {
      const entry = registry.byPrintedName(name);
      if (!entry) {
        unmapped.push({ name, figures });
        warnings.push(
          finding(
            "unmapped-partner",
            `The partner name "${name}" is not in the partner registry: its row (${figures} figure${figures === 1 ? "" : "s"}) ` +
              "was kept out. Add the name to data/partners.json to include it.",
          ),
        );
        continue;
      }
      // Groupings (the capitals at the bottom: "APEC", "EU") end the continent blocks.
      if (entry.grouping) continent = undefined;
      partner = {
        code: entry.code,
        nameAsPrinted: name,
        isGrouping: entry.grouping,
        memberOf: entry.grouping ? undefined : continent,
      };
    }
    const earlier = seen.get(partner.code);
    if (earlier !== undefined) {
      blocking.push(
        finding(
          "duplicate-partner",
          `"${earlier}" and "${name}" both read as partner ${partner.code}: which one is right?`,
        ),
      );
      continue;
    }
    seen.set(partner.code, name);

    try {
      const where = (flow: Flow, span: string) => `"${name}", ${flow} ${span}`;
      const read = (col: number | undefined, flow: Flow, span: string) => {
        if (col === undefined) return undefined;
        const text = texts[col] ?? "";
        const value = scaleDecimal(text, unit.powerOfTen, where(flow, span));
        return value === undefined ? undefined : { value, text };
      };
      const levels: Record<
        Flow,
        { month?: { value: number; text: string }; cumulative?: { value: number; text: string } }
      > = { total: {}, exports: {}, imports: {} };
      for (const flow of FLOWS) {
        const cols = columns.value[flow];
        const month = read(cols.month, flow, "month");
        const cumulative = read(cols.cumulative, flow, "year to date");
        const yoyCol = columns.yoy[flow];
        const yoyText = yoyCol === undefined ? "" : (texts[yoyCol] ?? "");
        const yoy = parsePrintedNumber(yoyText, where(flow, "y/y %"));
        levels[flow] = { month, cumulative };
        const push = (kind: ObservationKind, level: { value: number; text: string }) =>
          observations.push({
            reporter: "CHN",
            partner,
            flow,
            commodity: "TOTAL",
            period: kind === "month" ? formatPeriod(titlePeriod.year, titlePeriod.month) : titlePeriod.period,
            kind,
            value: level.value,
            currency: unit.currency,
            printed: { value: level.text, unit: unit.asPrinted },
            printedYtdYoyPct: kind === "month" ? undefined : yoy,
            vintage: "bulletin",
            provenance,
          });
        if (month) push("month", month);
        if (cumulative) push(cumulativeKind, cumulative);
        if (month && cumulative && month.value > cumulative.value) {
          blocking.push(
            finding(
              "month-vs-ytd",
              `"${name}": ${flow} for the month (${month.text}) exceed the year to date (${cumulative.text}).`,
            ),
          );
        }
        if (yoy !== undefined && Math.abs(yoy) > 100) {
          warnings.push(
            finding("yoy-large", `"${name}": the printed year-to-date y/y change in ${flow} is ${yoyText}%.`),
          );
        }
      }
      for (const span of ["month", "cumulative"] as const) {
        const t = levels.total[span];
        const e = levels.exports[span];
        const i = levels.imports[span];
        if (!t || !e || !i) continue;
        // Half a unit of the last printed digit per term, in base units.
        const tolerance = [t, e, i].reduce(
          (sum, x) => sum + 0.5 * 10 ** (unit.powerOfTen - printedDecimals(x.text)),
          0,
        );
        const gap = e.value + i.value - t.value;
        if (Math.abs(gap) > tolerance) {
          blocking.push(
            finding(
              "sum",
              `"${name}" (${span === "month" ? "month" : "year to date"}): exports ${e.text} + imports ${i.text} ` +
                `differ from the total ${t.text} by ${Math.abs(gap) / 10 ** unit.powerOfTen} (${unit.asPrinted}), more than rounding allows.`,
            ),
          );
        }
      }
    } catch (err) {
      if (!(err instanceof LayoutChanged)) throw err;
      blocking.push(finding("layout", err.message));
    }
  }

  if (dataRows === 0 || observations.length === 0) {
    blocking.push(finding("zero-rows", `No figures could be read from the table "${title}".`));
  }
  return result(observations, unmapped);
}
