/** The fetch stage against the GACC mirror and real S3/DynamoDB emulators. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchDeps } from "../../functions/pipeline/fetch-releases.js";
import {
  sampleBulletinReleases,
  sampleCommodityReleases,
  sampleReleases,
} from "../../local/mirror/render.js";
import { type LocalStack, startLocalStack } from "../support/local-stack.js";

let stack: LocalStack;
let deps: (now: string) => FetchDeps;
let fetchReleases: typeof import("../../functions/pipeline/fetch-releases.js").fetchReleases;

beforeAll(async () => {
  stack = await startLocalStack();
  ({ fetchReleases } = await import("../../functions/pipeline/fetch-releases.js"));
  const { fetchDeps } = await import("../../functions/composition.js");
  deps = (now) => ({ ...fetchDeps(), now: () => new Date(now) });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("fetch stage", () => {
  it("archives every linked by-country page once, with provenance, and reads nothing twice", async () => {
    const report = await fetchReleases(deps("2026-11-28T02:00:00Z"), {
      baseUrl: stack.mirror.baseUrl,
      since: 2022,
    });
    expect(report.errors).toEqual([]);
    // Preliminary and Monthly Bulletin indexes, 2022–2026.
    expect(report.indexPagesRead).toBe(10);
    const id = (prefix: string, r: { currency: string; period: string }) =>
      `${prefix}-${r.currency.toLowerCase()}-${r.period.replace("/", "-")}`;
    expect(report.releases.map((r) => r.releaseId).sort()).toEqual(
      [
        ...sampleReleases().map((r) => id("prelim-by-country", r)),
        ...sampleCommodityReleases().map((r) => id("prelim-major-imports-by-quantity", r)),
        ...sampleBulletinReleases().map((r) => id("bulletin-by-country", r)),
      ].sort(),
    );
    const { dynamoStore } = await import("../../functions/composition.js");
    const aug = await dynamoStore().getRelease("prelim-by-country-usd-2023-08");
    expect(aug).toMatchObject({ status: "fetched", currency: "USD", period: "2023-08", table: "by-country" });
    // Provenance is the URL fetched; the link as the index printed it is kept beside it.
    expect(aug?.url).toMatch(new RegExp(`^${stack.mirror.baseUrl}/Statics/`));
    expect(aug?.printedUrl).toMatch(/^http:\/\/english\.customs\.gov\.cn\/Statics\//);
    expect(aug?.rawKey).toBe(`raw/sha256/${aug?.sha256.slice(0, 2)}/${aug?.sha256}.html`);

    stack.mirror.reset();
    const again = await fetchReleases(deps("2026-11-28T03:00:00Z"), {
      baseUrl: stack.mirror.baseUrl,
      since: 2022,
    });
    // Only the newest two periods per table and currency are re-checked (2 + 2 by country, 1 major
    // imports, 1 Bulletin); unchanged bytes write nothing.
    expect(again.downloaded).toBe(6);
    expect(again.unchanged).toBe(6);
    expect(again.releases.filter((r) => r.changed)).toEqual([]);
    const pagesRequested = stack.mirror.requests.filter((p) => /^\/statics\/[0-9a-f-]+\.html$/i.test(p));
    expect(pagesRequested).toHaveLength(6);
  });

  it("reads the current-year page's year from the page when the clock is already in a new year", async () => {
    stack.mirror.reset();
    const report = await fetchReleases(deps("2027-01-03T02:00:00Z"), {
      baseUrl: stack.mirror.baseUrl,
      since: 2025,
      recheckAll: true,
    });
    // 2027 → preliminary.html (the 2026 page), 2026 → preliminary2026.html does not exist: a warning, not a failure.
    expect(report.errors).toEqual([]);
    const preliminary = report.warnings.filter((w) => / preliminary /.test(w.message));
    expect(preliminary.map((w) => w.check)).toEqual(["index-missing"]);
    expect(preliminary[0]?.message).toMatch(/No preliminary index page for 2026 yet/);
    // The 2026 page's links were read as 2026 periods: exactly the two by-country CNY pages were downloaded.
    const byCountryPaths = sampleReleases()
      .filter((r) => r.year >= 2025)
      .map((r) => r.path.toLowerCase());
    expect(byCountryPaths).toHaveLength(2);
    const requested = stack.mirror.requests.map((p) => p.toLowerCase());
    for (const path of byCountryPaths) expect(requested).toContain(path);
    // Read as 2027 they would be new releases ("...-2027-03"); read as 2026 they are known and unchanged.
    expect(report.releases.filter((r) => r.changed)).toEqual([]);
    expect(report.releases.some((r) => r.releaseId.includes("2027"))).toBe(false);
  });

  it("reports a 404 release page as a typed error and keeps going", async () => {
    const target = sampleReleases().find((r) => r.period === "2023-12" && r.currency === "USD");
    if (!target) throw new Error("sample has no 2023-12 USD release");
    stack.mirror.override(target.path, { status: 404, body: "Not found" });
    const report = await fetchReleases(deps("2026-11-28T04:00:00Z"), {
      baseUrl: stack.mirror.baseUrl,
      since: 2023,
      recheckAll: true,
    });
    stack.mirror.reset();
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    expect(report.errors[0]?.message).toMatch(/does not exist \(HTTP 404\)/);
    expect(report.unchanged).toBeGreaterThan(0);
  });
});
