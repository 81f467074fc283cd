/**
 * Upstream trouble, through the GACC mirror's overrides on the newest by-country release (CNY, March
 * 2026, which every scheduled run re-checks). Each case ends in a typed error with a message an editor
 * understands (a fetch-stage error in the run summary, or a quarantine reason with the error's code),
 * the release quarantined where it applies (a page we downloaded but cannot use) or left as it was
 * (a page we never got), and nothing lost: stored observations and revisions unchanged, the earlier
 * archived page still there, and every chart file byte-identical, even though each run is made to
 * publish.
 */
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Release } from "../../functions/domain/model.js";
import type { MirrorResponse } from "../../local/mirror/server.js";
import { figureLog } from "./support/figures.js";
import { editColumns, editDataCells, releasePath } from "./support/pages.js";
import { type ReliabilityStack, startReliabilityStack } from "./support/stack.js";

const figures = figureLog("upstream");
const RELEASE_ID = "prelim-by-country-cny-2026-03";
const TIMEOUT_MS = 400;
let rel: ReliabilityStack;
let path: string;
let original: string;
let baselineObservations: string[];
let baselineCharts: Map<string, string>;
let originalRelease: Release;

async function release(): Promise<Release | undefined> {
  const { dynamoStore } = await import("../../functions/composition.js");
  return dynamoStore().getRelease(RELEASE_ID);
}

/** Observation and revision items only (release records change with every fetch). */
async function observations(): Promise<string[]> {
  return (await rel.dbSnapshot()).filter((line) => !line.includes('"pk":"RELEASE"'));
}

beforeAll(async () => {
  process.env.FETCH_TIMEOUT_MS = String(TIMEOUT_MS);
  rel = await startReliabilityStack();
  (await rel.faults()).set({});
  await rel.use("upstream");
  const first = await rel.run();
  expect(first.errors).toEqual([]);
  path = releasePath("CNY", "2026-03");
  original = rel.local.mirror.site.get(path)?.body.toString() ?? "";
  baselineObservations = await observations();
  baselineCharts = await rel.chartObjects();
  const r = await release();
  if (!r) throw new Error(`${RELEASE_ID} was not fetched`);
  originalRelease = r;
}, 120_000);

afterAll(async () => {
  figures.flush();
  await rel?.stop();
  delete process.env.FETCH_TIMEOUT_MS;
});

interface UpstreamCase {
  name: string;
  response: () => string | Uint8Array | MirrorResponse;
  /** The fetch stage could not get a usable page: this error is in the run summary. */
  fetchError?: { code: string; message: RegExp };
  /** The page was archived but cannot be used: the release is quarantined with this reason. */
  quarantine?: {
    check: string;
    code?: string;
    message: RegExp;
    /** currency-agrees: the two currencies, for the editor to choose between. */
    currencies?: { title: string; unitRow: string };
  };
  /** Anything else the case must show. */
  also?: () => Promise<void>;
}

const CHALLENGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><script type="text/javascript">var $_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=44417;</script><script src="/4QbVtADbnLVIc/c.FxJzG50F.js"></script></head><body></body></html>';

