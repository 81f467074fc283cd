/**
 * The query-platform reader as a stream (functions/domain/query-csv/read.ts): whatever the line
 * ends (LF, CRLF, a lone CR), the pieces the bytes arrive in, the empty lines and the lines Papa Parse
 * takes over (doubled quotes, commas and line breaks in a name), every row comes out once, with its
 * cells and the line it starts on, and a bad value is refused on its own line. Rows come out as their
 * piece of the file arrives, never all at the end.
 */
import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import { type QueryRow, readQueryRowBatches } from "../../functions/domain/query-csv/read.js";

const HEADER =
  '"数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",';
const rowOf = (name: string, value = "8,634,238,278") =>
  `"202301","410","巴西","12019019","${name}","1831535439","千克","0","?","${value}",`;

/** A line of the file: a row with this commodity name (as printed, quotes doubled), or an empty line. */
type Line = { name: string } | "empty";

/** `two<newline>lines` stands for a name that runs over two lines, in the file's own line end. */
const NAMES = ["转基因黄大豆", 'say ""hi""', "a,b", "two<newline>lines", "plain", "tab\there"];

function fileOf(lines: Line[], newline: string, finalBreak: boolean, bad?: number): string {
  const text = lines.map((l, i) => {
    if (l === "empty") return "";
    const name = l.name.replace("<newline>", newline);
    return rowOf(name, i === bad ? "8,63x" : undefined);
  });
  return [HEADER, ...text].join(newline) + (finalBreak ? newline : "");
}

/** The line each row starts on, and its commodity name as read. */
function expected(lines: Line[], upTo = lines.length): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let line = 2;
  for (const l of lines.slice(0, upTo)) {
    if (l === "empty") {
      line += 1;
      continue;
    }
    const name = l.name.replace(/""/g, '"');
    out.push([name.replace("<newline>", "\n"), line]);
    line += name.includes("<newline>") ? 2 : 1;
  }
  return out;
}

/**
 * The file's bytes. Without a byte-order mark the decoder holds text back until 64 KiB past the
 * first non-ASCII byte has settled the encoding, so a small GB18030 file reaches the reader as one
 * piece of text; with a UTF-8 BOM the encoding is known at once and every piece passes straight on.
 */
function encode(text: string, encoding: "gb18030" | "utf-8 with BOM"): Buffer {
  return encoding === "gb18030"
    ? iconv.encode(text, "gb18030")
    : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
}

async function* piecesOf(bytes: Buffer, size: number, pulled?: { n: number }) {
  for (let i = 0; i < bytes.length; i += size) {
    if (pulled) pulled.n++;
    yield bytes.subarray(i, i + size);
  }
}

async function batchesOf(bytes: Buffer, size: number): Promise<QueryRow[][]> {
  const batches: QueryRow[][] = [];
  for await (const batch of readQueryRowBatches(piecesOf(bytes, size))) batches.push(batch);
  return batches;
}

const line = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NAMES).map((name): Line => ({ name })) },
  { weight: 1, arbitrary: fc.constant<Line>("empty") },
);
/** A file's lines, line end, final line break, and the size of the pieces it arrives in. */
const file = fc.record({
  lines: fc.array(line, { minLength: 1, maxLength: 10 }),
  newline: fc.constantFrom("\n", "\r\n", "\r"),
  size: fc.constantFrom(1, 2, 3, 7, 64, 1 << 16),
  finalBreak: fc.boolean(),
});
const names = (rows: QueryRow[]) =>
  rows.map((r): [string, number] => [(r.commodityName ?? "").replace(/\r\n?/g, "\n"), r.line]);

