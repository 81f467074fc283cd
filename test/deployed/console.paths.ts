/**
 * The editors' console in the deployed-shape run: Chromium opens the real console files, served as
 * CloudFront serves them (the template's behaviours, headers and CSP) by support/console-bridge.ts,
 * signs in through the hosted sign-in's authorization-code + PKCE flow, and uploads exports through
 * the console's form: the bundled API function hands out the presigned slot, the browser PUTs the
 * bytes to S3 (the raw bucket's CORS rule from the template), and the console follows the run the
 * workflow executes — store, normalize, publish — to its summary. A file that is no export ends in
 * the console's plain error, with nothing stored and the charts served unchanged.
 *
 * Called from deployed.test.ts (one stack, one run). Screenshots: test-artifacts/deployed-console-*.png.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { StatusView } from "../../functions/api/editors/status.js";
import { MAX_UPLOAD_BYTES } from "../../functions/domain/raw-keys.js";
import { sha256Hex } from "../../functions/domain/sha256.js";
import type { StoreUploadReport } from "../../functions/pipeline/upload-release.js";
import {
  ARTIFACTS,
  type Chromium,
  describeWithChromium,
  launchChromium,
  screenshot,
  uploadDone,
  uploadFile,
} from "../support/chromium.js";
import { uploadSizedExport } from "../support/query-export.js";
import { type ConsoleBridge, startConsoleBridge } from "./support/console-bridge.js";
import type { DeployedStack } from "./support/deployed-stack.js";
import { EDITOR } from "./support/editors-client.js";
import type { Execution } from "./support/local-sfn.js";

const CHAPTER_CHART = "china-russia-imports-by-hs-chapter";
/** What each upload adds to the chapter chart (the rest of each file: generated HS-code rows). */
const UPLOADS = [
  {
    rows: 10_000,
    seed: 21,
    chapters: [
      ["202406", "27", "矿物燃料", "52,345,678,901"],
      ["202406", "10", "谷物", "312,000,000"],
      ["202406", "03", "鱼及其他水生无脊椎动物", "1,234,567,890"],
    ] as Array<[string, string, string, string]>,
    month: "June 2024",
    latest: "Mineral fuels and oils (HS 27): CNY 52.3 billion in June 2024",
    point: { period: "2024-06", series: "hs27", yuan: 52_345_678_901 },
  },
  {
    rows: 45_000,
    seed: 22,
    chapters: [
      ["202407", "27", "矿物燃料", "55,120,000,000"],
      ["202407", "10", "谷物", "298,500,000"],
      ["202407", "03", "鱼及其他水生无脊椎动物", "1,187,000,000"],
    ] as Array<[string, string, string, string]>,
    month: "July 2024",
    latest: "Mineral fuels and oils (HS 27): CNY 55.1 billion in July 2024",
    point: { period: "2024-07", series: "hs27", yuan: 55_120_000_000 },
  },
];

/** What the progress box showed, each time it changed (the console re-renders it on every poll). */
interface Seen {
  state: string;
  status: string;
  run: string;
  value: number;
  headline: string;
  stages: string[];
}

async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const box = document.getElementById("progress") as HTMLElement;
    const w = window as unknown as { progressSeen: string[] };
    w.progressSeen = [];
    const snap = () => {
      const s = JSON.stringify({
        state: box.dataset.state ?? "",
        status: box.dataset.status ?? "",
        run: box.dataset.run ?? "",
        value: Number(box.querySelector("progress")?.getAttribute("value") ?? "-1"),
        headline: box.querySelector(".headline")?.textContent ?? "",
        stages: Array.from(box.querySelectorAll("li[data-stage]")).map(
          (li) =>
            `${(li as HTMLElement).dataset.stage}:${(li.querySelector(".badge") as HTMLElement | null)?.dataset.status}`,
        ),
      });
      if (w.progressSeen.at(-1) !== s) w.progressSeen.push(s);
    };
    new MutationObserver(snap).observe(box, { childList: true, subtree: true, attributes: true });
  });
}

