/**
 * Printed numbers → exact values (functions/domain/numbers.ts). Every published figure goes through
 * these functions, so the tests pin exact values and signs, table by table, plus properties over
 * generated numbers.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import {
  cleanCell,
  formatBytes,
  isNoValue,
  parsePrintedNumber,
  printedDecimals,
  roundTo,
  scaleDecimal,
} from "../../functions/domain/numbers.js";

/** Every cell GACC prints for "no value". */
const NO_VALUE_CELLS = ["", "-", "—", "–", "--", "?", "…", " - ", "\u00a0—\u00a0"];

describe("cleanCell", () => {
  it.each([
    [" 1,234.5 ", "1,234.5"],
    ["\u00a0\u00a0-0.7", "-0.7"],
    ["\u22125.2", "-5.2"], // Unicode minus: a decline, not a rise
    ["\uff0d3", "-3"], // full-width minus
    ["1\u3000234", "1234"],
    ["12 345", "12345"],
  ])("%j → %j", (cell, clean) => {
    expect(cleanCell(cell)).toBe(clean);
  });
});

describe("isNoValue", () => {
  it.each(NO_VALUE_CELLS)("%j is no value", (cell) => {
    expect(isNoValue(cell)).toBe(true);
  });
  it.each(["0", "---", "n/a", "1", "-0"])("%j is not 'no value'", (cell) => {
    expect(isNoValue(cell)).toBe(false);
  });
});

describe("parsePrintedNumber", () => {
  it.each([
    ["1,234.5", 1234.5],
    ["-0.7", -0.7],
    ["\u22125.2", -5.2],
    ["\uff0d12.25", -12.25],
    ["+3.1", 3.1],
    ["12", 12],
    ["1,234,567", 1_234_567],
    ["0.125", 0.125],
    ["\u00a0885.6\u00a0", 885.6],
  ])("%j → %d", (cell, value) => {
    expect(parsePrintedNumber(cell, "cell")).toBe(value);
  });

  it.each(NO_VALUE_CELLS)("%j → undefined", (cell) => {
    expect(parsePrintedNumber(cell, "cell")).toBeUndefined();
  });

  it.each(["12a", "1,23", "1,2345", "1.2.3", "abc", ".5", "1.", "12,345.6,7", "--1"])(
    "%j is refused as a changed layout",
    (cell) => {
      expect(() => parsePrintedNumber(cell, "Row 3")).toThrow(LayoutChanged);
      expect(() => parsePrintedNumber(cell, "Row 3")).toThrow(/^Row 3: /);
    },
  );
});

describe("scaleDecimal: exact scaling by a power of ten", () => {
  it.each([
    ["885.6", 8, 88_560_000_000],
    ["-885.6", 8, -88_560_000_000],
    ["\u2212885.6", 8, -88_560_000_000],
    ["1.15", 2, 115], // 1.15 × 100 in floats is 114.99999999999999
    ["0.29", 2, 29],
    ["-0.07", 2, -7],
    ["1,234", 3, 1_234_000],
    ["1,234.56", 4, 12_345_600],
    ["0.05", 2, 5],
    ["12", 0, 12],
    ["+4.5", 1, 45],
    ["2,347.6", 8, 234_760_000_000],
  ])("(%j, %i) → %d", (cell, power, value) => {
    expect(scaleDecimal(cell, power, "cell")).toBe(value);
  });

  it("keeps the exact rational value when a cell has more decimals than the unit allows", () => {
    expect(scaleDecimal("1.5", 0, "cell")).toBe(1.5);
    expect(scaleDecimal("1.25", 1, "cell")).toBe(12.5);
    expect(scaleDecimal("-1.25", 1, "cell")).toBe(-12.5);
  });

  it.each(NO_VALUE_CELLS)("%j → undefined", (cell) => {
    expect(scaleDecimal(cell, 8, "cell")).toBeUndefined();
  });

  it("refuses a non-number as a changed layout", () => {
    expect(() => scaleDecimal("1,23", 3, "Row 2")).toThrow(LayoutChanged);
  });

  it("stores values up to the largest safe integer exactly and refuses anything larger", () => {
    expect(scaleDecimal("90071992547409.91", 2, "cell")).toBe(Number.MAX_SAFE_INTEGER);
    expect(scaleDecimal("-90071992547409.91", 2, "cell")).toBe(-Number.MAX_SAFE_INTEGER);
    expect(() => scaleDecimal("90071992547409.92", 2, "cell")).toThrow(LayoutChanged);
    expect(() => scaleDecimal("-90071992547409.92", 2, "cell")).toThrow(LayoutChanged);
  });

  it("equals the exact decimal value for any printed number (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 11n), max: 10n ** 11n }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        (units, decimals, extraPower, thousands) => {
          const power = decimals + extraPower;
          const negative = units < 0n;
          const digits = (negative ? -units : units).toString().padStart(decimals + 1, "0");
          const intDigits = digits.slice(0, digits.length - decimals);
          const intText = thousands ? intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : intDigits;
          const cell = `${negative ? "-" : ""}${intText}${decimals > 0 ? `.${digits.slice(-decimals)}` : ""}`;
          // units / 10^decimals × 10^power, as an exact integer
          const exact = Number(units * 10n ** BigInt(extraPower));
          expect(scaleDecimal(cell, power, "cell")).toBe(exact);
          expect(Math.sign(scaleDecimal(cell, power, "cell") ?? Number.NaN)).toBe(Math.sign(Number(units)));
        },
      ),
    );
  });
});

describe("printedDecimals", () => {
  it.each([
    ["1,234.5", 1],
    ["12", 0],
    ["0.125", 3],
    [" 3.10 ", 2],
    [".5", 1],
    ["-0.70", 2],
  ])("%j has %i decimals", (cell, n) => {
    expect(printedDecimals(cell)).toBe(n);
  });
});

describe("roundTo", () => {
  it.each([
    [1.005, 2, 1.01],
    [-1.005, 2, -1.01],
    [2.5, 0, 3],
    [123.456, 1, 123.5],
    [-123.456, 1, -123.5],
    [0, 2, 0],
    [1234.5678, 2, 1234.57],
  ])("roundTo(%d, %i) = %d", (value, decimals, rounded) => {
    expect(roundTo(value, decimals)).toBe(rounded);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 bytes"],
    [1, "1 byte"],
    [2, "2 bytes"],
    [1023, "1023 bytes"],
    [1024, "1 KB"],
    [1536, "1.5 KB"],
    [1024 * 1024 - 1, "1024 KB"],
    [1024 * 1024, "1 MB"],
    [Math.round(5.7 * 1024 * 1024), "5.7 MB"],
    [812 * 1024, "812 KB"],
  ])("%i → %j", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
