/** Lambda: fetch stage. Started by the schedule (via the state machine) or an editor's refresh. */
import { env } from "../adapters/env.js";
import { type FetchReport, fetchReleases } from "../pipeline/fetch-releases.js";
import { fetchDeps } from "./wiring.js";

export interface FetchEvent {
  since?: number;
  recheckAll?: boolean;
  runId?: string;
}

export const DEFAULT_SINCE = 2022;

export async function handler(event: FetchEvent = {}): Promise<FetchReport & { runId: string | undefined }> {
  const report = await fetchReleases(fetchDeps(), {
    baseUrl: env.gaccBaseUrl,
    since: event.since ?? DEFAULT_SINCE,
    recheckAll: event.recheckAll ?? false,
  });
  return { runId: event.runId, ...report };
}
