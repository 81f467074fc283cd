/**
 * The small readers of tables (5)/(6) that decide a quantity's size and a series' identity
 * (functions/domain/gacc/commodity/quantity-unit.ts, codes.ts): every spelling of every base unit,
 * the printed multiplier as an exact power of ten, and one series code per commodity across the
 * labels GACC has printed for it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commodityCode, parseQuantityUnit } from "../../functions/domain/gacc/commodity-table.js";

const SPELLINGS: ReadonlyArray<[string, string[]]> = [
  ["ton", ["Ton", "Tons", "tonne", "Tonnes", "TONS"]],
  ["kg", ["Kilogram", "kilograms", "KG", "Kgs"]],
  ["m3", ["CBM", "Cubic Meter", "cubic meters", "Cubic Metre", "Cubic Metres", "m3"]],
  ["piece", ["PCS", "Piece", "pieces"]],
  ["set", ["Set", "SETS"]],
  ["pair", ["Pair", "pairs"]],
  ["vehicle", ["Auto", "Autos", "Car", "cars", "Vehicle", "Vehicles"]],
  ["ship", ["Ship", "ships", "Vessel", "Vessels"]],
  ["aircraft", ["Craft", "crafts", "Aircraft", "Aircrafts"]],
  ["head", ["Head", "Heads"]],
];
const EVERY_SPELLING = SPELLINGS.flatMap(([unit, names]) => names.map((name) => [name, unit] as const));

describe("parseQuantityUnit: the base unit", () => {
  it.each(EVERY_SPELLING)("%j is %s", (printed, unit) => {
    expect(parseQuantityUnit(printed)).toEqual({ unit, powerOfTen: 0, printed });
  });

  it.each([
    "Barrels",
    "Metric Tons",
    "Tonsx",
    "Tons of oil",
    "Kilowatt",
    "Square Meters",
    "Carats",
    "Headsets",
    "Pcs.",
  ])("%j is a unit we do not know (the quantity is left out, never guessed)", (printed) => {
    expect(parseQuantityUnit(printed)).toBeUndefined();
  });

  it("refuses every known unit with other words before or after it (never read as the bare unit)", () => {
    for (const [name] of EVERY_SPELLING) {
      for (const printed of [`Used ${name}`, `${name} of goods`, `${name}x`]) {
        expect(parseQuantityUnit(printed), printed).toBeUndefined();
      }
    }
  });

  it.each(["-", "—", "", "  "])("%j prints no unit", (printed) => {
    expect(parseQuantityUnit(printed)).toBeNull();
  });
});

describe("parseQuantityUnit: the multiplier is an exact power of ten", () => {
  it("multiplier × thousand/million × any spelling gives the sum of the exponents", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom("", "Thousand", "thousand", "Million", "MILLION"),
        fc.constantFrom(...EVERY_SPELLING),
        fc.constantFrom(" ", "\u00a0", "  ", "\u3000"),
        (zeros, word, [name, unit], space) => {
          const digits = `1${"0".repeat(zeros)}`;
          // GACC groups thousands ("10,000 Tons"); see the note on "10000 Tons" below.
          const number = Number(digits).toLocaleString("en-US");
          const printed = [zeros === 0 && word ? "" : number, word, name].filter((p) => p !== "").join(space);
          const expected = zeros === 0 && word ? 0 : zeros;
          const wordPower = word.toLowerCase() === "million" ? 6 : word.toLowerCase() === "thousand" ? 3 : 0;
          const got = parseQuantityUnit(printed);
          expect(got?.unit).toBe(unit);
          expect(got?.powerOfTen).toBe(expected + wordPower);
          expect(got?.printed).toBe(printed.replace(/[\s\u00a0\u3000]+/g, " "));
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ["10,000 Tons", 4],
    ["1 Ton", 0],
    ["100 Million PCS", 8],
    ["Million Cubic Meters", 6],
    ["Thousand Pairs", 3],
    ["1,000 Thousand Sets", 6],
    ["  10,000\u00a0Tons ", 4],
  ])("%j → ×10^%i", (printed, powerOfTen) => {
    expect(parseQuantityUnit(printed)?.powerOfTen).toBe(powerOfTen);
  });

  // "10000 Tons" (no thousands separator) is refused too: the pattern reads "100" as the multiplier
  // and "0 Tons" as the unit. GACC prints "10,000 Tons"; a refused unit leaves the quantity out and
  // warns, it never scales a quantity wrongly.
  it.each([
    "10000 Tons",
    "30 Tons",
    "2,000 Tons",
    "10,00 Tons",
    "10,0000 Tons",
    "0 Tons",
    "5 Million PCS",
    "1.5 Tons",
    "210 Tons",
    "1,001 Tons",
  ])("%j is refused: not a power of ten", (printed) => {
    expect(parseQuantityUnit(printed)).toBeUndefined();
  });
});

describe("commodityCode: one series per commodity", () => {
  it.each([
    ["Agriculture products*", "cat:agricultural-products"],
    ["Agricultural products", "cat:agricultural-products"],
    ["Grain food", "cat:grain"],
    ["Soya beans", "cat:soybeans"],
    ["Soybeans", "cat:soybeans"],
    ["Crude petroleum oils", "cat:crude-oil"],
    ["Crude oil", "cat:crude-oil"],
    ["Natural gases", "cat:natural-gas"],
    ["Petroleum products", "cat:refined-petroleum-products"],
    ["Refined petroleum products", "cat:refined-petroleum-products"],
    ["High-tech products*", "cat:hi-tech-products"],
    ["Hi-tech products", "cat:hi-tech-products"],
    ["Electronic integrated circuits", "cat:integrated-circuits"],
    ["Integrated circuits", "cat:integrated-circuits"],
    ["Textile yarn, fabrics & articles", "cat:textile-yarn-fabrics-and-articles"],
    ["  *Steel products* ", "cat:steel-products"],
    ["（Ｃｏａｌ）", "cat:coal"],
    ["Rare earth (HS 2805)", "cat:rare-earth-hs-2805"],
  ])("%j → %s", (label, code) => {
    expect(commodityCode(label)).toBe(code);
  });

  it("gives the same code whatever the case, stars, spaces and punctuation around the words", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("Soya beans", "Natural gases", "Steel products", "Coal"),
        fc.constantFrom("", "*", " ", "  *", "-"),
        fc.boolean(),
        (label, decoration, upper) => {
          const printed = `${decoration}${upper ? label.toUpperCase() : label}${decoration}`;
          expect(commodityCode(printed)).toBe(commodityCode(label));
        },
      ),
    );
  });
});
