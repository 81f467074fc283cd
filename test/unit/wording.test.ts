/**
 * The editors' words (functions/domain/wording.ts): what API, CLI and console all print. Amounts as
 * the charts show them, held-back reasons and runs in plain words, the status at a glance by today's
 * calendar.
 */
import { describe, expect, it } from "vitest";
import {
  checkCurrencyAgrees,
  checkFlowsAddUp,
  checkMonthWithinYtd,
  type FindingSink,
} from "../../functions/domain/checks/index.js";
import {
  amountText,
  chartAmount,
  dayText,
  flowsAddUpText,
  heldBackHeadline,
  labelText,
  momentText,
  monthWithinYtdText,
  reasonTexts,
  runHeadline,
  statusGlance,
  statusWord,
  windowText,
} from "../../functions/domain/wording.js";

const sink = (): FindingSink => ({ blocking: [], warnings: [] });

describe("amounts as the charts show them", () => {
  it.each([
    [17_630_000_000_000, "CNY", "CNY 17,630.0 billion"],
    [176_320_000_000, "CNY", "CNY 176.3 billion"],
    [11_530_000_000, "USD", "US$11.5 billion"],
    [10_000_000_000, "CNY", "CNY 10.0 billion"],
    [45_600_000, "USD", "US$45.6 million"],
    [12_345, "CNY", "CNY 12,345"],
    [-2_500_000_000, "USD", "-US$2.5 billion"],
  ])("%d %s → %s", (value, currency, text) => {
    expect(amountText(value, currency)).toBe(text);
  });

  it("reads the chart's unit label for its scale", () => {
    expect(chartAmount(11.25, "US$ billion")).toBe("US$11.3 billion");
    expect(chartAmount(1763.2, "CNY 100 million")).toBe("CNY 176.3 billion");
    expect(chartAmount(47.5, "CNY billion")).toBe("CNY 47.5 billion");
    expect(chartAmount(33.081, "million tonnes")).toBe("33.1 million tonnes");
  });

  it("names periods inside labels", () => {
    expect(labelText("Imports from Russia, 2023-10")).toBe("Imports from Russia, October 2023");
    expect(labelText("Exports, 2024-01/02")).toBe("Exports, January–February 2024");
  });
});

describe("held-back reasons", () => {
  it("the add-up check keeps raw base units and says them formatted", () => {
    const s = sink();
    const amounts = (gap: number) => ({
      exportsPlusImports: 17_630_000_000_000,
      total: 17_640_000_000_000,
      gap,
    });
    checkFlowsAddUp(
      { total: 17_640_000_000_000, exports: 10_000_000_000_000, imports: 7_630_000_000_000 },
      1,
      s,
      (gap) => flowsAddUpText('Row 1 ("Total")', amounts(gap), "to 2023-08", "CNY"),
      (gap) => ({ amounts: amounts(gap), currency: "CNY" }),
    );
    expect(s.blocking).toEqual([
      {
        check: "flows-add-up",
        message:
          'Row 1 ("Total"): exports plus imports in January–August 2023 come to CNY 17,630.0 billion but the table\'s total says CNY 17,640.0 billion, CNY 10.0 billion apart, more than rounding explains',
        amounts: { exportsPlusImports: 17_630_000_000_000, total: 17_640_000_000_000, gap: 10_000_000_000 },
        currency: "CNY",
      },
    ]);
  });

  it("the month-within-ytd check too", () => {
    const s = sink();
    const amounts = { month: 12_000_000_000, yearToDate: 11_000_000_000 };
    checkMonthWithinYtd(
      12_000_000_000,
      11_000_000_000,
      1,
      s,
      () =>
        monthWithinYtdText('Row 3 ("Russia")', "imports", amounts, "2023-08", (x) => amountText(x, "USD")),
      { amounts, currency: "USD" },
    );
    expect(s.blocking[0]?.message).toBe(
      'Row 3 ("Russia"): the figure for imports in August 2023 (US$12.0 billion) is larger than the year-to-date figure for January–August 2023 (US$11.0 billion), which cannot be: a column is misread, or GACC printed the two the wrong way round',
    );
    expect(s.blocking[0]?.amounts).toEqual({ month: 12_000_000_000, yearToDate: 11_000_000_000 });
  });

  it("a currency conflict is said from its structured currencies, once", () => {
    const s = sink();
    checkCurrencyAgrees(
      { currency: "CNY", powerOfTen: 8, asPrinted: "Unit: CNY 100 Million" },
      [
        ["title", "(4) China's Total Export & Import Values by Country/Region (in USD)"],
        ["table's title row", "(4) China's Total Export & Import Values by Country/Region (in USD)"],
      ],
      s,
    );
    expect(s.blocking).toHaveLength(2);
    expect(reasonTexts(s.blocking, "2023-09")).toEqual([
      "The September 2023 table says US dollars in its title but yuan in its unit row, so its numbers can't be trusted.",
    ]);
    expect(heldBackHeadline({ period: "2023-09", reasons: s.blocking })).toBe(
      "Held back: the September 2023 table says US dollars in its title but yuan in its unit row, so its numbers can't be trusted. Charts are unchanged.",
    );
  });

  it("more than one problem: the first, and how many more", () => {
    expect(
      heldBackHeadline({
        period: "2023-09",
        reasons: [
          { check: "a", message: "Row 1: one thing" },
          { check: "b", message: "Row 2: another" },
        ],
      }),
    ).toBe("Held back: row 1: one thing. 1 more problem below. Charts are unchanged.");
  });
});

