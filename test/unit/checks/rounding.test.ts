/** How far apart printed figures may be: exactly where the rounding tolerance ends. */
import { describe, expect, it } from "vitest";
import { printedCellsTolerance, roundingTolerance } from "../../../functions/domain/checks/index.js";

describe("roundingTolerance", () => {
  it.each([
    // decimals, powerOfTen, terms, half-units of the last printed digit in base units
    [1, 8, 3, 15_000_000], // "885.6" in CNY 100 million: ±0.05 × 10^8 per term
    [1, 8, 2, 10_000_000],
    [0, 3, 3, 1_500],
    [2, 2, 1, 0.5],
    [0, 0, 1, 0.5],
    [3, 6, 2, 1_000],
  ])("(%i decimals, 10^%i, %i terms) allows %d and not a unit more", (decimals, power, terms, limit) => {
    const tol = roundingTolerance(decimals, power, terms);
    expect(tol).toBeGreaterThanOrEqual(limit);
    expect(tol).toBeLessThan(limit + 1e-3);
  });
});

describe("printedCellsTolerance", () => {
  it.each([
    // cells, powerOfTen, half a unit of each cell's last printed digit, summed
    [["885.6", "2,347.6", "1,462.0"], 8, 15_000_000],
    [["1,234", "567", "667"], 3, 1_500],
    [["1,234.5", "567", "667.25"], 3, 50 + 500 + 5],
    [["7"], 0, 0.5],
    [[], 3, 0],
  ] as const)("%j at 10^%i allows %d", (cells, power, expected) => {
    expect(printedCellsTolerance(cells, power)).toBeCloseTo(expected, 9);
  });
});