const cases: UpstreamCase[] = [
  {
    name: "404 Not Found",
    response: () => ({ status: 404, body: "<html><body><h1>404 Not Found</h1></body></html>" }),
    fetchError: { code: "UPSTREAM_UNAVAILABLE", message: /\/Statics\/.+\.html does not exist \(HTTP 404\)$/ },
  },
  {
    name: "412 anti-bot challenge page",
    response: () => ({ status: 412, body: CHALLENGE }),
    fetchError: {
      code: "UPSTREAM_REFUSED",
      message:
        /with an anti-bot challenge page \(HTTP 412\), not the release; nothing was archived\. Try again later or fetch the page by hand$/,
    },
  },
  {
    name: "anti-bot challenge page served with 200",
    response: () => CHALLENGE,
    fetchError: {
      code: "UPSTREAM_REFUSED",
      message: /anti-bot challenge page \(HTTP 200\), not the release/,
    },
  },
  {
    name: "503 Service Unavailable (after 3 attempts)",
    response: () => ({ status: 503, body: "<html><body>Service Unavailable</body></html>" }),
    fetchError: { code: "UPSTREAM_UNAVAILABLE", message: /with HTTP 503; it will be tried again later$/ },
  },
  {
    name: "timeout: no answer within FETCH_TIMEOUT_MS",
    response: () => ({ delayMs: TIMEOUT_MS * 5 }),
    fetchError: {
      code: "UPSTREAM_UNAVAILABLE",
      message: /^GACC did not answer within 0\.4 s for .+; it will be tried again later$/,
    },
  },
  {
    name: "slow drip: headers at once, body at 2 kB/s",
    response: () => ({ dripBytesPerSec: 2000 }),
    fetchError: {
      code: "UPSTREAM_UNAVAILABLE",
      message: /^The download of .+ stalled or timed out after 0\.4 s; it will be tried again later$/,
    },
  },
  {
    name: "oversized body (6 MB, over the 5 MB cap)",
    response: () => original.replace("</body>", `<!--${"x".repeat(6 * 1024 * 1024)}--></body>`),
    fetchError: {
      code: "UPSTREAM_REFUSED",
      message: /^The page at .+ is 6 MB, over the 5 MB limit$/,
    },
  },
  {
    name: "empty body",
    response: () => ({ status: 200, body: "" }),
    fetchError: {
      code: "UPSTREAM_UNAVAILABLE",
      message: /with an empty page; it will be tried again later$/,
    },
  },
  {
    name: "redirect to a host outside the allowlist",
    response: () => ({ status: 302, headers: { location: "http://gacc-mirror.example.net/Statics/x.html" } }),
    fetchError: {
      code: "UPSTREAM_REFUSED",
      message:
        /^Refused to fetch http:\/\/gacc-mirror\.example\.net\/Statics\/x\.html: http:\/\/gacc-mirror\.example\.net:80 is not on the allowlist/,
    },
  },
  {
    name: "redirect loop on the allowed host",
    response: () => ({ status: 301, headers: { location: path } }),
    fetchError: { code: "UPSTREAM_REFUSED", message: /redirected more than 3 times$/ },
  },
  {
    name: "HTML without the table",
    response: () =>
      original.replace(
        /<table[\s\S]*<\/table>/,
        "<p>The statistics are being updated. Please come back later.</p>",
      ),
    quarantine: {
      check: "readable",
      code: "NO_TABLE",
      message: /^This by-country page has no data table: nothing can be read from it/,
    },
  },
  {
    name: "a column missing (imports year-to-date)",
    response: () => editColumns(original, (cells) => cells[6]?.remove()),
    quarantine: {
      check: "readable",
      code: "LAYOUT_CHANGED",
      message: /^The by-country table's header has changed: /i,
    },
  },
  {
    name: "an extra column (imports year-to-date twice)",
    response: () =>
      editColumns(original, (cells) => cells[6]?.insertAdjacentHTML("afterend", cells[6]?.outerHTML ?? "")),
    quarantine: {
      check: "readable",
      code: "LAYOUT_CHANGED",
      message: /^The by-country table's header has changed: /i,
    },
  },
  {
    name: "columns reordered (imports before exports)",
    response: () =>
      editColumns(original, (cells) => {
        for (const [a, b] of [
          [3, 5],
          [4, 6],
        ] as const) {
          const x = cells[a]?.innerHTML ?? "";
          cells[a]?.set_content(cells[b]?.innerHTML ?? "");
          cells[b]?.set_content(x);
        }
      }),
    quarantine: {
      check: "readable",
      code: "LAYOUT_CHANGED",
      message: /column 4 should be exports but is "Import"/,
    },
  },
  {
    name: "title says CNY, unit row says USD",
    response: () => original.replace("Unit: CNY 100 Million", "Unit: USD1 Million"),
    quarantine: {
      check: "currency-agrees",
      message:
        /^the title says CNY but the unit row says "Unit: USD1 Million"; the values cannot be trusted in either currency$/,
      currencies: { title: "CNY", unitRow: "USD" },
    },
  },
  {
    name: "every value cell printed as '-'",
    response: () => editDataCells(original, (_row, col) => (col > 0 ? "-" : undefined)),
    quarantine: { check: "has-rows", message: /parsed to zero rows$/ },
  },
  {
    name: "GB18030 bytes (a page saved in the Chinese encoding)",
    response: () =>
      iconv.encode(
        original.replace("Russian Federation</span>", "Russian Federation（俄罗斯联邦）</span>"),
        "gb18030",
      ),
    quarantine: {
      check: "readable",
      code: "LAYOUT_CHANGED",
      message:
        /is not valid UTF-8 text, as GACC's English pages are: it may be in another encoding \(such as GB18030\)/,
    },
  },
  {
    name: "invalid UTF-8 inside a number",
    response: () =>
      Buffer.concat([
        Buffer.from(original.split("885.6")[0] ?? ""),
        Buffer.from([0x38, 0xff, 0x35]),
        Buffer.from(original.split("885.6").slice(1).join("885.6")),
      ]),
    quarantine: { check: "readable", code: "LAYOUT_CHANGED", message: /is not valid UTF-8 text/ },
  },
  {
    name: "UTF-16 bytes",
    response: () => Buffer.from(`\ufeff${original}`, "utf16le"),
    quarantine: {
      check: "readable",
      code: "LAYOUT_CHANGED",
      message: /holds NUL bytes: it is not a UTF-8 web page/,
    },
  },
];

