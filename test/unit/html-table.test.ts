/**
 * Reading a GACC release page (functions/domain/gacc/html-table.ts): which table is the release's,
 * what each cell's text, span and indentation are (the parsers read hierarchy and columns from
 * them), and which bytes are refused before anything is read.
 */
import { describe, expect, it } from "vitest";
import { LayoutChanged, NoTableOnPage } from "../../functions/domain/errors.js";
import { decodePage, expandColspans, readReleasePage } from "../../functions/domain/gacc/html-table.js";

const table = (...rows: string[]) => `<table>${rows.map((r) => `<tr>${r}</tr>`).join("")}</table>`;
const page = (body: string, head = "") => `<html><body>${head}${body}</body></html>`;

describe("readReleasePage: the cells the parsers see", () => {
  it.each([
    // cell HTML, text, colspan, indent
    ["<td>Total</td>", "Total", 1, 0],
    ["<td>  Total \n</td>", "Total", 1, 0],
    ["<td>&nbsp;&nbsp;Russia</td>", "Russia", 1, 2],
    ["<td>\u3000\u3000\u3000Rice</td>", "Rice", 1, 3],
    ["<td> \n &nbsp; Crude&nbsp;oil</td>", "Crude oil", 1, 1],
    ["<td>Korea,\r\nRep.</td>", "Korea, Rep.", 1, 0],
    ["<td>Bosnia &amp; Herzegovina</td>", "Bosnia & Herzegovina", 1, 0],
    ['<td colspan="3">Exports</td>', "Exports", 3, 0],
    ['<th colspan="2">Jan-Feb</th>', "Jan-Feb", 2, 0],
    ['<td colspan="0">x</td>', "x", 1, 0],
    ['<td colspan="wide">x</td>', "x", 1, 0],
    ["<td>1,234.5</td>", "1,234.5", 1, 0],
  ])("%s → %j, colspan %i, indent %i", (cell, text, colspan, indent) => {
    const { rows } = readReleasePage(page(table(cell, "<td>2</td>")));
    expect(rows[0]).toEqual([{ text, colspan, indent }]);
    expect(rows[1]).toEqual([{ text: "2", colspan: 1, indent: 0 }]);
  });

  it("keeps header and data cells in order and drops rows without cells", () => {
    const { rows } = readReleasePage(
      page(table("<th>Partner</th><th>Exports</th>", "", "<td>China</td><td>10</td>")),
    );
    expect(rows.map((r) => r.map((c) => c.text))).toEqual([
      ["Partner", "Exports"],
      ["China", "10"],
    ]);
  });

  it("expands header cells by colspan so labels line up with data columns", () => {
    expect(
      expandColspans([
        { text: "Partner", colspan: 1, indent: 0 },
        { text: "Exports", colspan: 2, indent: 0 },
        { text: "Imports", colspan: 3, indent: 0 },
      ]),
    ).toEqual(["Partner", "Exports", "Exports", "Imports", "Imports", "Imports"]);
    expect(expandColspans([])).toEqual([]);
  });
});

