/**
 * Query-platform CSV: normalize throughput and peak memory on a generated 1,000,000-row GB18030
 * export in the platform's format (every field quoted, trailing comma, thousands commas, `?` for
 * none), against raw parse throughput of Papa Parse and uDSV on the same bytes in the same run.
 *
 * Each measurement runs in a fresh `node` process (bench/workers/query-csv-worker.ts, bundled with the
 * Lambda esbuild options), so peak RSS is that process's own and no run warms another's JIT. Modes
 * are interleaved round by round, and each mode's fastest round is reported (noise from other processes
 * only ever adds time, so the best round is the closest to what the code costs; the median is kept
 * beside it); ratios are taken within the run.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { esbuildOptionsFor } from "../infra/constructs/pipeline-function.js";
import { generateQueryExport } from "../test/support/query-export.js";
import { runNodeJson } from "./lib/child.js";
import { MiB, median, since } from "./lib/stats.js";
import type { WorkerResult } from "./workers/query-csv-worker.js";

const WORKER_ENTRY = new URL("./workers/query-csv-worker.ts", import.meta.url).pathname;

export interface QueryCsvOptions {
  rows: number;
  rounds: number;
}

export interface ModeFigures {
  /** From the fastest round. */
  rowsPerSec: number;
  /** The fastest round. */
  ms: number;
  medianMs: number;
  /** CPU time of the least-CPU round (user + system): barely moves with load, unlike wall time. */
  cpuMs: number;
  /** Every round's time, in the order run. */
  roundsMs: number[];
  maxRssMB: number;
}

export interface QueryCsvFigures {
  rows: number;
  bytes: number;
  generateMs: number;
  rounds: number;
  decode: string;
  normalize: ModeFigures & { baselineRssMB: number; observations: number };
  papaparse: ModeFigures;
  udsv: ModeFigures;
  /** normalizeQueryExport (all checks, in memory) on a 10,000-row file: the upload path. */
  export10k: { rows: number; ms: number; rowsPerSec: number; maxRssMB: number };
}

function figures(results: WorkerResult[], expectRows: number): ModeFigures {
  for (const r of results) {
    if (r.rows !== expectRows) throw new Error(`${r.mode} read ${r.rows} rows, expected ${expectRows}`);
  }
  const ms = Math.min(...results.map((r) => r.ms));
  return {
    medianMs: median(results.map((r) => r.ms)),
    cpuMs: Math.min(...results.map((r) => r.cpuMs)),
    rowsPerSec: (expectRows / ms) * 1000,
    ms,
    roundsMs: results.map((r) => r.ms),
    maxRssMB: Math.max(...results.map((r) => r.maxRssMB)),
  };
}

export async function benchQueryCsv(
  workDir: string,
  options: QueryCsvOptions,
  log: (line: string) => void,
): Promise<QueryCsvFigures> {
  const file = join(workDir, "query-export-gb18030.csv");
  const small = join(workDir, "query-export-10k-gb18030.csv");
  let t0 = performance.now();
  const generated = await generateQueryExport(options.rows, { to: file, encoding: "gb18030" });
  await generateQueryExport(10_000, { to: small, encoding: "gb18030", seed: 7 });
  const generateMs = since(t0);
  log(
    `  generated ${options.rows.toLocaleString("en-US")} rows, ${(generated.bytes / MiB).toFixed(1)} MiB, in ${Math.round(generateMs)} ms`,
  );

  const worker = join(workDir, "query-csv-worker.mjs");
  await build({ ...esbuildOptionsFor(WORKER_ENTRY, worker), sourcemap: false });

  const modes = ["normalize", "papaparse", "udsv"] as const;
  const results: Record<(typeof modes)[number], WorkerResult[]> = { normalize: [], papaparse: [], udsv: [] };
  for (let round = 1; round <= options.rounds; round++) {
    for (const mode of modes) {
      const r = await runNodeJson<WorkerResult>(worker, { args: [mode, file] });
      if (r.encoding !== "gb18030") throw new Error(`${mode} read the file as ${r.encoding}, not GB18030`);
      results[mode].push(r);
    }
    const line = modes.map((m) => `${m} ${Math.round(results[m].at(-1)?.ms ?? 0)} ms`).join(", ");
    log(`  round ${round}/${options.rounds}: ${line}`);
  }
  const exportRuns: WorkerResult[] = [];
  for (let i = 0; i < 3; i++)
    exportRuns.push(await runNodeJson<WorkerResult>(worker, { args: ["export", small] }));
  t0 = performance.now();
  const norm = figures(results.normalize, options.rows);
  const exportMs = median(exportRuns.map((r) => r.ms));
  return {
    rows: options.rows,
    bytes: (await stat(file)).size,
    generateMs,
    rounds: options.rounds,
    decode:
      "all three read the file as a stream of 64 KiB chunks and decode it with the project's decoder " +
      "(decodeQueryExport: encoding sniffing, then GB18030 → text); the parsers get the same strings",
    normalize: {
      ...norm,
      baselineRssMB: Math.max(...results.normalize.map((r) => r.baselineRssMB)),
      observations: results.normalize[0]?.observations ?? 0,
    },
    papaparse: figures(results.papaparse, options.rows),
    udsv: figures(results.udsv, options.rows),
    export10k: {
      rows: exportRuns[0]?.rows ?? 0,
      ms: exportMs,
      rowsPerSec: ((exportRuns[0]?.rows ?? 0) / exportMs) * 1000,
      maxRssMB: Math.max(...exportRuns.map((r) => r.maxRssMB)),
    },
  };
}
