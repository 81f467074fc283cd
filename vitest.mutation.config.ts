import { defineConfig } from "vitest/config";

/**
 * The tests Stryker runs against each mutant: the fast unit tests only (no emulators, no browser),
 * so a mutant costs milliseconds. `npm run test:mutation` uses it; `npm test` does not.
 */
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    testTimeout: 30_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
