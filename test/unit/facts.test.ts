/**
 * Facts and sentences: golden sentences from the project's sample of published figures (the story:
 * August 2023 imports from Russia $11.5 billion, +2.7% ≈ "3%", after −8.2% ≈ "8%" in July), the written
 * rules one by one, and a property test over generated charts: every number in every sentence is a
 * chart value or change after the stated rounding, and every point a fact names is in the chart.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { composeAlert } from "../../functions/domain/facts/alert.js";
import {
  computeFacts,
  type FactChart,
  type FactPointInput,
  previousPeriod,
} from "../../functions/domain/facts/facts.js";
import {
  assertValidFacts,
  buildFactsFile,
  factsFileBody,
  newFacts,
} from "../../functions/domain/facts/facts-file.js";
import {
  articleFor,
  formatAmount,
  formatPct,
  LITTLE_CHANGED_PCT,
  periodName,
  significant,
} from "../../functions/domain/facts/sentences.js";
import { MONTH_NAMES } from "../../functions/domain/wording.js";
import { parseSampleFigures, readSampleCsv } from "../../local/mirror/render.js";

const USD_BN = { currency: "USD", multiplier: 1e9, label: "US$ billion" };

/** y/y from levels, one decimal: the rule the chart files state (README, "Year-on-year"). */
function yoyFromLevels(value: number, base: number | undefined): number | null {
  if (base === undefined || base === 0) return null;
  return Math.round(((value - base) / Math.abs(base)) * 1000) / 10;
}

const shiftYear = (p: string, n: number) => p.replace(/^\d{4}/, (y) => String(Number(y) + n));

/** Points as chart files (schema v2) carry them: a January–February total as two average points,
 * each with the exact total in `combinedValue` and the combined y/y. */
function pointsFrom(levels: Array<[string, number]>, extra: Partial<FactPointInput> = {}): FactPointInput[] {
  const byPeriod = new Map(levels);
  return levels.flatMap(([period, value]) => {
    const p: FactPointInput = {
      period,
      value,
      yoyPct: yoyFromLevels(value, byPeriod.get(shiftYear(period, -1))),
      vintage: "bulletin",
      revised: false,
      releaseId: `release-${period}`,
      ...extra,
    };
    if (!period.includes("/")) return [p];
    const average = { ...p, value: value / 2, combinedMonths: 2, combinedValue: value };
    return [average, { ...average }];
  });
}

/** What a chart point stands for as published: the combined total for January–February. */
const amountOf = (p: FactPointInput | undefined) => p?.combinedValue ?? p?.value;
const previousOf = (p: FactPointInput | undefined) =>
  typeof p?.previousValue === "number"
    ? p.previousValue * (p.combinedValue !== undefined ? 2 : 1)
    : undefined;

/** The sample's China–Russia monthly figures for one flow, up to `latest`, as a monthly chart. */
function sampleChart(latest: string): FactChart {
  const figures = parseSampleFigures(readSampleCsv()).filter(
    (f) =>
      f.partnerAsPrinted === "Russian Federation" &&
      f.currency === "USD" &&
      f.flow === "imports" &&
      f.periodKind !== "ytd" &&
      f.period.replace("01/02", "02") <= latest,
  );
  const levels = figures
    .map((f): [string, number] => [f.period, Number(f.value)])
    .sort((a, b) => a[0].replace("01/02", "02").localeCompare(b[0].replace("01/02", "02")));
  return {
    id: "china-russia-trade-monthly",
    chartType: "monthly",
    title: "China's trade with Russia",
    unit: USD_BN,
    latestPeriod: latest,
    series: [{ key: "imports", label: "China's imports from Russia", points: pointsFrom(levels) }],
  };
}

function publishedYoy(period: string): number {
  const f = parseSampleFigures(readSampleCsv()).find(
    (x) =>
      x.period === period &&
      x.periodKind === "month" &&
      x.flow === "imports" &&
      x.partnerAsPrinted === "Russian Federation",
  );
  return Number(f?.yoyPct);
}

