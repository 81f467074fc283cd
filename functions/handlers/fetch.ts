/** Lambda: the fetch step. Started by the schedule (via the state machine) or an editor's refresh. */
import { fetchDeps, processWiring, type Wiring } from "../composition.js";
import type { FetchReport } from "../domain/reports.js";
import { fetchReleases } from "../pipeline/fetch-releases.js";

export interface FetchEvent {
  since?: number;
  recheckAll?: boolean;
  runId?: string;
}

export const DEFAULT_SINCE = 2022;

/**
 * Kept back from the Lambda's remaining time for what follows the downloads (listing unfinished
 * releases, returning the report): at most this, and at most a fifth of the time the run starts with.
 */
export const FETCH_RESERVE_MS = 10_000;

/** The part of the Lambda context the time budget needs (absent under `npm start`). */
export interface TimeContext {
  getRemainingTimeInMillis(): number;
}

/** The fetch handler over a wiring: Lambda's is `handler`; `npm start` passes its own. */
export function fetchHandler(w: Wiring = processWiring) {
  return async (
    event: FetchEvent = {},
    context?: TimeContext,
  ): Promise<FetchReport & { runId: string | undefined }> => {
    const reserve = context ? Math.min(FETCH_RESERVE_MS, context.getRemainingTimeInMillis() / 5) : 0;
    const report = await fetchReleases(fetchDeps(w), {
      baseUrl: w.env.gaccBaseUrl,
      since: event.since ?? DEFAULT_SINCE,
      recheckAll: event.recheckAll ?? false,
      ...(context ? { remainingMs: () => context.getRemainingTimeInMillis() - reserve } : {}),
    });
    return { runId: event.runId, ...report };
  };
}

export const handler = fetchHandler();
