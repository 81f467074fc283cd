/**
 * The console's chart previews (console/charts.js) import Vega, Vega-Lite and Vega's CSP-safe
 * expression interpreter from node_modules; browsers cannot resolve those bare imports, and the
 * console must not load them from a CDN. This bundles charts.js with esbuild into one local file,
 * console/build/charts.js (not committed), which console.js imports. Built by `npm start`
 * (prestart), by the stack before it deploys the console folder, and by the test suite's setup.
 *
 * The same build bundles the editors' words (functions/domain/wording.ts, the one module the API
 * and the CLI word their answers with) into console/build/wording.js, so the console says exactly
 * what they say.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BuildOptions, build, buildSync, type Metafile } from "esbuild";
import { CONSOLE_DIR, REPO_ROOT } from "./handlers.js";

export const CONSOLE_CHARTS_ENTRY = join(CONSOLE_DIR, "charts.js");
/** Where console.js imports it from: `./build/charts.js`. */
export const CONSOLE_CHARTS_BUNDLE = join(CONSOLE_DIR, "build", "charts.js");
export const CONSOLE_WORDING_ENTRY = join(REPO_ROOT, "functions", "domain", "wording.ts");
/** Where console.js imports the editors' words from: `./build/wording.js`. */
export const CONSOLE_WORDING_BUNDLE = join(CONSOLE_DIR, "build", "wording.js");

const options: BuildOptions = {
  entryPoints: { charts: CONSOLE_CHARTS_ENTRY, wording: CONSOLE_WORDING_ENTRY },
  outdir: join(CONSOLE_DIR, "build"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "linked",
  absWorkingDir: REPO_ROOT,
  logLevel: "warning",
  metafile: true,
};

/** The repository files the last build read (its own sources and specs; not node_modules). */
const INPUTS = join(CONSOLE_DIR, "build", "inputs.json");

/** True when the bundle is older than a source it was built from or the lockfile (library versions). */
function stale(): boolean {
  if (!existsSync(CONSOLE_CHARTS_BUNDLE) || !existsSync(CONSOLE_WORDING_BUNDLE) || !existsSync(INPUTS))
    return true;
  const built = statSync(CONSOLE_CHARTS_BUNDLE).mtimeMs;
  const inputs = JSON.parse(readFileSync(INPUTS, "utf8")) as string[];
  return [...inputs, "package-lock.json"].some((f) => {
    const path = join(REPO_ROOT, f);
    return !existsSync(path) || statSync(path).mtimeMs > built;
  });
}

function recordInputs(metafile: Metafile | undefined): void {
  const inputs = Object.keys(metafile?.inputs ?? {}).filter((f) => !f.includes("node_modules/"));
  writeFileSync(INPUTS, `${JSON.stringify(inputs, null, 2)}\n`);
}

export async function buildConsoleCharts(opts: { force?: boolean } = {}): Promise<string> {
  if (opts.force || stale()) recordInputs((await build(options)).metafile);
  return CONSOLE_CHARTS_BUNDLE;
}

/** For CDK synth, which is synchronous. */
export function buildConsoleChartsSync(opts: { force?: boolean } = {}): string {
  if (opts.force || stale()) recordInputs(buildSync(options).metafile);
  return CONSOLE_CHARTS_BUNDLE;
}

// `tsx infra/console-bundle.ts` (npm's prestart): always rebuild, print what was written.
if (import.meta.url === `file://${process.argv[1]}`) {
  await buildConsoleCharts({ force: true });
  console.log(
    `console chart previews: ${CONSOLE_CHARTS_BUNDLE} (${(statSync(CONSOLE_CHARTS_BUNDLE).size / 1024).toFixed(0)} KiB)`,
  );
}