describe("golden sentences from the project's sample", () => {
  it("August 2023: $11.5 billion, up 2.7% (news: 3%), reversing July's 8.2% fall (news: 8%)", () => {
    const file = buildFactsFile(sampleChart("2023-08"));
    const change = file.facts.find((f) => f.kind === "change");
    expect(change?.text).toBe(
      "China's imports from Russia rose 2.7% in August 2023 from a year earlier to $11.5 billion, reversing an 8.2% fall in July.",
    );
    // The numbers the news printed are these, rounded to whole percent.
    expect(Math.round(change?.values.yoyPct as number)).toBe(publishedYoy("2023-08"));
    expect(Math.round(change?.values.previousYoyPct as number)).toBe(publishedYoy("2023-07"));
    expect(change?.values).toMatchObject({ value: 11.5, reversed: true, previousPeriod: "2023-07" });
    // The points used: this August, last August, July; each with its release.
    expect(change?.points.map((p) => [p.period, p.value, p.releaseId])).toEqual([
      ["2023-08", 11.5, "release-2023-08"],
      ["2022-08", 11.2, "release-2022-08"],
      ["2023-07", 9.2, "release-2023-07"],
    ]);
  });

  it("July 2023: fell 8.2% to $9.2 billion, the third monthly decline in a row", () => {
    const file = buildFactsFile(sampleChart("2023-07"));
    expect(file.facts.find((f) => f.kind === "change")?.text).toBe(
      "China's imports from Russia fell 8.2% in July 2023 from a year earlier to $9.2 billion, after falling 1.9% in June.",
    );
    expect(Math.round(file.facts.find((f) => f.kind === "change")?.values.yoyPct as number)).toBe(
      publishedYoy("2023-07"),
    );
    // June 2023 (−1.9%) and July (−8.2%): May 2023 has no year-ago month stored, so the run is two.
    expect(file.facts.find((f) => f.kind === "streak")?.text).toBe(
      "July 2023 was the second month in a row in which China's imports from Russia fell from a year earlier.",
    );
  });
});

