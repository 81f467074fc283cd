/**
 * The Bulletin's table by country (functions/domain/gacc/bulletin.ts), piece by piece: which header
 * labels are read as which flow and which column is a y/y (a wrong pick publishes imports as exports
 * or a y/y % as a level), which columns and rows are refused and what the editor is told, which rows
 * are continents (and under which code), and what a bad cell or a missing figure does to the rest.
 * Small synthetic pages (test/unit/support/gacc-page.ts); the sample pages are in bulletin.test.ts.
 */
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import { type BulletinResult, normalizeBulletinByCountry } from "../../functions/domain/gacc/bulletin.js";
import type { Flow, Observation, ObservationKind } from "../../functions/domain/model.js";
import { type Cell, provenance, type Row, releasePage } from "./support/gacc-page.js";

const TITLE = "(2) China's Total Export & Import Values by Country/Region, August 2023 (in USD)";
const YOY = "1-to-8 Total Year-on-Year (±%)";
const span = (text: string, colspan: number): Cell => ({ text, colspan });

interface PageOptions {
  title?: string | undefined;
  titleRow?: string | null;
  unit?: string | null;
  header?: Row | null;
  sub?: Row;
}

function page(rows: Row[], o: PageOptions = {}): string {
  const title = "title" in o ? o.title : TITLE;
  const header = o.header === undefined ? headerRow() : o.header;
  return releasePage(title, [
    ...(o.titleRow === null ? [] : [[span(o.titleRow ?? TITLE, 10)]]),
    ...(o.unit === null ? [] : [[span(o.unit ?? "Unit: US$1,000", 10)]]),
    ...(header === null ? [] : [header]),
    o.sub ?? subRow(),
    ...rows,
    [span("Note: synthetic page for tests.", 10)],
  ]);
}

function headerRow(total = "Exports & Imports", yoy = YOY): Row {
  return ["Country/Region", span(total, 2), span("Exports", 2), span("Imports", 2), span(yoy, 3)];
}
function subRow(...yoyFlows: string[]): Row {
  const flows = yoyFlows.length ? yoyFlows : ["Exports & Imports", "Exports", "Imports"];
  return ["", "8", "1-to-8", "8", "1-to-8", "8", "1-to-8", ...flows];
}

// Total 30 (month) / 90 (Jan–Aug), exports 10 / 40, imports 20 / 50, y/y 1.5 / -2.0 / 3.5.
const GERMANY: Row = ["Germany", "30", "90", "10", "40", "20", "50", "1.5", "-2.0", "3.5"];
const FRANCE: Row = ["France", "3", "9", "1", "4", "2", "5", "-", "-", "-"];

const read = (html: string): BulletinResult => normalizeBulletinByCountry(html, provenance);

function pick(r: BulletinResult, code: string, flow: Flow, kind: ObservationKind): Observation | undefined {
  const found = r.observations.filter((o) => o.partner.code === code && o.flow === flow && o.kind === kind);
  expect(found.length, `${code} ${flow} ${kind}`).toBeLessThanOrEqual(1);
  return found[0];
}

/** Germany's six levels and three y/y, as read: what a chart of Germany would show. */
function germany(r: BulletinResult) {
  return (["total", "exports", "imports"] as const).map((flow) => [
    flow,
    pick(r, "DEU", flow, "month")?.value,
    pick(r, "DEU", flow, "ytd")?.value,
    pick(r, "DEU", flow, "ytd")?.printedYtdYoyPct,
  ]);
}
const GERMANY_READ = [
  ["total", 30_000, 90_000, 1.5],
  ["exports", 10_000, 40_000, -2],
  ["imports", 20_000, 50_000, 3.5],
];

