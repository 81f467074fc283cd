/**
 * The publish guard (functions/pipeline/publish-guard.ts): a chart that would lose points it had, or
 * whose values move by more than 25% with no revision on record, is held back (its files are not
 * written, the published ones stay byte-identical), recorded with its reasons, and written once an
 * editor accepts exactly that version. A revision GACC published (recorded by normalize) passes.
 */
import { DeleteItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChartHold } from "../../functions/domain/chart-holds.js";
import type { ChartEnvelope, ChartPoint } from "../../functions/domain/charts/envelope.js";
import type { ChartHoldStore } from "../../functions/domain/ports.js";
import {
  acceptHeldChart,
  decide,
  guardChart,
  NoHeldChart,
  openHolds,
} from "../../functions/pipeline/publish-guard.js";
import { testChart } from "../support/chart-envelope.js";
import { figureLog } from "./support/figures.js";
import { releasePath, reviseRussiaRow } from "./support/pages.js";
import { type ReliabilityStack, startReliabilityStack } from "./support/stack.js";

const figures = figureLog("guard");

// ---- the rules, on small envelopes --------------------------------------------------------------

const SHA = "a".repeat(64);

function pt(period: string, value: number, extra: Partial<ChartPoint> = {}): ChartPoint {
  return {
    period,
    chartPeriod: period.slice(0, 7),
    periodLabel: period,
    value,
    valueBasis: "observed",
    yoyPct: null,
    vintage: "preliminary",
    revised: false,
    releaseId: "r1",
    sha256: SHA,
    ...extra,
  };
}

const chart = (points: ChartPoint[], extra: Partial<ChartEnvelope> = {}) => testChart(points, extra, SHA);

class MemoryHolds implements ChartHoldStore {
  readonly holds = new Map<string, ChartHold>();
  async getHold(id: string) {
    return this.holds.get(id);
  }
  async putHold(h: ChartHold) {
    this.holds.set(h.chartId, structuredClone(h));
  }
  async listHolds() {
    return [...this.holds.values()];
  }
}

