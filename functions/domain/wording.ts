/**
 * Words for editors: the one place that says how releases, periods, currencies, amounts, statuses,
 * held-back reasons, runs and the pipeline's state are put in what an editor reads. The API, the CLI
 * (local/cli.ts) and the console (bundled to console/build/wording.js by infra/console-bundle.ts) all
 * call these functions, so an editor reads the same sentence everywhere. Plain functions over plain
 * data (structural types: the console has no access to the pipeline's modules); no engineer
 * vocabulary (ids, stage names, counts) in headlines: those go under "Details".
 */
import type { Currency, Resolution } from "./model.js";
import { comparePeriods } from "./periods.js";

/** Month names, January first: the one list that charts, sentences and editors' messages use. */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/**
 * "2023-09" → "September 2023"; "2023-01/02" → "January–February 2023" (without the year when
 * `withYear` is false); anything that is not a period as given.
 */
export function periodName(period: string, withYear = true): string {
  const m = /^(\d{4})-(\d{2})(?:\/(\d{2}))?$/.exec(period);
  const from = m ? MONTH_NAMES[Number(m[2]) - 1] : undefined;
  const to = m?.[3] === undefined ? undefined : MONTH_NAMES[Number(m[3]) - 1];
  if (!m || !from || (m[3] !== undefined && !to)) return period;
  const name = to ? `${from}–${to}` : from;
  return withYear ? `${name} ${m[1]}` : name;
}

/** Year to date up to a month: "2023-08" → "January–August 2023". */
export function yearToDateName(period: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(period);
  const month = m ? MONTH_NAMES[Number(m[2]) - 1] : undefined;
  if (!m || !month) return period;
  return m[2] === "01" ? `January ${m[1]}` : `January–${month} ${m[1]}`;
}

export function currencyName(c: Currency | string): string {
  return c === "USD" ? "US dollars" : c === "CNY" ? "yuan" : c;
}

const SOURCE_NAMES: Record<string, string> = {
  "gacc-preliminary": "Preliminary release",
  "gacc-bulletin": "Monthly Bulletin",
  "gacc-query-platform": "Query-platform export",
};

const TABLE_NAMES: Record<string, string> = {
  "by-country": "by country",
  "bulletin-by-country": "by country",
  "major-exports-by-quantity": "major exports",
  "major-imports-by-quantity": "major imports",
  "query-platform": "",
};

export interface NamedRelease {
  source: string;
  table: string;
  currency: string;
  period: string;
  declaredFlow?: string | undefined;
  fileName?: string | undefined;
  acceptance?: { resolution?: Resolution | undefined } | undefined;
}

/** The currency a release's figures are in: the editor's choice when they resolved a conflict. */
export function releaseCurrency(r: NamedRelease): string {
  return r.acceptance?.resolution?.currency?.currency ?? r.currency;
}

/**
 * A release as GACC names it: "Preliminary release, by country, September 2023, in US dollars";
 * an upload: "Query-platform export of China's imports, to August 2023 (harukaworks.csv)".
 */
export function releaseName(r: NamedRelease): string {
  const source = SOURCE_NAMES[r.source] ?? r.source;
  if (r.source === "gacc-query-platform") {
    const flow = r.declaredFlow ? ` of China's ${r.declaredFlow}` : "";
    return `${source}${flow}, to ${periodName(r.period)}${r.fileName ? ` (${r.fileName})` : ""}`;
  }
  const table = TABLE_NAMES[r.table] ?? r.table;
  return [source, table, periodName(r.period), `in ${currencyName(releaseCurrency(r))}`]
    .filter(Boolean)
    .join(", ");
}

/** How an accepted release was read, in words: "read in US dollars, as its title says". */
export function resolutionText(resolution: Resolution | undefined): string {
  const c = resolution?.currency;
  if (!c) return "figures used as printed";
  return `read in ${currencyName(c.currency)}, as its ${c.choice === "title" ? "title" : "unit row"} says`;
}

// ---- amounts ---------------------------------------------------------------------------------------

