/**
 * Which charts a set of figures feeds, from the chart definitions alone: given the observations a
 * release (an upload, an accepted page) holds, the charts with a series made of them, and — when
 * none — the charts that would use figures like them if they had another flow, partner, commodity
 * or currency, with what exactly those charts need. So an editor whose upload changed nothing is
 * told why, and where such figures would go.
 *
 * Static: it says what the definitions draw, not whether a point moved (the run's chart changes say
 * that). A top-partners chart draws only its latest month; that is said in its words.
 */
import type { Currency, Flow, ObservationKind } from "../model.js";
import { partners } from "../partners.js";
import { chartChangeText, currencyName, periodName, plural } from "../wording.js";
import { CHART_DEFINITIONS, type ChartDefinition } from "./definitions.js";

/** The parts of an observation that decide which chart it belongs to. */
export interface FigureKey {
  partner: { code: string; isGrouping?: boolean | undefined };
  flow: Flow;
  commodity: string;
  commodityLabel?: string | undefined;
  currency: Currency | string;
  kind: ObservationKind;
  period: string;
  quantity?: unknown;
}

/** What a set of figures holds, for an editor. */
export interface HeldFigures {
  figures: number;
  flows: Flow[];
  currencies: string[];
  /** Periods in order ("2023-01", "2023-01/02"), and in words ("January–December 2023"). */
  periods: string[];
  periodsText: string;
  /** Up to MAX_LISTED each, with how many there are in all. */
  partners: Array<{ code: string; name: string }>;
  partnerCount: number;
  commodities: Array<{ code: string; name: string }>;
  commodityCount: number;
  /** "China's imports of HS 12019019 from Argentina, Brazil and the United States, January–December 2023". */
  text: string;
}

export type Dimension = "flow" | "partner" | "commodity" | "currency" | "period-kind" | "quantity";

export interface ChartUse {
  held: HeldFigures;
  /** Charts with a series these figures are: publishing them can change these. */
  uses: Array<{ chartId: string; title: string; series: string[]; note?: string | undefined }>;
  /** When `uses` is empty: the charts that take figures like these, and what they would need. */
  wouldUse: Array<{ chartId: string; title: string; differs: Dimension[]; needs: string }>;
  /** One or two sentences for editors. */
  summary: string;
}

const MAX_LISTED = 8;

/** What one chart series draws. */
interface Want {
  def: ChartDefinition;
  series: string;
  /** A partner code, or "country" for ranked charts (any country, never a grouping). */
  partner: string;
  flow: Flow;
  commodity: string;
  currency: string;
  kinds: ObservationKind[];
  quantity: boolean;
}

function wantsOf(defs: ChartDefinition[]): Want[] {
  return defs.flatMap((def) =>
    def.series.map((s) => ({
      def,
      series: s.label,
      partner: def.type === "top-partners" ? "country" : (s.partner ?? "WORLD"),
      flow: s.flow,
      commodity: s.commodity,
      currency: s.currency ?? def.unit.currency ?? "",
      kinds: def.type === "ytd-by-year" ? ["ytd", "jan-feb"] : ["month", "jan-feb"],
      quantity: s.measure === "quantity",
    })),
  );
}

/** TOTAL, a named GACC group ("cat:…") or an HS code: figures of different families never mix. */
const family = (c: string) => (c === "TOTAL" ? "total" : c.startsWith("cat:") ? "group" : "hs");

const isCountry = (p: FigureKey["partner"]) =>
  p.code !== "WORLD" && !p.isGrouping && !partners.get(p.code)?.grouping;

function differences(k: FigureKey, w: Want): Dimension[] {
  const out: Dimension[] = [];
  if (k.flow !== w.flow) out.push("flow");
  if (w.partner === "country" ? !isCountry(k.partner) : k.partner.code !== w.partner) out.push("partner");
  if (k.commodity !== w.commodity) out.push("commodity");
  if (k.currency !== w.currency) out.push("currency");
  if (!w.kinds.includes(k.kind)) out.push("period-kind");
  if (w.quantity && k.quantity === undefined) out.push("quantity");
  return out;
}

// ---- words -------------------------------------------------------------------------------------

const FLOW_WORDS: Record<Flow, string> = { imports: "imports", exports: "exports", total: "total trade" };

function partnerName(code: string): string {
  if (code === "WORLD") return "all countries";
  const name = partners.shortName(code);
  return /^(United |Netherlands$|Philippines$|Czech Republic$)/.test(name) ? `the ${name}` : name;
}