describe("written rules", () => {
  it("rounds amounts to three significant figures with the unit word", () => {
    expect(formatAmount(11.5e9, USD_BN)).toBe("$11.5 billion");
    expect(formatAmount(117.84e9, USD_BN)).toBe("$118 billion");
    expect(formatAmount(9.2e9, USD_BN)).toBe("$9.2 billion");
    expect(formatAmount(183.29e9, { currency: "CNY", multiplier: 1e9, label: "" })).toBe("183 billion yuan");
    expect(formatAmount(80_090_000_000, { currency: "CNY", multiplier: 1e8, label: "" })).toBe(
      "80.1 billion yuan",
    );
    expect(formatAmount(999.96e9, USD_BN)).toBe("$1 trillion");
    expect(formatAmount(4_560_000, USD_BN)).toBe("$4.56 million");
    expect(
      formatAmount(33_081_000, { currency: null, multiplier: 1e6, label: "", quantityUnit: "ton" }),
    ).toBe("33.1 million tonnes");
    expect(significant(1234.5)).toBe("1,230");
  });

  it("writes percentages to one decimal and picks a/an as the number is read", () => {
    expect(formatPct(-8.17)).toBe("8.2%");
    expect(formatPct(8)).toBe("8.0%");
    expect(articleFor("8.2%")).toBe("an");
    expect(articleFor("11.0%")).toBe("an");
    expect(articleFor("18.4%")).toBe("an");
    expect(articleFor("2.7%")).toBe("a");
    expect(articleFor("110.0%")).toBe("a");
  });

  it("names months, and January–February as one period", () => {
    expect(periodName("2023-08")).toBe("August 2023");
    expect(periodName("2023-01/02")).toBe("January–February 2023");
    expect(previousPeriod("2023-03")).toBe("2023-01/02");
    expect(previousPeriod("2023-01/02")).toBe("2022-12");
    expect(previousPeriod("2023-03", (p) => p === "2023-02")).toBe("2023-02");
  });

  it("says 'little changed' inside the band, with the change in brackets", () => {
    const chart: FactChart = {
      id: "c",
      chartType: "monthly",
      title: "T",
      unit: USD_BN,
      latestPeriod: "2023-08",
      series: [
        {
          key: "imports",
          label: "China's imports from Russia",
          points: pointsFrom([
            ["2022-08", 10],
            ["2023-08", 10.04],
          ]),
        },
      ],
    };
    expect(LITTLE_CHANGED_PCT).toBe(0.5);
    expect(buildFactsFile(chart).facts[0]?.text).toBe(
      "China's imports from Russia were little changed in August 2023 from a year earlier at $10 billion (up 0.4%).",
    );
  });

  it("compares January–February with January–February, and says 'the first … since'", () => {
    const levels: Array<[string, number]> = [
      ["2021-11", 10],
      ["2021-12", 10],
      ["2022-01/02", 20],
      ["2022-03", 10],
      ["2022-11", 12],
      ["2022-12", 9],
      ["2023-01/02", 19],
      ["2023-03", 11],
    ];
    const chart: FactChart = {
      id: "c",
      chartType: "monthly",
      title: "T",
      unit: USD_BN,
      latestPeriod: "2023-03",
      series: [{ key: "exports", label: "China's exports to Russia", points: pointsFrom(levels) }],
    };
    const facts = buildFactsFile(chart).facts;
    // March against the combined release before it (−5.0%), which reversed a rise in November.
    expect(facts.find((f) => f.kind === "change")?.text).toBe(
      "China's exports to Russia rose 10.0% in March 2023 from a year earlier to $11 billion, reversing a 5.0% fall in January–February.",
    );
    expect(facts.find((f) => f.kind === "first-since")?.text).toBe(
      "It was the first year-on-year rise in China's exports to Russia since November 2022.",
    );
    const combined = buildFactsFile({ ...chart, latestPeriod: "2023-01/02" }).facts;
    const head = combined.find((f) => f.kind === "change");
    expect(head?.text).toBe(
      "China's exports to Russia fell 5.0% in January–February 2023 from a year earlier to $19 billion, after falling 10.0% in December 2022.",
    );
    expect(head?.caveats.map((c) => c.code)).toContain("combined-months");
    expect(head?.points.map((p) => p.period)).toEqual(["2023-01/02", "2022-01/02", "2022-12"]);
  });

  it("finds highs since a month and records in the stored history", () => {
    const levels: Array<[string, number]> = [
      ["2023-03", 12],
      ["2023-04", 9],
      ["2023-05", 8],
      ["2023-06", 10],
      ["2023-07", 11],
    ];
    const chart: FactChart = {
      id: "c",
      chartType: "monthly",
      title: "T",
      unit: USD_BN,
      latestPeriod: "2023-07",
      series: [{ key: "imports", label: "China's imports from Russia", points: pointsFrom(levels) }],
    };
    expect(computeFacts(chart).find((f) => f.kind === "high-low")).toMatchObject({
      extreme: "high",
      since: "2023-03",
    });
    expect(buildFactsFile(chart).facts.find((f) => f.kind === "high-low")?.text).toBe(
      "At $11 billion, China's imports from Russia in July 2023 were the highest since March 2023.",
    );
    // A gap between (no June) and the claim is not made.
    const gap = {
      ...chart,
      series: [{ ...chart.series[0], points: pointsFrom(levels.filter(([p]) => p !== "2023-06")) }],
    };
    expect(computeFacts(gap as FactChart).some((f) => f.kind === "high-low")).toBe(false);
  });

  it("turns a revised point into a revision fact, old → new with both releases", () => {
    const chart = sampleChart("2023-08");
    const july = chart.series[0]?.points.find((p) => p.period === "2023-07") as FactPointInput;
    Object.assign(july, {
      value: 9.214,
      previousValue: 9.2,
      revised: true,
      previousReleaseId: "prelim-2023-07",
    });
    const revision = buildFactsFile(chart).facts.find((f) => f.kind === "revision");
    expect(revision?.text).toBe(
      "China's imports from Russia for July 2023 were revised up in the Monthly Bulletin to $9.21 billion from $9.2 billion.",
    );
    expect(revision?.values).toMatchObject({
      oldValue: 9.2,
      newValue: 9.214,
      oldReleaseId: "prelim-2023-07",
      newReleaseId: "release-2023-07",
    });
  });

  it("rejects a facts file that breaks its schema (a fact without its sentence)", () => {
    const file = buildFactsFile(sampleChart("2023-08"));
    const broken = { ...file, facts: file.facts.map(({ text: _text, ...f }) => f) };
    expect(() => assertValidFacts(broken)).toThrow(/facts file failed its schema check.*text/);
    expect(() => assertValidFacts(file)).not.toThrow();
  });

  it("alerts only on new sentences: a re-run of the same chart sends nothing", () => {
    const file = buildFactsFile(sampleChart("2023-08"));
    const news = newFacts(undefined, file);
    const alert = composeAlert([
      {
        chartId: file.chartId,
        title: file.title,
        url: "https://cdn/charts/c.json",
        csvUrl: "https://cdn/charts/c.csv",
        facts: news,
      },
    ]);
    expect(alert?.subject).toBe(
      "China's trade with Russia: China's imports from Russia rose 2.7% y/y in August 2023",
    );
    expect(alert?.subject.length).toBeLessThan(100);
    expect(alert?.body).toContain("reversing an 8.2% fall in July");
    expect(alert?.body).toContain("https://cdn/charts/c.json");
    expect(newFacts(file, buildFactsFile(sampleChart("2023-08")))).toEqual([]);
    expect(composeAlert([{ chartId: "c", title: "T", url: "u", csvUrl: "v", facts: [] }])).toBeUndefined();
    // The next month's release: only its sentences are new.
    const next = newFacts(file, buildFactsFile(sampleChart("2023-09")));
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((f) => f.period === "2023-09")).toBe(true);
  });
});

