/**
 * Reading GACC unit rows: "Unit: CNY 100 Million", "Unit: USD1 Million", "US$1,000", "Unit: CNY 10,000".
 */
import { LayoutChanged } from "./errors.js";
import type { Currency } from "./model.js";

export interface PrintedUnit {
  currency: Currency;
  /** Values as printed × 10^powerOfTen = base units (dollars, yuan). */
  powerOfTen: number;
  asPrinted: string;
}

const CURRENCY_WORDS: Array<[RegExp, Currency]> = [
  [/\b(USD|US\$|US\s*dollars?)/i, "USD"],
  [/\$/, "USD"],
  [/\b(CNY|RMB|yuan)\b|人民币/i, "CNY"],
];

const MAGNITUDE_WORDS: Array<[RegExp, number]> = [
  [/100\s*million/i, 8],
  [/10\s*million/i, 7],
  [/1?\s*million/i, 6],
  [/100\s*thousand|100,000/i, 5],
  [/10\s*thousand|10,000/i, 4],
  [/1?\s*thousand|1,000/i, 3],
];

export function parseUnitRow(text: string): PrintedUnit {
  const asPrinted = text.replace(/\s+/g, " ").trim();
  const body = asPrinted.replace(/^unit\s*[:：]\s*/i, "");
  const currency = CURRENCY_WORDS.find(([re]) => re.test(body))?.[1];
  if (!currency) {
    throw new LayoutChanged(`The unit row "${asPrinted}" names no currency we know (USD or CNY)`);
  }
  const magnitude = MAGNITUDE_WORDS.find(([re]) => re.test(body));
  if (!magnitude) {
    // "Unit: USD" alone means whole dollars.
    if (/^(USD|US\$|CNY|RMB)\s*1?$/i.test(body.trim())) return { currency, powerOfTen: 0, asPrinted };
    throw new LayoutChanged(`The unit row "${asPrinted}" gives no magnitude we know (e.g. "100 Million")`);
  }
  return { currency, powerOfTen: magnitude[1], asPrinted };
}

/** The currency a title announces in its "(in CNY)" / "(in USD)" suffix, if any. */
export function currencyInTitle(title: string): Currency | undefined {
  const m = /\(\s*in\s+(CNY|USD|RMB|US\$)\s*\)/i.exec(title);
  if (!m?.[1]) return undefined;
  return /CNY|RMB/i.test(m[1]) ? "CNY" : "USD";
}