describe("which header is which flow", () => {
  it.each([
    "Exports & Imports",
    "Exports&Imports",
    "Export & Import",
    "Exports and Imports",
    "Imports & Exports",
    "Imports&Exports",
    "Import & Export",
    "Imports and Exports",
    "Total",
    "Total Value",
    "Trade, Total Value",
  ])("%j is the total: Germany read exactly", (label) => {
    const r = read(page([GERMANY], { header: headerRow(label) }));
    expect(r.blocking).toEqual([]);
    expect(germany(r)).toEqual(GERMANY_READ);
  });

  it.each([
    YOY,
    "1-to-8 Total Year-on-Year",
    "Year on Year",
    "Year-On-Year",
    "Year - on - Year",
    "YearOnYear",
    "y/y",
    "Change (%)",
  ])("%j is the y/y group", (label) => {
    const r = read(page([GERMANY], { header: headerRow("Exports & Imports", label) }));
    expect(r.blocking).toEqual([]);
    expect(germany(r)).toEqual(GERMANY_READ);
  });

  it("a flow's own total ('Exports Total') is that flow, not the total of both", () => {
    const header: Row = [
      "Country/Region",
      span("Exports & Imports", 2),
      span("Exports Total", 2),
      span("Imports Total", 2),
      span(YOY, 3),
    ];
    const r = read(page([GERMANY], { header }));
    expect(r.blocking).toEqual([]);
    expect(germany(r)).toEqual(GERMANY_READ);
  });

  it("reads the y/y columns by the flow under them, in any order", () => {
    const r = read(
      page([["Germany", "30", "90", "10", "40", "20", "50", "3.5", "1.5", "-2.0"]], {
        sub: subRow("Imports", "Total", "Exports"),
      }),
    );
    expect(r.blocking).toEqual([]);
    expect(germany(r)).toEqual(GERMANY_READ);
  });

  it("lines a sub-header that omits the first (row-spanning) cell up with its columns", () => {
    const r = read(page([GERMANY], { sub: subRow().slice(1) }));
    expect(r.blocking).toEqual([]);
    expect(germany(r)).toEqual(GERMANY_READ);
  });

  it("reads a page without y/y columns, with no printed y/y", () => {
    const header: Row = [
      "Country/Region",
      span("Exports & Imports", 2),
      span("Exports", 2),
      span("Imports", 2),
    ];
    const r = read(page([GERMANY.slice(0, 7)], { header, sub: subRow().slice(0, 7) }));
    expect(r.blocking).toEqual([]);
    expect(germany(r)).toEqual(GERMANY_READ.map(([flow, m, y]) => [flow, m, y, undefined]));
  });
});

