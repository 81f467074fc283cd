/**
 * One measurement of the query-CSV benchmark, in a process of its own (bench/query-csv.ts bundles
 * this file with the Lambda esbuild options and runs it with plain `node`), so its peak memory is
 * its own. Prints one JSON line.
 *
 *   node query-csv-worker.mjs <mode> <file>
 *
 * Every mode reads the file as a stream (64 KiB chunks) and decodes it with the project's own
 * decoder (decodeQueryExport: encoding sniffing, then GB18030 → text), so the raw parsers and the
 * normalizer see the same text produced the same way; what differs is only what happens to it:
 *
 *   normalize   readQueryRowBatches + queryRowToObservation (the streaming reader, a decoded chunk's
 *               rows at a time): header check, CSV parse (Papa Parse inside), every row validated
 *               and typed, partner mapped, Observation built; observations are counted and dropped
 *               as a store writer would consume them (streaming, never the whole file in memory).
 *   export      normalizeQueryExport on the whole file: the upload path, all checks, observations
 *               kept in memory (the platform exports at most 10,000 rows a file).
 *   papaparse   Papa.parse over a Node stream of the text: rows of strings, nothing else.
 *   udsv        uDSV's incremental parser (parser.chunk + stringArrs): rows of strings, nothing else.
 */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import Papa from "papaparse";
import { inferSchema, initParser, type Parser } from "udsv";
import type { Partner, Provenance } from "../../functions/domain/model.js";
import {
  type DecodeInfo,
  decodeQueryExport,
  normalizeQueryExport,
  queryRowToObservation,
  readQueryRowBatches,
} from "../../functions/domain/query-csv/index.js";
import { peakRssKb } from "../../test/deployed/support/peak-rss.mjs";

export interface WorkerResult {
  mode: string;
  /** Data rows read (the header excluded). */
  rows: number;
  /** Observations produced (normalize, export). */
  observations: number;
  ms: number;
  /** CPU time (user + system, every thread of the process) over the same span: barely moves with load. */
  cpuMs: number;
  /** Peak resident set size of this process alone (VmHWM: maxRSS would include the parent's). */
  maxRssMB: number;
  /** Resident set size after imports, before reading. */
  baselineRssMB: number;
  encoding: string | undefined;
  /** Sum of observation values mod 1,000,003 (normalize): proves the observations were built. */
  checksum?: number;
}

type Counted = Pick<WorkerResult, "rows" | "observations" | "encoding" | "checksum">;

const PROVENANCE: Provenance = {
  releaseId: "bench-query-export",
  url: "upload://bench/query-export.csv",
  sha256: "0".repeat(64),
  fetchedAt: "2026-01-20T02:00:00.000Z",
};

const CHUNK = 64 * 1024;

async function normalize(file: string): Promise<Counted> {
  const cache = new Map<string, Partner>();
  let rows = 0;
  let observations = 0;
  let checksum = 0;
  let encoding: string | undefined;
  const input = createReadStream(file, { highWaterMark: CHUNK });
  for await (const batch of readQueryRowBatches(input, { onHeader: (h) => (encoding = h.encoding) })) {
    for (const row of batch) {
      rows++;
      const o = queryRowToObservation(row, "imports", PROVENANCE, undefined, cache);
      if (o) {
        observations++;
        checksum = (checksum + o.value) % 1_000_003;
      }
    }
  }
  return { rows, observations, encoding, checksum };
}

async function wholeExport(file: string): Promise<Counted> {
  const result = await normalizeQueryExport(createReadStream(file, { highWaterMark: CHUNK }), {
    flow: "imports",
    provenance: PROVENANCE,
  });
  if (result.blocking.length > 0) throw new Error(`blocked: ${result.blocking[0]?.message}`);
  return { rows: result.observations.length, observations: result.observations.length, encoding: "gb18030" };
}

function text(file: string, info: DecodeInfo): AsyncGenerator<string> {
  return decodeQueryExport(createReadStream(file, { highWaterMark: CHUNK }), info);
}

async function papaparse(file: string): Promise<Counted> {
  const info: DecodeInfo = { encoding: undefined, bom: false };
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(Readable.from(text(file, info)) as unknown as NodeJS.ReadableStream, {
      delimiter: ",",
      newline: "\n",
      quoteChar: '"',
      header: false,
      chunk: (results) => {
        rows += results.data.length;
      },
      complete: () => resolve(),
      error: reject,
    });
  });
  return { rows: rows - 1, observations: 0, encoding: info.encoding };
}

async function udsv(file: string): Promise<Counted> {
  const info: DecodeInfo = { encoding: undefined, bom: false };
  let rows = 0;
  let parser: Parser | undefined;
  const count = () => {
    rows++;
  };
  // uDSV infers its schema from the first chunk, which must hold the header and a few rows; the
  // decoder's first chunk can be as short as the ASCII before the first Chinese character.
  let head = "";
  for await (const chunk of text(file, info)) {
    if (!parser) {
      head += chunk;
      if (head.split("\n", 4).length < 4) continue;
      parser = initParser(inferSchema(head, { col: ",", row: "\n", encl: '"' }));
      parser.chunk<string[]>(head, parser.stringArrs, count);
      continue;
    }
    parser.chunk<string[]>(chunk, parser.stringArrs, count);
  }
  if (!parser) throw new Error("The file has fewer than three lines");
  parser.end();
  return { rows, observations: 0, encoding: info.encoding };
}

const MODES = { normalize, export: wholeExport, papaparse, udsv } as const;

const [mode, file] = process.argv.slice(2);
const run = MODES[mode as keyof typeof MODES];
if (!run || !file) {
  console.error(`usage: node query-csv-worker.mjs <${Object.keys(MODES).join("|")}> <file>`);
  process.exit(2);
}
const baselineRssMB = process.memoryUsage().rss / 1024 / 1024;
const c0 = process.cpuUsage();
const t0 = performance.now();
const counted = await run(file);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const result: WorkerResult = {
  mode: mode ?? "",
  ...counted,
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  maxRssMB: peakRssKb() / 1024,
  baselineRssMB,
};
console.log(JSON.stringify(result));
