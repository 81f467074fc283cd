/**
 * The facts behind release-alert sentences (functions/domain/facts/facts.ts), checked against a
 * plain model of what a desk would claim: "rose for the third month in a row", "the first rise
 * since", "highest since", "reversing a fall", "revised up". The model walks calendar months one by
 * one; the code under test works from stored points, January–February as one period. Tables cover
 * what the model leaves out (combined releases, year-to-date charts, which period is latest).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeFacts,
  type Fact,
  type FactChart,
  type FactPointInput,
  HIGH_LOW_MIN_SPAN,
  previousPeriod,
  shiftYear,
} from "../../functions/domain/facts/facts.js";
import { directionOf, LITTLE_CHANGED_PCT } from "../../functions/domain/facts/sentences.js";

const UNIT = { currency: "USD", multiplier: 1e9, label: "US$ billion" };

function yoy(value: number, base: number | undefined): number | null {
  if (base === undefined || base === 0) return null;
  return Math.round(((value - base) / Math.abs(base)) * 1000) / 10;
}

const monthAfter = (p: string) => {
  const y = Number(p.slice(0, 4));
  const m = Number(p.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
};
const monthBefore = (p: string) => {
  const y = Number(p.slice(0, 4));
  const m = Number(p.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
};

function chartOf(points: FactPointInput[], extra: Partial<FactChart> = {}): FactChart {
  return {
    id: "c",
    chartType: "monthly",
    title: "T",
    unit: UNIT,
    latestPeriod: points.at(-1)?.period ?? null,
    series: [{ key: "s", label: "China's imports from Russia", points }],
    ...extra,
  };
}

/** Points from levels (null = a gap), y/y computed from the level a year earlier, as charts do. */
function pointsOf(
  levels: Array<[string, number | null]>,
  extra: (p: string) => Partial<FactPointInput> = () => ({}),
) {
  const byPeriod = new Map(levels);
  return levels.map(([period, value]): FactPointInput => {
    const base = byPeriod.get(shiftYear(period, -1));
    return {
      period,
      value,
      yoyPct: value === null ? null : yoy(value, base ?? undefined),
      vintage: "bulletin",
      releaseId: `r-${period}`,
      ...extra(period),
    };
  });
}

// ------------------------------------------------------------------ the model

type Cell = { value: number | null; preliminary: boolean; caveats: string[]; revisedFrom: number | null };

