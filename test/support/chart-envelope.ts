/**
 * A small valid monthly chart envelope around the given points: the fixture the publish-guard and
 * chart-consistency tests build their cases on (one release "r1" in provenance).
 */
import type { ChartEnvelope, ChartPoint } from "../../functions/domain/charts/envelope.js";

export function testChart(
  points: ChartPoint[],
  extra: Partial<ChartEnvelope> = {},
  sha256 = "a".repeat(64),
): ChartEnvelope {
  return {
    schemaVersion: 2,
    id: "test-chart",
    chartType: "monthly",
    title: "Test",
    subtitle: "",
    unit: { currency: "USD", multiplier: 1e9, label: "US$ billion" },
    source: { name: "GACC", url: "http://english.customs.gov.cn" },
    updatedAt: "2026-04-08T02:00:00.000Z",
    latestPeriod: points.at(-1)?.chartPeriod ?? null,
    nextRelease: null,
    series: [{ key: "imports", label: "Imports from Russia", points }],
    notes: [],
    methodology: [],
    warnings: [],
    provenance: [
      {
        releaseId: "r1",
        url: "http://english.customs.gov.cn/a.html",
        sha256,
        fetchedAt: "2026-04-08T02:00:00.000Z",
      },
    ],
    ...extra,
  };
}
