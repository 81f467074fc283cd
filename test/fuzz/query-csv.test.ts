/**
 * Fuzzing the query-platform CSV reader (functions/domain/query-csv) with mutated exports: synthetic
 * ones in the platform's own format always, the real exports in ../shared/data/gacc when present
 * (skipped visibly otherwise, failing under CI). Mutations: bytes, fields, lines, headers, quotes,
 * line endings, and the encoding itself (GB18030 ↔ UTF-8, with or without a BOM).
 */
import fc from "fast-check";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { PipelineError } from "../../functions/domain/errors.js";
import type { NormalizeResult, Provenance } from "../../functions/domain/model.js";
import { normalizeQueryExport } from "../../functions/domain/query-csv/index.js";
import { figureLog } from "../reliability/support/figures.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { fuzzRuns } from "./support/budget.js";
import { type Input, ownQueryExports, sharedQueryExports } from "./support/corpus.js";
import { expectSaneResult, FUZZ_SEED } from "./support/harness.js";
import { applyAll, type Mutation } from "./support/mutate.js";

const figures = figureLog("fuzz-query-csv");
afterAll(() => figures.flush());

const provenance: Provenance = {
  releaseId: "query-imports-fuzz",
  url: "http://stats.customs.gov.cn/",
  sha256: "0".repeat(64),
  fetchedAt: "2026-06-20T02:00:00.000Z",
};

type CsvMutation =
  | { kind: "bytes"; m: Mutation }
  | { kind: "field"; line: number; field: number; text: string }
  | { kind: "line"; op: "duplicate" | "drop" | "swap" | "blank"; line: number; other: number }
  | { kind: "header"; field: number; text: string }
  | { kind: "quote"; nth: number }
  | { kind: "newline"; to: "\r\n" | "\n" | "\r" }
  | { kind: "encoding"; to: "utf-8" | "utf-8-bom" | "gb18030" | "utf-16le" };

const FIELD_TEXTS = [
  "",
  "?",
  "-",
  "0",
  "1,234",
  "1,23,4",
  "1.5",
  "-5",
  "12,345,678,901,234,567,890",
  "0301110",
  "3011100",
  "03011100",
  "３４４",
  "344",
  "999",
  "202313",
  "2023-01",
  "202301",
  "千克",
  "=HYPERLINK(1)",
  '"',
  'a"b',
  "a,b",
  "a\nb",
];

const HEADERS = [
  "数据年月",
  "贸易伙伴编码",
  "商品编码",
  "人民币",
  "美元",
  "Date of data",
  "US dollar",
  "第一数量",
  "unknown",
  "",
];

const csvMutation: fc.Arbitrary<CsvMutation> = fc.oneof(
  {
    arbitrary: fc
      .oneof(
        fc.record({
          kind: fc.constant("flip" as const),
          at: fc.nat(),
          byte: fc.integer({ min: 0, max: 255 }),
        }),
        fc.record({
          kind: fc.constant("insert" as const),
          at: fc.nat(),
          bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }),
        }),
        fc.record({
          kind: fc.constant("delete" as const),
          at: fc.nat(),
          length: fc.integer({ min: 1, max: 200 }),
        }),
        fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
      )
      .map((m): CsvMutation => ({ kind: "bytes", m })),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("field" as const),
      line: fc.nat(),
      field: fc.nat({ max: 11 }),
      text: fc.oneof(fc.constantFrom(...FIELD_TEXTS), fc.string({ maxLength: 10 })),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("line" as const),
      op: fc.constantFrom("duplicate" as const, "drop" as const, "swap" as const, "blank" as const),
      line: fc.nat(),
      other: fc.nat(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("header" as const),
      field: fc.nat({ max: 11 }),
      text: fc.constantFrom(...HEADERS),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("quote" as const), nth: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("newline" as const),
      to: fc.constantFrom("\r\n" as const, "\n" as const, "\r" as const),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("encoding" as const),
      to: fc.constantFrom("utf-8" as const, "utf-8-bom" as const, "gb18030" as const, "utf-16le" as const),
    }),
    weight: 1,
  },
);

interface Doc {
  text: string;
  encoding: "utf-8" | "utf-8-bom" | "gb18030" | "utf-16le";
}

function decode(bytes: Buffer): Doc {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: bytes.subarray(3).toString("utf8"), encoding: "utf-8-bom" };
  const utf8 = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  return utf8.includes("\ufffd")
    ? { text: iconv.decode(bytes, "gb18030"), encoding: "gb18030" }
    : { text: utf8, encoding: "utf-8" };
}

function encode(doc: Doc): Buffer {
  switch (doc.encoding) {
    case "gb18030":
      return iconv.encode(doc.text, "gb18030");
    case "utf-8-bom":
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc.text, "utf8")]);
    case "utf-16le":
      return Buffer.from(doc.text, "utf16le");
    default:
      return Buffer.from(doc.text, "utf8");
  }
}

