/**
 * The first step of the parsers whose pages print a title, a unit row and two header rows (the
 * Bulletin by country, tables (5)/(6)): find each, or throw LayoutChanged saying, in the parser's
 * words, which is missing. Table (4) has no header rows to find and locates its own.
 */
import { LayoutChanged } from "../errors.js";
import { type PrintedUnit, parseUnitRow } from "../units.js";
import { type ReleasePage, readReleasePage, type TableCell } from "./html-table.js";
import { parseTitlePeriod, type TitlePeriod } from "./release-title.js";

/** How a parser recognises its table, and what it tells an editor when a part is missing. */
export interface TableSigns<Kind> {
  /** Names the page in decoding errors ("This Bulletin table by country"). */
  page: string;
  /** A one-cell row holding the title, read when the page has no title of its own. */
  titleRow: RegExp;
  /** Which of the parser's tables `title` names (tables (5)/(6): the flow), or undefined: not one. */
  kindOf(title: string): Kind | undefined;
  /** Why `title` is not one of the parser's tables, for the editor. */
  notThisTable(title: string): string;
  /** A title period, as an example in the message when none can be read ("\"August 2023\""). */
  periodExample: string;
  /** A unit row, as an example in the message when there is none ("Unit: US$1,000"). */
  unitExample: string;
  /** The header row, and the words it starts with in the message when there is none. */
  isHeader(cells: TableCell[]): boolean;
  headerStart: string;
}

export interface LocatedTable<Kind> {
  page: ReleasePage;
  title: string;
  kind: Kind;
  titleRow: TableCell[] | undefined;
  titlePeriod: TitlePeriod;
  unit: PrintedUnit;
  headerIndex: number;
  header: TableCell[];
  subHeader: TableCell[];
}

export function locateTable<Kind>(html: string, signs: TableSigns<Kind>): LocatedTable<Kind> {
  const page = readReleasePage(html, signs.page);
  const titleRow = page.rows.find((cells) => cells.length === 1 && signs.titleRow.test(cells[0]?.text ?? ""));
  const title = page.pageTitle ?? titleRow?.[0]?.text ?? "";
  const kind = signs.kindOf(title);
  if (kind === undefined) throw new LayoutChanged(signs.notThisTable(title));
  const titlePeriod = parseTitlePeriod(title);
  if (!titlePeriod) {
    throw new LayoutChanged(`The title "${title}" names no month we can read (e.g. ${signs.periodExample}).`);
  }
  const unitText = page.rows.find((cells) => /^unit\s*[:：]/i.test(cells[0]?.text ?? ""))?.[0]?.text;
  if (unitText === undefined) {
    throw new LayoutChanged(
      `The table "${title}" has no unit row ("${signs.unitExample}"): its values cannot be scaled.`,
    );
  }
  const headerIndex = page.rows.findIndex(signs.isHeader);
  const header = page.rows[headerIndex];
  const subHeader = page.rows[headerIndex + 1];
  // No header: findIndex gives -1 and page.rows[-1] is undefined.
  if (!header || !subHeader) {
    throw new LayoutChanged(`The table "${title}" has no header row starting with "${signs.headerStart}".`);
  }
  return {
    page,
    title,
    kind,
    titleRow,
    titlePeriod,
    unit: parseUnitRow(unitText),
    headerIndex,
    header,
    subHeader,
  };
}