/** What a desk would claim about the latest month of a run of calendar months (single months only). */
function modelFacts(start: string, cells: Cell[]): { chart: FactChart; facts: Fact[] } {
  const periods: string[] = [];
  let p = start;
  for (let i = 0; i < cells.length; i++, p = monthAfter(p)) periods.push(p);
  const levels = cells.map((c, i): [string, number | null] => [periods[i] as string, c.value]);
  const points = pointsOf(levels, (period) => {
    const c = cells[periods.indexOf(period)] as Cell;
    return {
      vintage: c.preliminary ? "preliminary" : "bulletin",
      ...(c.caveats.length ? { caveats: c.caveats } : {}),
      ...(c.revisedFrom !== null
        ? { revised: true, previousValue: c.revisedFrom, previousReleaseId: `old-${period}` }
        : {}),
    };
  });
  const chart = chartOf(points, { latestPeriod: periods.at(-1) ?? null });
  const at = new Map(points.filter((x) => x.value !== null).map((x) => [x.period, x]));
  const ref = (x: FactPointInput) => ({
    series: "s",
    period: x.period,
    value: x.value as number,
    releaseId: x.releaseId ?? null,
  });
  const cav = (x: FactPointInput, change = true) =>
    [
      ...new Set([
        ...(change ? (x.caveats ?? []) : []),
        ...(x.vintage === "preliminary" ? ["preliminary"] : []),
      ]),
    ].sort();
  const dirOf = (x: number) => (Math.abs(x) < 0.5 ? "flat" : x > 0 ? "up" : "down");

  const revisions: Fact[] = points
    .filter((x) => x.value !== null && x.revised && x.previousValue !== x.value)
    .map((x) => ({
      id: `revision:s:${x.period}`,
      kind: "revision",
      series: "s",
      period: x.period,
      points: [ref(x)],
      caveats: cav(x, false),
      oldValue: x.previousValue as number,
      newValue: x.value as number,
      vintage: x.vintage as string,
      oldReleaseId: `old-${x.period}`,
      newReleaseId: x.releaseId as string,
    }));
  const known = points.filter((x) => x.value !== null);
  const latest = known.at(-1);
  if (!latest) return { chart, facts: revisions };
  const L = latest.value as number;
  const base = latest.yoyPct !== null ? at.get(shiftYear(latest.period, -1)) : undefined;
  const before = at.get(monthBefore(latest.period));
  const previous = before && before.yoyPct !== null ? before : undefined;
  const dir = latest.yoyPct === null ? undefined : dirOf(latest.yoyPct);
  const head: Fact = {
    id: `change:s:${latest.period}`,
    kind: "change",
    series: "s",
    period: latest.period,
    points: [ref(latest), ...(base ? [ref(base)] : [])],
    caveats: cav(latest, latest.yoyPct !== null),
    value: L,
    yoyPct: latest.yoyPct,
    reversed: false,
  };
  if (previous && latest.yoyPct !== null && head.kind === "change") {
    const pd = dirOf(previous.yoyPct as number);
    head.previous = { period: previous.period, yoyPct: previous.yoyPct as number };
    head.reversed = dir !== "flat" && pd !== "flat" && dir !== pd;
    head.points.push(ref(previous));
  }
  const facts: Fact[] = [head];
  if (dir === "up" || dir === "down") {
    const run = [latest];
    for (
      let q = at.get(monthBefore(latest.period));
      q && q.yoyPct !== null && dirOf(q.yoyPct) === dir;
      q = at.get(monthBefore(q.period))
    )
      run.push(q);
    if (run.length >= 2) {
      facts.push({
        id: `streak:s:${latest.period}`,
        kind: "streak",
        series: "s",
        period: latest.period,
        points: run.map(ref),
        caveats: [...new Set(run.flatMap((x) => cav(x)))].sort(),
        direction: dir,
        length: run.length,
        includesCombined: false,
      });
    } else if (previous) {
      let q: FactPointInput | undefined = previous;
      while (q && q.yoyPct !== null && dirOf(q.yoyPct) !== dir) q = at.get(monthBefore(q.period));
      if (q && q.yoyPct !== null)
        facts.push({
          id: `first-since:s:${latest.period}`,
          kind: "first-since",
          series: "s",
          period: latest.period,
          points: [ref(latest), ref(q)],
          caveats: cav(latest),
          direction: dir,
          since: q.period,
        });
    }
  }
  const earlier = known.filter((x) => x !== latest).reverse();
  const stored = (from: string, to: string) => {
    for (let q = monthBefore(from); q > to; q = monthBefore(q)) if (!at.has(q)) return false;
    return true;
  };
  for (const extreme of ["high", "low"] as const) {
    const stop = earlier.findIndex((x) =>
      extreme === "high" ? (x.value as number) >= L : (x.value as number) <= L,
    );
    const beaten = stop === -1 ? earlier.length : stop;
    if (beaten < 3) continue;
    const first = earlier.at(-1) as FactPointInput;
    const since = stop === -1 ? undefined : (earlier[stop] as FactPointInput);
    if (since && !stored(latest.period, since.period)) continue;
    const gaps = !since && !stored(latest.period, first.period) ? ["gaps-in-history"] : [];
    facts.push({
      id: `high-low:s:${latest.period}:${extreme}`,
      kind: "high-low",
      series: "s",
      period: latest.period,
      points: [ref(latest), ref(since ?? first)],
      caveats: [...cav(latest, false), ...gaps].sort(),
      extreme,
      value: L,
      since: since?.period ?? null,
      historyStart: first.period,
    });
  }
  return { chart, facts: [...facts, ...revisions] };
}

const cellArb = fc.record({
  value: fc.option(fc.integer({ min: 1, max: 40 }), { freq: 10 }),
  preliminary: fc.boolean(),
  caveats: fc.subarray(["base-small", "yoy-over-100"]),
  revisedFrom: fc.option(fc.integer({ min: 1, max: 40 }), { freq: 4 }),
});

