/**
 * Fuzzing the write path: a published release is fetched again with mutated bytes, and the real
 * normalize stage (functions/pipeline/normalize-release.ts) runs over in-memory ports (fakes of our
 * own ports; the SDK-level behaviour is proven in test/reliability). All or nothing:
 *
 * - quarantined → nothing stored changed (observations, revisions);
 * - normalized → every observation the parser returned is stored with exactly its value, nothing
 *   else changed, and one revision was kept per value that changed;
 * - nothing else (a throw escapes only as a typed, retryable error: none happen here).
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { NormalizeResult, Provenance, Release } from "../../functions/domain/model.js";
import { addressKey, seriesKeyOf } from "../../functions/domain/ports.js";
import { sha256Hex } from "../../functions/domain/sha256.js";
import { tableSpec } from "../../functions/domain/tables.js";
import { type NormalizeDeps, normalizeRelease } from "../../functions/pipeline/normalize-release.js";
import { figureLog } from "../reliability/support/figures.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { fuzzRuns } from "./support/budget.js";
import {
  type Input,
  ownCommodityPages,
  ownTable4Pages,
  sharedCommodityPages,
  sharedTable4Pages,
} from "./support/corpus.js";
import { FUZZ_SEED } from "./support/harness.js";
import { MemoryRaw, MemoryStore } from "./support/memory-ports.js";
import { applyAll, mutations } from "./support/mutate.js";

const figures = figureLog("fuzz-write-path");
afterAll(() => figures.flush());

const FETCHED_AT = "2026-04-08T02:00:00.000Z";

/** The deps normalize runs with; `parsed` keeps what the parser returned, to check the writes by. */
function depsFor(
  store: MemoryStore,
  raw: MemoryRaw,
): NormalizeDeps & { parsed: NormalizeResult | undefined } {
  const deps = {
    raw,
    releases: store,
    observations: store,
    now: () => new Date("2026-04-09T02:00:00.000Z"),
    parsed: undefined as NormalizeResult | undefined,
    parse: async (release: Release, bytes: Uint8Array, provenance: Provenance) => {
      const spec = tableSpec(release.table);
      if (!spec) throw new Error(`no table spec ${release.table}`);
      deps.parsed = await spec.normalize(bytes, provenance, release);
      return deps.parsed;
    },
  };
  return deps;
}

function releaseOf(input: Input, bytes: Uint8Array, previous?: Release): Release {
  const sha256 = sha256Hex(bytes);
  return {
    releaseId: `fuzz-${input.name}`,
    source: "gacc-preliminary",
    table: input.table ?? "by-country",
    currency: "CNY",
    period: "2026-03",
    url: `http://english.customs.gov.cn/Statics/${encodeURIComponent(input.name)}.html`,
    sha256,
    fetchedAt: previous ? "2026-04-10T02:00:00.000Z" : FETCHED_AT,
    rawKey: `raw/sha256/${sha256}.html`,
    status: "fetched",
    reasons: [],
    warnings: [],
    updatedAt: FETCHED_AT,
    previousSha256: previous ? [previous.sha256] : undefined,
    normalizedSha256: previous?.normalizedSha256,
  };
}

/** A store holding the original page, normalized: what the mutated page is compared against. */
async function published(input: Input): Promise<{ store: MemoryStore; raw: MemoryRaw; release: Release }> {
  const store = new MemoryStore();
  const raw = new MemoryRaw();
  const release = releaseOf(input, input.bytes);
  await raw.put(release.rawKey, input.bytes, {
    sourceUrl: release.url,
    fetchedAt: FETCHED_AT,
    sha256: release.sha256,
    contentType: "text/html",
  });
  await store.putRelease(release);
  const report = await normalizeRelease(depsFor(store, raw), release.releaseId);
  expect(report.status).toBe("normalized");
  expect(report.observationsWritten).toBeGreaterThan(0);
  const after = await store.getRelease(release.releaseId);
  if (!after) throw new Error("release lost");
  return { store, raw, release: after };
}

/** A copy that shares the (never mutated) stored objects: the store replaces, it never edits. */
function clone(store: MemoryStore): MemoryStore {
  const copy = new MemoryStore();
  for (const [k, v] of store.releases) copy.releases.set(k, v);
  for (const [k, v] of store.observations) copy.observations.set(k, v);
  copy.revisions.push(...store.revisions);
  return copy;
}

/** Addresses whose stored object is not the very one the base holds (written, or gone). */
function touched(base: MemoryStore, store: MemoryStore): string[] {
  const out = [...store.observations.keys()].filter(
    (k) => store.observations.get(k) !== base.observations.get(k),
  );
  for (const k of base.observations.keys()) if (!store.observations.has(k)) out.push(k);
  return out;
}

