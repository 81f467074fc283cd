/**
 * `npm run status`, `npm run refresh` and `npm run accept`: the editors' API from a terminal, in a few
 * lines an editor can read. Against the local server (`npm start`) by default, or a deployed stage with
 * --stage.
 *
 *   npm run status                          the local server at http://127.0.0.1:8787
 *   npm run refresh -- --recheck-all        refresh, follow its progress, print what changed
 *   npm run accept -- ID --reason "..."     what accepting a held-back release would publish (nothing
 *                                           written), then with --preview SHA: accept exactly that,
 *                                           follow the run, print what changed
 *   npm run status -- --stage prod          a deployed stage (see "Where the API is" below)
 *
 * Where the API is: --url URL; else, with --stage NAME, the variable GACC_API_URL_<NAME> (e.g.
 * GACC_API_URL_PROD) or GACC_API_URL, else the stack output EditorsApiUrl in cdk-outputs.json (written
 * by `cdk deploy --outputs-file cdk-outputs.json`) or cdk.out/outputs.json (or --outputs FILE); else
 * the local server on --port (default 8787).
 *
 * The token: EDITOR_TOKEN; locally, when unset, the one `npm start` saved in .local/editor-token.
 * Deployed, EDITOR_TOKEN must hold a signed-in editor's Cognito ID token.
 *
 * Exit codes: 0 all good; 1 the run needs attention or failed; 2 bad usage; 3 refused or unreachable.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { optionalEnv } from "../functions/adapters/env.js";
import type { StatusView } from "../functions/api/editors/status.js";
import type { RunRecord } from "../functions/domain/runs.js";
import {
  chartAmount,
  chartChangeText,
  heldBackHeadline,
  labelText,
  momentText,
  runByline,
  runHeadline,
  stageWord,
  statusGlance,
  statusWord,
} from "../functions/domain/wording.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const USAGE = `Usage:
  npm run status  [-- options]          what the pipeline did, what is held back, the charts
  npm run refresh [-- options]          start a refresh and follow it to the end
  npm run accept  -- RELEASE_ID --reason "..." [--currency title|unit-row] [--preview SHA]
                                        without --preview: what accepting would publish (nothing is
                                        written) and the hash to confirm; with it: accept exactly that
                                        preview and follow the run to the end

Options:
  --stage NAME      a deployed stage (e.g. prod): API URL from GACC_API_URL_<NAME>, GACC_API_URL,
                    or the EditorsApiUrl output in cdk-outputs.json / cdk.out/outputs.json
  --url URL         the API's base URL (overrides --stage)
  --outputs FILE    a CDK outputs file to read the API URL from
  --port N          the local server's port (default 8787)
  --data-dir DIR    where \`npm start\` keeps its data and editor-token (default .local)
  --charts a,b      refresh only these charts
  --recheck-all     re-download every known page, not only the newest
  --no-wait         start the refresh (or the acceptance) and return at once
  --reason TEXT     accept: why it is safe to publish (kept in the audit log)
  --currency WHICH  accept: where the title and unit row disagree, which one is right
  --preview SHA     accept: the previewSha256 printed by the preview, confirmed
  --json            print the API's JSON answer instead of the summary`;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export interface Target {
  baseUrl: string;
  token: string | undefined;
  label: string;
  local: boolean;
}

/** The EditorsApiUrl output of the stack for `stage` in a CDK outputs file. */
export function apiUrlFromOutputs(text: string, stage: string): string | undefined {
  const outputs = JSON.parse(text) as Record<string, Record<string, string>>;
  const stacks = Object.entries(outputs);
  const wanted = stacks.filter(([name]) => name.toLowerCase().endsWith(`-${stage.toLowerCase()}`));
  for (const [, out] of wanted.length > 0 ? wanted : stacks.length === 1 ? stacks : []) {
    const key =
      Object.keys(out).find((k) => /EditorsApiUrl/i.test(k)) ??
      Object.keys(out).find((k) => /ApiUrl/i.test(k));
    if (key && out[key]) return out[key];
  }
  return undefined;
}

export function resolveTarget(values: {
  stage?: string | undefined;
  url?: string | undefined;
  outputs?: string | undefined;
  port?: string | undefined;
  "data-dir"?: string | undefined;
}): Target {
  const token = optionalEnv("EDITOR_TOKEN");
  if (values.url) return { baseUrl: values.url.replace(/\/+$/, ""), token, label: values.url, local: false };
  if (values.stage && values.stage !== "local") {
    const stage = values.stage;
    const fromEnv =
      optionalEnv(`GACC_API_URL_${stage.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`) ??
      optionalEnv("GACC_API_URL");
    let url = fromEnv;
    if (!url) {
      const files = values.outputs
        ? [resolve(values.outputs)]
        : [join(ROOT, "cdk-outputs.json"), join(ROOT, "cdk.out", "outputs.json")];
      for (const file of files.filter((f) => existsSync(f))) {
        url = apiUrlFromOutputs(readFileSync(file, "utf8"), stage);
        if (url) break;
      }
    }
    if (!url) {
      throw new CliError(
        `Where is the ${stage} API? Set GACC_API_URL_${stage.toUpperCase()} (or GACC_API_URL), pass --url, or deploy with ` +
          "`npx cdk deploy --outputs-file cdk-outputs.json` so its EditorsApiUrl output can be read.",
        2,
      );
    }
    return { baseUrl: url.replace(/\/+$/, ""), token, label: `${stage} (${url})`, local: false };
  }
  const port = values.port ?? "8787";
  const tokenFile = join(resolve(values["data-dir"] ?? join(ROOT, ".local")), "editor-token");
  const localToken = token ?? (existsSync(tokenFile) ? readFileSync(tokenFile, "utf8").trim() : undefined);
  const baseUrl = `http://127.0.0.1:${port}`;
  return { baseUrl, token: localToken, label: `local (${baseUrl})`, local: true };
}

