/**
 * `npm start`: the whole pipeline on this laptop. Starts dynalite and s3rver in-process on loopback,
 * a mirror of the GACC site serving the project's own sample pages (or --gacc-url), runs
 * fetch → normalize → publish through the same handlers Lambda runs, then serves the charts and the
 * editor console.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createEnv, type Env } from "../functions/adapters/env.js";
import { weakTokenReason } from "../functions/api/auth.js";
import { localWiring, publishDeps, type Wiring } from "../functions/composition.js";
import {
  CHART_FILE_SUFFIXES,
  chartFileKey,
  INDEX_KEY,
  parseIndex,
} from "../functions/domain/charts/published.js";
import { recoverAbandoned } from "../functions/pipeline/runs/lifecycle.js";
import { createLocalEditors, generateEditorToken } from "./editors.js";
import { startEmulators } from "./emulators.js";
import { startMirror } from "./mirror/server.js";
import { formatSummary } from "./run-pipeline.js";
import { startLocalServer } from "./server.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const USAGE = `Usage: npm start -- [options]
  --once            run the pipeline, print a summary and exit (non-zero if anything was held back or failed)
  --gacc-url URL    fetch from this site (e.g. http://english.customs.gov.cn) instead of the built-in mirror
  --since YYYY      first year of index pages to read (default 2022)
  --out DIR         also write the published files to DIR/charts/...
  --port N          the local server's port (default 8787)
  --fresh           wipe the local data (.local/) first`;

export interface StartOptions {
  once: boolean;
  gaccUrl: string | undefined;
  since: number;
  out: string | undefined;
  port: number;
  fresh: boolean;
  dataDir: string;
  quiet?: boolean;
}

export function parseStartArgs(argv: string[]): StartOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      once: { type: "boolean", default: false },
      "gacc-url": { type: "string" },
      since: { type: "string", default: "2022" },
      out: { type: "string" },
      port: { type: "string", default: "8787" },
      fresh: { type: "boolean", default: false },
      "data-dir": { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const since = Number(values.since);
  const port = Number(values.port);
  if (!Number.isInteger(since) || since < 2018 || since > 2100)
    throw new Error(`--since must be a year from 2018, not "${values.since}"`);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, not "${values.port}"`);
  return {
    once: values.once ?? false,
    gaccUrl: values["gacc-url"],
    since,
    out: values.out,
    port,
    fresh: values.fresh ?? false,
    dataDir: resolve(values["data-dir"] ?? join(ROOT, ".local")),
  };
}

/** Copies the published files out of the charts bucket, byte for byte. */
async function exportCharts(wiring: Wiring, outDir: string): Promise<number> {
  const { charts } = publishDeps(wiring);
  const index = await charts.get(INDEX_KEY);
  if (!index) return 0;
  const keys = [
    INDEX_KEY,
    ...parseIndex(index).flatMap((c) => CHART_FILE_SUFFIXES.map((e) => chartFileKey(`${c.id}${e}`))),
  ];
  let n = 0;
  for (const key of keys) {
    const body = await charts.get(key);
    if (!body) continue;
    await mkdir(dirname(join(outDir, key)), { recursive: true });
    await writeFile(join(outDir, key), body);
    n++;
  }
  return n;
}

/** Refuses to start with a weak EDITOR_TOKEN (unset, one is generated): before anything starts. */
function refuseWeakToken(env: Env): void {
  const weak = env.editorToken === undefined ? undefined : weakTokenReason(env.editorToken);
  if (weak) {
    throw new Error(
      `EDITOR_TOKEN is too weak to guard the editors' API: ${weak}. Unset it to have a random one generated, ` +
        "or choose one with e.g. `openssl rand -base64 24`.",
    );
  }
}

export async function start(
  options: StartOptions,
): Promise<{ exitCode: number; stop: () => Promise<void>; url: string }> {
  const log = options.quiet ? () => {} : (m: string) => console.log(m);
  // Configuration is passed in, never written to process.env: what the user set, then the emulators'.
  refuseWeakToken(createEnv(process.env));
  if (options.fresh) await rm(options.dataDir, { recursive: true, force: true });
  const emulators = await startEmulators({
    dataDir: join(options.dataDir, "emulators"),
    fresh: options.fresh,
  });
  let stopMirror = async () => {};
  let baseUrl: string;
  if (options.gaccUrl) {
    baseUrl = options.gaccUrl;
    log(`Fetching from ${baseUrl}`);
  } else {
    const mirror = await startMirror();
    baseUrl = mirror.baseUrl;
    stopMirror = mirror.stop;
    log(`GACC mirror (the project's own sample pages): ${baseUrl}`);
  }
  const serverUrl = `http://127.0.0.1:${options.port}`;
  const env = createEnv({
    ...process.env,
    ...emulators.env,
    GACC_BASE_URL: baseUrl,
    ALLOWED_HOSTS: new URL(baseUrl).host,
    CHARTS_PUBLIC_URL: serverUrl,
    STAGE: "local",
  });
  const wiring = localWiring(env);
  log(
    `Emulators: S3 ${emulators.s3Endpoint}, DynamoDB ${emulators.dynamoEndpoint} (data in ${options.dataDir})`,
  );

  // The editors' API and its run records: the startup run is a refresh like an editor's, recorded,
  // locked and audited, so the console shows it as the latest run.
  const token = env.editorToken ?? generateEditorToken();
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(join(options.dataDir, "editor-token"), `${token}\n`, { mode: 0o600 });
  const editors = createLocalEditors({
    token,
    wiring,
    since: options.since,
    onProgress: (_runId, p) => {
      if (p.status !== "running" || p.done === undefined) log(`[${p.stage}] ${p.message}`);
    },
  });
  for (const r of await recoverAbandoned(editors.deps))
    log(`Closed run ${r.runId}, left unfinished by an earlier start`);
  const startup = await editors.service.refresh({ id: "local", name: "npm start" }, {});
  const finished = await editors.launcher.wait(startup.runId);
  const summary = finished?.summary;
  log("");
  if (summary) log(formatSummary(summary));
  else log(`Run ${startup.runId}: ${finished?.record.result?.summary ?? "did not finish"}`);
  if (options.out)
    log(`Wrote ${await exportCharts(wiring, resolve(options.out))} files to ${resolve(options.out)}/charts`);
  const exitCode = summary?.ok ? 0 : 1;

  const stopAll = async () => {
    await editors.launcher.idle();
    await stopMirror();
    wiring.close();
    await emulators.stop();
  };
  if (options.once) {
    await stopAll();
    return { exitCode, stop: async () => {}, url: serverUrl };
  }
  const server = await startLocalServer({
    charts: editors.deps.charts,
    port: options.port,
    api: editors.route,
  });
  log(`\nCharts and editor console: ${server.url}/  (Ctrl-C to stop)`);
  log(
    `Editor token: ${env.editorToken ? "the one in EDITOR_TOKEN" : token}  (the console asks for it once; saved in ${join(options.dataDir, "editor-token")} for \`npm run refresh\`)`,
  );
  return {
    exitCode,
    url: server.url,
    stop: async () => {
      await server.stop();
      await stopAll();
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let options: StartOptions;
  try {
    options = parseStartArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  start(options).then(
    ({ exitCode, stop }) => {
      if (options.once) process.exit(exitCode);
      const shutdown = () => stop().then(() => process.exit(0));
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    },
    (err: unknown) => {
      console.error(`npm start failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
