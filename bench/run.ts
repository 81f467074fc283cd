/**
 * `npm run bench [-- --json FILE] [--rows N] [--rounds N] [--keep]`
 *
 * Measures what the pipeline costs where it is billed or waited on, prints a table and a PASS/FAIL
 * line per target, and with --json writes the figures to FILE. Everything runs locally with no AWS
 * account: Lambda bundles are built with the stack's esbuild options, DynamoDB and S3 are dynalite
 * and s3rver in a temp dir (local/emulators.ts), GACC is a local mirror of synthetic pages.
 *
 *   pageParseMs              bench/page-parse.ts   table (4) page → observations, median
 *   normalize…, papaparse…   bench/query-csv.ts    1,000,000-row GB18030 query export, child processes
 *   writes, publish…         bench/pipeline.ts     fetch → normalize → publish through the handlers
 *   bundles                  bench/bundles.ts      bytes and cold import of each Lambda bundle
 *   release→reader, cost/month, backfill   bench/perfmodel.ts   the deployed shape, run (--skip-deployed: not)
 *
 * Exit code 1 when a target fails. Ratios are measured within one run: the machine is noisy, so
 * compare runs by their ratios, not their absolute rates.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type BundleFigures, benchBundles, DEPLOYED_NODE_FLAGS } from "./bundles.js";
import { MiB, round, since } from "./lib/stats.js";
import { benchPageParse } from "./page-parse.js";
import { benchPerfModel, printPerfModel } from "./perfmodel.js";
import { benchPipeline, type WriteFigures } from "./pipeline.js";
import { benchQueryCsv } from "./query-csv.js";

const TARGETS = {
  normalizeVsPapaparse: 0.8,
  normalizePeakRssMB: 256,
  bundleBytes: MiB,
  /** On a quiet machine (load average ≤ CPUs); on a loaded one the import's CPU time is judged instead. */
  coldImportMs: 150,
  /** Cold import ÷ the reference bundle holding only the function's SDK clients, same run, interleaved. */
  coldImportVsReference: 1.3,
};

interface Target {
  name: string;
  value: string;
  target: string;
  pass: boolean;
}

const { values: args } = parseArgs({
  options: {
    json: { type: "string" },
    rows: { type: "string", default: "1000000" },
    rounds: { type: "string", default: "4" },
    imports: { type: "string", default: "9" },
    keep: { type: "boolean", default: false },
    "skip-deployed": { type: "boolean", default: false },
    // First months of the backfill spans (each to the last month; the steady state adds 2022-01).
    "backfill-from": { type: "string", default: "2025-10,2018-01" },
  },
});
const rows = Number(args.rows);
const rounds = Number(args.rounds);
const imports = Number(args.imports);
if (
  !Number.isInteger(rows) ||
  rows < 1000 ||
  !Number.isInteger(rounds) ||
  rounds < 1 ||
  !Number.isInteger(imports) ||
  imports < 1
) {
  console.error(
    "usage: npm run bench -- [--json FILE] [--rows N ≥ 1000] [--rounds N ≥ 1] [--imports N ≥ 1] [--keep]",
  );
  process.exit(2);
}

const log = (line: string) => console.error(line);
const started = performance.now();
const workDir = await mkdtemp(join(tmpdir(), "gacc-bench-"));
const loadAtStart = loadavg()[0] ?? 0;
log(
  `bench: working in ${workDir} (node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ` +
    `load average ${loadAtStart.toFixed(2)})`,
);