/** Quoted fields of one line, with their positions in it. */
function fieldsOf(line: string): Array<[number, number]> {
  return [...line.matchAll(/"[^"]*"/g)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length]);
}

function at<T>(xs: T[], n: number): T | undefined {
  return xs.length === 0 ? undefined : xs[n % xs.length];
}

function applyCsv(input: Buffer, ms: CsvMutation[]): Buffer {
  let bytes = input;
  for (const m of ms) {
    if (m.kind === "bytes") {
      bytes = applyAll(bytes, [m.m]);
      continue;
    }
    const doc = decode(bytes);
    const lines = doc.text.split("\n");
    switch (m.kind) {
      case "field":
      case "header": {
        const index = m.kind === "header" ? 0 : 1 + (lines.length > 1 ? m.line % (lines.length - 1) : 0);
        const line = lines[index];
        if (line === undefined) break;
        const f = at(fieldsOf(line), m.field);
        if (!f) break;
        lines[index] = `${line.slice(0, f[0])}"${m.text}"${line.slice(f[1])}`;
        break;
      }
      case "line": {
        const i = m.line % lines.length;
        const row = lines[i] ?? "";
        if (m.op === "duplicate") lines.splice(i, 0, row);
        else if (m.op === "drop") lines.splice(i, 1);
        else if (m.op === "blank") lines.splice(i, 0, "");
        else {
          const j = m.other % lines.length;
          lines[i] = lines[j] ?? "";
          lines[j] = row;
        }
        break;
      }
      case "quote": {
        const quotes = [...doc.text.matchAll(/"/g)].map((x) => x.index ?? 0);
        const q = at(quotes, m.nth);
        if (q !== undefined) doc.text = `${doc.text.slice(0, q)}${doc.text.slice(q + 1)}`;
        bytes = encode(doc);
        continue;
      }
      case "newline":
        doc.text = doc.text.replace(/\r?\n|\r/g, m.to);
        bytes = encode(doc);
        continue;
      case "encoding":
        bytes = encode({ ...doc, encoding: m.to });
        continue;
    }
    bytes = encode({ ...doc, text: lines.join("\n") });
  }
  return bytes;
}

async function fuzzCsv(corpus: Input[], runs: number) {
  const stats = { cases: 0, mutated: 0, outcomes: {} as Record<string, number> };
  const count = (k: string) => {
    stats.outcomes[k] = (stats.outcomes[k] ?? 0) + 1;
  };
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: corpus.length - 1 }),
      fc.array(csvMutation, { minLength: 1, maxLength: 4 }),
      fc.constantFrom("imports" as const, "exports" as const),
      async (i, ms, flow) => {
        const input = corpus[i] as Input;
        const bytes = applyCsv(input.bytes, ms);
        stats.cases++;
        if (Buffer.compare(bytes, input.bytes) !== 0) stats.mutated++;
        let result: NormalizeResult | undefined;
        let error: unknown;
        try {
          result = await normalizeQueryExport(bytes, { flow, provenance });
        } catch (err) {
          error = err;
        }
        if (error !== undefined) {
          if (!(error instanceof PipelineError)) {
            throw new Error(`${input.name}: an untyped failure escaped the CSV reader: ${String(error)}`, {
              cause: error,
            });
          }
          count(error.code);
          return;
        }
        const r = result as NormalizeResult;
        expectSaneResult(r);
        for (const o of r.observations) {
          if (o.flow !== flow || o.vintage !== "query" || !/^\d+$/.test(o.commodity)) {
            throw new Error(`insane query observation: ${JSON.stringify(o).slice(0, 300)}`);
          }
        }
        count(r.blocking.length > 0 ? "blocked" : "ok");
      },
    ),
    { numRuns: runs, seed: FUZZ_SEED },
  );
  return stats;
}

function note(stats: { mutated: number; outcomes: Record<string, number> }): string {
  const parts = Object.entries(stats.outcomes)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ${n}`);
  return `${stats.mutated} inputs changed; outcomes: ${parts.join(", ")}; 0 untyped failures`;
}

describe("query-platform exports, mutated", () => {
  it("synthetic exports (GB18030 and UTF-8, Chinese and English headers)", async () => {
    const corpus = ownQueryExports();
    for (const input of corpus) {
      const r = await normalizeQueryExport(input.bytes, { flow: "imports", provenance });
      expect(r.observations.length).toBeGreaterThan(0);
    }
    const stats = await fuzzCsv(corpus, fuzzRuns(1500));
    figures.add({
      area: "fuzz",
      scenario: "query-platform CSV reader, synthetic exports",
      cases: stats.cases,
      faults: stats.mutated,
      dataLost: 0,
      note: note(stats),
    });
  });
});

describeWithSharedData("real query-platform exports, mutated", () => {
  it("2023 and 2024 soybean imports, 2024 exports (GB18030, as exported)", async () => {
    const corpus = sharedQueryExports();
    expect(corpus.length).toBeGreaterThanOrEqual(3);
    const stats = await fuzzCsv(corpus, fuzzRuns(1000));
    figures.add({
      area: "fuzz",
      scenario: "query-platform CSV reader, real exports",
      cases: stats.cases,
      faults: stats.mutated,
      dataLost: 0,
      note: note(stats),
    });
  });
});