/** One decimal, thousands separators: 1234.56 → "1,234.6". */
export function oneDecimal(value: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** How an amount's currency is written before the number, as the charts' unit labels write it. */
function currencyPrefix(currency: string): string {
  return currency === "USD" ? "US$" : currency === "CNY" ? "CNY " : currency ? `${currency} ` : "";
}

/**
 * An amount in base units (dollars, yuan) as the charts show it: currency, scale word, separators,
 * one decimal. 17630000000000 CNY → "CNY 17,630.0 billion"; 11530000000 USD → "US$11.5 billion";
 * below a million, whole units: 12345 → "CNY 12,345". `decimals` only for amountPair.
 */
export function amountText(value: number, currency: string, decimals = 1): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  const prefix = currencyPrefix(currency);
  const fixed = (x: number) =>
    x.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  if (abs >= 1e9) return `${sign}${prefix}${fixed(abs / 1e9)} billion`;
  if (abs >= 1e6) return `${sign}${prefix}${fixed(abs / 1e6)} million`;
  return `${sign}${prefix}${Math.round(abs).toLocaleString("en-US")}`;
}

/**
 * Two amounts an editor compares, as the charts show them, with a second or third decimal only
 * where one would print them the same ("US$19.48 billion" against "US$19.49 billion").
 */
export function amountPair(a: number, b: number, currency: string): [string, string] {
  let pair: [string, string] = [amountText(a, currency), amountText(b, currency)];
  for (let d = 2; d <= 3 && a !== b && pair[0] === pair[1]; d++)
    pair = [amountText(a, currency, d), amountText(b, currency, d)];
  return pair;
}

const QUANTITY_UNIT_NAMES: Record<string, [one: string, many: string]> = {
  ton: ["tonne", "tonnes"],
  kg: ["kg", "kg"],
  m3: ["cubic metre", "cubic metres"],
  piece: ["piece", "pieces"],
  set: ["set", "sets"],
  pair: ["pair", "pairs"],
  vehicle: ["vehicle", "vehicles"],
};

