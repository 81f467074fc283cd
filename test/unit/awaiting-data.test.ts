/**
 * A chart with no figures is never published as an empty frame: index.json lists it as awaiting data
 * and no file of it is written, even where an empty frame was published before (schema 1). A chart
 * that had figures and would lose them all is held back by the guard instead.
 */
import { describe, expect, it } from "vitest";
import { CHART_DEFINITIONS } from "../../functions/domain/charts/definitions.js";
import { publishCharts } from "../../functions/pipeline/publish-charts.js";
import { MemoryCharts, MemoryStore } from "../fuzz/support/memory-ports.js";

const HS = "china-russia-imports-by-hs-chapter";
const only = CHART_DEFINITIONS.filter((d) => d.id === HS);
const json = (v: unknown) => Buffer.from(`${JSON.stringify(v)}\n`);

async function publishWith(charts: MemoryCharts) {
  const store = new MemoryStore();
  return publishCharts(
    { releases: store, observations: store, charts },
    { publicBaseUrl: "http://charts.test", definitions: only },
  );
}

describe("charts with no data", () => {
  it("lists the chart as awaiting data and writes none of its files", async () => {
    const charts = new MemoryCharts();
    await publishWith(charts);
    expect(charts.puts.map((p) => p.key)).toEqual(expect.arrayContaining(["charts/index.json"]));
    expect(charts.puts.filter((p) => p.key.includes(HS))).toEqual([]);
    const index = JSON.parse(Buffer.from(charts.objects.get("charts/index.json") ?? "").toString());
    expect(index.charts).toEqual([
      expect.objectContaining({ id: HS, state: "awaiting-data", url: null, csvUrl: null }),
    ]);
  });

  it("does not rewrite an empty frame published before; a chart that had figures is held back", async () => {
    const empty = new MemoryCharts();
    empty.objects.set(`charts/${HS}.json`, json({ id: HS, unit: {}, series: [{ key: "27", points: [] }] }));
    await publishWith(empty);
    expect(empty.puts.filter((p) => p.key.includes(HS))).toEqual([]);

    const withFigures = new MemoryCharts();
    withFigures.objects.set(
      `charts/${HS}.json`,
      json({
        id: HS,
        unit: { currency: "CNY", multiplier: 1e9, label: "CNY billion" },
        series: [
          {
            key: "hs27",
            label: "Mineral fuels",
            points: [{ period: "2023-07", chartPeriod: "2023-07", value: 45 }],
          },
        ],
      }),
    );
    const report = await publishWith(withFigures);
    expect(report.held?.map((h) => [h.chartId, h.reasons.map((r) => r.check)])).toEqual([
      [HS, ["points-lost"]],
    ]);
    expect(withFigures.puts.filter((p) => p.key.includes(HS))).toEqual([]);
  });
});
