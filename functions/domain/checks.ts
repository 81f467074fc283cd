/**
 * Checks run on a parsed release before anything is written. Blocking findings quarantine the
 * release; warnings are published and flagged in the run report. Shared by every table parser.
 */
import type { CheckFinding, Currency, Observation } from "./model.js";
import { currencyInTitle, type PrintedUnit } from "./units.js";
import { flowsAddUpText, monthWithinYtdText } from "./wording.js";

export interface FindingSink {
  blocking: CheckFinding[];
  warnings: CheckFinding[];
}

/** Largest error the printed rounding can explain for a sum of `terms` values, in base units. */
export function roundingTolerance(decimals: number, powerOfTen: number, terms: number): number {
  return terms * 0.5 * 10 ** (powerOfTen - decimals) + 1e-6;
}

/**
 * exports + imports must equal total within what rounding explains. Never sums rows. The finding
 * keeps the raw amounts (base units); its message formats them as the charts do (wording.ts).
 */
export function checkFlowsAddUp(
  row: string,
  values: { total?: number | undefined; exports?: number | undefined; imports?: number | undefined },
  tolerance: number,
  what: string,
  sink: FindingSink,
  currency?: Currency,
): void {
  const { total, exports, imports } = values;
  if (total === undefined || exports === undefined || imports === undefined) return;
  const gap = Math.abs(exports + imports - total);
  if (gap > tolerance) {
    const amounts = { exportsPlusImports: exports + imports, total, gap };
    sink.blocking.push({
      check: "flows-add-up",
      message: flowsAddUpText(row, amounts, what, currency),
      amounts,
      ...(currency ? { currency } : {}),
    });
  }
}

/** A single month can never exceed its year-to-date figure. */
export function checkMonthWithinYtd(
  row: string,
  flow: string,
  month: number | undefined,
  ytd: number | undefined,
  tolerance: number,
  sink: FindingSink,
  currency?: Currency,
): void {
  if (month === undefined || ytd === undefined) return;
  if (month > ytd + tolerance) {
    const amounts = { month, yearToDate: ytd };
    sink.blocking.push({
      check: "month-within-ytd",
      message: monthWithinYtdText(row, flow, amounts, currency),
      amounts,
      ...(currency ? { currency } : {}),
    });
  }
}

export function checkSomeRows(observations: Observation[], what: string, sink: FindingSink): void {
  if (observations.length === 0) {
    sink.blocking.push({ check: "has-rows", message: `${what} parsed to zero rows` });
  }
}

/** Printed y/y beyond ±100% is often real (low base) but worth a second look before printing. */
export function warnLargeYoy(row: string, label: string, pct: number | undefined, sink: FindingSink): void {
  if (pct !== undefined && Math.abs(pct) > 100) {
    sink.warnings.push({
      check: "large-yoy",
      message: `${row}: ${label} y/y is ${pct}% (beyond ±100%); check the base before printing`,
    });
  }
}

/**
 * The currency each title announces ("(in CNY)") must be the unit row's. A page that contradicts
 * itself is held back, never guessed at.
 */
export function checkCurrencyAgrees(
  unit: PrintedUnit,
  titles: ReadonlyArray<readonly [where: string, text: string]>,
  sink: FindingSink,
): void {
  for (const [where, text] of titles) {
    const said = currencyInTitle(text);
    if (said && said !== unit.currency) {
      sink.blocking.push({
        check: "currency-agrees",
        message: `the ${where} says ${said} but the unit row says "${unit.asPrinted}"; the values cannot be trusted in either currency`,
        currencies: { title: said, unitRow: unit.currency },
      });
    }
  }
}
