/**
 * An upload read under the wrong flow, replaced by the editor: the replacement is recorded as
 * revisions (old → new release, per figure), the chart that now draws the figures flags them revised
 * with the earlier reading as their previous release and says so in its warnings, the normalize
 * report counts them (the run summary's "revisions"), and a duplicate normalize writes nothing twice.
 * Memory ports; the real upload, normalize and chart-building code.
 */
import { describe, expect, it } from "vitest";
import { buildChart } from "../../functions/domain/charts/build.js";
import { CHART_DEFINITIONS } from "../../functions/domain/charts/definitions.js";
import { tableSpec } from "../../functions/domain/tables.js";
import { type NormalizeDeps, normalizeRelease } from "../../functions/pipeline/normalize-release.js";
import { chartInputs } from "../../functions/pipeline/publish-charts.js";
import { recordUpload } from "../../functions/pipeline/upload-release.js";
import { MemoryRaw, MemoryStore } from "../fuzz/support/memory-ports.js";

/** A query-platform export at the chapter level: Russia, HS 27 and 03, two months (the platform's layout). */
const FILE = [
  `"数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",`,
  `"202308","344","俄罗斯联邦","27","矿物燃料、矿物油及其蒸馏产品","1000","千克","0","?","45,600,000,000",`,
  `"202308","344","俄罗斯联邦","03","鱼、甲壳动物、软体动物","1000","千克","0","?","1,200,000,000",`,
  `"202309","344","俄罗斯联邦","27","矿物燃料、矿物油及其蒸馏产品","1000","千克","0","?","47,100,000,000",`,
  `"202309","344","俄罗斯联邦","03","鱼、甲壳动物、软体动物","1000","千克","0","?","1,300,000,000",`,
  "",
].join("\n");

const CHART = CHART_DEFINITIONS.find((d) => d.id === "china-russia-imports-by-hs-chapter");

describe("an upload's earlier reading replaced under the other flow", () => {
  it("is recorded as revisions, flagged on the chart with the earlier release, and counted once", async () => {
    if (!CHART) throw new Error("no HS-chapter chart");
    const store = new MemoryStore();
    const raw = new MemoryRaw();
    let clock = Date.parse("2026-01-05T10:00:00Z");
    const now = () => {
      clock += 1000;
      return new Date(clock);
    };
    const deps: NormalizeDeps = {
      raw,
      releases: store,
      observations: store,
      now,
      parse: (release, bytes, provenance) => {
        const spec = tableSpec(release.table);
        if (!spec) throw new Error(`no table ${release.table}`);
        return spec.normalize(bytes, provenance, release);
      },
    };
    const upload = {
      bytes: new TextEncoder().encode(FILE),
      fileName: "russia-chapters.csv",
      uploadedBy: "Ana",
    };
    const chart = async () => buildChart(CHART, chartInputs(await store.listReleases(), store));

    // Read as exports first: no chart draws Russia's chapter exports.
    const asExports = await recordUpload({ raw, releases: store, now }, { ...upload, flow: "exports" });
    const first = await normalizeRelease(deps, asExports.release.releaseId);
    expect(first).toMatchObject({ status: "normalized", observationsWritten: 4, revisions: 0 });
    expect((await chart()).series.every((s) => s.points.every((p) => p.value === null))).toBe(true);

    // The editor says it holds imports and replaces the earlier reading.
    const asImports = await recordUpload(
      { raw, releases: store, now },
      { ...upload, flow: "imports", replace: true },
    );
    expect(asImports.release.replaces).toMatchObject({
      releaseId: asExports.release.releaseId,
      flow: "exports",
      by: "Ana",
    });
    const second = await normalizeRelease(deps, asImports.release.releaseId);
    expect(second).toMatchObject({ status: "normalized", observationsWritten: 4, revisions: 4 });
    const recorded = store.revisions.filter((r) => r.replacedReading);
    expect(recorded).toHaveLength(4);
    const hs27aug = recorded.find((r) => r.seriesKey === "CHN|RUS|imports|27|CNY" && r.period === "2023-08");
    expect(hs27aug).toMatchObject({
      oldValue: 45_600_000_000,
      newValue: 45_600_000_000,
      oldRelease: { releaseId: asExports.release.releaseId },
      newRelease: { releaseId: asImports.release.releaseId },
      replacedReading: { flow: "exports", by: "Ana" },
    });

    // The chart now draws them, each flagged revised with the earlier reading as its previous release.
    const drawn = await chart();
    const hs27 = drawn.series.find((s) => s.key === "hs27")?.points ?? [];
    expect(hs27.map((p) => [p.period, p.value, p.revised, p.previousReleaseId])).toEqual([
      ["2023-08", 45.6, true, asExports.release.releaseId],
      ["2023-09", 47.1, true, asExports.release.releaseId],
    ]);
    expect(drawn.provenance.map((p) => p.releaseId)).toContain(asExports.release.releaseId);
    expect(drawn.warnings).toContain(
      `Mineral fuels and oils (HS 27), August 2023: the uploaded file was first read as China's exports (${asExports.release.releaseId}); Ana replaced that reading (${asImports.release.releaseId}).`,
    );

    // A duplicate delivery of the same normalize writes no second set.
    const again = await normalizeRelease(deps, asImports.release.releaseId);
    expect(again.status).toBe("skipped");
    expect(store.revisions.filter((r) => r.replacedReading)).toHaveLength(4);

    // And back to exports: the exports reading is live again (re-normalized: no figure written, the
    // change of reading recorded), and the chart has nothing to draw.
    const back = await recordUpload(
      { raw, releases: store, now },
      { ...upload, flow: "exports", replace: true },
    );
    expect(back.created).toBe(false);
    const third = await normalizeRelease(deps, back.release.releaseId);
    expect(third).toMatchObject({ status: "normalized", observationsWritten: 0, revisions: 4 });
    expect(store.revisions.filter((r) => r.replacedReading?.flow === "imports")).toHaveLength(4);
    expect((await chart()).series.every((s) => s.points.every((p) => p.value === null))).toBe(true);
  });
});
