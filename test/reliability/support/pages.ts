/** Edits of the mirror's sample pages for reliability tests. */
import { type HTMLElement, parse } from "node-html-parser";
import { sampleReleases } from "../../../local/mirror/render.js";

export function releasePath(currency: string, period: string): string {
  const r = sampleReleases().find((x) => x.currency === currency && x.period === period);
  if (!r) throw new Error(`no sample release ${currency} ${period}`);
  return r.path;
}

/** Replaces the first `from` after the "Russian Federation" row label (a value in Russia's row). */
export function reviseRussiaRow(html: string, from: string, to: string): string {
  const row = html.indexOf("Russian Federation");
  const at = html.indexOf(from, row);
  if (row < 0 || at < 0) throw new Error(`"${from}" not found in Russia's row`);
  return `${html.slice(0, at)}${to}${html.slice(at + from.length)}`;
}

/** Rows of the release table (title row, unit row, two header rows, data rows), as DOM nodes. */
function tableRows(root: HTMLElement): HTMLElement[] {
  const table = root.querySelector(".atcl-cnt table");
  if (!table) throw new Error("no release table on the page");
  return table.querySelectorAll("tr");
}

/** Edits a table (4) page's columns: `edit` gets each header and data row's cells (title and unit rows
 * are left alone) and changes them in place. */
export function editColumns(html: string, edit: (cells: HTMLElement[], row: number) => void): string {
  const root = parse(html);
  tableRows(root).forEach((tr, i) => {
    if (i >= 2) edit(tr.querySelectorAll("td"), i);
  });
  return root.toString();
}

/** Replaces the text of data cells (rows after the two header rows) chosen by `pick`. */
export function editDataCells(
  html: string,
  pick: (row: number, col: number, name: string) => string | undefined,
): string {
  const root = parse(html);
  tableRows(root).forEach((tr, i) => {
    if (i < 4) return;
    const cells = tr.querySelectorAll("td");
    const name = cells[0]?.text.replace(/[\s\u00a0]+/g, " ").trim() ?? "";
    cells.forEach((td, col) => {
      const text = pick(i - 4, col, name);
      if (text !== undefined) td.set_content(`<span><b>${text}&nbsp;</b></span>`);
    });
  });
  return root.toString();
}
