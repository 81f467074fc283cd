/**
 * Chart building (functions/domain/charts/build.ts) from stored levels: the numbers a newsroom
 * graphic shows. Exact values and y/y changes with their signs, which vintage wins, when a point is
 * flagged revised and what it was before, the January–February average, why a month is a gap, the
 * caveats on a computed change, year-to-date bars and the ranked partners. The store is the
 * in-memory port (test/fuzz/support/memory-ports.ts); no emulator is needed for pure functions.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { releaseAfterPeriod } from "../../functions/domain/calendar.js";
import {
  awaitingDataReason,
  buildChart,
  type ChartRelease,
  printedRoundingShare,
} from "../../functions/domain/charts/build.js";
import type { ChartDefinition, SeriesDefinition } from "../../functions/domain/charts/definitions.js";
import { CHART_SCHEMA_VERSION, type ChartPoint } from "../../functions/domain/charts/envelope.js";
import type { Flow, ObservationKind, Partner, Revision, Vintage } from "../../functions/domain/model.js";
import { type StoredObservation, seriesKeyOf } from "../../functions/domain/ports.js";
import { MemoryStore } from "../fuzz/support/memory-ports.js";

const RUS: Partner = { code: "RUS", nameAsPrinted: "Russian Federation", isGrouping: false };

interface ObsInput {
  period: string;
  value: number;
  kind?: ObservationKind;
  vintage?: Vintage;
  partner?: Partner;
  flow?: Flow;
  commodity?: string;
  currency?: "USD" | "CNY";
  printed?: string;
  release?: string;
  fetchedAt?: string;
  printedYtdYoyPct?: number;
  quantity?: number;
  acceptedAfterReview?: string;
}

const sha = (id: string) => Buffer.from(id).toString("hex").padEnd(64, "0").slice(0, 64);

function obs(i: ObsInput): StoredObservation {
  const vintage = i.vintage ?? "preliminary";
  const release = i.release ?? `${vintage}-${i.period}`;
  const o: StoredObservation = {
    seriesKey: "",
    reporter: "CHN",
    partner: i.partner ?? RUS,
    flow: i.flow ?? "imports",
    commodity: i.commodity ?? "TOTAL",
    period: i.period,
    kind: i.kind ?? "month",
    value: i.value,
    currency: i.currency ?? "USD",
    printed: { value: i.printed ?? String(i.value), unit: "US dollars" },
    vintage,
    provenance: {
      releaseId: release,
      url: `https://gacc.test/${release}.html`,
      sha256: sha(release),
      fetchedAt: i.fetchedAt ?? "2024-01-10T02:00:00.000Z",
      ...(i.acceptedAfterReview ? { acceptedAfterReview: i.acceptedAfterReview } : {}),
    },
    ...(i.printedYtdYoyPct !== undefined ? { printedYtdYoyPct: i.printedYtdYoyPct } : {}),
    ...(i.quantity !== undefined
      ? { quantity: { value: i.quantity, unit: "Ton", printedUnit: "Ton" }, commodityLabel: "Crude oil" }
      : {}),
  };
  o.seriesKey = seriesKeyOf(o);
  return o;
}

async function storeOf(observations: StoredObservation[], revisions: Revision[] = []) {
  const store = new MemoryStore();
  await store.write(observations, revisions);
  return store;
}

const release = (period: string, extra: Partial<ChartRelease> = {}): ChartRelease => ({
  table: "by-country",
  currency: "USD",
  period,
  publishable: true,
  heldBack: false,
  ...extra,
});

const MONTHLY: ChartDefinition = {
  id: "test-monthly",
  type: "monthly",
  title: "China's imports from Russia",
  subtitle: "Each month up to {period}, in thousands of US dollars",
  unit: { currency: "USD", multiplier: 1000, label: "US$ thousand" },
  source: { name: "GACC", url: "http://english.customs.gov.cn/" },
  series: [
    { key: "imports", label: "Imports from Russia", partner: "RUS", flow: "imports", commodity: "TOTAL" },
  ],
  notes: ["A note for readers."],
  methodology: ["How it is made."],
};

async function monthly(
  observations: StoredObservation[],
  releases: ChartRelease[],
  revisions: Revision[] = [],
  def: ChartDefinition = MONTHLY,
) {
  return buildChart(def, { observations: await storeOf(observations, revisions), releases });
}

const at = (points: ChartPoint[], chartPeriod: string) => {
  const p = points.find((x) => x.chartPeriod === chartPeriod);
  if (!p) throw new Error(`no point at ${chartPeriod}`);
  return p;
};

async function point(observations: StoredObservation[], chartPeriod: string, revisions: Revision[] = []) {
  const chart = await monthly(observations, [release("2023-03")], revisions);
  return { chart, p: at(chart.series[0]?.points ?? [], chartPeriod) };
}

describe("y/y change of a month against the same month a year earlier", () => {
  it.each([
    // [base a year earlier, this month, printed y/y]
    [100_000, 120_000, 20],
    [100_000, 75_000, -25],
    [300_000, 400_000, 33.3],
    [300_000, 200_000, -33.3],
    [200_000, 200_100, 0.1],
    [200_000, 199_800, -0.1],
    [-200_000, -100_000, 50], // a negative base (a balance) still gives a rise as a positive change
    [50_000, 100_000, 100],
  ])("base %d → %d gives %d%%", async (base, value, expected) => {
    const { p } = await point(
      [obs({ period: "2022-03", value: base }), obs({ period: "2023-03", value })],
      "2023-03",
    );
    expect(p.yoyPct).toBe(expected);
    expect(p.value).toBe(value / 1000);
  });

  it("has no y/y without a base, with a zero base, and never from another month", async () => {
    const noBase = await point(
      [obs({ period: "2022-04", value: 1000 }), obs({ period: "2023-03", value: 5000 })],
      "2023-03",
    );
    expect(noBase.p.yoyPct).toBeNull();
    expect(noBase.p.caveats).toBeUndefined();
    const zero = await point(
      [obs({ period: "2022-03", value: 0 }), obs({ period: "2023-03", value: 5000 })],
      "2023-03",
    );
    expect(zero.p.yoyPct).toBeNull();
    expect(zero.chart.warnings).toEqual([]);
  });

  it("is within half a tenth of a point of the exact change, with its sign", () => {
    return fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        async (base, value) => {
          const { p } = await point(
            [obs({ period: "2022-03", value: base, printed: "n/a" }), obs({ period: "2023-03", value })],
            "2023-03",
          );
          const exact = ((value - base) / base) * 100;
          expect(p.yoyPct).not.toBeNull();
          expect(Math.abs((p.yoyPct ?? Number.NaN) - exact)).toBeLessThanOrEqual(0.05 + 1e-9);
          if (Math.abs(exact) > 0.05) expect(Math.sign(p.yoyPct ?? 0)).toBe(Math.sign(exact));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("which vintage a chart shows, and revision flags", () => {
  const prelim = obs({ period: "2023-03", value: 100_000, vintage: "preliminary" });
  const bulletin = obs({ period: "2023-03", value: 110_000, vintage: "bulletin" });
  const query = obs({ period: "2023-03", value: 111_000, vintage: "query" });

  it.each([
    ["preliminary then bulletin", [prelim, bulletin], "bulletin", 110, 100, "preliminary-2023-03"],
    ["bulletin then preliminary", [bulletin, prelim], "bulletin", 110, 100, "preliminary-2023-03"],
    ["query over bulletin", [query, bulletin], "query", 111, 110, "bulletin-2023-03"],
    [
      "query over bulletin over preliminary",
      [bulletin, query, prelim],
      "query",
      111,
      110,
      "bulletin-2023-03",
    ],
  ] as const)("%s", async (_, stored, vintage, value, previous, previousRelease) => {
    const { chart, p } = await point([...stored], "2023-03");
    expect(p).toMatchObject({
      vintage,
      value,
      revised: true,
      previousValue: previous,
      previousReleaseId: previousRelease,
    });
    expect(p.releaseId).toBe(`${vintage}-2023-03`);
    expect(p.sha256).toBe(sha(`${vintage}-2023-03`));
    expect(p.previousSha256).toBe(sha(previousRelease));
    // Both releases are named in the chart's provenance: the value shown and the one it replaced.
    expect(chart.provenance.map((x) => x.releaseId)).toContain(previousRelease);
    expect(chart.provenance.map((x) => x.releaseId)).toContain(`${vintage}-2023-03`);
  });

  it("a later vintage with the same value is not a revision", async () => {
    const same = obs({ period: "2023-03", value: 100_000, vintage: "bulletin" });
    const { chart, p } = await point([prelim, same], "2023-03");
    expect(p).toMatchObject({
      vintage: "bulletin",
      value: 100,
      revised: false,
      releaseId: "bulletin-2023-03",
    });
    expect(p.previousValue).toBeUndefined();
    expect(p.previousReleaseId).toBeUndefined();
    expect(chart.provenance.map((x) => x.releaseId)).toEqual(["bulletin-2023-03"]);
  });

  const current = obs({ period: "2023-03", value: 105_000, release: "prelim-v3" });
  const revision = (
    oldValue: number,
    newValue: number,
    revisedAt: string,
    extra: Partial<Revision> = {},
  ): Revision => ({
    seriesKey: current.seriesKey,
    kind: "month",
    period: "2023-03",
    vintage: "preliminary",
    oldValue,
    newValue,
    oldRelease: { ...current.provenance, releaseId: `old-${oldValue}`, sha256: sha(`old-${oldValue}`) },
    newRelease: current.provenance,
    revisedAt,
    ...extra,
  });

  it("a stored revision of the value shown flags it, the latest revision naming the value before", async () => {
    const { chart, p } = await point(
      [current],
      "2023-03",
      // Listed out of order: the revision made last is the one readers are told about.
      [revision(100_000, 105_000, "2024-02-01T00:00:00Z"), revision(90_000, 105_000, "2024-01-01T00:00:00Z")],
    );
    expect(p).toMatchObject({
      value: 105,
      revised: true,
      previousValue: 100,
      previousReleaseId: "old-100000",
    });
    expect(p.previousSha256).toBe(sha("old-100000"));
    expect(chart.provenance.map((x) => x.releaseId)).toEqual(["old-100000", "prelim-v3"]);
  });

  it.each([
    ["of another vintage", revision(100_000, 105_000, "2024-02-01T00:00:00Z", { vintage: "bulletin" })],
    ["to a value no longer shown", revision(100_000, 104_000, "2024-02-01T00:00:00Z")],
    ["of another period", revision(100_000, 105_000, "2024-02-01T00:00:00Z", { period: "2023-02" })],
    ["of another kind", revision(100_000, 105_000, "2024-02-01T00:00:00Z", { kind: "ytd" })],
  ])("a revision %s does not flag the point", async (_, r) => {
    const { p } = await point([current], "2023-03", [r]);
    expect(p.revised).toBe(false);
    expect(p.previousValue).toBeUndefined();
  });
});

describe("January–February: one combined figure shown as its monthly average", () => {
  const janFeb = (year: string, value: number, extra: Partial<ObsInput> = {}) =>
    obs({ period: `${year}-01/02`, kind: "jan-feb", value, printed: "n/a", ...extra });

  it("puts half the total at January and at February, the exact total beside it, y/y of the totals", async () => {
    const chart = await monthly(
      [janFeb("2022", 160_000), janFeb("2023", 200_000, { printedYtdYoyPct: 9.9 })],
      [release("2023-01/02")],
    );
    const points = chart.series[0]?.points ?? [];
    expect(points.map((p) => p.chartPeriod)).toEqual([
      "2022-01",
      "2022-02",
      ...["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]
        .map((m) => `2022-${m}`)
        .slice(2),
      "2023-01",
      "2023-02",
    ]);
    for (const m of ["01", "02"]) {
      expect(at(points, `2023-${m}`)).toEqual({
        period: "2023-01/02",
        chartPeriod: `2023-${m}`,
        periodLabel: "January–February 2023, monthly average",
        value: 100,
        valueBasis: "average-of-combined",
        combinedMonths: 2,
        combinedValue: 200,
        yoyPct: 25,
        caveats: ["base-combined"],
        vintage: "preliminary",
        revised: false,
        releaseId: "preliminary-2023-01/02",
        sha256: sha("preliminary-2023-01/02"),
      });
      expect(at(points, `2022-${m}`)).toMatchObject({ value: 80, combinedValue: 160, yoyPct: null });
    }
    // The months between are gaps, not interpolated.
    expect(at(points, "2022-07")).toMatchObject({ value: null, missing: "not-fetched", yoyPct: null });
    expect(chart.warnings).toEqual([
      "Imports from Russia, January–February 2023: +25% from a year earlier; it compares two-month January–February totals, as China's customs publishes them.",
    ]);
    expect(chart.latestPeriod).toBe("2023-01/02");
  });

  it("halves a revised total's previous value too", async () => {
    const { p } = await point(
      [janFeb("2023", 200_000), janFeb("2023", 210_000, { vintage: "bulletin" })],
      "2023-02",
    );
    expect(p).toMatchObject({ value: 105, combinedValue: 210, previousValue: 100, revised: true });
  });

  it("an observed month wins over the average at its place", async () => {
    const chart = await monthly(
      // The combined figure stored first: the observed month still wins.
      [janFeb("2023", 200_000), obs({ period: "2023-01", value: 90_000 })],
      [release("2023-01/02")],
    );
    const points = chart.series[0]?.points ?? [];
    expect(points.map((p) => [p.chartPeriod, p.value, p.valueBasis])).toEqual([
      ["2023-01", 90, "observed"],
      ["2023-02", 100, "average-of-combined"],
    ]);
  });

  it.each([
    ["a January–February average, then March", ["2023-03"], ["2023-01", "2023-02", "2023-03"]],
    [
      "a January–February average, then April and May",
      ["2023-04", "2023-05"],
      ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05"],
    ],
  ])("the span starts at January: %s", async (_, months, shown) => {
    const chart = await monthly(
      [janFeb("2023", 200_000), ...months.map((period) => obs({ period, value: 120_000 }))],
      [release(months.at(-1) ?? "")],
    );
    expect(chart.series[0]?.points.map((p) => p.chartPeriod)).toEqual(shown);
    expect(chart.series[0]?.points.slice(0, 2).map((p) => [p.value, p.valueBasis])).toEqual([
      [100, "average-of-combined"],
      [100, "average-of-combined"],
    ]);
  });

  it("year-to-date figures are never drawn as months", async () => {
    const chart = await monthly(
      [obs({ period: "2023-03", value: 5000 }), obs({ period: "2023-04", kind: "ytd", value: 999_000 })],
      [release("2023-03")],
    );
    expect(chart.series[0]?.points.map((p) => [p.chartPeriod, p.value])).toEqual([["2023-03", 5]]);
  });
});

describe("every month of the span is present; a gap says why", () => {
  it("names held back, not published and not fetched months, up to the latest release", async () => {
    const chart = await monthly(
      [obs({ period: "2023-03", value: 3000 }), obs({ period: "2023-06", value: 6000 })],
      [
        release("2023-04", { publishable: false, heldBack: true }),
        release("2023-05", { publishable: true }),
        release("2023-08"),
        // Not this chart's source set: another table, another currency.
        release("2023-07", { table: "query-platform", heldBack: true, publishable: false }),
        release("2023-09", { currency: "CNY" }),
        release("2023-10", { table: "major-imports-by-quantity" }),
        // A Bulletin release is in the set: its period is a month this chart can hold.
        release("2023-09", { table: "bulletin-by-country", publishable: false, heldBack: true }),
      ],
    );
    const points = chart.series[0]?.points ?? [];
    expect(points.map((p) => [p.chartPeriod, p.value, p.missing ?? p.valueBasis])).toEqual([
      ["2023-03", 3, "observed"],
      ["2023-04", null, "held-back"],
      ["2023-05", null, "not-published"],
      ["2023-06", 6, "observed"],
      ["2023-07", null, "not-fetched"],
      ["2023-08", null, "not-published"],
    ]);
    expect(at(points, "2023-04")).toEqual({
      period: "2023-04",
      chartPeriod: "2023-04",
      periodLabel: "April 2023",
      value: null,
      missing: "held-back",
      yoyPct: null,
    });
    // The span ends at the latest publishable release of the set (2023-08), which prints no figure here.
    expect(chart.latestPeriod).toBe("2023-08");
  });

  it("extends to the latest release, a January–February one held back at both months", async () => {
    const chart = await monthly(
      [obs({ period: "2023-11", value: 1000 })],
      [
        release("2023-11"),
        release("2023-12", { heldBack: true }),
        release("2024-01/02", { heldBack: true, publishable: true }),
      ],
    );
    expect(chart.series[0]?.points.map((p) => [p.chartPeriod, p.missing ?? p.value])).toEqual([
      ["2023-11", 1],
      ["2023-12", "held-back"],
      ["2024-01", "held-back"],
      ["2024-02", "held-back"],
    ]);
    expect(chart.latestPeriod).toBe("2024-01/02");
    expect(chart.nextRelease).toEqual(releaseAfterPeriod("preliminary", "2024-01/02"));
  });

  it("a held-back January–February release says nothing about other months", async () => {
    const chart = await monthly(
      [obs({ period: "2023-04", value: 4000 }), obs({ period: "2023-06", value: 6000 })],
      [release("2023-01/02", { heldBack: true, publishable: false }), release("2023-06")],
    );
    expect(chart.series[0]?.points.map((p) => p.missing ?? p.value)).toEqual([4, "not-fetched", 6]);
  });

  it("figures past the latest publishable release are still drawn", async () => {
    const chart = await monthly(
      [obs({ period: "2023-03", value: 3000 }), obs({ period: "2023-06", value: 6000 })],
      [release("2023-04"), release("2023-06", { heldBack: true })],
    );
    expect(chart.series[0]?.points.map((p) => [p.chartPeriod, p.missing ?? p.value])).toEqual([
      ["2023-03", 3],
      ["2023-04", "not-published"],
      ["2023-05", "not-fetched"],
      ["2023-06", 6],
    ]);
  });

  it("a held-back month whose figures were published before still counts as held back", async () => {
    const chart = await monthly(
      [obs({ period: "2023-01", value: 1000 })],
      [release("2023-02", { publishable: true, heldBack: true }), release("2023-03")],
    );
    expect(chart.series[0]?.points.map((p) => p.missing ?? p.value)).toEqual([
      1,
      "held-back",
      "not-published",
    ]);
  });
});

describe("caveats on a computed change", () => {
  it("flags a change over 100%, with the sign in the warning", async () => {
    const { chart, p } = await point(
      [obs({ period: "2022-03", value: 100_001 }), obs({ period: "2023-03", value: 250_002 })],
      "2023-03",
    );
    expect(p.yoyPct).toBe(150);
    expect(p.caveats).toEqual(["yoy-over-100"]);
    expect(chart.warnings).toEqual([
      "Imports from Russia, March 2023: +150% from a year earlier; a change of more than 100% is rare and usually says more about the base than the month.",
    ]);
  });

  it.each([
    [100_001, 200_002, 100, undefined],
    [100_001, 3, -100, undefined],
    [100_001, 200_003, 100, undefined],
    [100_001, 210_003, 110, ["yoy-over-100"]],
    [-100_001, -310_003, -210, ["yoy-over-100"]],
  ])("base %d → %d (%d%%): caveats %j", async (base, value, pct, caveats) => {
    const { p } = await point(
      [obs({ period: "2022-03", value: base }), obs({ period: "2023-03", value })],
      "2023-03",
    );
    expect(p.yoyPct).toBe(pct);
    expect(p.caveats).toEqual(caveats);
  });

  it("flags a base printed so rounded that the change could be off by more than a point", async () => {
    // "5000.0" thousand is rounded to thousands: ±500 on 5,000,000, ±10% of the base.
    const rounded = await point(
      [
        obs({ period: "2022-03", value: 5_000_000, printed: "5000.0" }),
        obs({ period: "2023-03", value: 5_500_000 }),
      ],
      "2023-03",
    );
    expect(rounded.p.yoyPct).toBe(10);
    expect(rounded.p.caveats).toEqual(["base-rounded"]);
    expect(rounded.chart.warnings).toEqual([
      "Imports from Russia, March 2023: +10% from a year earlier; the figure a year earlier was published rounded (US$5.0 million), so the change could be off by about 11 percentage points.",
    ]);
    const precise = await point(
      [
        obs({ period: "2022-03", value: 5_000_000, printed: "5000.1" }),
        obs({ period: "2023-03", value: 5_500_000 }),
      ],
      "2023-03",
    );
    expect(precise.p.caveats).toBeUndefined();
    expect(precise.chart.warnings).toEqual([]);
  });

  it("flags a revised base and a falling change without a plus sign", async () => {
    const { chart, p } = await point(
      [
        obs({ period: "2022-03", value: 200_003, vintage: "preliminary" }),
        obs({ period: "2022-03", value: 200_007, vintage: "bulletin" }),
        obs({ period: "2023-03", value: 150_001 }),
      ],
      "2023-03",
    );
    expect(p.yoyPct).toBe(-25);
    expect(p.caveats).toEqual(["base-revised"]);
    expect(chart.warnings).toEqual([
      "Imports from Russia, March 2023: -25% from a year earlier; the figure a year earlier was revised after it was first published.",
    ]);
  });

  it("a zero change with a caveat has no sign", async () => {
    const { chart } = await point(
      [
        obs({ period: "2022-03", value: 200_003, vintage: "preliminary" }),
        obs({ period: "2022-03", value: 200_007, vintage: "bulletin" }),
        obs({ period: "2023-03", value: 200_007 }),
      ],
      "2023-03",
    );
    expect(chart.warnings[0]).toMatch(/^Imports from Russia, March 2023: 0% from a year earlier; /);
  });

  it("flags a base below a tenth of the series' median month", () => {
    // Oracle: the median of every stored month's level, the base compared with a tenth of it.
    const median = (xs: number[]) => {
      const v = [...xs].sort((a, b) => a - b);
      const mid = Math.floor(v.length / 2);
      return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
    };
    return fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 120 }),
        async (others, base) => {
          const months = others.map((v, i) =>
            obs({ period: `2021-${String(i + 1).padStart(2, "0")}`, value: v * 1013, printed: "n/a" }),
          );
          const stored = [
            ...months,
            obs({ period: "2022-03", value: base * 1013, printed: "n/a" }),
            obs({ period: "2023-03", value: base * 1013 }),
          ];
          const { p } = await point(stored, "2023-03");
          const levels = stored.map((o) => o.value);
          const small = base * 1013 < median(levels) * 0.1;
          expect(p.yoyPct).toBe(0);
          expect(p.caveats).toEqual(small ? ["base-small"] : undefined);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("a base exactly a tenth of the median is not small", async () => {
    const stored = [
      obs({ period: "2022-01", value: 1_000_000, printed: "n/a" }),
      obs({ period: "2022-02", value: 1_000_000, printed: "n/a" }),
      obs({ period: "2022-03", value: 100_000, printed: "n/a" }),
      obs({ period: "2022-04", value: 1_000_000, printed: "n/a" }),
      obs({ period: "2023-03", value: 100_000 }),
    ];
    expect((await point(stored, "2023-03")).p.caveats).toBeUndefined();
    stored[2] = obs({ period: "2022-03", value: 99_999, printed: "n/a" });
    stored[4] = obs({ period: "2023-03", value: 99_999 });
    const small = await point(stored, "2023-03");
    expect(small.p.caveats).toEqual(["base-small"]);
    expect(small.chart.warnings).toEqual([
      "Imports from Russia, March 2023: 0% from a year earlier; the figure a year earlier was unusually small.",
    ]);
  });

  it("the median counts months only, not January–February totals", async () => {
    const stored = [
      obs({ period: "2020-01/02", kind: "jan-feb", value: 9_000_000, printed: "n/a" }),
      obs({ period: "2021-01/02", kind: "jan-feb", value: 9_000_000, printed: "n/a" }),
      obs({ period: "2021-05", value: 20_000, printed: "n/a" }),
      obs({ period: "2022-03", value: 1000, printed: "n/a" }),
      obs({ period: "2023-03", value: 1000 }),
    ];
    // Months: 1,000, 1,000, 20,000 → median 1,000; with the combined totals counted it would be 20,000.
    expect((await point(stored, "2023-03")).p.caveats).toBeUndefined();
  });
});

describe("printedRoundingShare: how rounded a printed figure is", () => {
  it.each([
    ["5000.0", 0.1],
    ["5,000", 0.1],
    ["5000.1", 0.05 / 5000.1],
    ["120.25", 0.005 / 120.25],
    ["120.05", 0.005 / 120.05],
    ["1.500", 0.05 / 1.5],
    ["-300", 50 / 300],
    ["1234", 0.5 / 1234],
    ["0.50", 0.05 / 0.5],
    [" 70 ", 5 / 70],
  ])("%s → %d", (printed, share) => {
    expect(printedRoundingShare(printed)).toBeCloseTo(share, 12);
  });

  it.each(["0", "0.0", "n/a", "", "1.2.3", "12a", "a12", "--5"])("%j has no rounding share", (printed) => {
    expect(printedRoundingShare(printed)).toBeUndefined();
  });
});

describe("quantity charts", () => {
  const QTY: ChartDefinition = {
    ...MONTHLY,
    id: "test-qty",
    unit: { currency: null, multiplier: 1000, label: "thousand tons", quantityUnit: "Ton" },
    series: [
      {
        key: "crude",
        label: "Crude oil imports",
        flow: "imports",
        commodity: "cat:crude-oil",
        measure: "quantity",
        currency: "CNY",
      },
    ],
  };
  const WORLD: Partner = { code: "WORLD", nameAsPrinted: "Total", isGrouping: true };
  const crude = (
    period: string,
    value: number,
    quantity: number | undefined,
    vintage: Vintage = "preliminary",
  ) =>
    obs({
      period,
      value,
      partner: WORLD,
      commodity: "cat:crude-oil",
      currency: "CNY",
      vintage,
      printed: "5000.0",
      ...(quantity !== undefined ? { quantity } : {}),
    });

  it("plots the quantity with its y/y, flags revisions without a previous value, skips months without a quantity", async () => {
    const chart = await buildChart(QTY, {
      observations: await storeOf([
        crude("2022-03", 5_000_000, 40_000),
        crude("2023-03", 5_000_000, 50_000),
        crude("2023-03", 5_100_000, 50_000, "bulletin"),
        crude("2023-04", 6_000_000, undefined),
        crude("2022-05", 6_000_000, undefined),
        crude("2023-05", 6_000_000, 1000),
      ]),
      releases: [release("2023-05", { table: "major-imports-by-quantity", currency: "CNY" })],
    });
    const points = chart.series[0]?.points ?? [];
    expect(points.map((p) => [p.chartPeriod, p.value, p.yoyPct, p.missing ?? p.vintage])).toEqual([
      ["2022-03", 40, null, "preliminary"],
      ...["04", "05", "06", "07", "08", "09", "10", "11", "12"].map((m) => [
        `2022-${m}`,
        null,
        null,
        "not-fetched",
      ]),
      ["2023-01", null, null, "not-fetched"],
      ["2023-02", null, null, "not-fetched"],
      ["2023-03", 50, 25, "bulletin"],
      ["2023-04", null, null, "not-fetched"],
      // A year earlier there is a value but no quantity: no change can be computed.
      ["2023-05", 1, null, "preliminary"],
    ]);
    const march = at(points, "2023-03");
    expect(march.revised).toBe(true);
    expect(march.previousValue).toBeUndefined();
    expect(march.previousReleaseId).toBeUndefined();
    // The printed value's rounding says nothing about the quantity's: no base-rounded caveat.
    expect(march.caveats).toBeUndefined();
    expect(chart.nextRelease).toEqual(releaseAfterPeriod("preliminary", "2023-05"));
    expect(awaitingDataReason(QTY, [])).toBe("No release this chart is built from has been fetched yet.");
  });
});

const YTD: ChartDefinition = {
  ...MONTHLY,
  id: "test-ytd",
  type: "ytd-by-year",
  subtitle: "Goods traded in {period} of each year",
  series: [
    { key: "imports", label: "Imports from Russia", partner: "RUS", flow: "imports", commodity: "TOTAL" },
    { key: "exports", label: "Exports to Russia", partner: "RUS", flow: "exports", commodity: "TOTAL" },
  ],
};

describe("year-to-date bars: the same months of every year", () => {
  const ytd = (period: string, value: number, extra: Partial<ObsInput> = {}) =>
    obs({ period, kind: "ytd", value, printed: "n/a", ...extra });

  it("compares each year's January–August, with exact values and y/y", async () => {
    const chart = await buildChart(YTD, {
      observations: await storeOf([
        ytd("2022-08", 800_000),
        ytd("2023-08", 1_000_000, { printedYtdYoyPct: 24.5 }),
        ytd("2023-09", 1_200_000),
        ytd("2024-08", 900_000, { printedYtdYoyPct: -10.2 }),
        ytd("2024-07", 700_000, { flow: "exports" }),
        obs({ period: "2024-08", value: 111_000 }),
        // A later single month: not a year-to-date figure, so the bars still compare January–August.
        obs({ period: "2024-09", value: 112_000 }),
      ]),
      releases: [release("2024-08")],
    });
    const imports = chart.series[0]?.points ?? [];
    expect(imports.map((p) => [p.periodLabel, p.chartPeriod, p.period, p.value, p.yoyPct])).toEqual([
      ["January–August 2022", "2022-08", "2022-08", 800, null],
      ["January–August 2023", "2023-08", "2023-08", 1000, 25],
      ["January–August 2024", "2024-08", "2024-08", 900, -10],
    ]);
    // Exports print no January–August figure: a gap per year would need a year; the series is empty.
    expect(chart.series[1]?.points).toEqual([]);
    expect(chart.ytdMonths).toEqual({ from: "01", to: "08", label: "January–August" });
    expect(chart.subtitle).toBe("Goods traded in January–August of each year");
    // Printed and computed agree within rounding (0.5 and 0.2 points): no warning.
    expect(chart.warnings).toEqual([]);
    expect(chart.latestPeriod).toBe("2024-08");
  });

  it("warns when China's customs printed a y/y the stored figures do not give", async () => {
    const chart = await buildChart(YTD, {
      observations: await storeOf([
        ytd("2022-08", 800_000),
        ytd("2023-08", 1_000_000, { printedYtdYoyPct: 24.3 }),
      ]),
      releases: [release("2023-08")],
    });
    expect(chart.warnings).toEqual([
      "Imports from Russia, January–August 2023: China's customs printed 24.3% from a year earlier, but the figures stored give 25% (last year's figure may have been revised).",
    ]);
  });

  it("a year without the total is a gap with its reason; the next year has no y/y", async () => {
    const chart = await buildChart(YTD, {
      observations: await storeOf([
        ytd("2021-05", 500_000, { printedYtdYoyPct: 7.5 }),
        ytd("2023-05", 600_000),
        // A combined January–February total is no January–May figure.
        obs({ period: "2022-01/02", kind: "jan-feb", value: 200_000, printed: "n/a" }),
      ]),
      releases: [release("2022-05", { heldBack: true, publishable: false }), release("2023-05")],
    });
    expect(chart.series[0]?.points).toEqual([
      expect.objectContaining({ periodLabel: "January–May 2021", value: 500, yoyPct: null }),
      {
        period: "2022-05",
        chartPeriod: "2022-05",
        periodLabel: "January–May 2022",
        value: null,
        missing: "held-back",
        yoyPct: null,
      },
      expect.objectContaining({ periodLabel: "January–May 2023", value: 600, yoyPct: null }),
    ]);
    // 2021 printed a y/y the store cannot check (no 2020 figure): no warning.
    expect(chart.warnings).toEqual([]);
  });

  it("ends at the latest month any series prints, even past the latest release", async () => {
    const chart = await buildChart(YTD, {
      observations: await storeOf([
        ytd("2023-05", 600_000),
        ytd("2023-06", 700_000, { flow: "exports" }),
        ytd("2022-06", 350_000, { flow: "exports" }),
      ]),
      releases: [release("2023-05")],
    });
    // Imports print no January–June total in any year: no bars (a gap needs a year to stand in).
    expect(chart.series[0]?.points).toEqual([]);
    expect(chart.series[1]?.points.map((p) => [p.periodLabel, p.value, p.yoyPct])).toEqual([
      ["January–June 2022", 350, null],
      ["January–June 2023", 700, 100],
    ]);
    expect(chart.ytdMonths?.to).toBe("06");
  });

  it("January–February: the combined totals are the year-to-date figures", async () => {
    const chart = await buildChart(YTD, {
      observations: await storeOf([
        obs({ period: "2023-01/02", kind: "jan-feb", value: 200_000, printed: "n/a" }),
        obs({ period: "2024-01/02", kind: "jan-feb", value: 150_000, printed: "n/a", printedYtdYoyPct: -25 }),
        ytd("2023-03", 300_000),
      ]),
      releases: [release("2024-01/02")],
    });
    expect(
      chart.series[0]?.points.map((p) => [
        p.periodLabel,
        p.chartPeriod,
        p.period,
        p.value,
        p.yoyPct,
        p.caveats,
      ]),
    ).toEqual([
      ["January–February 2023", "2023-02", "2023-01/02", 200, null, undefined],
      ["January–February 2024", "2024-02", "2024-01/02", 150, -25, ["base-combined"]],
    ]);
    expect(chart.ytdMonths).toEqual({ from: "01", to: "02", label: "January–February" });
    expect(chart.subtitle).toBe("Goods traded in January–February of each year");
  });

  it("quantity bars: a year without a quantity is a gap; GACC's printed y/y (of values) is not compared", async () => {
    const def: ChartDefinition = {
      ...YTD,
      unit: { currency: null, multiplier: 1, label: "tons", quantityUnit: "Ton" },
      series: [{ ...(YTD.series[0] as SeriesDefinition), measure: "quantity", currency: "USD" }],
    };
    const chart = await buildChart(def, {
      observations: await storeOf([
        ytd("2022-08", 800_000, { quantity: 100 }),
        ytd("2023-08", 1_000_000, { quantity: 120, printedYtdYoyPct: 25 }),
        ytd("2024-08", 1_100_000),
      ]),
      releases: [release("2024-08")],
    });
    expect(chart.series[0]?.points.map((p) => [p.periodLabel, p.value, p.yoyPct, p.missing])).toEqual([
      ["January–August 2022", 100, null, undefined],
      ["January–August 2023", 120, 20, undefined],
      ["January–August 2024", null, null, "not-published"],
    ]);
    expect(chart.warnings).toEqual([]);
  });

  it("a year-to-date total ending in January is named January, not January–January", async () => {
    const chart = await buildChart(YTD, {
      observations: await storeOf([ytd("2024-01", 100_000)]),
      releases: [release("2024-01")],
    });
    expect(chart.series[0]?.points.map((p) => p.periodLabel)).toEqual(["January 2024"]);
    expect(chart.ytdMonths).toEqual({ from: "01", to: "01", label: "January" });
  });

  it("without any year-to-date figure every series is empty and nothing is dated", async () => {
    const chart = await buildChart(YTD, {
      observations: await storeOf([obs({ period: "2024-03", value: 1000 })]),
      releases: [release("2024-03")],
    });
    expect(chart.series.map((s) => s.points)).toEqual([[], []]);
    expect(chart).toMatchObject({ latestPeriod: null, updatedAt: null, nextRelease: null });
    expect(chart.ytdMonths).toBeUndefined();
    expect(chart.subtitle).toBe("Goods traded in the latest month of each year");
  });
});

const TOP: ChartDefinition = {
  ...MONTHLY,
  id: "test-top",
  type: "top-partners",
  subtitle: "China's largest partners in {period}",
  unit: { currency: "CNY", multiplier: 1, label: "yuan" },
  top: 2,
  series: [
    { key: "total", label: "Total trade", flow: "total", commodity: "TOTAL" },
    { key: "exports", label: "Exports", flow: "exports", commodity: "TOTAL" },
  ],
};

describe("top partners: the ranked bars", () => {
  const p = (code: string, name: string, isGrouping = false): Partner => ({
    code,
    nameAsPrinted: name,
    isGrouping,
  });
  const USA = p("USA", "United States");
  const JPN = p("JPN", "Japan");
  const KOR = p("KOR", "Korea");
  const row = (
    partner: Partner,
    flow: Flow,
    period: string,
    value: number,
    vintage: Vintage = "preliminary",
    fetchedAt?: string,
  ) =>
    obs({
      ...(fetchedAt ? { fetchedAt } : {}),
      partner,
      flow,
      period,
      value,
      currency: "CNY",
      vintage,
      printed: "n/a",
      kind: period.includes("/") ? "jan-feb" : "month",
    });

  it("ranks by the first series' flow, ties by code, groupings left out, the best vintage shown", async () => {
    const chart = await buildChart(TOP, {
      observations: await storeOf([
        // Bulletin stored first: still the bulletin is shown.
        row(USA, "total", "2024-03", 520, "bulletin"),
        row(USA, "total", "2024-03", 500),
        // A code the partner registry does not know is ranked like any partner (here too small).
        row(p("ZZZ", "Somewhere"), "total", "2024-03", 1),
        row(KOR, "total", "2024-03", 400),
        row(JPN, "total", "2024-03", 400),
        row(JPN, "exports", "2024-03", 1000),
        row(p("EU", "European Union", true), "total", "2024-03", 9000),
        // Flagged a grouping by the partner registry even when the row did not say so.
        row(p("ASEAN", "ASEAN"), "total", "2024-03", 8000),
        row(USA, "total", "2023-03", 390, "bulletin", "2024-04-09T00:00:00Z"),
        row(USA, "total", "2023-03", 400),
        row(JPN, "total", "2023-03", 150),
        row(JPN, "exports", "2023-03", 800),
        // Another month, another currency: not this chart's cross-section.
        row(KOR, "total", "2024-02", 9999),
        obs({ partner: KOR, flow: "total", period: "2024-03", value: 7777, currency: "USD" }),
      ]),
      releases: [release("2024-03", { currency: "CNY" }), release("2024-02", { currency: "CNY" })],
    });
    const [total, exports] = chart.series;
    expect(
      total?.points.map((x) => [x.category, x.categoryLabel, x.value, x.yoyPct, x.vintage, x.periodLabel]),
    ).toEqual([
      ["USA", "United States", 520, 33.3, "bulletin", "March 2024"],
      ["JPN", "Japan", 400, 166.7, "preliminary", "March 2024"],
    ]);
    expect(total?.points.map((x) => x.caveats)).toEqual([undefined, ["yoy-over-100"]]);
    expect(chart.warnings).toEqual([
      "Total trade, Japan, March 2024: +166.7% from a year earlier; a change of more than 100% is rare and usually says more about the base than the month.",
    ]);
    // The exports bars follow the same partners; one without an exports figure has no bar.
    expect(exports?.points.map((x) => [x.category, x.value, x.yoyPct])).toEqual([["JPN", 1000, 25]]);
    // Dated by the latest figure read, a year-ago one included.
    expect(chart.updatedAt).toBe("2024-04-09T00:00:00Z");
    expect(chart.subtitle).toBe("China's largest partners in March 2024");
    expect(chart.latestPeriod).toBe("2024-03");
  });

  it("shows ten partners unless told, and a January–February release by its combined totals", async () => {
    const codes = ["AUS", "BRA", "CAN", "DEU", "FRA", "GBR", "IND", "ITA", "JPN", "KOR", "MEX", "USA"];
    const { top: _, ...def } = TOP;
    const chart = await buildChart(def, {
      observations: await storeOf([
        ...codes.map((c, i) => row(p(c, c), "total", "2024-01/02", 100 + i)),
        row(p("XXX", "Month only"), "total", "2024-02", 5000),
      ]),
      releases: [release("2024-01/02", { currency: "CNY" })],
    });
    expect(chart.series[0]?.points.map((x) => x.category)).toEqual([...codes].reverse().slice(0, 10));
    expect(chart.series[0]?.points[0]).toMatchObject({
      value: 111,
      period: "2024-01/02",
      periodLabel: "January–February 2024",
    });
  });

  // Russia's total trade at the chart's month (first), and in each period stored before it.
  it.each([
    ["a January–February release: the December before", "2024-01/02", ["2023-12"], "2023-12"],
    ["March with February stored as a month: February", "2024-03", ["2024-02", "2024-01/02"], "2024-02"],
    ["March without a February month: January–February", "2024-03", ["2024-01/02"], "2024-01/02"],
    ["May: April, never January–February", "2024-05", ["2024-04", "2024-01/02"], "2024-04"],
  ])("moves in rank since the period before: %s", async (_, period, before, previousPeriod) => {
    const RUS_P = p("RUS", "Russian Federation");
    const chart = await buildChart(TOP, {
      observations: await storeOf([
        row(USA, "total", period, 500),
        row(RUS_P, "total", period, 400),
        // Russia first in every earlier period.
        ...before.flatMap((b) => [row(USA, "total", b, 100), row(RUS_P, "total", b, 300)]),
      ]),
      releases: [release(period, { currency: "CNY" })],
    });
    const rus = chart.series[0]?.points.find((x) => x.category === "RUS");
    expect(rus?.rank).toBe(2);
    expect(rus?.rankPrevious).toEqual({
      period: previousPeriod,
      rank: 1,
      releaseId: `preliminary-${previousPeriod}`,
    });
  });

  it.each([
    ["preliminary stored first", ["preliminary", "bulletin"]],
    ["bulletin stored first", ["bulletin", "preliminary"]],
  ] as const)(
    "shows the bulletin over the preliminary figure whichever was stored first (%s), not as a revision",
    async (_, order) => {
      const value = { preliminary: 500, bulletin: 520 };
      const chart = await buildChart(TOP, {
        observations: await storeOf(order.map((v) => row(USA, "total", "2024-03", value[v], v))),
        releases: [release("2024-03", { currency: "CNY" })],
      });
      expect(chart.series[0]?.points.map((x) => [x.category, x.value, x.vintage, x.revised])).toEqual([
        ["USA", 520, "bulletin", false],
      ]);
    },
  );

  it("has no bars before any release", async () => {
    const chart = await buildChart(TOP, {
      observations: await storeOf([row(USA, "total", "2024-03", 500)]),
      releases: [release("2024-03", { currency: "CNY", publishable: false, heldBack: true })],
    });
    expect(chart.series).toEqual([
      { key: "total", label: "Total trade", points: [] },
      { key: "exports", label: "Exports", points: [] },
    ]);
    expect(chart.subtitle).toBe("China's largest partners in the latest month");
  });
});

describe("the chart envelope", () => {
  it("dates, sources and notes the chart from what it read", async () => {
    const chart = await monthly(
      [
        obs({
          period: "2023-02",
          value: 2000,
          release: "r-b",
          fetchedAt: "2024-02-01T00:00:00Z",
          acceptedAfterReview: "accepted by an editor (figures read in US dollars)",
        }),
        obs({ period: "2023-03", value: 3000, release: "r-a", fetchedAt: "2024-03-01T00:00:00Z" }),
        // Read (a bulletin of the same value is no revision) but not shown: still dates the chart.
        obs({
          period: "2023-03",
          value: 3000,
          vintage: "bulletin",
          release: "r-c",
          fetchedAt: "2024-03-05T00:00:00Z",
        }),
        obs({
          period: "2023-03",
          value: 3000,
          vintage: "preliminary",
          release: "r-z",
          fetchedAt: "2024-01-01T00:00:00Z",
          flow: "exports",
        }),
      ],
      [release("2023-03")],
    );
    expect(chart).toMatchObject({
      schemaVersion: CHART_SCHEMA_VERSION,
      id: "test-monthly",
      chartType: "monthly",
      title: "China's imports from Russia",
      subtitle: "Each month up to March 2023, in thousands of US dollars",
      unit: MONTHLY.unit,
      source: MONTHLY.source,
      updatedAt: "2024-03-05T00:00:00Z",
      latestPeriod: "2023-03",
      nextRelease: releaseAfterPeriod("preliminary", "2023-03"),
      notes: [
        "A note for readers.",
        "Figures of GACC release r-b were accepted by an editor (figures read in US dollars).",
      ],
      methodology: ["How it is made."],
      warnings: [],
    });
    expect(chart.provenance.map((p) => p.releaseId)).toEqual(["r-b", "r-c"]);
    expect(chart.series[0]?.points.map((p) => p.releaseId)).toEqual(["r-b", "r-c"]);
  });

  it("without a publishable release the latest period is the latest point's", async () => {
    const chart = await monthly(
      [obs({ period: "2023-01/02", kind: "jan-feb", value: 2000 }), obs({ period: "2022-12", value: 1000 })],
      [release("2023-01/02", { publishable: false, heldBack: true })],
    );
    expect(chart.latestPeriod).toBe("2023-01/02");
    expect(chart.series[0]?.points.map((p) => p.chartPeriod)).toEqual(["2022-12", "2023-01", "2023-02"]);
  });

  it("a chart with no figure is not dated", async () => {
    const chart = await monthly([], [release("2023-03")]);
    expect(chart).toMatchObject({
      latestPeriod: null,
      updatedAt: null,
      nextRelease: null,
      series: [{ points: [] }],
    });
    expect(chart.subtitle).toBe("Each month up to the latest month, in thousands of US dollars");
  });

  it("repeated warnings are given once", async () => {
    const def: ChartDefinition = {
      ...MONTHLY,
      series: [...MONTHLY.series, ...MONTHLY.series.map((s) => ({ ...s, key: "again" }))],
    };
    const chart = await monthly(
      [obs({ period: "2022-03", value: 100_001 }), obs({ period: "2023-03", value: 300_003 })],
      [release("2023-03")],
      [],
      def,
    );
    expect(chart.warnings).toHaveLength(1);
  });

  it("a query-platform chart dates its next release by the platform's calendar", async () => {
    const def: ChartDefinition = {
      ...MONTHLY,
      series: [{ key: "oil", label: "Oil", partner: "RUS", flow: "imports", commodity: "2709" }],
    };
    const chart = await monthly(
      [obs({ period: "2023-03", value: 1000, commodity: "2709", vintage: "query" })],
      [release("2023-03", { table: "query-platform" })],
      [],
      def,
    );
    expect(chart.latestPeriod).toBe("2023-03");
    expect(chart.nextRelease).toEqual(releaseAfterPeriod("query", "2023-03"));
    expect(chart.nextRelease).not.toEqual(releaseAfterPeriod("preliminary", "2023-03"));
  });

  it("a chart that mixes GACC totals with a query-platform series is dated by the platform's calendar", async () => {
    const def: ChartDefinition = {
      ...MONTHLY,
      series: [
        ...MONTHLY.series,
        { key: "oil", label: "Oil", partner: "RUS", flow: "imports", commodity: "2709" },
      ],
    };
    const chart = await monthly([obs({ period: "2023-03", value: 1000 })], [release("2023-03")], [], def);
    expect(chart.nextRelease).toEqual(releaseAfterPeriod("query", "2023-03"));
    expect(awaitingDataReason(def, [])).toBe(
      "No query-platform export for this chart has been uploaded yet.",
    );
  });

  it("a subtitle without {period} is kept as written", async () => {
    const chart = await monthly([obs({ period: "2023-03", value: 1000 })], [release("2023-03")], [], {
      ...MONTHLY,
      subtitle: "Fixed words",
    });
    expect(chart.subtitle).toBe("Fixed words");
  });
});

describe("why a chart waits for data", () => {
  const QUERY_DEF: ChartDefinition = {
    ...MONTHLY,
    series: [{ key: "oil", label: "Oil", partner: "RUS", flow: "imports", commodity: "2709" }],
  };
  const CAT_DEF: ChartDefinition = {
    ...MONTHLY,
    series: [{ key: "oil", label: "Oil", flow: "exports", commodity: "cat:steel" }],
  };
  const CAT_IMPORTS_DEF: ChartDefinition = {
    ...MONTHLY,
    series: [{ key: "ore", label: "Iron ore", flow: "imports", commodity: "cat:iron-ore" }],
  };
  it.each([
    [MONTHLY, [], "No release this chart is built from has been fetched yet."],
    [
      MONTHLY,
      [release("2023-03", { table: "query-platform" })],
      "No release this chart is built from has been fetched yet.",
    ],
    [QUERY_DEF, [release("2023-03")], "No query-platform export for this chart has been uploaded yet."],
    [
      QUERY_DEF,
      [release("2023-03", { table: "query-platform" })],
      "The releases that have come in hold none of the figures this chart shows yet.",
    ],
    [
      CAT_DEF,
      [release("2023-03", { table: "major-imports-by-quantity" })],
      "No release this chart is built from has been fetched yet.",
    ],
    [
      CAT_DEF,
      [release("2023-03", { table: "major-exports-by-quantity" })],
      "The releases that have come in hold none of the figures this chart shows yet.",
    ],
    [
      CAT_IMPORTS_DEF,
      [release("2023-03", { table: "major-exports-by-quantity" })],
      "No release this chart is built from has been fetched yet.",
    ],
    [
      CAT_IMPORTS_DEF,
      [release("2023-03", { table: "major-imports-by-quantity" })],
      "The releases that have come in hold none of the figures this chart shows yet.",
    ],
    [
      MONTHLY,
      [
        release("2023-03", { publishable: false, heldBack: true }),
        release("2023-04", { table: "bulletin-by-country", publishable: false }),
      ],
      "Every release this chart is built from is held back by a check, waiting for an editor.",
    ],
    [
      MONTHLY,
      [
        release("2023-03", { publishable: false, heldBack: true }),
        release("2023-04", { table: "bulletin-by-country" }),
      ],
      "The releases that have come in hold none of the figures this chart shows yet.",
    ],
  ] as const)("%#", (def, releases, reason) => {
    expect(awaitingDataReason(def, [...releases])).toBe(reason);
  });
});