describe("facts of a monthly chart, against a model that walks calendar months", () => {
  it("change, reversal, streak, first-since, highs, lows and revisions agree with the model", () => {
    const kinds = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.integer({ min: 2018, max: 2023 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(cellArb, { minLength: 1, maxLength: 30, size: "max" }),
        (year, month, cells) => {
          // Levels 10–40 with small steps: y/y moves often cross the "little changed" band.
          const start = `${year}-${String(month).padStart(2, "0")}`;
          const { chart, facts } = modelFacts(start, cells);
          const got = computeFacts(chart);
          expect(got).toEqual(facts);
          for (const f of got) {
            const tag = f.kind === "high-low" ? `${f.extreme}${f.since ? "" : "-record"}` : f.kind;
            kinds.set(tag, (kinds.get(tag) ?? 0) + 1);
            if (f.kind === "change" && f.reversed) kinds.set("reversed", (kinds.get("reversed") ?? 0) + 1);
            if (f.caveats.includes("gaps-in-history")) kinds.set("gaps", (kinds.get("gaps") ?? 0) + 1);
          }
        },
      ),
      { numRuns: 300, seed: 16 },
    );
    // Not vacuous: every kind of claim was made.
    for (const k of [
      "change",
      "reversed",
      "streak",
      "first-since",
      "high",
      "low",
      "high-record",
      "low-record",
      "gaps",
      "revision",
    ])
      expect(kinds.get(k) ?? 0, `${k}: ${JSON.stringify([...kinds])}`).toBeGreaterThan(3);
  });
});

describe("which period comes before", () => {
  it.each([
    ["2023-10", undefined, "2023-09"],
    ["2023-12", undefined, "2023-11"],
    ["2023-04", undefined, "2023-03"],
    ["2023-03", undefined, "2023-01/02"],
    ["2023-03", "2023-02", "2023-02"],
    ["2023-03", "2022-02", "2023-01/02"],
    ["2023-02", undefined, "2023-01"],
    ["2023-01", undefined, "2022-12"],
    ["2023-01/02", undefined, "2022-12"],
    ["2023-01/02", "2023-02", "2022-12"],
    ["not a period", undefined, "not a period"],
  ])("%s (stored: %s) → %s", (period, stored, expected) => {
    expect(previousPeriod(period, (p) => p === stored)).toBe(expected);
  });

  it("shifts a period by years, January–February included", () => {
    expect(shiftYear("2023-01/02", -1)).toBe("2022-01/02");
    expect(shiftYear("2023-08", 2)).toBe("2025-08");
  });

  it("the little-changed band is below half a point either way", () => {
    expect([0.49, -0.49, 0.5, -0.5, 0, 12, -12].map(directionOf)).toEqual([
      "flat",
      "flat",
      "up",
      "down",
      "flat",
      "up",
      "down",
    ]);
    expect(LITTLE_CHANGED_PCT).toBe(0.5);
    expect(HIGH_LOW_MIN_SPAN).toBe(3);
  });
});

/** A January–February release as a chart carries it: two average points with the total beside them. */
function combined(
  year: number,
  total: number,
  yoyPct: number | null,
  extra: Partial<FactPointInput> = {},
): FactPointInput[] {
  const p: FactPointInput = {
    period: `${year}-01/02`,
    value: total / 2,
    combinedValue: total,
    combinedMonths: 2,
    yoyPct,
    vintage: "bulletin",
    releaseId: `r-${year}-01/02`,
    ...extra,
  };
  return [p, { ...p }];
}
const month = (
  period: string,
  value: number | null,
  yoyPct: number | null,
  extra: Partial<FactPointInput> = {},
): FactPointInput => ({
  period,
  value,
  yoyPct,
  vintage: "bulletin",
  releaseId: `r-${period}`,
  ...extra,
});