describe("readReleasePage: which table is the release", () => {
  it("takes the largest table in the article body, not a bigger one elsewhere on the page", () => {
    const outside = table("<td>menu</td>", "<td>a</td>", "<td>b</td>", "<td>c</td>");
    const small = table("<td>note</td>", "<td>n</td>");
    const data = table("<td>data</td>", "<td>1</td>", "<td>2</td>");
    const { rows } = readReleasePage(page(`${outside}<div class="atcl-cnt">${small}${data}</div>`));
    expect(rows.map((r) => r[0]?.text)).toEqual(["data", "1", "2"]);
  });

  it("takes the first of two equally large tables, and searches the whole page without an article body", () => {
    const { rows } = readReleasePage(
      page(table("<td>first</td>", "<td>1</td>") + table("<td>second</td>", "<td>2</td>")),
    );
    expect(rows[0]?.[0]?.text).toBe("first");
  });

  it.each([
    ["no table", page("<p>Figures follow.</p>")],
    ["a one-row table", page(table("<td>only a title</td>"))],
    [
      "a table only outside the article body",
      page(`${table("<td>a</td>", "<td>b</td>")}<div class="atcl-cnt"><p>x</p></div>`),
    ],
  ])("refuses a page with %s", (_, html) => {
    expect(() => readReleasePage(html)).toThrow(NoTableOnPage);
  });

  it("says when the figures are shown as an image", () => {
    expect(() => readReleasePage(page('<div class="atcl-cnt"><img src="t.png"></div>'))).toThrow(
      /as an image/,
    );
    expect(() => readReleasePage(page('<div class="atcl-cnt"><p>x</p></div>'))).not.toThrow(/as an image/);
  });

  it("reads the title (whitespace collapsed) and the date printed under it", () => {
    const head =
      '<div class="atcl-ttl">\n  China\'s Total Export &amp;\n Import Values  </div><div class="atcl-date"> 2026/04/08 </div>';
    const r = readReleasePage(page(table("<td>a</td>", "<td>b</td>"), head));
    expect(r.pageTitle).toBe("China's Total Export & Import Values");
    expect(r.postedOn).toBe("2026/04/08");
  });

  it("has no title or date when the page prints none, or prints them empty", () => {
    const t = table("<td>a</td>", "<td>b</td>");
    for (const head of ["", '<div class="atcl-ttl">  </div><div class="atcl-date"> </div>']) {
      const r = readReleasePage(page(t, head));
      expect(r.pageTitle).toBeUndefined();
      expect(r.postedOn).toBeUndefined();
    }
  });

  it("does not read tables inside scripts or styles", () => {
    const html = page(
      `<script>var t = "${table("<td>x</td>", "<td>y</td>", "<td>z</td>").replaceAll('"', "'")}";</script>${table("<td>a</td>", "<td>b</td>")}`,
    );
    expect(readReleasePage(html).rows.map((r) => r[0]?.text)).toEqual(["a", "b"]);
  });
});

describe("decodePage", () => {
  it("reads UTF-8 exactly, including non-ASCII names", () => {
    expect(decodePage(new TextEncoder().encode("Côte d'Ivoire 中国"))).toBe("Côte d'Ivoire 中国");
  });

  it.each([
    ["UTF-16 text (NUL bytes)", Buffer.from("<html>", "utf16le")],
    ["GB18030 bytes", Buffer.from([0x3c, 0xd6, 0xd0, 0xb9, 0xfa, 0x3e])],
    ["a cut multi-byte character", Buffer.from([0x61, 0xe4, 0xb8])],
  ])("refuses %s instead of reading replacement characters", (_, bytes) => {
    expect(() => decodePage(bytes)).toThrow(LayoutChanged);
  });
});

describe("readReleasePage: what is not a cell's text", () => {
  it.each([
    ["a script", "<script>track('cell')</script>"],
    ["a style", "<style>td { color: red }</style>"],
    ["a noscript note", "<noscript>Enable JavaScript</noscript>"],
  ])("leaves %s inside a cell out of its text, so a number stays a number", (_, inside) => {
    const { rows } = readReleasePage(page(table(`<td>1,234.5${inside}</td>`, "<td>2</td>")));
    expect(rows[0]?.[0]?.text).toBe("1,234.5");
  });
});

describe("messages name the page when the caller does not", () => {
  it("says 'This page'", () => {
    expect(() => decodePage(Buffer.from("<html>", "utf16le"))).toThrow(/^This page holds NUL bytes/);
    expect(() => decodePage(Buffer.from([0x61, 0xe4, 0xb8]))).toThrow(/^This page is not valid UTF-8/);
    expect(() => readReleasePage(page("<p>x</p>"))).toThrow(/^This page has no data table/);
  });
});
