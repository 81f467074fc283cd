import { describe, expect, it } from "vitest";
import { emitReleaseOutcome, METRICS_NAMESPACE, PIPELINE_METRICS } from "../../functions/adapters/metrics.js";

function emitted(status: string): Record<string, unknown>[] {
  const lines: string[] = [];
  emitReleaseOutcome(status, "prod", (l) => lines.push(l));
  return lines.map((l) => JSON.parse(l));
}

describe("release outcome metrics (CloudWatch Embedded Metric Format)", () => {
  it("counts a quarantined release where the stack's alarm reads it", () => {
    const [doc] = emitted("quarantined");
    expect(doc).toMatchObject({ Stage: "prod", ReleasesQuarantined: 1, ReleasesAccepted: 0 });
    const aws = doc?._aws as {
      CloudWatchMetrics: Array<{
        Namespace: string;
        Dimensions: string[][];
        Metrics: Array<{ Name: string }>;
      }>;
    };
    expect(aws.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
    expect(aws.CloudWatchMetrics[0]?.Dimensions).toEqual([["Stage"]]);
    expect(aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name)).toEqual([
      PIPELINE_METRICS.releasesAccepted,
      PIPELINE_METRICS.releasesQuarantined,
    ]);
  });

  it("counts normalized and accepted releases as accepted, and a skipped duplicate as nothing", () => {
    expect(emitted("normalized")[0]).toMatchObject({ ReleasesAccepted: 1, ReleasesQuarantined: 0 });
    expect(emitted("accepted")[0]).toMatchObject({ ReleasesAccepted: 1 });
    expect(emitted("skipped")).toEqual([]);
  });
});
