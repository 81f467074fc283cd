/**
 * The written rules for release-alert sentences, in one place. Every sentence a newsroom receives is
 * built from these functions; the facts (facts.ts) carry only numbers and periods.
 *
 * Style (wire-service, as a desk would accept it):
 * - amounts: three significant figures, trailing zeros dropped, with the unit word:
 *   "$11.5 billion", "183 billion yuan", "33.1 million tonnes". A revision uses as many figures as it
 *   takes to tell old from new (at least three), or it would read "$9.2 billion from $9.2 billion".
 * - percentages: one decimal, sign carried by the verb ("rose 2.7%", "fell 8.2%").
 * - "little changed" when |y/y| is below LITTLE_CHANGED_PCT; the exact change goes in brackets.
 * - periods: month names with the year ("August 2023"); the combined release is "January–February".
 * - "reversing" when the direction flipped from the previous period, "after rising/falling" when not.
 */
import { partners } from "../partners.js";
import { periodName, yearToDateName } from "../wording.js";
import type { Fact, FactChart } from "./facts.js";

/** |y/y| below this (in %) is written "little changed". One decimal, as the percentages are. */
export const LITTLE_CHANGED_PCT = 0.5;

/** Significant figures for amounts in sentences. */
export const AMOUNT_SIGNIFICANT_FIGURES = 3;

const SCALES: Array<{ word: string; factor: number }> = [
  { word: "trillion", factor: 1e12 },
  { word: "billion", factor: 1e9 },
  { word: "million", factor: 1e6 },
];

/** What a chart's sentences call a series: "China's imports from Russia" (plural: "were"). */
export interface Subject {
  text: string;
  plural: boolean;
}

/** The series label, read as a subject; imports/exports are plural ("were little changed"). */
export function defaultSubject(label: string): Subject {
  return { text: label, plural: /\b(imports|exports)\b/i.test(label) };
}

/**
 * What sentences call a chart series, from its definition: an explicit `subject` wins; else
 * "China's imports from Russia" (a partner's totals), "China's crude oil imports" (a commodity).
 */
export function seriesSubject(s: {
  label: string;
  flow: "total" | "exports" | "imports";
  commodity: string;
  partnerName?: string | undefined;
  subject?: string | undefined;
}): Subject {
  if (s.subject) return defaultSubject(s.subject);
  if (/^China\b/.test(s.label)) return defaultSubject(s.label);
  if (s.commodity === "TOTAL" && s.partnerName) {
    if (s.flow === "total") return { text: `China's trade with ${s.partnerName}`, plural: false };
    return {
      text: `China's ${s.flow} ${s.flow === "imports" ? "from" : "to"} ${s.partnerName}`,
      plural: true,
    };
  }
  // A noun used as an adjective is singular: "soybean imports".
  const what = s.label
    .replace(/\s*\(HS \d+\)$/, "")
    .toLowerCase()
    .replace(/beans$/, "bean");
  const from = s.partnerName ? ` from ${s.partnerName}` : "";
  if (s.flow === "total") return { text: `China's trade in ${what}${from}`, plural: false };
  return {
    text: `China's ${what} ${s.flow}${s.flow === "imports" ? from : s.partnerName ? ` to ${s.partnerName}` : ""}`,
    plural: true,
  };
}

/** Rounds to `sig` significant figures and writes it without trailing zeros: 11.534 → "11.5", 9.2 → "9.2". */
export function significant(x: number, sig: number = AMOUNT_SIGNIFICANT_FIGURES): string {
  if (x === 0) return "0";
  const digits = Math.floor(Math.log10(Math.abs(x))) + 1;
  const decimals = Math.max(0, sig - digits);
  const rounded = Number(x.toPrecision(sig));
  const text = rounded.toFixed(decimals);
  const trimmed = text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  // Whole numbers get thousands separators ("1,230 tonnes").
  return trimmed.replace(/^(-?\d+)/, (w) => Number(w).toLocaleString("en-US"));
}

