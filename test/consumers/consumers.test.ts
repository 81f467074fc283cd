/**
 * The consumer contract, tried with the consumers' own libraries. The real pipeline builds every
 * chart from the local GACC mirror; then, for every published chart:
 *
 * (a) the natural Vega-Lite specs of docs/graphics.md (from the JSON and from the CSV) compile and
 *     render to SVG with vega + vega-lite in Node: one mark per figure, the line broken at every
 *     gap, no mark at January–February above the range of the monthly figures;
 * (b) d3-dsv reads the CSV with the types a consumer expects, a row for every month, empty cells
 *     exactly at the gaps; d3-shape's line breaks there too;
 * (c) the JSON, index.json and Datawrapper metadata validate against the schemas in data/schema.
 *
 * The rendered SVGs are kept in test-artifacts/consumers/ to look at.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Ajv from "ajv";
import { autoType, csvParse } from "d3-dsv";
import { line } from "d3-shape";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import chartSchema from "../../data/schema/chart.schema.json" with { type: "json" };
import metadataSchema from "../../data/schema/dw-metadata.schema.json" with { type: "json" };
import indexSchema from "../../data/schema/index.schema.json" with { type: "json" };
import * as examples from "../../docs/graphics-specs.js";
import type { ChartEnvelope, ChartIndexEntry, ChartPoint } from "../../functions/domain/charts/envelope.js";
import type { LocalStack } from "../support/local-stack.js";
import { startLocalStack } from "../support/local-stack.js";

const ARTIFACTS = "test-artifacts/consumers";
/** The host docs/graphics.md uses in its examples. */
const DOC_HOST = "https://charts.example.org";

let stack: LocalStack | undefined;
const files = new Map<string, string>();
let index: { schemaVersion: number; charts: ChartIndexEntry[] };
let published: ChartEnvelope[] = [];

