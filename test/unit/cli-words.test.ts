/**
 * `npm run status` prints the console's words (functions/domain/wording.ts): the glance, the last
 * run in a sentence, a held-back release by its GACC name with why, badges in words.
 */
import { describe, expect, it } from "vitest";
import type { StatusView } from "../../functions/api/editors/status.js";
import { statusGlance } from "../../functions/domain/wording.js";
import { formatStatus } from "../../local/cli.js";

const held = {
  releaseId: "prelim-by-country-usd-2023-09",
  name: "Preliminary release, by country, September 2023, in US dollars",
  source: "gacc-preliminary",
  table: "by-country",
  currency: "USD",
  period: "2023-09",
  status: "quarantined" as const,
  reasonsInWords: [],
  reasons: [
    {
      check: "currency-agrees",
      message: 'the title says USD but the unit row says "Unit: CNY 100 Million"',
      currencies: { title: "USD" as const, unitRow: "CNY" as const },
    },
  ],
  warnings: [],
  url: "http://gacc.test/x.html",
  fetchedAt: "2026-11-30T23:40:00.000Z",
  updatedAt: "2026-11-30T23:40:00.000Z",
};

const base = {
  stage: "local",
  now: "2026-12-01T01:00:00.000Z",
  running: null,
  latestRun: {
    runId: "20261130T234000000Z-refresh-abc123",
    kind: "refresh" as const,
    status: "needs-attention" as const,
    requestedBy: { id: "e", name: "Ana" },
    request: { runId: "r", kind: "refresh" as const },
    startedAt: "2026-11-30T23:40:00.000Z",
    updatedAt: "2026-11-30T23:41:00.000Z",
    stages: [],
    headline: "",
    result: {
      releasesChanged: 1,
      releases: [
        {
          releaseId: held.releaseId,
          status: "quarantined" as const,
          observationsWritten: 0,
          revisions: 0,
          reasons: [],
          warnings: 0,
        },
      ],
      quarantined: [{ releaseId: held.releaseId, reasons: held.reasons }],
      observationsWritten: 0,
      revisions: 0,
      chartFilesWritten: [],
      chartChanges: [],
      warnings: [],
      errors: [],
      summary:
        "5 releases listed, 1 new or changed; 0 normalized; 1 held back; 0 observations written (0 revisions); nothing published.",
    },
  },
  recentRuns: [],
  counts: { fetched: 0, normalizing: 0, normalized: 0, quarantined: 1, accepted: 0 },
  releases: [held],
  nextRelease: {
    kind: "preliminary",
    period: "2023-09",
    expectedFrom: "2023-10-07T10:00:00+08:00",
    expectedBy: "2023-10-14T11:00:00+08:00",
    overdue: true,
    basis: "",
    latestShown: "2023-08",
    upcoming: {
      period: "2026-11",
      expectedFrom: "2026-12-07T10:00:00+08:00",
      expectedBy: "2026-12-14T11:00:00+08:00",
    },
  },
  charts: [],
  audit: [],
  heldCharts: [],
};

describe("npm run status in an editor's words", () => {
  it("prints the glance, the run and the held-back release as the console does", () => {
    const st = { ...base, glance: statusGlance(base) } as unknown as StatusView;
    const text = formatStatus(st, "local");
    expect(text.split("\n").slice(1, 5)).toEqual([
      "Charts are behind: the latest month they show is August 2023. GACC's September 2023 figures were due by 14 Oct 2023 and have not come in.",
      "Last in: the Preliminary release, by country, September 2023, in US dollars, 30 Nov 2026, 23:40 UTC (held back for review).",
      "Next from GACC: November 2026 figures, expected 7–14 Dec 2026.",
      "Needs an editor: the Preliminary release, by country, September 2023, in US dollars is held back for review.",
    ]);
    expect(text).toContain(
      "Last run: Check of GACC's website by Ana, 30 Nov 2026, 23:40 UTC — Needs an editor",
    );
    expect(text).toContain(
      "  1 new or revised release from GACC. Held back for review: the Preliminary release, by country, September 2023, in US dollars. Charts are unchanged.",
    );
    expect(text).toContain(
      "  Held back: the September 2023 table says US dollars in its title but yuan in its unit row, so its numbers can't be trusted. Charts are unchanged.",
    );
    // The engineer's tally is not what the editor reads.
    expect(text).not.toContain("observations written");
  });
});