/** The unit of a chart, as the sentence names it: currency symbol or word, or a quantity word. */
export function unitWords(unit: FactChart["unit"]): { prefix: string; suffix: string } {
  if (unit.currency === "USD") return { prefix: "$", suffix: "" };
  if (unit.currency === "CNY") return { prefix: "", suffix: " yuan" };
  const q = (unit.quantityUnit ?? "").toLowerCase();
  const word = q === "ton" || q === "tons" || q === "tonne" ? "tonnes" : q;
  return { prefix: "", suffix: word ? ` ${word}` : "" };
}

/** An amount in base units (dollars, yuan, tonnes) as a sentence writes it: "$11.5 billion". */
export function formatAmount(
  base: number,
  unit: FactChart["unit"],
  sig: number = AMOUNT_SIGNIFICANT_FIGURES,
): string {
  const { prefix, suffix } = unitWords(unit);
  const abs = Math.abs(base);
  const scale = SCALES.find((s) => abs >= s.factor * 0.9995);
  const sign = base < 0 ? "-" : "";
  if (!scale) return `${sign}${prefix}${significant(abs, sig)}${suffix}`;
  let scaled = significant(abs / scale.factor, sig);
  // 999.96 billion rounds to "1,000 billion": say "1 trillion" instead.
  const up = SCALES[SCALES.indexOf(scale) - 1];
  if (up && Number(scaled.replace(/,/g, "")) >= 1000) {
    scaled = significant(abs / up.factor, sig);
    return `${sign}${prefix}${scaled} ${up.word}${suffix}`;
  }
  return `${sign}${prefix}${scaled} ${scale.word}${suffix}`;
}

/** Old and new amounts with enough significant figures to differ (at least three, at most 15). */
export function formatAmountPair(
  oldBase: number,
  newBase: number,
  unit: FactChart["unit"],
): { old: string; new: string } {
  for (let sig = AMOUNT_SIGNIFICANT_FIGURES; sig <= 15; sig++) {
    const o = formatAmount(oldBase, unit, sig);
    const n = formatAmount(newBase, unit, sig);
    if (o !== n || sig === 15) return { old: o, new: n };
  }
  return { old: formatAmount(oldBase, unit), new: formatAmount(newBase, unit) };
}

/** A percentage change without its sign, one decimal: -8.17 → "8.2%". */
export function formatPct(pct: number): string {
  return `${Math.abs(pct).toFixed(1)}%`;
}

// Month and period names have one home, shared with the charts and editors' messages.
export { periodName };

/** The earlier period, named without its year when it is the same year as `current`. */
function relativePeriodName(period: string, current: string): string {
  return periodName(period, period.slice(0, 4) !== current.slice(0, 4));
}

export type Direction = "up" | "down" | "flat";

/** Which way a y/y change goes, with the "little changed" band. */
export function directionOf(pct: number): Direction {
  if (Math.abs(pct) < LITTLE_CHANGED_PCT) return "flat";
  return pct > 0 ? "up" : "down";
}

const ORDINALS = [
  "",
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
  "eleventh",
  "twelfth",
];

