/**
 * Lambda: normalize one release (the state machine maps over the releases the fetch step hands on), or,
 * on the workflow's accept path, one held-back release an editor accepted: the preview they confirmed is
 * computed again first and, if it changed, nothing is written (`refused`, see pipeline/accept-release.ts).
 * The step itself is normalize-step.ts (shared with the Upload function); this binds it to the wiring.
 */
import { normalizeDeps, processWiring, type Wiring } from "../composition.js";
import { type NormalizeHandler, normalizeStep } from "./normalize-step.js";

export type { NormalizeEvent, NormalizeHandler } from "./normalize-step.js";

/** The normalize handler over a wiring: Lambda's is `handler`; `npm start` passes its own. */
export function normalizeHandler(w: Wiring = processWiring): NormalizeHandler {
  return normalizeStep(
    () => normalizeDeps(w),
    () => w.env.deploymentStage,
    // The acceptance's preview (chart building) is loaded only on the accept path.
    () => import("../pipeline/accept-release.js"),
  );
}

export const handler = normalizeHandler();
