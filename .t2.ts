import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchPipeline } from "./bench/pipeline.js";
const dir = await mkdtemp(join(tmpdir(), "bench-"));
const t = performance.now();
const r = await benchPipeline(dir, console.log);
console.log(JSON.stringify(r, null, 1));
console.log("total", performance.now() - t);
