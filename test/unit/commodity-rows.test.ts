/**
 * What each data row of a table (5)/(6) becomes (functions/domain/gacc/commodity/rows.ts and the
 * row selection in commodity-table.ts): the exact observations (China's total, WORLD, month and
 * year to date, value and quantity in base units, the printed y/y on the cumulative figure only),
 * which rows are refused, and the words of the checks on a row. Small synthetic pages in the GACC
 * layout (test/unit/support/commodity-page.ts); the real pages are in commodity-table.test.ts.
 */
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import {
  type CommodityTableResult,
  commodityTableFlow,
  normalizeCommodityTable,
  quantityUnitHints,
} from "../../functions/domain/gacc/commodity-table.js";
import type { Observation } from "../../functions/domain/model.js";
import { MAJOR_EXPORTS_TABLE, MAJOR_IMPORTS_TABLE } from "../../functions/domain/table-ids.js";
import {
  CRUDE,
  commodityTitle,
  GROUPS,
  commodityPage as page,
  SOY,
  span2,
} from "./support/commodity-page.js";
import { provenance, type Row, releasePage } from "./support/gacc-page.js";

const read = (html: string): CommodityTableResult => normalizeCommodityTable(html, provenance);
const only = (r: CommodityTableResult, label: string, kind: string): Observation[] =>
  r.observations.filter((o) => o.commodityLabel === label && o.kind === kind);

describe("a row's observations, exactly", () => {
  it("gives the month and the year to date of China's total (WORLD), in dollars and tons", () => {
    const r = read(page([CRUDE]));
    expect(r.blocking).toEqual([]);
    expect(r.warnings).toEqual([]);
    const common = {
      reporter: "CHN",
      partner: { code: "WORLD", nameAsPrinted: "World", isGrouping: true },
      flow: "imports",
      commodity: "cat:crude-oil",
      commodityLabel: "Crude petroleum oils",
      currency: "USD",
      vintage: "preliminary",
      provenance,
    };
    expect(r.observations).toEqual([
      {
        ...common,
        period: "2026-05",
        kind: "month",
        value: 25_801_600_000,
        quantity: { value: 33_081_000, unit: "ton", printedUnit: "10,000 Tons" },
        printed: { value: "25,801.6", unit: "Unit: USD1 Million" },
        printedYtdYoyPct: undefined,
      },
      {
        ...common,
        // January–May 2026: the year to date is dated by its last month, told apart by its kind.
        period: "2026-05",
        kind: "ytd",
        value: 125_352_000_000,
        quantity: { value: 218_364_000, unit: "ton", printedUnit: "10,000 Tons" },
        printed: { value: "125,352.0", unit: "Unit: USD1 Million" },
        printedYtdYoyPct: 0.1,
      },
    ]);
    expect(r.rows).toEqual([
      {
        commodity: "cat:crude-oil",
        label: "Crude petroleum oils",
        aggregate: false,
        indent: 0,
        parent: undefined,
        quantityUnit: { unit: "ton", powerOfTen: 4, printed: "10,000 Tons" },
        unitSource: "printed",
        priorYtd: { value: 125_170_100_000, quantity: 229_457_000, year: 2025 },
        printedYtdYoyPct: 0.1,
        printedYtdYoyPctQuantity: -4.8,
      },
    ]);
    expect(r.table).toBe(MAJOR_IMPORTS_TABLE);
  });

  it("reads table (5) as exports", () => {
    const r = read(page([CRUDE], { flow: "Exports" }));
    expect(r.table).toBe(MAJOR_EXPORTS_TABLE);
    expect(new Set(r.observations.map((o) => o.flow))).toEqual(new Set(["exports"]));
  });

  it("gives no observation for a figure printed as '-', and no quantity where the quantity is '-'", () => {
    const r = read(page([CRUDE.with(2, "-").with(3, "-")]));
    expect(r.blocking).toEqual([]);
    expect(only(r, "Crude petroleum oils", "month")).toEqual([]);
    expect(only(r, "Crude petroleum oils", "ytd").map((o) => o.value)).toEqual([125_352_000_000]);
    const noMonthQuantity = read(page([CRUDE.with(2, "-")]));
    expect(only(noMonthQuantity, "Crude petroleum oils", "month")[0]).toMatchObject({
      value: 25_801_600_000,
      quantity: undefined,
    });
    expect(only(noMonthQuantity, "Crude petroleum oils", "ytd")[0]?.quantity?.value).toBe(218_364_000);
  });

  it("a row with a unit but no quantity printed anywhere records no quantity unit", () => {
    const r = read(page([["Machine tools", "Set", "-", "27.3", "-", "157.1", "-", "175.1", "-", "-10.3"]]));
    expect(r.blocking).toEqual([]);
    expect(r.rows[0]).toMatchObject({
      quantityUnit: undefined,
      unitSource: undefined,
      priorYtd: { value: 175_100_000, quantity: undefined, year: 2025 },
    });
    expect(r.observations.map((o) => o.quantity)).toEqual([undefined, undefined]);
    // ...so it gives no unit to a later page that prints none.
    expect(quantityUnitHints(r)).toEqual(new Map());
  });

  it("marks a starred row as an aggregate (with or without a space before the star)", () => {
    const r = read(
      page([
        ["Agriculture products*", "-", "-", "8,472.4", "-", "32,810.9", "-", "31,250.9", "-", "5.0"],
        [
          "Mechanical and electrical products *",
          "-",
          "-",
          "1,000.0",
          "-",
          "5,000.0",
          "-",
          "4,900.0",
          "-",
          "2.0",
        ],
        SOY,
      ]),
    );
    expect(r.rows.map((x) => [x.commodity, x.aggregate])).toEqual([
      ["cat:agricultural-products", true],
      ["cat:mechanical-and-electrical-products", true],
      ["cat:soybeans", false],
    ]);
  });

  it("records the printed parent of an indented row, and none for a row back at the left", () => {
    const r = read(
      page([
        [
          { text: "Agriculture products*", indent: 0 },
          "-",
          "-",
          "8,472.4",
          "-",
          "32,810.9",
          "-",
          "31,250.9",
          "-",
          "5.0",
        ],
        [{ text: "Soya beans", indent: 4 }, ...SOY.slice(1)],
        [
          { text: "Grain", indent: 4 },
          "10,000 Tons",
          "100.0",
          "50.0",
          "400.0",
          "200.0",
          "390.0",
          "190.0",
          "2.6",
          "5.3",
        ],
        [{ text: "Crude petroleum oils", indent: 0 }, ...CRUDE.slice(1)],
      ]),
    );
    expect(r.rows.map((x) => [x.label, x.indent, x.parent])).toEqual([
      ["Agriculture products*", 0, undefined],
      ["Soya beans", 4, "cat:agricultural-products"],
      ["Grain", 4, "cat:agricultural-products"],
      ["Crude petroleum oils", 0, undefined],
    ]);
  });
});

