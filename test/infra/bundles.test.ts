/**
 * Bundles every Lambda handler with esbuild and the same options the CDK construct uses
 * (infra/constructs/pipeline-function.ts: minified ESM, AWS SDK included, source map beside it) and
 * fails if any bundle exceeds 1 MiB. Prints the sizes (the table in infra/README.md comes from here).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { esbuildOptionsFor } from "../../infra/constructs/pipeline-function.js";
import { handlerEntries, REPO_ROOT } from "../../infra/handlers.js";

// A proxy for cold starts (judged by `npm run bench`: each bundle's import against its SDK-only reference).
// 1 MiB since the api no longer publishes (an accepted held chart is published by a run, in the Publish
// function): the SNS client and the facts step's schema validators left its bundle (1,078,900 → 925,573 B).
const MAX_BUNDLE_BYTES = 1024 * 1024;

const outDir = mkdtempSync(join(tmpdir(), "gacc-bundles-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const entries = Object.entries(handlerEntries()).filter(
  (e): e is [string, string] => typeof e[1] === "string",
);

describe("Lambda bundles", () => {
  it.each(entries)(
    "%s bundles to at most 1 MiB minified",
    async (name, entry) => {
      const outfile = join(outDir, name, "index.mjs");
      const result = await build({ ...esbuildOptionsFor(entry, outfile), metafile: true });
      expect(result.errors).toEqual([]);
      const bytes = statSync(outfile).size;
      // Bytes each package (or repo folder) contributes to the minified output, largest first.
      const contributed = new Map<string, number>();
      for (const output of Object.values(result.metafile.outputs)) {
        for (const [path, input] of Object.entries(output.inputs)) {
          const parts = path.split("/");
          const key =
            parts[0] === "node_modules"
              ? parts.slice(1, parts[1]?.startsWith("@") ? 3 : 2).join("/")
              : parts.slice(0, 2).join("/");
          contributed.set(key, (contributed.get(key) ?? 0) + input.bytesInOutput);
        }
      }
      const top = [...contributed]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([key, b]) => `${key} ${(b / 1024).toFixed(0)} KiB`);
      console.log(
        `bundle ${name.padEnd(9)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB  (${relative(REPO_ROOT, entry)}; largest parts: ${top.join(", ")})`,
      );
      expect(bytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
    },
    60_000,
  );
});