/** A quantity in its base unit, with scale word and separators: 12345678 "ton" → "12.3 million tonnes". */
export function quantityText(value: number, unit: string): string {
  const [one, many] = QUANTITY_UNIT_NAMES[unit] ?? [unit, unit];
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${oneDecimal(value / 1e9)} billion ${many}`;
  if (abs >= 1e6) return `${oneDecimal(value / 1e6)} million ${many}`;
  const n = value.toLocaleString("en-US", { maximumFractionDigits: 1 });
  return `${n} ${abs === 1 ? one : many}`;
}

/** @deprecated name kept for callers: see amountText. */
export const baseAmount = amountText;

/** The multiplier a chart's unit label names: "US$ billion" → 1e9, "CNY 100 million" → 1e8. */
function labelMultiplier(scale: string): number | undefined {
  const m = /^(\d[\d,]*)?\s*(billion|million|thousand)?$/.exec(scale.trim());
  if (!m || (!m[1] && !m[2])) return undefined;
  const n = m[1] ? Number(m[1].replace(/,/g, "")) : 1;
  const word = m[2] === "billion" ? 1e9 : m[2] === "million" ? 1e6 : m[2] === "thousand" ? 1e3 : 1;
  return n * word;
}

/**
 * A chart value with the chart's unit label, as a sentence says it: 11.53 "US$ billion" →
 * "US$11.5 billion"; 1763.2 "CNY 100 million" → "CNY 176.3 billion". Quantities keep their unit.
 */
export function chartAmount(value: number, unitLabel: string): string {
  const m = /^(US\$|CNY)\s*(.*)$/.exec(unitLabel);
  const multiplier = m ? labelMultiplier(m[2] ?? "") : undefined;
  if (m?.[1] && multiplier !== undefined)
    return amountText(value * multiplier, m[1] === "US$" ? "USD" : "CNY");
  return `${oneDecimal(value)} ${unitLabel}`.trim();
}

/** "Imports from Russia, 2023-10" → "Imports from Russia, October 2023": periods in labels named. */
export function labelText(label: string): string {
  return label.replace(/\b\d{4}-\d{2}(?:\/\d{2})?\b/g, (p) => periodName(p));
}

export const plural = (n: number, word: string, many = `${word}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? word : many}`;

const capital = (s: string) => (s ? `${s[0]?.toUpperCase()}${s.slice(1)}` : s);
/** Lower-cases a sentence's first word when it is a common word ("The", "Row"), never a name ("China"). */
const COMMON_FIRST =
  /^(The|A|An|Row|No|Every|This|These|Its|Line|Column|Checking|Reading|Saving|Updating|Nothing)\b/;
const lowerFirst = (s: string) => (COMMON_FIRST.test(s) ? `${s[0]?.toLowerCase()}${s.slice(1)}` : s);
const sentence = (s: string) => {
  const t = capital(s.trim());
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

// ---- dates -----------------------------------------------------------------------------------------

const SHORT_MONTHS = MONTH_NAMES.map((m) => m.slice(0, 3));

/** A moment as editors read it, the same in API, CLI and console: "30 Nov 2026, 23:40 UTC". */
export function momentText(iso: string | null | undefined): string {
  if (!iso) return "never";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getUTCHours()).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  return `${d.getUTCDate()} ${SHORT_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

/** The calendar day an ISO time names, in its own offset (Beijing for GACC's calendar): "7 Dec 2026". */
export function dayText(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${SHORT_MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** A release window: "7–14 Dec 2026"; across months or years, both days in full. */
export function windowText(from: string, by: string): string {
  const a = dayText(from);
  const b = dayText(by);
  const [da, ...ra] = a.split(" ");
  const [db, ...rb] = b.split(" ");
  return ra.join(" ") === rb.join(" ") ? `${da}–${db} ${rb.join(" ")}` : `${a} – ${b}`;
}

// ---- statuses in words -----------------------------------------------------------------------------

/** Badges in words. The API's status codes stay in the data (and in "Details"). */
const STATUS_WORDS: Record<string, Record<string, string>> = {
  run: {
    running: "Running",
    succeeded: "Done",
    "needs-attention": "Needs an editor",
    failed: "Failed",
  },
  release: {
    fetched: "Waiting to be read",
    normalizing: "Being read",
    normalized: "In the data",
    quarantined: "Held back for review",
    accepted: "Accepted by an editor",
  },
  stage: { pending: "Waiting", running: "Working", done: "Done", skipped: "Skipped", failed: "Failed" },
  audit: {
    started: "Started",
    succeeded: "Done",
    "needs-attention": "Needs an editor",
    failed: "Failed",
    refused: "Refused",
  },
  chart: { held: "Held back for review" },
};

export type StatusKind = "run" | "release" | "stage" | "audit" | "chart";

/** "needs-attention" → "Needs an editor", "quarantined" → "Held back for review". */
export function statusWord(kind: StatusKind, status: string): string {
  return STATUS_WORDS[kind]?.[status] ?? capital(status.replace(/-/g, " "));
}

/** What each stage of a run does, in words. */
const STAGE_WORDS: Record<string, string> = {
  fetch: "Checking GACC's website",
  store: "Saving the file",
  normalize: "Reading the figures",
  publish: "Updating the charts",
};

export function stageWord(stage: string): string {
  return STAGE_WORDS[stage] ?? capital(stage);
}

const RUN_KIND_WORDS: Record<string, string> = {
  refresh: "Check of GACC's website",
  upload: "Upload",
  accept: "Acceptance of a held-back release",
  "accept-chart": "Acceptance of a held-back chart",
};

/** "refresh" → "Check of GACC's website". */
export function runKindWord(kind: string): string {
  return RUN_KIND_WORDS[kind] ?? capital(kind);
}

const AUDIT_ACTION_WORDS: Record<string, string> = {
  refresh: "Checked GACC's website",
  upload: "Uploaded a file",
  accept: "Accepted a held-back release",
  "accept-chart": "Accepted a held-back chart",
};

export function auditActionWord(action: string): string {
  return AUDIT_ACTION_WORDS[action] ?? capital(action);
}

// ---- held-back reasons -----------------------------------------------------------------------------

/** A check's finding as the checks record it: the message, and the raw values it is about. */
export interface FindingLike {
  check: string;
  message: string;
  code?: string | undefined;
  currencies?: { title: string; unitRow: string } | undefined;
  /** Raw amounts in base units (dollars, yuan), for "Details" and for re-wording. */
  amounts?: Record<string, number> | undefined;
  currency?: string | undefined;
  /** Where on the page: 'Row 12 ("Russian Federation")'. */
  row?: string | undefined;
}

/**
 * A finding in plain words, for a release of `period` when given. The currency conflict is said
 * from its structured currencies; amounts come formatted from the checks (checkFlowsAddUp…), whose
 * messages this module words (flowsAddUpText, monthWithinYtdText); other messages as recorded.
 */
export function findingText(f: FindingLike, period?: string): string {
  if (f.check === "currency-agrees" && f.currencies) {
    const table = period ? `the ${periodName(period)} table` : "the table";
    return `${table} says ${currencyName(f.currencies.title)} in its title but ${currencyName(f.currencies.unitRow)} in its unit row, so its numbers can't be trusted`;
  }
  return f.message;
}

/**
 * The flows-add-up finding's words: which row, which months, the two sides as the charts show
 * them. Amounts are base units in `currency` (kept raw in the finding's `amounts` for "Details").
 * `span`: the months compared, a period ("2023-08", "2023-01/02") or a year to date ("to 2023-08").
 */
export function flowsAddUpText(
  row: string,
  v: { exportsPlusImports: number; total: number; gap: number },
  span: string,
  currency: string,
): string {
  const [sum, total] = amountPair(v.exportsPlusImports, v.total, currency);
  return `${row}: exports plus imports ${spanText(span)} come to ${sum} but the table's total says ${total}, ${amountText(v.gap, currency)} apart, more than rounding explains`;
}

/** "2023-08" → "in August 2023"; "to 2023-08" → "in January–August 2023". */
function spanText(span: string): string {
  return span.startsWith("to ") ? `in ${yearToDateName(span.slice(3))}` : `in ${periodName(span)}`;
}

/**
 * The month-within-ytd finding's words: "Row 12 ("Russia"): the figure for exports in August 2023
 * (US$10.0 million) is larger than the year-to-date figure for January–August 2023 (US$4.0 million),
 * which cannot be…". `what` names the
 * figure ("exports", "the value of exports"); `amount` formats it (amountText, quantityText).
 */
export function monthWithinYtdText(
  row: string,
  what: string,
  v: { month: number; yearToDate: number },
  month: string,
  amount: (x: number) => string,
): string {
  return `${row}: the figure for ${what} in ${periodName(month)} (${amount(v.month)}) is larger than the year-to-date figure for ${yearToDateName(month)} (${amount(v.yearToDate)}), which cannot be: a column is misread, or GACC printed the two the wrong way round`;
}

/** The large-yoy warning's words: "Row 3 ("Russia"): GACC prints exports in January–August 2023 as up 150.2% on a year earlier…". */
export function largeYoyText(row: string, what: string, pct: number, month: string): string {
  const change = `${pct < 0 ? "down" : "up"} ${oneDecimal(Math.abs(pct))}%`;
  return `${row}: GACC prints ${what} in ${yearToDateName(month)} as ${change} on a year earlier, beyond ±100%; check last year's figure before printing`;
}

/** The yoy-recomputed warning's words, the two figures as the charts show them. */
export function yoyRecomputedText(
  row: string,
  what: string,
  printedPct: string,
  v: { current: number; prior: number },
  amount: (x: number) => string,
): string {
  return `${row}: GACC prints the year-on-year change in ${what} as ${printedPct}%, which does not follow from ${amount(v.current)} this year against ${amount(v.prior)} a year earlier (beyond rounding): GACC may have revised last year's figure, or a column is misread`;
}

/** The distinct findings in words (a page's title and title row may say the same thing twice). */
export function reasonTexts(reasons: FindingLike[], period?: string): string[] {
  return [...new Set(reasons.map((r) => sentence(findingText(r, period))))];
}

/**
 * A held-back release's headline: "Held back: the September 2023 table says US dollars in its
 * title but yuan in its unit row, so its numbers can't be trusted. Charts are unchanged."
 */
export function heldBackHeadline(r: { period: string; reasons: FindingLike[] }): string {
  const texts = reasonTexts(r.reasons, r.period);
  const first = texts[0] ?? "a check failed.";
  const more = texts.length > 1 ? ` ${capital(plural(texts.length - 1, "more problem"))} below.` : "";
  return `Held back: ${lowerFirst(first)}${more} Charts are unchanged.`;
}

// ---- runs ------------------------------------------------------------------------------------------

/** What a run reports, as far as its words need (the API's RunRecord has this shape). */
export interface RunLike {
  runId?: string;
  kind: string;
  status: string;
  requestedBy?: { name: string } | undefined;
  startedAt?: string | undefined;
  stages?: Array<{ name: string; status: string; message?: string | undefined }> | undefined;
  result?:
    | {
        releasesChanged?: number | undefined;
        releases?:
          | Array<{
              releaseId: string;
              status: string;
              observationsWritten?: number;
              /** What the release's figures hold, and which charts draw them (charts/usage.ts). */
              chartUse?: { held?: { text?: string } } | undefined;
              /** In words: which charts the run changed with them, or why none and which chart would. */
              effect?: string | undefined;
            }>
          | undefined;
        quarantined?: Array<{ releaseId: string; reasons: FindingLike[] }> | undefined;
        chartChanges?:
          | Array<{
              chartId: string;
              title: string;
              counts: { newPoints: number; revisions: number; removedPoints: number };
            }>
          | undefined;
        errors?: Array<{ stage: string; code: string; message: string }> | undefined;
        summary?: string | undefined;
      }
    | undefined;
}

/** What changed in one chart, in words: "2 new figures, 1 revised". */
export function chartChangeText(counts: {
  newPoints: number;
  revisions: number;
  removedPoints: number;
}): string {
  const parts = [
    counts.newPoints ? plural(counts.newPoints, "new figure") : "",
    counts.revisions ? `${plural(counts.revisions, "figure")} revised` : "",
    counts.removedPoints ? `${plural(counts.removedPoints, "figure")} removed` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no change";
}

/**
 * A run in one or two plain sentences: what happened to the news, and to the charts.
 * `nameOf` turns a release id into its GACC name (the status lists every release's name).
 */
export function runHeadline(run: RunLike, nameOf: (releaseId: string) => string = (id) => id): string {
  if (run.status === "running") {
    const stage = run.stages?.find((s) => s.status === "running");
    return stage ? `Working: ${lowerFirst(stageWord(stage.name))}…` : "Starting…";
  }
  const r = run.result;
  if (!r) return run.status === "failed" ? "The run failed before it could report." : "";
  const outage = r.errors?.find((e) => e.code === "UPSTREAM_UNREACHABLE");
  if (outage) return outage.message;
  const parts: string[] = [];
  const held = r.quarantined ?? [];
  const heldIds = new Set(held.map((q) => q.releaseId));
  const read = (r.releases ?? []).filter((x) => !heldIds.has(x.releaseId));
  if (run.kind === "refresh") {
    const n = r.releasesChanged ?? read.length + held.length;
    parts.push(
      n === 0 ? "Nothing new from GACC." : `${capital(plural(n, "new or revised release"))} from GACC.`,
    );
  } else if (run.kind === "upload") {
    const first = r.releases?.[0];
    if (first && !heldIds.has(first.releaseId)) {
      // What the file held, unless its effect says it already (said once).
      const held = first.chartUse?.held?.text;
      const say = held && !first.effect?.includes(held) ? `: ${held}` : "";
      parts.push(`Read the ${nameOf(first.releaseId)}${say}.`);
    }
  } else if (run.kind === "accept") {
    const id = r.releases?.[0]?.releaseId;
    if (id) parts.push(`Accepted the ${nameOf(id)} after review.`);
  } else if (run.kind === "accept-chart") {
    parts.push("Accepted the held-back chart after review.");
  }
  for (const q of held) parts.push(`Held back for review: the ${nameOf(q.releaseId)}.`);
  for (const e of r.errors ?? [])
    parts.push(`Failed while ${lowerFirst(stageWord(e.stage))}: ${sentence(errorWords(e))}`);
  const changed = (r.chartChanges ?? []).filter(
    (c) => c.counts.newPoints + c.counts.revisions + c.counts.removedPoints > 0,
  );
  // An upload or an acceptance of one release: its effect says which charts it changed, or why none
  // changed and which chart would use such figures.
  const effect = run.kind === "refresh" ? undefined : (r.releases ?? []).find((x) => x.effect)?.effect;
  parts.push(
    effect
      ? sentence(effect)
      : changed.length === 0
        ? "Charts are unchanged."
        : `Charts updated: ${changed.map((c) => `${c.title} (${chartChangeText(c.counts)})`).join("; ")}.`,
  );
  return parts.join(" ");
}

/**
 * A run's error in the headline: typed errors carry an editor's sentence; an unexpected one (a
 * library's own words, "TypeError: …") is said plainly, its words left to "Details".
 */
function errorWords(e: { code: string; message: string }): string {
  return e.code === "UNEXPECTED"
    ? "something went wrong on our side (what, for an engineer, is under Details); try again, and tell an engineer if it keeps happening"
    : e.message;
}

/** "Check of GACC's website by npm start, 30 Nov 2026, 23:40 UTC". */
export function runByline(run: RunLike): string {
  const by = run.requestedBy?.name ? ` by ${run.requestedBy.name}` : "";
  return `${runKindWord(run.kind)}${by}, ${momentText(run.startedAt)}`;
}

// ---- the status at a glance ------------------------------------------------------------------------

/** What the glance reads from GET /api/status (StatusView has this shape). */
export interface StatusLike {
  now: string;
  latestRun?: RunLike | null;
  releases: Array<{
    releaseId: string;
    name: string;
    period: string;
    status: string;
    fetchedAt: string;
    supersededBy?: string | undefined;
  }>;
  nextRelease: {
    period: string;
    expectedFrom: string;
    expectedBy: string;
    overdue: boolean;
    latestShown: string | null;
    upcoming: { period: string; expectedFrom: string; expectedBy: string };
  };
  heldCharts?: Array<{ chartId: string }> | undefined;
  charts?: Array<{ id: string; title?: string; state?: string | undefined }> | undefined;
}

export interface Glance {
  /** Are the charts up to date with GACC's calendar? */
  charts: { state: "up-to-date" | "behind" | "empty"; text: string };
  /** What came in last, and when. */
  lastIn: string;
  /** What GACC should publish next, by today's date and its calendar, and whether it is due. */
  next: { state: "not-due" | "due-now"; text: string };
  /** What needs an editor. */
  editor: { count: number; text: string };
}

/** The status in four lines an editor reads at a glance. */
export function statusGlance(st: StatusLike): Glance {
  const n = st.nextRelease;
  const now = Date.parse(st.now);
  let charts: Glance["charts"];
  if (!n.latestShown) {
    charts = { state: "empty", text: "No chart shows any figures yet." };
  } else if (n.overdue) {
    charts = {
      state: "behind",
      text: `Charts are behind: the latest month they show is ${periodName(n.latestShown)}. GACC's ${periodName(n.period)} figures were due by ${dayText(n.expectedBy)} and have not come in.`,
    };
  } else {
    charts = {
      state: "up-to-date",
      text: `Charts are up to date: they show figures to ${periodName(n.latestShown)}.`,
    };
  }

  const newest = [...st.releases]
    .filter((r) => !r.supersededBy)
    // Pages fetched in one run share a time: the latest month among them is what "came in".
    .sort((a, b) => b.fetchedAt.localeCompare(a.fetchedAt) || comparePeriods(b.period, a.period))[0];
  const lastIn = newest
    ? `Last in: the ${newest.name}, ${momentText(newest.fetchedAt)}${newest.status === "quarantined" ? " (held back for review)" : ""}.`
    : "Nothing has come in yet.";

  const u = n.upcoming;
  const open = Date.parse(u.expectedFrom) <= now && now <= Date.parse(u.expectedBy);
  const next: Glance["next"] = {
    state: open ? "due-now" : "not-due",
    text: `Next from GACC: ${periodName(u.period)} figures, expected ${windowText(u.expectedFrom, u.expectedBy)}${open ? " — due now" : ""}.`,
  };

  const heldReleases = st.releases.filter((r) => r.status === "quarantined" && !r.supersededBy);
  const heldCharts = st.heldCharts ?? [];
  const count = heldReleases.length + heldCharts.length;
  const failed = st.latestRun?.status === "failed";
  let editorText: string;
  if (count === 0) editorText = failed ? "The last run failed: see below." : "Nothing needs an editor.";
  else {
    const what = [
      heldReleases.length === 1
        ? `the ${heldReleases[0]?.name}`
        : heldReleases.length
          ? plural(heldReleases.length, "release")
          : "",
      heldCharts.length ? plural(heldCharts.length, "chart") : "",
    ].filter(Boolean);
    editorText = `Needs an editor: ${what.join(" and ")} ${count === 1 ? "is" : "are"} held back for review.`;
  }
  return { charts, lastIn, next, editor: { count: count + (failed ? 1 : 0), text: editorText } };
}

/** A chart that has no figures yet, in words: "Awaiting data: <why>". */
export function awaitingText(reason: string | undefined): string {
  return reason
    ? `Awaiting data: ${lowerFirst(reason.trim())}`
    : "Awaiting data: no figures for this chart have come in yet.";
}
