/**
 * Table (4), by country: exact values, periods, kinds and vintages from small pages, and which
 * check blocks (or only warns) when one figure is changed. Real pages are in table4.test.ts.
 */
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import { isByCountryTitle, normalizeTable4 } from "../../functions/domain/gacc/table4.js";
import type { Observation } from "../../functions/domain/model.js";
import { type Cell, provenance, type Row, releasePage } from "./support/gacc-page.js";

const TITLE = "(4) China's Total Export & Import Values by Country/Region, Mar 2026 (in CNY)";
const JF_TITLE = "(4) China's Total Export & Import Values by Country/Region, January-February 2025 (in CNY)";
const UNIT = "Unit: CNY 100 Million";

type Figures = [string, string, string, string, string, string, string, string, string];
/** total month, total ytd, exports month, exports ytd, imports month, imports ytd, y/y total, exports, imports */
const RUSSIA: Figures = ["885.6", "2,347.6", "500.0", "1,300.0", "385.6", "1,047.6", "6.5", "-3.2", "20.0"];
const TOTAL: Figures = [
  "41,046.4",
  "118,380.0",
  "22,297.0",
  "68,466.7",
  "18,749.4",
  "49,913.3",
  "15.0",
  "11.9",
  "19.6",
];

function monthHeader(month = 3): Row[] {
  const ytd = `1- to-${month}`;
  return [
    [
      "Import Source",
      "Export & Import",
      "Export & Import",
      "Export",
      "Export",
      "Import",
      "Import",
      { text: `1-to-${month} Total Year-on-Year (±%)`, colspan: 3 },
    ],
    [
      "Export Destination",
      `${month}`,
      ytd,
      `${month}`,
      ytd,
      `${month}`,
      ytd,
      "Export & Import",
      "Export",
      "Import",
    ],
  ];
}

function monthPage(
  rows: Array<[string | Cell, ...string[]]>,
  o: { title?: string; unit?: string; header?: Row[]; pageTitle?: string | null; tail?: Row[] } = {},
): string {
  const title = o.title ?? TITLE;
  return releasePage(o.pageTitle === null ? undefined : (o.pageTitle ?? title), [
    [{ text: title, colspan: 10 }],
    [{ text: o.unit ?? UNIT, colspan: 10 }],
    ...(o.header ?? monthHeader()),
    ...rows,
    ...(o.tail ?? [[{ text: "Note: 1. ASEAN includes ...", colspan: 10 }]]),
  ]);
}

function janFebPage(rows: Array<[string | Cell, ...string[]]>, title = JF_TITLE): string {
  return releasePage(title, [
    [{ text: title, colspan: 7 }],
    [{ text: UNIT, colspan: 7 }],
    [
      "Import Source",
      "Export & Import",
      "Export",
      "Import",
      { text: "1-to-2 Total Year-on-Year (±%)", colspan: 3 },
    ],
    ["Export Destination", "1- to-2", "1-to-2", "1-to-2", "Export & Import", "Export", "Import"],
    ...rows,
  ]);
}

const pick = (obs: Observation[], partner: string, flow: string, kind: string) =>
  obs.filter((o) => o.partner.code === partner && o.flow === flow && o.kind === kind);
const checks = (r: { blocking: { check: string }[]; warnings: { check: string }[] }) => ({
  blocking: r.blocking.map((f) => f.check),
  warnings: r.warnings.map((f) => f.check),
});