async function progressSeen(page: Page): Promise<Seen[]> {
  const raw = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  return raw.map((s) => JSON.parse(s) as Seen);
}

/** The run's stage that was running in each snapshot, in order, repeats folded. */
function runningStages(seen: Seen[]): string[] {
  const out: string[] = [];
  for (const s of seen) {
    const running = s.stages.find((x) => x.endsWith(":running"))?.split(":")[0];
    if (running && out.at(-1) !== running) out.push(running);
  }
  return out;
}

/** How long each state took, from the execution's history ("StoreUpload 2.1 s, ..."). */
function stateTimes(ex: Execution): string {
  const entered = ex.events.filter((e) => e.stateEnteredEventDetails);
  return entered
    .map((e, i) => {
      const end = entered[i + 1]?.timestamp ?? ex.stopDate ?? e.timestamp;
      return `${e.stateEnteredEventDetails?.name} ${((end - e.timestamp) / 1000).toFixed(1)} s`;
    })
    .filter((t) => !t.endsWith(" 0.0 s"))
    .join(", ");
}

/** Every chart file the console's origin serves (what graphics would load), by path. */
async function servedCharts(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async () => {
    const index = await (await fetch("/charts/index.json", { cache: "no-store" })).text();
    const out: Record<string, string> = { "charts/index.json": index };
    for (const c of (JSON.parse(index) as { charts: Array<{ id: string; state?: string }> }).charts) {
      if ((c.state ?? "published") !== "published") continue;
      out[`charts/${c.id}.json`] = await (await fetch(`/charts/${c.id}.json`, { cache: "no-store" })).text();
    }
    return out;
  });
}

/** The "Details" fact of the upload's result (dt → dd). */
async function resultFact(page: Page, name: string): Promise<string> {
  return page.evaluate((n) => {
    const dt = Array.from(document.querySelectorAll("#upload-result dt")).find((d) => d.textContent === n);
    return dt?.nextElementSibling?.textContent ?? "";
  }, name);
}

