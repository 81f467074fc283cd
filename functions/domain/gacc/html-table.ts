/**
 * Extracts the data table of a GACC release page as rows of cell texts, keeping what the parsers
 * need to see and nothing else: text with entities decoded, colspan, and leading indentation
 * (GACC marks hierarchy with &nbsp; runs).
 */
import { type HTMLElement, parse } from "node-html-parser";
import { LayoutChanged, NoTableOnPage } from "../errors.js";

export interface TableCell {
  /** Text with entities decoded and whitespace collapsed; leading indentation removed. */
  text: string;
  colspan: number;
  /** Count of leading spaces/&nbsp; before the text: GACC's way of showing hierarchy. */
  indent: number;
}

export interface ReleasePage {
  /** The title in `div.atcl-ttl`, or undefined when the page has none. */
  pageTitle: string | undefined;
  /** Date printed under the title ("2026/04/08"), if any. */
  postedOn: string | undefined;
  rows: TableCell[][];
}

/** Expands a header row by colspan into one label per column, so labels line up with data cells. */
export function expandColspans(row: readonly TableCell[]): string[] {
  return row.flatMap((c) => Array.from({ length: c.colspan }, () => c.text));
}

function cellOf(el: HTMLElement): TableCell {
  // node-html-parser decodes entities in .text; &nbsp; becomes \u00a0.
  const full = el.text;
  // Source whitespace is insignificant in HTML; only &nbsp; and ideographic spaces indent.
  const leading = full.slice(0, full.length - full.trimStart().length);
  return {
    text: full.replace(/[\s\u00a0\u3000]+/g, " ").trim(),
    colspan: Number.parseInt(el.getAttribute("colspan") ?? "1", 10) || 1,
    indent: (leading.match(/[\u00a0\u3000]/g) ?? []).length,
  };
}

/**
 * Decodes a page's bytes: GACC's English site is UTF-8. Bytes that are not (a page saved as GB18030
 * or UTF-16, a damaged download) are refused with the reason, never read with replacement characters
 * (which would turn a partner's name or a number into something else).
 */
export function decodePage(bytes: Uint8Array, what = "This page"): string {
  if (bytes.includes(0)) {
    throw new LayoutChanged(
      `${what} holds NUL bytes: it is not a UTF-8 web page (UTF-16 text, or a binary file?). Nothing from it was used; check the source.`,
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new LayoutChanged(
      `${what} is not valid UTF-8 text, as GACC's English pages are: it may be in another encoding (such as GB18030) or damaged in transit. Nothing from it was used; fetch it again or check the source.`,
    );
  }
}

/**
 * Finds the release table: the largest <table> inside the article body (`.atcl-cnt`), or in the
 * whole page when there is no article body. Throws NoTableOnPage when there is none.
 */
export function readReleasePage(html: string, what = "This page"): ReleasePage {
  const root = parse(html, { blockTextElements: { script: false, style: false, noscript: false } });
  const pageTitle = root.querySelector(".atcl-ttl")?.text.replace(/\s+/g, " ").trim() || undefined;
  const postedOn = root.querySelector(".atcl-date")?.text.trim() || undefined;
  const scope = root.querySelector(".atcl-cnt") ?? root;
  const tables = scope.querySelectorAll("table");
  let best: HTMLElement | undefined;
  let bestRows = 0;
  for (const t of tables) {
    const n = t.querySelectorAll("tr").length;
    if (n > bestRows) {
      best = t;
      bestRows = n;
    }
  }
  if (!best || bestRows < 2) {
    const hasImage = scope.querySelector("img") !== null;
    throw new NoTableOnPage(
      `${what} has no data table${hasImage ? " (it shows the figures as an image)" : ""}: ` +
        "nothing can be read from it. Take the figures from another edition or enter them by hand.",
    );
  }
  const rows = best
    .querySelectorAll("tr")
    .map((tr) => tr.querySelectorAll("td, th").map(cellOf))
    .filter((cells) => cells.length > 0);
  return { pageTitle, postedOn, rows };
}
