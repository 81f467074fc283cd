import { createReadStream } from "node:fs";
import { generateQueryExport, readQueryRows, queryRowToObservation } from "./functions/domain/query-csv/index.js";
const path = "/tmp/q1m.csv";
let t = performance.now();
const g = await generateQueryExport(1_000_000, { to: path });
console.log("generated", g, ((performance.now() - t) / 1000).toFixed(1), "s");
t = performance.now();
let n = 0; let sum = 0; let maxRss = 0;
const prov = { releaseId: "r", url: "u", sha256: "s", fetchedAt: "x" };
const cache = new Map();
for await (const row of readQueryRows(createReadStream(path))) {
  n++; sum += row.value ?? 0;
  const o = queryRowToObservation(row, "imports", prov, undefined, cache);
  if (!o) throw new Error("unmapped " + row.partnerCode);
  if (n % 100000 === 0) maxRss = Math.max(maxRss, process.memoryUsage().rss);
}
const s = (performance.now() - t) / 1000;
console.log(n, "rows", s.toFixed(2), "s", Math.round(n / s), "rows/s", "maxRSS MB", Math.round(maxRss / 1e6));
