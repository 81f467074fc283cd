import { build } from "esbuild";
import { esbuildOptionsFor } from "./infra/constructs/pipeline-function.js";
await build({ ...esbuildOptionsFor("bench/workers/query-csv-worker.ts", process.argv[2] ?? ""), minify: false, sourcemap: false });
