/**
 * Rank facts for the top-partners chart: built by the real chart builder from stored cross-sections
 * (in memory), then facts and sentences from the chart file as published. A golden case (Russia
 * climbing from eighth to sixth, groupings never ranked, January–February as the period before
 * March) and a property test: every amount in a sentence is a chart value after the stated rounding,
 * every rank said is a rank the chart carries, every month named is the point's or an earlier rank's
 * period, and every point named is in the chart with its release.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildChart, type ChartRelease } from "../../functions/domain/charts/build.js";
import { CHART_DEFINITIONS } from "../../functions/domain/charts/definitions.js";
import type { ChartEnvelope } from "../../functions/domain/charts/envelope.js";
import { assertValidChart } from "../../functions/domain/charts/files.js";
import type { FactChart } from "../../functions/domain/facts/facts.js";
import { buildFactsFile } from "../../functions/domain/facts/facts-file.js";
import { ordinal } from "../../functions/domain/facts/sentences.js";
import type { Flow, ObservationKind } from "../../functions/domain/model.js";
import { type StoredObservation, seriesKeyOf } from "../../functions/domain/ports.js";
import { BY_COUNTRY_TABLE } from "../../functions/domain/table-ids.js";
import { MONTH_NAMES } from "../../functions/domain/wording.js";
import { MemoryStore } from "../fuzz/support/memory-ports.js";

const DEF = CHART_DEFINITIONS.find((d) => d.id === "china-top-partners");
if (!DEF) throw new Error("no top-partners chart");
const TOP = DEF;

const GROUPINGS = new Set(["EU", "ASEAN"]);

/** One stored by-country figure (CNY, base units). */
function obs(code: string, flow: Flow, period: string, value: number): StoredObservation {
  const kind: ObservationKind = period.includes("/") ? "jan-feb" : "month";
  const o = {
    reporter: "CHN" as const,
    partner: {
      code,
      nameAsPrinted: code === "RUS" ? "Russian Federation" : code,
      isGrouping: GROUPINGS.has(code),
    },
    flow,
    commodity: "TOTAL",
    period,
    kind,
    value,
    currency: "CNY" as const,
    printed: { value: String(value / 1e8), unit: "CNY 100 Million" },
    vintage: "preliminary" as const,
    provenance: {
      releaseId: `prelim-by-country-cny-${period.replace("/", "-")}`,
      url: "http://english.customs.gov.cn/x.html",
      sha256: "a".repeat(64),
      fetchedAt: "2026-04-08T02:00:00.000Z",
    },
  };
  return { ...o, seriesKey: seriesKeyOf(o) };
}

/** A cross-section: per partner, [exports, imports] in CNY 100 million; total is their sum. */
function section(period: string, rows: Record<string, [number, number]>): StoredObservation[] {
  return Object.entries(rows).flatMap(([code, [ex, im]]) => [
    obs(code, "exports", period, ex * 1e8),
    obs(code, "imports", period, im * 1e8),
    obs(code, "total", period, (ex + im) * 1e8),
  ]);
}

async function chartOf(sections: StoredObservation[][], periods: string[]): Promise<ChartEnvelope> {
  const store = new MemoryStore();
  await store.write(sections.flat(), []);
  const releases: ChartRelease[] = periods.map((period) => ({
    table: BY_COUNTRY_TABLE,
    currency: "CNY",
    period,
    publishable: true,
    heldBack: false,
  }));
  return buildChart(TOP, { observations: store, releases });
}

