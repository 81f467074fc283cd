/**
 * Bytes → text for query-platform exports (functions/domain/query-csv/decode.ts): whatever the
 * encoding and however the bytes are cut into chunks, the text that comes out is the text that was
 * written, the encoding is named right, and a file that changes encoding is refused, not guessed at.
 */
import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import {
  type DecodeInfo,
  decodeQueryExport,
  type QueryExportInput,
} from "../../functions/domain/query-csv/index.js";

async function decode(input: QueryExportInput): Promise<{ text: string; info: DecodeInfo }> {
  const info: DecodeInfo = { encoding: undefined, bom: false };
  let text = "";
  for await (const piece of decodeQueryExport(input, info)) text += piece;
  return { text, info };
}

async function refusal(input: QueryExportInput): Promise<string> {
  const err = await decode(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LayoutChanged);
  return (err as LayoutChanged).message;
}

/** The bytes cut at the given offsets (sorted, within the length). */
function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
}

const HEADER = '"数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","人民币",\n';
const ROW = '"202301","410","巴西","12019019","8,634,238,278",\n';
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const GB_BOM = Buffer.from([0x84, 0x31, 0x95, 0x33]);

describe("decodeQueryExport: encodings", () => {
  const ENGLISH = '"Date of data","Trading partner code"\n"202301","410","巴西"\n';
  it.each([
    [
      "GB18030, as the platform writes it",
      iconv.encode(HEADER + ROW, "gb18030"),
      HEADER + ROW,
      "gb18030",
      false,
    ],
    ["UTF-8 without a BOM", Buffer.from(HEADER + ROW, "utf8"), HEADER + ROW, "utf-8", false],
    [
      "UTF-8 with a BOM",
      Buffer.concat([UTF8_BOM, Buffer.from(HEADER + ROW, "utf8")]),
      HEADER + ROW,
      "utf-8",
      true,
    ],
    [
      "GB18030 with its BOM",
      Buffer.concat([GB_BOM, iconv.encode(HEADER + ROW, "gb18030")]),
      HEADER + ROW,
      "gb18030",
      true,
    ],
    ["GB18030 behind an ASCII header", iconv.encode(ENGLISH, "gb18030"), ENGLISH, "gb18030", false],
  ] as const)("%s", async (_, bytes, text, encoding, bom) => {
    expect(await decode(bytes)).toEqual({ text, info: { encoding, bom } });
    // One byte at a time: the BOM and every character cut apart.
    expect(await decode(cut(bytes, [...bytes.keys()]))).toEqual({ text, info: { encoding, bom } });
  });

  it("calls a file of plain ASCII UTF-8, and passes it through unchanged", async () => {
    const text = '"Date of data","Trading partner code","USD",\n"202301","410","1,810,818",\n';
    expect(await decode(Buffer.from(text, "latin1"))).toEqual({
      text,
      info: { encoding: "utf-8", bom: false },
    });
  });

  it("reads files shorter than a BOM, and an empty one", async () => {
    expect(await decode(Buffer.from("a\n"))).toEqual({
      text: "a\n",
      info: { encoding: "utf-8", bom: false },
    });
    expect(await decode(Buffer.from("巴", "utf8"))).toEqual({
      text: "巴",
      info: { encoding: "utf-8", bom: false },
    });
    expect(await decode(iconv.encode("巴", "gb18030"))).toEqual({
      text: "巴",
      info: { encoding: "gb18030", bom: false },
    });
    expect(await decode(Buffer.alloc(0))).toEqual({ text: "", info: { encoding: "utf-8", bom: false } });
    expect(await decode(UTF8_BOM)).toEqual({ text: "", info: { encoding: "utf-8", bom: true } });
  });

  it.each([
    ["little-endian", Buffer.from([0xff, 0xfe])],
    ["big-endian", Buffer.from([0xfe, 0xff])],
  ])("refuses UTF-16 (%s BOM), which the platform never writes", async (_, bom) => {
    const bytes = Buffer.concat([bom, Buffer.from('"\0d\0a\0t\0e\0"\0', "latin1")]);
    expect(await refusal(bytes)).toMatch(/^The file is UTF-16 text/);
    expect(await refusal(cut(bytes, [1, 2, 3]))).toMatch(/^The file is UTF-16 text/);
  });

  it("takes strings, sync iterables and byte views into a larger buffer", async () => {
    const text = HEADER + ROW;
    async function* strings() {
      yield text.slice(0, 7);
      yield text.slice(7);
    }
    expect(await decode(strings())).toEqual({ text, info: { encoding: "utf-8", bom: false } });
    const gbBytes = iconv.encode(text, "gb18030");
    expect((await decode([gbBytes.subarray(0, 9), gbBytes.subarray(9)])).text).toBe(text);
    // A Uint8Array (not a Buffer) that views the middle of a larger ArrayBuffer.
    const backing = new Uint8Array(gbBytes.length + 20).fill(0x41);
    backing.set(gbBytes, 10);
    const view = new Uint8Array(backing.buffer, 10, gbBytes.length);
    expect(await decode(view)).toEqual({ text, info: { encoding: "gb18030", bom: false } });
    expect(await decode([view])).toEqual({ text, info: { encoding: "gb18030", bom: false } });
  });
});

