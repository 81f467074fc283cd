/**
 * Figures the reliability and fuzz tests report: cases tried, faults injected, retries, data lost.
 * Each test file collects rows and writes them to test-artifacts/reliability/<file>.json when it
 * finishes; `npm run reliability` runs the suites and prints the table (print-figures.ts), so the
 * figures quoted in docs/reliability.md come from a command, not from memory.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const FIGURES_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../test-artifacts/reliability",
);

export interface FigureRow {
  /** The guarantee (issue item): "duplicates", "crash", "faults", "upstream", "guard", "output", "lock", "fuzz". */
  area: string;
  scenario: string;
  /** Cases tried (runs, deliveries, generated inputs). */
  cases: number;
  /** Faults injected (errors, throttles, crashes, mutations). */
  faults: number;
  /** Retries the system made to absorb them (SDK attempts beyond the first, batch retries, re-runs). */
  retries?: number;
  /** Items missing or wrong at the end compared with a clean run: must be 0. */
  dataLost: number;
  /** Anything a reader needs to interpret the row. */
  note?: string;
}

export interface FigureFile {
  file: string;
  generatedAt: string;
  ci: boolean;
  durationMs: number;
  rows: FigureRow[];
}

/** Collects rows for one test file; call `flush()` in afterAll. */
export function figureLog(file: string): { add(row: FigureRow): void; flush(): void; rows: FigureRow[] } {
  const rows: FigureRow[] = [];
  const started = performance.now();
  return {
    rows,
    add(row) {
      rows.push(row);
    },
    flush() {
      if (rows.length === 0) return;
      mkdirSync(FIGURES_DIR, { recursive: true });
      const out: FigureFile = {
        file,
        generatedAt: new Date().toISOString(),
        ci: process.env.CI === "true",
        durationMs: Math.round(performance.now() - started),
        rows,
      };
      writeFileSync(join(FIGURES_DIR, `${file}.json`), `${JSON.stringify(out, null, 2)}\n`);
    },
  };
}