// ---------------------------------------------------------------- property test

function nextPeriod(p: string, combined: boolean): string {
  const y = Number(p.slice(0, 4));
  const m = p.includes("/") ? 2 : Number(p.slice(5, 7));
  if (m === 12) return combined ? `${y + 1}-01/02` : `${y + 1}-01`;
  return `${y}-${String(m + 1).padStart(2, "0")}`;
}

const chartArb = fc
  .record({
    startYear: fc.integer({ min: 2015, max: 2024 }),
    startMonth: fc.integer({ min: 3, max: 12 }),
    combined: fc.boolean(),
    unit: fc.constantFrom(
      { currency: "USD", multiplier: 1e9, label: "US$ billion" },
      { currency: "CNY", multiplier: 1e8, label: "CNY 100 million" },
      { currency: null, multiplier: 1e6, label: "million tonnes", quantityUnit: "ton" },
      { currency: "USD", multiplier: 1e3, label: "US$ thousand" },
    ),
    series: fc.array(
      fc.array(
        fc.record({
          value: fc.option(fc.integer({ min: 1, max: 9_999_999 }), { freq: 8 }),
          scale: fc.integer({ min: 0, max: 4 }),
          revisedBy: fc.option(fc.integer({ min: -500, max: 500 }), { freq: 3 }),
          vintage: fc.constantFrom("preliminary", "bulletin"),
        }),
        { minLength: 1, maxLength: 40, size: "max" },
      ),
      { minLength: 1, maxLength: 2 },
    ),
  })
  .map(({ startYear, startMonth, combined, unit, series }): FactChart => {
    let latest = "";
    const built = series.map((cells, i) => {
      let period = `${startYear}-${String(startMonth).padStart(2, "0")}`;
      const levels: Array<[string, number]> = [];
      const extra = new Map<string, Partial<FactPointInput>>();
      for (const c of cells) {
        if (c.value !== null) {
          const value = c.value / 10 ** c.scale;
          levels.push([period, value]);
          const e: Partial<FactPointInput> = { vintage: c.vintage };
          if (c.revisedBy !== null && c.revisedBy !== 0 && c.value + c.revisedBy > 0)
            Object.assign(e, { revised: true, previousValue: (c.value + c.revisedBy) / 10 ** c.scale });
          extra.set(period, e);
        }
        if (period.replace("01/02", "02") > latest.replace("01/02", "02")) latest = period;
        period = nextPeriod(period, combined);
      }
      const points = pointsFrom(levels).map((p) => {
        const e = extra.get(p.period) ?? {};
        // A revised January–February total: its previous value is halved too, like the value.
        const halve = p.combinedValue !== undefined && typeof e.previousValue === "number";
        return { ...p, ...e, ...(halve ? { previousValue: (e.previousValue as number) / 2 } : {}) };
      });
      return { key: `s${i}`, label: i === 0 ? "China's imports from Russia" : "Crude oil", points };
    });
    return { id: "gen", chartType: "monthly", title: "Generated", unit, latestPeriod: latest, series: built };
  });

/** Whether `shown` (as printed, e.g. "11.5" before "billion") is `base` rounded to three significant
 * figures, or more for a revision that needs them (the stated rule), trailing zeros dropped. */