describe("table (4), a single month", () => {
  const read = () =>
    normalizeTable4(
      monthPage([
        ["Total", ...TOTAL],
        ["Russian Federation", ...RUSSIA],
      ]),
      { provenance },
    );

  it("passes its checks and says what it is", () => {
    const r = read();
    expect(checks(r)).toEqual({ blocking: [], warnings: [] });
    expect(r).toMatchObject({ table: "by-country", currency: "CNY", period: "2026-03", title: TITLE });
    expect(r.observations).toHaveLength(2 * 3 * 2);
  });

  it.each([
    ["RUS", "total", "month", "2026-03", 88_560_000_000, "885.6", undefined],
    ["RUS", "total", "ytd", "2026-03", 234_760_000_000, "2,347.6", 6.5],
    ["RUS", "exports", "month", "2026-03", 50_000_000_000, "500.0", undefined],
    ["RUS", "exports", "ytd", "2026-03", 130_000_000_000, "1,300.0", -3.2],
    ["RUS", "imports", "month", "2026-03", 38_560_000_000, "385.6", undefined],
    ["RUS", "imports", "ytd", "2026-03", 104_760_000_000, "1,047.6", 20],
    ["WORLD", "total", "ytd", "2026-03", 11_838_000_000_000, "118,380.0", 15],
  ] as const)(
    "%s %s %s %s = %d (printed %s, ytd y/y %s)",
    (partner, flow, kind, period, value, printed, yoy) => {
      const [o, ...more] = pick(read().observations, partner, flow, kind);
      expect(more).toEqual([]);
      expect(o).toEqual({
        reporter: "CHN",
        partner: expect.objectContaining({ code: partner }),
        flow,
        commodity: "TOTAL",
        period,
        kind,
        value,
        currency: "CNY",
        printed: { value: printed, unit: UNIT },
        printedYtdYoyPct: yoy,
        vintage: "preliminary",
        provenance,
      });
    },
  );

  it("carries the partner as printed, and a vintage when the caller gives one", () => {
    const b = normalizeTable4(monthPage([["Russian Federation", ...RUSSIA]]), {
      provenance,
      vintage: "bulletin",
    });
    expect(b.observations.every((o) => o.vintage === "bulletin")).toBe(true);
    expect(b.observations[0]?.partner).toEqual({
      code: "RUS",
      nameAsPrinted: "Russian Federation",
      isGrouping: false,
      memberOf: undefined,
    });
  });

  it("reads a page without an article title from the table's title row", () => {
    const p = normalizeTable4(monthPage([["Russian Federation", ...RUSSIA]], { pageTitle: null }), {
      provenance,
    });
    expect(p.title).toBe(TITLE);
    expect(p.period).toBe("2026-03");
  });

  it("reads a USD page in USD", () => {
    const title = TITLE.replace("(in CNY)", "(in USD)");
    const u = normalizeTable4(monthPage([["Russia", ...RUSSIA]], { title, unit: "Unit: USD1 Million" }), {
      provenance,
    });
    expect(u.currency).toBe("USD");
    expect(pick(u.observations, "RUS", "imports", "month")[0]).toMatchObject({
      value: 385_600_000,
      currency: "USD",
    });
  });

  it("keeps a no-value cell out and reads the rest of the row", () => {
    const row: Figures = [...RUSSIA];
    row[3] = "-"; // exports ytd
    const p = normalizeTable4(monthPage([["Russian Federation", ...row]]), { provenance });
    expect(pick(p.observations, "RUS", "exports", "ytd")).toEqual([]);
    expect(pick(p.observations, "RUS", "exports", "month")).toHaveLength(1);
    expect(p.observations).toHaveLength(5);
    expect(checks(p)).toEqual({ blocking: [], warnings: [] });
  });
});

describe("table (4): a month cell printed as no value", () => {
  // Index in Figures of each flow's month cell.
  it.each([
    ["total", 0],
    ["exports", 2],
    ["imports", 4],
  ] as const)("keeps the %s month out and its year to date in", (flow, col) => {
    const row: Figures = [...RUSSIA];
    row[col] = "-";
    const p = normalizeTable4(monthPage([["Russian Federation", ...row]]), { provenance });
    expect(pick(p.observations, "RUS", flow, "month")).toEqual([]);
    expect(pick(p.observations, "RUS", flow, "ytd").map((o) => o.printed.value)).toEqual([RUSSIA[col + 1]]);
    expect(p.observations.filter((o) => o.kind === "month").map((o) => [o.flow, o.value])).toEqual(
      [
        ["total", 88_560_000_000],
        ["exports", 50_000_000_000],
        ["imports", 38_560_000_000],
      ].filter(([f]) => f !== flow),
    );
    expect(checks(p)).toEqual({ blocking: [], warnings: [] });
  });
});