describe("guard rules", () => {
  const published = chart([pt("2023-07", 9.2), pt("2023-08", 11.5)]);

  it("passes a first publish, a new month, and small moves", () => {
    expect(guardChart(undefined, published)).toEqual([]);
    expect(
      guardChart(published, chart([pt("2023-07", 9.2), pt("2023-08", 11.5), pt("2023-09", 20)])),
    ).toEqual([]);
    expect(guardChart(published, chart([pt("2023-07", 9.2), pt("2023-08", 14.3)]))).toEqual([]); // +24%
  });

  it("holds a chart that would lose a month, or a whole series", () => {
    expect(guardChart(published, chart([pt("2023-08", 11.5)]))).toEqual([
      { check: "points-lost", message: '"Imports from Russia" would lose a figure it shows now (July 2023)' },
    ]);
    expect(guardChart(published, { ...published, series: [] })).toEqual([
      {
        check: "points-lost",
        message: '"Imports from Russia" would disappear from the chart, with its 2 figures',
        detail: "series imports missing from the new version",
      },
    ]);
  });

  it("holds a move beyond 25% with no revision on record, passes it with one", () => {
    expect(guardChart(published, chart([pt("2023-07", 9.2), pt("2023-08", 115)]))).toEqual([
      {
        check: "value-moved",
        message:
          "Imports from Russia, August 2023 would move from US$11.5 billion to US$115.0 billion (up 900%, more than 25%), and GACC has not marked it as a revision",
        amounts: { published: 11_500_000_000, candidate: 115_000_000_000 },
        currency: "USD",
        detail: "series imports at 2023-08: 11.5 → 115 in chart units",
      },
    ]);
    const revised = chart([pt("2023-07", 9.2), pt("2023-08", 15, { revised: true, previousValue: 11.5 })]);
    expect(guardChart(published, revised)).toEqual([]);
    // A revision from some other value does not vouch for this move.
    const other = chart([pt("2023-07", 9.2), pt("2023-08", 15, { revised: true, previousValue: 14 })]);
    expect(guardChart(published, other).map((f) => f.check)).toEqual(["value-moved"]);
  });

  it("holds a change of unit", () => {
    const millions = chart([pt("2023-07", 9200), pt("2023-08", 11500)], {
      unit: { currency: "USD", multiplier: 1e6, label: "US$ million" },
    });
    expect(guardChart(published, millions)).toEqual([
      {
        check: "unit-changed",
        message:
          "the chart would change its unit from US$ billion to US$ million, so every figure on it would move",
        detail: "unit USD × 1000000000 → USD × 1000000",
      },
    ]);
  });

  it("lets year-to-date charts move their months, and ranked charts change their partners", () => {
    const ytdJul = chart([pt("2022-07", 61.4), pt("2023-07", 72.9)], { chartType: "ytd-by-year" });
    const ytdAug = chart([pt("2023-08", 83.3)], { chartType: "ytd-by-year" });
    expect(guardChart(ytdJul, ytdAug)).toEqual([]);
    expect(
      guardChart(ytdJul, chart([pt("2023-07", 72.9)], { chartType: "ytd-by-year" })).map((f) => f.check),
    ).toEqual(["points-lost"]);
    const top = (cats: string[]) =>
      chart(
        cats.map((c, i) => pt("2026-03", 100 - i, { category: c, categoryLabel: c })),
        { chartType: "top-partners" },
      );
    expect(guardChart(top(["HKG", "USA", "KOR"]), top(["HKG", "USA", "JPN"]))).toEqual([]);
  });

  it("an acceptance covers exactly the version held, and the hold closes when it is written", async () => {
    const store = new MemoryHolds();
    const next = chart([pt("2023-07", 9.2), pt("2023-08", 115)]);
    const now = new Date("2026-04-09T00:00:00Z");
    const held = decide({ chartId: "c", previous: published, next, body: "v1", existing: undefined, now });
    expect(held.publish).toBe(false);
    await store.putHold(held.hold as ChartHold);
    await expect(
      acceptHeldChart(store, "c", { by: "ed", reason: "checked", candidateSha256: "0".repeat(64) }),
    ).rejects.toBeInstanceOf(NoHeldChart);
    await expect(acceptHeldChart(store, "nope", { by: "ed", reason: "checked" })).rejects.toMatchObject({
      code: "NO_HELD_CHART",
      message: "The chart nope is not held back: there is nothing to accept.",
    });
    const accepted = await acceptHeldChart(
      store,
      "c",
      { by: "ed@newsroom", reason: "GACC corrected a typo" },
      now,
    );
    expect(accepted).toMatchObject({
      status: "accepted",
      acceptance: { by: "ed@newsroom", reason: "GACC corrected a typo" },
    });
    // Different bytes than accepted: held again.
    expect(
      decide({ chartId: "c", previous: published, next, body: "v2", existing: accepted, now }).publish,
    ).toBe(false);
    const ok = decide({ chartId: "c", previous: published, next, body: "v1", existing: accepted, now });
    expect(ok).toMatchObject({ publish: true, hold: { status: "released" } });
  });
});

// ---- on the local stack --------------------------------------------------------------------------

let rel: ReliabilityStack;
let wiring: typeof import("../../functions/composition.js");
let publish: typeof import("../../functions/handlers/publish.js").handler;
const MONTHLY = "charts/china-russia-trade-monthly.json";

function point(charts: Map<string, string>, period: string, series = "imports"): ChartPoint | undefined {
  const c = JSON.parse(charts.get(MONTHLY) ?? "{}") as ChartEnvelope;
  return c.series.find((s) => s.key === series)?.points.find((p) => p.period === period);
}

beforeAll(async () => {
  rel = await startReliabilityStack();
  (await rel.faults()).set({});
  await rel.use("guard");
  wiring = await import("../../functions/composition.js");
  publish = (await import("../../functions/handlers/publish.js")).handler;
  const first = await rel.run();
  expect(first.errors).toEqual([]);
}, 120_000);

afterAll(async () => {
  figures.flush();
  await rel?.stop();
});

