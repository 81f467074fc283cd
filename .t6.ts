import { build } from "esbuild";
import { esbuildOptionsFor } from "./infra/constructs/pipeline-function.js";
const out = process.argv[2] ?? "/tmp/bp/w/worker.mjs";
await build({ ...esbuildOptionsFor("bench/workers/query-csv-worker.ts", out), sourcemap: false });
