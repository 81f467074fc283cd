/** An editor's (or the schedule's) refresh: started under the lock, run in the background by the launcher. */
import { describeError, InvalidRequest } from "../../domain/errors.js";
import type { Actor, RunRecord } from "../../domain/runs.js";
import { beginRun, finishRun } from "../../pipeline/runs/lifecycle.js";
import { type EditorDeps, KNOWN_CHARTS } from "./deps.js";
import { observeRun } from "./run-observation.js";

/** Starts a refresh in the background; returns its record at once (stages pending). */
export async function refresh(
  deps: EditorDeps,
  by: Actor,
  input: { charts?: unknown; recheckAll?: unknown },
): Promise<RunRecord> {
  const charts = parseCharts(input.charts);
  if (input.recheckAll !== undefined && typeof input.recheckAll !== "boolean") {
    throw new InvalidRequest(`"recheckAll" must be true or false, not ${JSON.stringify(input.recheckAll)}.`);
  }
  const record = await beginRun(
    deps,
    { kind: "refresh", by, request: { charts, recheckAll: input.recheckAll === true ? true : undefined } },
    (holder) => observeRun(deps, holder).then(() => undefined),
  );
  try {
    const { executionRef } = await deps.launcher.launch(record.request);
    return { ...record, executionRef };
  } catch (err) {
    await finishRun(deps, record, {
      normalize: [],
      errors: [{ stage: "fetch", ...describeError(err) }],
    });
    throw err;
  }
}

function parseCharts(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new InvalidRequest(`"charts" must be a list of chart ids, e.g. ["${KNOWN_CHARTS[0]}"].`);
  }
  const unknown = (value as string[]).filter((id) => !KNOWN_CHARTS.includes(id));
  if (unknown.length > 0) {
    throw new InvalidRequest(
      `Unknown chart${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}. Known charts: ${KNOWN_CHARTS.join(", ")}.`,
      {
        knownCharts: KNOWN_CHARTS,
      },
    );
  }
  return value.length > 0 ? (value as string[]) : undefined;
}
