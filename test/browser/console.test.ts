/**
 * The editor console in a real browser: Debian's Chromium driven by playwright-core, against the
 * local server on the local stack. An editor enters the token, refreshes and watches the progress end
 * and the chart change, uploads a query-platform export, and accepts a held-back release. A screenshot
 * is saved as test-artifacts/console.png.
 *
 * Without /usr/bin/chromium (`apt-get install chromium`) the test is skipped with a visible reason
 * locally, and fails under CI (CI=true), where .ci/run installs it.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEditors } from "../../local/editors.js";
import { sampleReleases } from "../../local/mirror/render.js";
import { type EditorsServer, startEditorsServer } from "../support/editors-server.js";
import type { LocalStack } from "../support/local-stack.js";
import { sharedAvailable, sharedPath } from "../support/shared-data.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) {
  const msg = `Chromium not found at ${CHROMIUM} (apt-get install chromium): the console browser test is skipped.`;
  if (process.env.CI === "true") throw new Error(`${msg} Under CI this is an error.`);
  console.warn(`SKIPPED: ${msg}`);
}
const describeWithChromium = chromiumAvailable ? describe : describe.skip;

const TOKEN = "browser-test-token-5678";
const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts");

let running: EditorsServer | undefined;
let stack: LocalStack;
let editors: LocalEditors;
let server: { url: string; stop(): Promise<void> };
let browser: BrowserContext;
let profileDir: string;
let page: Page;
const pageErrors: string[] = [];

function byCountryPath(currency: string, period: string): string {
  const r = sampleReleases().find((x) => x.currency === currency && x.period === period);
  if (!r) throw new Error(`no sample release ${currency} ${period}`);
  return r.path;
}

/** A query-platform export: the real one from ../shared when present, else a generated one. */
async function exportFile(): Promise<{ name: string; buffer: Buffer }> {
  if (sharedAvailable) {
    const name = "harukaworks_2023.csv";
    return { name, buffer: readFileSync(sharedPath("stats_customs_query_platform", name)) };
  }
  const { queryExportChunks } = await import("../support/query-export.js");
  return { name: "generated-export.csv", buffer: Buffer.concat([...queryExportChunks(40, { seed: 7 })]) };
}

/** Records every data-state the progress box goes through (a run can finish between two polls). */
async function watchProgress(): Promise<void> {
  await page.evaluate(() => {
    const box = document.getElementById("progress") as HTMLElement;
    const w = window as unknown as { progressStates: string[] };
    w.progressStates = [];
    new MutationObserver(() => w.progressStates.push(box.dataset.state ?? "")).observe(box, {
      attributes: true,
      attributeFilter: ["data-state"],
    });
  });
}

async function refreshAndWait(): Promise<string> {
  await watchProgress();
  await page.click("#refresh-button");
  await page.waitForFunction(
    () => (window as unknown as { progressStates: string[] }).progressStates.at(-1) === "finished",
    undefined,
    { timeout: 20_000 },
  );
  const states = await page.evaluate(
    () => (window as unknown as { progressStates: string[] }).progressStates,
  );
  expect(states[0]).toBe("running");
  expect(states.at(-1)).toBe("finished");
  expect(await page.getAttribute("#progress progress", "value")).toBe("100");
  return (await page.getAttribute("#progress", "data-status")) ?? "";
}