describe("table (4), the combined January–February release", () => {
  const read = () =>
    normalizeTable4(
      janFebPage([
        ["Total", "65,363.6", "38,812.1", "26,551.5", "-1.2", "3.4", "-7.3"],
        ["Russian Federation", "1,417.9", "800.0", "617.9", "-2.7", "1.0", "-150.5"],
      ]),
      { provenance },
    );
  it("gives one jan-feb figure and the same figure as the year to date through February", () => {
    const r = read();
    expect(r.period).toBe("2025-01/02");
    expect(r.observations.filter((o) => o.kind === "month")).toEqual([]);
    expect(pick(r.observations, "RUS", "total", "jan-feb")).toEqual([
      expect.objectContaining({ period: "2025-01/02", value: 141_790_000_000, printedYtdYoyPct: -2.7 }),
    ]);
    expect(pick(r.observations, "RUS", "total", "ytd")).toEqual([
      expect.objectContaining({ period: "2025-02", value: 141_790_000_000, printedYtdYoyPct: -2.7 }),
    ]);
    expect(pick(r.observations, "RUS", "imports", "jan-feb")[0]?.printedYtdYoyPct).toBe(-150.5);
    expect(r.observations).toHaveLength(2 * 3 * 2);
  });
  it("warns (never blocks) about a y/y beyond ±100%", () => {
    expect(checks(read())).toEqual({ blocking: [], warnings: ["large-yoy"] });
  });
  it("checks the add-up once (the month is the year to date) and no month-within-ytd", () => {
    const bad = normalizeTable4(
      janFebPage([["Russian Federation", "1,417.9", "800.0", "627.9", "-2.7", "1.0", "5"]]),
      {
        provenance,
      },
    );
    expect(checks(bad)).toEqual({ blocking: ["flows-add-up"], warnings: [] });
  });
  it("refuses 10-cell rows under a January–February title", () => {
    const html = monthPage([["Russian Federation", ...RUSSIA]], { title: JF_TITLE });
    expect(() => normalizeTable4(html, { provenance })).toThrow(LayoutChanged);
  });
  it("refuses 7-cell rows under a single-month title", () => {
    const html = monthPage([["Russian Federation", "1,417.9", "800.0", "617.9", "-2.7", "1.0", "5"]]);
    expect(() => normalizeTable4(html, { provenance })).toThrow(LayoutChanged);
  });
});

