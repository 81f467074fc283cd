/**
 * Small GACC-shaped release pages for unit tests: the article title, then one table whose rows are
 * given cell by cell. Lets a test change one figure, one header or one indent and see what the
 * parser does with exactly that.
 */

export interface Cell {
  text: string;
  colspan?: number;
  /** Leading &nbsp; count: GACC's way of showing hierarchy. */
  indent?: number;
}

export type Row = Array<string | Cell>;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function td(cell: string | Cell): string {
  const c = typeof cell === "string" ? { text: cell } : cell;
  const span = c.colspan && c.colspan > 1 ? ` colspan="${c.colspan}"` : "";
  return `<td${span}>${"&nbsp;".repeat(c.indent ?? 0)}${esc(c.text)}</td>`;
}

/** A release page: `pageTitle` in div.atcl-ttl (omitted when undefined), `rows` as the table. */
export function releasePage(pageTitle: string | undefined, rows: Row[]): string {
  const title = pageTitle === undefined ? "" : `<div class="atcl-ttl">${esc(pageTitle)}</div>`;
  const body = rows.map((r) => `<tr>${r.map(td).join("")}</tr>`).join("\n");
  return `<html><body>${title}<div class="atcl-cnt"><table>${body}</table></div></body></html>`;
}

export const provenance = {
  releaseId: "test-release",
  url: "http://english.customs.gov.cn/Statics/test.html",
  sha256: "a".repeat(64),
  fetchedAt: "2026-04-08T03:00:00.000Z",
};
