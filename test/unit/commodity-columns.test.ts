/**
 * The column groups of a table (5)/(6) (functions/domain/gacc/commodity/columns.ts): which column
 * holds the month, the year to date, last year's year to date and the y/y %, and which header
 * problems hold the release back (`columns`) or only warn (a mislabelled year).
 */
import { describe, expect, it } from "vitest";
import { findingSink } from "../../functions/domain/checks/index.js";
import { readColumns } from "../../functions/domain/gacc/commodity/columns.js";
import type { TableCell } from "../../functions/domain/gacc/html-table.js";
import type { TitlePeriod } from "../../functions/domain/gacc/release-title.js";

const cell = (text: string, colspan = 1): TableCell => ({ text, colspan, indent: 0 });
const MAY_2026: TitlePeriod = { period: "2026-05", year: 2026, month: 5, janFeb: false };
const JAN_FEB_2025: TitlePeriod = { period: "2025-01/02", year: 2025, month: 2, janFeb: true };
const YOY = "1-5 Total, Year-On-Year(%)";
const NORMAL = ["5", "1-5 Total", "1-5 Total, 2025", YOY];
const QV = (groups: number) => Array.from({ length: groups }, () => ["Quantity", "Value"]).flat();

type ReadOptions = { title?: TitlePeriod; unit?: string; sub?: string[]; spans?: number[] };

function run(groups: string[], opts: ReadOptions) {
  const header = [
    cell("Commodity"),
    cell(opts.unit ?? "Quantity Unit"),
    ...groups.map((g, i) => cell(g, opts.spans?.[i] ?? 2)),
  ];
  const sub = (opts.sub ?? QV(groups.length)).map((t) => cell(t));
  const sink = findingSink();
  return { cols: readColumns(header, sub, opts.title ?? MAY_2026, sink), sink };
}

/** The `columns` messages an editor reads, in order. */
function blockingMessages(groups: string[], opts: ReadOptions = {}): string[] {
  return run(groups, opts).sink.blocking.map((f) => f.message);
}

function read(groups: string[], opts: ReadOptions = {}) {
  const { cols, sink } = run(groups, opts);
  const at = Object.fromEntries(
    Object.entries(cols.groups).map(([role, g]) => [role, [g?.quantityCol, g?.valueCol]]),
  );
  return {
    width: cols.width,
    at,
    blocking: sink.blocking.map((f) => f.check),
    warnings: sink.warnings.map((f) => f.check),
  };
}

const ALL_FOUR = { month: [2, 3], ytd: [4, 5], prior: [6, 7], yoy: [8, 9] };

describe("readColumns: where each figure is", () => {
  it.each([
    ["the usual header", NORMAL, {}],
    ["a sub-header spanning the first two columns too", NORMAL, { sub: ["", "", ...QV(4)] }],
    [
      "'Qty' and 'Unit' spellings",
      NORMAL,
      { unit: "Unit", sub: QV(4).map((t) => (t === "Quantity" ? "Qty" : t)) },
    ],
    ["a month printed as a name", ["May", ...NORMAL.slice(1)], {}],
  ])("%s: month, year to date, last year, y/y in order", (_, groups, opts) => {
    expect(read(groups, opts)).toEqual({ width: 10, at: ALL_FOUR, blocking: [], warnings: [] });
  });

  it("reads groups in any order: the first cumulative group is this year's, the second last year's", () => {
    const r = read(["1-5 Total, Year-On-Year(%)", "1-5 Total", "5", "1-5 Total, 2025"]);
    expect(r).toEqual({
      width: 10,
      at: { yoy: [2, 3], ytd: [4, 5], month: [6, 7], prior: [8, 9] },
      blocking: [],
      warnings: [],
    });
  });

  it("a January–February release has no single month, and needs none", () => {
    const r = read(["1-2 Total", "1-2 Total, 2024", "1-2 Total, Year-On-Year(%)"], { title: JAN_FEB_2025 });
    expect(r).toEqual({
      width: 8,
      at: { ytd: [2, 3], prior: [4, 5], yoy: [6, 7] },
      blocking: [],
      warnings: [],
    });
  });
});