function commodityName(code: string, label?: string): string {
  if (code === "TOTAL") return "all goods";
  if (code.startsWith("cat:")) return label ?? code.slice(4).replace(/-/g, " ");
  return code.length <= 2 ? `HS chapter ${code}` : `HS ${code}`;
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: string[], and = "and"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${and} ${items.at(-1)}`;
}

/** A list capped at MAX_LISTED, saying how many more ("and 1 other partner", "and 2 other partners"). */
function capped(items: string[], total: number, noun: string): string {
  if (total <= MAX_LISTED) return listWords(items);
  return `${items.slice(0, MAX_LISTED).join(", ")} and ${plural(total - MAX_LISTED, `other ${noun}`)}`;
}

const sortable = (p: string) => p.replace("01/02", "02");

function periodsText(periods: string[]): string {
  if (periods.length === 0) return "no period";
  const first = periods[0] as string;
  const last = periods.at(-1) as string;
  if (first === last) return periodName(first);
  if (first.slice(0, 4) === last.slice(0, 4)) {
    const from = periodName(first, false).split("–")[0];
    const to = periodName(last, false).split("–").at(-1);
    return `${from}–${to} ${first.slice(0, 4)}`;
  }
  return `${periodName(first)} to ${periodName(last)}`;
}

export function heldFigures(keys: FigureKey[]): HeldFigures {
  const flows = [...new Set(keys.map((k) => k.flow))].sort();
  const currencies = [...new Set(keys.map((k) => String(k.currency)))].sort();
  const periods = [...new Set(keys.map((k) => k.period))].sort((a, b) =>
    sortable(a).localeCompare(sortable(b)),
  );
  const partnerCodes = [...new Set(keys.map((k) => k.partner.code))].sort((a, b) =>
    partnerName(a).replace(/^the /, "").localeCompare(partnerName(b).replace(/^the /, "")),
  );
  const labels = new Map<string, string | undefined>();
  for (const k of keys) if (!labels.has(k.commodity)) labels.set(k.commodity, k.commodityLabel);
  const commodityCodes = [...labels.keys()].sort();
  const pNames = partnerCodes.map(partnerName);
  const cNames = commodityCodes.map((c) => commodityName(c, labels.get(c)));
  const flowText = listWords(flows.map((f) => FLOW_WORDS[f]));
  const what =
    commodityCodes.length === 1 && commodityCodes[0] === "TOTAL"
      ? ""
      : ` of ${capped(cNames, cNames.length, "product")}`;
  const where =
    flows.length === 1 && flows[0] === "exports"
      ? "to"
      : flows.length === 1 && flows[0] === "imports"
        ? "from"
        : "with";
  const text =
    keys.length === 0
      ? "no figures"
      : `China's ${flowText}${what} ${where} ${capped(pNames, pNames.length, "partner")}, ${periodsText(periods)}, in ${listWords(currencies.map(currencyName))}`;
  return {
    figures: keys.length,
    flows,
    currencies,
    periods,
    periodsText: periodsText(periods),
    partners: partnerCodes.slice(0, MAX_LISTED).map((code) => ({ code, name: partnerName(code) })),
    partnerCount: partnerCodes.length,
    commodities: commodityCodes
      .slice(0, MAX_LISTED)
      .map((code) => ({ code, name: commodityName(code, labels.get(code)) })),
    commodityCount: commodityCodes.length,
    text,
  };
}

/** What a chart's series (those `wants`) need, in the dimensions that differ: "imports from Russia". */
function needsText(wants: Want[], differs: Dimension[], keys: FigureKey[]): string {
  const def = wants[0]?.def as ChartDefinition;
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  const parts: string[] = [];
  if (differs.includes("flow")) parts.push(listWords(uniq(wants.map((w) => FLOW_WORDS[w.flow])), "or"));
  if (differs.includes("commodity")) {
    const codes = uniq(wants.map((w) => w.commodity));
    const hs = codes.filter((c) => family(c) === "hs");
    const finer =
      hs.length > 0 && keys.some((k) => hs.some((c) => k.commodity.startsWith(c) && k.commodity !== c));
    const names =
      hs.length === codes.length && hs.length > 1
        ? `HS chapters ${listWords(hs, "or")}`
        : listWords(
            codes.map((c) => commodityName(c)),
            "or",
          );
    parts.push(`of ${names}${finer ? " (exported at the 2-digit chapter level, not finer codes)" : ""}`);
  }
  if (differs.includes("partner")) {
    const ps = uniq(wants.map((w) => w.partner));
    parts.push(
      ps.includes("country")
        ? "by country"
        : `${wants[0]?.flow === "exports" ? "to" : "from"} ${listWords(ps.map(partnerName), "or")}`,
    );
  }
  if (differs.includes("currency"))
    parts.push(`in ${currencyName(def.unit.currency ?? wants[0]?.currency ?? "")}`);
  if (differs.includes("period-kind"))
    parts.push(def.type === "ytd-by-year" ? "as year-to-date totals" : "as monthly figures");
  if (differs.includes("quantity")) parts.push("with quantities");
  return parts.join(" ");
}

