/**
 * The words of release alerts (functions/domain/facts/sentences.ts): every sentence form a desk
 * receives, amounts at three significant figures with their unit, percentages with the sign carried
 * by the verb, "little changed", ordinals and "a"/"an", subjects. Exact sentences, because these are
 * printed; a property test for the amount rounding.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Fact, FactChart } from "../../functions/domain/facts/facts.js";
import {
  articleFor,
  CAVEAT_TEXT,
  caveatText,
  defaultSubject,
  formatAmount,
  formatAmountPair,
  formatPct,
  ordinal,
  type Subject,
  sentence,
  seriesSubject,
  significant,
  unitWords,
} from "../../functions/domain/facts/sentences.js";

const USD_BN = { currency: "USD", multiplier: 1e9, label: "US$ billion" };
const CNY = { currency: "CNY", multiplier: 1e8, label: "CNY 100 million" };
const TONS = { currency: null, multiplier: 1e6, label: "million tons", quantityUnit: "Ton" };

describe("amounts", () => {
  it.each([
    [11.534e9, USD_BN, "$11.5 billion"],
    [-11.534e9, USD_BN, "-$11.5 billion"],
    [9.2e9, USD_BN, "$9.2 billion"],
    [1e9, USD_BN, "$1 billion"],
    [999.4e9, USD_BN, "$999 billion"],
    [999.5e9, USD_BN, "$1 trillion"],
    [1.234e12, USD_BN, "$1.23 trillion"],
    [999_500_000, USD_BN, "$1 billion"],
    [999_400_000, USD_BN, "$999 million"],
    [4_560_000, USD_BN, "$4.56 million"],
    [999_400, USD_BN, "$999,000"],
    [1234.5, USD_BN, "$1,230"],
    [12.34, USD_BN, "$12.3"],
    [0, USD_BN, "$0"],
    [183.29e9, CNY, "183 billion yuan"],
    [80.09e9, CNY, "80.1 billion yuan"],
    [33_081_000, TONS, "33.1 million tonnes"],
    [1500, TONS, "1,500 tonnes"],
    [2500, { ...TONS, quantityUnit: "Tons" }, "2,500 tonnes"],
    [2500, { ...TONS, quantityUnit: "tonne" }, "2,500 tonnes"],
    [2500, { ...TONS, quantityUnit: "Kilogram" }, "2,500 kilogram"],
    [2500, { currency: null, multiplier: 1, label: "" }, "2,500"],
  ] as const)("%d → %s", (base, unit, text) => {
    expect(formatAmount(base, unit)).toBe(text);
  });

  it("unit words: a currency symbol or word, or the quantity", () => {
    expect(unitWords(USD_BN)).toEqual({ prefix: "$", suffix: "" });
    expect(unitWords(CNY)).toEqual({ prefix: "", suffix: " yuan" });
    expect(unitWords(TONS)).toEqual({ prefix: "", suffix: " tonnes" });
    expect(unitWords({ currency: null, multiplier: 1, label: "" })).toEqual({ prefix: "", suffix: "" });
  });

  it.each([
    [1234.5, 3, "1,230"],
    [0.012345, 3, "0.0123"],
    [9.2, 3, "9.2"],
    [10, 3, "10"],
    [100.04, 3, "100"],
    [-5.555, 2, "-5.6"],
    [123456, 2, "120,000"],
    [0, 3, "0"],
  ])("significant(%d, %d) = %s", (x, sig, text) => {
    expect(significant(x, sig)).toBe(text);
  });

  it("three significant figures, within rounding of the amount, whatever its size", () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 9e14, noNaN: true }), (x) => {
        const text = formatAmount(x, USD_BN);
        const m = /^\$([\d,.]+)(?: (trillion|billion|million))?$/.exec(text);
        expect(m, text).not.toBeNull();
        const scale = { trillion: 1e12, billion: 1e9, million: 1e6 }[m?.[2] ?? ""] ?? 1;
        const shown = Number((m?.[1] ?? "").replace(/,/g, "")) * scale;
        // At most half a unit of the third significant figure away.
        expect(Math.abs(shown - x)).toBeLessThanOrEqual(x * 0.005 + 1e-9);
        // Never "1,000 billion": the scale word goes up instead.
        if (m?.[2]) expect(Number((m?.[1] ?? "").replace(/,/g, ""))).toBeLessThan(1000);
      }),
      { numRuns: 200 },
    );
  });

  it("a revision's two amounts get enough figures to differ", () => {
    expect(formatAmountPair(9.2e9, 9.214e9, USD_BN)).toEqual({ old: "$9.2 billion", new: "$9.21 billion" });
    expect(formatAmountPair(9.2001e9, 9.2002e9, USD_BN)).toEqual({
      old: "$9.2001 billion",
      new: "$9.2002 billion",
    });
    expect(formatAmountPair(11.5e9, 11.6e9, USD_BN)).toEqual({ old: "$11.5 billion", new: "$11.6 billion" });
    // Equal amounts (nothing to tell apart) stop at 15 figures rather than loop.
    expect(formatAmountPair(11.5e9, 11.5e9, USD_BN)).toEqual({ old: "$11.5 billion", new: "$11.5 billion" });
  });
});

describe("percentages, ordinals, articles", () => {
  it.each([
    [-8.17, "8.2%"],
    [8, "8.0%"],
    [0.04, "0.0%"],
    [112.35, "112.3%"],
  ])("formatPct(%d) = %s", (x, text) => expect(formatPct(x)).toBe(text));

  it.each([
    [1, "first"],
    [2, "second"],
    [3, "third"],
    [12, "twelfth"],
    [13, "13th"],
    [21, "21st"],
    [22, "22nd"],
    [23, "23rd"],
    [24, "24th"],
    [111, "111th"],
    [112, "112th"],
    [113, "113th"],
    [101, "101st"],
  ])("ordinal(%d) = %s", (n, text) => expect(ordinal(n)).toBe(text));

  it.each([
    ["8.2%", "an"],
    ["80.0%", "an"],
    ["11.0%", "an"],
    ["18.4%", "an"],
    ["11,000", "an"],
    ["18,500", "an"],
    ["110.0%", "a"],
    ["180.0%", "a"],
    ["1.1%", "a"],
    ["2.7%", "a"],
    ["0.8%", "a"],
  ])("%s → %s", (text, article) => expect(articleFor(text)).toBe(article));
});

describe("subjects", () => {
  it.each([
    [
      { label: "Imports", flow: "imports", commodity: "TOTAL", subject: "China's crude oil imports" },
      "China's crude oil imports",
      true,
    ],
    [
      { label: "China's trade", flow: "total", commodity: "TOTAL", partnerName: "Russia" },
      "China's trade",
      false,
    ],
    [
      { label: "Total", flow: "total", commodity: "TOTAL", partnerName: "Russia" },
      "China's trade with Russia",
      false,
    ],
    [
      { label: "Imports", flow: "imports", commodity: "TOTAL", partnerName: "Russia" },
      "China's imports from Russia",
      true,
    ],
    [
      { label: "Exports", flow: "exports", commodity: "TOTAL", partnerName: "Russia" },
      "China's exports to Russia",
      true,
    ],
    [{ label: "Soybeans (HS 1201)", flow: "imports", commodity: "1201" }, "China's soybean imports", true],
    [
      { label: "Soybeans (HS 1201)", flow: "imports", commodity: "1201", partnerName: "Brazil" },
      "China's soybean imports from Brazil",
      true,
    ],
    [
      { label: "Steel", flow: "exports", commodity: "cat:steel", partnerName: "Vietnam" },
      "China's steel exports to Vietnam",
      true,
    ],
    [{ label: "Steel", flow: "exports", commodity: "cat:steel" }, "China's steel exports", true],
    [
      { label: "Crude oil", flow: "total", commodity: "2709", partnerName: "Russia" },
      "China's trade in crude oil from Russia",
      false,
    ],
    [{ label: "Crude oil", flow: "total", commodity: "2709" }, "China's trade in crude oil", false],
    [{ label: "Total", flow: "imports", commodity: "TOTAL" }, "China's total imports", true],
  ] as const)("%j", (s, text, plural) => {
    expect(seriesSubject(s)).toEqual({ text, plural });
  });

  it("imports and exports are plural, trade is singular", () => {
    expect(defaultSubject("Exports to Russia").plural).toBe(true);
    expect(defaultSubject("China's trade with Russia").plural).toBe(false);
    expect(defaultSubject("Reimports").plural).toBe(false);
  });

  it("every caveat code has its words; an unknown code is named", () => {
    expect(caveatText("preliminary")).toBe("Preliminary figure: the Monthly Bulletin may revise it.");
    expect(caveatText("new-code")).toBe("Caveat: new-code.");
    expect(Object.keys(CAVEAT_TEXT).sort()).toEqual(
      [
        "base-combined",
        "base-revised",
        "base-rounded",
        "base-small",
        "combined-months",
        "gaps-in-history",
        "preliminary",
        "yoy-over-100",
      ].sort(),
    );
  });
});

const chart: FactChart = {
  id: "c",
  chartType: "monthly",
  title: "T",
  unit: USD_BN,
  latestPeriod: "2023-08",
  series: [],
};
const plural: Subject = { text: "China's imports from Russia", plural: true };
const singular: Subject = { text: "Crude oil trade", plural: false };
const base = { id: "x", series: "s", period: "2023-08", points: [], caveats: [] };

function say(fact: Record<string, unknown>, subject: Subject = plural): string {
  return sentence({ ...base, ...fact } as unknown as Fact, chart, () => subject);
}

describe("sentences, form by form", () => {
  it.each([
    [
      { kind: "change", value: 11.5, yoyPct: null, reversed: false },
      plural,
      "China's imports from Russia totalled $11.5 billion in August 2023.",
    ],
    [
      { kind: "change", value: 11.5, yoyPct: 2.7, reversed: false },
      plural,
      "China's imports from Russia rose 2.7% in August 2023 from a year earlier to $11.5 billion.",
    ],
    [
      { kind: "change", value: 11.5, yoyPct: -8.2, reversed: false },
      plural,
      "China's imports from Russia fell 8.2% in August 2023 from a year earlier to $11.5 billion.",
    ],
    [
      { kind: "change", value: 11.5, yoyPct: 0, reversed: false },
      plural,
      "China's imports from Russia were unchanged in August 2023 from a year earlier at $11.5 billion.",
    ],
    [
      { kind: "change", value: 11.5, yoyPct: 0, reversed: false },
      singular,
      "Crude oil trade was unchanged in August 2023 from a year earlier at $11.5 billion.",
    ],
    [
      { kind: "change", value: 11.5, yoyPct: 0.4, reversed: false },
      plural,
      "China's imports from Russia were little changed in August 2023 from a year earlier at $11.5 billion (up 0.4%).",
    ],
    [
      { kind: "change", value: 11.5, yoyPct: -0.4, reversed: false },
      singular,
      "Crude oil trade was little changed in August 2023 from a year earlier at $11.5 billion (down 0.4%).",
    ],
    [
      {
        kind: "change",
        value: 11.5,
        yoyPct: 2.7,
        reversed: true,
        previous: { period: "2023-07", yoyPct: -8.2 },
      },
      plural,
      "China's imports from Russia rose 2.7% in August 2023 from a year earlier to $11.5 billion, reversing an 8.2% fall in July.",
    ],
    [
      {
        kind: "change",
        value: 11.5,
        yoyPct: -2.7,
        reversed: true,
        previous: { period: "2022-12", yoyPct: 3.1 },
      },
      plural,
      "China's imports from Russia fell 2.7% in August 2023 from a year earlier to $11.5 billion, reversing a 3.1% rise in December 2022.",
    ],
    [
      {
        kind: "change",
        value: 11.5,
        yoyPct: 2.7,
        reversed: false,
        previous: { period: "2023-07", yoyPct: 0.2 },
      },
      plural,
      "China's imports from Russia rose 2.7% in August 2023 from a year earlier to $11.5 billion, after being little changed in July.",
    ],
    [
      {
        kind: "change",
        value: 11.5,
        yoyPct: 2.7,
        reversed: false,
        previous: { period: "2023-07", yoyPct: 1.5 },
      },
      plural,
      "China's imports from Russia rose 2.7% in August 2023 from a year earlier to $11.5 billion, after rising 1.5% in July.",
    ],
    [
      {
        kind: "change",
        value: 11.5,
        yoyPct: -2.7,
        reversed: false,
        previous: { period: "2023-01/02", yoyPct: -1.5 },
      },
      plural,
      "China's imports from Russia fell 2.7% in August 2023 from a year earlier to $11.5 billion, after falling 1.5% in January–February.",
    ],
    [
      { kind: "streak", direction: "up", length: 3, includesCombined: false },
      plural,
      "August 2023 was the third month in a row in which China's imports from Russia rose from a year earlier.",
    ],
    [
      { kind: "streak", direction: "down", length: 14, includesCombined: true },
      singular,
      "August 2023 was the 14th period in a row (January–February counted as one) in which crude oil trade fell from a year earlier.",
    ],
    [
      { kind: "first-since", direction: "up", since: "2022-11" },
      plural,
      "It was the first year-on-year rise in China's imports from Russia since November 2022.",
    ],
    [
      { kind: "first-since", direction: "down", since: "2023-01/02" },
      singular,
      "It was the first year-on-year fall in crude oil trade since January–February 2023.",
    ],
    [
      { kind: "high-low", extreme: "high", value: 11.5, since: "2022-03", historyStart: "2020-01" },
      plural,
      "At $11.5 billion, China's imports from Russia in August 2023 were the highest since March 2022.",
    ],
    [
      { kind: "high-low", extreme: "low", value: 11.5, since: null, historyStart: "2020-01" },
      singular,
      "At $11.5 billion, crude oil trade in August 2023 was the lowest in the stored history, which begins in January 2020.",
    ],
    [
      { kind: "ytd", value: 80.5, yoyPct: null },
      plural,
      "In January–August 2023, China's imports from Russia totalled $80.5 billion.",
    ],
    [
      { kind: "ytd", value: 80.5, yoyPct: 12.25 },
      plural,
      "In January–August 2023, China's imports from Russia totalled $80.5 billion, up 12.3% from the same months a year earlier.",
    ],
    [
      { kind: "ytd", value: 80.5, yoyPct: -3 },
      plural,
      "In January–August 2023, China's imports from Russia totalled $80.5 billion, down 3.0% from the same months a year earlier.",
    ],
    [
      { kind: "ytd", value: 80.5, yoyPct: -0.3 },
      plural,
      "In January–August 2023, China's imports from Russia totalled $80.5 billion, little changed from the same months a year earlier (down 0.3%).",
    ],
    [
      { kind: "ytd", value: 80.5, yoyPct: 0.3 },
      plural,
      "In January–August 2023, China's imports from Russia totalled $80.5 billion, little changed from the same months a year earlier (up 0.3%).",
    ],
    [
      {
        kind: "revision",
        oldValue: 9.2,
        newValue: 9.214,
        vintage: "bulletin",
        oldReleaseId: "a",
        newReleaseId: "b",
      },
      plural,
      "China's imports from Russia for August 2023 were revised up in the Monthly Bulletin to $9.21 billion from $9.2 billion.",
    ],
    [
      {
        kind: "revision",
        oldValue: 9.2,
        newValue: 9.1,
        vintage: "preliminary",
        oldReleaseId: "a",
        newReleaseId: "b",
      },
      singular,
      "Crude oil trade for August 2023 was revised down to $9.1 billion from $9.2 billion.",
    ],
  ] as const)("%j", (fact, subject, text) => {
    expect(say(fact, subject)).toBe(text);
  });

  it("amounts in sentences are in the chart's unit times its multiplier", () => {
    const yuan: FactChart = { ...chart, unit: CNY };
    expect(
      sentence(
        { ...base, kind: "change", value: 1832.9, yoyPct: null, reversed: false } as Fact,
        yuan,
        () => plural,
      ),
    ).toBe("China's imports from Russia totalled 183 billion yuan in August 2023.");
  });

  it("keeps 'China' capitalized inside a sentence and lowers other subjects", () => {
    expect(
      say(
        { kind: "first-since", direction: "up", since: "2022-11" },
        { text: "China's trade", plural: false },
      ),
    ).toBe("It was the first year-on-year rise in China's trade since November 2022.");
    expect(
      say(
        { kind: "first-since", direction: "up", since: "2022-11" },
        { text: "HS 2709 imports", plural: true },
      ),
    ).toBe("It was the first year-on-year rise in HS 2709 imports since November 2022.");
  });
});

describe("small words", () => {
  it("spells ordinals up to twelfth", () => {
    expect([4, 5, 6, 7, 8, 9, 10, 11].map(ordinal)).toEqual([
      "fourth",
      "fifth",
      "sixth",
      "seventh",
      "eighth",
      "ninth",
      "tenth",
      "eleventh",
    ]);
  });

  it("'an' only before numbers read with a vowel sound", () => {
    expect(["25.0%", "25,000", "250,000", "12.5%"].map(articleFor)).toEqual(["a", "a", "a", "a"]);
  });

  it("every caveat is a full sentence for the reader", () => {
    for (const [code, text] of Object.entries(CAVEAT_TEXT)) {
      expect(text.length, code).toBeGreaterThan(30);
      expect(text, code).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("a year-to-date total exactly unchanged says so with an up sign of zero", () => {
    expect(say({ kind: "ytd", value: 80.5, yoyPct: 0 })).toBe(
      "In January–August 2023, China's imports from Russia totalled $80.5 billion, little changed from the same months a year earlier (up 0.0%).",
    );
  });

  it("lowers only a capitalized word at the start, never China", () => {
    const s = (text: string) =>
      say({ kind: "first-since", direction: "up", since: "2022-11" }, { text, plural: true });
    expect(s("EU Trade")).toBe("It was the first year-on-year rise in EU Trade since November 2022.");
    expect(s("Trade with China")).toBe(
      "It was the first year-on-year rise in trade with China since November 2022.",
    );
  });
});

/** A rank fact for the United States in August 2023 ($292 billion of trade), with its earlier ranks. */
function rankSays(rank: number, previous?: number, yearEarlier?: number): string {
  return say({
    kind: "rank",
    category: "USA",
    categoryLabel: "United States",
    value: 292.1,
    rank,
    flow: "total",
    ...(previous ? { previous: { period: "2023-07", rank: previous, releaseId: "r-07" } } : {}),
    ...(yearEarlier ? { yearEarlier: { period: "2022-08", rank: yearEarlier, releaseId: "r-y" } } : {}),
  });
}

