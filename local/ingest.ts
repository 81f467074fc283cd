/**
 * `npm run ingest -- FILE... --flow imports|exports`: takes query-platform CSV exports through the
 * same path an editor's upload takes (archive raw → record release → normalize → publish), on the
 * local emulators' data (.local/, shared with `npm start`; stop `npm start` first, or upload in the
 * console instead).
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createEnv } from "../functions/adapters/env.js";
import { localWiring, processWiring, uploadDeps, type Wiring } from "../functions/composition.js";
import { describeError } from "../functions/domain/errors.js";
import { normalizeHandler } from "../functions/handlers/normalize.js";
import { publishHandler } from "../functions/handlers/publish.js";
import { recordUpload } from "../functions/pipeline/upload-release.js";
import { startEmulators } from "./emulators.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = "Usage: npm run ingest -- FILE... --flow imports|exports [--by NAME] [--data-dir DIR]";

export async function ingestFiles(
  files: string[],
  flow: "imports" | "exports",
  by: string,
  wiring: Wiring = processWiring,
): Promise<{ lines: string[]; ok: boolean }> {
  const normalize = normalizeHandler(wiring);
  const publish = publishHandler(wiring);
  const lines: string[] = [];
  let ok = true;
  let written = 0;
  for (const file of files) {
    try {
      const bytes = new Uint8Array(await readFile(file));
      const { release, created } = await recordUpload(uploadDeps(wiring), {
        bytes,
        fileName: basename(file),
        flow,
        uploadedBy: by,
      });
      const report = await normalize({ releaseId: release.releaseId });
      written += report.observationsWritten;
      lines.push(
        `${basename(file)} → ${release.releaseId}: ${created ? "new" : "already uploaded"}, ${report.status}, ` +
          `${report.observationsParsed} rows read, ${report.observationsWritten} observations written`,
      );
      // What the file held, and which charts draw such figures (or which would, and what they need).
      if (report.chartUse) {
        lines.push(`  held: ${report.chartUse.held.text}`);
        lines.push(
          `  charts: ${report.chartUse.uses.length ? report.chartUse.summary.replace(/^.*: figures for /, "figures for ") : report.chartUse.summary}`,
        );
      }
      for (const r of report.reasons) lines.push(`  HELD BACK: ${r.message}`);
      for (const w of report.warnings.slice(0, 5)) lines.push(`  warning: ${w.message}`);
      if (report.status === "quarantined") ok = false;
    } catch (err) {
      ok = false;
      lines.push(`${basename(file)}: ${describeError(err).message}`);
    }
  }
  if (written > 0) {
    const p = await publish({});
    lines.push(`Charts: ${p.filesWritten.length} files written, ${p.filesUnchanged} unchanged`);
  } else {
    lines.push("Charts: nothing changed, nothing published");
  }
  return { lines, ok };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { flow: { type: "string" }, by: { type: "string" }, "data-dir": { type: "string" } },
    allowPositionals: true,
  });
  const flow = values.flow;
  if ((flow !== "imports" && flow !== "exports") || positionals.length === 0) {
    console.error(`${USAGE}\nThe file does not say whether it holds imports or exports: --flow is required.`);
    process.exit(2);
  }
  const emulators = await startEmulators({
    dataDir: join(resolve(values["data-dir"] ?? join(ROOT, ".local")), "emulators"),
  });
  // Configuration passed in, never written to process.env: what the user set, then the emulators'.
  const wiring = localWiring(
    createEnv({
      ...process.env,
      ...emulators.env,
      CHARTS_PUBLIC_URL: "http://127.0.0.1:8787",
      STAGE: "local",
    }),
  );
  const { lines, ok } = await ingestFiles(positionals, flow, values.by ?? process.env.USER ?? "cli", wiring);
  console.log(lines.join("\n"));
  wiring.close();
  await emulators.stop();
  process.exit(ok ? 0 : 1);
}