describe("table (4) checks: which change blocks", () => {
  /** Russia's row with one cell replaced. */
  const withCell = (index: number, text: string): Figures => {
    const row: Figures = [...RUSSIA];
    row[index] = text;
    return row;
  };
  it.each([
    ["month total off by 0.1 (within rounding of three 1-decimal cells)", withCell(0, "885.7"), []],
    ["month total off by 0.2 (beyond rounding)", withCell(0, "885.8"), ["flows-add-up"]],
    ["month total off by 100", withCell(0, "985.6"), ["flows-add-up"]],
    ["month total too small", withCell(0, "885.4"), ["flows-add-up"]],
    ["ytd total off by 0.1", withCell(1, "2,347.7"), []],
    ["ytd total off by 0.2", withCell(1, "2,347.8"), ["flows-add-up"]],
    ["ytd exports off by 100", withCell(3, "1,400.0"), ["flows-add-up"]],
    ["month imports above their ytd", withCell(4, "1,100.0"), ["month-within-ytd", "flows-add-up"]],
  ] as const)("%s", (_, row, blocking) => {
    const r = normalizeTable4(monthPage([["Russian Federation", ...row]]), { provenance });
    expect(checks(r).blocking).toEqual(blocking);
    expect(r.blocking.every((f) => f.message.length > 0)).toBe(true);
  });

  it("sizes the add-up tolerance from the printed decimals (whole numbers: ±1.5 units)", () => {
    const whole = (t: string): Figures => [t, "2,348", "500", "1,300", "386", "1,048", "1", "1", "1"];
    expect(
      checks(normalizeTable4(monthPage([["Russia", ...whole("887")]]), { provenance })).blocking,
    ).toEqual([]);
    expect(
      checks(normalizeTable4(monthPage([["Russia", ...whole("888")]]), { provenance })).blocking,
    ).toEqual(["flows-add-up"]);
    // One cell with a decimal makes the whole row's tolerance that of 1-decimal figures.
    const mixed: Figures = ["886.5", "2,348", "500", "1,300", "386", "1,048", "1", "1", "1"];
    expect(checks(normalizeTable4(monthPage([["Russia", ...mixed]]), { provenance })).blocking).toEqual([
      "flows-add-up",
    ]);
    const mixedYtd: Figures = ["886", "2,348.5", "500", "1,300", "386", "1,048", "1", "1", "1"];
    expect(checks(normalizeTable4(monthPage([["Russia", ...mixedYtd]]), { provenance })).blocking).toEqual([
      "flows-add-up",
    ]);
  });

  it("lets a month equal to its year to date pass, and one 0.2 above it block", () => {
    const equal: Figures = ["885.6", "885.6", "500.0", "500.0", "385.6", "385.6", "1", "1", "1"];
    expect(checks(normalizeTable4(monthPage([["Russia", ...equal]]), { provenance })).blocking).toEqual([]);
    const above: Figures = ["885.6", "885.4", "500.0", "500.0", "385.6", "385.4", "1", "1", "1"];
    expect(checks(normalizeTable4(monthPage([["Russia", ...above]]), { provenance })).blocking).toEqual([
      "month-within-ytd",
      "month-within-ytd",
    ]);
    const within: Figures = ["885.6", "885.5", "500.0", "500.0", "385.6", "385.5", "1", "1", "1"];
    expect(checks(normalizeTable4(monthPage([["Russia", ...within]]), { provenance })).blocking).toEqual([]);
  });

  it.each([
    ["100.0", []],
    ["-100.0", []],
    ["100.1", ["large-yoy"]],
    ["-100.1", ["large-yoy"]],
  ] as const)("y/y %s%% → warnings %j", (yoy, warnings) => {
    const r = normalizeTable4(monthPage([["Russia", ...withCell(7, yoy)]]), { provenance });
    expect(checks(r)).toEqual({ blocking: [], warnings });
  });

  it("holds back a page whose article title names another currency than the unit row", () => {
    const usd = TITLE.replace("(in CNY)", "(in USD)");
    const html = releasePage(usd, [
      [{ text: TITLE, colspan: 10 }],
      [{ text: UNIT, colspan: 10 }],
      ...monthHeader(),
      ["Russia", ...RUSSIA],
    ]);
    expect(checks(normalizeTable4(html, { provenance }))).toEqual({
      blocking: ["currency-agrees"],
      warnings: [],
    });
  });

  it("reads a line that mentions 'unit' as no unit row, and a page with headers but no rows as empty", () => {
    const html = releasePage(TITLE, [
      [{ text: TITLE, colspan: 10 }],
      [{ text: "Values per unit of currency shown below", colspan: 10 }],
      [{ text: UNIT, colspan: 10 }],
      ...monthHeader(),
      ["Russia", ...RUSSIA],
    ]);
    const withLine = normalizeTable4(html, { provenance });
    expect(withLine.blocking).toEqual([]);
    expect(pick(withLine.observations, "RUS", "total", "month")[0]?.value).toBe(88_560_000_000);
    const empty = releasePage(TITLE, [
      [{ text: TITLE, colspan: 10 }],
      [{ text: UNIT, colspan: 10 }],
      ...monthHeader(),
    ]);
    const r = normalizeTable4(empty, { provenance });
    expect(checks(r)).toEqual({ blocking: ["has-rows"], warnings: [] });
  });

  it("holds back a page whose title row names another currency than the unit row", () => {
    const html = releasePage(TITLE, [
      [{ text: TITLE.replace("(in CNY)", "(in USD)"), colspan: 10 }],
      [{ text: UNIT, colspan: 10 }],
      ...monthHeader(),
      ["Russia", ...RUSSIA],
    ]);
    expect(checks(normalizeTable4(html, { provenance }))).toEqual({
      blocking: ["currency-agrees"],
      warnings: [],
    });
  });

  it("warns about an unknown partner, keeps its row out, and blocks a page left with no rows", () => {
    const one = normalizeTable4(
      monthPage([
        ["Atlantis", ...RUSSIA],
        ["Russia", ...RUSSIA],
      ]),
      { provenance },
    );
    expect(checks(one)).toEqual({ blocking: [], warnings: ["partner-unmapped"] });
    expect(one.observations.every((o) => o.partner.code === "RUS")).toBe(true);
    const none = normalizeTable4(monthPage([["Atlantis", ...RUSSIA]]), { provenance });
    expect(checks(none)).toEqual({ blocking: ["has-rows"], warnings: ["partner-unmapped"] });
    expect(none.observations).toEqual([]);
  });
});

