/**
 * Five-plus years of monthly table (4) releases in GACC's layout, for the write and publish
 * benchmarks. The figures are made up (seeded, reproducible) but consistent the way real pages are:
 * exports + imports = total exactly at the page's precision, the year-to-date is the sum of the
 * months, January and February come out once as one release, and the printed YTD y/y is computed from
 * last year's YTD. The 30 rows are those of GACC's real page (countries, groupings and `of which:`
 * members), so every row maps to the partner registry.
 *
 * The pages are rendered by the project's own mirror renderer (local/mirror/render.ts) from a sample
 * CSV in its published-figures format, so they have exactly the layout the fetch and normalize stages
 * read in production.
 */
import Papa from "papaparse";
import { type MirrorPage, renderMirrorSite, SAMPLE_COLUMNS } from "../../local/mirror/render.js";
import { seededRandom } from "../../test/support/random.js";

/** The rows of GACC's table (4), in its order, with a rough share of China's trade. */
const ROWS: Array<[name: string, share: number]> = [
  ["Total", 1],
  ["European Union", 0.13],
  ["of which: Germany", 0.035],
  ["Netherlands", 0.02],
  ["France", 0.013],
  ["Italy", 0.01],
  ["United States (US)", 0.11],
  ["ASEAN", 0.15],
  ["of which: Vietnam", 0.045],
  ["Malaysia", 0.03],
  ["Thailand", 0.02],
  ["Singapore", 0.018],
  ["Indonesia", 0.022],
  ["Philippines", 0.012],
  ["Japan", 0.052],
  ["Hong Kong, China", 0.05],
  ["R. O. Korea", 0.05],
  ["Taiwan, China", 0.045],
  ["Australia", 0.035],
  ["Russian Federation", 0.04],
  ["India", 0.02],
  ["United Kingdom (UK)", 0.016],
  ["Canada", 0.01],
  ["New Zealand", 0.003],
  ["Latin America", 0.08],
  ["of which: Brazil", 0.03],
  ["Africa", 0.047],
  ["of which: South Africa", 0.009],
  ["Regional Comprehensive Economic Partnership", 0.3],
  ["Jointly build the countries along Belt and Road Routes", 0.47],
];

export const PARTNER_ROWS = ROWS.length;
export const BENCH_CURRENCY = "USD";
/**
 * Each currency's table as GACC prints it: its unit, and China's monthly trade in tenths of that unit
 * (~USD 500 billion, ~CNY 3.55 trillion).
 */
const CURRENCY_TABLES = {
  USD: { unit: "USD1 Million", worldMonthTenths: 5_000_000 },
  CNY: { unit: "CNY 100 Million", worldMonthTenths: 355_000 },
} as const;
export type BenchCurrency = keyof typeof CURRENCY_TABLES;
const SOURCE_URL = "https://example.invalid/gacc-trade-charts/bench";

/** A release period: "2023-01/02" (January–February, one release) or "2023-08". */
export interface BenchPeriod {
  period: string;
  year: number;
  /** Last month covered: 2 for January–February. */
  month: number;
  janFeb: boolean;
}

/** Every release from `from` to `to` inclusive ("2021-05" … "2026-09"), Jan–Feb as one. */
export function releasePeriods(from: string, to: string): BenchPeriod[] {
  const out: BenchPeriod[] = [];
  const [fy = 0, fm = 0] = from.split("-").map(Number);
  const [ty = 0, tm = 0] = to.split("-").map(Number);
  for (let y = fy; y <= ty; y++) {
    for (let m = 2; m <= 12; m++) {
      if ((y === fy && m < Math.max(fm, 2)) || (y === ty && m > tm)) continue;
      const mm = String(m).padStart(2, "0");
      out.push({ period: m === 2 ? `${y}-01/02` : `${y}-${mm}`, year: y, month: m, janFeb: m === 2 });
    }
  }
  return out;
}

export interface Revision {
  /** Month revised ("2026-09"); its YTD and the later YTDs of the year move with it. */
  period: string;
  partner: string;
  flow: "exports" | "imports";
  /** Change in tenths of USD 1 million. */
  deltaTenths: number;
}

type Flow = "exports" | "imports";

