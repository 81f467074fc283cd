import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Stryker runs the tests in a copy of the repo (.stryker-tmp/sandbox-*/), where ../shared is not the
// real GACC files' folder: without this the tests on real pages and exports were skipped in every
// mutation run, and their mutants counted as survivors.
const here = dirname(fileURLToPath(import.meta.url));
const sharedGaccDir =
  process.env.SHARED_GACC_DIR ??
  [resolve(here, "../shared/data/gacc"), resolve(here, "../../../shared/data/gacc")].find((d) =>
    existsSync(d),
  );

/**
 * The tests Stryker runs against each mutant: the fast unit tests of the number path only (no
 * emulators, no browser, not the mirror or editors' API suites, which re-render whole sites and
 * would run for every mutant of a module-level constant). `npm run test:mutation` uses it;
 * `npm test` does not.
 */
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    exclude: [
      "test/unit/mirror*.test.ts",
      "test/unit/editors-api.test.ts",
      "test/unit/multipart.test.ts",
      "test/unit/calendar.test.ts",
      "test/unit/metrics.test.ts",
      "test/unit/partners.test.ts",
      // Its 400-case sentence property takes 10–30 s on two loaded cores, and every mutant of facts.ts
      // and sentences.ts would run it (an hour a run); facts-rules.test.ts and sentences.test.ts
      // cover those files. Leaving a suite out can only lower a score, never raise it.
      "test/unit/facts.test.ts",
      // They read the source as text and run none of it: no mutant can change their result.
      "test/unit/architecture.test.ts",
      "test/unit/mutation-static.test.ts",
    ],
    // Generous: property tests run under Stryker's instrumentation on a shared CPU.
    testTimeout: 180_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...(sharedGaccDir ? { SHARED_GACC_DIR: sharedGaccDir } : {}),
    },
  },
});
