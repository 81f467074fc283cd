import { createReadStream } from "node:fs";
import { generateQueryExport, readQueryRows, queryRowToObservation } from "./functions/domain/query-csv/index.js";
const file = "/tmp/bp/q1m.csv";
if (process.argv[2] === "gen") { const t = performance.now(); console.log(await generateQueryExport(1_000_000, { to: file, encoding: "gb18030" }), performance.now() - t); process.exit(0); }
const prov = { releaseId: "x", url: "u", sha256: "s", fetchedAt: "2026-01-01T00:00:00Z" };
const t = performance.now();
let n = 0; const cache = new Map();
for await (const row of readQueryRows(createReadStream(file))) { const o = queryRowToObservation(row, "imports", prov, undefined, cache); if (o) n++; }
const tn = performance.now() - t;
console.log("normalize", n, tn.toFixed(0), (n / tn * 1000).toFixed(0), process.resourceUsage().maxRSS / 1024);
