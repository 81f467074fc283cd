/**
 * The console's chart previews in a real browser (Debian's Chromium via playwright-core) under a
 * strict Content-Security-Policy without 'unsafe-eval' or inline script: every published chart is
 * drawn by Vega-Lite from its chart file, with a legend where there are several series, month names
 * on the time axis, the unit on the value axis, January–February drawn and named as its average,
 * and no CSP violation. The screenshots test-artifacts/console-charts.png and
 * console-chart-monthly.png are for a person to look at.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConsoleCharts } from "../../infra/console-bundle.js";
import type { LocalEditors } from "../../local/editors.js";
import { type EditorsServer, startEditorsServer } from "../support/editors-server.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) {
  const msg = `Chromium not found at ${CHROMIUM} (apt-get install chromium): the chart preview browser test is skipped.`;
  if (process.env.CI === "true") throw new Error(`${msg} Under CI this is an error.`);
  console.warn(`SKIPPED: ${msg}`);
}
const describeWithChromium = chromiumAvailable ? describe : describe.skip;
const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts");

/** Strict: scripts, styles, data and images from the console's own origin only; no eval, no inline script. */
const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

let running: EditorsServer | undefined;
let editors: LocalEditors;
let server: { url: string; stop(): Promise<void> };
let browser: BrowserContext;
let profileDir: string;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!chromiumAvailable) return;
  await buildConsoleCharts();
  running = await startEditorsServer({ token: "charts-browser-test-token-4821", since: 2022 });
  ({ editors, server } = running);
  const first = await editors.service.refresh({ id: "local", name: "npm start" }, {});
  await editors.launcher.wait(first.runId);

  profileDir = await mkdtemp(join(tmpdir(), "gacc-chromium-charts-"));
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    viewport: { width: 1200, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (err) => pageErrors.push(err.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  // Every response from the local server carries the strict policy (the deployed console's
  // CloudFront policy is at least this strict about scripts).
  await page.route(`${server.url}/**`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), "content-security-policy": STRICT_CSP },
    });
  });
}, 90_000);

afterAll(async () => {
  await page?.unrouteAll({ behavior: "ignoreErrors" });
  await browser?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
  await running?.stop();
});

describeWithChromium("chart previews (Vega-Lite) under a strict CSP", () => {
  it("draws every chart with Vega, legends, month names and units, and violates nothing", async () => {
    // Recorded from the first script on: any eval, inline script or style the policy blocks.
    await page.addInitScript(() => {
      const w = window as unknown as { violations: string[] };
      w.violations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        w.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    });
    await page.goto(`${server.url}/`);
    // The policy is in force: an inline script added to the page does not run (and is reported).
    expect(
      await page.evaluate(async () => {
        const tag = document.createElement("script");
        tag.textContent = "window.inlineRan = true";
        document.body.append(tag);
        await new Promise((r) => setTimeout(r, 50));
        const w = window as unknown as { inlineRan?: boolean; violations: string[] };
        const seen = w.violations.splice(0);
        return { ran: w.inlineRan === true, reported: seen.some((v) => v.startsWith("script-src")) };
      }),
    ).toEqual({ ran: false, reported: true });
    expect(pageErrors.splice(0)).toEqual([
      expect.stringContaining("violates the following Content Security Policy"),
    ]);
    await page.waitForSelector("article.chart");
    const ids = await page.$$eval("article.chart", (cards) => cards.map((c) => c.getAttribute("data-chart")));
    expect(ids.length).toBeGreaterThanOrEqual(3);
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll(".preview")).every(
          (p) => p.getAttribute("data-preview") !== "loading",
        ),
      undefined,
      { timeout: 30_000 },
    );
    const states = await page.$$eval(".preview", (ps) =>
      ps.map((p) => `${p.getAttribute("data-preview")} ${p.textContent?.slice(0, 200)}`),
    );
    expect(states.filter((s) => !s.startsWith("drawn"))).toEqual([]);
    const monthly = page.locator('article[data-chart="china-russia-trade-monthly"] .preview');
    // Vega's SVG renderer: a legend naming both series, month names on the time axis, the unit as
    // the value axis' title, and a zero-based value axis.
    const legend = (await monthly.locator("svg .role-legend").allTextContents()).join(" ");
    expect(legend).toContain("Imports from Russia");
    expect(legend).toContain("Exports to Russia");
    const labels = await monthly.locator("svg .role-axis-label text").allTextContents();
    expect(labels).toEqual(expect.arrayContaining(["Apr", "Jul", "Oct", "2023", "0"]));
    expect(labels.filter((l) => /\d{4}-\d{2}/.test(l))).toEqual([]);
    expect(await monthly.locator("svg .role-axis-title").allTextContents()).toContain("US$ billion");

    // January–February as the chart file defines it: the average drawn across both months (a band
    // per series), diamond points, and the legend saying what they are.
    expect(legend).toContain("January–February average");
    expect(legend).toContain("Monthly figure");
    const monthlyFile = (await (
      await fetch(`${server.url}/charts/china-russia-trade-monthly.json`)
    ).json()) as {
      series: Array<{ points: Array<{ valueBasis?: string }> }>;
    };
    const averages = monthlyFile.series.flatMap((s) =>
      s.points.filter((p) => p.valueBasis === "average-of-combined"),
    );
    expect(averages.length).toBeGreaterThan(0);
    expect(
      await monthly.locator("svg .mark-rule.role-mark line, svg .mark-rule.role-mark path").count(),
    ).toBe(averages.length);
    await mkdir(ARTIFACTS, { recursive: true });
    await monthly.screenshot({ path: join(ARTIFACTS, "console-chart-monthly.png") });

    // Gaps as the chart file defines them: each series' line is cut into one stretch per run of
    // months with a figure (value null ends a stretch), never drawn across a gap.
    const file = (await (await fetch(`${server.url}/charts/china-russia-trade-monthly.json`)).json()) as {
      series: Array<{ label: string; points: Array<{ value: number | null }> }>;
    };
    const stretches = file.series.map(
      (s) =>
        s.points.filter((p, i) => p.value !== null && (i === 0 || s.points[i - 1]?.value === null)).length,
    );
    expect(Math.min(...stretches)).toBeGreaterThan(1); // the sample has gaps: this checks something
    const paths = await monthly
      .locator("svg .mark-line path")
      .evaluateAll((ps) => ps.map((p) => (p.getAttribute("d")?.match(/M/g) ?? []).length));
    expect(paths.sort()).toEqual([...stretches].sort());

    // The ranked chart: a bar per partner, thousands separators on its value axis.
    const partners = page.locator('article[data-chart="china-top-partners"] .preview');
    expect(await partners.locator("svg .mark-rect path").count()).toBe(15);
    expect((await partners.locator("svg .role-axis-label text").allTextContents()).join(" ")).toMatch(
      /\d,\d{3}/,
    );

    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.locator("#charts").screenshot({ path: join(ARTIFACTS, "console-charts.png") });
  });
});