describe("rows that are refused, the others still read", () => {
  it.each([
    ["no name", ""],
    ["a name with no letters or digits", "*"],
  ])("a row with %s blocks the page, naming its cells", (_what, name) => {
    const r = read(
      page([CRUDE, [name, "10,000 Tons", "1.0", "2.0", "3.0", "4.0", "5.0", "6.0", "7.0", "8.0"]]),
    );
    expect(r.blocking).toEqual([
      {
        check: "layout",
        message: `A data row has no commodity name: ${JSON.stringify([name, "10,000 Tons", "1.0", "2.0", "3.0", "4.0", "5.0", "6.0", "7.0", "8.0"])}.`,
      },
    ]);
    expect(r.rows.map((x) => x.label)).toEqual(["Crude petroleum oils"]);
  });

  it("a commodity printed twice blocks the page and only the first row is read", () => {
    const again: Row = [
      "Crude petroleum oils",
      "10,000 Tons",
      "1.0",
      "2.0",
      "3.0",
      "4.0",
      "5.0",
      "6.0",
      "7.0",
      "8.0",
    ];
    const r = read(page([CRUDE, again]));
    expect(r.blocking.map((f) => f.check)).toEqual(["duplicate-commodity"]);
    expect(only(r, "Crude petroleum oils", "month").map((o) => o.value)).toEqual([25_801_600_000]);
  });

  it("skips empty rows and rows after the notes; a data row after the notes blocks", () => {
    const blank: Row = ["", "", "", "", "", "", "", "", "", ""];
    const quiet = read(page([CRUDE, blank, SOY]));
    expect(quiet.blocking).toEqual([]);
    expect(quiet.rows.map((x) => x.label)).toEqual(["Crude petroleum oils", "Soya beans"]);
    const noteThenRow = read(
      page([CRUDE], { after: [[{ text: "Notes: figures are preliminary.", colspan: 10 }], SOY] }),
    );
    expect(noteThenRow.blocking).toEqual([
      { check: "layout", message: 'A row after the notes: "Soya beans".' },
    ]);
    expect(noteThenRow.rows.map((x) => x.label)).toEqual(["Crude petroleum oils"]);
    for (const note of ["Note： a.", "Note : a.", "NOTES: a."]) {
      const noteLines = read(
        page([CRUDE], { after: [[{ text: note, colspan: 10 }], [{ text: "b.", colspan: 10 }]] }),
      );
      expect(noteLines.blocking, note).toEqual([]);
    }
    // A commodity whose name mentions notes is a data row, not the start of the notes.
    const banknotes: Row = [
      "Paper for banknotes: security paper",
      "Ton",
      "1.0",
      "2.0",
      "3.0",
      "4.0",
      "3.0",
      "4.0",
      "0.0",
      "0.0",
    ];
    expect(read(page([CRUDE, banknotes])).rows.map((x) => x.label)).toEqual([
      "Crude petroleum oils",
      banknotes[0],
    ]);
  });
});

