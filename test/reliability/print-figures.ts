/**
 * Prints the figures the reliability and fuzz suites recorded (test-artifacts/reliability/*.json) as
 * Markdown tables: totals per guarantee, then one row per scenario.
 *
 *   npm run reliability                       # clears old figures, runs the suites, prints
 *   CI=true npm run reliability               # the same with CI's 10,000 fuzz cases
 *   npx tsx test/reliability/print-figures.ts # prints what the last run recorded
 *
 * Exits non-zero if the suites fail or any scenario lost data.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FIGURES_DIR, type FigureFile, type FigureRow } from "./support/figures.js";

const AREAS: Array<[string, string]> = [
  ["duplicates", "1. Duplicates"],
  ["crash", "2. Crash mid-way"],
  ["faults", "3. Throttling and transient errors"],
  ["lock", "4. Concurrency"],
  ["upstream", "5. Upstream trouble"],
  ["guard", "6. Publish guard"],
  ["fuzz", "7. Fuzzing"],
  ["output", "8. Output safety"],
];

const cell = (s: string | number | undefined) =>
  String(s ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");
const num = (n: number) => n.toLocaleString("en-US");

export function figureTables(files: FigureFile[]): string {
  const rows = files.flatMap((f) => f.rows);
  const out: string[] = [];
  const modes = [...new Set(files.map((f) => (f.ci ? "CI" : "local")))].join(" + ");
  const newest =
    files
      .map((f) => f.generatedAt)
      .sort()
      .at(-1) ?? "";
  out.push(
    `Figures recorded by the reliability and fuzz suites (${modes} mode, newest ${newest.slice(0, 16).replace("T", " ")} UTC).`,
  );
  out.push("");
  out.push("| guarantee | cases tried | faults injected | retries | data lost |");
  out.push("|---|---:|---:|---:|---:|");
  const totals = { cases: 0, faults: 0, retries: 0, lost: 0 };
  for (const [area, title] of AREAS) {
    const r = rows.filter((x) => x.area === area);
    if (r.length === 0) continue;
    const sum = (k: keyof Pick<FigureRow, "cases" | "faults" | "retries" | "dataLost">) =>
      r.reduce((a, x) => a + (x[k] ?? 0), 0);
    out.push(
      `| ${title} | ${num(sum("cases"))} | ${num(sum("faults"))} | ${num(sum("retries"))} | ${num(sum("dataLost"))} |`,
    );
    totals.cases += sum("cases");
    totals.faults += sum("faults");
    totals.retries += sum("retries");
    totals.lost += sum("dataLost");
  }
  out.push(
    `| **all** | **${num(totals.cases)}** | **${num(totals.faults)}** | **${num(totals.retries)}** | **${num(totals.lost)}** |`,
  );
  out.push("");
  for (const [area, title] of AREAS) {
    const r = rows.filter((x) => x.area === area);
    if (r.length === 0) continue;
    out.push(`### ${title}`);
    out.push("");
    out.push("| scenario | cases | faults | retries | data lost | notes |");
    out.push("|---|---:|---:|---:|---:|---|");
    for (const x of r) {
      out.push(
        `| ${cell(x.scenario)} | ${num(x.cases)} | ${num(x.faults)} | ${x.retries === undefined ? "" : num(x.retries)} | ${num(x.dataLost)} | ${cell(x.note)} |`,
      );
    }
    out.push("");
  }
  const fuzzCases = rows.filter((x) => x.area === "fuzz").reduce((a, x) => a + x.cases, 0);
  const fuzzMs = files.filter((f) => f.file.startsWith("fuzz-")).reduce((a, f) => a + f.durationMs, 0);
  out.push(`Fuzz suite: ${num(fuzzCases)} generated cases in ${(fuzzMs / 1000).toFixed(1)} s of test time.`);
  return out.join("\n");
}

function main(): void {
  if (process.argv.includes("--run")) {
    rmSync(FIGURES_DIR, { recursive: true, force: true });
    const suites = spawnSync("npx", ["vitest", "run", "test/reliability", "test/fuzz"], { stdio: "inherit" });
    if (suites.status !== 0) process.exit(suites.status ?? 1);
    console.log("");
  }
  if (!existsSync(FIGURES_DIR)) {
    console.error(
      `No figures in ${FIGURES_DIR}: run \`npm run reliability\` (or the suites under test/reliability and test/fuzz) first.`,
    );
    process.exit(1);
  }
  const files = readdirSync(FIGURES_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(FIGURES_DIR, f), "utf8")) as FigureFile);
  console.log(figureTables(files));
  const lost = files.flatMap((f) => f.rows).reduce((a, r) => a + r.dataLost, 0);
  if (lost > 0) {
    console.error(`\nDATA LOST in ${lost} place(s): see the rows above.`);
    process.exit(1);
  }
}

main();
