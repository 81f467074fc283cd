/**
 * How many generated cases each property test runs. Under CI (CI=true) the fuzz suite runs 10,000
 * cases in all (the shares below add up to that); locally a twentieth, so `npm test` stays quick.
 * FUZZ_SCALE overrides the factor (e.g. FUZZ_SCALE=1 locally to run what CI runs).
 */
const ci = process.env.CI === "true";
const scale = process.env.FUZZ_SCALE ? Number(process.env.FUZZ_SCALE) : ci ? 1 : 0.05;

/** Cases for a property whose CI share is `ciRuns`; at least 20 whatever the scale. */
export function fuzzRuns(ciRuns: number): number {
  return Math.max(20, Math.round(ciRuns * (Number.isFinite(scale) && scale > 0 ? scale : 0.05)));
}

export const FUZZ_MODE = ci ? "CI" : "local";
