/**
 * Lambda bundles: each handler bundled exactly as the CDK stack bundles it (esbuild with the options
 * infra/constructs/pipeline-function.ts exports: ESM, minified, the createRequire banner, source map
 * beside it, the AWS SDK bundled), its size, and its cold `import` time: a fresh `node` process
 * imports the bundle and times the import() alone (process start-up excluded), several times, median
 * reported. The flags are those the stack gives the functions (NODE_OPTIONS=--enable-source-maps).
 *
 * Each bundle is judged against its **reference bundle**: an entry that imports only the AWS SDK
 * clients and commands the function's bundle contains (read from its esbuild metafile), built with
 * the same options. That is the floor any function talking to those services pays. The two are
 * imported alternately in the same loop (bundle, reference, reference, bundle, ...), so load from
 * other processes hits both alike; the ratio reported is the median of the pairs' ratios. On a
 * loaded machine the absolute times stretch; the ratio holds.
 */
import { mkdir, stat, symlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { build, type Metafile } from "esbuild";
import { esbuildOptionsFor } from "../infra/constructs/pipeline-function.js";
import { handlerEntries, REPO_ROOT } from "../infra/handlers.js";
import { runNodeJson } from "./lib/child.js";
import { median, since } from "./lib/stats.js";

export interface ReferenceFigures {
  /** What the reference imports: package → names (the client and the commands the function uses). */
  imports: Record<string, string[]>;
  bytes: number;
  coldImportMs: number;
  coldImportRunsMs: number[];
  coldImportCpuMs: number;
}

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
  /** The SDK-only bundle this one is judged against, measured in the same loop. */
  reference: ReferenceFigures;
  /** Median over the interleaved pairs of (bundle's import ÷ reference's import), wall time. */
  vsReference: number;
  /** The same with CPU time. */
  vsReferenceCpu: number;
  /** Wall time of the whole child process (spawn, start-up, import, exit), median. */
  processMs: number;
  buildMs: number;
}

/** What the child runs: import the bundle, time it, say whether a handler came out. */
const IMPORTER = `
const spec = new URL(process.argv[2], "file://").href;
const c0 = process.cpuUsage();
const t0 = performance.now();
const mod = await import(spec);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, handler: typeof mod.handler }));
`;

/** The flags the deployed functions run with (PipelineFunction sets NODE_OPTIONS to this). */
export const DEPLOYED_NODE_FLAGS = ["--enable-source-maps"];

/**
 * The AWS SDK clients and commands a bundle contains, from its metafile: every
 * `@aws-sdk/client-<service>` package in it, with its client class and each `commands/<Name>.js`
 * that esbuild kept. Read from the output's inputs, not `metafile.inputs`: the latter lists every
 * command module the client's index re-exports, tree-shaken or not (S3 alone has over a hundred), and
 * a reference importing them all is ~80 KB and ~10 ms heavier than the SDK the function carries, which
 * flattered the ratio.
 */
export function sdkImports(metafile: Metafile): Record<string, string[]> {
  const found: Record<string, Set<string>> = {};
  const kept = Object.values(metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([path]) => path),
  );
  for (const path of kept) {
    const m =
      /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\/dist-es\/(?:(commands)\/([A-Za-z0-9]+)\.js|([A-Za-z0-9]+Client)\.js)$/.exec(
        path,
      );
    if (!m?.[1]) continue;
    const names = found[m[1]] ?? new Set<string>();
    found[m[1]] = names;
    const name = m[3] ?? m[4];
    if (name && name !== "index") names.add(name);
  }
  return Object.fromEntries(Object.entries(found).map(([pkg, names]) => [pkg, [...names].sort()]));
}

/** An entry importing those names and keeping them (so esbuild keeps exactly what the function keeps). */
function referenceSource(imports: Record<string, string[]>): string {
  const kept: string[] = [];
  const lines = Object.entries(imports).map(([pkg, names], p) => {
    // Two services can export the same command name (TagResourceCommand): alias each per package.
    const aliased = names.map((n) => `${n} as ${n}_${p}`);
    kept.push(...names.map((n) => `${n}_${p}`));
    return `import { ${aliased.join(", ")} } from "${pkg}";`;
  });
  return `${lines.join("\n")}\nexport const handler = async () => [${kept.join(", ")}].length;\n`;
}

interface ImportRun {
  ms: number;
  cpuMs: number;
  handler: string;
}

