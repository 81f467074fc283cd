/**
 * Which columns a table (5)/(6)'s figures are read from (functions/domain/gacc/commodity/layout.ts):
 * a page whose data rows lack the Quantity Unit cell (April 2025 exports) must be realigned, a normal
 * page must never be, and a page mixing the two shapes must be refused, since reading a value one
 * column off publishes last year's figure as this year's, or a quantity as a value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alignedTexts, detectLayout } from "../../functions/domain/gacc/commodity/layout.js";
import type { TableCell } from "../../functions/domain/gacc/html-table.js";
import { SOY } from "./support/commodity-page.js";

const cells = (...texts: string[]): TableCell[] => texts.map((text) => ({ text, colspan: 1, indent: 0 }));

/** Month, year to date, last year's year to date, y/y: Commodity | Unit | 4 × Quantity, Value. */
const WIDTH = 10;

// Rows as printed on the April 2025 exports page: no unit cell, an empty cell at the end.
const SHIFTED = [
  cells("Agricultural products*", "-", "8,472.4", "-", "32,810.9", "-", "31,250.9", "-", "5.0", ""),
  cells("Aquatic products", "35.0", "1,640.4", "140.2", "6,399.3", "122.6", "6,001.2", "14.3", "6.6", ""),
  cells("Rare earth", "4,784.8", "21.7", "18,962.3", "149.4", "18,049.5", "176.3", "5.1", "-15.3", ""),
];
// Rows as printed on a normal page: the unit in the second cell.
const NORMAL = [
  cells("Agricultural products*", "-", "-", "8,472.4", "-", "32,810.9", "-", "31,250.9", "-", "5.0"),
  cells("Rare earth", "Ton", "4,785", "21.7", "18,962", "149.4", "18,050", "176.3", "5.1", "-15.3"),
  cells(
    "Crude petroleum oils",
    "10,000 Tons",
    "3,308.1",
    "25,801.6",
    "21,836",
    "125,352",
    "22,946",
    "125,170",
    "-4.8",
    "0.1",
  ),
];

describe("detectLayout: normal pages", () => {
  it("reads a page with a unit (or '-') in every second cell as normal", () => {
    expect(detectLayout(NORMAL, WIDTH)).toBe("normal");
    expect(detectLayout([], WIDTH)).toBe("normal");
  });

  it.each(["M3", "10,000 M3", "100 Million m3", "Cubic M3"])(
    "a unit ending in a digit (%j) is a unit, not a value shifted into the unit column",
    (unit) => {
      const rows = [
        ...NORMAL,
        cells("Natural gases", unit, "1,025", "3,921", "5,103", "19,650", "5,220", "21,007", "-2.2", "-6.5"),
      ];
      expect(detectLayout(rows, WIDTH)).toBe("normal");
    },
  );

  it("reads a row that holds only a name (no second cell) as normal, without failing", () => {
    expect(detectLayout([cells("Other goods")], WIDTH)).toBe("normal");
  });
});

describe("detectLayout: the unit cell missing on every row (April 2025)", () => {
  it("recognises the page as printed (ending in an empty cell) and one cell short (no padding)", () => {
    expect(detectLayout(SHIFTED, WIDTH)).toBe("unit-cell-missing");
    expect(
      detectLayout(
        SHIFTED.map((r) => r.slice(0, WIDTH - 1)),
        WIDTH,
      ),
    ).toBe("unit-cell-missing");
  });

  it.each([
    ["integers", "4,785", "22"],
    ["millions with two separators", "1,234,567.8", "21.7"],
    ["two decimals", "4,784.85", "21.75"],
    ["signed", "+12.0", "-15.3"],
    ["a full-width minus and &nbsp;", "\u00a04,784.8", "\uff0d15.3"],
  ])("takes %s as values", (_what, first, second) => {
    const rows = [
      ...SHIFTED,
      cells("Steel products", first, second, "18,962", "149.4", "18,050", "176.3", "5.1", "-15.3", ""),
    ];
    expect(detectLayout(rows, WIDTH)).toBe("unit-cell-missing");
  });

  it("accepts 'no value' cells among the values, but not a row with no value at all", () => {
    const someBlank = cells("Grain", "26.9", "", "78.0", "-", "59.4", "—", "31.3", "22.4", "");
    expect(detectLayout([...SHIFTED, someBlank], WIDTH)).toBe("unit-cell-missing");
    const allBlank = cells("Grain", "", "", "", "", "", "", "", "", "");
    expect(detectLayout([...SHIFTED, allBlank], WIDTH)).toBeUndefined();
  });
});

describe("detectLayout: shapes that cannot be lined up safely are refused (undefined)", () => {
  const [first, second, third] = SHIFTED as [TableCell[], TableCell[], TableCell[]];
  /** Rare earth's shifted row with the cell at `at` changed to `text`. */
  const thirdWith = (at: number, text: string) => cells(...third.map((c) => c.text).with(at, text));
  it.each([
    ["a normal row among shifted ones", [...SHIFTED, NORMAL[1] as TableCell[]]],
    [
      "a number in the unit cell of a full-width row (no padding)",
      [cells("Grain", "26.9", "174.4", "78.0", "545.1", "59.4", "445.3", "31.3", "22.4", "7.7")],
    ],
    ["a shifted row with something in its last cell", [first, second, thirdWith(WIDTH - 1, "x")]],
    ["a shifted row two cells short", [first, second, third.slice(0, WIDTH - 2)]],
    ["a shifted row with two empty cells at the end", [first, second, [...third, ...cells("")]]],
    ["a shifted row with a word among its values", [first, second, thirdWith(3, "n/a")]],
    ["a shifted row with a number and text in one cell", [first, second, thirdWith(2, "21.7 t")]],
  ])("%s", (_what, rows) => {
    expect(detectLayout(rows, WIDTH)).toBeUndefined();
  });

  it("refuses any page where one shifted row has a unit spelled out in its second cell", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("Ton", "10,000 Tons", "Set", "PCS"),
        fc.integer({ min: 0, max: 3 }),
        (unit, at) => {
          // Soya beans with a unit, but ending in an empty cell like the shifted rows.
          const withUnit = cells(...SOY.with(1, unit).with(WIDTH - 1, ""));
          const rows = [...SHIFTED];
          rows.splice(at, 0, withUnit);
          expect(detectLayout(rows, WIDTH)).toBeUndefined();
        },
      ),
    );
  });
});

describe("alignedTexts", () => {
  it("puts every value of a shifted row back under its header, with an empty unit cell", () => {
    expect(alignedTexts(SHIFTED[2] as TableCell[], "unit-cell-missing")).toEqual([
      "Rare earth",
      "",
      "4,784.8",
      "21.7",
      "18,962.3",
      "149.4",
      "18,049.5",
      "176.3",
      "5.1",
      "-15.3",
      "",
    ]);
  });

  it("leaves a normal row as printed", () => {
    expect(alignedTexts(NORMAL[2] as TableCell[], "normal")).toEqual(NORMAL[2]?.map((c) => c.text));
  });

  it("gives an empty name for an empty row", () => {
    expect(alignedTexts([], "unit-cell-missing")).toEqual(["", ""]);
    expect(alignedTexts([], "normal")).toEqual([]);
  });
});