describe("table (4) groupings: 'of which:' members by indentation", () => {
  const row = (name: string, indent: number): [Cell, ...string[]] => [{ text: name, indent }, ...RUSSIA];
  it.each([
    [
      "members indented under 'of which:' belong to the grouping above it",
      [row("European Union", 2), row("of which: Germany", 7), row("Netherlands", 17), row("Japan", 2)],
      { EU: undefined, DEU: "EU", NLD: "EU", JPN: undefined },
    ],
    [
      "a member list ends at the first row indented less",
      [row("ASEAN", 2), row("of which: Philippines", 7), row("Germany", 7), row("Russia", 2)],
      { ASEAN: undefined, PHL: "ASEAN", DEU: "ASEAN", RUS: undefined },
    ],
    [
      "without indentation only the 'of which:' row is a member",
      [row("European Union", 0), row("of which: Germany", 0), row("Netherlands", 0)],
      { EU: undefined, DEU: "EU", NLD: undefined },
    ],
    [
      "an 'of which:' after a country names no grouping",
      [row("Japan", 2), row("of which: Germany", 7), row("Netherlands", 17)],
      { JPN: undefined, DEU: undefined, NLD: undefined },
    ],
    [
      "an 'of which:' no deeper than its grouping opens no member list",
      [row("European Union", 5), row("of which: Germany", 5), row("Netherlands", 5)],
      { EU: undefined, DEU: "EU", NLD: undefined },
    ],
    [
      "a second grouping starts its own list",
      [
        row("European Union", 2),
        row("of which: Germany", 7),
        row("ASEAN", 2),
        row("of which: Philippines", 7),
      ],
      { EU: undefined, DEU: "EU", ASEAN: undefined, PHL: "ASEAN" },
    ],
    [
      "a grouping row ends the member list before it",
      [row("European Union", 2), row("of which: Germany", 7), row("ASEAN", 2), row("Philippines", 17)],
      { EU: undefined, DEU: "EU", ASEAN: undefined, PHL: undefined },
    ],
    [
      "'of which :' with a space, full-width colon, or no space after it",
      [
        row("European Union", 2),
        row("of which : Germany", 7),
        row("ASEAN", 2),
        row("of which：Philippines", 7),
        row("Latin America", 2),
        row("of which:Brazil", 7),
      ],
      { DEU: "EU", PHL: "ASEAN", BRA: "LATAM" },
    ],
    [
      "'of which:' inside a name does not open a member list",
      [row("European Union", 2), row("Atlantis of which: Germany", 7), row("Netherlands", 17)],
      { EU: undefined, NLD: undefined },
    ],
  ] as const)("%s", (_, rows, memberOf) => {
    const r = normalizeTable4(monthPage(rows.map((x) => [...x])), { provenance });
    const got = Object.fromEntries(
      Object.keys(memberOf).map((code) => [
        code,
        pick(r.observations, code, "total", "month")[0]?.partner.memberOf,
      ]),
    );
    expect(got).toEqual(memberOf);
    expect(pick(r.observations, "DEU", "total", "month")[0]?.partner.nameAsPrinted ?? "Germany").toBe(
      "Germany",
    );
  });

  it.each([
    ["of which : Germany", "DEU", "Germany"],
    ["of which：Philippines", "PHL", "Philippines"],
    ["of which:Brazil", "BRA", "Brazil"],
  ])("carries %j as printed without its 'of which:' (%s as %j)", (printed, code, name) => {
    const r = normalizeTable4(monthPage([row("European Union", 2), row(printed, 7)]), { provenance });
    expect(r.observations.filter((o) => o.partner.code === code).map((o) => o.partner.nameAsPrinted)).toEqual(
      Array(6).fill(name),
    );
  });

  it("reads a name ending in 'of which:' as an unknown partner, not as the country before it", () => {
    const r = normalizeTable4(monthPage([row("European Union", 2), row("Germany of which:", 7)]), {
      provenance,
    });
    expect([...new Set(r.observations.map((o) => o.partner.code))]).toEqual(["EU"]);
    expect(checks(r)).toEqual({ blocking: [], warnings: ["partner-unmapped"] });
  });

  it("keeps an unknown multi-cell row that starts with 'Note' as an unknown partner, not a note", () => {
    const r = normalizeTable4(monthPage([row("Notes: revised", 0), row("Japan", 0)]), { provenance });
    expect(checks(r)).toEqual({ blocking: [], warnings: ["partner-unmapped"] });
  });

  it("marks groupings as groupings", () => {
    const r = normalizeTable4(monthPage([row("European Union", 2), row("Japan", 2)]), { provenance });
    expect(pick(r.observations, "EU", "total", "month")[0]?.partner.isGrouping).toBe(true);
    expect(pick(r.observations, "JPN", "total", "month")[0]?.partner.isGrouping).toBe(false);
  });
});

