/**
 * Table (4) page parse time: normalizeTable4 (HTML → rows → checked observations) on the 60
 * synthetic release pages of the write benchmark, rendered in GACC's layout by the project's mirror
 * renderer (30 rows; 10 cells a row, 7 for January–February). Every page is parsed once to warm up,
 * then `rounds` more times, each parse timed alone; the median is reported, with the first parse of
 * the process (cold JIT) beside it.
 */
import { normalizeTable4 } from "../functions/domain/gacc/table4.js";
import type { Provenance } from "../functions/domain/model.js";
import { median, since } from "./lib/stats.js";
import { benchSite, releasePeriods } from "./lib/table4-site.js";
import { FIRST_PERIOD, LAST_PERIOD } from "./pipeline.js";

export interface PageParseFigures {
  pages: number;
  parses: number;
  medianMs: number;
  p90Ms: number;
  firstMs: number;
  meanPageBytes: number;
  observationsPerPage: number;
}

const PROVENANCE: Provenance = {
  releaseId: "bench-page",
  url: "http://english.customs.gov.cn/Statics/bench.html",
  sha256: "0".repeat(64),
  fetchedAt: "2026-01-20T02:00:00.000Z",
};

export function benchPageParse(options: { rounds: number }): PageParseFigures {
  const site = benchSite(releasePeriods(FIRST_PERIOD, LAST_PERIOD), {
    currentYear: new Date().getUTCFullYear(),
  });
  const pages = [...site].filter(([path]) => path.startsWith("/Statics/")).map(([, p]) => String(p.body));
  const parse = (html: string) => {
    const result = normalizeTable4(html, { provenance: PROVENANCE });
    if (result.blocking.length > 0)
      throw new Error(`a bench page was held back: ${result.blocking[0]?.message}`);
    return result.observations.length;
  };
  let t0 = performance.now();
  let observations = parse(pages[0] ?? "");
  const firstMs = since(t0);
  for (const html of pages) observations += parse(html);
  const times: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (const html of pages) {
      t0 = performance.now();
      parse(html);
      times.push(since(t0));
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    pages: pages.length,
    parses: times.length,
    medianMs: median(times),
    p90Ms: sorted[Math.floor(sorted.length * 0.9)] ?? Number.NaN,
    firstMs,
    meanPageBytes: pages.reduce((a, p) => a + Buffer.byteLength(p), 0) / pages.length,
    observationsPerPage: observations / (pages.length + 1),
  };
}
