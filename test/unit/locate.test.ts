/**
 * Finding a release table's parts (functions/domain/gacc/locate.ts): which text is the title (and
 * so the flow, period and currency), which row is the unit row (and so the scale of every value),
 * and which two rows are the header. A wrong pick scales or dates every figure of a release, so
 * each part is tested on pages where a near miss comes first.
 */
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import { locateTable, type TableSigns } from "../../functions/domain/gacc/locate.js";
import { type Row, releasePage } from "./support/gacc-page.js";

const SIGNS: TableSigns<"exports" | "imports"> = {
  page: "This test table",
  titleRow: /major\s+(exports|imports)/i,
  kindOf: (title) => (/exports/i.test(title) ? "exports" : /imports/i.test(title) ? "imports" : undefined),
  notThisTable: (title) => `"${title}" is not a test table.`,
  periodExample: '"May 2026"',
  unitExample: "Unit: USD1 Million",
  isHeader: (cells) => /^commodity/i.test(cells[0]?.text ?? ""),
  headerStart: "Commodity",
};

const TITLE = "(6) China's Major Imports by Quantity and Value, May 2026 (in USD)";
const HEADER: Row = ["Commodity", "Quantity Unit", { text: "5", colspan: 2 }];
const SUB: Row = ["Quantity", "Value"];
const DATA: Row = ["Soya beans", "10,000 Tons", "1,179.1", "5,313.9"];

const locate = (pageTitle: string | undefined, rows: Row[]) =>
  locateTable(releasePage(pageTitle, rows), SIGNS);

describe("locateTable: the title", () => {
  it("takes the page's own title, even when the table's title row says otherwise", () => {
    const t = locate(TITLE, [
      [TITLE.replace("Imports", "Exports").replace("May", "April")],
      ["Unit: USD1 Million"],
      HEADER,
      SUB,
      DATA,
    ]);
    expect(t).toMatchObject({ title: TITLE, kind: "imports", titlePeriod: { year: 2026, month: 5 } });
    expect(t.titleRow?.[0]?.text).toBe(TITLE.replace("Imports", "Exports").replace("May", "April"));
  });

  it("reads the title from the table's one-cell title row when the page has no title", () => {
    const t = locate(undefined, [["Unit: USD1 Million"], [TITLE], HEADER, SUB, DATA]);
    expect(t).toMatchObject({ title: TITLE, kind: "imports", titlePeriod: { year: 2026, month: 5 } });
  });

  it("the title row is a one-cell row naming the table: not an earlier note, not a wider row", () => {
    const t = locate(undefined, [
      ["Preliminary figures, May 2026 (in CNY)"],
      ["Major imports by quantity, May 2026", "see below"],
      [TITLE],
      ["Unit: USD1 Million"],
      HEADER,
      SUB,
      DATA,
    ]);
    expect(t.title).toBe(TITLE);
    expect(t.titleRow).toEqual([{ text: TITLE, colspan: 1, indent: 0 }]);
  });

  it("refuses a page with no title at all, and one that is another table", () => {
    expect(() => locate(undefined, [["Unit: USD1 Million"], HEADER, SUB, DATA])).toThrow(
      new LayoutChanged('"" is not a test table.'),
    );
    expect(() => locate("Trade by partner, May 2026", [["Unit: USD1 Million"], HEADER, SUB, DATA])).toThrow(
      '"Trade by partner, May 2026" is not a test table.',
    );
  });
});

describe("locateTable: the unit row scales every value", () => {
  it.each([
    ["Unit: USD1 Million", "USD", 6],
    ["Unit : USD1 Million", "USD", 6],
    ["unit：CNY 100 Million", "CNY", 8],
  ])("reads %j", (unitRow, currency, powerOfTen) => {
    const t = locate(TITLE, [[TITLE], [unitRow], HEADER, SUB, DATA]);
    expect(t.unit).toMatchObject({ currency, powerOfTen });
  });

  it("is the row that starts with 'Unit', not a row that mentions a unit later", () => {
    const t = locate(TITLE, [
      [TITLE],
      ["Quantity unit: as printed on each row (CNY 100 Million)"],
      ["Unit: USD1 Million"],
      HEADER,
      SUB,
      DATA,
    ]);
    expect(t.unit).toMatchObject({ currency: "USD", powerOfTen: 6, asPrinted: "Unit: USD1 Million" });
  });

  it("refuses a table without one", () => {
    expect(() => locate(TITLE, [[TITLE], HEADER, SUB, DATA])).toThrow(
      /has no unit row \("Unit: USD1 Million"\)/,
    );
  });
});

describe("locateTable: the header rows", () => {
  it("finds the header and the row under it", () => {
    const t = locate(TITLE, [[TITLE], ["Unit: USD1 Million"], HEADER, SUB, DATA]);
    expect(t.headerIndex).toBe(2);
    expect(t.header.map((c) => c.text)).toEqual(["Commodity", "Quantity Unit", "5"]);
    expect(t.subHeader.map((c) => c.text)).toEqual(["Quantity", "Value"]);
  });

  it("finds a header printed first in the table", () => {
    const t = locate(TITLE, [HEADER, SUB, DATA, ["Unit: USD1 Million"]]);
    expect(t.headerIndex).toBe(0);
  });

  it.each([
    ["no header row", [[TITLE], ["Unit: USD1 Million"], SUB, DATA]],
    ["a header as the last row", [[TITLE], ["Unit: USD1 Million"], DATA, HEADER]],
  ] as Array<[string, Row[]]>)("refuses a table with %s", (_what, rows) => {
    expect(() => locate(TITLE, rows)).toThrow(
      `The table "${TITLE}" has no header row starting with "Commodity".`,
    );
  });
});