describe("January–February as one period", () => {
  it("is one fact at its published total, its caveats saying the months are combined", () => {
    const facts = computeFacts(
      chartOf([
        ...combined(2022, 20, null),
        month("2022-12", 9, 5),
        ...combined(2023, 22, 10, { caveats: ["base-combined", "yoy-over-100"], vintage: "preliminary" }),
      ]),
    );
    expect(facts[0]).toEqual({
      id: "change:s:2023-01/02",
      kind: "change",
      series: "s",
      period: "2023-01/02",
      points: [
        { series: "s", period: "2023-01/02", value: 22, releaseId: "r-2023-01/02" },
        { series: "s", period: "2022-01/02", value: 20, releaseId: "r-2022-01/02" },
        { series: "s", period: "2022-12", value: 9, releaseId: "r-2022-12" },
      ],
      caveats: ["combined-months", "preliminary", "yoy-over-100"],
      value: 22,
      yoyPct: 10,
      previous: { period: "2022-12", yoyPct: 5 },
      reversed: false,
    });
    expect(facts.find((f) => f.kind === "streak")).toMatchObject({
      length: 2,
      includesCombined: true,
      caveats: ["combined-months", "preliminary", "yoy-over-100"],
    });
  });

  it("March follows the combined release, or February where the series has one", () => {
    const afterCombined = computeFacts(chartOf([...combined(2023, 20, -4), month("2023-03", 11, 6)]));
    expect(afterCombined[0]).toMatchObject({
      previous: { period: "2023-01/02", yoyPct: -4 },
      reversed: true,
    });
    const afterFebruary = computeFacts(
      chartOf([month("2023-01", 10, 3), month("2023-02", 10, -4), month("2023-03", 11, 6)]),
    );
    expect(afterFebruary[0]).toMatchObject({ previous: { period: "2023-02", yoyPct: -4 }, reversed: true });
  });

  it("a revised combined total is revised by its total, not its average", () => {
    const facts = computeFacts(
      chartOf(
        combined(2023, 22, null, {
          revised: true,
          previousValue: 10.5,
          previousReleaseId: "old",
          vintage: "preliminary",
        }),
      ),
    );
    expect(facts.find((f) => f.kind === "revision")).toEqual({
      id: "revision:s:2023-01/02",
      kind: "revision",
      series: "s",
      period: "2023-01/02",
      points: [{ series: "s", period: "2023-01/02", value: 22, releaseId: "r-2023-01/02" }],
      caveats: ["combined-months", "preliminary"],
      oldValue: 21,
      newValue: 22,
      vintage: "preliminary",
      oldReleaseId: "old",
      newReleaseId: "r-2023-01/02",
    });
  });

  it("a combined total is compared for highs only with other combined totals, every year's present", () => {
    const history = [
      ...combined(2019, 10, null),
      ...combined(2020, 12, null),
      ...combined(2021, 14, null),
      month("2021-03", 100, null),
      ...combined(2022, 13, null),
      month("2022-12", 200, null),
    ];
    const high = computeFacts(chartOf([...history, ...combined(2023, 15, null)])).filter(
      (f) => f.kind === "high-low",
    );
    expect(high).toEqual([
      expect.objectContaining({
        extreme: "high",
        since: null,
        historyStart: "2019-01/02",
        caveats: ["combined-months"],
      }),
    ]);
    const since = computeFacts(
      chartOf([...combined(2018, 16, null), ...history, ...combined(2023, 15, null)]),
    ).filter((f) => f.kind === "high-low");
    expect(since).toEqual([
      expect.objectContaining({ extreme: "high", since: "2018-01/02", historyStart: "2018-01/02" }),
    ]);
    // A year's combined release missing: "highest since" is not claimed; a record says its history has gaps.
    const missing = [
      ...combined(2018, 16, null),
      ...history.filter((p) => p.period !== "2020-01/02"),
      ...combined(2023, 15, null),
    ];
    expect(computeFacts(chartOf(missing)).some((f) => f.kind === "high-low")).toBe(false);
    const record = computeFacts(
      chartOf([
        ...combined(2017, 1, null),
        ...missing.filter((p) => p.period !== "2018-01/02"),
        ...combined(2024, 30, null),
      ]),
    );
    expect(record.filter((f) => f.kind === "high-low")).toEqual([
      expect.objectContaining({
        extreme: "high",
        since: null,
        historyStart: "2017-01/02",
        caveats: ["combined-months", "gaps-in-history"],
      }),
    ]);
  });

  it("a month is not the highest since a month before a combined release (its single months are unknown)", () => {
    const facts = computeFacts(
      chartOf([
        month("2022-10", 20, null),
        month("2022-11", 5, null),
        month("2022-12", 6, null),
        ...combined(2023, 14, null),
        month("2023-03", 8, null),
        month("2023-04", 9, null),
        month("2023-05", 10, null),
      ]),
    );
    // Beats 04, 03 and (skipping the combined release) 12, 11; stops at 2022-10 across the combined release.
    expect(facts.some((f) => f.kind === "high-low")).toBe(false);
  });
});

