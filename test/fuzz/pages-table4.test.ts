/**
 * Fuzzing the by-country table (4) reader with mutated pages: the project's own mirror pages always,
 * real GACC pages when ../shared/data/gacc is present (skipped visibly otherwise, failing under CI).
 * Bytes go in exactly as the normalize stage hands them over (tables.ts: decode, then parse).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { NormalizeResult, Provenance, Release } from "../../functions/domain/model.js";
import { tableSpec } from "../../functions/domain/tables.js";
import { figureLog } from "../reliability/support/figures.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { fuzzRuns } from "./support/budget.js";
import { type Input, ownTable4Pages, sharedTable4Pages } from "./support/corpus.js";
import { expectSaneResult, fuzzParser, outcomeNote } from "./support/harness.js";

const figures = figureLog("fuzz-table4");
afterAll(() => figures.flush());

const provenance: Provenance = {
  releaseId: "fuzz",
  url: "http://english.customs.gov.cn/Statics/fuzz.html",
  sha256: "0".repeat(64),
  fetchedAt: "2026-04-08T02:00:00.000Z",
};

async function parse(input: Input, bytes: Buffer): Promise<NormalizeResult> {
  const spec = tableSpec(input.table ?? "by-country");
  if (!spec) throw new Error(`no table spec ${input.table}`);
  return spec.normalize(bytes, provenance, { releaseId: "fuzz" } as Release);
}

function check(r: NormalizeResult): "ok" | "blocked" {
  expectSaneResult(r);
  for (const o of r.observations) if (o.provenance !== provenance) throw new Error("provenance not carried");
  return r.blocking.length > 0 ? "blocked" : "ok";
}

describe("table (4) pages, mutated", () => {
  it("our mirror pages: every outcome is a result or a typed error", async () => {
    const corpus = ownTable4Pages();
    for (const input of corpus) expect(check(await parse(input, input.bytes))).toBe("ok");
    const stats = await fuzzParser({ corpus, runs: fuzzRuns(1500), parse, check });
    figures.add({
      area: "fuzz",
      scenario: "table (4) reader, our mirror pages",
      cases: stats.cases,
      faults: stats.mutated,
      dataLost: 0,
      note: outcomeNote(stats),
    });
  });
});

describeWithSharedData("real GACC table (4) pages, mutated", () => {
  it("Mar 2026, Jan–Feb 2025 and the 2018 image page: every outcome is a result or a typed error", async () => {
    const corpus = sharedTable4Pages();
    expect(corpus).toHaveLength(3);
    const stats = await fuzzParser({ corpus, runs: fuzzRuns(1500), parse, check });
    figures.add({
      area: "fuzz",
      scenario: "table (4) reader, real GACC pages",
      cases: stats.cases,
      faults: stats.mutated,
      dataLost: 0,
      note: outcomeNote(stats),
    });
  });
});