export async function benchBundles(
  workDir: string,
  options: { imports: number },
  log: (line: string) => void,
): Promise<Record<string, BundleFigures>> {
  const entries = handlerEntries();
  const importer = join(workDir, "cold-import.mjs");
  await writeFile(importer, IMPORTER);
  // The reference entries sit in the work dir and resolve the SDK from the repo's node_modules.
  await symlink(join(REPO_ROOT, "node_modules"), join(workDir, "node_modules"), "dir");
  const out: Record<string, BundleFigures> = {};
  for (const [name, entry] of Object.entries(entries)) {
    if (!entry) continue;
    const outfile = join(workDir, "bundles", name, "index.mjs");
    let t0 = performance.now();
    const result = await build({ ...esbuildOptionsFor(entry, outfile), metafile: true });
    const buildMs = since(t0);
    const externals = new Set<string>();
    for (const output of Object.values(result.metafile.outputs)) {
      for (const i of output.imports) {
        if (i.external && !i.path.startsWith("node:") && !/^[a-z_]+$/.test(i.path)) externals.add(i.path);
      }
    }
    const imports = sdkImports(result.metafile);
    const refEntry = join(workDir, "reference", name, "entry.mjs");
    const refOut = join(workDir, "reference", name, "index.mjs");
    await mkdir(join(workDir, "reference", name), { recursive: true });
    await writeFile(refEntry, referenceSource(imports));
    await build({ ...esbuildOptionsFor(refEntry, refOut), absWorkingDir: workDir });

    // The Lambda environment has a region; nothing else is read at import time.
    const child = {
      nodeFlags: DEPLOYED_NODE_FLAGS,
      env: { PATH: process.env.PATH, AWS_REGION: "us-east-1" },
    };
    const run = async (file: string) => {
      const r = await runNodeJson<ImportRun>(importer, { ...child, args: [file] });
      if (r.handler !== "function")
        throw new Error(`${basename(file)}: the bundle exports no handler function`);
      return r;
    };
    const runs: ImportRun[] = [];
    const refRuns: ImportRun[] = [];
    const wall: number[] = [];
    for (let i = 0; i < options.imports; i++) {
      // Alternate which goes first, so neither always follows the other's page-cache warm-up.
      if (i % 2 === 1) refRuns.push(await run(refOut));
      t0 = performance.now();
      runs.push(await run(outfile));
      wall.push(since(t0));
      if (i % 2 === 0) refRuns.push(await run(refOut));
    }
    const ratios = runs.map((r, i) => r.ms / (refRuns[i]?.ms ?? Number.NaN));
    const cpuRatios = runs.map((r, i) => r.cpuMs / (refRuns[i]?.cpuMs ?? Number.NaN));
    const figures: BundleFigures = {
      bytes: (await stat(outfile)).size,
      externals: [...externals].sort(),
      sourceMapBytes: (await stat(`${outfile}.map`)).size,
      coldImportMs: median(runs.map((r) => r.ms)),
      coldImportRunsMs: runs.map((r) => r.ms),
      coldImportCpuMs: median(runs.map((r) => r.cpuMs)),
      reference: {
        imports,
        bytes: (await stat(refOut)).size,
        coldImportMs: median(refRuns.map((r) => r.ms)),
        coldImportRunsMs: refRuns.map((r) => r.ms),
        coldImportCpuMs: median(refRuns.map((r) => r.cpuMs)),
      },
      vsReference: median(ratios),
      vsReferenceCpu: median(cpuRatios),
      processMs: median(wall),
      buildMs,
    };
    out[name] = figures;
    const clients = Object.keys(imports)
      .map((p) => p.replace("@aws-sdk/client-", ""))
      .join(", ");
    log(
      `  ${name}: ${figures.bytes.toLocaleString("en-US")} bytes, cold import ${Math.round(figures.coldImportMs)} ms` +
        ` (CPU ${Math.round(figures.coldImportCpuMs)} ms); reference (SDK ${clients || "none"}): ` +
        `${figures.reference.bytes.toLocaleString("en-US")} bytes, ${Math.round(figures.reference.coldImportMs)} ms ` +
        `(CPU ${Math.round(figures.reference.coldImportCpuMs)} ms); ratio ${figures.vsReference.toFixed(2)}× ` +
        `(CPU ${figures.vsReferenceCpu.toFixed(2)}×)`,
    );
  }
  return out;
}
