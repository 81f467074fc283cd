/**
 * Printed quantity units ("10,000 Tons", "Ton", "100 Million PCS") read exactly: a base unit and
 * a power of ten, never a float factor.
 */
import { isNoValue } from "../../numbers.js";

export interface QuantityUnit {
  /** Base unit the scaled quantity is in: "ton", "kg", "m3", "piece", "set", "pair", "vehicle"... */
  unit: string;
  /** Printed quantity × 10^powerOfTen = quantity in `unit`. */
  powerOfTen: number;
  /** The unit exactly as printed ("10,000 Tons"). */
  printed: string;
}

const BASE_UNITS: Array<[RegExp, string]> = [
  [/^(tons?|tonnes?)$/i, "ton"],
  [/^(kilograms?|kgs?)$/i, "kg"],
  [/^(cbm|cubic met(?:er|re)s?|m3)$/i, "m3"],
  [/^(pcs|pieces?)$/i, "piece"],
  [/^sets?$/i, "set"],
  [/^pairs?$/i, "pair"],
  [/^(autos?|cars?|vehicles?)$/i, "vehicle"],
  [/^(ships?|vessels?)$/i, "ship"],
  [/^(crafts?|aircrafts?)$/i, "aircraft"],
  [/^heads?$/i, "head"],
];

/**
 * Reads a printed quantity unit. Returns null for "no unit" cells ("-", "—"), undefined for a unit
 * we do not know (the caller warns and keeps the quantity out).
 */
export function parseQuantityUnit(printed: string): QuantityUnit | null | undefined {
  const text = printed.replace(/[\s\u00a0\u3000]+/g, " ").trim();
  if (isNoValue(text)) return null;
  const m = /^(?:(\d{1,3}(?:,\d{3})*|\d+)\s*)?(?:(million|thousand)\s+)?(.+)$/i.exec(text);
  if (!m) return undefined;
  const factor = m[1]?.replace(/,/g, "") ?? "1";
  if (!/^10*$/.test(factor)) return undefined;
  const word = (m[2] ?? "").toLowerCase();
  const powerOfTen = factor.length - 1 + (word === "million" ? 6 : word === "thousand" ? 3 : 0);
  const base = BASE_UNITS.find(([re]) => re.test((m[3] ?? "").trim()))?.[1];
  if (!base) return undefined;
  return { unit: base, powerOfTen, printed: text };
}