/** Month values in tenths, per partner and flow, keyed "YYYY-MM" (Jan and Feb separately). */
function monthTable(
  firstYear: number,
  lastYear: number,
  seed: number,
  worldMonthTenths: number,
): Map<string, Record<Flow, number>[]> {
  const rand = seededRandom(seed);
  const table = new Map<string, Record<Flow, number>[]>();
  for (let y = firstYear; y <= lastYear; y++) {
    for (let m = 1; m <= 12; m++) {
      const growth = 1.04 ** (y - 2020 + m / 12);
      const season = m <= 2 ? 0.85 : m >= 10 ? 1.08 : 1;
      table.set(
        `${y}-${String(m).padStart(2, "0")}`,
        ROWS.map(([, share]) => {
          const base = worldMonthTenths * share * growth * season;
          return {
            exports: Math.max(1, Math.round(base * 0.58 * (0.85 + 0.3 * rand()))),
            imports: Math.max(1, Math.round(base * 0.42 * (0.85 + 0.3 * rand()))),
          };
        }),
      );
    }
  }
  return table;
}

const tenthsText = (t: number) => `${Math.floor(t / 10)}.${t % 10}`;
const yoyText = (now: number, before: number | undefined) =>
  before ? ((now / before - 1) * 100).toFixed(1) : "";

/**
 * The sample CSV (local/mirror's published-figures format) for every release in `periods`, with the
 * revision applied, in each of `currencies` (default USD only).
 */
export function benchSamplesCsv(
  periods: BenchPeriod[],
  revision?: Revision,
  seed = 20260101,
  currencies: readonly BenchCurrency[] = [BENCH_CURRENCY],
): string {
  const rows = currencies.flatMap((c) => currencyRows(periods, revision, seed, c));
  return Papa.unparse(rows, { columns: [...SAMPLE_COLUMNS] });
}

function currencyRows(
  periods: BenchPeriod[],
  revision: Revision | undefined,
  seed: number,
  currency: BenchCurrency,
): Array<Record<string, string>> {
  const { unit, worldMonthTenths } = CURRENCY_TABLES[currency];
  const years = periods.map((p) => p.year);
  const first = Math.min(...years) - 1; // last year's YTD for the printed y/y
  const months = monthTable(first, Math.max(...years), seed, worldMonthTenths);
  if (revision) {
    const row = ROWS.findIndex(([name]) => name === revision.partner);
    const cell = months.get(revision.period)?.[row];
    if (!cell) throw new Error(`No figures for ${revision.partner} in ${revision.period}`);
    cell[revision.flow] += revision.deltaTenths;
  }
  /** Year-to-date to `month` (tenths) for one row and flow. */
  const ytd = (year: number, month: number, row: number, flow: Flow) => {
    let sum = 0;
    for (let m = 1; m <= month; m++) {
      const cell = months.get(`${year}-${String(m).padStart(2, "0")}`)?.[row];
      if (!cell) return undefined;
      sum += cell[flow];
    }
    return sum;
  };
  const rows: Array<Record<string, string>> = [];
  for (const p of periods) {
    ROWS.forEach(([partner], row) => {
      const figure = (kind: string, flow: Flow | "total", tenths: number, yoy: string) =>
        rows.push({
          period: p.period,
          period_kind: kind,
          table_currency: currency,
          partner_as_printed: partner,
          flow,
          value: tenthsText(tenths),
          unit,
          yoy_pct: yoy,
          source_url: SOURCE_URL,
          source_outlet: "Synthetic benchmark figures (bench/lib/table4-site.ts)",
          source_date: `${p.year}-${String(p.month).padStart(2, "0")}-28`,
          note: "",
        });
      const ytdOf = (year: number, flow: Flow | "total") =>
        flow === "total"
          ? (ytd(year, p.month, row, "exports") ?? 0) + (ytd(year, p.month, row, "imports") ?? 0)
          : ytd(year, p.month, row, flow);
      for (const flow of ["total", "exports", "imports"] as const) {
        const now = ytdOf(p.year, flow) ?? 0;
        const yoy = yoyText(now, ytdOf(p.year - 1, flow));
        if (p.janFeb) {
          figure("jan_feb", flow, now, yoy);
          continue;
        }
        const cell = months.get(`${p.year}-${String(p.month).padStart(2, "0")}`)?.[row];
        const month = flow === "total" ? (cell?.exports ?? 0) + (cell?.imports ?? 0) : (cell?.[flow] ?? 0);
        figure("month", flow, month, "");
        figure("ytd", flow, now, yoy);
      }
    });
  }
  return rows;
}

/** The whole mirror site (index pages and release pages) for these releases. */
export function benchSite(
  periods: BenchPeriod[],
  options: { currentYear: number; revision?: Revision },
): Map<string, MirrorPage> {
  return renderMirrorSite({
    samplesCsv: benchSamplesCsv(periods, options.revision),
    currentYear: options.currentYear,
    firstYear: Math.min(...periods.map((p) => p.year)),
    commoditySamples: [],
    bulletinSamples: [],
  });
}