describe("rank facts for the top-partners chart", () => {
  it("says where Russia ranks, and how it moved since January–February and a year earlier", async () => {
    const chart = await chartOf(
      [
        // A year earlier: Russia eighth by total trade (after the US, Korea, Japan, Vietnam, Australia, Germany, India).
        section("2025-03", {
          USA: [2000, 900],
          KOR: [1000, 1500],
          JPN: [1000, 1200],
          VNM: [1300, 600],
          AUS: [400, 1100],
          DEU: [700, 600],
          IND: [800, 300],
          RUS: [350, 550],
          EU: [3000, 1600],
        }),
        // January–February (the period before March): Russia seventh by total, sixth by exports.
        section("2026-01/02", {
          USA: [4000, 1800],
          KOR: [2000, 3000],
          JPN: [2000, 2400],
          VNM: [2600, 1200],
          AUS: [800, 2200],
          DEU: [1400, 1000],
          IND: [1600, 500],
          RUS: [1500, 880],
          EU: [6000, 3200],
        }),
        // March 2026: Russia sixth by total (153.54 billion yuan), fourth by imports.
        section("2026-03", {
          USA: [2045.0, 876.1],
          KOR: [1071.5, 1629.1],
          JPN: [998.7, 1271.1],
          VNM: [1372.5, 630.5],
          AUS: [439.3, 1135.0],
          DEU: [650.1, 593.5],
          IND: [846.1, 141.8],
          RUS: [649.8, 885.6],
          EU: [3248.9, 1624.3],
        }),
      ],
      ["2025-03", "2026-01/02", "2026-03"],
    );
    assertValidChart(chart);
    const total = chart.series.find((s) => s.key === "total");
    // Groupings are never ranked; the EU's 4,873 would otherwise be first.
    expect(total?.points.map((p) => p.category)).not.toContain("EU");
    expect(total?.points.find((p) => p.category === "RUS")).toMatchObject({
      rank: 6,
      rankPrevious: { period: "2026-01/02", rank: 7, releaseId: "prelim-by-country-cny-2026-01-02" },
      rankYearEarlier: { period: "2025-03", rank: 8, releaseId: "prelim-by-country-cny-2025-03" },
    });
    // Every release an earlier rank names resolves in the chart's provenance.
    const releases = new Set(chart.provenance.map((p) => p.releaseId));
    expect(releases.has("prelim-by-country-cny-2026-01-02")).toBe(true);

    const facts = buildFactsFile({ ...chart, focus: ["RUS"] });
    expect(facts.facts.map((f) => f.text)).toEqual([
      "Russia was China's sixth-largest trading partner in March 2026, with trade of 154 billion yuan, up from seventh in January–February and from eighth a year earlier.",
      "Russia was China's seventh-largest export market in March 2026, with exports of 65 billion yuan, down from sixth in January–February but up from eighth a year earlier.",
      "Russia was China's fourth-largest source of imports in March 2026, with imports of 88.6 billion yuan, up from seventh in January–February and a year earlier.",
    ]);
    const rank = facts.facts[0];
    expect(rank?.points).toEqual([
      {
        series: "total",
        period: "2026-03",
        category: "RUS",
        value: 1535.4,
        releaseId: "prelim-by-country-cny-2026-03",
      },
    ]);
    // Each fact is about one series, period and partner; the chart's printed name is kept.
    expect(facts.facts.map((f) => f.id)).toEqual([
      "rank:total:2026-03:RUS",
      "rank:exports:2026-03:RUS",
      "rank:imports:2026-03:RUS",
    ]);
    expect(rank?.values).toMatchObject({
      categoryLabel: "Russian Federation",
      rank: 6,
      previousRank: 7,
      previousPeriod: "2026-01/02",
      previousReleaseId: "prelim-by-country-cny-2026-01-02",
      yearEarlierRank: 8,
      yearEarlierPeriod: "2025-03",
    });
    expect(rank?.caveats.map((c) => c.code)).toEqual(["preliminary"]);

    // Without a focus list: the partner ranked first.
    expect(buildFactsFile(chart).facts[0]?.text).toMatch(
      /^The United States was China's largest trading partner in March 2026, with trade of 292 billion yuan/,
    );
  });
});