describe("the unit cell missing on every row", () => {
  // As on the April 2025 page, but without the empty cell at the end: still one column short.
  const shifted = (row: Row): Row => [row[0] as string, ...row.slice(2)];

  it("realigns rows one cell short of the header and takes the unit from a hint", () => {
    const r = normalizeCommodityTable(page([shifted(CRUDE), shifted(SOY)]), provenance, {
      unitHints: { "cat:crude-oil": "10,000 Tons", "cat:soybeans": "Pieces of soy" },
    });
    expect(r.layout).toBe("unit-cell-missing");
    expect(r.blocking).toEqual([]);
    expect(only(r, "Crude petroleum oils", "month")[0]).toMatchObject({
      value: 25_801_600_000,
      quantity: { value: 33_081_000, unit: "ton", printedUnit: "10,000 Tons" },
    });
    expect(r.rows.map((x) => [x.label, x.unitSource])).toEqual([
      ["Crude petroleum oils", "hint"],
      ["Soya beans", undefined],
    ]);
    // A hint we cannot read is no unit: the quantities are left out and listed, the values kept.
    expect(only(r, "Soya beans", "ytd")[0]).toMatchObject({ value: 17_226_700_000, quantity: undefined });
    expect(r.warnings.map((w) => w.check)).toEqual([
      "unit-cell-missing",
      "quantity-unit-hint",
      "quantity-unit",
    ]);
    expect(r.warnings[2]?.message).toBe(
      "Quantities without a known unit were left out (values kept) for: Soya beans.",
    );
    // Units taken from a hint are never handed on as hints: only units a page printed are.
    expect(quantityUnitHints(r)).toEqual(new Map());
    expect(quantityUnitHints(read(page([CRUDE, SOY])))).toEqual(
      new Map([
        ["cat:crude-oil", "10,000 Tons"],
        ["cat:soybeans", "10,000 Tons"],
      ]),
    );
  });
});

describe("pages that give nothing", () => {
  it("a page whose rows are all refused blocks: no figures could be read", () => {
    const r = read(page([CRUDE.with(3, "n/a")]));
    expect(r.blocking).toEqual([
      { check: "layout", message: '"Crude petroleum oils", 5 value: expected a number but found "n/a"' },
      {
        check: "has-rows",
        message: `No figures could be read from the table "(6) China's Major Imports by Quantity and Value, May 2026 (in USD)".`,
      },
    ]);
  });

  it("a blocked page gives no rows and no observations", () => {
    const r = read(page([CRUDE], { groups: ["5", "1-5 Total", "1-5 Total, 2025", "Something else"] }));
    expect(r.blocking.map((f) => f.check)).toContain("columns");
    expect(r).toMatchObject({ layout: "normal", rows: [], observations: [] });
    const mixed = read(
      page([CRUDE, ["Grain", "26.9", "174.4", "78.0", "545.1", "59.4", "445.3", "31.3", "22.4", ""]]),
    );
    expect(mixed.blocking.map((f) => f.check)).toEqual(["layout"]);
    expect(mixed).toMatchObject({ layout: "normal", rows: [], observations: [] });
  });

  it("a title row in another currency than the unit row blocks, naming the title row", () => {
    const title = commodityTitle("Imports");
    const html = releasePage(title, [
      [{ text: title.replace("USD", "CNY"), colspan: 10 }],
      [{ text: "Unit: USD1 Million", colspan: 10 }],
      ["Commodity", "Quantity Unit", ...GROUPS.map(span2)],
      GROUPS.flatMap(() => ["Quantity", "Value"]),
      CRUDE,
    ]);
    const r = read(html);
    expect(r.blocking.map((f) => f.check)).toEqual(["currency-agrees"]);
    expect(r.blocking[0]?.message).toBe(
      `the table's title row says CNY but the unit row says "Unit: USD1 Million"; the values cannot be trusted in either currency`,
    );
  });
});

