/**
 * Lambda bundles: each handler bundled exactly as the CDK stack bundles it (esbuild with the options
 * infra/constructs/pipeline-function.ts exports: ESM, minified, the createRequire banner, source map
 * beside it, and whatever it leaves external), its size, and its cold `import` time: a fresh `node`
 * process imports the bundle and times the import() alone (process start-up excluded), several times,
 * median reported. The flags are those the stack gives the functions (NODE_OPTIONS=--enable-source-maps).
 *
 * Modules the stack leaves external (the AWS SDK, which the Lambda runtime provides) are not in the
 * bundle's bytes but are loaded by the import, as in Lambda: the bundles sit next to a link to the
 * repo's node_modules, so the child resolves them from there the way the runtime resolves its own copy.
 */
import { stat, symlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { esbuildOptionsFor } from "../infra/constructs/pipeline-function.js";
import { handlerEntries, REPO_ROOT } from "../infra/handlers.js";
import { runNodeJson } from "./lib/child.js";
import { median, since } from "./lib/stats.js";

export interface BundleFigures {
  bytes: number;
  sourceMapBytes: number;
  /** Packages imported at run time rather than bundled (the stack's externalModules). */
  externals: string[];
  coldImportMs: number;
  coldImportRunsMs: number[];
  /**
   * CPU time (user + system) the import took, median: what it costs without waiting for a CPU, so it
   * barely moves when other processes load the machine (wall time does).
   */
  coldImportCpuMs: number;
  /** The same, importing only the external packages (the runtime's SDK clients): the floor under coldImportMs. */
  externalsImportMs: number | undefined;
  /** Wall time of the whole child process (spawn, start-up, import, exit), median. */
  processMs: number;
  buildMs: number;
}

/** What the child runs: import the bundle (or bare package names), time it, say whether a handler came out. */
const IMPORTER = `
const specs = process.argv.slice(2).map((s) => (s.startsWith("/") ? new URL(s, "file://").href : s));
const c0 = process.cpuUsage();
const t0 = performance.now();
const mods = [];
for (const spec of specs) mods.push(await import(spec));
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, handler: typeof mods[0]?.handler }));
`;

/** The flags the deployed functions run with (PipelineFunction sets NODE_OPTIONS to this). */
export const DEPLOYED_NODE_FLAGS = ["--enable-source-maps"];

export async function benchBundles(
  workDir: string,
  options: { imports: number },
  log: (line: string) => void,
): Promise<Record<string, BundleFigures>> {
  const entries = handlerEntries();
  const importer = join(workDir, "cold-import.mjs");
  await writeFile(importer, IMPORTER);
  await symlink(join(REPO_ROOT, "node_modules"), join(workDir, "node_modules"), "dir");
  const out: Record<string, BundleFigures> = {};
  for (const [name, entry] of Object.entries(entries)) {
    if (!entry) continue;
    const outfile = join(workDir, "bundles", name, "index.mjs");
    let t0 = performance.now();
    const result = await build({ ...esbuildOptionsFor(entry, outfile), metafile: true });
    const externals = new Set<string>();
    for (const output of Object.values(result.metafile.outputs)) {
      for (const i of output.imports) {
        if (i.external && !i.path.startsWith("node:") && !/^[a-z_]+$/.test(i.path)) externals.add(i.path);
      }
    }
    const buildMs = since(t0);
    const runs: number[] = [];
    const cpu: number[] = [];
    const wall: number[] = [];
    const floor: number[] = [];
    // The Lambda environment has a region; nothing else is read at import time.
    const child = {
      nodeFlags: DEPLOYED_NODE_FLAGS,
      env: { PATH: process.env.PATH, AWS_REGION: "us-east-1" },
    };
    for (let i = 0; i < options.imports; i++) {
      t0 = performance.now();
      const r = await runNodeJson<{ ms: number; cpuMs: number; handler: string }>(importer, {
        ...child,
        args: [outfile],
      });
      wall.push(since(t0));
      if (r.handler !== "function")
        throw new Error(`${basename(entry)}: the bundle exports no handler function`);
      runs.push(r.ms);
      cpu.push(r.cpuMs);
      // Interleaved, so machine noise hits both alike.
      if (externals.size > 0) {
        floor.push((await runNodeJson<{ ms: number }>(importer, { ...child, args: [...externals] })).ms);
      }
    }
    out[name] = {
      bytes: (await stat(outfile)).size,
      externals: [...externals].sort(),
      sourceMapBytes: (await stat(`${outfile}.map`)).size,
      coldImportMs: median(runs),
      coldImportRunsMs: runs,
      coldImportCpuMs: median(cpu),
      externalsImportMs: floor.length > 0 ? median(floor) : undefined,
      processMs: median(wall),
      buildMs,
    };
    const figures = out[name];
    const ext = externals.size > 0 ? ` (+ external ${[...externals].sort().join(", ")})` : "";
    const floorText =
      figures?.externalsImportMs === undefined
        ? ""
        : ` (the external packages alone: ${Math.round(figures.externalsImportMs)} ms)`;
    log(
      `  ${name}: ${figures?.bytes.toLocaleString("en-US")} bytes${ext}, cold import ${Math.round(figures?.coldImportMs ?? 0)} ms` +
        ` (CPU ${Math.round(figures?.coldImportCpuMs ?? 0)} ms)${floorText}`,
    );
  }
  return out;
}
