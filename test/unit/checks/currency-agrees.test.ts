/** currency-agrees: every title's currency is the unit row's; the two currencies travel with the finding. */
import { describe, expect, it } from "vitest";
import { checkCurrencyAgrees, currencyAgrees, findingSink } from "../../../functions/domain/checks/index.js";
import { parseUnitRow } from "../../../functions/domain/units.js";
import { checksOf } from "./sink.js";

describe("currency-agrees", () => {
  it("is one blocking rule", () => {
    expect(currencyAgrees).toMatchObject({ id: "currency-agrees", severity: "blocking" });
  });

  // Printed, and read inside each test: code run while a file loads costs the mutation run dearly (docs/testing.md).
  const cny = "Unit: CNY 100 Million";
  const usd = "Unit: USD1 Million";
  it.each([
    [cny, ["... (in CNY)", "... (in CNY)"], []],
    [cny, ["... (in USD)", "... (in CNY)"], ["currency-agrees"]],
    [cny, ["... (in USD)", "... (in US$)"], ["currency-agrees", "currency-agrees"]],
    [usd, ["... (in RMB)", "no currency said"], ["currency-agrees"]],
    [usd, ["no currency said", ""], []],
    [usd, ["... (in USD)"], []],
  ] as const)("unit %j, titles %j", (unit, titles, blocking) => {
    const s = findingSink();
    checkCurrencyAgrees(
      parseUnitRow(unit),
      titles.map((t, i) => [`title ${i}`, t] as const),
      s,
    );
    expect(checksOf(s)).toEqual({ blocking, warnings: [] });
  });

  it("names the part of the page and both currencies", () => {
    const s = findingSink();
    checkCurrencyAgrees(parseUnitRow(cny), [["title", "... (in USD)"]], s);
    expect(s.blocking).toEqual([
      {
        check: "currency-agrees",
        message:
          'the title says USD but the unit row says "Unit: CNY 100 Million"; the values cannot be trusted in either currency',
        currencies: { title: "USD", unitRow: "CNY" },
      },
    ]);
  });
});
