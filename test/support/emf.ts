/**
 * Captures the CloudWatch Embedded Metric Format documents the pipeline writes (through the real
 * Powertools Metrics, which writes them to process.stdout) so tests can read them as CloudWatch would.
 */
import { vi } from "vitest";
import { flushMetrics, pipelineMetrics, recordReleaseOutcome } from "../../functions/adapters/metrics.js";

export interface EmfDoc {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [key: string]: unknown;
}

/** Runs `act` and returns the JSON lines it wrote to process.stdout. */
export function stdoutDocs(act: () => void): EmfDoc[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return lines
    .join("")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EmfDoc);
}

/** One normalize invocation's metrics as Lambda would write them (AWS_LAMBDA_FUNCTION_NAME set). */
export function releaseOutcomeDocs(status: string, stage: string): EmfDoc[] {
  vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "normalize");
  try {
    const metrics = pipelineMetrics(stage);
    return stdoutDocs(() => {
      recordReleaseOutcome(metrics, status);
      flushMetrics(metrics);
    });
  } finally {
    vi.unstubAllEnvs();
  }
}