export function describeConsoleUploads(stackOf: () => DeployedStack): void {
  describeWithChromium("the console in the deployed-shape run")(
    "the console, served as CloudFront serves it, against the bundled API (Chromium)",
    () => {
      let bridge: ConsoleBridge;
      let chromium: Chromium;
      let page: Page;
      const problems: string[] = [];

      beforeAll(async () => {
        bridge = await startConsoleBridge(stackOf());
        chromium = await launchChromium();
        page = chromium.page;
        page.on("pageerror", (err) => problems.push(err.message));
        page.on("console", (m) => {
          if (m.type() === "error") problems.push(m.text());
        });
      }, 60_000);

      afterAll(async () => {
        if (bridge)
          console.log(`the console's requests to the API function, per route:\n${bridge.client.report()}`);
        await chromium?.close();
        await bridge?.stop();
      });

      it("opens with the template's CSP and signs the editor in through the hosted sign-in (code + PKCE)", async () => {
        const opened = await page.goto(bridge.url);
        expect(opened?.headers()["content-security-policy"]).toBe(bridge.csp);
        expect(opened?.headers()["x-frame-options"]).toBe("DENY");
        // connect-src: its own origin, the sign-in domain, and S3 where the presigned addresses point.
        expect(bridge.csp).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:\d+ http:\/\/127\.0\.0\.1:\d+;/);
        expect(bridge.csp).toContain("script-src 'self';");
        // Not signed in: API Gateway's authorizer (the bridge) refuses, and the console offers the sign-in.
        await page.waitForSelector("#sign-in-link", { state: "visible" });
        await page.waitForFunction(
          () => document.getElementById("status")?.textContent === "Sign in to see the status.",
        );
        expect(bridge.refused).toBeGreaterThan(0);
        expect(await page.textContent("#releases")).toBe("Sign in to see it.");
        expect(await page.isHidden("#token-form")).toBe(true);
        await screenshot(page, "deployed-console-signed-out");

        bridge.signInAs(EDITOR);
        await page.click("#sign-in-link");
        await page.waitForSelector("#signed-in", { state: "visible" });
        // Back at the console's address, the one-time code gone from it.
        expect(page.url()).toBe(bridge.url);
        await page.waitForSelector("#status ul.glance");
        await page.waitForSelector(
          'article.chart[data-chart="china-russia-trade-monthly"] [data-preview="drawn"]',
        );
        expect(
          await page.locator(`article.chart[data-chart="${CHAPTER_CHART}"]`).getAttribute("data-state"),
        ).toBe("awaiting-data");
        // Only the refusals before signing in were logged as failed loads.
        expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
        // And the CSP holds: S3 itself, not the address a presigned URL names, is out of reach.
        const elsewhere = await page.evaluate(
          (u) =>
            fetch(u).then(
              (r) => `answered ${r.status}`,
              (e: Error) => e.message,
            ),
          `${stackOf().emulators.s3Endpoint}/`,
        );
        expect(elsewhere).toBe("Failed to fetch");
        expect(problems.join("\n")).toMatch(
          /violates the following Content Security Policy directive: "connect-src/,
        );
        problems.length = 0;
      }, 60_000);

      it.each(UPLOADS)(
        "a $rows-row export uploaded through the console: its progress followed stage by stage to the summary, its figures in the charts served",
        async ({ rows, seed, chapters, month, latest }) => {
          const stack = stackOf();
          const bytes = uploadSizedExport(rows, seed, chapters);
          expect(bytes.byteLength).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
          const name = `export-${rows}.csv`;
          await recordProgress(page);
          await page.setInputFiles("#upload-file", { name, mimeType: "text/csv", buffer: bytes });
          await page.selectOption("#upload-flow", "imports");
          const started = performance.now();
          await page.click("#upload-button");
          // Mid-run: the console says what the run is doing while the workflow normalizes.
          await page.waitForSelector(
            '#progress[data-state="running"] li[data-stage="normalize"].stage-running',
            { state: "attached", timeout: 60_000 }, // in the box's "Details", closed
          );
          expect(await page.textContent("#progress .headline")).toBe("Working: reading the figures…");
          if (rows === 45_000) await screenshot(page, "deployed-console-45000-running");
          await uploadDone(page, "normalized", 180_000);
          const seconds = (performance.now() - started) / 1000;

          const seen = await progressSeen(page);
          const runId = seen.at(-1)?.run ?? "";
          expect(runId).toMatch(/-upload-/);
          // The stages as they advanced, each shown running in turn, then the finished run.
          expect(runningStages(seen)).toEqual(expect.arrayContaining(["normalize"]));
          expect(["store", "normalize", "publish"].join(" ")).toContain(runningStages(seen).join(" "));
          const mid = seen.filter((s) => s.state === "running").map((s) => s.value);
          expect(mid.some((v) => v > 0 && v < 100)).toBe(true);
          expect(mid).toEqual([...mid].sort((a, b) => a - b)); // never goes back
          expect(seen.at(-1)).toMatchObject({
            state: "finished",
            status: "succeeded",
            value: 100,
            stages: ["store:done", "normalize:done", "publish:done"],
          });

          // The workflow ran the upload path for it: the execution the console followed.
          const ex = stack.sfn.executions.get(stack.sfn.executionArn(runId));
          if (!ex) throw new Error(`no execution for the run ${runId} the console followed`);
          console.log(
            `upload path, through the console: ${rows.toLocaleString("en-US")} rows, ${(bytes.byteLength / 1e6).toFixed(2)} MB, ${seconds.toFixed(1)} s from the click to the summary (${stateTimes(ex)}); ${seen.length} progress views`,
          );
          expect(ex.status, ex.cause).toBe("SUCCEEDED");
          expect(ex.entered).toEqual([
            "Defaults",
            "ReadInput",
            "WhichRun",
            "StoreUpload",
            "UploadStored",
            "NormalizeUpload",
            "PublishUpload",
            "UploadReport",
          ]);
          const out = ex.output as {
            upload: StoreUploadReport;
            normalized: Array<{ status: string; observationsWritten: number }>;
            publish?: { chartsBuilt: number };
          };
          expect(out.upload).toMatchObject({ created: true, sha256: sha256Hex(bytes) });
          expect(out.normalized).toHaveLength(1);
          expect(out.normalized[0]).toMatchObject({ status: "normalized" });
          expect(out.normalized[0]?.observationsWritten).toBeGreaterThanOrEqual(rows);
          expect(out.publish?.chartsBuilt).toBeGreaterThan(0);

          // The summary: what the file held, the chart it changed, and the tally with the row count.
          const headline = (await page.textContent("#upload-result .headline")) ?? "";
          expect(headline).toContain(`Read the Query-platform export of China's imports, to ${month}`);
          expect(headline).toContain("Changed “What China buys from Russia” (3 new figures)");
          const tally = await resultFact(page, "Tally");
          expect(tally).toMatch(
            /^1 normalized; \d+ observations written \(\d+ revisions?\); 1 chart changed/,
          );
          expect(Number(/(\d+) observations written/.exec(tally)?.[1]), tally).toBeGreaterThanOrEqual(rows);

          // The charts served afterwards hold the uploaded figures, and the console draws them.
          const chart = page.locator(`article.chart[data-chart="${CHAPTER_CHART}"]`);
          await chart.locator('[data-preview="drawn"]').waitFor({ timeout: 15_000 });
          expect(await chart.getAttribute("data-state")).toBe("published");
          expect(await chart.locator("ul.latest").textContent()).toContain(latest);
          // The preview is drawn from the file as it is now (its month on the time axis), not a cached copy.
          expect(await chart.locator(".preview svg").textContent()).toContain(month.slice(0, 3));
          const served = JSON.parse((await servedCharts(page))[`charts/${CHAPTER_CHART}.json`] ?? "{}") as {
            unit: { multiplier: number };
            series: Array<{ key: string; points: Array<{ period: string; value: number }> }>;
          };
          // This upload's figures, and those of the uploads before it.
          for (const u of UPLOADS.filter((x) => x.rows <= rows)) {
            const p = served.series
              .find((s) => s.key === u.point.series)
              ?.points.find((x) => x.period === u.point.period);
            expect(p?.value, u.point.period).toBeCloseTo(u.point.yuan / served.unit.multiplier, 2);
          }
          if (rows === 45_000) {
            await screenshot(page, "deployed-console-45000-done");
            await chart.screenshot({ path: join(ARTIFACTS, "deployed-console-chapter-chart.png") });
          }
          expect(problems).toEqual([]);
        },
        240_000,
      );

      it("a file that is no export: the console's plain error, nothing stored, the last good charts still served", async () => {
        const before = await servedCharts(page);
        const releasesBefore = (await bridge.client.call<StatusView>("GET", "/api/status")).body.releases
          .length;
        await uploadFile(page, {
          name: "notes.csv",
          buffer: Buffer.from("Dear editor,\nthis is a letter, not an export.\n"),
        });
        await uploadDone(page, "error", 60_000);
        expect(await page.textContent("#upload-result")).toMatch(
          /^This file cannot be read as a query-platform export: .+ Nothing was stored\.$/,
        );
        await screenshot(page, "deployed-console-not-an-export");
        const status = (await bridge.client.call<StatusView>("GET", "/api/status")).body;
        expect(status.releases).toHaveLength(releasesBefore);
        expect(status.latestRun).toMatchObject({ kind: "upload", status: "failed" });
        expect(await servedCharts(page)).toEqual(before);
        expect(problems).toEqual([]);
      }, 90_000);
    },
  );
}
