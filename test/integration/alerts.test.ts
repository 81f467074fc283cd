/**
 * Release facts and alerts through the real pipeline: dynalite + s3rver + the GACC mirror, the real
 * handlers, and the real SNS client posting to a recording stand-in (test/support/sns-stand-in.ts).
 * One alert per run with new facts; a re-run sends nothing; a revised page gives a revision fact;
 * a held-back release says nothing; an SNS outage loses no alert.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChartEnvelope } from "../../functions/domain/charts/envelope.js";
import { assertValidFacts, buildFactsFile, type FactsFile } from "../../functions/domain/facts/facts-file.js";
import { sampleReleases } from "../../local/mirror/render.js";
import { type LocalStack, startLocalStack } from "../support/local-stack.js";
import { russiaChapterExport } from "../support/query-export.js";
import { type SnsStandIn, startSnsStandIn } from "../support/sns-stand-in.js";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:release-alerts-test";

let stack: LocalStack;
let sns: SnsStandIn;
let runPipeline: typeof import("../../local/run-pipeline.js").runPipeline;
let formatSummary: typeof import("../../local/run-pipeline.js").formatSummary;
let chartStore: import("../../functions/domain/ports.js").ChartStore;
let first: import("../../local/run-pipeline.js").RunSummary;

async function read<T>(key: string): Promise<T> {
  const body = await chartStore.get(key);
  if (!body) throw new Error(`${key} was not published`);
  return JSON.parse(Buffer.from(body).toString("utf8")) as T;
}

/** The amount a point stands for as published (the combined total for January–February). */
const publishedAmount = (p: { value: number | null; combinedValue?: number }) => p.combinedValue ?? p.value;

function releasePath(currency: string, period: string): string {
  const r = sampleReleases().find((x) => x.currency === currency && x.period === period);
  if (!r) throw new Error(`no sample release ${currency} ${period}`);
  return r.path;
}

beforeAll(async () => {
  sns = await startSnsStandIn();
  stack = await startLocalStack();
  Object.assign(process.env, { AWS_ENDPOINT_URL_SNS: sns.endpoint, RELEASE_ALERTS_TOPIC_ARN: TOPIC });
  (await import("../../functions/adapters/env.js")).resetEnv();
  ({ runPipeline, formatSummary } = await import("../../local/run-pipeline.js"));
  chartStore = (await import("../../functions/composition.js")).publishDeps().charts;
  first = await runPipeline({ since: 2022 });
}, 120_000);

afterAll(async () => {
  (await import("../../functions/adapters/sns-alerts.js")).resetSnsClient();
  await stack?.stop();
  await sns?.stop();
  delete process.env.AWS_ENDPOINT_URL_SNS;
  delete process.env.RELEASE_ALERTS_TOPIC_ARN;
});

