import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { readReleasePage } from "/work/main/functions/domain/gacc/html-table.js";
const dir = "/work/shared/data/gacc/gacc_english_site/";
const html = readFileSync(dir + "meridian_release_section6_major_imports_may2026_cny.html", "utf8");
const page = readReleasePage(html, "x");
const csv = Papa.parse<string[]>(readFileSync(dir + "transcribed_prelim_section6_major_imports_may2026_cny.csv", "utf8"), { skipEmptyLines: true }).data.slice(1);
const hi = page.rows.findIndex((c) => /^commodity/i.test(c[0]?.text ?? ""));
const data = page.rows.slice(hi + 2).filter((c) => c.length > 1);
console.log("rows", data.length, csv.length);
let bad = 0;
data.forEach((cells, i) => {
  const r = csv[i]!;
  const pageTexts = [cells[0]!.text, String(cells[0]!.indent), ...cells.slice(1).map((c) => c.text.replace(/\u00a0/g, "").trim())];
  const csvTexts = [r[0]!.replace(/\s+/g, " "), r[1]!, ...r.slice(2)];
  const a = JSON.stringify(pageTexts.map((t) => t.replace(/\s+/g, " "))), b = JSON.stringify(csvTexts.map((t) => t.replace(/\s+/g, " ")));
  if (a !== b) { bad++; console.log("DIFF", a, "\n    ", b); }
});
console.log("bad", bad, JSON.stringify(page.rows[hi]), JSON.stringify(page.rows[hi+1]));