describe("decodeQueryExport: chunking never changes the text (properties)", () => {
  const cuts = fc.array(fc.nat({ max: 4000 }), { maxLength: 12 });

  it("UTF-8, with or without a BOM", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        fc.boolean(),
        cuts,
        async (s, bom, at) => {
          const body = Buffer.from(s, "utf8");
          const bytes = bom ? Buffer.concat([UTF8_BOM, body]) : body;
          const { text, info } = await decode(cut(bytes, at));
          // A BOM is taken off only once; text that itself starts with U+FEFF keeps it.
          expect(text).toBe(s);
          expect(info).toEqual({ encoding: "utf-8", bom });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("GB18030", async () => {
    const piece = fc.constantFrom(
      "数据年月",
      "巴西",
      "转基因黄大豆",
      "千克",
      '"202301",',
      "\n",
      "美国",
      "€",
      "𠀀",
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 40 }), cuts, async (pieces, at) => {
        // It starts with 数 (CA FD), which is not UTF-8: the file is GB18030 from its first line.
        const s = `"数据年月",${pieces.join("")}`;
        const { text, info } = await decode(cut(iconv.encode(s, "gb18030"), at));
        expect(text).toBe(s);
        expect(info).toEqual({ encoding: "gb18030", bom: false });
      }),
      { numRuns: 150 },
    );
  });
});

describe("decodeQueryExport: the 64 KiB window after the first non-ASCII byte", () => {
  const KIB64 = 64 * 1024;
  const ascii = Buffer.from('"Date of data","Trading partner code"\n');
  // 3 bytes in UTF-8, and valid UTF-8 only: "巴" repeated.
  const utf8Run = (bytes: number) => Buffer.from("巴".repeat(bytes / 3), "utf8");
  const notUtf8 = Buffer.from([0xb0, 0xcd]); // 巴 in GB18030; 0xB0 cannot start a UTF-8 character

  it("reads a file as GB18030 when its first 64 KiB past the ASCII hold a byte UTF-8 does not allow", async () => {
    const bytes = Buffer.concat([ascii, utf8Run(KIB64 - 3), notUtf8]);
    const { info, text } = await decode(cut(bytes, [ascii.length, ascii.length + 5000]));
    expect(info.encoding).toBe("gb18030");
    expect(text.startsWith('"Date of data"')).toBe(true);
    expect(text.endsWith("巴")).toBe(true);
  });

  it("refuses a file that is UTF-8 for 64 KiB and then is not", async () => {
    const bytes = Buffer.concat([ascii, utf8Run(KIB64 + 3000), notUtf8]);
    const chunks = cut(bytes, [ascii.length, ascii.length + KIB64, ascii.length + KIB64 + 1000]);
    expect(await refusal(chunks)).toBe(
      `The file began as UTF-8 text but has bytes that are not UTF-8 after byte ${KIB64 + 1000}: it mixes two ` +
        "encodings or is damaged. Export it again from the query platform and upload the file as downloaded.",
    );
  });

  it("decides as soon as the window is exactly 64 KiB, not one chunk later", async () => {
    const window = utf8Run(KIB64 - 1).subarray(0, KIB64 - 1);
    const full = Buffer.concat([window, Buffer.from("a")]); // 65,536 bytes of valid UTF-8
    expect(full.length).toBe(KIB64);
    const message = await refusal([ascii, full, notUtf8]);
    expect(message).toMatch(
      /^The file began as UTF-8 text but has bytes that are not UTF-8 after byte 65536:/,
    );
  });
});