/** 3 → "third"; 13 → "13th". */
export function ordinal(n: number): string {
  if (ORDINALS[n]) return ORDINALS[n] as string;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** "a" or "an" before a number as it is read aloud: "an 8.2% fall", "an 11% rise", "a 2.7% rise". */
export function articleFor(numberText: string): "a" | "an" {
  const integer = numberText.replace(/[^\d.]/g, "").split(".")[0] ?? "";
  if (integer.startsWith("8")) return "an";
  // eleven, eighteen (and eleven thousand, eighteen million...)
  if (integer.length % 3 === 2 && (integer.startsWith("11") || integer.startsWith("18"))) return "an";
  return "a";
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The caveat texts, said beside the sentence. Keyed by the facts' caveat codes. */
export const CAVEAT_TEXT: Record<string, string> = {
  // The chart's codes on a computed change (functions/domain/charts/envelope.ts, CaveatCode).
  "yoy-over-100":
    "A change of more than 100% from a year earlier usually says more about last year's figure than this one; check the base before printing.",
  "base-rounded":
    "Last year's figure was published rounded, so this change could be off by a percentage point or more.",
  "base-revised": "Last year's figure was revised after it was first published.",
  "base-combined": "This compares two-month January–February totals, as China's customs publishes them.",
  "base-small": "Last year's figure was unusually small, so the percentage change overstates the move.",
  // From the points themselves.
  "combined-months":
    "China's customs publishes January and February together; this is the two months combined, compared with the same two months a year earlier.",
  preliminary: "Preliminary figure: the Monthly Bulletin may revise it.",
  "gaps-in-history":
    "Some months are missing from the stored history, so the comparison covers only the months stored.",
};

export function caveatText(code: string): string {
  return CAVEAT_TEXT[code] ?? `Caveat: ${code}.`;
}

/** The sentence for one fact. Pure: same fact and chart, same words. */
export function sentence(fact: Fact, chart: FactChart, subjectOf: (seriesKey: string) => Subject): string {
  const subject = subjectOf(fact.series);
  const amount = (v: number) => formatAmount(v * chart.unit.multiplier, chart.unit);
  switch (fact.kind) {
    case "change": {
      const when = periodName(fact.period);
      if (fact.yoyPct === null) return `${subject.text} totalled ${amount(fact.value)} in ${when}.`;
      const dir = directionOf(fact.yoyPct);
      let main: string;
      if (fact.yoyPct === 0) {
        main = `${subject.text} ${subject.plural ? "were" : "was"} unchanged in ${when} from a year earlier at ${amount(fact.value)}`;
      } else if (dir === "flat") {
        const signed = `${fact.yoyPct < 0 ? "down" : "up"} ${formatPct(fact.yoyPct)}`;
        main = `${subject.text} ${subject.plural ? "were" : "was"} little changed in ${when} from a year earlier at ${amount(fact.value)} (${signed})`;
      } else {
        main = `${subject.text} ${dir === "up" ? "rose" : "fell"} ${formatPct(fact.yoyPct)} in ${when} from a year earlier to ${amount(fact.value)}`;
      }
      const prev = fact.previous;
      if (!prev) return `${main}.`;
      const prevWhen = relativePeriodName(prev.period, fact.period);
      const prevDir = directionOf(prev.yoyPct);
      if (fact.reversed) {
        const pct = formatPct(prev.yoyPct);
        return `${main}, reversing ${articleFor(pct)} ${pct} ${prevDir === "up" ? "rise" : "fall"} in ${prevWhen}.`;
      }
      if (prevDir === "flat") return `${main}, after being little changed in ${prevWhen}.`;
      return `${main}, after ${prevDir === "up" ? "rising" : "falling"} ${formatPct(prev.yoyPct)} in ${prevWhen}.`;
    }
    case "streak": {
      const what = fact.direction === "up" ? "rose" : "fell";
      const count = fact.includesCombined
        ? `the ${ordinal(fact.length)} period in a row (January–February counted as one)`
        : `the ${ordinal(fact.length)} month in a row`;
      return `${cap(periodName(fact.period))} was ${count} in which ${lowerFirst(subject.text)} ${what} from a year earlier.`;
    }
    case "first-since": {
      const what = fact.direction === "up" ? "rise" : "fall";
      return `It was the first year-on-year ${what} in ${lowerFirst(subject.text)} since ${periodName(fact.since)}.`;
    }
    case "high-low": {
      const word = fact.extreme === "high" ? "highest" : "lowest";
      const head = `At ${amount(fact.value)}, ${lowerFirst(subject.text)} in ${periodName(fact.period)} ${subject.plural ? "were" : "was"} the ${word}`;
      if (fact.since) return `${head} since ${periodName(fact.since)}.`;
      return `${head} in the stored history, which begins in ${periodName(fact.historyStart)}.`;
    }
    case "ytd": {
      const when = yearToDateName(fact.period);
      const main = `In ${when}, ${lowerFirst(subject.text)} totalled ${amount(fact.value)}`;
      if (fact.yoyPct === null) return `${main}.`;
      const dir = directionOf(fact.yoyPct);
      if (dir === "flat")
        return `${main}, little changed from the same months a year earlier (${fact.yoyPct < 0 ? "down" : "up"} ${formatPct(fact.yoyPct)}).`;
      return `${main}, ${dir} ${formatPct(fact.yoyPct)} from the same months a year earlier.`;
    }
    case "rank": {
      const name = cap(withThe(partners.shortName(fact.category, fact.categoryLabel)));
      const role = { total: "trading partner", imports: "source of imports", exports: "export market" }[
        fact.flow
      ];
      const what = { total: "trade", imports: "imports", exports: "exports" }[fact.flow];
      const main = `${name} was China's ${rankWord(fact.rank)} ${role} in ${periodName(fact.period)}, with ${what} of ${amount(fact.value)}`;
      const moves = [
        fact.previous &&
          rankMove(
            fact.rank,
            fact.previous.rank,
            `in ${relativePeriodName(fact.previous.period, fact.period)}`,
          ),
        fact.yearEarlier && rankMove(fact.rank, fact.yearEarlier.rank, "a year earlier"),
      ].filter((m): m is RankMove => m !== undefined);
      if (moves.length === 0) return `${main}.`;
      const [a, b] = moves as [RankMove, RankMove | undefined];
      if (!b) return `${main}, ${a.text}.`;
      // "up from eighth in February and from ninth a year earlier"; "but" when up and down meet.
      if (a.dir === b.dir && a.from === b.from && a.dir !== "same")
        return `${main}, ${a.text} and ${b.text.replace(/^(up|down) from \S+ /, "")}.`;
      if (a.dir === b.dir)
        return `${main}, ${a.text} and ${b.text.replace(/^(up |down |the same place as )/, "")}.`;
      const opposite = a.dir !== "same" && b.dir !== "same";
      return `${main}, ${a.text} ${opposite ? "but" : "and"} ${b.text}.`;
    }
    case "revision": {
      const pair = formatAmountPair(
        fact.oldValue * chart.unit.multiplier,
        fact.newValue * chart.unit.multiplier,
        chart.unit,
      );
      const verb = `${subject.plural ? "were" : "was"} revised ${fact.newValue >= fact.oldValue ? "up" : "down"}`;
      const by = fact.vintage === "bulletin" ? " in the Monthly Bulletin" : "";
      return `${subject.text} for ${periodName(fact.period)} ${verb}${by} to ${pair.new} from ${pair.old}.`;
    }
  }
}

/** Country names that take "the" in running text: "the United States", "the Netherlands". */
export function withThe(name: string): string {
  return /^(United |Netherlands$|Philippines$|Czech Republic$|Bahamas$|Gambia$)/.test(name)
    ? `the ${name}`
    : name;
}

/** "largest", "second-largest", "13th-largest". */
export function rankWord(rank: number): string {
  return rank === 1 ? "largest" : `${ordinal(rank)}-largest`;
}

interface RankMove {
  dir: "up" | "down" | "same";
  from: number;
  text: string;
}

/** A move in rank against an earlier one (a lower number is a higher place). */
function rankMove(now: number, before: number, when: string): RankMove {
  if (now === before) return { dir: "same", from: before, text: `the same place as ${when}` };
  return {
    dir: now < before ? "up" : "down",
    from: before,
    text: `${now < before ? "up" : "down"} from ${ordinal(before)} ${when}`,
  };
}

/** "China's imports" stays; "Crude oil" → "crude oil" inside a sentence. */
function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) && !/^China/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}