beforeAll(async () => {
  stack = await startLocalStack();
  const { runPipeline } = await import("../../local/run-pipeline.js");
  const charts = (await import("../../functions/composition.js")).publishDeps().charts;
  const run = await runPipeline({ since: 2022 });
  expect(run.errors).toEqual([]);
  const read = async (key: string) => {
    const body = await charts.get(key);
    return body ? Buffer.from(body).toString("utf8") : undefined;
  };
  index = JSON.parse((await read("charts/index.json")) ?? "null");
  for (const entry of index.charts) {
    for (const ext of ["json", "csv", "dw-metadata.json"]) {
      const body = await read(`charts/${entry.id}.${ext}`);
      if (body !== undefined) files.set(`${entry.id}.${ext}`, body);
    }
  }
  published = index.charts
    .filter((e) => e.state === "published")
    .map((e) => JSON.parse(files.get(`${e.id}.json`) ?? "null") as ChartEnvelope);
  await mkdir(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** Vega's loader, reading the published files by name (as a browser would from their URLs). */
function fileLoader() {
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    const name = uri.split("/").pop() ?? "";
    const body = files.get(name);
    if (body === undefined) throw new Error(`no published file ${name}`);
    return body;
  };
  return loader;
}

interface Rendered {
  svg: string;
  /** Scenegraph marks by name (the line and point layers of a line chart, the bars of a bar chart). */
  marks(name: string): Array<{
    items: Array<{ x: number; y: number; x2?: number; defined?: boolean; datum: Record<string, unknown> }>;
  }>;
}

async function render(spec: Record<string, unknown>, file: string): Promise<Rendered> {
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", loader: fileLoader() });
  await view.runAsync();
  const svg = await view.toSVG();
  await writeFile(join(ARTIFACTS, file), svg);
  type Node = { name?: string; items?: Node[] } & Record<string, unknown>;
  const find = (n: Node, name: string, out: Node[] = []): Node[] => {
    if (n.name === name) out.push(n);
    for (const i of n.items ?? []) if (i.items) find(i, name, out);
    return out;
  };
  const root = (view.scenegraph() as unknown as { root: Node }).root;
  return { svg, marks: (name) => find(root, name) as unknown as ReturnType<Rendered["marks"]> };
}

/** Runs of consecutive figures in a series: each is one stretch of line; a gap starts another. */
function runsOf(points: ChartPoint[]): number {
  let runs = 0;
  points.forEach((p, i) => {
    if (p.value !== null && (i === 0 || points[i - 1]?.value === null)) runs++;
  });
  return runs;
}

/** A CSV row as d3-dsv's autoType reads it. */
type Row = Record<string, unknown>;

const figures = (c: ChartEnvelope) => c.series.flatMap((s) => s.points.filter((p) => p.value !== null));
const urls = (c: ChartEnvelope, host = "http://charts.test") => ({
  json: `${host}/charts/${c.id}.json`,
  csv: `${host}/charts/${c.id}.csv`,
});
const timeSeries = () => published.filter((c) => c.chartType === "monthly");

describe("what the pipeline publishes", () => {
  it("publishes the charts with data and lists the one without as awaiting data, with no files", () => {
    expect(published.map((c) => c.id).sort()).toEqual([
      "china-commodity-imports-quantity",
      "china-commodity-imports-value",
      "china-russia-trade-monthly",
      "china-russia-trade-ytd",
      "china-top-partners",
    ]);
    expect(index.charts.find((e) => e.id === "china-russia-imports-by-hs-chapter")).toEqual({
      id: "china-russia-imports-by-hs-chapter",
      title: "What China buys from Russia",
      state: "awaiting-data",
      stateReason: "No query-platform export for this chart has been uploaded yet.",
      url: null,
      csvUrl: null,
      metadataUrl: null,
      updatedAt: null,
      latestPeriod: null,
    });
    expect([...files.keys()].filter((k) => k.startsWith("china-russia-imports-by-hs-chapter"))).toEqual([]);
  });

  it("(c) validates the JSON, index.json and the Datawrapper metadata against the repo's schemas", () => {
    const ajv = new Ajv.default({ allErrors: true, strict: false });
    const check = (schema: object, value: unknown) => {
      const validate = ajv.compile(schema);
      expect(validate(value) ? [] : validate.errors).toEqual([]);
    };
    check(indexSchema, index);
    for (const c of published) {
      check(chartSchema, c);
      check(metadataSchema, JSON.parse(files.get(`${c.id}.dw-metadata.json`) ?? "null"));
    }
  });

  it("one truth per run: charts built from the same releases agree on latestPeriod, updatedAt, nextRelease", () => {
    const [monthly, ytd] = ["china-russia-trade-monthly", "china-russia-trade-ytd"].map((id) =>
      published.find((c) => c.id === id),
    );
    expect(monthly?.latestPeriod).toBe("2023-12");
    expect(ytd?.latestPeriod).toBe(monthly?.latestPeriod);
    expect(ytd?.updatedAt).toBe(monthly?.updatedAt);
    expect(ytd?.nextRelease).toEqual(monthly?.nextRelease);
    // The ytd chart names its months in data and labels, never a bare month date.
    expect(ytd?.ytdMonths?.label).toBe("January–November");
    expect(ytd?.subtitle).toContain("January–November");
    expect(files.get("china-russia-trade-ytd.csv")).toBe(
      "year,months,Imports from Russia,Exports to Russia\n2023,January–November,117.84,100.33\n",
    );
  });

  it("headers and keys are safe field names everywhere; labels stay human", () => {
    const unsafe = /['".[\]\\]/;
    for (const c of published) {
      const header = (files.get(`${c.id}.csv`) ?? "").split("\n")[0]?.split(",") ?? [];
      expect(header.filter((h) => unsafe.test(h))).toEqual([]);
      for (const s of c.series) expect(`${s.key} ${s.label}`).not.toMatch(unsafe);
    }
    expect(files.get("china-russia-trade-monthly.csv")?.split("\n")[0]).toBe(
      "period,Imports from Russia,Exports to Russia,note",
    );
  });

  it("reader text in the Datawrapper metadata is for readers; the source URL is the chart's source", () => {
    for (const c of published) {
      const meta = JSON.parse(files.get(`${c.id}.dw-metadata.json`) ?? "null");
      const text = [meta.title, meta.describe.intro, meta.describe["source-name"], meta.annotate.notes].join(
        " ",
      );
      expect(text).not.toMatch(
        /JSON|CSV|\bfield|column|vintage|\bnull\b|`|\d{4}-\d{2}\/\d{2}|property|schema/i,
      );
      expect(meta.describe["source-url"]).toBe(c.source.url);
    }
    const top = JSON.parse(files.get("china-top-partners.dw-metadata.json") ?? "null");
    expect(top.describe.intro).toContain("March 2026");
  });
});

describe("(a) Vega-Lite renders the natural specs from the JSON and the CSV", () => {
  it("time series: one mark per figure, a break at every gap, January–February within the monthly range", async () => {
    expect(timeSeries().length).toBe(3);
    for (const c of timeSeries()) {
      const specs = examples.specsFor(c, urls(c));
      for (const [kind, spec] of Object.entries(specs)) {
        const r = await render(spec, `${c.id}.${kind}.svg`);
        // One point mark per published figure (gaps draw nothing).
        const symbols = r.marks("layer_1_marks").flatMap((m) => m.items);
        expect(symbols.length).toBe(figures(c).length);
        // Each series' line: a point per month of its span, broken into one stretch per run of figures.
        const lines = r.marks("layer_0_marks");
        expect(lines.length).toBe(c.series.filter((s) => s.points.length > 0).length);
        const seriesField = kind === "fromJson" ? "label" : "series";
        for (const s of c.series.filter((x) => x.points.length > 0)) {
          const items = lines.find((l) => l.items[0]?.datum[seriesField] === s.label)?.items ?? [];
          expect(items.length).toBe(s.points.length);
          expect(items.map((i) => i.defined !== false)).toEqual(s.points.map((p) => p.value !== null));
        }
        // In the SVG itself: every stretch of line starts with a move ("M"), so gaps are never bridged.
        const paths = [...r.svg.matchAll(/aria-roledescription="line mark" d="([^"]*)"/g)].map(
          (m) => m[1] ?? "",
        );
        const moves = paths.reduce((n, d) => n + (d.match(/M/g)?.length ?? 0), 0);
        expect(moves).toBe(c.series.reduce((n, s) => n + runsOf(s.points), 0));
        // January–February: no mark above the highest monthly figure of its series.
        for (const s of c.series) {
          const monthly = s.points.filter((p) => p.value !== null && p.valueBasis === "observed");
          const janFeb = s.points.filter((p) => p.valueBasis === "average-of-combined");
          if (janFeb.length === 0 || monthly.length === 0) continue;
          const mine = symbols.filter((i) => i.datum[seriesField] === s.label);
          const yOf = (p: ChartPoint) =>
            mine.find((i) => {
              const d = (kind === "fromJson" ? i.datum.month : i.datum.period) as Date;
              return d.toISOString().slice(0, 7) === p.chartPeriod;
            })?.y;
          const top = Math.min(...monthly.map((p) => yOf(p) ?? Number.POSITIVE_INFINITY));
          for (const p of janFeb) expect(yOf(p)).toBeGreaterThanOrEqual(top);
        }
      }
    }
  });

  it("the monthly chart: 2022-05, 2022-10–12 and 2023-03 are gaps; Jan–Feb 2023 is drawn at its average", async () => {
    const c = published.find((x) => x.id === "china-russia-trade-monthly") as ChartEnvelope;
    const imports = c.series.find((s) => s.key === "imports")?.points ?? [];
    expect(imports.filter((p) => p.value === null).map((p) => p.chartPeriod)).toEqual([
      "2022-05",
      "2022-10",
      "2022-11",
      "2022-12",
      "2023-03",
      "2023-11",
      "2023-12",
    ]);
    const r = await render(examples.specsFor(c, urls(c)).fromCsv, "monthly-check.svg");
    const symbols = r.marks("layer_1_marks").flatMap((m) => m.items);
    const at = (month: string) =>
      symbols
        .filter((i) => (i.datum.period as Date).toISOString().startsWith(month))
        .map((i) => i.datum.value);
    expect(at("2023-01")).toEqual([9.325, 7.52]);
    expect(at("2023-02")).toEqual([9.325, 7.52]);
    expect(at("2022-05")).toEqual([]);

    // From the JSON, the average is drawn as the months it stands for: a band from January to
    // February at the average (one per series and combined release), and named in the legend.
    const json = await render(examples.specsFor(c, urls(c)).fromJson, "monthly-combined.svg");
    const bands = json.marks("layer_2_marks").flatMap((m) => m.items);
    const averages = c.series.flatMap((s) => s.points.filter((p) => p.valueBasis === "average-of-combined"));
    expect(averages.length).toBeGreaterThan(0);
    expect(bands.length).toBe(averages.length);
    const byValue = (a: number, b: number) => a - b;
    expect(bands.map((b) => b.datum.value as number).sort(byValue)).toEqual(
      averages.map((p) => p.value as number).sort(byValue),
    );
    for (const b of bands) expect(b.x2).toBeGreaterThan(b.x); // spans January to February
    expect(json.svg).toContain("January–February average");
    // A chart without January–February averages gets no such legend entry.
    const ytdLike = {
      ...c,
      series: c.series.map((s) => ({
        ...s,
        points: s.points.filter((p) => p.valueBasis !== "average-of-combined"),
      })),
    };
    expect(JSON.stringify(examples.specsFor(ytdLike, urls(c)).fromJson)).not.toContain("diamond");
  });

  it("year-to-date and ranked charts: one bar per figure", async () => {
    for (const c of published.filter((x) => x.chartType !== "monthly")) {
      const specs = examples.specsFor(c, urls(c));
      const expected = c.chartType === "top-partners" ? (c.series[0]?.points.length ?? 0) : figures(c).length;
      expect(expected).toBeGreaterThan(0);
      for (const [kind, spec] of Object.entries(specs)) {
        const r = await render(spec, `${c.id}.${kind}.svg`);
        const bars = r.marks("marks").flatMap((m) => m.items);
        expect(bars.length).toBe(expected);
        expect(r.svg).toContain('aria-roledescription="bar"');
      }
    }
  });
});

describe("(b) d3 reads the CSV", () => {
  it("d3-dsv: types, a row per month of the span, empty cells exactly at the gaps", () => {
    for (const c of timeSeries()) {
      const rows = csvParse(files.get(`${c.id}.csv`) ?? "", autoType) as Row[] & { columns: string[] };
      const months = [...new Set(c.series.flatMap((s) => s.points.map((p) => p.chartPeriod)))].sort();
      expect(rows.length).toBe(months.length);
      expect(rows.columns).toEqual(["period", ...c.series.map((s) => s.label), "note"]);
      for (const [i, row] of rows.entries()) {
        expect(row.period).toBeInstanceOf(Date);
        expect((row.period as Date).toISOString().slice(0, 7)).toBe(months[i]);
        for (const s of c.series) {
          const p = s.points.find((x) => x.chartPeriod === months[i]);
          expect(row[s.label]).toBe(p?.value ?? null);
        }
      }
    }
    const ytd = csvParse(files.get("china-russia-trade-ytd.csv") ?? "", autoType) as Row[];
    expect(ytd.map((r) => [r.year, r.months])).toEqual([[2023, "January–November"]]);
    const top = csvParse(files.get("china-top-partners.csv") ?? "", autoType) as Row[] & {
      columns: string[];
    };
    expect(top.length).toBe(15);
    expect(top.columns).toEqual(["partner", "Total trade", "Exports", "Imports", "code", "period"]);
    expect(top[0]).toMatchObject({ partner: "Hong Kong, China", "Total trade": 3168, code: "HKG" });
    expect(top.every((r) => typeof r.code === "string" && /^[A-Z]{3}$/.test(r.code))).toBe(true);
  });

  it("the d3 snippet of docs/graphics.md breaks each line at its gaps", () => {
    for (const c of timeSeries()) {
      const paths = examples.d3LinePaths(
        csvParse as never,
        autoType,
        line as never,
        files.get(`${c.id}.csv`) ?? "",
      );
      for (const s of c.series) {
        const d = paths[s.label] ?? "";
        expect(d.match(/M/g)?.length ?? 0).toBe(runsOf(s.points));
        expect(d).not.toContain("NaN");
      }
    }
  });
});

describe("docs/graphics.md", () => {
  it("shows the very examples this suite runs", async () => {
    const doc = await readFile("docs/graphics.md", "utf8");
    // Every function of docs/graphics-specs.js appears verbatim, as written in that file.
    const source = await readFile("docs/graphics-specs.js", "utf8");
    const functions = [...source.matchAll(/^export (function \w+\([\s\S]*?\n\})$/gm)].map((m) => m[1] ?? "");
    expect(functions.length).toBe(Object.values(examples).filter((v) => typeof v === "function").length);
    for (const f of functions) expect(doc, f.slice(0, 40)).toContain(f);
    // The JSON specs for the monthly chart are exactly what specsFor gives for its documented URLs.
    const monthly = published.find((c) => c.id === "china-russia-trade-monthly") as ChartEnvelope;
    const specs = examples.specsFor(monthly, urls(monthly, DOC_HOST));
    const block = (tag: string) => {
      const m = new RegExp(`<!-- spec: ${tag} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(doc);
      return m ? JSON.parse(m[1] ?? "null") : undefined;
    };
    expect(block("monthly-json")).toEqual(specs.fromJson);
    expect(block("monthly-csv")).toEqual(specs.fromCsv);
  });
});