async function fuzzWrites(corpus: Input[], runs: number) {
  const bases = new Map<string, Awaited<ReturnType<typeof published>>>();
  for (const input of corpus) bases.set(input.name, await published(input));
  const stats = { cases: 0, normalized: 0, quarantined: 0, written: 0, revisions: 0, lost: 0 };
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: corpus.length - 1 }), mutations, async (i, ms) => {
      const input = corpus[i] as Input;
      const base = bases.get(input.name);
      if (!base) throw new Error("no base");
      stats.cases++;
      const bytes = applyAll(input.bytes, ms);
      const store = clone(base.store);
      const raw = base.raw;
      const release = releaseOf(input, bytes, base.release);
      if (release.sha256 === base.release.sha256) return;
      await raw.put(release.rawKey, bytes, {
        sourceUrl: release.url,
        fetchedAt: release.fetchedAt,
        sha256: release.sha256,
        contentType: "text/html",
      });
      await store.putRelease(release);

      const deps = depsFor(store, raw);
      const report = await normalizeRelease(deps, release.releaseId);
      const stored = await store.getRelease(release.releaseId);
      const changedAddresses = touched(base.store, store);
      if (report.status === "quarantined") {
        stats.quarantined++;
        if (changedAddresses.length > 0 || store.revisions.length !== base.store.revisions.length)
          stats.lost++;
        expect(changedAddresses).toEqual([]);
        expect(store.revisions.length).toBe(base.store.revisions.length);
        expect(report.observationsWritten).toBe(0);
        expect(stored).toMatchObject({ status: "quarantined", normalizedSha256: base.release.sha256 });
        expect(report.reasons.length).toBeGreaterThan(0);
        return;
      }
      expect(report.status).toBe("normalized");
      stats.normalized++;
      stats.written += report.observationsWritten;
      stats.revisions += report.revisions;
      // What the parser says the page holds is exactly what is stored for those addresses...
      const parsed = deps.parsed as NormalizeResult;
      const addresses = new Set<string>();
      for (const o of parsed.observations) {
        const a = addressKey({ ...o, seriesKey: seriesKeyOf(o) });
        addresses.add(a);
        const got = store.observations.get(a);
        if (got?.value !== o.value) stats.lost++;
        expect(got?.value).toBe(o.value);
      }
      // ...and nothing else was touched.
      const strays = changedAddresses.filter((a) => !addresses.has(a));
      stats.lost += strays.length;
      expect(strays).toEqual([]);
      expect(store.revisions.length - base.store.revisions.length).toBe(report.revisions);
      expect(stored).toMatchObject({ status: "normalized", normalizedSha256: release.sha256 });
    }),
    { numRuns: runs, seed: FUZZ_SEED },
  );
  return stats;
}

function note(s: Awaited<ReturnType<typeof fuzzWrites>>): string {
  return `${s.quarantined} quarantined with nothing written, ${s.normalized} normalized (${s.written} observations written, ${s.revisions} revisions kept), ${s.lost} partial or lost writes`;
}

describe("normalize over mutated re-fetches of our own pages", () => {
  it("table (4) and commodity pages: all or nothing", async () => {
    const stats = await fuzzWrites([...ownTable4Pages().slice(0, 2), ...ownCommodityPages()], fuzzRuns(1000));
    figures.add({
      area: "fuzz",
      scenario: "normalize (write path), our mirror pages re-fetched mutated",
      cases: stats.cases,
      faults: stats.cases,
      dataLost: stats.lost,
      note: note(stats),
    });
    expect(stats.lost).toBe(0);
  });
});

describeWithSharedData("normalize over mutated re-fetches of real GACC pages", () => {
  it("Mar 2026 by-country and May 2026 imports: all or nothing", async () => {
    const corpus = [
      ...sharedTable4Pages().filter((p) => p.name.includes("mar2026")),
      ...sharedCommodityPages().filter((p) => p.name.includes("section6")),
    ];
    expect(corpus).toHaveLength(2);
    const stats = await fuzzWrites(corpus, fuzzRuns(1000));
    figures.add({
      area: "fuzz",
      scenario: "normalize (write path), real GACC pages re-fetched mutated",
      cases: stats.cases,
      faults: stats.cases,
      dataLost: stats.lost,
      note: note(stats),
    });
    expect(stats.lost).toBe(0);
    // A thousand normalizes of two real pages: well under 30 s alone, over it on two loaded cores.
  }, 120_000);
});
