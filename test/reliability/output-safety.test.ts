/**
 * Output safety: what graphics and spreadsheets open is inert and valid.
 *
 * - CSV: every text cell starting with =, +, -, @, tab or CR is neutralized (a leading `'`), whatever
 *   follows it (line breaks included); numbers stay numbers, negative ones too.
 * - Schema: every chart file is validated against data/schema/chart.schema.json before it is
 *   written; a broken envelope is refused and nothing at all is written.
 */
import fc from "fast-check";
import Papa from "papaparse";
import { afterAll, describe, expect, it } from "vitest";
import { CHART_DEFINITIONS, type ChartDefinition } from "../../functions/domain/charts/definitions.js";
import type { ChartEnvelope, ChartPoint } from "../../functions/domain/charts/envelope.js";
import { assertValidChart, chartCsv, chartFiles } from "../../functions/domain/charts/files.js";
import { LayoutChanged, PipelineError } from "../../functions/domain/errors.js";
import { publishCharts } from "../../functions/pipeline/publish-charts.js";
import { fuzzRuns } from "../fuzz/support/budget.js";
import { MemoryCharts, MemoryStore } from "../fuzz/support/memory-ports.js";
import { figureLog } from "./support/figures.js";

const figures = figureLog("output");
afterAll(() => figures.flush());

const DANGEROUS = /^[=+\-@\t\r]/;

function envelope(
  type: ChartEnvelope["chartType"],
  series: Array<{ label: string; points: Array<{ label?: string; value: number }> }>,
): ChartEnvelope {
  return {
    schemaVersion: 2,
    id: "safety-test",
    chartType: type,
    title: "Safety",
    subtitle: "",
    unit: { currency: "USD", multiplier: 1e9, label: "US$ billion" },
    source: { name: "GACC", url: "http://english.customs.gov.cn" },
    updatedAt: null,
    latestPeriod: null,
    nextRelease: null,
    series: series.map((s, i) => ({
      key: `s${i}`,
      label: s.label,
      points: s.points.map((p, j): ChartPoint => {
        const month = String((j % 12) + 1).padStart(2, "0");
        const period = `${2000 + Math.floor(j / 12)}-${month}`;
        return {
          period,
          chartPeriod: period,
          periodLabel: period,
          ...(type === "top-partners" ? { category: `P${j}`, categoryLabel: p.label ?? `P${j}` } : {}),
          value: p.value,
          valueBasis: "observed",
          yoyPct: null,
          vintage: "preliminary",
          revised: false,
          releaseId: "r1",
          sha256: "0".repeat(64),
        };
      }),
    })),
    notes: [],
    methodology: [],
    warnings: [],
    provenance: [],
  };
}