describe("a file read in pieces, whatever its line ends", () => {
  it("gives every row once, in order, with its cells and the line it starts on; no empty batch", async () => {
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.constantFrom("gb18030", "utf-8 with BOM"),
        async ({ lines, newline, size, finalBreak }, encoding) => {
          // A file ending in an empty line and no final break ends in a line break after all.
          const bytes = encode(fileOf(lines, newline, finalBreak), encoding);
          const batches = await batchesOf(bytes, size);
          expect(batches.every((b) => b.length > 0)).toBe(true);
          const rows = batches.flat();
          expect(names(rows)).toEqual(expected(lines));
          for (const r of rows) {
            expect([r.period, r.partnerCode, r.hsCode, r.value]).toEqual([
              "2023-01",
              "410",
              "12019019",
              8_634_238_278,
            ]);
          }
        },
      ),
      { numRuns: 250, seed: 16 },
    );
  });

  it("refuses a bad value on the line it is on, wherever it is and however the file is cut", async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.nat(), async ({ lines, newline, size, finalBreak }, at) => {
        const rows = lines.map((l, i) => [l, i] as const).filter(([l]) => l !== "empty");
        fc.pre(rows.length > 0);
        const bad = rows[at % rows.length]?.[1] as number;
        const bytes = encode(fileOf(lines, newline, finalBreak, bad), "utf-8 with BOM");
        const read: QueryRow[] = [];
        const err = await (async () => {
          for await (const batch of readQueryRowBatches(piecesOf(bytes, size))) read.push(...batch);
        })().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(LayoutChanged);
        const badLine = [...expected(lines, bad + 1)].at(-1)?.[1];
        expect((err as Error).message).toMatch(new RegExp(`^Line ${badLine}, column 10 `));
        // Only rows before it came out, each once.
        expect(names(read)).toEqual(expected(lines, bad).slice(0, read.length));
      }),
      { numRuns: 200, seed: 16 },
    );
  });
});

describe("rows come out as the file arrives", () => {
  // The encoding is settled on the first 64 KiB from the first non-ASCII byte (decode.ts): rows start
  // coming out once that much has arrived, then with every piece.
  const SETTLED = 64 * 1024;
  for (const newline of ["\n", "\r\n", "\r"]) {
    it(`rows of a 2,000-row file come out piece by piece (${JSON.stringify(newline)} line ends)`, async () => {
      const lines: Line[] = Array.from({ length: 2000 }, (_, i) => ({
        name: NAMES[i % NAMES.length] as string,
      }));
      const bytes = iconv.encode(fileOf(lines, newline, true), "gb18030");
      const size = 4096;
      const pieces = Math.ceil(bytes.length / size);
      const pulled = { n: 0 };
      const seen: number[] = [];
      let rows = 0;
      for await (const batch of readQueryRowBatches(piecesOf(bytes, size, pulled))) {
        seen.push(pulled.n);
        rows += batch.length;
      }
      expect(rows).toBe(2000);
      expect(pieces).toBeGreaterThan(40);
      expect(seen[0]).toBeLessThanOrEqual(Math.ceil(SETTLED / size) + 2);
      // After that, a batch for (nearly) every piece: nothing is held back until the end.
      expect(seen.length).toBeGreaterThanOrEqual(pieces - Math.ceil(SETTLED / size) - 2);
      expect(seen.at(-1)).toBe(pieces);
    });
  }
});

describe("empty lines", () => {
  it("are skipped but counted, before the header, between rows and after Papa takes over", async () => {
    const text = `\n${HEADER}\n\n${rowOf("plain")}\n${rowOf("a,b")}\n\n${rowOf('say ""hi""')}\n\n`;
    const rows = (await batchesOf(Buffer.from(text, "utf8"), 5)).flat();
    expect(rows.map((r) => [r.commodityName, r.line])).toEqual([
      ["plain", 4],
      ["a,b", 5],
      ['say "hi"', 7],
    ]);
  });

  it("a file of empty lines has no header", async () => {
    await expect(batchesOf(Buffer.from("\n\n\n"), 2)).rejects.toThrow(
      "The file is empty: there is no header line and no data",
    );
  });
});

describe("a CRLF file with a bare LF inside a name", () => {
  it("reads the name with its line break and counts it as a line", async () => {
    const text = `${HEADER}\r\n${rowOf("one\nline")}\r\n${rowOf("plain")}\r\n${rowOf("plain", "8,6x")}\r\n`;
    for (const size of [3, 1 << 16]) {
      const err = await batchesOf(Buffer.from(text, "utf8"), size).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as Error).message).toMatch(/^Line 5, column 10 /);
    }
    const good = `${HEADER}\r\n${rowOf("one\nline")}\r\n${rowOf("plain")}\r\n`;
    const rows = (await batchesOf(Buffer.from(good, "utf8"), 3)).flat();
    expect(rows.map((r) => [r.commodityName, r.line])).toEqual([
      ["one\nline", 2],
      ["plain", 4],
    ]);
  });
});