describe("which figure is the latest", () => {
  it("the chart's latest period, or the last figure before it where that period is a gap", () => {
    const points = [month("2023-05", 10, 1), month("2023-06", 11, 2), month("2023-07", null, null)];
    expect(computeFacts(chartOf(points, { latestPeriod: "2023-07" }))[0]).toMatchObject({
      period: "2023-06",
      value: 11,
    });
    expect(computeFacts(chartOf(points, { latestPeriod: "2023-05" }))[0]).toMatchObject({
      period: "2023-05",
      value: 10,
    });
    expect(computeFacts(chartOf(points, { latestPeriod: null }))[0]).toMatchObject({ period: "2023-06" });
    expect(computeFacts(chartOf(points, { latestPeriod: "2023-04" }))).toEqual([]);
  });

  it("a combined release sits at February: March is after it, December before it", () => {
    const points = [month("2022-12", 9, 1), ...combined(2023, 20, 2), month("2023-03", 11, 3)];
    // Listed out of order on purpose: facts sort by where a period sits on the axis.
    const shuffled = [points[3], points[0], points[1], points[2]] as FactPointInput[];
    expect(computeFacts(chartOf(shuffled, { latestPeriod: "2023-01/02" }))[0]).toMatchObject({
      period: "2023-01/02",
      value: 20,
    });
    expect(computeFacts(chartOf(shuffled, { latestPeriod: "2023-03" }))[0]).toMatchObject({
      period: "2023-03",
      previous: { period: "2023-01/02" },
    });
    expect(computeFacts(chartOf(shuffled, { latestPeriod: "2023-02" }))[0]).toMatchObject({
      period: "2023-01/02",
    });
  });
});

describe("year-to-date charts state the total and its change only", () => {
  it.each([
    [1.5, ["preliminary"], 2],
    [null, ["preliminary"], 1],
  ])("y/y %s", (yoyPct, caveats, points) => {
    const chart = chartOf(
      [
        month("2022-08", 100, null),
        month("2023-08", 101.5, yoyPct, {
          vintage: "preliminary",
          caveats: ["base-revised"].filter(() => yoyPct === null),
        }),
      ],
      { chartType: "ytd-by-year" },
    );
    const facts = computeFacts(chart);
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({
      id: "ytd:s:2023-08",
      kind: "ytd",
      period: "2023-08",
      value: 101.5,
      yoyPct,
      caveats,
    });
    expect(facts[0]?.points).toHaveLength(points);
  });

  it("a revised year-to-date total is a revision fact too", () => {
    const chart = chartOf([month("2023-08", 101, null, { revised: true, previousValue: 100 })], {
      chartType: "ytd-by-year",
    });
    expect(computeFacts(chart).map((f) => f.kind)).toEqual(["ytd", "revision"]);
  });
});

describe("revisions", () => {
  it.each([
    [{ revised: true, previousValue: 9 }, true],
    [{ revised: true, previousValue: 10 }, false],
    [{ revised: true, previousValue: null }, false],
    [{ revised: true }, false],
    [{ revised: false, previousValue: 9 }, false],
  ])("%j → a revision fact: %s", (extra, expected) => {
    const facts = computeFacts(chartOf([month("2023-08", 10, null, extra)]));
    expect(facts.some((f) => f.kind === "revision")).toBe(expected);
  });

  it("a revision without a vintage or releases says so with empty fields", () => {
    const p: FactPointInput = { period: "2023-08", value: 10, yoyPct: null, revised: true, previousValue: 9 };
    expect(computeFacts(chartOf([p])).find((f) => f.kind === "revision")).toMatchObject({
      vintage: "",
      oldReleaseId: null,
      newReleaseId: null,
      points: [{ series: "s", period: "2023-08", value: 10, releaseId: null }],
    });
  });
});

describe("a falling streak and a first fall", () => {
  it("counts falls, and names the last fall before a run of rises", () => {
    const down = computeFacts(
      chartOf([month("2023-05", 9, -3), month("2023-06", 8, -4), month("2023-07", 7, -5)]),
    );
    expect(down.find((f) => f.kind === "streak")).toMatchObject({
      direction: "down",
      length: 3,
      includesCombined: false,
    });
    const first = computeFacts(
      chartOf([
        month("2023-03", 9, -3),
        month("2023-04", 8, 0.2),
        month("2023-05", 7, 4),
        month("2023-06", 7, 5),
        month("2023-07", 7, -5),
      ]),
    );
    expect(first.find((f) => f.kind === "first-since")).toMatchObject({
      direction: "down",
      since: "2023-03",
    });
    expect(first.find((f) => f.kind === "change")).toMatchObject({
      reversed: true,
      previous: { period: "2023-06", yoyPct: 5 },
    });
    // After a little-changed month there is nothing to reverse.
    const flat = computeFacts(chartOf([month("2023-06", 7, 0.4), month("2023-07", 7, -5)]));
    expect(flat.find((f) => f.kind === "change")).toMatchObject({
      reversed: false,
      previous: { yoyPct: 0.4 },
    });
    expect(flat.some((f) => f.kind === "first-since")).toBe(false);
  });
});