async function request<T>(
  target: Target,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(`${target.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    const hint = target.local ? " Is `npm start` running (and on this --port)?" : "";
    throw new CliError(
      `Cannot reach ${target.label}: ${(err as Error).cause ?? (err as Error).message}.${hint}`,
      3,
    );
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(
      `${target.label} answered ${res.status} with something that is not JSON: ${text.slice(0, 200)}`,
      3,
    );
  }
  return { status: res.status, body: parsed as T };
}

const errorOf = (body: unknown) =>
  (body as { error?: { message?: string } }).error?.message ?? JSON.stringify(body);

/**
 * The status in a few lines, in the words the console uses (functions/domain/wording.ts): at a
 * glance, the last run, what is held back and why, the charts, recent actions.
 */
export function formatStatus(st: StatusView, label: string): string {
  const lines: string[] = [`GACC trade charts — ${label}`];
  const g = statusGlance(st);
  lines.push(g.charts.text, g.lastIn, g.next.text, g.editor.text, "");
  const nameOf = releaseNamer(st);
  const run = st.latestRun;
  if (run) {
    lines.push(`Last run: ${runByline(run)} — ${statusWord("run", run.status)}`);
    lines.push(
      `  ${run.result ? runHeadline(run, nameOf) : run.stages.map((s) => `${stageWord(s.name)}: ${statusWord("stage", s.status)}`).join(", ")}`,
    );
  } else lines.push("Last run: none yet");
  if (st.running) lines.push(`Running now since ${momentText(st.running.since)} (run ${st.running.runId})`);
  for (const r of st.releases.filter((x) => x.status === "quarantined" && !x.supersededBy)) {
    lines.push(`HELD BACK: the ${r.name}`, `  ${heldBackHeadline(r)}`, `  (release ${r.releaseId})`);
  }
  lines.push(`Charts (${st.charts.length}):`);
  for (const ch of st.charts) {
    const c = ch as typeof ch & { title?: string; state?: string; stateReason?: string };
    lines.push(
      c.state === "awaiting-data"
        ? `  ${c.title ?? c.id}: awaiting data — ${c.stateReason ?? ""}`
        : `  ${c.title ?? c.id}: to ${c.latestPeriod ?? "—"}, updated ${momentText(c.updatedAt)}  ${c.url ?? ""}`,
    );
  }
  if (st.audit.length > 0) {
    lines.push("Recent actions:");
    for (const a of st.audit.slice(0, 5)) {
      lines.push(
        `  ${momentText(a.at)} ${a.by.name}: ${a.action} ${nameOf(a.target)} — ${statusWord("audit", a.result)}`,
      );
    }
  }
  return lines.join("\n");
}

function releaseNamer(st: Pick<StatusView, "releases"> | undefined): (id: string) => string {
  const names = new Map((st?.releases ?? []).map((r) => [r.releaseId, r.name]));
  return (id) => names.get(id) ?? id;
}

/** What a finished run did, for the terminal, in the console's words. */
export function formatRun(run: RunRecord, st?: Pick<StatusView, "releases">): string {
  const nameOf = releaseNamer(st);
  const lines = [`${runByline(run)} — ${statusWord("run", run.status)}`, `  ${runHeadline(run, nameOf)}`];
  for (const q of run.result?.quarantined ?? []) {
    const r = st?.releases.find((x) => x.releaseId === q.releaseId);
    lines.push(
      `  HELD BACK: the ${nameOf(q.releaseId)}: ${heldBackHeadline({ period: r?.period ?? "", reasons: q.reasons })}`,
    );
  }
  for (const c of run.result?.chartChanges ?? []) {
    lines.push(`  ${c.title}: ${chartChangeText(c.counts)}`);
    const unit = (c as typeof c & { unit?: string }).unit ?? "";
    for (const r of c.revisions.slice(0, 5))
      lines.push(
        `    ${labelText(r.label)}: revised from ${unit ? chartAmount(r.previous ?? 0, unit) : r.previous} to ${unit ? chartAmount(r.value, unit) : r.value}`,
      );
  }
  lines.push(`  (run ${run.runId}; ${run.result?.summary ?? "no result"})`);
  return lines.join("\n");
}

export async function main(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      stage: { type: "string" },
      url: { type: "string" },
      outputs: { type: "string" },
      port: { type: "string" },
      "data-dir": { type: "string" },
      charts: { type: "string" },
      "recheck-all": { type: "boolean", default: false },
      "no-wait": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      reason: { type: "string" },
      currency: { type: "string" },
      preview: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help || (command !== "status" && command !== "refresh" && command !== "accept")) {
    print(USAGE);
    return values.help ? 0 : 2;
  }
  const target = resolveTarget(values);

  if (command === "status") {
    const { status, body } = await request<StatusView>(target, "GET", "/api/status");
    if (status !== 200) throw new CliError(`${target.label} answered ${status}: ${errorOf(body)}`, 3);
    print(values.json ? JSON.stringify(body, null, 2) : formatStatus(body, target.label));
    return 0;
  }

  if (!target.token) {
    throw new CliError(
      target.local
        ? "No editor token: start the server with `npm start` (it saves one in .local/editor-token) or set EDITOR_TOKEN."
        : "Set EDITOR_TOKEN to a signed-in editor's Cognito ID token.",
      2,
    );
  }
  if (command === "accept") return accept(target, positionals[0], values, print);
  const charts = values.charts
    ?.split(",")
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  const started = await request<{ runId?: string; runningId?: string }>(target, "POST", "/api/refresh", {
    ...(charts?.length ? { charts } : {}),
    ...(values["recheck-all"] ? { recheckAll: true } : {}),
  });
  if (started.status !== 202 || !started.body.runId) {
    throw new CliError(`Refresh refused (${started.status}): ${errorOf(started.body)}`, 3);
  }
  const runId = started.body.runId;
  print(`Started run ${runId} on ${target.label}`);
  if (values["no-wait"]) return 0;
  return follow(target, runId, values.json, print);
}

/**
 * `npm run accept`: the preview of accepting a held-back release (nothing written) and the hash to
 * confirm; with --preview, the acceptance of exactly that preview, whose run (normalize with the
 * acceptance, publish) is followed to the end like a refresh.
 */
async function accept(
  target: Target,
  releaseId: string | undefined,
  values: {
    reason?: string | undefined;
    currency?: string | undefined;
    preview?: string | undefined;
    json: boolean;
    "no-wait": boolean;
  },
  print: (line: string) => void,
): Promise<number> {
  if (!releaseId) throw new CliError(`Which release? ${USAGE}`, 2);
  if (!values.reason?.trim()) {
    throw new CliError('Say why it is safe to publish: --reason "..." (it is kept in the audit log).', 2);
  }
  const path = `/api/releases/${encodeURIComponent(releaseId)}`;
  const resolution = values.currency ? { currency: values.currency } : undefined;
  if (!values.preview) {
    const { status, body } = await request<{ headline?: string; previewSha256?: string }>(
      target,
      "POST",
      `${path}/preview`,
      resolution ? { resolution } : {},
    );
    if (status !== 200) throw new CliError(`Preview refused (${status}): ${errorOf(body)}`, 3);
    print(values.json ? JSON.stringify(body, null, 2) : (body.headline ?? ""));
    if (body.previewSha256 && !values.json) {
      print(
        `Nothing was written. To publish exactly this, run the same command with --preview ${body.previewSha256}`,
      );
    }
    return 0;
  }
  const started = await request<{ runId?: string; error?: { code?: string } }>(
    target,
    "POST",
    `${path}/accept`,
    {
      reason: values.reason,
      ...(resolution ? { resolution } : {}),
      previewSha256: values.preview,
    },
  );
  if (started.status !== 202 || !started.body.runId) {
    throw new CliError(`Acceptance refused (${started.status}): ${errorOf(started.body)}`, 3);
  }
  print(`Started run ${started.body.runId} on ${target.label}: publishing as previewed`);
  if (values["no-wait"]) return 0;
  return follow(target, started.body.runId, values.json, print);
}

/** Follows a run to its end, printing each stage as it moves, then what the run did. */
async function follow(
  target: Target,
  runId: string,
  json: boolean,
  print: (line: string) => void,
): Promise<number> {
  let lastLine = "";
  for (;;) {
    const { status, body: run } = await request<RunRecord>(
      target,
      "GET",
      `/api/runs/${encodeURIComponent(runId)}`,
    );
    if (status !== 200) throw new CliError(`Could not follow run ${runId} (${status}): ${errorOf(run)}`, 3);
    const current =
      run.stages.find((s) => s.status === "running") ??
      run.stages.filter((s) => s.status !== "pending").at(-1);
    const line = current
      ? `  ${stageWord(current.name)}: ${current.message}${current.total ? ` (${current.done ?? 0} of ${current.total})` : ""}`
      : "";
    if (line && line !== lastLine) print(line);
    lastLine = line;
    if (run.status !== "running") {
      const st = json ? undefined : await request<StatusView>(target, "GET", "/api/status");
      print(json ? JSON.stringify(run, null, 2) : formatRun(run, st?.status === 200 ? st.body : undefined));
      return run.status === "succeeded" ? 0 : 1;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof CliError ? err.message : `Failed: ${(err as Error).message}`);
      process.exit(err instanceof CliError ? err.exitCode : 1);
    },
  );
}