describe("columns that are refused, and the page with them", () => {
  const blocked = (r: BulletinResult) => {
    expect(r.observations).toEqual([]);
    expect(r.unmapped).toEqual([]);
    return r.blocking;
  };

  it.each([
    [
      "a y/y column under no flow",
      { sub: subRow("Exports & Imports", "Exports", "Balance") },
      `The y/y column "${YOY} / Balance" is not one we can read for this release.`,
    ],
    [
      "a y/y group for another month",
      { header: headerRow("Exports & Imports", "1-to-7 Total Year-on-Year (±%)") },
      'The y/y column "1-to-7 Total Year-on-Year (±%) / Exports & Imports" is not one we can read for this release.',
    ],
    [
      "a column under no flow",
      {
        header: [
          "Country/Region",
          span("Trade Balance", 2),
          span("Exports", 2),
          span("Imports", 2),
          span(YOY, 3),
        ],
      },
      'The column "Trade Balance / 8" is not one we know.',
    ],
    [
      "a column under no period",
      { sub: ["", "8", "1-to-8", "8", "Value", "8", "1-to-8", "Exports & Imports", "Exports", "Imports"] },
      'The column "Exports / Value" is not one we know.',
    ],
    [
      "a y/y under a level's header",
      {
        sub: ["", "8", "1-to-8", "8", "1-to-8 y/y", "8", "1-to-8", "Exports & Imports", "Exports", "Imports"],
      },
      'The column "Exports / 1-to-8 y/y" is not one we know.',
    ],
    [
      "two columns for one flow and span",
      { sub: ["", "8", "1-to-8", "8", "8", "8", "1-to-8", "Exports & Imports", "Exports", "Imports"] },
      'Two columns read as exports month: "Exports / 8".',
    ],
  ] as Array<[string, PageOptions, string]>)("%s blocks the page, saying which", (_what, opts, message) => {
    const r = read(page([GERMANY], opts));
    expect(blocked(r)).toContainEqual({ check: "columns", message });
  });

  it("a column under no flow is not taken as imports", () => {
    const header: Row = [
      "Country/Region",
      span("Exports & Imports", 2),
      span("Exports", 2),
      span("Imports", 2),
      span("Trade Balance", 2),
      span(YOY, 3),
    ];
    const sub = [
      "",
      "8",
      "1-to-8",
      "8",
      "1-to-8",
      "8",
      "1-to-8",
      "8",
      "1-to-8",
      "Exports & Imports",
      "Exports",
      "Imports",
    ];
    const r = read(page([[...GERMANY.slice(0, 7), "5", "6", ...GERMANY.slice(7)]], { header, sub }));
    expect(blocked(r)).toEqual([
      { check: "columns", message: 'The column "Trade Balance / 8" is not one we know.' },
      { check: "columns", message: 'The column "Trade Balance / 1-to-8" is not one we know.' },
    ]);
  });

  it("a title row in another currency blocks but the figures are still read (for the editor to compare)", () => {
    const r = read(page([GERMANY], { titleRow: TITLE.replace("USD", "CNY") }));
    expect(r.blocking).toEqual([
      expect.objectContaining({
        check: "currency-agrees",
        message: expect.stringContaining("table's title row says CNY"),
      }),
    ]);
    expect(germany(r)).toEqual(GERMANY_READ);
  });
});

describe("what the editor is told when a page cannot be read at all", () => {
  it.each([
    [
      "another table",
      page([GERMANY], { title: TITLE.replace("by Country/Region", "by Commodity"), titleRow: "x" }),
      `"${TITLE.replace("by Country/Region", "by Commodity")}" is not a table by country/region: check which Bulletin table this page is.`,
    ],
    [
      "no month in the title",
      page([GERMANY], { title: TITLE.replace(", August 2023", "") }),
      `The title "${TITLE.replace(", August 2023", "")}" names no month we can read (e.g. "August 2023").`,
    ],
    [
      "no unit row",
      page([GERMANY], { unit: null }),
      `The table "${TITLE}" has no unit row ("Unit: US$1,000"): its values cannot be scaled.`,
    ],
    [
      "no header",
      page([GERMANY], { header: null }),
      `The table "${TITLE}" has no header row starting with "Country/Region".`,
    ],
  ])("%s", (_what, html, message) => {
    expect(() => read(html)).toThrow(new LayoutChanged(message));
  });

  it("names the Bulletin table when the page has no table", () => {
    expect(() => read(releasePage(TITLE, []))).toThrow(/^This Bulletin table by country has no data table/);
  });

  it("takes a title by major countries, and one from the title row when the page has none", () => {
    const major = TITLE.replace("by Country/Region", "by Major Country/Region");
    expect(germany(read(page([GERMANY], { title: major })))).toEqual(GERMANY_READ);
    const fromRow = read(page([GERMANY], { title: undefined }));
    expect(fromRow.title).toBe(TITLE);
    expect(germany(fromRow)).toEqual(GERMANY_READ);
    const noTitleRow = read(page([GERMANY], { titleRow: null }));
    expect(noTitleRow.blocking).toEqual([]);
    expect(germany(noTitleRow)).toEqual(GERMANY_READ);
  });
});

