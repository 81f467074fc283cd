/**
 * More of the customs record end to end: commodity tables (5)/(6) and query-platform exports taken
 * through the upload path (`npm run ingest`), against dynalite + s3rver + the GACC mirror.
 */

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../support/local-stack.js";
import { russiaChapterExport } from "../support/query-export.js";

let stack: LocalStack;
let chartStore: import("../../functions/domain/ports.js").ChartStore;
let ingestFiles: typeof import("../../local/ingest.js").ingestFiles;

async function chart(id: string) {
  return JSON.parse(
    Buffer.from((await chartStore.get(`charts/${id}.json`)) ?? new Uint8Array()).toString("utf8"),
  );
}

function series(c: { series: Array<{ key: string; points: Array<Record<string, unknown>> }> }, key: string) {
  return c.series.find((s) => s.key === key)?.points ?? [];
}

beforeAll(async () => {
  stack = await startLocalStack();
  const { runPipeline } = await import("../../local/run-pipeline.js");
  ({ ingestFiles } = await import("../../local/ingest.js"));
  chartStore = (await import("../../functions/composition.js")).publishDeps().charts;
  const run = await runPipeline({ since: 2022 });
  expect(run.errors).toEqual([]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("commodity tables", () => {
  it("charts China's crude oil, natural gas, grain and soybean imports by value and by quantity", async () => {
    const value = await chart("china-commodity-imports-value");
    expect(value.unit).toEqual({ currency: "CNY", multiplier: 1e9, label: "CNY billion" });
    expect(series(value, "crude-oil")).toEqual([
      expect.objectContaining({ period: "2026-05", value: 183.29, yoyPct: null, vintage: "preliminary" }),
    ]);
    expect(series(value, "soybeans")[0]).toMatchObject({ period: "2026-05", value: 37.75 });
    const quantity = await chart("china-commodity-imports-quantity");
    expect(quantity.unit).toMatchObject({ currency: null, quantityUnit: "ton", multiplier: 1e6 });
    expect(series(quantity, "crude-oil")[0]).toMatchObject({ period: "2026-05", value: 33.081 });
    expect(series(quantity, "natural-gas")[0]).toMatchObject({ period: "2026-05", value: 10.108 });
  });
});

describe("query-platform exports through the upload path", () => {
  it("charts imports from Russia by HS chapter from a chapter-level export, y/y from levels", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ingest-"));
    const file = join(dir, "russia-chapters.csv");
    await writeFile(
      file,
      russiaChapterExport([
        ["202207", "27", "矿物燃料", "40,000,000,000"],
        ["202207", "10", "谷物", "300,000,000"],
        ["202307", "27", "矿物燃料", "45,000,000,000"],
        ["202307", "10", "谷物", "240,000,000"],
        ["202307", "03", "鱼", "1,234,567,890"],
      ]),
    );
    const first = await ingestFiles([file], "imports", "test-editor");
    expect(first.ok).toBe(true);
    expect(first.lines[0]).toMatch(/new, normalized, 5 rows read, 5 observations written/);
    // What the file held and which chart draws it, printed under the file's line.
    expect(first.lines[1]).toBe(
      "  held: China's imports of HS chapter 03, HS chapter 10 and HS chapter 27 from Russia, July 2022 to July 2023, in yuan",
    );
    expect(first.lines[2]).toBe("  charts: figures for “What China buys from Russia”.");
    const c = await chart("china-russia-imports-by-hs-chapter");
    const hs27 = series(c, "hs27");
    expect(hs27.filter((p) => p.value !== null).map((p) => [p.period, p.value, p.yoyPct, p.vintage])).toEqual(
      [
        ["2022-07", 40, null, "query"],
        ["2023-07", 45, 12.5, "query"],
      ],
    );
    // The eleven months between are listed as gaps: the line breaks, nothing is interpolated.
    expect(hs27.length).toBe(13);
    expect(hs27[1]).toMatchObject({ period: "2022-08", value: null, missing: "not-fetched" });
    expect(series(c, "hs10").at(-1)).toMatchObject({ value: 0.24, yoyPct: -20 });
    expect(series(c, "hs03")).toEqual([expect.objectContaining({ value: 1.23456789 })]);
    expect(c.provenance[0].url).toBe("http://stats.customs.gov.cn/");

    // The same file again (an upload delivered twice) writes nothing and publishes nothing.
    const again = await ingestFiles([file], "imports", "test-editor");
    expect(again.lines[0]).toMatch(/already uploaded/);
    expect(again.lines.at(-1)).toBe("Charts: nothing changed, nothing published");
  });
});