describe("publish guard in the pipeline", () => {
  it("a value moved tenfold with no revision (a parser change re-read the same page) is held until an editor accepts it", async () => {
    const before = await rel.chartObjects();
    // What a faulty parser deploy would store: the same release's value, ×10, same provenance.
    const store = wiring.dynamoStore();
    const key = "CHN|RUS|imports|TOTAL|USD";
    const { observations } = await store.querySeries(key);
    const oct = observations.find(
      (o) => o.kind === "month" && o.period === "2023-10" && o.vintage === "preliminary",
    );
    if (!oct) throw new Error("no October 2023 observation");
    await store.write([{ ...oct, value: oct.value * 10 }], []);

    const held = await publish({});
    expect(held.held).toEqual([
      {
        chartId: "china-russia-trade-monthly",
        candidateSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        reasons: [
          {
            check: "value-moved",
            message:
              "Imports from Russia, October 2023 would move from US$11.1 billion to US$111.0 billion (up 900%, more than 25%), and GACC has not marked it as a revision",
            amounts: { published: 11_100_000_000, candidate: 111_000_000_000 },
            currency: "USD",
            detail: "series imports at 2023-10: 11.1 → 111 in chart units",
          },
        ],
      },
    ]);
    expect(held.warnings).toContain(
      "china-russia-trade-monthly: HELD BACK until an editor accepts it: Imports from Russia, October 2023 would move from US$11.1 billion to US$111.0 billion (up 900%, more than 25%), and GACC has not marked it as a revision",
    );
    expect(held.filesWritten.filter((f) => f.includes("china-russia-trade-monthly"))).toEqual([]);
    // The year-to-date chart does not use monthly values: it is unaffected.
    const afterHeld = await rel.chartObjects();
    expect(afterHeld.get(MONTHLY)).toBe(before.get(MONTHLY));
    expect(afterHeld.get("charts/china-russia-trade-monthly.csv")).toBe(
      before.get("charts/china-russia-trade-monthly.csv"),
    );
    const holds = wiring.chartHolds();
    const [open] = await openHolds(holds);
    expect(open).toMatchObject({ chartId: "china-russia-trade-monthly", status: "held" });

    // Delivered again: still held, nothing written, the hold record unchanged.
    const again = await publish({});
    expect(again.filesWritten).toEqual([]);
    expect(await holds.getHold("china-russia-trade-monthly")).toEqual(open);

    // An editor accepts a version that is not the one held (an old page): the run's publish step
    // refuses, records nothing and writes nothing (the workflow's held-chart path, pipeline/accept-chart.ts).
    const acceptChart = {
      chartId: "china-russia-trade-monthly",
      by: "editor@newsroom.test",
      reason: "Checked against GACC's page",
      candidateSha256: open?.candidateSha256 ?? "",
    };
    const stale = await publish({
      runId: "run-stale",
      acceptChart: { ...acceptChart, candidateSha256: SHA },
    });
    expect(stale).toEqual({
      refused: {
        code: "NOT_HELD",
        message: expect.stringMatching(
          /^The chart china-russia-trade-monthly held back now is a different version \([0-9a-f]{12}\) from the one accepted \(aaaaaaaaaaaa\): the data changed since\. Review it again\.$/,
        ),
      },
    });
    expect(await holds.getHold("china-russia-trade-monthly")).toEqual(open);
    expect(await rel.chartObjects()).toEqual(afterHeld);

    // That version: the run records the acceptance (with its run id) and publishes it, closing the hold.
    const accepted = await publish({ runId: "run-accept", acceptChart });
    if ("refused" in accepted) throw new Error(accepted.refused.message);
    expect(accepted.held).toEqual([]);
    expect(accepted.filesWritten).toContain(MONTHLY);
    expect(point(await rel.chartObjects(), "2023-10")?.value).toBe(111);
    expect(await holds.getHold("china-russia-trade-monthly")).toMatchObject({
      status: "released",
      acceptance: { by: "editor@newsroom.test", reason: "Checked against GACC's page", runId: "run-accept" },
    });
    expect(await openHolds(holds)).toEqual([]);
    // The workflow retrying that step (after a timeout, say) finds its own acceptance carried out: no
    // refusal, nothing new written. Another run accepting the released hold is refused.
    const retried = await publish({ runId: "run-accept", acceptChart });
    expect("refused" in retried ? retried.refused : retried.filesWritten).toEqual([]);
    expect(await publish({ runId: "run-other", acceptChart })).toMatchObject({
      refused: {
        code: "NOT_HELD",
        message: "The chart china-russia-trade-monthly is not held back: there is nothing to accept.",
      },
    });

    // Put the value back (an undocumented move again, so the guard holds it; accept it to restore).
    await store.write([oct], []);
    const back = await publish({});
    expect(back.held?.map((h) => h.chartId)).toEqual(["china-russia-trade-monthly"]);
    await acceptHeldChart(holds, "china-russia-trade-monthly", {
      by: "editor@newsroom.test",
      reason: "restore",
    });
    await publish({});
    expect(await rel.latestCharts()).toEqual(
      new Map([...before].filter(([k]) => !k.startsWith("charts/v/"))),
    );
    figures.add({
      area: "guard",
      scenario: "value moved ×10 with no revision on record",
      cases: 4,
      faults: 1,
      dataLost: 0,
      note: "held twice (files byte-identical, hold recorded), written after an editor accepted that exact version",
    });
  });

  it("a month missing from the store (a lost write) holds the chart instead of dropping the month", async () => {
    const before = await rel.chartObjects();
    const key = { pk: { S: "S#CHN|RUS|exports|TOTAL|USD" }, sk: { S: "O#month#2023-09#preliminary" } };
    const { GetItemCommand, PutItemCommand } = await import("@aws-sdk/client-dynamodb");
    const table = rel.current?.table;
    const item = (await rel.admin.dynamo.send(new GetItemCommand({ TableName: table, Key: key }))).Item;
    expect(item).toBeDefined();
    await rel.admin.dynamo.send(new DeleteItemCommand({ TableName: table, Key: key }));
    const report = await publish({});
    expect(report.held).toEqual([
      {
        chartId: "china-russia-trade-monthly",
        candidateSha256: expect.any(String),
        reasons: [
          {
            check: "points-lost",
            message: `"Exports to Russia" would lose a figure it shows now (September 2023)`,
          },
        ],
      },
    ]);
    expect(await rel.chartObjects()).toEqual(before);
    // The write is repaired (the next normalize of that release would do it): the hold no longer applies.
    await rel.admin.dynamo.send(new PutItemCommand({ TableName: table, Item: item }));
    const repaired = await publish({});
    expect(repaired.held).toEqual([]);
    expect(repaired.filesWritten).toEqual([]);
    expect(await wiring.chartHolds().getHold("china-russia-trade-monthly")).toMatchObject({
      status: "released",
    });
    figures.add({
      area: "guard",
      scenario: "a published month missing from the store",
      cases: 2,
      faults: 1,
      dataLost: 0,
      note: "held (files byte-identical) until the month was back; then nothing to write",
    });
  });

  it("a large revision GACC published passes: the revision is on record", async () => {
    const path = releasePath("USD", "2023-10");
    const original = rel.local.mirror.site.get(path)?.body.toString() ?? "";
    // October imports revised from 11,100 to 15,000 million (+35%), with the year-to-date following.
    rel.local.mirror.override(
      path,
      reviseRussiaRow(reviseRussiaRow(original, "11,100.0", "15,000.0"), "106,405.0", "110,305.0"),
    );
    try {
      const run = await rel.run({ recheckAll: true });
      expect(run.errors).toEqual([]);
      expect(run.publish?.held).toEqual([]);
      expect(point(await rel.chartObjects(), "2023-10")).toMatchObject({
        value: 15,
        revised: true,
        previousValue: 11.1,
      });
      figures.add({
        area: "guard",
        scenario: "GACC revises a month by +35% (revision on record)",
        cases: 1,
        faults: 0,
        dataLost: 0,
        note: "published, not held: no false hold",
      });
    } finally {
      rel.local.mirror.reset();
      await rel.run({ recheckAll: true });
    }
  });
});
