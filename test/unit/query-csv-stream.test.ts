/**
 * The query-platform reader as a stream (functions/domain/query-csv/read.ts): whatever the line
 * ends (LF, CRLF, a lone CR), the pieces the bytes arrive in, the empty lines and the lines Papa Parse
 * takes over (doubled quotes, commas and line breaks in a name), every row comes out once, with its
 * cells and the line it starts on, and a bad value is refused on its own line. Rows come out as their
 * piece of the file arrives, never all at the end.
 */
import fc from "fast-check";
import iconv from "iconv-lite";
import Papa from "papaparse";
import { describe, expect, it, vi } from "vitest";
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
      const bytes = encode(fileOf(lines, newline, true), "gb18030");
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

  it("before a CRLF header: the file's line end is still CRLF", async () => {
    const text = `\r\n${HEADER}\r\n${rowOf("plain")}\r\n`;
    const rows = (await batchesOf(Buffer.from(text, "utf8"), 1 << 16)).flat();
    expect(rows.map((r) => [r.commodityName, r.line])).toEqual([["plain", 3]]);
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

describe("which lines Papa Parse reads", () => {
  // Lines in the platform's own shape are split by the reader at about twice Papa's speed
  // (platformLineCells); Papa reads a file from its first line in any other shape, and every line of
  // a file whose lines end in a lone CR. Observed on the stream Papa is given (the real Papa runs).
  async function papaText(text: string, size: number): Promise<{ papa: string; rows: number }> {
    let papa = "";
    const parse = Papa.parse.bind(Papa);
    // Calls the real Papa.parse, listening first to the text the reader feeds it.
    const spy = vi.spyOn(Papa, "parse").mockImplementation(((
      input: NodeJS.ReadableStream,
      config: object,
    ) => {
      input.on("data", (chunk: string) => {
        papa += chunk;
      });
      return parse(input as never, config as never);
    }) as typeof Papa.parse);
    try {
      const bytes = encode(text, "utf-8 with BOM");
      let rows = 0;
      for await (const batch of readQueryRowBatches(piecesOf(bytes, size))) rows += batch.length;
      expect(spy).toHaveBeenCalledTimes(1);
      return { papa, rows };
    } finally {
      spy.mockRestore();
    }
  }
  const rows = (names: string[], nl: string) => names.map((n) => rowOf(n)).join(nl) + nl;

  for (const nl of ["\n", "\r\n"]) {
    for (const size of [5, 1 << 16]) {
      it(`none of a file in the platform's shape (${JSON.stringify(nl)}, ${size}-byte pieces)`, async () => {
        const text = HEADER + nl + rows(Array(30).fill("plain"), nl);
        expect(await papaText(text, size)).toEqual({ papa: "", rows: 30 });
        // Nor its last line when the file does not end with a line break.
        expect(await papaText(text.slice(0, -nl.length), size)).toEqual({ papa: "", rows: 30 });
      });

      it(`the rest of a file from its first odd line (${JSON.stringify(nl)}, ${size}-byte pieces)`, async () => {
        // A comma inside quotes is still the platform's shape; a doubled quote mark is not.
        const tail = rows(['say ""hi""', "plain", "a,b", "plain"], nl);
        const text = HEADER + nl + rows([...Array(19).fill("plain"), "a,b"], nl) + tail;
        const { papa, rows: n } = await papaText(text, size);
        expect(papa).toBe(tail);
        expect(n).toBe(24);
      });
    }
  }

  it("every line of a file whose lines end in a lone CR", async () => {
    const text = `${HEADER}\r${rows(["plain", "plain"], "\r")}`;
    const { papa, rows: n } = await papaText(text, 7);
    expect(papa).toBe(text);
    expect(n).toBe(2);
  });
});

describe("a quote mark gone wrong, in a file read in pieces", () => {
  const read = async (text: string, size: number, pulled = { n: 0 }) => {
    const bytes = encode(text, "utf-8 with BOM");
    try {
      for await (const _ of readQueryRowBatches(piecesOf(bytes, size, pulled))) {
        // reading is the point
      }
    } catch (err) {
      return (err as Error).message;
    }
    return "no error";
  };

  it("names the line of a quote problem Papa finds in a piece that also holds lines split before it", async () => {
    const bad = '"202301","4"10","巴西","12019019","x","1","千克","0","?","1",';
    // Papa's second line in that piece: its error is placed after the rows split before it.
    const text = `${HEADER}\n${rowOf("plain")}\n${rowOf("a,b")}\n${rowOf('say ""hi""')}\n${bad}\n${rowOf("plain")}\n`;
    for (const size of [1 << 16, 300]) {
      expect(await read(text, size)).toBe(
        'Line 5: a quote mark inside a quoted field is not doubled (""), so the line cannot be split into columns',
      );
    }
  });

  it("reports the first problem on a line: an undoubled quote, then the quote it leaves open", async () => {
    const text = `${HEADER}\n${rowOf("plain")}\n"202301","4"10,"巴西`;
    expect(await read(text, 1 << 16)).toBe(
      'Line 3: a quote mark inside a quoted field is not doubled (""), so the line cannot be split into columns',
    );
  });

  it("reads a file of more than a megabyte in pieces: the megabyte limit is per line, not per file", async () => {
    const lines = Array(12_000).fill(rowOf("plain"));
    const text = `${HEADER}\n${lines.join("\n")}\n`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024);
    const rows = (await batchesOf(Buffer.from(text, "utf8"), 64 * 1024)).flat();
    expect(rows.length).toBe(12_000);
    expect(rows.at(-1)?.line).toBe(12_001);
  });

  it("refuses a first line of more than a megabyte even when a line break comes after it", async () => {
    expect(await read(`${"x".repeat(2 * 1024 * 1024)}\n${rowOf("plain")}\n`, 1 << 16)).toBe(
      "Line 1 runs for more than a megabyte without a line break: this is not a CSV export",
    );
    // After an empty first line, the long line is line 2 and is refused as a header.
    expect(await read(`\n${"x".repeat(1024 * 1024 + 1)}`, 4 * 1024 * 1024)).toMatch(/^Line 2, the header /);
  });

  it("stops reading a megabyte after an unclosed quote, without reading the rest of the file", async () => {
    const open = `"202301","410","巴西","12019019","${"转基因黄大豆\n".repeat(200_000)}`; // 1.4 M characters
    const text = `${HEADER}\n${rowOf("plain")}\n${open}`;
    const size = 64 * 1024;
    const pulled = { n: 0 };
    expect(await read(text, size, pulled)).toBe(
      "Line 3: more than a megabyte of text without the end of a line: a quote mark is probably missing",
    );
    const pieces = Math.ceil((Buffer.byteLength(text) + 3) / size);
    // A megabyte of characters is at most 3 MB of UTF-8: it stops well before the file's end.
    expect(pulled.n).toBeLessThan(pieces);
    expect(pulled.n).toBeGreaterThan((1024 * 1024) / size);
  });
});

describe("damage in a file read in pieces", () => {
  it("is named on its line, counted across the pieces before it", async () => {
    const text = `${HEADER}\n${rowOf("plain\nname")}\n${Array(7).fill(rowOf("plain")).join("\n")}\n${rowOf("x\u0001y")}\n`;
    for (const size of [7, 100, 1 << 16]) {
      const bytes = encode(text, "utf-8 with BOM");
      await expect(batchesOf(bytes, size)).rejects.toThrow(
        "Line 11 holds a control character (0x01): the file is damaged or is not a query-platform CSV export",
      );
    }
  });
});