describe("decodeQueryExport: damaged files are decoded the way that reads further", () => {
  // "巴" alone: its 3 UTF-8 bytes read as GB18030 leave a lead byte before a quote mark, so UTF-8
  // text read as GB18030 turns bad on its first line.
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `"202301","41${i % 10}","巴",\n`).join("");
  const BAD = Buffer.from([0xff, 0xfe, 0x80]); // neither UTF-8 nor GB18030

  it.each([
    ["UTF-8, damaged on line 10", "utf-8", 9],
    ["GB18030, damaged on line 10", "gb18030", 9],
    ["UTF-8, damaged on line 1", "gb18030", 0], // a tie: nothing tells them apart, the platform's own wins
  ] as const)("%s → %s", async (_, encoding, before) => {
    const body = `${lines(before)}"`; // never empty: a file starting 0xFF 0xFE is UTF-16
    const head = encoding === "gb18030" ? iconv.encode(body, "gb18030") : Buffer.from(body, "utf8");
    const bytes = Buffer.concat([head, BAD, Buffer.from('","x",\n')]);
    const { text, info } = await decode(bytes);
    expect(info).toEqual({ encoding, bom: false });
    // Everything before the damage reads as written; the damage becomes U+FFFD on its own line.
    expect(text.startsWith(body)).toBe(true);
    expect(text.indexOf("\ufffd")).toBe(body.length);
  });

  it("a GB18030 file cut inside its last character ends in U+FFFD (the reader then refuses it)", async () => {
    const bytes = Buffer.concat([iconv.encode(`${HEADER}巴西`, "gb18030"), Buffer.from([0x81])]);
    const { text, info } = await decode(bytes);
    expect(info.encoding).toBe("gb18030");
    expect(text).toBe(`${HEADER}巴西\ufffd`);
  });

  it("a UTF-8 file shorter than the window and cut inside its last character ends in U+FFFD on its last line", async () => {
    const body = `${lines(3)}"巴西`;
    const bytes = Buffer.concat([Buffer.from(body, "utf8"), Buffer.from("西", "utf8").subarray(0, 2)]);
    const { text, info } = await decode(bytes);
    expect(info).toEqual({ encoding: "utf-8", bom: false });
    expect(text).toBe(`${body}\ufffd`);
  });

  it("a file that is UTF-8 past the window and cut inside its last character is refused", async () => {
    const run = Buffer.from("巴".repeat(30_000), "utf8"); // 90,000 bytes, more than the window
    const bytes = Buffer.concat([Buffer.from("a,"), run, Buffer.from("西", "utf8").subarray(0, 2)]);
    expect(await refusal(cut(bytes, [70_000]))).toBe(
      `The file began as UTF-8 text but has bytes that are not UTF-8 after byte ${run.length + 2}: it mixes two ` +
        "encodings or is damaged. Export it again from the query platform and upload the file as downloaded.",
    );
  });
});