function roundsTo(shown: string, scale: number, base: number): boolean {
  const target = Number(shown.replace(/,/g, ""));
  for (let sig = 3; sig <= 15; sig++) {
    if (Math.abs(Number((base / scale).toPrecision(sig)) - target) <= 1e-9 * Math.abs(target)) return true;
  }
  return false;
}

describe("property: sentences carry only chart numbers, and name only chart points", () => {
  it("holds for generated monthly charts (units, gaps, January–February, revisions)", () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(chartArb, (chart) => {
        const file = buildFactsFile(chart);
        // Schema-valid, and the body round-trips.
        expect(JSON.parse(factsFileBody(file))).toEqual(file);
        const amounts = chart.series.flatMap((s) =>
          s.points.flatMap((p) =>
            [amountOf(p), previousOf(p)].filter((v): v is number => typeof v === "number"),
          ),
        );
        const pcts = chart.series.flatMap((s) => s.points.map((p) => p.yoyPct).filter((v) => v !== null));
        for (const fact of file.facts) {
          const tag = fact.kind === "change" && fact.values.reversed ? "reversal" : fact.kind;
          if (fact.kind === "change" && fact.values.previousPeriod)
            seen.set("prev", (seen.get("prev") ?? 0) + 1);
          seen.set(tag, (seen.get(tag) ?? 0) + 1);
          if (fact.points.some((p) => p.period.includes("/")))
            seen.set("combined", (seen.get("combined") ?? 0) + 1);
          // Every point named exists in the chart with that value and release.
          for (const pt of fact.points) {
            const found = chart.series
              .find((s) => s.key === pt.series)
              ?.points.find((p) => p.period === pt.period);
            expect(found, `${fact.id}: ${pt.period}`).toBeDefined();
            expect(pt.value === amountOf(found) || pt.value === previousOf(found)).toBe(true);
            expect(pt.releaseId).toBe(found?.releaseId);
          }
          const text = fact.text;
          // Percentages: |y/y| of a chart point, one decimal.
          for (const m of text.matchAll(/(?<![\d.,])(\d[\d,]*(?:\.\d+)?)%/g)) {
            const shown = Number(m[1]);
            expect(
              pcts.some((p) => Math.abs(p as number).toFixed(1) === m[1]),
              `${text}: ${shown}%`,
            ).toBe(true);
          }
          // Amounts: a chart value (or a revision's old value) × multiplier, rounded as printed.
          for (const m of text.matchAll(
            /(?<![\d.,])\$?(\d[\d,]*(?:\.\d+)?)(?![\d%]|[.,]\d)( trillion| billion| million)?( yuan| tonnes)?/g,
          )) {
            const before = text.slice(0, m.index);
            const after = text.slice((m.index ?? 0) + m[0].length);
            if (
              /(January|February|March|April|May|June|July|August|September|October|November|December)\s?$/.test(
                before,
              )
            )
              continue; // a year after a month name
            if (/^(st|nd|rd|th)\b/.test(after)) continue; // an ordinal count ("13th")
            const scale = { " trillion": 1e12, " billion": 1e9, " million": 1e6 }[m[2] ?? ""] ?? 1;
            const ok = amounts.some((v) => roundsTo(m[1] as string, scale, v * chart.unit.multiplier));
            expect(ok, `${text}: ${m[0]}`).toBe(true);
          }
          // Every month named is one of the fact's points (a month without a year: any year).
          for (const m of text.matchAll(
            /(January|February|March|April|May|June|July|August|September|October|November|December)(?:–(February))?(?: (\d{4}))?/g,
          )) {
            const month = (MONTH_NAMES as readonly string[]).indexOf(m[2] ?? (m[1] as string)) + 1;
            const named = fact.points.some((p) => {
              const pm = p.period.includes("/") ? 2 : Number(p.period.slice(5, 7));
              const combinedMatch = (m[2] !== undefined) === p.period.includes("/");
              return pm === month && combinedMatch && (!m[3] || p.period.startsWith(m[3]));
            });
            expect(named, `${text}: ${m[0]}`).toBe(true);
          }
        }
      }),
      { numRuns: 400, seed: 14 },
    );
    // The generator reached every kind of fact (the property is not vacuous).
    for (const kind of [
      "change",
      "prev",
      "reversal",
      "streak",
      "first-since",
      "high-low",
      "revision",
      "combined",
    ])
      expect(seen.get(kind) ?? 0, `${kind} ${JSON.stringify([...seen])}`).toBeGreaterThan(5);
  });
});
