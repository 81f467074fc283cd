/**
 * The reader splits lines in the platform's own shape itself (platformLineCells) and hands the rest
 * of a file to Papa Parse from the first line that is not in that shape. Both halves must read a line
 * exactly as Papa alone does: checked cell by cell against Papa on generated lines, and on whole
 * files whose odd lines (doubled quotes, commas and line breaks in a name, unquoted fields) come at
 * any point, read in small and large pieces, with LF and CRLF line ends.
 */
import fc from "fast-check";
import iconv from "iconv-lite";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { platformLineCells, readQueryRows } from "../../functions/domain/query-csv/read.js";

const HEADER =
  '"数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",';

describe("platformLineCells", () => {
  const token = fc.constantFrom('"', '""', ",", '","', "a", "中", " ", "\r", "1,234", "?");
  it("reads a line exactly as Papa Parse does, or leaves it to Papa", () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        const line = tokens.join("");
        const cells = platformLineCells(line);
        if (cells === undefined) return;
        const papa = Papa.parse<string[]>(line, { delimiter: ",", newline: "\n", quoteChar: '"' });
        expect(papa.errors).toEqual([]);
        expect(cells).toEqual(papa.data[0] ?? [""]);
      }),
      { numRuns: 3000, seed: 15 },
    );
  });

  it("takes the platform's lines and nothing with a quote mark inside a field", () => {
    expect(platformLineCells('"202301","410","8,634,238,278",')).toEqual([
      "202301",
      "410",
      "8,634,238,278",
      "",
    ]);
    expect(platformLineCells('"a","b"')).toEqual(["a", "b"]);
    expect(platformLineCells("")).toEqual([""]);
    for (const odd of [
      '"a""b","c",',
      '"a",b,',
      '"a" ,"b",',
      '"a","b',
      'a,"b",',
      '"a","b",,',
      '"a\r","b",\r',
    ]) {
      const cells = platformLineCells(odd);
      const papa = Papa.parse<string[]>(odd, { delimiter: ",", newline: "\n", quoteChar: '"' });
      if (cells !== undefined) expect(cells).toEqual(papa.data[0]);
    }
    expect(platformLineCells('"a""b","c",')).toBeUndefined();
    expect(platformLineCells('"a",b,')).toBeUndefined();
  });
});

describe("whole files: lines split here, then Papa from the first odd line", () => {
  const name = fc.constantFrom("转基因黄大豆", 'say ""hi""', "a,b", "two\nlines", "plain");
  const rowOf = (n: string) =>
    `"202301","410","巴西","12019019","${n}","1831535439","千克","0","?","8,634,238,278",`;
  const undoubled = (n: string) => n.replace(/""/g, '"');

  it("gives every row its cells and its line, wherever the odd lines are", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(name, { minLength: 1, maxLength: 12 }),
        fc.constantFrom("\n", "\r\n"),
        fc.constantFrom(5, 64, 1 << 16),
        fc.boolean(),
        async (names, newline, chunk, finalBreak) => {
          const body = [HEADER, ...names.map(rowOf)].join(newline) + (finalBreak ? newline : "");
          const bytes = iconv.encode(body, "gb18030");
          async function* pieces() {
            for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
          }
          const rows: Array<[string | undefined, number]> = [];
          for await (const row of readQueryRows(pieces())) rows.push([row.commodityName, row.line]);
          let line = 2;
          const expected = names.map((n): [string, number] => {
            const at = line;
            line += 1 + (n.match(/\n/g)?.length ?? 0);
            return [undoubled(n), at];
          });
          expect(rows).toEqual(expected);
        },
      ),
      { numRuns: 150, seed: 15 },
    );
  });

  it("names the line of a bad value after the handover to Papa", async () => {
    const bad = rowOf("plain").replace('"8,634,238,278"', '"8,63x"');
    const body = `${[HEADER, rowOf("plain"), rowOf("a,b"), rowOf('say ""hi""'), rowOf("two\nlines"), bad].join("\n")}\n`;
    const read = async () => {
      for await (const _ of readQueryRows([iconv.encode(body, "gb18030")])) {
        // reading is the point
      }
    };
    await expect(read()).rejects.toThrow(/^Line 7, column 10 /);
  });
});