/** A ranked chart as facts read it: one partner per series, ranked first, no earlier ranks. */
function handChart(series: Array<{ key: string; label: string }>, code: string, label: string): FactChart {
  return {
    id: "c",
    chartType: "top-partners",
    title: "T",
    unit: { currency: "CNY", multiplier: 1e8, label: "CNY 100 million" },
    latestPeriod: "2026-03",
    series: series.map((s) => ({
      ...s,
      points: [
        { period: "2026-03", value: 1535.4, yoyPct: null, category: code, categoryLabel: label, rank: 1 },
      ],
    })),
  };
}

describe("rank facts: flows, names and charts without data", () => {
  it.each([
    [
      "flows read from singular labels",
      [
        { key: "t", label: "Trade" },
        { key: "m", label: "Import value" },
        { key: "x", label: "Export value" },
      ],
      "RUS",
      "Russian Federation",
      [
        [
          "t",
          "total",
          "Russia was China's largest trading partner in March 2026, with trade of 154 billion yuan.",
        ],
        [
          "m",
          "imports",
          "Russia was China's largest source of imports in March 2026, with imports of 154 billion yuan.",
        ],
        [
          "x",
          "exports",
          "Russia was China's largest export market in March 2026, with exports of 154 billion yuan.",
        ],
      ],
    ],
    [
      "a partner the registry does not know is called by its printed name",
      [{ key: "total", label: "Total trade" }],
      "ZZZ",
      "Atlantis",
      [
        [
          "total",
          "total",
          "Atlantis was China's largest trading partner in March 2026, with trade of 154 billion yuan.",
        ],
      ],
    ],
  ] as const)("%s", (_, series, code, label, expected) => {
    const facts = buildFactsFile(handChart([...series], code, label)).facts;
    expect(facts.map((f) => [f.series, f.values.flow, f.text])).toEqual(expected);
    expect(facts.map((f) => f.values.categoryLabel)).toEqual(expected.map(() => label));
  });

  it("a chart with no data yet and no partners in focus has no rank facts", async () => {
    const chart = await chartOf([], []);
    expect(chart.series.map((s) => [s.key, s.points.length])).toEqual([
      ["total", 0],
      ["exports", 0],
      ["imports", 0],
    ]);
    expect(buildFactsFile({ ...chart, focus: undefined }).facts).toEqual([]);
  });
});

// ---------------------------------------------------------------- property test

const CODES = ["USA", "KOR", "JPN", "VNM", "AUS", "DEU", "IND", "RUS", "BRA", "EU"];

const sectionArb = fc.array(
  fc.tuple(
    fc.integer({ min: 1, max: 999_999 }),
    fc.integer({ min: 1, max: 999_999 }),
    fc.integer({ min: 0, max: 3 }),
  ),
  { minLength: CODES.length, maxLength: CODES.length },
);

const caseArb = fc.record({
  year: fc.integer({ min: 2018, max: 2026 }),
  month: fc.integer({ min: 1, max: 12 }),
  now: sectionArb,
  before: fc.option(sectionArb, { freq: 3 }),
  yearAgo: fc.option(sectionArb, { freq: 3 }),
  drop: fc.subarray(CODES.slice(0, -1), { maxLength: 3 }),
});

/** "the chart period": January–February when month is 1 or 2. */
function periodOf(year: number, month: number): string {
  return month <= 2 ? `${year}-01/02` : `${year}-${String(month).padStart(2, "0")}`;
}

function previousOf(period: string): string {
  const y = Number(period.slice(0, 4));
  if (period.includes("/")) return `${y - 1}-12`;
  const m = Number(period.slice(5, 7));
  return m === 3 ? `${y}-01/02` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

function rows(cells: Array<[number, number, number]>, drop: string[]): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  CODES.forEach((code, i) => {
    const [ex, im, scale] = cells[i] as [number, number, number];
    if (!drop.includes(code)) out[code] = [ex / 10 ** scale, im / 10 ** scale];
  });
  return out;
}

