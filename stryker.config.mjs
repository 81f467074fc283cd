/**
 * Mutation testing of the number path (issue 16): `npm run test:mutation`, or for one file
 * `npm run test:mutation -- --mutate functions/domain/numbers.ts`. Default mutators; the only
 * mutants left out are those in message and log text (test/mutation/ignore-message-text.mjs says
 * why, rule by rule). Results and equivalent survivors: docs/testing.md.
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner", "./test/mutation/ignore-message-text.mjs"],
  ignorers: ["message-text"],
  mutate: [
    "functions/domain/numbers.ts",
    "functions/domain/units.ts",
    "functions/domain/checks/*.ts",
    "functions/domain/gacc/html-table.ts",
    "functions/domain/gacc/locate.ts",
    "functions/domain/gacc/release-title.ts",
    "functions/domain/gacc/table4.ts",
    "functions/domain/gacc/bulletin.ts",
    "functions/domain/gacc/commodity-table.ts",
    "functions/domain/gacc/commodity/*.ts",
    "functions/domain/query-csv/*.ts",
    "functions/domain/charts/build.ts",
    "functions/domain/facts/facts.ts",
    "functions/domain/facts/sentences.ts",
  ],
  coverageAnalysis: "perTest",
  // Stryker's default writes `// @ts-nocheck` atop every file of its copy, the generated schema
  // validators (.js) included, and test/unit/schema-validators.test.ts then finds them changed and
  // fails the initial run. Only the TypeScript it mutates needs it (vitest never type-checks).
  disableTypeChecks: "functions/**/*.ts",
  // Re-test only mutants whose code or covering tests changed since the committed baseline.
  incremental: true,
  incrementalFile: "test/mutation/stryker-incremental.json",
  // Two cores, shared: two test-runner processes.
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
