/**
 * Unit rows → currency and power of ten (functions/domain/units.ts). A wrong power of ten publishes
 * every figure of a release 10× or 100× off, so every magnitude GACC prints is pinned.
 */
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import { currencyInTitle, parseUnitRow } from "../../functions/domain/units.js";

describe("parseUnitRow", () => {
  it.each([
    ["Unit: CNY 100 Million", "CNY", 8],
    ["Unit: USD1 Million", "USD", 6],
    ["Unit: USD Million", "USD", 6],
    ["Unit: USD 10 Million", "USD", 7],
    ["US$1,000", "USD", 3],
    ["Unit: US$ thousand", "USD", 3],
    ["Unit: CNY 10,000", "CNY", 4],
    ["Unit: RMB 10 thousand", "CNY", 4],
    ["Unit: 100 Thousand USD", "USD", 5],
    ["Unit: USD 100,000", "USD", 5],
    ["Unit: $1,000", "USD", 3],
    ["Unit: US dollars 1 Million", "USD", 6],
    ["Unit: US Dollar 1,000", "USD", 3],
    ["Unit: 100 million yuan", "CNY", 8],
    ["Unit：人民币 10,000", "CNY", 4],
    ["unit: usd 1 MILLION", "USD", 6],
    ["Unit: USD", "USD", 0],
    ["Unit: RMB 1", "CNY", 0],
    ["Unit: US$", "USD", 0],
    ["CNY", "CNY", 0],
    ["Unit:USD", "USD", 0],
    ["Unit : USD", "USD", 0],
    ["Unit: USD100Million", "USD", 8],
    ["Unit: USD10Million", "USD", 7],
    ["Unit: USD1Million", "USD", 6],
    ["Unit: US$100Thousand", "USD", 5],
    ["Unit: US$10Thousand", "USD", 4],
    ["Unit: US$1Thousand", "USD", 3],
  ] as const)("%j → %s × 10^%i", (row, currency, powerOfTen) => {
    const unit = parseUnitRow(row);
    expect(unit.currency).toBe(currency);
    expect(unit.powerOfTen).toBe(powerOfTen);
  });

  it("keeps the row as printed, with its whitespace collapsed", () => {
    expect(parseUnitRow("  Unit:  CNY\n100\u00a0Million ").asPrinted).toBe("Unit: CNY 100 Million");
  });

  it.each(["Unit: EUR 1 Million", "Unit: 100 Million", "Unit: JPY"])(
    "%j names no currency we know: refused",
    (row) => {
      expect(() => parseUnitRow(row)).toThrow(LayoutChanged);
      expect(() => parseUnitRow(row)).toThrow(/currency/);
    },
  );

  it.each([
    "Unit: CNY billion",
    "Unit: USD 1 Billion",
    "Unit: yuan",
    "Unit: USD 2",
    "Unit: 5 USD",
    "USD unit: 1",
  ])("%j gives no magnitude we know: refused", (row) => {
    expect(() => parseUnitRow(row)).toThrow(LayoutChanged);
    expect(() => parseUnitRow(row)).toThrow(/magnitude/);
  });
});

describe("currencyInTitle", () => {
  it.each([
    ["China's Total Export & Import Values by Country/Region, Mar 2026 (in CNY)", "CNY"],
    ["... (in USD)", "USD"],
    ["... ( in RMB )", "CNY"],
    ["... (in US$)", "USD"],
    ["... (In usd)", "USD"],
    ["... (IN cny)", "CNY"],
    ["... (in  CNY)", "CNY"],
    ["... in CNY", undefined],
    ["... (in EUR)", undefined],
    ["... (CNY)", undefined],
    ["", undefined],
  ] as const)("%j → %s", (title, currency) => {
    expect(currencyInTitle(title)).toBe(currency);
  });
});
