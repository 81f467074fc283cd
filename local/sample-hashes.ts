/**
 * `npx tsx local/sample-hashes.ts [--port N]`: runs the sample pipeline from scratch (`npm start --
 * --once --fresh` in a temporary folder) and prints the sha256 of every published file, so that two
 * versions of the code can be compared byte for byte on the sample. Two things differ between any two
 * fresh runs and are masked before hashing: fetch times (a chart's updatedAt is its figures' latest
 * fetch) and the mirror's random port in source URLs. Chart URLs embed the server's port: compare runs
 * made with the same --port.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { sha256Hex } from "../functions/domain/sha256.js";
import { start } from "./start.js";

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

const { values } = parseArgs({ options: { port: { type: "string", default: "8787" } } });
const dir = await mkdtemp(join(tmpdir(), "sample-hashes-"));
try {
  const out = join(dir, "out");
  const { exitCode } = await start({
    once: true,
    gaccUrl: undefined,
    since: 2022,
    out,
    port: Number(values.port),
    fresh: true,
    dataDir: join(dir, "data"),
    quiet: true,
  });
  const files = (await filesUnder(out)).sort();
  for (const f of files) {
    const text = (await readFile(f, "latin1"))
      .replace(/http:\/\/127\.0\.0\.1:\d+\/(?=[Ss]tatics)/g, "<mirror>/")
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>");
    console.log(`${sha256Hex(Buffer.from(text, "latin1"))}  ${relative(out, f)}`);
  }
  console.error(`${files.length} files; the run exited ${exitCode}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