/** Parses the CSV back as text (no type guessing). */
function cells(csv: string): string[][] {
  const parsed = Papa.parse<string[]>(csv.replace(/\n$/, ""), { header: false, dynamicTyping: false });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe("CSV cells", () => {
  it("neutralizes formula starts in labels and keeps numbers, negative ones too, as numbers", () => {
    const csv = chartCsv(
      envelope("top-partners", [
        {
          label: '=HYPERLINK("http://evil.example","click")',
          points: [
            { label: "+cmd|' /C calc'!A0", value: -8.2 },
            { label: "-2+3", value: -0.5 },
            { label: "@SUM(A1:A9)", value: 0 },
            { label: "\t=1+1", value: 1234.5 },
            { label: "=1+1\nsecond line", value: -1e-7 },
            { label: "Russian Federation", value: 11.5 },
          ],
        },
      ]),
    );
    expect(cells(csv)).toEqual([
      ["partner", '\'=HYPERLINK("http://evil.example","click")', "code", "period"],
      ["'+cmd|' /C calc'!A0", "-8.2", "P0", "2000-01"],
      ["'-2+3", "-0.5", "P1", "2000-02"],
      ["'@SUM(A1:A9)", "0", "P2", "2000-03"],
      ["'\t=1+1", "1234.5", "P3", "2000-04"],
      ["'=1+1\nsecond line", "-1e-7", "P4", "2000-05"],
      ["Russian Federation", "11.5", "P5", "2000-06"],
    ]);
    // Negative numbers are written bare, never quoted or prefixed.
    expect(csv).toContain("\n'-2+3,-0.5,P1,2000-02\n".replace("'-2+3", '"\'-2+3"'));
    expect(csv).toMatch(/,-8\.2,P0,2000-01\n/);
  });

  it("property: no text cell starts a formula, every number reads back exactly", () => {
    const reserved = new Set([
      "partner",
      "period",
      "note",
      "code",
      "__proto__",
      "constructor",
      "toString",
      "valueOf",
    ]);
    // Any characters, half of them starting the way a formula does.
    const label = fc
      .tuple(
        fc.constantFrom("", "", "", "=", "+", "-", "@", "\t", "\r", "=1+1\n"),
        fc.string({ unit: "binary", maxLength: 12 }),
      )
      .map(([start, rest]) => start + rest)
      .filter((s) => !reserved.has(s) && s !== "");
    let runs = 0;
    let dangerousInputs = 0;
    fc.assert(
      fc.property(
        fc.constantFrom<ChartEnvelope["chartType"]>("monthly", "top-partners"),
        fc.uniqueArray(label, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(label, fc.double({ noNaN: true, noDefaultInfinity: true })), {
          minLength: 1,
          maxLength: 8,
        }),
        (type, labels, points) => {
          runs++;
          const env = envelope(
            type,
            labels.map((l) => ({ label: l, points: points.map(([pl, v]) => ({ label: pl, value: v })) })),
          );
          const rows = cells(chartCsv(env));
          const [header, ...data] = rows;
          const texts = [...(header ?? []), ...(type === "top-partners" ? data.map((r) => r[0] ?? "") : [])];
          for (const t of texts) {
            expect(t).not.toMatch(DANGEROUS);
          }
          for (const original of [...labels, ...(type === "top-partners" ? points.map(([pl]) => pl) : [])]) {
            if (DANGEROUS.test(original)) dangerousInputs++;
          }
          for (const row of data) {
            for (const cell of row.slice(1, 1 + labels.length)) {
              if (cell === "") continue;
              expect(cell).not.toMatch(/^'/);
              expect(Number.isFinite(Number(cell))).toBe(true);
            }
          }
          // Every value is there, exactly.
          const values = data
            .flatMap((r) => r.slice(1, 1 + labels.length))
            .filter((c) => c !== "")
            .map(Number);
          for (const [, v] of points) expect(values).toContain(v === 0 ? 0 : v);
        },
      ),
      { numRuns: fuzzRuns(300), seed: 8 },
    );
    figures.add({
      area: "output",
      scenario: "CSV cells: random labels (any characters) and numbers (negative, tiny, huge)",
      cases: runs,
      faults: dangerousInputs,
      dataLost: 0,
      note: `${dangerousInputs} labels started with = + - @ tab or CR; all neutralized; every number read back exactly`,
    });
  });
});

describe("schema before write", () => {
  it("a broken envelope is refused with a typed error, and no file of any chart is written", async () => {
    const broken: ChartDefinition = { ...(CHART_DEFINITIONS[0] as ChartDefinition), id: "Not A Valid Id" };
    const charts = new MemoryCharts();
    const store = new MemoryStore();
    await expect(
      publishCharts(
        { releases: store, observations: store, charts },
        { publicBaseUrl: "http://charts.test", definitions: [...CHART_DEFINITIONS, broken] },
      ),
    ).rejects.toSatisfy(
      // With no data yet the charts are listed in index.json as awaiting data: the index refuses the id.
      (e: unknown) =>
        e instanceof LayoutChanged &&
        e.message ===
          'charts/index.json failed its schema check and was not published: /charts/6/id must match pattern "^[a-z0-9-]+$"',
    );
    expect(charts.puts).toEqual([]);
    figures.add({
      area: "output",
      scenario: "a chart whose envelope breaks the schema, published with the others",
      cases: 1,
      faults: 1,
      dataLost: 0,
      note: "LayoutChanged before any write: 0 files written, the good charts included",
    });
  });

  it("property: mutated envelopes either validate or are refused typed, and what chartFiles returns always validates", () => {
    const good = envelope("monthly", [{ label: "Imports", points: [{ value: 1 }, { value: -2 }] }]);
    let refused = 0;
    let runs = 0;
    const anyValue = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.string({ maxLength: 8 }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant([]),
      fc.constant({}),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom("top", "series", "point", "unit"), fc.string({ maxLength: 14 }), anyValue),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (mutations) => {
          runs++;
          const e = structuredClone(good) as unknown as Record<string, unknown>;
          for (const [where, field, value] of mutations) {
            const target = (
              where === "top"
                ? e
                : where === "unit"
                  ? e.unit
                  : where === "series"
                    ? (e.series as unknown[])[0]
                    : ((e.series as Array<{ points: unknown[] }>)[0]?.points[0] ?? {})
            ) as Record<string, unknown>;
            const key = field === "" ? "value" : field;
            if (value === undefined) delete target[key];
            else target[key] = value;
          }
          try {
            const files = chartFiles(e as unknown as ChartEnvelope);
            const json = JSON.parse(files[0]?.body ?? "null");
            assertValidChart(json);
          } catch (err) {
            if (!(err instanceof PipelineError)) throw err;
            expect(err.code).toBe("LAYOUT_CHANGED");
            refused++;
          }
        },
      ),
      { numRuns: fuzzRuns(300), seed: 9 },
    );
    expect(refused).toBeGreaterThan(0);
    figures.add({
      area: "output",
      scenario: "schema: random field deletions and type changes in a chart envelope",
      cases: runs,
      faults: runs,
      dataLost: 0,
      note: `${refused} refused with LAYOUT_CHANGED, the rest valid; no invalid file produced`,
    });
  });
});
