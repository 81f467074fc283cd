/**
 * Exact decimal handling for printed figures. "885.6" in CNY 100 million is 88,560,000,000 yuan,
 * not 88560000000.00001: we scale the digits as text, never multiply floats.
 */
import { LayoutChanged } from "./errors.js";

const PRINTED_NUMBER = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;
/** Cells GACC prints for "no value". */
const NO_VALUE = new Set(["", "-", "—", "–", "--", "?", "…"]);

/** Strips the decoration GACC puts around numbers: &nbsp;, spaces, full-width minus. */
export function cleanCell(text: string): string {
  return text
    .replace(/[\u00a0\u3000\s]+/g, "")
    .replace(/[\u2212\uff0d]/g, "-")
    .trim();
}

export function isNoValue(cell: string): boolean {
  return NO_VALUE.has(cleanCell(cell));
}

/**
 * Parses a printed number ("1,234.5", "-0.7", "12") exactly. Returns undefined for "no value" cells
 * ("-", "—", "?", empty) and throws LayoutChanged for anything else that is not a number.
 */
export function parsePrintedNumber(cell: string, where: string): number | undefined {
  const text = cleanCell(cell);
  if (NO_VALUE.has(text)) return undefined;
  if (!PRINTED_NUMBER.test(text)) {
    throw new LayoutChanged(`${where}: expected a number but found "${cell.trim()}"`);
  }
  return Number(text.replace(/,/g, ""));
}

/**
 * Scales a printed decimal by a power of ten exactly: ("885.6", 8) → 88560000000.
 * Throws if the result is not a safe integer (it would lose digits).
 */
export function scaleDecimal(cell: string, powerOfTen: number, where: string): number | undefined {
  const text = cleanCell(cell);
  if (NO_VALUE.has(text)) return undefined;
  const m = PRINTED_NUMBER.exec(text);
  if (!m) throw new LayoutChanged(`${where}: expected a number but found "${cell.trim()}"`);
  const sign = m[1] === "-" ? -1n : 1n;
  const intPart = (m[2] ?? "0").replace(/,/g, "");
  const fracPart = m[3] ?? "";
  if (fracPart.length > powerOfTen) {
    // More decimals than the unit allows (e.g. "1.5" whole dollars): keep the exact rational value.
    return Number(`${m[1]}${intPart}.${fracPart}`) * 10 ** powerOfTen;
  }
  const digits = BigInt(intPart + fracPart.padEnd(powerOfTen, "0"));
  const scaled = sign * digits;
  if (scaled > BigInt(Number.MAX_SAFE_INTEGER) || scaled < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new LayoutChanged(`${where}: the value "${cell.trim()}" is too large to store exactly`);
  }
  return Number(scaled);
}

/** Number of decimals a printed cell carries ("1,234.5" → 1), used for rounding tolerances. */
export function printedDecimals(cell: string): number {
  const text = cleanCell(cell);
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Rounds to `decimals` places for display, avoiding 1.005 → 1.00 surprises. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round((value + Number.EPSILON * Math.sign(value)) * f) / f;
}

/**
 * A size for people: "4 MB", "5.7 MB", "812 KB", "90 bytes" (1 MB = 1024 × 1024 bytes, as the
 * limits are written). One decimal at most, none when it is zero.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "KB"] : [bytes / (1024 * 1024), "MB"];
  return `${Number(value.toFixed(1)).toString()} ${unit}`;
}