describe("upstream trouble on the newest release", () => {
  it.each(cases)("$name", async (c) => {
    rel.local.mirror.override(path, c.response());
    const run = await rel.run({ forcePublish: true });
    rel.local.mirror.reset();
    const after = await release();
    const charts = await rel.chartObjects();
    const obs = await observations();

    expect(run.ok).toBe(false);
    if (c.fetchError) {
      expect(run.errors).toEqual([
        { stage: "fetch", code: c.fetchError.code, message: expect.stringMatching(c.fetchError.message) },
      ]);
      // A page we never got changes nothing: the release is as it was.
      expect(after).toEqual(originalRelease);
      expect(run.normalize.find((n) => n.releaseId === RELEASE_ID)).toBeUndefined();
    }
    if (c.quarantine) {
      expect(run.errors).toEqual([]);
      const n = run.normalize.find((x) => x.releaseId === RELEASE_ID);
      expect(n).toMatchObject({ status: "quarantined", observationsWritten: 0 });
      expect(n?.reasons[0]).toEqual({
        check: c.quarantine.check,
        message: expect.stringMatching(c.quarantine.message),
        ...(c.quarantine.code ? { code: c.quarantine.code } : {}),
        ...(c.quarantine.currencies ? { currencies: c.quarantine.currencies } : {}),
      });
      expect(after?.status).toBe("quarantined");
      expect(after?.reasons).toEqual(n?.reasons);
      // The page that failed is archived for an editor to look at; the good one is still there too.
      expect(after?.sha256).not.toBe(originalRelease.sha256);
      await rel.admin.s3.send(new HeadObjectCommand({ Bucket: rel.current?.rawBucket, Key: after?.rawKey }));
    }
    await rel.admin.s3.send(
      new HeadObjectCommand({ Bucket: rel.current?.rawBucket, Key: originalRelease.rawKey }),
    );
    await c.also?.();

    const chartsChanged = [...new Set([...charts.keys(), ...baselineCharts.keys()])].filter(
      (k) => charts.get(k) !== baselineCharts.get(k),
    );
    const lost =
      baselineObservations.filter((x) => !obs.includes(x)).length +
      obs.filter((x) => !baselineObservations.includes(x)).length;
    figures.add({
      area: "upstream",
      scenario: c.name,
      cases: 1,
      faults: 1,
      dataLost: lost + chartsChanged.length,
      note: c.fetchError
        ? `fetch: ${c.fetchError.code}; release untouched`
        : `quarantined (${c.quarantine?.code ?? c.quarantine?.check}); stored data and charts unchanged`,
    });
    expect(chartsChanged).toEqual([]);
    expect(lost).toBe(0);

    if (after?.status !== "normalized") {
      // GACC serves the page properly again: the next scheduled run takes it back, writing nothing new.
      const restored = await rel.run();
      expect(restored.errors).toEqual([]);
      expect(restored.normalize.find((n) => n.releaseId === RELEASE_ID)).toMatchObject({
        status: "normalized",
        observationsWritten: 0,
      });
      expect(await observations()).toEqual(baselineObservations);
    }
  });

  it("'-' in some cells: those values are not written, the values stored before are kept, nothing else changes", async () => {
    const dashed = editDataCells(original, (_row, col, name) =>
      name === "Russian Federation" && (col === 5 || col === 6) ? "-" : undefined,
    );
    rel.local.mirror.override(path, dashed);
    const run = await rel.run({ forcePublish: true });
    rel.local.mirror.reset();
    expect(run.errors).toEqual([]);
    expect(run.normalize.find((n) => n.releaseId === RELEASE_ID)).toMatchObject({
      status: "normalized",
      observationsWritten: 0,
    });
    const obs = await observations();
    const charts = await rel.chartObjects();
    const lost = baselineObservations.filter((x) => !obs.includes(x)).length;
    figures.add({
      area: "upstream",
      scenario: "'-' in Russia's import cells of an already-published page",
      cases: 1,
      faults: 1,
      dataLost:
        lost + [...baselineCharts.keys()].filter((k) => charts.get(k) !== baselineCharts.get(k)).length,
      note: "normalized; no observation written or removed; the earlier values stay",
    });
    expect(obs).toEqual(baselineObservations);
    expect(charts).toEqual(baselineCharts);
    await rel.run();
  });
});
