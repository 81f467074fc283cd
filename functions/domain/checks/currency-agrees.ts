/**
 * currency-agrees: the currency each title announces ("(in CNY)") must be the unit row's. A page
 * that contradicts itself is held back, never guessed at; the editor chooses when accepting.
 */
import { currencyInTitle, type PrintedUnit } from "../units.js";
import { type CheckRule, type FindingSink, flag } from "./rule.js";

export const currencyAgrees: CheckRule = {
  id: "currency-agrees",
  severity: "blocking",
  guards: "the title and the unit row name the same currency",
};

export function checkCurrencyAgrees(
  unit: PrintedUnit,
  titles: ReadonlyArray<readonly [where: string, text: string]>,
  sink: FindingSink,
): void {
  for (const [where, text] of titles) {
    const said = currencyInTitle(text);
    if (said && said !== unit.currency) {
      flag(
        currencyAgrees,
        sink,
        `the ${where} says ${said} but the unit row says "${unit.asPrinted}"; the values cannot be trusted in either currency`,
        { currencies: { title: said, unitRow: unit.currency } },
      );
    }
  }
}