beforeAll(async () => {
  if (!chromiumAvailable) return;
  running = await startEditorsServer({ token: TOKEN, since: 2022 });
  ({ stack, editors, server } = running);
  // What `npm start` does first: one refresh, so the console opens on published charts.
  const first = await editors.service.refresh({ id: "local", name: "npm start" }, {});
  await editors.launcher.wait(first.runId);

  profileDir = await mkdtemp(join(tmpdir(), "gacc-chromium-"));
  // A fresh profile (--user-data-dir): playwright passes it for a persistent context.
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    viewport: { width: 1200, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  await browser.grantPermissions(["clipboard-read", "clipboard-write"]);
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(8_000);
  page.on("pageerror", (err) => pageErrors.push(err.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
  await running?.stop();
});

describeWithChromium("editor console in Chromium", () => {
  it("refreshes with live progress, shows the chart change, uploads a file and accepts a held-back release", async () => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('.latest-run[data-status="succeeded"]');
    expect(await page.textContent("#status")).toContain("refresh by npm start");
    await page.waitForSelector('article.chart[data-chart="china-russia-trade-monthly"]');
    expect(await page.locator("article.chart").count()).toBeGreaterThanOrEqual(3);
    expect(await page.textContent("#quarantined")).toContain("Nothing is held back.");

    // The token is asked for once and kept for this tab.
    expect(await page.isVisible("#token-form")).toBe(true);
    await page.fill("#token-input", TOKEN);
    await page.click("#token-form button[type=submit]");
    expect(await page.isVisible("#signed-in")).toBe(true);
    expect(await page.isHidden("#token-form")).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem("gacc-editor-token"))).toBe(TOKEN);

    // GACC revises October 2023 (an older page: only "re-check every page" reads it again):
    // imports from Russia 11,100.0 → 11,250.0 US$ million.
    const oct = byCountryPath("USD", "2023-10");
    const original = stack.mirror.site.get(oct)?.body.toString() ?? "";
    const revised = original.replace("11,100.0", "11,250.0");
    expect(revised).not.toBe(original);
    stack.mirror.override(oct, revised);
    await page.check("#recheck-all");
    expect(await refreshAndWait()).toBe("succeeded");
    const monthly = page.locator('article[data-chart="china-russia-trade-monthly"]');
    await monthly.locator(".changes .revision").first().waitFor();
    expect(await monthly.locator(".changes").textContent()).toContain("0 new points, 1 revision");
    expect(await monthly.locator(".changes .revision").textContent()).toBe(
      "Imports from Russia, 2023-10: 11.1 → 11.25",
    );
    expect(await page.textContent(".latest-run")).toContain("refresh by local editor");
    // What's new: the revision as a sentence, copied with one click.
    const news = page.locator("#status .whats-new");
    expect(await news.textContent()).toContain(
      "China's imports from Russia for October 2023 were revised up to $11.3 billion from $11.1 billion.",
    );
    await news.locator("button.copy-news").click();
    await page.waitForSelector("#status .whats-new button.copy-news:text('Copied')");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
      "- China's imports from Russia for October 2023 were revised up to $11.3 billion from $11.1 billion.",
    );

    // Upload a query-platform export.
    const file = await exportFile();
    await page.setInputFiles("#upload-file", { name: file.name, mimeType: "text/csv", buffer: file.buffer });
    await page.selectOption("#upload-flow", "imports");
    await page.click("#upload-button");
    await page.waitForSelector('#upload-result[data-state="normalized"]');
    expect(await page.textContent("#upload-result")).toMatch(
      new RegExp(`^Uploaded ${file.name.replace(".", "\\.")} as query-imports-[0-9a-f]{16}: normalized`),
    );

    // A page whose title says USD but whose unit row says CNY is held back...
    const sep = byCountryPath("USD", "2023-09");
    const sepPage = stack.mirror.site.get(sep)?.body.toString() ?? "";
    stack.mirror.override(sep, sepPage.replace(/Unit: USD ?1 Million/, "Unit: CNY 100 Million"));
    expect(await refreshAndWait()).toBe("needs-attention");
    const held = page.locator('form.accept-form[data-release="prelim-by-country-usd-2023-09"]');
    await held.waitFor();
    expect(await held.locator(".reasons").textContent()).toContain(
      "the title says USD but the unit row says",
    );

    // ...and an editor chooses how to read it, sees what each reading would publish, and confirms one.
    expect(await held.locator("button.accept").isDisabled()).toBe(true);
    await held.getByLabel("Yuan, as the unit row says").check();
    await held.locator("button.preview-button").click();
    await held.locator(".preview[data-preview]").waitFor();
    expect(await held.locator(".preview-headline").textContent()).toMatch(
      /^Accepting the Preliminary release, by country, September 2023, in yuan \(read in yuan, as its unit row says\) would store 4 figures but change no chart/,
    );
    await held.getByLabel("US dollars, as the title says").check();
    expect(await held.locator("button.accept").isDisabled()).toBe(true); // a new choice needs a new preview
    await held.locator("button.preview-button").click();
    await held.locator(".preview .revision").first().waitFor();
    expect(await held.locator(".preview .revision").first().textContent()).toBe(
      "Imports from Russia, 2023-09: 11.53 → 1,153 US$ billion",
    );
    expect(await held.locator(".preview-headline").textContent()).toContain("would change 1 chart");
    await held.locator('input[name="reason"]').fill("Checked against the PDF: the unit row is a typo");
    await held.locator("button.accept").click();
    await page.waitForFunction(() =>
      document.getElementById("quarantined")?.textContent?.includes("Nothing is held back."),
    );
    expect(await page.locator("table.releases").textContent()).toContain(
      "read in US dollars, as its title says (local editor)",
    );
    const audit = await page.textContent("#audit");
    expect(audit).toContain(
      "prelim-by-country-usd-2023-09 — “Checked against the PDF: the unit row is a typo”",
    );
    expect(await page.locator("table.audit tbody tr").first().textContent()).toContain("accept");
    stack.mirror.reset();

    expect(pageErrors).toEqual([]);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "console.png"), fullPage: true });
    expect(existsSync(join(ARTIFACTS, "console.png"))).toBe(true);
  }, 90_000); // a dozen runs through the real stack: on a loaded 2-core machine, well over 30 s

  it("refuses the same file under the other flow until the editor replaces the earlier reading", async () => {
    const file = await exportFile();
    await page.setInputFiles("#upload-file", { name: file.name, mimeType: "text/csv", buffer: file.buffer });
    await page.selectOption("#upload-flow", "exports");
    await page.click("#upload-button");
    await page.waitForSelector('#upload-result[data-state="flow-conflict"]');
    expect(await page.textContent("#upload-result")).toContain(
      "The same file cannot hold both imports and exports, so nothing was stored.",
    );
    await page.click("#upload-replace");
    await page.waitForSelector('#upload-result[data-state="normalized"]');
    expect(await page.locator("table.releases").textContent()).toContain("replaced by a later reading");
    // The refusal's 409 is logged by Chromium as a failed load: expected here, nothing else is.
    expect(pageErrors.filter((e) => !/status of 409 \(Conflict\)/.test(e))).toEqual([]);
    pageErrors.length = 0;
  });

  it("two tabs refreshing at once follow the same run; neither is stuck", async () => {
    const second = await browser.newPage();
    second.setDefaultTimeout(8_000);
    await second.goto(`${server.url}/`);
    await second.fill("#token-input", TOKEN);
    await second.click("#token-form button[type=submit]");
    await page.reload();
    await page.waitForSelector(".latest-run");
    await second.waitForSelector(".latest-run");
    // Slow the index so the run is still going when both tabs look at it: longer than the console's
    // 5 s status poll, so a loaded machine cannot finish the run before a tab sees it running.
    stack.mirror.override("/statics/report/preliminary.html", { delayMs: 7000 });
    await Promise.all([page.click("#refresh-button"), second.click("#refresh-button")]);
    for (const tab of [page, second]) {
      await tab.waitForSelector('#progress[data-state="running"]');
      expect(await tab.isDisabled("#refresh-button")).toBe(true);
    }
    const ids = await Promise.all([page, second].map((t) => t.getAttribute("#progress", "data-run")));
    expect(ids[0]).toMatch(/-refresh-/);
    expect(ids[1]).toBe(ids[0]);
    for (const tab of [page, second]) {
      await tab.waitForSelector('#progress[data-state="finished"]', { timeout: 40_000 });
      expect(await tab.textContent("#progress")).not.toContain("There is no run");
      expect(await tab.isEnabled("#refresh-button")).toBe(true);
    }
    stack.mirror.reset();
    await second.close();
    // The refused tab's 409 is logged by Chromium as a failed load: expected here, nothing else is.
    expect(pageErrors.filter((e) => !/status of 409 \(Conflict\)/.test(e))).toEqual([]);
    pageErrors.length = 0;
  }, 90_000); // the slowed index keeps the run going for over 7 s

  it("an outage ends in one plain sentence with the fetch marked failed", async () => {
    const { indexPathFor } = await import("../../functions/domain/gacc/index-page.js");
    const year = new Date().getUTCFullYear();
    for (const kind of ["preliminary", "monthly"] as const) {
      for (let y = 2022; y <= year; y++)
        stack.mirror.override(indexPathFor(kind, y, year), { status: 412, body: "<script>$_ts=1</script>" });
    }
    expect(await refreshAndWait()).toBe("failed");
    stack.mirror.reset();
    expect(await page.getAttribute('#progress li[data-stage="fetch"]', "class")).toContain("stage-failed");
    const text = (await page.textContent("#progress")) ?? "";
    expect(text).toMatch(
      /Couldn't reach GACC's website \(127\.0\.0\.1:\d+\): none of its \d+ release index pages answered, so nothing was fetched and the charts are unchanged\./,
    );
    expect(text).not.toMatch(/HTTP 412/);
  });
});
