/**
 * Fuzzing the other page readers with mutated pages: commodity tables (5)/(6), the Monthly Bulletin's
 * by-country table, and the release index pages. Our own mirror pages always; real GACC pages when
 * ../shared/data/gacc is present (skipped visibly otherwise, failing under CI).
 */
import { afterAll, describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import { parseIndexPage } from "../../functions/domain/gacc/index-page.js";
import type { NormalizeResult, Provenance, Release } from "../../functions/domain/model.js";
import { tableSpec } from "../../functions/domain/tables.js";
import { figureLog } from "../reliability/support/figures.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { fuzzRuns } from "./support/budget.js";
import {
  type Input,
  ownBulletinPages,
  ownCommodityPages,
  ownIndexPages,
  sharedCommodityPages,
  sharedIndexPages,
} from "./support/corpus.js";
import { expectSaneResult, fuzzParser, outcomeNote } from "./support/harness.js";

const figures = figureLog("fuzz-pages");
afterAll(() => figures.flush());

const provenance: Provenance = {
  releaseId: "fuzz",
  url: "http://english.customs.gov.cn/Statics/fuzz.html",
  sha256: "0".repeat(64),
  fetchedAt: "2026-06-10T02:00:00.000Z",
};

async function parseRelease(input: Input, bytes: Buffer): Promise<NormalizeResult> {
  const spec = tableSpec(input.table ?? "");
  if (!spec) throw new Error(`no table spec ${input.table}`);
  return spec.normalize(bytes, provenance, { releaseId: "fuzz" } as Release);
}

function checkRelease(r: NormalizeResult): "ok" | "blocked" {
  expectSaneResult(r);
  return r.blocking.length > 0 ? "blocked" : "ok";
}

/** Index pages are decoded as the fetch stage does, then read for links. */
function parseIndex(input: Input, bytes: Buffer) {
  return parseIndexPage(new TextDecoder("utf-8").decode(bytes), input.year ?? 2026);
}

function checkIndex(links: ReturnType<typeof parseIndexPage>): "ok" | "blocked" {
  for (const l of links) {
    if (!/^\d{4}-(0[1-9]|1[0-2])(\/02)?$/.test(l.period) || !["USD", "CNY"].includes(l.currency) || !l.href) {
      throw new Error(`insane index link: ${JSON.stringify(l)}`);
    }
  }
  return links.length > 0 ? "ok" : "blocked";
}

describe("our mirror pages, mutated", () => {
  it("commodity tables (5)/(6)", async () => {
    const corpus = ownCommodityPages();
    for (const input of corpus) expect(checkRelease(await parseRelease(input, input.bytes))).toBe("ok");
    const stats = await fuzzParser({ corpus, runs: fuzzRuns(600), parse: parseRelease, check: checkRelease });
    figures.add({
      area: "fuzz",
      scenario: "commodity table reader, our mirror pages",
      cases: stats.cases,
      faults: stats.mutated,
      dataLost: 0,
      note: outcomeNote(stats),
    });
  });

  it("Monthly Bulletin by-country table", async () => {
    const corpus = ownBulletinPages();
    for (const input of corpus)
      expect(checkRelease(await parseRelease(input, input.bytes))).not.toBeUndefined();
    const stats = await fuzzParser({ corpus, runs: fuzzRuns(600), parse: parseRelease, check: checkRelease });
    figures.add({
      area: "fuzz",
      scenario: "Monthly Bulletin reader, our mirror pages",
      cases: stats.cases,
      faults: stats.mutated,
      dataLost: 0,
      note: outcomeNote(stats),
    });
  });

  it("release index pages", async () => {
    const corpus = ownIndexPages();
    for (const input of corpus) expect(checkIndex(parseIndex(input, input.bytes))).toBe("ok");
    const stats = await fuzzParser({ corpus, runs: fuzzRuns(400), parse: parseIndex, check: checkIndex });
    figures.add({
      area: "fuzz",
      scenario: "index page reader, our mirror pages",
      cases: stats.cases,
      faults: stats.mutated,
      dataLost: 0,
      note: outcomeNote(stats),
    });
  });
});

describeWithSharedData("real GACC pages, mutated", () => {
  it("commodity tables (5)/(6): May 2026 exports and imports, Apr 2025 (shifted columns), Jan–Feb 2025", async () => {
    const corpus = sharedCommodityPages();
    expect(corpus).toHaveLength(4);
    const stats = await fuzzParser({ corpus, runs: fuzzRuns(500), parse: parseRelease, check: checkRelease });
    figures.add({
      area: "fuzz",
      scenario: "commodity table reader, real GACC pages",
      cases: stats.cases,
      faults: stats.mutated,
      dataLost: 0,
      note: outcomeNote(stats),
    });
  });

  it("the 2026 preliminary-release index", async () => {
    const corpus = sharedIndexPages();
    expect(() => parseIndex(corpus[0] as Input, Buffer.from("<html></html>"))).toThrow(LayoutChanged);
    const stats = await fuzzParser({ corpus, runs: fuzzRuns(400), parse: parseIndex, check: checkIndex });
    figures.add({
      area: "fuzz",
      scenario: "index page reader, the real 2026 index",
      cases: stats.cases,
      faults: stats.mutated,
      dataLost: 0,
      note: outcomeNote(stats),
    });
  });
});