describe("runs in words", () => {
  const names = new Map([
    ["prelim-by-country-usd-2023-09", "Preliminary release, by country, September 2023, in US dollars"],
  ]);
  const nameOf = (id: string) => names.get(id) ?? id;
  const base = {
    kind: "refresh",
    status: "needs-attention",
    requestedBy: { name: "Ana" },
    startedAt: "2026-11-30T23:40:00Z",
  };

  it("a refresh that held a release back", () => {
    expect(
      runHeadline(
        {
          ...base,
          result: {
            releasesChanged: 1,
            releases: [{ releaseId: "prelim-by-country-usd-2023-09", status: "quarantined" }],
            quarantined: [{ releaseId: "prelim-by-country-usd-2023-09", reasons: [] }],
            chartChanges: [],
            errors: [],
          },
        },
        nameOf,
      ),
    ).toBe(
      "1 new or revised release from GACC. Held back for review: the Preliminary release, by country, September 2023, in US dollars. Charts are unchanged.",
    );
  });

  it("a refresh with nothing new, and one that changed charts", () => {
    expect(runHeadline({ ...base, status: "succeeded", result: { releasesChanged: 0 } })).toBe(
      "Nothing new from GACC. Charts are unchanged.",
    );
    expect(
      runHeadline({
        ...base,
        status: "succeeded",
        result: {
          releasesChanged: 2,
          chartChanges: [
            {
              chartId: "x",
              title: "China's trade with Russia",
              counts: { newPoints: 2, revisions: 1, removedPoints: 0 },
            },
          ],
        },
      }),
    ).toBe(
      "2 new or revised releases from GACC. Charts updated: China's trade with Russia (2 new figures, 1 figure revised).",
    );
  });

  it("an outage is its own sentence", () => {
    const message = "Couldn't reach GACC's website: nothing was fetched and the charts are unchanged.";
    expect(
      runHeadline({
        ...base,
        status: "failed",
        result: { errors: [{ stage: "fetch", code: "UPSTREAM_UNREACHABLE", message }] },
      }),
    ).toBe(message);
  });

  it("an unexpected failure is said plainly; the library's words stay under Details", () => {
    const headline = runHeadline({
      ...base,
      kind: "upload",
      status: "failed",
      result: {
        errors: [
          {
            stage: "normalize",
            code: "UNEXPECTED",
            message: "TypeError: Cannot read properties of undefined",
          },
          { stage: "publish", code: "STORE_UNAVAILABLE", message: "The chart store could not be reached" },
        ],
      },
    });
    expect(headline).toBe(
      "Failed while reading the figures: Something went wrong on our side (what, for an engineer, is under Details); " +
        "try again, and tell an engineer if it keeps happening. " +
        "Failed while updating the charts: The chart store could not be reached. Charts are unchanged.",
    );
  });

  it("badges in words", () => {
    expect(statusWord("run", "needs-attention")).toBe("Needs an editor");
    expect(statusWord("release", "quarantined")).toBe("Held back for review");
    expect(statusWord("stage", "skipped")).toBe("Skipped");
  });
});

