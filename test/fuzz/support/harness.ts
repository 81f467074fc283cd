/**
 * The fuzz property shared by the parser suites: a corpus input, mutated (support/mutate.ts), is read
 * by the real parser; it must either return a sane result (every value a finite number, periods and
 * codes well-formed strings) or throw a typed PipelineError. Anything else (a TypeError, a RangeError,
 * a plain Error, a NaN that reaches a value) fails the property with fast-check's shrunk
 * counterexample.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { PipelineError } from "../../../functions/domain/errors.js";
import type { NormalizeResult, Observation } from "../../../functions/domain/model.js";
import type { Input } from "./corpus.js";
import { applyAll, changed, type Mutation, mutations } from "./mutate.js";

export interface FuzzStats {
  cases: number;
  /** Cases whose mutations changed the input. */
  mutated: number;
  /** "ok", "blocked" (parsed, with findings that hold the release back) or an error code. */
  outcomes: Record<string, number>;
}

export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20260807;

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])(\/(0[1-9]|1[0-2]))?$/;

const KINDS = new Set(["month", "jan-feb", "ytd"]);
const CURRENCIES = new Set(["USD", "CNY"]);
const FLOWS = new Set(["total", "exports", "imports"]);

/** Plain checks, not expect(): they run for every observation of thousands of cases. */
function insane(o: Observation): string | undefined {
  if (typeof o.value !== "number" || !Number.isFinite(o.value)) return `value ${o.value}`;
  if (typeof o.period !== "string" || !PERIOD.test(o.period)) return `period ${o.period}`;
  if (!KINDS.has(o.kind)) return `kind ${o.kind}`;
  if (!CURRENCIES.has(o.currency)) return `currency ${o.currency}`;
  if (!FLOWS.has(o.flow)) return `flow ${o.flow}`;
  if (typeof o.partner?.code !== "string" || o.partner.code.length === 0)
    return `partner ${JSON.stringify(o.partner)}`;
  if (typeof o.commodity !== "string" || o.commodity.length === 0) return `commodity ${o.commodity}`;
  if (o.printedYtdYoyPct !== undefined && !Number.isFinite(o.printedYtdYoyPct))
    return `y/y ${o.printedYtdYoyPct}`;
  if (o.quantity && !Number.isFinite(o.quantity.value)) return `quantity ${o.quantity.value}`;
  return undefined;
}

/** A message that shows a program's value instead of words (NaN, undefined, [object Object]) outside
 * the quotes that cite the input. */
export function unreadable(message: string): boolean {
  const unquoted = message.replace(/"[^"]*"|“[^”]*”|'[^']*'/g, "");
  return /\bNaN\b|\bundefined\b|\[object Object\]/.test(unquoted);
}

/** What every result a parser returns must look like, however broken its input was. */
export function expectSaneResult(r: NormalizeResult): void {
  if (!Array.isArray(r.observations)) throw new Error("observations is not an array");
  for (const o of r.observations) {
    const why = insane(o);
    if (why) throw new Error(`insane observation (${why}): ${JSON.stringify(o).slice(0, 300)}`);
  }
  for (const f of [...r.blocking, ...r.warnings]) {
    if (typeof f.check !== "string" || typeof f.message !== "string" || unreadable(f.message)) {
      throw new Error(`unreadable finding: ${JSON.stringify(f)}`);
    }
  }
  if (r.observations.length > 0 && !PERIOD.test(r.period)) throw new Error(`result period ${r.period}`);
}

export async function fuzzParser<R>(options: {
  corpus: Input[];
  runs: number;
  parse: (input: Input, bytes: Buffer) => R | Promise<R>;
  /** Checks a returned result; returns "ok" or "blocked". */
  check: (result: R, input: Input) => "ok" | "blocked";
  seed?: number;
}): Promise<FuzzStats> {
  const stats: FuzzStats = { cases: 0, mutated: 0, outcomes: {} };
  const count = (k: string) => {
    stats.outcomes[k] = (stats.outcomes[k] ?? 0) + 1;
  };
  expect(options.corpus.length).toBeGreaterThan(0);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: options.corpus.length - 1 }),
      mutations,
      async (i: number, ms: Mutation[]) => {
        const input = options.corpus[i] as Input;
        const bytes = applyAll(input.bytes, ms);
        stats.cases++;
        if (changed(input.bytes, bytes)) stats.mutated++;
        let result: R | undefined;
        let error: unknown;
        try {
          result = await options.parse(input, bytes);
        } catch (err) {
          error = err;
        }
        if (error !== undefined) {
          if (!(error instanceof PipelineError)) {
            throw new Error(`${input.name}: an untyped failure escaped the parser: ${String(error)}`, {
              cause: error,
            });
          }
          if (error.message.length < 10 || unreadable(error.message)) {
            throw new Error(`${input.name}: a typed error nobody can read: ${error.code} "${error.message}"`);
          }
          count(error.code);
          return;
        }
        count(options.check(result as R, input));
      },
    ),
    { numRuns: options.runs, seed: options.seed ?? FUZZ_SEED, endOnFailure: false },
  );
  return stats;
}

export function outcomeNote(stats: FuzzStats): string {
  const parts = Object.entries(stats.outcomes)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ${n}`);
  return `${stats.mutated} inputs changed; outcomes: ${parts.join(", ")}; 0 untyped failures`;
}