function roundsTo(shown: string, scale: number, base: number): boolean {
  const target = Number(shown.replace(/,/g, ""));
  for (let sig = 3; sig <= 15; sig++)
    if (Math.abs(Number((base / scale).toPrecision(sig)) - target) <= 1e-9 * Math.abs(target)) return true;
  return false;
}

describe("property: rank sentences carry only chart numbers and ranks", () => {
  it("holds for generated cross-sections (groupings, missing partners, January–February, no history)", async () => {
    let withMoves = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const now = periodOf(c.year, c.month);
        const before = previousOf(now);
        const yearAgo = now.replace(/^\d{4}/, String(c.year - 1));
        const sections = [section(now, rows(c.now, []))];
        if (c.before) sections.push(section(before, rows(c.before, c.drop)));
        if (c.yearAgo) sections.push(section(yearAgo, rows(c.yearAgo, c.drop)));
        const chart = await chartOf(sections, [now]);
        assertValidChart(chart);
        const focus = CODES.filter((_, i) => i % 3 === 0);
        const file = buildFactsFile({ ...chart, focus });
        const releases = new Set(chart.provenance.map((p) => p.releaseId));
        for (const fact of file.facts) {
          expect(fact.kind).toBe("rank");
          const s = chart.series.find((x) => x.key === fact.series);
          const [pt] = fact.points;
          const point = s?.points.find((p) => p.category === pt?.category);
          // The point named is in the chart, with its value and release.
          expect(point, fact.id).toBeDefined();
          expect(point?.value).toBe(pt?.value);
          expect(point?.releaseId).toBe(pt?.releaseId);
          for (const r of [point?.rankPrevious, point?.rankYearEarlier])
            if (r) expect(releases.has(r.releaseId)).toBe(true);
          if (point?.rankPrevious || point?.rankYearEarlier) withMoves++;
          const ranks = [point?.rank, point?.rankPrevious?.rank, point?.rankYearEarlier?.rank];
          const text = fact.text;
          // Ranks: every ordinal said is one the chart carries for this point.
          for (const m of text.matchAll(/\b(largest|(\w+)-largest|from (\w+))\b/g)) {
            const word = m[2] ?? m[3];
            const said = word === undefined ? 1 : [...Array(60).keys()].find((n) => ordinal(n) === word);
            expect(ranks, `${text}: ${m[0]}`).toContain(said);
          }
          // Amounts: the point's value × multiplier, three significant figures with the unit word.
          for (const m of text.matchAll(/(\d[\d,]*(?:\.\d+)?)( trillion| billion| million)? yuan/g)) {
            const scale = { " trillion": 1e12, " billion": 1e9, " million": 1e6 }[m[2] ?? ""] ?? 1;
            expect(
              roundsTo(m[1] as string, scale, (point?.value ?? Number.NaN) * chart.unit.multiplier),
              `${text}: ${m[0]}`,
            ).toBe(true);
          }
          // Months named: the point's period or an earlier rank's.
          const periods = [point?.period, point?.rankPrevious?.period].filter((p): p is string => !!p);
          for (const m of text.matchAll(
            /(January|February|March|April|May|June|July|August|September|October|November|December)(?:–(February))?(?: (\d{4}))?/g,
          )) {
            const month = (MONTH_NAMES as readonly string[]).indexOf(m[2] ?? (m[1] as string)) + 1;
            const ok = periods.some((p) => {
              const pm = p.includes("/") ? 2 : Number(p.slice(5, 7));
              return (
                pm === month && (m[2] !== undefined) === p.includes("/") && (!m[3] || p.startsWith(m[3]))
              );
            });
            expect(ok, `${text}: ${m[0]}`).toBe(true);
          }
        }
      }),
      { numRuns: 150, seed: 14 },
    );
    expect(withMoves).toBeGreaterThan(50);
  });
});