describe("readColumns: what holds the release back", () => {
  it.each([
    ["the second column is not the unit", NORMAL, { unit: "Value" }, ALL_FOUR],
    [
      "a group spans one column",
      NORMAL,
      { spans: [2, 2, 2, 1], sub: QV(4).slice(0, 7) },
      { month: [2, 3], ytd: [4, 5], prior: [6, 7] },
    ],
    [
      "a group we do not know",
      ["5", "1-5 Total", "1-5 Total, 2025", "Remarks"],
      {},
      { month: [2, 3], ytd: [4, 5], prior: [6, 7] },
    ],
    ["the y/y group is missing", NORMAL.slice(0, 3), {}, { month: [2, 3], ytd: [4, 5], prior: [6, 7] }],
    ["the month group is missing", NORMAL.slice(1), {}, { ytd: [2, 3], prior: [4, 5], yoy: [6, 7] }],
    ["two y/y groups", [...NORMAL, "Year-On-Year(%)"], {}, ALL_FOUR],
    ["a month that is not the title's", ["4", ...NORMAL.slice(1)], {}, ALL_FOUR],
    [
      "a year to date that is not the title's months",
      ["5", "1-4 Total", "1-5 Total, 2025", YOY],
      {},
      ALL_FOUR,
    ],
    [
      "sub-columns that are not Quantity and Value",
      NORMAL,
      { sub: ["Quantity", "Value", "Value", "Quantity", ...QV(2)] },
      { month: [2, 3], prior: [6, 7], yoy: [8, 9] },
    ],
    [
      // Were it read anyway, the month's value would be taken from the year to date's quantity column.
      "the month group spans one column, with Quantity/Value still lined up under the rest",
      NORMAL,
      { spans: [1, 2, 2, 2], sub: QV(4).slice(0, 7) },
      {},
    ],
    [
      // The first cumulative group after it is still this year's.
      "a group we do not know before the year to date",
      ["5", "Remarks", "1-5 Total", "1-5 Total, 2025", YOY],
      {},
      { month: [2, 3], ytd: [6, 7], prior: [8, 9], yoy: [10, 11] },
    ],
    ["the y/y group printed twice: the first is read", [...NORMAL, YOY], {}, ALL_FOUR],
    [
      "two month groups: the first is read",
      ["5", ...NORMAL],
      {},
      { month: [2, 3], ytd: [6, 7], prior: [8, 9], yoy: [10, 11] },
    ],
    [
      "three cumulative groups: the third is not read as last year's",
      ["5", "1-5 Total", "1-5 Total, 2025", "1-5 Total, 2024", YOY],
      {},
      { month: [2, 3], ytd: [4, 5], prior: [6, 7], yoy: [10, 11] },
    ],
    [
      "the value column of one group is not Value",
      NORMAL,
      { sub: ["Quantity", "Value", "Quantity", "Quantity", ...QV(2)] },
      { month: [2, 3], prior: [6, 7], yoy: [8, 9] },
    ],
    [
      "the value column of one group is a unit value (a price)",
      NORMAL,
      { sub: ["Quantity", "Value", "Quantity", "Unit value", ...QV(2)] },
      { month: [2, 3], prior: [6, 7], yoy: [8, 9] },
    ],
    [
      "the quantity column of one group is a price per quantity",
      NORMAL,
      { sub: ["Quantity", "Value", "Price per quantity", "Value", ...QV(2)] },
      { month: [2, 3], prior: [6, 7], yoy: [8, 9] },
    ],
    [
      "a January–February release without the y/y group",
      ["1-2 Total", "1-2 Total, 2024"],
      { title: JAN_FEB_2025 },
      { ytd: [2, 3], prior: [4, 5] },
    ],
    [
      "a January–February release without last year's year to date",
      ["1-2 Total", "1-2 Total, Year-On-Year(%)"],
      { title: JAN_FEB_2025 },
      { ytd: [2, 3], yoy: [4, 5] },
    ],
    [
      "a single month in a January–February release",
      ["2", "1-2 Total", "1-2 Total, 2024", "1-2 Total, Year-On-Year(%)"],
      { title: JAN_FEB_2025 },
      { month: [2, 3], ytd: [4, 5], prior: [6, 7], yoy: [8, 9] },
    ],
  ])("%s: blocked as `columns`", (_, groups, opts, at) => {
    const r = read(groups, opts as Parameters<typeof read>[1]);
    expect(r.blocking.length).toBeGreaterThan(0);
    expect(new Set(r.blocking)).toEqual(new Set(["columns"]));
    expect(r.at).toEqual(at);
  });
});

describe("readColumns: what the editor is told", () => {
  it.each([
    ["the month group is missing", NORMAL.slice(1), {}, ["The columns for the month are missing."]],
    [
      "the year to date cannot be read",
      NORMAL,
      { sub: ["Quantity", "Value", "Value", "Quantity", ...QV(2)] },
      [
        'Under "1-5 Total" the columns are "Value" and "Quantity", not Quantity and Value.',
        "The columns for the year to date are missing.",
      ],
    ],
    [
      "last year's year to date is missing",
      ["5", "1-5 Total", YOY],
      {},
      ["The columns for last year's year to date are missing."],
    ],
    [
      "the y/y group is missing",
      NORMAL.slice(0, 3),
      {},
      ["The columns for the year-to-date y/y % are missing."],
    ],
    [
      "a sub-header shorter than the header: the missing labels are shown empty",
      NORMAL,
      { sub: ["Quantity", "Value"] },
      [
        'Under "5" the columns are "" and "", not Quantity and Value.',
        'Under "1-5 Total" the columns are "" and "", not Quantity and Value.',
        'Under "1-5 Total, 2025" the columns are "" and "", not Quantity and Value.',
        "The columns for the month are missing.",
        "The columns for the year to date are missing.",
        "The columns for last year's year to date are missing.",
      ],
    ],
  ])("%s", (_, groups, opts, messages) => {
    expect(blockingMessages(groups, opts as ReadOptions)).toEqual(messages);
  });
});

describe("readColumns: a mislabelled year is read by position and only warns", () => {
  it.each([
    [
      "last year's column labelled two years back",
      ["5", "1-5 Total", "1-5 Total, 2024", YOY],
      ["prior-year-label"],
    ],
    [
      "last year's column labelled this year",
      ["5", "1-5 Total", "1-5 Total, 2026", YOY],
      ["prior-year-label"],
    ],
    [
      "this year's column labelled last year",
      ["5", "1-5 Total, 2025", "1-5 Total, 2025", YOY],
      ["ytd-year-label"],
    ],
    ["this year's column labelled with its year", ["5", "1-5 Total, 2026", "1-5 Total, 2025", YOY], []],
    ["last year's column printed without a year", ["5", "1-5 Total", "1-5 Total", YOY], []],
  ])("%s", (_, groups, warnings) => {
    expect(read(groups)).toEqual({ width: 10, at: ALL_FOUR, blocking: [], warnings });
  });
});