try {
  log(
    "Lambda bundles (esbuild with the stack's options; cold import in fresh node processes, " +
      "interleaved with a reference bundle of the same SDK clients)",
  );
  const bundles = await benchBundles(workDir, { imports }, log);
  const loadAfterBundles = loadavg()[0] ?? 0;
  // Wall time judges the absolute target only on a quiet machine; under load, waiting for a CPU is
  // not the code's cost, so the import's own CPU time is judged (the ratio judges either way).
  const quiet = Math.max(loadAtStart, loadAfterBundles) <= cpus().length;

  log("table (4) page parse");
  const page = benchPageParse({ rounds: 5 });
  log(`  ${page.parses} parses of ${page.pages} pages, median ${page.medianMs.toFixed(2)} ms`);

  log(
    `query-platform CSV: ${rows.toLocaleString("en-US")} rows, ${rounds} interleaved rounds in child processes`,
  );
  const csv = await benchQueryCsv(workDir, { rows, rounds }, log);

  log("pipeline against dynalite + s3rver + a GACC mirror (fetch → normalize → publish handlers)");
  const pipe = await benchPipeline(workDir, log);

  const model = args["skip-deployed"]
    ? undefined
    : await benchPerfModel(
        {
          historyFrom: "2022-01",
          lastMonth: "2026-09",
          nextMonth: "2026-10",
          currentYear: 2026,
          backfillFrom: (args["backfill-from"] ?? "").split(",").filter(Boolean),
        },
        log,
      );

  // ---- figures -----------------------------------------------------------------------------------
  const fastest = csv.udsv.rowsPerSec >= csv.papaparse.rowsPerSec ? "uDSV" : "Papa Parse";
  const figures = {
    pageParseMs: round(page.medianMs, 3),
    normalizeRowsPerSec: Math.round(csv.normalize.rowsPerSec),
    normalizeMBPerSec: round(csv.bytes / MiB / (csv.normalize.ms / 1000), 1),
    papaparseRowsPerSec: Math.round(csv.papaparse.rowsPerSec),
    fastestParser: fastest,
    fastestParserRowsPerSec: Math.round(Math.max(csv.udsv.rowsPerSec, csv.papaparse.rowsPerSec)),
    udsvRowsPerSec: Math.round(csv.udsv.rowsPerSec),
    normalizeVsPapaparse: round(csv.normalize.rowsPerSec / csv.papaparse.rowsPerSec, 3),
    normalizeVsPapaparseCpu: round(csv.papaparse.cpuMs / csv.normalize.cpuMs, 3),
    normalizePeakRssMB: round(csv.normalize.maxRssMB, 1),
    writes: pipe.writes,
    publishMs: Math.round(pipe.publishMs),
    publishDynamoRequests: { Query: 0, Scan: 0, ...pipe.publishDynamoRequests },
    bundles: Object.fromEntries(
      Object.entries(bundles).map(([name, b]) => [
        name,
        {
          bytes: b.bytes,
          coldImportMs: round(b.coldImportMs, 1),
          coldImportCpuMs: round(b.coldImportCpuMs, 1),
          externals: b.externals,
          sourceMapBytes: b.sourceMapBytes,
          referenceBytes: b.reference.bytes,
          referenceColdImportMs: round(b.reference.coldImportMs, 1),
          referenceColdImportCpuMs: round(b.reference.coldImportCpuMs, 1),
          vsReference: round(b.vsReference, 3),
          vsReferenceCpu: round(b.vsReferenceCpu, 3),
        },
      ]),
    ),
  };

  // ---- targets -----------------------------------------------------------------------------------
  const one = pipe.writes.oneMonthRelease;
  // Observations and revision records go out in BatchWriteItem requests (release records are PutItems).
  const oneBatch = one.byStage.normalize;
  const targets: Target[] = [
    {
      name: "normalize ÷ Papa Parse throughput",
      value: figures.normalizeVsPapaparse.toFixed(2),
      target: `≥ ${TARGETS.normalizeVsPapaparse}`,
      pass: figures.normalizeVsPapaparse >= TARGETS.normalizeVsPapaparse,
    },
    {
      name: "normalize peak RSS (1M rows)",
      value: `${figures.normalizePeakRssMB} MB`,
      target: `< ${TARGETS.normalizePeakRssMB} MB`,
      pass: figures.normalizePeakRssMB < TARGETS.normalizePeakRssMB,
    },
    {
      name: "unchanged re-run writes",
      value: `${pipe.writes.unchangedRerun.requests} requests, ${pipe.writes.unchangedRerun.units} WCU`,
      target: "0",
      pass: pipe.writes.unchangedRerun.requests === 0 && pipe.writes.unchangedRerun.units === 0,
    },
    {
      name: "one-month release writes ∝ changes",
      value:
        `${one.observationsChanged} observations changed (+${one.revisions} revision records) → ` +
        `${oneBatch.batchItems} items in ${oneBatch.batchWriteRequests} batch writes`,
      target: `${pipe.oneMonthBatchItems} items in ${pipe.oneMonthExpectedBatches}`,
      pass:
        oneBatch.batchItems === pipe.oneMonthBatchItems &&
        oneBatch.batchWriteRequests === pipe.oneMonthExpectedBatches,
    },
    {
      // Reads by key (Query; GetItem of one record) are fine; a Scan reads the whole table.
      name: "publish never scans",
      value: Object.entries(figures.publishDynamoRequests)
        .map(([op, n]) => `${op} ${n}`)
        .join(", "),
      target: "Scan 0 (store stats: 0)",
      pass: figures.publishDynamoRequests.Scan === 0 && pipe.publishStoreStats.scans === 0,
    },
    ...Object.entries(bundles).flatMap(([name, b]) => [
      {
        name: `${name} bundle size`,
        value: `${(b.bytes / MiB).toFixed(2)} MB`,
        target: `≤ ${TARGETS.bundleBytes / MiB} MB`,
        pass: b.bytes <= TARGETS.bundleBytes,
      },
      {
        name: `${name} cold import`,
        value: `${b.coldImportMs.toFixed(0)} ms (CPU ${b.coldImportCpuMs.toFixed(0)} ms)`,
        target: quiet
          ? `< ${TARGETS.coldImportMs} ms, wall time`
          : `< ${TARGETS.coldImportMs} ms, CPU time: machine loaded (${Math.max(loadAtStart, loadAfterBundles).toFixed(1)} on ${cpus().length} CPUs)`,
        pass: (quiet ? b.coldImportMs : b.coldImportCpuMs) < TARGETS.coldImportMs,
      },
      {
        name: `${name} cold import ÷ SDK-only reference`,
        value: `${b.vsReference.toFixed(2)}× (CPU ${b.vsReferenceCpu.toFixed(2)}×)`,
        target: `≤ ${TARGETS.coldImportVsReference}×, wall time, median of ${b.coldImportRunsMs.length} pairs`,
        pass: b.vsReference <= TARGETS.coldImportVsReference,
      },
    ]),
  ];

  // ---- report ------------------------------------------------------------------------------------
  const n = (x: number, d = 0) =>
    x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  const w = (f: WriteFigures) =>
    `${n(f.requests)} requests (${
      Object.entries(f.requestsByType)
        .map(([op, c]) => `${c} ${op}`)
        .join(" + ") || "none"
    }), ${n(f.units)} WCU`;
  const table: Array<[string, string, string]> = [
    [
      "pageParseMs",
      page.medianMs.toFixed(2),
      `median of ${page.parses} parses of ${page.pages} pages (first parse ${page.firstMs.toFixed(0)} ms, p90 ${page.p90Ms.toFixed(2)} ms)`,
    ],
    [
      "normalizeRowsPerSec",
      n(figures.normalizeRowsPerSec),
      `${n(rows)} rows, ${(csv.bytes / MiB).toFixed(1)} MB GB18030, best of ${rounds}: ${n(csv.normalize.ms)} ms (median ${n(csv.normalize.medianMs)})`,
    ],
    ["normalizeMBPerSec", n(figures.normalizeMBPerSec, 1), "bytes of the file read per second"],
    [
      "papaparseRowsPerSec",
      n(figures.papaparseRowsPerSec),
      `same bytes, same decoder: ${n(csv.papaparse.ms)} ms`,
    ],
    [
      "fastestParserRowsPerSec",
      n(figures.fastestParserRowsPerSec),
      `${fastest}: ${n(Math.min(csv.udsv.ms, csv.papaparse.ms))} ms`,
    ],
    [
      "normalizeVsPapaparse",
      figures.normalizeVsPapaparse.toFixed(3),
      `normalize rows/s ÷ Papa Parse rows/s, same run (by CPU time: ${figures.normalizeVsPapaparseCpu.toFixed(2)})`,
    ],
    [
      "normalizePeakRssMB",
      n(figures.normalizePeakRssMB, 1),
      `child process peak RSS, its own (VmHWM; ${n(csv.normalize.baselineRssMB, 1)} MB after imports)`,
    ],
    [
      "normalize 10k-row upload",
      `${n(csv.export10k.ms)} ms`,
      `normalizeQueryExport, all checks, in memory (peak ${n(csv.export10k.maxRssMB, 1)} MB)`,
    ],
    [
      "writes (a) first load",
      w(pipe.writes.firstLoad),
      `${pipe.releases} releases ${pipe.periods.first}…${pipe.periods.last}, ${n(pipe.writes.firstLoad.observationsChanged)} observations`,
    ],
    [
      "writes (b) unchanged re-run",
      w(pipe.writes.unchangedRerun),
      `${pipe.writes.unchangedRerun.observationsChanged} observations changed`,
    ],
    [
      "writes (c) one-month release",
      w(one),
      `${one.observationsChanged} observations changed: ${pipe.periods.added} added, ${pipe.periods.revised} revised (${one.revisions} revisions)`,
    ],
    [
      "publishMs",
      n(figures.publishMs),
      `${pipe.publishCharts} charts, ${pipe.publishFilesWritten} files to s3rver; DynamoDB: ${targets[4]?.value}`,
    ],
    ...Object.entries(bundles).map(([name, b]: [string, BundleFigures]): [string, string, string] => [
      `bundle ${name}`,
      `${n(b.bytes)} B`,
      `cold import ${b.coldImportMs.toFixed(0)} ms (median of ${b.coldImportRunsMs.length}, ${DEPLOYED_NODE_FLAGS.join(" ")}; CPU ${b.coldImportCpuMs.toFixed(0)} ms); ` +
        `reference (${Object.keys(b.reference.imports)
          .map((p) => p.replace("@aws-sdk/client-", ""))
          .join(" + ")}, ${n(b.reference.bytes)} B) ${b.reference.coldImportMs.toFixed(0)} ms ` +
        `(CPU ${b.reference.coldImportCpuMs.toFixed(0)} ms): ${b.vsReference.toFixed(2)}× (CPU ${b.vsReferenceCpu.toFixed(2)}×)`,
    ]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log();
  console.log(line(["figure", "value", "how"]).replace(/ +\|$/, " |"));
  console.log(`|${widths.map((x) => "-".repeat(x + 2)).join("|")}|`);
  for (const r of table) console.log(line(r));
  if (model) printPerfModel(model.rows);
  targets.push(...(model?.targets ?? []));
  console.log();
  const tw = [0, 1, 2].map((i) =>
    Math.max(...targets.map((t) => [t.name, t.value, t.target][i]?.length ?? 0)),
  );
  for (const t of targets) {
    console.log(
      `${t.pass ? "PASS" : "FAIL"}  ${t.name.padEnd(tw[0] ?? 0)}  ${t.value.padEnd(tw[1] ?? 0)}  (target ${t.target})`,
    );
  }
  const elapsed = since(started) / 1000;
  const loadAtEnd = loadavg()[0] ?? 0;
  console.log(
    `\nbench finished in ${elapsed.toFixed(0)} s; 1-minute load average ${loadAtStart.toFixed(2)} at the start, ` +
      `${loadAtEnd.toFixed(2)} at the end, on ${cpus().length} CPUs (timings stretch when it exceeds the CPUs)`,
  );

  if (args.json) {
    const file = resolve(args.json);
    await mkdir(dirname(file), { recursive: true });
    const output = {
      ...figures,
      targets,
      details: { pageParse: page, queryCsv: csv, pipeline: pipe, bundles, perfModel: model?.figures },
      machine: {
        node: process.version,
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        platform: `${process.platform}-${process.arch}`,
        loadAverage: { start: round(loadAtStart, 2), end: round(loadAtEnd, 2) },
      },
      date: new Date().toISOString(),
      elapsedSec: round(elapsed, 1),
      command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    };
    await writeFile(file, `${JSON.stringify(output, null, 2)}\n`);
    log(`figures written to ${file}`);
  }
  process.exitCode = targets.every((t) => t.pass) ? 0 : 1;
} finally {
  if (!args.keep) await rm(workDir, { recursive: true, force: true });
}
