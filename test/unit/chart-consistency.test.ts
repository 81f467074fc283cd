/**
 * The cross-field checks a JSON Schema cannot express (publish-guard.ts, chartConsistency), each
 * with a compliant and a non-compliant case, and the small helpers chart building relies on.
 */
import { describe, expect, it } from "vitest";
import { chartPeriodOf, printedRoundingShare, ytdMonthsLabel } from "../../functions/domain/charts/build.js";
import type { ChartEnvelope, ChartPoint } from "../../functions/domain/charts/envelope.js";
import { periodName } from "../../functions/domain/wording.js";
import { chartConsistency, decide } from "../../functions/pipeline/publish-guard.js";
import { testChart } from "../support/chart-envelope.js";

const SHA = "b".repeat(64);

function pt(chartPeriod: string, value: number | null, extra: Partial<ChartPoint> = {}): ChartPoint {
  const base: ChartPoint =
    value === null
      ? {
          period: chartPeriod,
          chartPeriod,
          periodLabel: chartPeriod,
          value,
          missing: "not-published",
          yoyPct: null,
        }
      : {
          period: chartPeriod,
          chartPeriod,
          periodLabel: chartPeriod,
          value,
          valueBasis: "observed",
          yoyPct: null,
          vintage: "preliminary",
          revised: false,
          releaseId: "r1",
          sha256: SHA,
        };
  return { ...base, ...extra };
}

const chart = (points: ChartPoint[], extra: Partial<ChartEnvelope> = {}) => testChart(points, extra, SHA);

const messages = (c: ChartEnvelope) =>
  chartConsistency(c).map((f) => (f.detail ?? "").replace(/^the chart file is inconsistent: /, ""));

const janFeb = (m: string) =>
  pt(`2023-${m}`, 9.325, {
    period: "2023-01/02",
    valueBasis: "average-of-combined",
    combinedMonths: 2,
    combinedValue: 18.65,
  });

describe("chart consistency (what the schema cannot check)", () => {
  it("passes a chart with a gap, a Jan–Feb average and resolvable releases", () => {
    expect(messages(chart([pt("2022-12", null), janFeb("01"), janFeb("02"), pt("2023-03", 9.1)]))).toEqual(
      [],
    );
  });

  it("period and chartPeriod must agree", () => {
    expect(messages(chart([pt("2023-03", 1, { period: "2023-04" })]))).toEqual([
      "imports 2023-03: chartPeriod is not a month of period 2023-04",
      "imports 2023-03: later than the chart's latest period 2023-03",
    ]);
  });

  it("combined flags only on combined periods; a combined figure is shown as its average", () => {
    expect(messages(chart([pt("2023-03", 1, { combinedMonths: 2, combinedValue: 2 })]))).toEqual([
      "imports 2023-03: marked as a combined January–February figure, but 2023-03 is one month",
    ]);
    expect(messages(chart([pt("2023-02", 18.65, { period: "2023-01/02" })]))).toEqual([
      "imports 2023-02: the combined 2023-01/02 figure is not shown as its monthly average",
    ]);
    expect(messages(chart([janFeb("01"), { ...janFeb("02"), value: 9 }]))).toEqual([
      "imports 2023-02: the average is not half the combined total",
    ]);
  });

  it("series keys and points are unique; months between points are listed", () => {
    const c = chart([pt("2023-03", 1)]);
    c.series.push({ key: "imports", label: "Other", points: [] });
    expect(messages(c)).toEqual(['two series share the key "imports"']);
    expect(messages(chart([pt("2023-03", 1), pt("2023-03", 2)]))).toContain(
      "imports 2023-03: two points at the same place",
    );
    expect(messages(chart([pt("2023-03", 1), pt("2023-05", 2)]))).toEqual([
      "imports 2023-05: follows 2023-03; the months between are not listed as gaps",
    ]);
  });

  it("a gap has a null value and a reason; a figure names a release in provenance", () => {
    expect(messages(chart([pt("2023-03", 1, { missing: "not-fetched" })]))).toEqual([
      "imports 2023-03: a gap needs a null value and a reason, a figure neither",
    ]);
    expect(messages(chart([pt("2023-03", 1, { releaseId: "r9" })]))).toEqual([
      "imports 2023-03: release r9 is not in the chart's provenance",
    ]);
    expect(
      messages(chart([pt("2023-03", 1, { revised: true, previousValue: 2, previousReleaseId: "r0" })])),
    ).toEqual(["imports 2023-03: previous release r0 is not in the chart's provenance"]);
  });

  it("date-times are valid; labels and keys are safe field names", () => {
    expect(messages(chart([pt("2023-03", 1)], { updatedAt: "2026-02-30T25:00:00Z" }))).toEqual([
      'updatedAt "2026-02-30T25:00:00Z" is not a valid date-time',
    ]);
    const c = chart([pt("2023-03", 1)]);
    for (const s of c.series) s.label = "China's imports";
    expect(messages(c)).toEqual([`"China's imports" has a character that breaks field access ('".[]\\)`]);
  });

  it("an inconsistent chart is held back like any other guard finding", () => {
    const bad = chart([pt("2023-03", 1, { releaseId: "r9" })]);
    const d = decide({
      chartId: "test-chart",
      previous: undefined,
      next: bad,
      body: "{}",
      existing: undefined,
      now: new Date(0),
    });
    expect(d.publish).toBe(false);
    expect(d.hold?.reasons.map((r) => r.check)).toEqual(["inconsistent"]);
  });
});

describe("chart helpers", () => {
  it("labels periods in words", () => {
    expect(periodName("2023-08")).toBe("August 2023");
    expect(periodName("2023-01/02")).toBe("January–February 2023");
    expect(ytdMonthsLabel("11")).toBe("January–November");
    expect(ytdMonthsLabel("01")).toBe("January");
    expect(chartPeriodOf("2023-01/02")).toBe("2023-02");
  });

  it("measures how rounded a printed figure is", () => {
    expect(printedRoundingShare("5,000.0")).toBe(0.1); // "$5 billion": ±500 million
    expect(printedRoundingShare("3,800.0")).toBeCloseTo(50 / 3800, 12);
    expect(printedRoundingShare("11,530.4")).toBeCloseTo(0.05 / 11530.4, 12);
    expect(printedRoundingShare("-")).toBeUndefined();
  });
});
