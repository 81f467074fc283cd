import { describe, expect, it } from "vitest";
import {
  cumulativeKind,
  monthNumber,
  parseHeaderPeriod,
  parseTitlePeriod,
  periodOfKind,
} from "../../functions/domain/gacc/release-title.js";

describe("parseTitlePeriod", () => {
  it.each([
    [
      "(4) China's Total Export & Import Values by Country/Region, Mar 2026 (in CNY)",
      "2026-03",
      2026,
      3,
      false,
    ],
    ["(5) China's Major Exports by Quantity and Value, April 2025 (in USD)", "2025-04", 2025, 4, false],
    ["(6) China's Major Imports by Quantity and Value, May 2026 (in CNY)", "2026-05", 2026, 5, false],
    [
      "(5) China's Major Exports by Quantity and Value, January-February 2025 (in CNY)",
      "2025-01/02",
      2025,
      2,
      true,
    ],
    [
      "China's Total Value of Imports and Exports by Major Country (Region), Jan. 2018",
      "2018-01",
      2018,
      1,
      false,
    ],
    ["Jan.-Feb. 2024", "2024-01/02", 2024, 2, true],
    ["January and February 2023", "2023-01/02", 2023, 2, true],
    ["(2) ... by Country/Region, Sept. 2023 (in USD)", "2023-09", 2023, 9, false],
    ["December 2022", "2022-12", 2022, 12, false],
  ])("reads %s", (title, period, year, month, janFeb) => {
    expect(parseTitlePeriod(title)).toEqual({ period, year, month, janFeb });
  });

  it.each([
    ["(4) China's Total Export & Import Values by Country/Region (in CNY)"],
    ["January-March 2025"],
    ["Values 2025"],
    [""],
  ])("gives undefined for %j (no month, or a range other than January–February)", (title) => {
    expect(parseTitlePeriod(title)).toBeUndefined();
  });
});

describe("parseHeaderPeriod", () => {
  it.each([
    ["3", { span: "month", fromMonth: 3, toMonth: 3, yoy: false }],
    ["12", { span: "month", fromMonth: 12, toMonth: 12, yoy: false }],
    ["Mar.", { span: "month", fromMonth: 3, toMonth: 3, year: undefined, yoy: false }],
    ["1-to-3", { span: "cumulative", fromMonth: 1, toMonth: 3, year: undefined, yoy: false }],
    ["1- to-3", { span: "cumulative", fromMonth: 1, toMonth: 3, year: undefined, yoy: false }],
    ["1-4 Total", { span: "cumulative", fromMonth: 1, toMonth: 4, year: undefined, yoy: false }],
    ["1-5 Total,2025", { span: "cumulative", fromMonth: 1, toMonth: 5, year: 2025, yoy: false }],
    ["1-5 Total, 2024", { span: "cumulative", fromMonth: 1, toMonth: 5, year: 2024, yoy: false }],
    [
      "1-5 Total, Year-On-Year(%)",
      { span: "cumulative", fromMonth: 1, toMonth: 5, year: undefined, yoy: true },
    ],
    [
      "1-to-3 Total Year-on-Year (±%)",
      { span: "cumulative", fromMonth: 1, toMonth: 3, year: undefined, yoy: true },
    ],
  ])("reads %j", (label, expected) => {
    expect(parseHeaderPeriod(label)).toEqual(expected);
  });

  it.each([["Commodity"], ["Quantity Unit"], ["13"], ["0"], ["3-1"], ["1-13 Total"], ["Export & Import"]])(
    "gives undefined for %j",
    (label) => {
      expect(parseHeaderPeriod(label)).toBeUndefined();
    },
  );
});

describe("monthNumber", () => {
  it("reads names and abbreviations, with or without a dot", () => {
    expect(
      [
        "Jan",
        "Feb.",
        "march",
        "Apr",
        "MAY",
        "June",
        "Jul.",
        "Aug",
        "Sept.",
        "Sep",
        "Oct",
        "November",
        "Dec",
      ].map(monthNumber),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 10, 11, 12]);
  });
  it("rejects words that only look like months", () => {
    expect(["Ma", "and", "Value", "Marc", "Total"].map(monthNumber)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("period labels at their edges", () => {
  const month = (m: number, year?: number) => ({
    span: "month",
    fromMonth: m,
    toMonth: m,
    ...(year === undefined ? {} : { year }),
    yoy: false,
  });
  const ytd = (from: number, to: number, yoy = false) => ({
    span: "cumulative",
    fromMonth: from,
    toMonth: to,
    year: undefined,
    yoy,
  });
  it.each([
    ["1", { span: "month", fromMonth: 1, toMonth: 1, yoy: false }],
    [" 3 ", { span: "month", fromMonth: 3, toMonth: 3, yoy: false }],
    ["Mar", month(3)],
    ["June", month(6)],
    ["Mar 2025", month(3, 2025)],
    ["Mar,2025", month(3, 2025)],
    ["Mar, 2025", month(3, 2025)],
    ["Mar , 2025", month(3, 2025)],
    ["Mar.\u00a02025", month(3, 2025)],
    ["1-12", ytd(1, 12)],
    ["10-12", ytd(10, 12)],
    ["3-3", ytd(3, 3)],
    ["1 - 3", ytd(1, 3)],
    ["1-to 3", ytd(1, 3)],
    ["1-to -3", ytd(1, 3)],
    ["1-to- 3", ytd(1, 3)],
    ["1-3 Total (%)", ytd(1, 3, true)],
    ["1-3 Total ( % )", ytd(1, 3, true)],
    ["1-3 Total ±%", ytd(1, 3, true)],
    ["1-3 Total ± %", ytd(1, 3, true)],
    ["1-3 Total Year on Year", ytd(1, 3, true)],
    ["1-3 Total Year-on-Year", ytd(1, 3, true)],
    ["1-3 Total YearOnYear", ytd(1, 3, true)],
    ["1-3 Total y/y", ytd(1, 3, true)],
    ["1-3 Total YoY", ytd(1, 3, true)],
  ])("reads %j", (label, expected) => {
    expect(parseHeaderPeriod(label)).toEqual(expected);
  });

  it.each([["0-3"], ["Total 1-3"], ["Total 3"], ["3 Total"], ["Total Mar"], ["March total"], ["Mar 2025x"]])(
    "gives undefined for %j",
    (label) => {
      expect(parseHeaderPeriod(label)).toBeUndefined();
    },
  );

  it.each([["March-February 2025"], ["February-January 2025"], ["January-January 2025"]])(
    "reads no period from the range %j (only January–February is one release)",
    (title) => {
      expect(parseTitlePeriod(title)).toBeUndefined();
    },
  );

  it("does not read a month out of a word with a dot inside it", () => {
    expect(monthNumber("M.ay")).toBeUndefined();
    expect(monthNumber("Sept")).toBe(9);
  });
});

describe("the period each figure of a release covers", () => {
  const march = { period: "2026-03", year: 2026, month: 3, janFeb: false };
  const janFeb = { period: "2025-01/02", year: 2025, month: 2, janFeb: true };
  it.each([
    [march, "month", "2026-03"],
    [march, "ytd", "2026-03"],
    [janFeb, "month", "2025-02"],
    [janFeb, "jan-feb", "2025-01/02"],
  ] as const)("%j, %s → %s", (title, kind, period) => {
    expect(periodOfKind(title, kind)).toBe(period);
  });

  it("cumulative figures are January–February in the combined release, year to date otherwise", () => {
    expect(cumulativeKind(march)).toBe("ytd");
    expect(cumulativeKind(janFeb)).toBe("jan-feb");
  });
});
