import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchQueryCsv } from "./bench/query-csv.js";
const dir = await mkdtemp(join(tmpdir(), "bench-"));
const t = performance.now();
const r = await benchQueryCsv(dir, { rows: 1_000_000, rounds: 3 }, console.log);
console.log(JSON.stringify(r, null, 1));
console.log("total", performance.now() - t, "ratio", r.normalize.rowsPerSec / r.papaparse.rowsPerSec);