describe("release facts and alerts on the local stack", () => {
  it("writes a facts file beside each chart: schema-valid, every point in the chart with its release", async () => {
    expect(first.errors).toEqual([]);
    const written = first.publish?.facts?.factsFilesWritten ?? [];
    expect(written).toContain("charts/china-russia-trade-monthly.facts.json");
    for (const key of written) {
      const facts = await read<FactsFile>(key);
      assertValidFacts(facts);
      const chart = await read<ChartEnvelope>(key.replace(".facts.json", ".json"));
      expect(facts.latestPeriod).toBe(chart.latestPeriod);
      const releases = new Set(chart.provenance.map((p) => p.releaseId));
      for (const f of facts.facts) {
        for (const pt of f.points) {
          const p = chart.series
            .find((s) => s.key === pt.series)
            ?.points.find((x) => x.period === pt.period && publishedAmount(x) === pt.value);
          expect(p, `${key} ${f.id} ${pt.period}`).toBeDefined();
          // Each point traces to a release in the chart's provenance (where the chart names it).
          if (pt.releaseId !== null) expect(releases.has(pt.releaseId)).toBe(true);
        }
      }
    }
    // The top-partners chart: Russia's ranks in the sample's March 2026 table, countries only (by
    // total after Hong Kong, the US, Korea, Taiwan, Japan, Vietnam and Australia; by imports after
    // Taiwan, Korea, Japan and Australia). The sample has no earlier CNY month to compare ranks with.
    const ranks = await read<FactsFile>("charts/china-top-partners.facts.json");
    expect(ranks.facts.map((f) => f.text)).toEqual([
      "Russia was China's eighth-largest trading partner in March 2026, with trade of 154 billion yuan.",
      "Russia was China's tenth-largest export market in March 2026, with exports of 65 billion yuan.",
      "Russia was China's fifth-largest source of imports in March 2026, with imports of 88.6 billion yuan.",
    ]);
    const monthly = await read<FactsFile>("charts/china-russia-trade-monthly.facts.json");
    expect(monthly.facts.map((f) => f.text)).toContain(
      "China's imports from Russia totalled $11.1 billion in October 2023.",
    );
  });

  it("says the story's sentence from the published chart: August 2023 up 2.7% to $11.5 billion, after July's 8.2% fall", async () => {
    // The chart as published, read at August 2023 (as it stood when that release landed).
    const chart = await read<ChartEnvelope>("charts/china-russia-trade-monthly.json");
    const atAugust = {
      ...chart,
      latestPeriod: "2023-08",
      series: chart.series.map((s) => ({ ...s, points: s.points.filter((p) => p.chartPeriod <= "2023-08") })),
    };
    const facts = buildFactsFile(atAugust, {
      imports: { text: "China's imports from Russia", plural: true },
    });
    const change = facts.facts.find((f) => f.kind === "change" && f.series === "imports");
    expect(change?.text).toBe(
      "China's imports from Russia rose 2.7% in August 2023 from a year earlier to $11.5 billion, reversing an 8.2% fall in July.",
    );
  });

  it("sends one alert for the run: subject names the chart and headline change; body has sentences and chart URLs", async () => {
    expect(sns.published).toHaveLength(1);
    const [msg] = sns.published;
    expect(msg?.topicArn).toBe(TOPIC);
    expect(msg?.subject).toMatch(
      /^China's trade with Russia: China's imports from Russia totalled \$11\.1 billion/,
    );
    expect(msg?.subject?.length).toBeLessThan(100);
    expect(msg?.message).toContain("- China's imports from Russia totalled $11.1 billion in October 2023.");
    expect(msg?.message).toContain("Chart data: http://charts.test/charts/china-russia-trade-monthly.json");
    expect(msg?.message).toContain("CSV: http://charts.test/charts/china-russia-trade-ytd.csv");
    expect(first.publish?.facts?.alert).toMatchObject({ sent: true, subject: msg?.subject });
    // The --once summary prints the same new sentences.
    expect(formatSummary(first)).toContain(
      "      - China's imports from Russia totalled $11.1 billion in October 2023.",
    );
  });

  it("sends nothing on a re-run over the same pages", async () => {
    const again = await runPipeline({ since: 2022, forcePublish: true });
    expect(again.errors).toEqual([]);
    expect(again.publish?.facts).toEqual({ news: [], factsFilesWritten: [] });
    expect(sns.published).toHaveLength(1);
    expect(formatSummary(again)).toContain("What's new: no new facts");
  });

  it("turns a revised page into a revision fact and one alert", async () => {
    const path = releasePath("USD", "2023-10");
    const original = stack.mirror.site.get(path)?.body.toString() ?? "";
    stack.mirror.override(path, original.replace("11,100.0", "11,200.0"));
    const run = await runPipeline({ since: 2022, recheckAll: true });
    stack.mirror.reset();
    expect(run.errors).toEqual([]);
    const news = run.publish?.facts?.news ?? [];
    expect(news.map((n) => n.chartId)).toEqual(["china-russia-trade-monthly"]);
    const texts = news[0]?.facts.map((f) => f.text) ?? [];
    expect(texts).toContain(
      "China's imports from Russia for October 2023 were revised up to $11.2 billion from $11.1 billion.",
    );
    expect(texts).toContain("China's imports from Russia totalled $11.2 billion in October 2023.");
    const revision = news[0]?.facts.find((f) => f.kind === "revision");
    expect(revision?.values).toMatchObject({ oldValue: 11.1, newValue: 11.2 });
    expect(sns.published).toHaveLength(2);
    expect(sns.published[1]?.subject).toBe(
      "China's trade with Russia: China's imports from Russia totalled $11.2 billion in October 2023",
    );
    // Back to the published page: the revision fact goes, the level is new again.
    await runPipeline({ since: 2022, recheckAll: true });
    expect(sns.published).toHaveLength(3);
  });

  it("says nothing about a held-back release", async () => {
    const path = releasePath("USD", "2023-09");
    const original = stack.mirror.site.get(path)?.body.toString() ?? "";
    stack.mirror.override(path, original.replace(/Unit: USD ?1 Million/, "Unit: CNY 100 Million"));
    const run = await runPipeline({ since: 2022, recheckAll: true });
    stack.mirror.reset();
    expect(run.normalize.find((n) => n.releaseId === "prelim-by-country-usd-2023-09")?.status).toBe(
      "quarantined",
    );
    expect(run.publish?.facts?.news ?? []).toEqual([]);
    expect(sns.published).toHaveLength(3);
  });

  it("loses no alert when SNS is down: publish fails, facts stay unwritten, the next run sends", async () => {
    const path = releasePath("USD", "2023-10");
    const original = stack.mirror.site.get(path)?.body.toString() ?? "";
    stack.mirror.override(path, original.replace("11,100.0", "11,300.0"));
    sns.failNext(100);
    const failed = await runPipeline({ since: 2022, recheckAll: true });
    expect(failed.errors.map((e) => [e.stage, e.code])).toEqual([["publish", "STORE_UNAVAILABLE"]]);
    expect(sns.published).toHaveLength(3);
    sns.failNext(0);
    const retried = await runPipeline({ since: 2022, forcePublish: true });
    stack.mirror.reset();
    expect(retried.errors).toEqual([]);
    expect(sns.published).toHaveLength(4);
    expect(sns.published[3]?.message).toContain("were revised up to $11.3 billion from $11.1 billion");
    // Restore the published page (one more alert: the revision is undone).
    await runPipeline({ since: 2022, recheckAll: true });
    expect(sns.published).toHaveLength(5);
  });

  it("an editor's upload through the API writes facts right after its charts and sends one alert", async () => {
    const { createLocalEditors } = await import("../../local/editors.js");
    const editors = createLocalEditors({ token: "t".repeat(32) });
    expect(await chartStore.get("charts/china-russia-imports-by-hs-chapter.facts.json")).toBeUndefined();
    const sent = sns.published.length;
    // China's imports from Russia by HS chapter (27, 10, 03), three months of made-up values.
    const bytes = russiaChapterExport(
      ["202301", "202302", "202303"].flatMap((month) => [
        [month, "27", "矿物燃料、矿物油及其蒸馏产品", "21,000,000,000"],
        [month, "10", "谷物", "450,000,000"],
        [month, "03", "鱼、甲壳动物、软体动物", "1,200,000,000"],
      ]) as Array<[string, string, string, string]>,
    );
    const started = await editors.service.upload(
      { id: "editor", name: "editor" },
      { bytes, fileName: "generated-export.csv", flow: "imports" },
    );
    // The API only starts the run (202); it stores, normalizes and publishes in the background.
    const run = (await editors.launcher.wait(started.run.runId))?.record;
    if (!run) throw new Error(`run ${started.run.runId} was not running in this process`);
    expect(run.stages.map((st) => [st.name, st.status])).toEqual([
      ["store", "done"],
      ["normalize", "done"],
      ["publish", "done"],
    ]);
    expect(run.result?.chartFilesWritten).toContain("charts/china-russia-imports-by-hs-chapter.json");
    // The same run that wrote the chart wrote its facts, and sent exactly one alert naming them.
    const facts = await read<FactsFile>("charts/china-russia-imports-by-hs-chapter.facts.json");
    assertValidFacts(facts);
    expect(facts.facts.length).toBeGreaterThan(0);
    expect(sns.published).toHaveLength(sent + 1);
    expect(run.result?.alert).toEqual({ subject: sns.published[sent]?.subject, sent: true });
    expect(run.result?.news?.map((n) => n.chartId)).toContain("china-russia-imports-by-hs-chapter");
    // The pipeline's next run finds nothing new to say: no second alert for the same facts.
    await runPipeline({ since: 2022, forcePublish: true });
    expect(sns.published).toHaveLength(sent + 1);
  });
});
