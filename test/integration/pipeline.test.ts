/**
 * The pipeline end to end with the real handlers and the real AWS SDK against dynalite + s3rver and
 * the GACC mirror serving the project's own sample pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  sampleBulletinReleases,
  sampleCommodityReleases,
  sampleReleases,
} from "../../local/mirror/render.js";
import type { RunSummary } from "../../local/run-pipeline.js";
import { type LocalStack, startLocalStack } from "../support/local-stack.js";

let stack: LocalStack;
let runPipeline: typeof import("../../local/run-pipeline.js").runPipeline;
let chartStore: import("../../functions/domain/ports.js").ChartStore;
let first: RunSummary;

const CHART_KEYS = [
  "index.json",
  "china-russia-trade-monthly.json",
  "china-russia-trade-monthly.csv",
  "china-russia-trade-ytd.json",
  "china-top-partners.json",
  "china-top-partners.csv",
].map((k) => `charts/${k}`);

async function chartBytes(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of CHART_KEYS)
    out.set(key, Buffer.from((await chartStore.get(key)) ?? new Uint8Array()).toString("utf8"));
  return out;
}

async function chart(id: string) {
  return JSON.parse(
    Buffer.from((await chartStore.get(`charts/${id}.json`)) ?? new Uint8Array()).toString("utf8"),
  );
}

function point(
  c: { series: Array<{ key: string; points: Array<{ period: string }> }> },
  key: string,
  period: string,
) {
  return c.series.find((s) => s.key === key)?.points.find((p) => p.period === period) as
    | Record<string, unknown>
    | undefined;
}

function releasePath(currency: string, period: string): string {
  const r = sampleReleases().find((x) => x.currency === currency && x.period === period);
  if (!r) throw new Error(`no sample release ${currency} ${period}`);
  return r.path;
}

beforeAll(async () => {
  stack = await startLocalStack();
  ({ runPipeline } = await import("../../local/run-pipeline.js"));
  chartStore = (await import("../../functions/composition.js")).publishDeps().charts;
  first = await runPipeline({ since: 2022 });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("pipeline on the local stack", () => {
  it("publishes the story on the first run: August 2023 imports $11.5 bn, +3% y/y; July −8%", async () => {
    expect(first.errors).toEqual([]);
    expect(first.ok).toBe(true);
    expect(first.fetch?.releases.length).toBe(
      sampleReleases().length + sampleCommodityReleases().length + sampleBulletinReleases().length,
    );
    const monthly = await chart("china-russia-trade-monthly");
    // August 2023 has a Monthly Bulletin: the verified vintage wins, and it agrees with the preliminary.
    expect(point(monthly, "imports", "2023-08")).toMatchObject({
      value: 11.5,
      yoyPct: 2.7,
      vintage: "bulletin",
      revised: false,
    });
    expect(point(monthly, "imports", "2023-09")).toMatchObject({ value: 11.53, vintage: "preliminary" });
    expect(point(monthly, "imports", "2023-07")).toMatchObject({ value: 9.2, yoyPct: -8.2 });
    expect(point(monthly, "imports", "2022-08")).toMatchObject({ value: 11.2, yoyPct: null });
    // Jan–Feb: the monthly average at both months, flagged, with the exact published total beside it.
    const janFeb = monthly.series[0].points.filter((p: { period: string }) => p.period === "2023-01/02");
    expect(janFeb.map((p: { chartPeriod: string }) => p.chartPeriod)).toEqual(["2023-01", "2023-02"]);
    for (const p of janFeb)
      expect(p).toMatchObject({
        value: 9.325,
        valueBasis: "average-of-combined",
        combinedMonths: 2,
        combinedValue: 18.65,
        releaseId: "prelim-by-country-usd-2023-01-02",
      });
    // A month with no figure is a null point with its reason: the line breaks there.
    expect(point(monthly, "imports", "2022-05")).toMatchObject({ value: null, missing: "not-published" });
    expect(point(monthly, "imports", "2022-10")).toMatchObject({ value: null, missing: "not-fetched" });
    expect(monthly.unit).toEqual({ currency: "USD", multiplier: 1e9, label: "US$ billion" });
    // One truth per run: the monthly and year-to-date charts come from the same releases.
    const ytd = await chart("china-russia-trade-ytd");
    expect(monthly.latestPeriod).toBe("2023-12");
    expect(ytd.latestPeriod).toBe(monthly.latestPeriod);
    expect(ytd.updatedAt).toBe(monthly.updatedAt);
    expect(ytd.nextRelease).toEqual(monthly.nextRelease);
    expect(monthly.nextRelease).toEqual({
      kind: "preliminary",
      period: "2024-01/02",
      expectedFrom: "2024-03-07T10:00:00+08:00",
      expectedBy: "2024-03-14T11:00:00+08:00",
    });
    expect(ytd.ytdMonths).toEqual({ from: "01", to: "11", label: "January–November" });
    // Computed changes that need care carry caveat codes and a warning in words.
    expect(point(monthly, "exports", "2023-06")).toMatchObject({
      yoyPct: 125.6,
      caveats: ["yoy-over-100", "base-rounded"],
    });
    expect(monthly.warnings.join(" ")).toContain("Exports to Russia, June 2023: +125.6%");
    // Every point with a value names its release.
    expect(point(monthly, "imports", "2023-08")?.releaseId).toBe("bulletin-by-country-usd-2023-08");
    // Every number traces to a release with its URL, sha256 and fetch time.
    const aug = monthly.provenance.find(
      (p: { releaseId: string }) => p.releaseId === "bulletin-by-country-usd-2023-08",
    );
    // The URL the page was fetched from (here the mirror), never the link as the index printed it.
    expect(aug.url.startsWith(`${stack.mirror.baseUrl}/Statics/`)).toBe(true);
    expect(aug.url).toMatch(/\/Statics\/.+\.html$/);
    expect(aug.sha256).toMatch(/^[0-9a-f]{64}$/);
    const csv = Buffer.from(
      (await chartStore.get("charts/china-russia-trade-monthly.csv")) ?? new Uint8Array(),
    ).toString("utf8");
    expect(csv.split("\n")[0]).toBe("period,Imports from Russia,Exports to Russia,note");
    expect(csv).toContain("\n2023-08,11.5,9.3,\n");
    expect(csv).toContain("\n2023-02,9.325,7.52,average of the January–February total\n");
    expect(csv).toContain("\n2022-05,,,not published\n");
  });

  it("ranks countries only (no groupings) in the top-partners chart", async () => {
    const top = await chart("china-top-partners");
    const codes = top.series[0].points.map((p: { category: string }) => p.category);
    expect(top.latestPeriod).toBe("2026-03");
    expect(codes.slice(0, 3)).toEqual(["HKG", "USA", "KOR"]);
    expect(codes).not.toContain("EU");
    expect(codes).not.toContain("ASEAN");
    expect(codes).not.toContain("WORLD");
    const rus = top.series
      .find((s: { key: string }) => s.key === "imports")
      .points.find((p: { category: string }) => p.category === "RUS");
    expect(rus.value).toBe(885.6); // CNY 100 million, as printed
  });

  it("writes nothing on a second run over the same pages", async () => {
    const before = await chartBytes();
    const again = await runPipeline({ since: 2022, forcePublish: true });
    expect(again.errors).toEqual([]);
    expect(again.fetch?.releases).toEqual([]);
    expect(again.normalize.reduce((a, n) => a + n.observationsWritten, 0)).toBe(0);
    expect(again.publish?.filesWritten).toEqual([]);
    expect(await chartBytes()).toEqual(before);
  });

  it("writes only the changed observations of a revised page and records the revisions", async () => {
    const path = releasePath("USD", "2023-10");
    const original = stack.mirror.site.get(path)?.body.toString() ?? "";
    // GACC revises October imports from 11,100.0 to 11,200.0 million (the page prints no month total).
    const revised = original.replace("11,100.0", "11,200.0");
    expect(revised).not.toBe(original);
    stack.mirror.override(path, revised);
    const run = await runPipeline({ since: 2022, recheckAll: true });
    stack.mirror.reset();
    expect(run.errors).toEqual([]);
    expect(run.normalize).toHaveLength(1);
    expect(run.normalize[0]).toMatchObject({
      releaseId: "prelim-by-country-usd-2023-10",
      status: "normalized",
      observationsWritten: 1,
      revisions: 1,
    });
    const monthly = await chart("china-russia-trade-monthly");
    const oct = point(monthly, "imports", "2023-10");
    expect(oct).toMatchObject({
      value: 11.2,
      revised: true,
      previousValue: 11.1,
      releaseId: "prelim-by-country-usd-2023-10",
      previousReleaseId: "prelim-by-country-usd-2023-10",
    });
    // Both versions of the page are in provenance: the new value's and the previous one's.
    const versions = monthly.provenance.filter(
      (p: { releaseId: string }) => p.releaseId === "prelim-by-country-usd-2023-10",
    );
    expect(versions.map((p: { sha256: string }) => p.sha256).sort()).toEqual(
      [oct?.sha256, oct?.previousSha256].sort(),
    );
    expect(oct?.sha256).not.toBe(oct?.previousSha256);
    // Put the original back so later tests start from the published state.
    const back = await runPipeline({ since: 2022, recheckAll: true });
    expect(back.normalize[0]).toMatchObject({ observationsWritten: 1, revisions: 1 });
  });

  it("shows a Bulletin value that differs from the preliminary one as a revision of it", async () => {
    const bulletin = sampleBulletinReleases().find((r) => r.period === "2023-08");
    if (!bulletin) throw new Error("no August 2023 Bulletin sample");
    const original = stack.mirror.site.get(bulletin.path)?.body.toString() ?? "";
    const revised = original.replace("11,500,000", "11,600,000").replace("20,800,000", "20,900,000");
    expect(revised).not.toBe(original);
    stack.mirror.override(bulletin.path, revised);
    const run = await runPipeline({ since: 2022, recheckAll: true });
    stack.mirror.reset();
    expect(run.errors).toEqual([]);
    const monthly = await chart("china-russia-trade-monthly");
    expect(point(monthly, "imports", "2023-08")).toMatchObject({
      value: 11.6,
      vintage: "bulletin",
      revised: true,
      previousValue: 11.5,
      releaseId: "bulletin-by-country-usd-2023-08",
      previousReleaseId: "bulletin-by-country-usd-2023-08",
    });
    await runPipeline({ since: 2022, recheckAll: true });
    expect(point(await chart("china-russia-trade-monthly"), "imports", "2023-08")).toMatchObject({
      value: 11.5,
    });
  });

  it("quarantines a page whose title says USD but whose unit row says CNY, and keeps the charts byte-identical", async () => {
    const before = await chartBytes();
    const path = releasePath("USD", "2023-09");
    const original = stack.mirror.site.get(path)?.body.toString() ?? "";
    const bad = original.replace(/Unit: USD ?1 Million/, "Unit: CNY 100 Million");
    expect(bad).not.toBe(original);
    stack.mirror.override(path, bad);
    const run = await runPipeline({ since: 2022, recheckAll: true });
    stack.mirror.reset();
    expect(run.ok).toBe(false);
    const q = run.normalize.find((x) => x.releaseId === "prelim-by-country-usd-2023-09");
    expect(q?.status).toBe("quarantined");
    expect(q?.reasons[0]?.message).toMatch(/title says USD but the unit row says "Unit: CNY 100 Million"/);
    expect(q?.observationsWritten).toBe(0);
    expect(await chartBytes()).toEqual(before);
    const monthly = await chart("china-russia-trade-monthly");
    expect(point(monthly, "imports", "2023-09")).toMatchObject({ value: 11.53 });
  });
});