describe("table (4) layout: what is refused", () => {
  const good: Array<[string, ...string[]]> = [["Russia", ...RUSSIA]];
  const header = monthHeader();
  const top = header[0] as Row;
  const sub = header[1] as Row;
  const withTop = (i: number, text: string | Cell): Row[] => [top.map((c, j) => (j === i ? text : c)), sub];
  const withSub = (i: number, text: string): Row[] => [top, sub.map((c, j) => (j === i ? text : c))];
  it.each([
    [
      "a page that is not table (4)",
      monthPage(good, { title: "(5) China's Major Exports by Quantity and Value, Mar 2026 (in CNY)" }),
    ],
    [
      "a title with 'by country' but no import",
      monthPage(good, { title: "Exports by Country, Mar 2026 (in CNY)" }),
    ],
    [
      "a title with 'by country' but no export",
      monthPage(good, { title: "Imports by Country, Mar 2026 (in CNY)" }),
    ],
    [
      "a title without a month",
      monthPage(good, { title: "(4) China's Total Export & Import Values by Country/Region (in CNY)" }),
    ],
    [
      "a title without a currency",
      monthPage(good, {
        title: "(4) China's Total Export & Import Values by Country/Region, Mar 2026",
        unit: UNIT,
      }),
    ],
    ["no unit row", releasePage(TITLE, [[{ text: TITLE, colspan: 10 }], ...header, ["Russia", ...RUSSIA]])],
    [
      "no column headers",
      releasePage(TITLE, [[{ text: TITLE, colspan: 10 }], [{ text: UNIT, colspan: 10 }], header[0] as Row]),
    ],
    ["total month column labelled imports", monthPage(good, { header: withTop(1, "Import") })],
    ["exports ytd column labelled imports", monthPage(good, { header: withTop(4, "Import") })],
    ["imports ytd column labelled exports", monthPage(good, { header: withTop(6, "Export") })],
    ["the month column for April in a March release", monthPage(good, { header: withSub(3, "4") })],
    ["the ytd column through April in a March release", monthPage(good, { header: withSub(4, "1- to-4") })],
    ["the y/y exports column labelled imports", monthPage(good, { header: withSub(8, "Import") })],
    ["the y/y total column labelled exports", monthPage(good, { header: withSub(7, "Export") })],
    [
      "no year-on-year in the header",
      monthPage(good, { header: withTop(7, { text: "1-to-3 Total Change", colspan: 3 }) }),
    ],
    ["an extra column in the top header only", monthPage(good, { header: [[...top, "Extra"], sub] })],
    ["an extra column in the sub-header only", monthPage(good, { header: [top, [...sub, "Extra"]] })],
    ["an exports column headed 'Re-Export'", monthPage(good, { header: withTop(3, "Re-Export") })],
    ["an imports column headed 'Re-Import'", monthPage(good, { header: withTop(5, "Re-Import") })],
    ["an imports column headed 'Imports'", monthPage(good, { header: withTop(5, "Imports") })],
    [
      "a January–February title over a single-month table (rows of 10 cells, headed 2 and 1-to-2)",
      monthPage([["Russia", ...RUSSIA]], { title: JF_TITLE, header: monthHeader(2) }),
    ],
    [
      "a February title over the January–February layout (rows of 7 cells)",
      janFebPage(
        [["Russia", "1,417.9", "800.0", "617.9", "-2.7", "1.0", "5"]],
        TITLE.replace("Mar 2026", "Feb 2025"),
      ),
    ],
    [
      "a unit row split over two cells",
      releasePage(TITLE, [
        [{ text: TITLE, colspan: 10 }],
        [
          { text: "Unit:", colspan: 5 },
          { text: "CNY 100 Million", colspan: 5 },
        ],
        ...header,
        ["Russia", ...RUSSIA],
      ]),
    ],
    [
      "a one-cell row amid the data that is not a note",
      monthPage([["Russia", ...RUSSIA], [{ text: "See note 1", colspan: 10 }]]),
    ],
    ["a table with no readable rows and no article title", releasePage(undefined, [[], []])],
    [
      "an extra header column",
      monthPage(good, {
        header: [
          [...top, "Extra"],
          [...sub, "Extra"],
        ],
      }),
    ],
    ["a row with a cell missing", monthPage([["Russia", ...RUSSIA.slice(1)]])],
    [
      "a row with a cell too many",
      monthPage([
        ["Total", ...TOTAL],
        ["Russia", ...RUSSIA, "1"],
      ]),
    ],
    ["a figure that is not a number", monthPage([["Russia", "88S.6", ...RUSSIA.slice(1)]])],
    ["a y/y that is not a number", monthPage([["Russia", ...RUSSIA.slice(0, 6), "n/a", "1", "1"]])],
  ])("%s", (_, html) => {
    expect(() => normalizeTable4(html, { provenance })).toThrow(LayoutChanged);
  });

  it.each([
    [
      "a table with no readable rows and no article title (quoting the empty title)",
      () => releasePage(undefined, [[], []]),
      /the page title is ""$/,
    ],
    [
      "a unit line sharing its row with another cell",
      () =>
        releasePage(TITLE, [
          [{ text: TITLE, colspan: 10 }],
          [{ text: UNIT, colspan: 9 }, ""],
          ...header,
          ["Russia", ...RUSSIA],
        ]),
      /has no unit row/,
    ],
    [
      "a year-on-year label broken across two header cells",
      () =>
        monthPage(good, {
          header: [[...top.slice(0, 7), "1-to-3 Total Year-on-", { text: "Year (±%)", colspan: 2 }], sub],
        }),
      /the year-on-year columns are missing/,
    ],
  ])("refuses %s, saying why", (_, html, reason) => {
    expect(() => normalizeTable4(html(), { provenance })).toThrow(reason);
  });

  it.each([
    ["1-to-3", true],
    ["1-TO-3", true],
    ["1-3 Total", true],
    ["1-3", true],
    ["1-to-2", false],
    ["2-3", false],
  ])("accepts the year-to-date label %j only when it starts 1-to-month", (label, ok) => {
    const html = monthPage(good, { header: withSub(2, label) });
    if (ok) expect(normalizeTable4(html, { provenance }).blocking).toEqual([]);
    else expect(() => normalizeTable4(html, { provenance })).toThrow(LayoutChanged);
  });

  it.each([
    ["Total", "total"],
    ["export&import", "total"],
    ["EXPORT", "exports"],
  ])("reads the flow header %j as %s", (label, flow) => {
    const i = flow === "total" ? 1 : 3;
    const html = monthPage(good, { header: withTop(i, label) });
    expect(normalizeTable4(html, { provenance }).blocking).toEqual([]);
  });

  it("refuses an 'Exports' header where 'Export' alone is expected", () => {
    expect(() =>
      normalizeTable4(monthPage(good, { header: withTop(3, "Export Value") }), { provenance }),
    ).toThrow(LayoutChanged);
  });

  it("skips note rows wherever they sit and reads the rows after them", () => {
    const html = monthPage([["Russia", ...RUSSIA]], {
      tail: [
        [{ text: "Note: see below", colspan: 10 }],
        ["Japan", ...RUSSIA],
        [{ text: "Source: GACC", colspan: 10 }],
      ],
    });
    expect(() => normalizeTable4(html, { provenance })).toThrow(LayoutChanged); // "Source: GACC" is not a note
    const ok = monthPage([["Russia", ...RUSSIA]], {
      tail: [[{ text: "Note: see below", colspan: 10 }], ["Japan", ...RUSSIA]],
    });
    expect(normalizeTable4(ok, { provenance }).observations.map((o) => o.partner.code)).toContain("JPN");
  });
});

describe("isByCountryTitle", () => {
  it.each([
    [TITLE, true],
    ["China's Total Export & Import Values by country", true],
    ["Values by Country/Region, Imports", false],
    ["Export & Import by Commodity", false],
    ["Export & Import bycountry", false],
    ["Export & Import by  Country", true],
  ])("%j → %s", (title, ok) => {
    expect(isByCountryTitle(title)).toBe(ok);
  });
});