describe("continents", () => {
  it.each([
    ["Asia:", "ASIA"],
    ["Asia :", "ASIA"],
    ["Asia：", "ASIA"],
    ["Other regions:", "CONT-OTHER-REGIONS"],
    ["(Others):", "CONT-OTHERS"],
    ["Ｌａｔｉｎ Ａｍｅｒｉｃａ & Ｏｔｈｅｒｓ：", "CONT-LATIN-AMERICA-OTHERS"],
    ["Germany:", "CONT-GERMANY"],
  ])("%j starts the block of %s", (name, code) => {
    const r = read(page([[name, "300", "900", "100", "400", "200", "500", "-", "-", "-"], GERMANY]));
    expect(r.blocking).toEqual([]);
    expect(pick(r, code, "total", "month")).toMatchObject({
      value: 300_000,
      partner: { code, nameAsPrinted: name, isGrouping: true },
    });
    expect(pick(r, "DEU", "exports", "month")?.partner.memberOf).toBe(code);
  });

  it("a name with a colon inside is a partner name, not a continent", () => {
    const r = read(page([["Korea: Republic of", "3", "9", "1", "4", "2", "5", "-", "-", "-"]]));
    expect(r.unmapped).toEqual([{ name: "Korea: Republic of", figures: 6 }]);
  });
});

describe("rows", () => {
  it("skips empty rows and reads a row with some empty cells", () => {
    const r = read(
      page([
        GERMANY,
        ["", "", "", "", "", "", "", "", "", ""],
        ["France", "3", "9", "1", "4", "2", "5", "", "", ""],
      ]),
    );
    expect(r.blocking).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.unmapped).toEqual([]);
    expect(pick(r, "FRA", "imports", "ytd")).toMatchObject({ value: 5_000, printedYtdYoyPct: undefined });
  });

  it("a row wider or narrower than the header blocks; the others are read", () => {
    const r = read(page([GERMANY, ["France", "3", "9", "1", "4"]]));
    expect(r.blocking).toEqual([
      { check: "columns", message: 'The row "France" has 5 cells, the header 10.' },
    ]);
    expect(germany(r)).toEqual(GERMANY_READ);
  });

  it("notes end the table, however the colon is spaced", () => {
    const r = read(page([GERMANY, [span("Note : figures are provisional.", 10)], [span("More notes.", 10)]]));
    expect(r.blocking).toEqual([]);
  });

  it("a cell that is not a number blocks, naming the partner, flow and column; other rows are read", () => {
    const r = read(
      page([
        ["Germany", "30", "90", "n/a", "40", "20", "50", "1.5", "-2.0", "3.5"],
        ["France", "3", "9", "1", "4", "2", "x", "-", "-", "-"],
        ["Japan", "3", "9", "1", "4", "2", "5", "?!", "-", "-"],
      ]),
    );
    expect(r.blocking).toEqual([
      { check: "layout", message: '"Germany", exports month: expected a number but found "n/a"' },
      { check: "layout", message: '"France", imports year to date: expected a number but found "x"' },
      { check: "layout", message: '"Japan", total y/y %: expected a number but found "?!"' },
    ]);
    // What was read before the bad cell stays, as it always has.
    expect(pick(r, "DEU", "total", "ytd")?.value).toBe(90_000);
  });

  it.each([
    ["total", ["Germany", "-", "-", "10", "40", "20", "50", "-", "-2.0", "3.5"]],
    ["exports", ["Germany", "30", "90", "-", "-", "20", "50", "1.5", "-", "3.5"]],
  ] as Array<[string, Row]>)("a row without %s figures is read without an add-up check", (flow, row) => {
    const r = read(page([row]));
    expect(r.blocking).toEqual([]);
    expect(germany(r)).toEqual(
      GERMANY_READ.map((g) => (g[0] === flow ? [flow, undefined, undefined, undefined] : g)),
    );
  });

  it("a flow printed as '-' gives no figure and no add-up check, the others are read", () => {
    const r = read(page([["Germany", "30", "90", "10", "40", "-", "-", "1.5", "-2.0", "-"], FRANCE]));
    expect(r.blocking).toEqual([]);
    expect(germany(r)).toEqual([
      ["total", 30_000, 90_000, 1.5],
      ["exports", 10_000, 40_000, -2],
      ["imports", undefined, undefined, undefined],
    ]);
  });
});