describe("the status at a glance", () => {
  const status = (
    over: Partial<Parameters<typeof statusGlance>[0]["nextRelease"]>,
    now = "2026-12-01T01:00:00Z",
  ) => ({
    now,
    latestRun: null,
    releases: [
      {
        releaseId: "a",
        name: "Preliminary release, by country, October 2026, in US dollars",
        period: "2026-10",
        status: "normalized",
        fetchedAt: "2026-11-07T03:00:00Z",
      },
      {
        releaseId: "b",
        name: "Preliminary release, by country, September 2026, in US dollars",
        period: "2026-09",
        status: "quarantined",
        fetchedAt: "2026-10-09T03:00:00Z",
      },
    ],
    heldCharts: [],
    nextRelease: {
      period: "2026-11",
      expectedFrom: "2026-12-07T10:00:00+08:00",
      expectedBy: "2026-12-14T11:00:00+08:00",
      overdue: false,
      latestShown: "2026-10",
      upcoming: {
        period: "2026-11",
        expectedFrom: "2026-12-07T10:00:00+08:00",
        expectedBy: "2026-12-14T11:00:00+08:00",
      },
      ...over,
    },
  });

  it("up to date, what came last, what is next by today's calendar, what needs an editor", () => {
    const g = statusGlance(status({}));
    expect(g.charts).toEqual({
      state: "up-to-date",
      text: "Charts are up to date: they show figures to October 2026.",
    });
    expect(g.lastIn).toBe(
      "Last in: the Preliminary release, by country, October 2026, in US dollars, 7 Nov 2026, 03:00 UTC.",
    );
    expect(g.next).toEqual({
      state: "not-due",
      text: "Next from GACC: November 2026 figures, expected 7–14 Dec 2026.",
    });
    expect(g.editor).toEqual({
      count: 1,
      text: "Needs an editor: the Preliminary release, by country, September 2026, in US dollars is held back for review.",
    });
  });

  it("behind the calendar, and due now while a window is open", () => {
    const g = statusGlance(
      status(
        {
          period: "2023-09",
          expectedFrom: "2023-10-07T10:00:00+08:00",
          expectedBy: "2023-10-14T11:00:00+08:00",
          overdue: true,
          latestShown: "2023-08",
        },
        "2026-12-08T03:00:00Z",
      ),
    );
    expect(g.charts).toEqual({
      state: "behind",
      text: "Charts are behind: the latest month they show is August 2023. GACC's September 2023 figures were due by 14 Oct 2023 and have not come in.",
    });
    expect(g.next).toEqual({
      state: "due-now",
      text: "Next from GACC: November 2026 figures, expected 7–14 Dec 2026 — due now.",
    });
  });

  it("dates read the same everywhere", () => {
    expect(momentText("2026-11-30T23:40:12.345Z")).toBe("30 Nov 2026, 23:40 UTC");
    expect(dayText("2027-01-07T10:00:00+08:00")).toBe("7 Jan 2027");
    expect(windowText("2026-12-28T10:00:00+08:00", "2027-01-04T11:00:00+08:00")).toBe(
      "28 Dec 2026 – 4 Jan 2027",
    );
  });
});

describe("an upload in words, with what its figures held and their effect on the charts", () => {
  it("says what the file held and, when no chart changed, why", () => {
    expect(
      runHeadline(
        {
          kind: "upload",
          status: "succeeded",
          result: {
            releases: [
              {
                releaseId: "query-exports-1",
                status: "normalized",
                chartUse: { held: { text: "China's exports of HS 12019019 to Brazil, January 2024" } },
                effect: "No chart changed. No chart draws China's soybean exports; a chart of imports would",
              },
            ],
            chartChanges: [],
          },
        },
        () => "Query-platform export of China's exports, to January 2024 (out.csv)",
      ),
    ).toBe(
      "Read the Query-platform export of China's exports, to January 2024 (out.csv): China's exports of HS 12019019 to Brazil, January 2024. No chart changed. No chart draws China's soybean exports; a chart of imports would.",
    );
  });
});
