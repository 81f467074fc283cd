/** Damaged bytes are reported on the line they are on, whatever encoding the rest of the file is in. */
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { formatBytes } from "../../functions/domain/numbers.js";
import { readQueryRows } from "../../functions/domain/query-csv/index.js";

const HEADER_ZH =
  '"数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",';
const ROW = '"202301","410","巴西","12019019","转基因黄大豆","1831535439","千克","0","?","8,634,238,278",';
/** Bytes valid in neither UTF-8 nor GB18030. */
const DAMAGED = Buffer.concat([
  Buffer.from('"202301","410","'),
  Buffer.from([0xff, 0xfe, 0x80]),
  Buffer.from('","x",\n'),
]);

async function failureOf(bytes: Buffer, chunk: number): Promise<string> {
  async function* pieces() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  try {
    for await (const _ of readQueryRows(pieces())) {
      // reading is the point
    }
  } catch (err) {
    return (err as Error).message;
  }
  return "no error";
}

describe("line numbers of damaged bytes", () => {
  for (const encoding of ["gb18030", "utf-8"] as const) {
    for (const chunk of [7, 1 << 20]) {
      it(`names line 10 in a ${encoding} file read ${chunk} bytes at a time`, async () => {
        const text = `${[HEADER_ZH, ...Array(8).fill(ROW)].join("\n")}\n`;
        const head = encoding === "gb18030" ? iconv.encode(text, "gb18030") : Buffer.from(text, "utf8");
        expect(await failureOf(Buffer.concat([head, DAMAGED]), chunk)).toMatch(
          /^Line 10 holds bytes that are neither GB18030 nor UTF-8/,
        );
      });
    }
  }
});

describe("line numbers of rows after a cell with a line break in it", () => {
  // Row 3's commodity name runs over two lines, so every later row starts a line further down.
  const WRAPPED = ROW.replace("转基因黄大豆", "转基因\n黄大豆");
  const BAD = ROW.replace('"8,634,238,278"', '"8,634,x"');
  for (const newline of ["\n", "\r\n"]) {
    for (const chunk of [7, 1 << 20]) {
      const label = `${JSON.stringify(newline)} lines, read ${chunk} bytes at a time`;
      const text = (rows: string[]) =>
        iconv.encode(`${[HEADER_ZH, ...rows].join(newline)}${newline}`, "gb18030");

      it(`rows carry the line they start on (${label})`, async () => {
        async function* pieces(bytes: Buffer) {
          for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
        }
        const lines: number[] = [];
        for await (const row of readQueryRows(pieces(text([ROW, WRAPPED, ROW, ROW])))) lines.push(row.line);
        expect(lines).toEqual([2, 3, 5, 6]);
      });

      it(`a bad value is named on its own line (${label})`, async () => {
        expect(await failureOf(text([ROW, WRAPPED, ROW, BAD]), chunk)).toMatch(/^Line 6, column 10 /);
      });
    }
  }
});

describe("sizes in messages", () => {
  it("reads as people write them", () => {
    expect(formatBytes(4 * 1024 * 1024)).toBe("4 MB");
    expect(formatBytes(6 * 1024 * 1024)).toBe("6 MB");
    expect(formatBytes(5_000_000)).toBe("4.8 MB");
    expect(formatBytes(812 * 1024)).toBe("812 KB");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(90)).toBe("90 bytes");
  });
});