describe("rank sentences: how the moves since the period before and a year earlier are joined", () => {
  const main = "The United States was China's";
  it.each([
    [
      "no earlier rank",
      1,
      undefined,
      undefined,
      `${main} largest trading partner in August 2023, with trade of $292 billion.`,
    ],
    [
      "one earlier rank",
      2,
      3,
      undefined,
      `${main} second-largest trading partner in August 2023, with trade of $292 billion, up from third in July.`,
    ],
    [
      "a year earlier only",
      2,
      undefined,
      2,
      `${main} second-largest trading partner in August 2023, with trade of $292 billion, the same place as a year earlier.`,
    ],
    [
      "the same place both times",
      6,
      6,
      6,
      `${main} sixth-largest trading partner in August 2023, with trade of $292 billion, the same place as in July and a year earlier.`,
    ],
    [
      "the same place, then up",
      6,
      6,
      8,
      `${main} sixth-largest trading partner in August 2023, with trade of $292 billion, the same place as in July and up from eighth a year earlier.`,
    ],
    [
      "the same place, then down",
      6,
      6,
      4,
      `${main} sixth-largest trading partner in August 2023, with trade of $292 billion, the same place as in July and down from fourth a year earlier.`,
    ],
    [
      "up, then the same place",
      6,
      7,
      6,
      `${main} sixth-largest trading partner in August 2023, with trade of $292 billion, up from seventh in July and the same place as a year earlier.`,
    ],
    [
      "down, then the same place",
      6,
      5,
      6,
      `${main} sixth-largest trading partner in August 2023, with trade of $292 billion, down from fifth in July and the same place as a year earlier.`,
    ],
    [
      "up from the same rank",
      6,
      8,
      8,
      `${main} sixth-largest trading partner in August 2023, with trade of $292 billion, up from eighth in July and a year earlier.`,
    ],
    [
      "up from different ranks",
      6,
      7,
      9,
      `${main} sixth-largest trading partner in August 2023, with trade of $292 billion, up from seventh in July and from ninth a year earlier.`,
    ],
    [
      "down from different ranks",
      6,
      5,
      3,
      `${main} sixth-largest trading partner in August 2023, with trade of $292 billion, down from fifth in July and from third a year earlier.`,
    ],
    [
      "up, then down",
      6,
      7,
      5,
      `${main} sixth-largest trading partner in August 2023, with trade of $292 billion, up from seventh in July but down from fifth a year earlier.`,
    ],
  ] as const)("%s", (_, rank, previous, yearEarlier, text) => {
    expect(rankSays(rank, previous, yearEarlier)).toBe(text);
  });
});