describe("the checks on a row say which flow and which measure", () => {
  it("a month larger than its year to date in quantity blocks, with both amounts", () => {
    const r = read(
      page([
        [
          "Coal and lignite",
          "10,000 Tons",
          "3,326.5",
          "99.3",
          "1,826.3",
          "991.6",
          "1,886.7",
          "1,052.7",
          "-3.2",
          "-5.8",
        ],
      ]),
    );
    expect(r.blocking).toEqual([
      {
        check: "month-within-ytd",
        message:
          '"Coal and lignite": the figure for imports by quantity in May 2026 (33.3 million tonnes) is larger than the ' +
          "year-to-date figure for January–May 2026 (18.3 million tonnes), which cannot be: a column is misread, or " +
          "GACC printed the two the wrong way round",
        amounts: { month: 33_265_000, yearToDate: 18_263_000 },
      },
    ]);
  });

  it.each([
    [
      "Imports",
      "value",
      ["Machine tools", "Set", "4,997.0", "27.3", "26,517.0", "157.1", "29,290.0", "175.1", "-9.5", "-20.3"],
    ],
    [
      "Exports",
      "quantity",
      ["Machine tools", "Set", "4,997.0", "27.3", "26,517.0", "157.1", "29,290.0", "175.1", "-30.5", "-10.3"],
    ],
  ] as const)("a printed y/y that does not follow: %s by %s", (flow, measure, cells) => {
    const r = read(page([[...cells]], { flow }));
    expect(r.blocking).toEqual([]);
    expect(r.warnings.map((w) => w.check)).toEqual(["yoy-recomputed"]);
    expect(r.warnings[0]?.message).toContain(
      `"Machine tools": GACC prints the year-on-year change in ${flow.toLowerCase()} by ${measure} as ${measure === "value" ? "-20.3" : "-30.5"}%`,
    );
  });
});

describe("which page is a table (5)/(6), and what the editor is told when it cannot be read", () => {
  it.each([
    ["(5) China's Major Exports by Quantity and Value, May 2026 (in USD)", "exports"],
    ["(6) China's Major Imports by Quantity and Value, May 2026 (in CNY)", "imports"],
    ["China's major  imports by quantity", "imports"],
    ["(5) China's Major Exports by Value, May 2026", undefined],
    ["(4) China's Exports by Quantity and Value, May 2026", undefined],
    ["(6) China's Major Importers by Quantity, May 2026", undefined],
  ])("%j → %s", (title, flow) => {
    expect(commodityTableFlow(title)).toBe(flow);
  });

  const TITLE6 = commodityTitle("Imports");
  it.each([
    [
      "another table",
      releasePage("(4) China's Total Export & Import Values by Country/Region, May 2026 (in USD)", [
        ["x", "y"],
        ["z", "w"],
      ]),
      `"(4) China's Total Export & Import Values by Country/Region, May 2026 (in USD)" is not a table of China's major exports or imports by quantity and value: check which table this page is.`,
    ],
    [
      "no month in the title",
      releasePage("(6) China's Major Imports by Quantity and Value (in USD)", [
        ["x", "y"],
        ["z", "w"],
      ]),
      `The title "(6) China's Major Imports by Quantity and Value (in USD)" names no month we can read (e.g. "May 2026" or "January-February 2025").`,
    ],
    [
      "no unit row",
      releasePage(TITLE6, [
        ["x", "y"],
        ["Commodity", "Quantity Unit"],
      ]),
      `The table "${TITLE6}" has no unit row ("Unit: USD1 Million"): its values cannot be scaled.`,
    ],
    [
      "no header",
      releasePage(TITLE6, [["Unit: USD1 Million"], ["x", "y"]]),
      `The table "${TITLE6}" has no header row starting with "Commodity".`,
    ],
  ])("%s", (_what, html, message) => {
    expect(() => read(html)).toThrow(new LayoutChanged(message));
  });

  it("names the table when the page has no table", () => {
    expect(() => read(releasePage(TITLE6, []))).toThrow(
      /^This table of major exports\/imports has no data table/,
    );
  });
});
