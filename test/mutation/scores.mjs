/**
 * Prints the mutation score table of docs/testing.md from Stryker JSON reports (mutation.json or
 * incremental files), one row per mutated file: score = (killed + timed out) / every mutant that is
 * not ignored, "not covered" included. With --merge-into <file>, also writes the union of the
 * reports' files and test files there, so per-file runs build the committed incremental baseline
 * (a later report's file replaces an earlier one's).
 *
 *   node test/mutation/scores.mjs /tmp/mut/*.json [--merge-into test/mutation/stryker-incremental.json]
 */
import { readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const at = args.indexOf("--merge-into");
const target = at >= 0 ? args[at + 1] : undefined;
const inputs = args.filter((_, i) => at < 0 || (i !== at && i !== at + 1));
if (inputs.length === 0) {
  console.error("usage: node test/mutation/scores.mjs <report.json>... [--merge-into <incremental.json>]");
  process.exit(2);
}

const merged = target ? JSON.parse(readFileSync(target, "utf8")) : undefined;
const rows = new Map();
for (const path of inputs) {
  const report = JSON.parse(readFileSync(path, "utf8"));
  for (const [file, result] of Object.entries(report.files)) {
    const n = { mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 };
    for (const m of result.mutants) {
      if (m.status === "Ignored") n.ignored++;
      else if (m.status === "CompileError" || m.status === "RuntimeError") n.errors++;
      else {
        n.mutants++;
        if (m.status === "Killed") n.killed++;
        else if (m.status === "Timeout") n.timeout++;
        else if (m.status === "Survived") n.survived++;
        else if (m.status === "NoCoverage") n.noCoverage++;
      }
    }
    rows.set(file, n);
    if (merged) merged.files[file] = result;
  }
  if (merged) Object.assign(merged.testFiles, report.testFiles ?? {});
}

const pct = (n) => (n.mutants ? (((n.killed + n.timeout) / n.mutants) * 100).toFixed(1) : "–");
console.log("| file | mutants | killed | timeout | survived | no cov. | ignored (message text) | score |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
const total = { mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0 };
for (const [file, n] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
  for (const k of Object.keys(total)) total[k] += n[k];
  console.log(
    `| \`${file}\` | ${n.mutants} | ${n.killed} | ${n.timeout} | ${n.survived} | ${n.noCoverage} | ${n.ignored} | ${pct(n)}% |`,
  );
}
console.log(
  `| all | ${total.mutants} | ${total.killed} | ${total.timeout} | ${total.survived} | ${total.noCoverage} | ${total.ignored} | ${pct(total)}% |`,
);
if (merged && target) {
  writeFileSync(target, JSON.stringify(merged));
  console.error(`merged ${rows.size} file(s) into ${target}`);
}
