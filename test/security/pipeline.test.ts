/**
 * Probes of the pipeline against the local stack (dynalite, s3rver, the GACC mirror), in order on
 * one stack:
 *   1. a fresh run whose every fetch fails publishes nothing, and says why;
 *   2. a tampered index page (links to other hosts) and a redirect: provenance is the URL actually
 *      fetched, the printed link is kept apart, and no chart names a host off the allowlist (D6);
 *   3. a later run that fetches nothing leaves the last good chart files byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchAllowlist } from "../../functions/adapters/fetch-allowlist.js";
import type { ChartStore } from "../../functions/domain/ports.js";
import { readPublishedCharts } from "../../functions/pipeline/runs/snapshot.js";
import { sampleReleases } from "../../local/mirror/render.js";
import type { RunSummary } from "../../local/run-pipeline.js";
import { type LocalStack, startLocalStack } from "../support/local-stack.js";

let stack: LocalStack;
let charts: ChartStore;
let run: typeof import("../../local/run-pipeline.js")["runPipeline"];
let format: typeof import("../../local/run-pipeline.js")["formatSummary"];

beforeAll(async () => {
  stack = await startLocalStack();
  ({ runPipeline: run, formatSummary: format } = await import("../../local/run-pipeline.js"));
  const { publishDeps } = await import("../../functions/composition.js");
  charts = publishDeps().charts;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const indexPaths = () => [...stack.mirror.site.keys()].filter((p) => /\/statics\/report\//i.test(p));
const releasePaths = () => [...stack.mirror.site.keys()].filter((p) => /^\/statics\/[^/]+\.html$/i.test(p));

function refuseAll(paths: string[]) {
  // 412 is GACC's anti-bot answer: refused at once, not retried, so the probe stays fast.
  for (const p of paths) stack.mirror.override(p, { status: 412, body: "<script>$_ts=1</script>" });
}

async function chartKeys(): Promise<string[]> {
  const index = await charts.get("charts/index.json");
  if (!index) return [];
  const ids = (JSON.parse(Buffer.from(index).toString()) as { charts: Array<{ id: string }> }).charts.map(
    (c) => c.id,
  );
  return ["charts/index.json", ...ids.flatMap((id) => [`charts/${id}.json`, `charts/${id}.csv`])];
}

describe("a run that fetched nothing publishes nothing", () => {
  it("a fresh run whose every index page is refused writes no chart file and says why", async () => {
    refuseAll(indexPaths());
    const summary: RunSummary = await run({ since: 2022 });
    stack.mirror.reset();
    expect(summary.ok).toBe(false);
    expect(summary.fetch?.indexPagesRead).toBe(0);
    expect(summary.fetch?.nothingFetched).toMatch(
      /^no index page could be read \(GACC answered .* anti-bot challenge/,
    );
    expect(summary.publish).toBeUndefined();
    expect(await charts.get("charts/index.json")).toBeUndefined();
    expect(await charts.get("charts/china-russia-trade-monthly.json")).toBeUndefined();
    expect(format(summary)).toMatch(/Charts: nothing published, because no index page could be read/);
  });
});

describe("provenance is the URL fetched, never the index page's word (D6)", () => {
  it("keeps hosts printed on a tampered index out of releases and charts", async () => {
    const base = stack.mirror.baseUrl;
    const evil = ["http://evil.example:18911/Statics/", "http://169.254.169.254/Statics/"];
    indexPaths().forEach((path, i) => {
      const page = stack.mirror.site.get(path);
      if (!page) return;
      const body = Buffer.from(page.body).toString("utf8");
      stack.mirror.override(path, {
        body: body.replaceAll("http://english.customs.gov.cn/Statics/", evil[i % 2] ?? ""),
        contentType: page.contentType,
      });
    });
    // One page has moved (the newest by-country table, behind the top-partners chart): provenance is
    // where it was fetched from in the end.
    const aug = sampleReleases()
      .filter((r) => r.currency === "CNY")
      .sort((x, y) => x.period.localeCompare(y.period))
      .at(-1);
    if (!aug) throw new Error("sample has no by-country CNY release");
    const movedId = `prelim-by-country-cny-${aug.period.replace("/", "-")}`;
    const moved = "/Statics/moved-by-country.html";
    const original = stack.mirror.site.get(aug.path) ?? stack.mirror.site.get(aug.path.toLowerCase());
    if (!original) throw new Error(`mirror does not serve ${aug.path}`);
    stack.mirror.override(aug.path, { status: 302, headers: { location: moved } });
    stack.mirror.override(moved, { body: original.body, contentType: original.contentType });

    const summary = await run({ since: 2022 });
    stack.mirror.reset();
    expect(summary.errors).toEqual([]);
    expect(summary.publish?.filesWritten.length).toBeGreaterThan(0);

    const { dynamoStore } = await import("../../functions/composition.js");
    const releases = await dynamoStore().listReleases();
    expect(releases.length).toBeGreaterThan(10);
    for (const r of releases) {
      expect(r.url.startsWith(`${base}/`), r.url).toBe(true);
      expect(r.printedUrl === undefined || evil.some((e) => r.printedUrl?.startsWith(e)), r.printedUrl).toBe(
        true,
      );
    }
    const movedRelease = releases.find((r) => r.releaseId === movedId);
    expect(movedRelease?.url).toBe(`${base}${moved}`);
    expect(movedRelease?.printedUrl).toMatch(/^http:\/\/(evil\.example:18911|169\.254\.169\.254)\/Statics\//);

    const allowlist = new FetchAllowlist([new URL(base).host]);
    const published = await readPublishedCharts(charts);
    expect(published.length).toBeGreaterThan(3);
    const urls = published.flatMap((c) => c.provenance.map((p) => p.url));
    expect(urls.length).toBeGreaterThan(10);
    for (const url of urls) expect(allowlist.allows(new URL(url)), url).toBe(true);
    expect(urls).toContain(`${base}${moved}`);
    for (const key of await chartKeys()) {
      const text = Buffer.from((await charts.get(key)) ?? new Uint8Array()).toString("utf8");
      expect(text, key).not.toMatch(/evil\.example|169\.254\.169\.254/);
    }
  });
});

describe("last good charts stay when a run fetches nothing", () => {
  it("leaves every published file byte for byte when every page download is refused", async () => {
    const keys = await chartKeys();
    expect(keys.length).toBeGreaterThan(4);
    const before = new Map<string, string>();
    for (const k of keys)
      before.set(k, Buffer.from((await charts.get(k)) ?? new Uint8Array()).toString("base64"));
    refuseAll(releasePaths());
    const summary = await run({ since: 2022, recheckAll: true });
    stack.mirror.reset();
    expect(summary.fetch?.indexPagesRead).toBeGreaterThan(0);
    expect(summary.fetch?.downloaded).toBe(0);
    expect(summary.fetch?.nothingFetched).toMatch(/^none of the \d+ pages tried could be downloaded/);
    expect(summary.publish).toBeUndefined();
    for (const k of keys) {
      expect(Buffer.from((await charts.get(k)) ?? new Uint8Array()).toString("base64"), k).toBe(
        before.get(k),
      );
    }
  });
});