/**
 * Which charts (definitions) the figures feed, and if none, which would use such figures and what
 * they would need. `keys` are the figures' observations (or anything with the same fields).
 */
export function chartUseOf(keys: FigureKey[], defs: ChartDefinition[] = CHART_DEFINITIONS): ChartUse {
  const held = heldFigures(keys);
  // Distinct keys: thousands of rows reduce to a few partner × flow × commodity combinations.
  const distinct = new Map<string, FigureKey>();
  for (const k of keys) {
    const id = `${k.partner.code}|${k.flow}|${k.commodity}|${k.currency}|${k.kind}|${k.quantity === undefined ? 0 : 1}`;
    if (!distinct.has(id)) distinct.set(id, k);
  }
  const wants = wantsOf(defs);
  const uses: ChartUse["uses"] = [];
  const near = new Map<string, { def: ChartDefinition; differs: Dimension[]; wants: Want[] }>();
  for (const def of defs) {
    const mine = wants.filter((w) => w.def === def);
    const series = new Set<string>();
    let best: { differs: Dimension[]; wants: Want[] } | undefined;
    for (const w of mine) {
      for (const k of distinct.values()) {
        if (family(k.commodity) !== family(w.commodity)) continue;
        const d = differences(k, w);
        if (d.length === 0) series.add(w.series);
        else if (!best || d.length < best.differs.length) best = { differs: d, wants: [w] };
        else if (d.join() === best.differs.join() && !best.wants.includes(w)) best.wants.push(w);
      }
    }
    if (series.size > 0) {
      uses.push({
        chartId: def.id,
        title: def.title,
        series: [...series],
        ...(def.type === "top-partners" ? { note: "it shows the latest month only" } : {}),
      });
    } else if (best && best.differs.length <= 2) near.set(def.id, { def, ...best });
  }
  const wouldUse = uses.length
    ? []
    : [...near.values()]
        .sort((a, b) => a.differs.length - b.differs.length)
        .slice(0, 2)
        .map((n) => ({
          chartId: n.def.id,
          title: n.def.title,
          differs: n.differs,
          needs: needsText(n.wants, n.differs, [...distinct.values()]),
        }));
  return { held, uses, wouldUse, summary: summaryOf(held, uses, wouldUse) };
}

function summaryOf(held: HeldFigures, uses: ChartUse["uses"], wouldUse: ChartUse["wouldUse"]): string {
  if (held.figures === 0) return "It held no figures, so no chart can use it.";
  if (uses.length > 0) {
    const charts = uses.map((u) => `“${u.title}”${u.note ? ` (${u.note})` : ""}`);
    return `${held.text}: figures for ${listWords(charts)}.`;
  }
  const why = `No chart shows ${held.text}.`;
  if (wouldUse.length === 0) return `${why} No chart uses figures like these.`;
  const would = wouldUse.map((w) => `“${w.title}” would, if they were ${w.needs}`);
  return `${why} ${listWords(would, "; ")}.`.replace(/ ; /, "; ");
}

/** What a run did with figures, for editors: the charts it changed that draw them, or why none did. */
export function effectOf(
  use: ChartUse,
  changes: Array<{
    chartId: string;
    title: string;
    counts: { newPoints: number; revisions: number; removedPoints: number };
  }>,
): string {
  const mine = changes.filter((c) => use.uses.some((u) => u.chartId === c.chartId));
  if (mine.length > 0) {
    const told = mine.map((c) => `“${c.title}” (${chartChangeText(c.counts)})`);
    return `Changed ${listWords(told)}.`;
  }
  return `No chart changed. ${whyUnchanged(use)}`;
}

/**
 * Why figures change no chart: no chart draws their kind (and which would, and what it needs); or
 * the charts that do already show these values, or show another month (`latestShown` names it).
 */
export function whyUnchanged(
  use: ChartUse,
  latestShown: (chartId: string) => string | null = () => null,
): string {
  if (use.uses.length === 0) return use.summary;
  const one = use.uses.length === 1;
  const told = use.uses.map((u) => {
    const latest = latestShown(u.chartId);
    return `“${u.title}”${u.note ? ` (${u.note}${latest ? `: ${periodName(latest)}` : ""})` : ""}`;
  });
  return `${listWords(told)} ${one ? "draws" : "draw"} figures like these (${use.held.text}), but ${one ? "it already shows" : "they already show"} these values or another month.`;
}
