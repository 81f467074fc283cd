/**
 * Release-outcome metrics through the real Powertools Metrics: what it writes to stdout is parsed as
 * the EMF document CloudWatch would read, and checked against the names the alarms use.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  METRICS_NAMESPACE,
  PIPELINE_METRICS,
  STAGE_DIMENSION,
} from "../../functions/adapters/metric-names.js";
import { flushMetrics, pipelineMetrics, recordReleaseOutcome } from "../../functions/adapters/metrics.js";
import { releaseOutcomeDocs, stdoutDocs } from "../support/emf.js";

/** One invocation as the normalize handler runs it, inside Lambda. */
const invocation = (status: string) => releaseOutcomeDocs(status, "prod");

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("release outcome metrics (Powertools Metrics, Embedded Metric Format)", () => {
  it("counts a quarantined release in the namespace, name and dimension the alarm reads", () => {
    const docs = invocation("quarantined");
    expect(docs).toHaveLength(1);
    const [doc] = docs;
    expect(doc).toMatchObject({ Stage: "prod", ReleasesQuarantined: 1, ReleasesAccepted: 0 });
    const [directive] = doc?._aws.CloudWatchMetrics ?? [];
    expect(directive?.Namespace).toBe(METRICS_NAMESPACE);
    // Powertools' own "service" dimension would make a different metric: the alarms read [Stage].
    expect(directive?.Dimensions).toEqual([[STAGE_DIMENSION]]);
    expect(doc).not.toHaveProperty("service");
    expect(directive?.Metrics).toEqual([
      { Name: PIPELINE_METRICS.releasesAccepted, Unit: "Count" },
      { Name: PIPELINE_METRICS.releasesQuarantined, Unit: "Count" },
    ]);
    expect(Math.abs(Date.now() - (doc?._aws.Timestamp ?? 0))).toBeLessThan(60_000);
  });

  it("counts normalized and accepted releases as accepted, and a skipped duplicate as nothing", () => {
    expect(invocation("normalized")[0]).toMatchObject({ ReleasesAccepted: 1, ReleasesQuarantined: 0 });
    expect(invocation("accepted")[0]).toMatchObject({ ReleasesAccepted: 1, ReleasesQuarantined: 0 });
    expect(invocation("skipped")).toEqual([]);
  });

  it("flushes per invocation: a warm container does not repeat the previous release's counts", () => {
    vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "normalize");
    const metrics = pipelineMetrics("dev");
    const first = stdoutDocs(() => {
      recordReleaseOutcome(metrics, "quarantined");
      flushMetrics(metrics);
    });
    const second = stdoutDocs(() => {
      recordReleaseOutcome(metrics, "normalized");
      flushMetrics(metrics);
    });
    expect(first[0]).toMatchObject({ Stage: "dev", ReleasesQuarantined: 1, ReleasesAccepted: 0 });
    expect(second[0]).toMatchObject({ Stage: "dev", ReleasesQuarantined: 0, ReleasesAccepted: 1 });
  });

  it("writes nothing outside Lambda, and drops what was recorded there", () => {
    vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "");
    const metrics = pipelineMetrics("local");
    const docs = stdoutDocs(() => {
      recordReleaseOutcome(metrics, "quarantined");
      flushMetrics(metrics);
    });
    expect(docs).toEqual([]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});
