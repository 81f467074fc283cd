/**
 * The reader's fast path for numbers (plainNumber in functions/domain/query-csv/read.ts): it must
 * read what it takes exactly as the general parser does, and take the common printed forms, which
 * are almost every cell of an export (when it gives up, the general parser reads the cell, slower).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePrintedNumber } from "../../functions/domain/numbers.js";
import { plainNumber } from "../../functions/domain/query-csv/read.js";

const withCommas = (n: number): string => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

describe("plainNumber", () => {
  it("takes every whole number of up to 15 digits, with or without thousands commas (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 15 - 1 }), (n) => {
        expect(plainNumber(String(n))).toBe(n);
        expect(plainNumber(withCommas(n))).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["0", 0],
    ["9", 9],
    ["10", 10],
    ["90", 90],
    ["1,000", 1000],
    ["99,999", 99_999],
    ["100,000", 100_000],
    ["8,634,238,278", 8_634_238_278],
    ["999999999999999", 999_999_999_999_999],
    ["999,999,999,999,999", 999_999_999_999_999], // 19 characters, the longest it takes
    ["000123", 123],
  ] as const)("takes %j as %d", (printed, value) => {
    expect(plainNumber(printed)).toBe(value);
  });

  it.each([
    "",
    "-5",
    "+5",
    "1.5",
    " 12",
    "12 ",
    "1,23",
    "12,3456",
    "1234,567",
    "1,2345",
    ",123",
    "1,,234",
    "1,234,",
    "1,",
    "1234567890123456", // 16 digits: left to the exact general parser
    "1,000,000,000,000,000",
    "00000000000000000001", // 20 characters
    "12a",
    "/",
    ":",
    "?",
    "１２",
  ])("leaves %j to the general parser", (printed) => {
    expect(plainNumber(printed)).toBeUndefined();
  });

  it("never reads a cell differently from the general parser (property)", () => {
    const cell = fc
      .array(fc.constantFrom("0", "1", "5", "9", ",", ".", "-", " ", "/", ":", "a"), { maxLength: 22 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(cell, (text) => {
        const fast = plainNumber(text);
        if (fast === undefined) return;
        expect(fast).toBe(parsePrintedNumber(text, "cell"));
      }),
      { numRuns: 3000 },
    );
  });
});
