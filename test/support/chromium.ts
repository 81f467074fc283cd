/**
 * Debian's Chromium driven by playwright-core, for the tests that run the real console: the browser
 * test on the local stack (test/browser/console.test.ts) and the deployed-shape run
 * (test/deployed/console.paths.ts). One launch, one skip rule, one place for screenshots, and the
 * console's own waits (its progress box, its upload result).
 *
 * Without /usr/bin/chromium (`apt-get install chromium`) those tests are skipped with a visible reason
 * locally, and fail under CI (CI=true), where .ci/run installs it.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { describe } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const chromiumAvailable = existsSync(CHROMIUM);
export const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts");

/** `describe`, or `describe.skip` with a visible reason (an error under CI) when Chromium is missing. */
export function describeWithChromium(what: string): typeof describe | typeof describe.skip {
  if (chromiumAvailable) return describe;
  const msg = `Chromium not found at ${CHROMIUM} (apt-get install chromium): ${what} is skipped.`;
  if (process.env.CI === "true") throw new Error(`${msg} Under CI this is an error.`);
  console.warn(`SKIPPED: ${msg}`);
  return describe.skip;
}

export interface Chromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (--user-data-dir, which playwright passes for a persistent context). */
export async function launchChromium(viewport = { width: 1200, height: 900 }): Promise<Chromium> {
  const profileDir = await mkdtemp(join(tmpdir(), "gacc-chromium-"));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    viewport,
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
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(8_000);
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/** A full-page screenshot as test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Records every data-state the console's progress box goes through (a run can finish between two polls). */
export async function watchProgress(page: Page): Promise<void> {
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

/** Chooses `file` in the console's upload form, sets the flow and clicks Upload. */
export async function uploadFile(
  page: Page,
  file: { name: string; buffer: Buffer },
  flow: "imports" | "exports" = "imports",
): Promise<void> {
  await page.setInputFiles("#upload-file", { name: file.name, mimeType: "text/csv", buffer: file.buffer });
  await page.selectOption("#upload-flow", flow);
  await page.click("#upload-button");
}

/** Waits for the console's upload to end in `state`; on a timeout, says what the editor was shown instead. */
export async function uploadDone(page: Page, state: string, timeout = 30_000): Promise<void> {
  try {
    await page.waitForSelector(`#upload-result[data-state="${state}"]`, { timeout });
  } catch (err) {
    const shown = await page.evaluate(() => {
      const r = document.getElementById("upload-result");
      return `${r?.dataset.state}: ${r?.textContent}`;
    });
    throw new Error(`The upload did not end "${state}"; the console shows ${shown}`, { cause: err });
  }
}
