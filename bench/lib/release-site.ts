/**
 * Every release GACC posts in a month, for a span of months, rendered by the project's mirror
 * (local/mirror/render.ts) in the real URL layout: table (4) by country in USD and CNY
 * (table4-site.ts's figures), tables (5) and (6) by commodity in USD and CNY (the May 2026 imports
 * sample re-dated to each month), and the Monthly Bulletin's by-country table in USD and CNY (the
 * August 2023 Bulletin sample re-dated). The release-to-reader, cost and backfill benchmarks run the
 * deployed-shape workflow over it.
 *
 * Made-up but consistent: the commodity and Bulletin pages repeat their sample's figures every month
 * (their checks hold within a page, which is all normalize checks), under each month's title and
 * headers. January–February comes out as one table (4) release; the mirror has no combined-months
 * layout for the commodity and Bulletin samples, so those two skip it (10 of 12 months a year each).
 */
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { MONTH_NAMES } from "../../functions/domain/wording.js";
import type { MirrorPage, SampleFile } from "../../local/mirror/render.js";
import { renderMirrorSite } from "../../local/mirror/render.js";
import { BULLETIN_SAMPLES_DIR } from "../../local/mirror/render-bulletin.js";
import { SAMPLES_DIR } from "../../local/mirror/render-commodity.js";
import { type BenchCurrency, type BenchPeriod, benchSamplesCsv, releasePeriods } from "./table4-site.js";

export const SITE_CURRENCIES: readonly BenchCurrency[] = ["USD", "CNY"];
const COMMODITY_SAMPLE = "major-imports-2026-05-cny.csv";
const BULLETIN_SAMPLE = "bulletin-2023-08-usd.html";

const pad = (n: number) => String(n).padStart(2, "0");

/** Tables (5) and (6) for one month and currency, from the commodity sample. */
function commodityFiles(p: BenchPeriod, currency: BenchCurrency, sample: string): SampleFile[] {
  const parsed = Papa.parse<Record<string, string>>(sample, { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  const period = `${p.year}-${pad(p.month)}`;
  const posted = p.month === 12 ? `${p.year + 1}-01-10` : `${p.year}-${pad(p.month + 1)}-10`;
  return (["exports", "imports"] as const).map((flow) => {
    const rows = parsed.data.map((r) => ({
      ...r,
      period,
      flow,
      table_currency: currency,
      value_unit: currency === "USD" ? "USD1 Million" : "CNY 100 Million",
      source_date: posted,
    }));
    return {
      name: `bench-major-${flow}-${period}-${currency.toLowerCase()}.csv`,
      text: Papa.unparse(rows, { columns: fields }),
    };
  });
}

/** The Bulletin's by-country table for one month and currency, from the Bulletin sample. */
function bulletinFile(p: BenchPeriod, currency: BenchCurrency, sample: string): SampleFile {
  const m = p.month;
  const posted = m === 12 ? `${p.year + 1}/01/20` : `${p.year}/${pad(m + 1)}/20`;
  let text = sample
    .replaceAll("August 2023 (in USD)", `${MONTH_NAMES[m - 1]} ${p.year} (in ${currency})`)
    .replaceAll("<b>1-to-8</b>", `<b>1-to-${m}</b>`)
    .replaceAll("<b>8</b>", `<b>${m}</b>`)
    .replaceAll("1-to-8 Total", `1-to-${m} Total`)
    .replace(/<div class="atcl-date">[^<]*<\/div>/, `<div class="atcl-date">${posted}</div>`);
  if (currency === "CNY") text = text.replace("Unit: US$1,000", "Unit: CNY 10,000");
  return { name: `bench-bulletin-${p.year}-${pad(m)}-${currency.toLowerCase()}.html`, text };
}

export interface ReleaseSite {
  site: Map<string, MirrorPage>;
  periods: BenchPeriod[];
  /** Release pages (not indexes) by kind. */
  pages: { table4: number; commodity: number; bulletin: number };
}

/** Every release from `from` to `to` inclusive ("2018-02" … "2026-09"; Jan–Feb as one). */
export function releaseSite(from: string, to: string, currentYear: number): ReleaseSite {
  const periods = releasePeriods(from, to);
  const commoditySample = readFileSync(new URL(COMMODITY_SAMPLE, SAMPLES_DIR), "utf8");
  const bulletinSample = readFileSync(new URL(BULLETIN_SAMPLE, BULLETIN_SAMPLES_DIR), "utf8");
  const single = periods.filter((p) => !p.janFeb);
  const commoditySamples = single.flatMap((p) =>
    SITE_CURRENCIES.flatMap((c) => commodityFiles(p, c, commoditySample)),
  );
  const bulletinSamples = single.flatMap((p) =>
    SITE_CURRENCIES.map((c) => bulletinFile(p, c, bulletinSample)),
  );
  const site = renderMirrorSite({
    samplesCsv: benchSamplesCsv(periods, undefined, undefined, SITE_CURRENCIES),
    currentYear,
    firstYear: Math.min(...periods.map((p) => p.year)),
    commoditySamples,
    bulletinSamples,
  });
  return {
    site,
    periods,
    pages: {
      table4: periods.length * SITE_CURRENCIES.length,
      commodity: commoditySamples.length,
      bulletin: bulletinSamples.length,
    },
  };
}

/** Months of a span counted as the issue counts them (Jan–Feb as two). */
export function monthsIn(periods: BenchPeriod[]): number {
  return periods.reduce((n, p) => n + (p.janFeb ? 2 : 1), 0);
}
