/**
 * Mutations of real and sample inputs for property tests: bytes (flip, insert, delete, truncate),
 * table cells (a number replaced by something else), rows (duplicated, dropped, swapped), markup
 * (a closing tag lost, a stray table), and words that matter (currency, unit, month, "of which").
 * Each is a plain description fast-check can generate and shrink; `applyAll` applies them in order.
 */
import fc from "fast-check";

export type Mutation =
  | { kind: "flip"; at: number; byte: number }
  | { kind: "insert"; at: number; bytes: number[] }
  | { kind: "delete"; at: number; length: number }
  | { kind: "truncate"; at: number }
  | { kind: "cell"; nth: number; text: string }
  | { kind: "row"; op: "duplicate" | "drop" | "swap"; nth: number; other: number }
  | { kind: "markup"; op: "drop-close-td" | "drop-open-tr" | "stray-table" | "nest-table"; nth: number }
  | { kind: "word"; from: string; to: string; nth: number };

/** Cell texts that stress number parsing. */
const CELL_TEXTS = [
  "",
  "-",
  "—",
  "–",
  "?",
  "…",
  "0",
  "-0.0",
  "1,234.5",
  "12,34.5",
  "1.2.3",
  "1e5",
  "NaN",
  "Infinity",
  "9".repeat(25),
  "-9,999,999,999,999,999.9",
  "１２３.４",
  "(12.5)",
  "12.5%",
  "&nbsp;",
  "<b></b>",
  "&amp;",
  "=1+1",
  "Russian Federation",
  "of which: Germany",
  "Total",
];

const WORDS: Array<[string, string[]]> = [
  ["CNY", ["USD", "EUR", "", "CNY CNY"]],
  ["USD", ["CNY", "US$", ""]],
  ["100 Million", ["1 Million", "Billion", "", "100 million million"]],
  ["Million", ["Thousand", "Billion", ""]],
  ["Unit", ["Units", "", "Note"]],
  ["Mar", ["Feb", "Dec", "Jan-Feb", ""]],
  ["2026", ["1999", "2100", ""]],
  ["of which", ["", "of whom", "Of Which"]],
  ["Export", ["Import", "", "Re-export"]],
  ["Import", ["Export", ""]],
  ["Year-on-Year", ["", "y/y"]],
  ["1- to-3", ["1-to-2", "3", ""]],
  ["colspan", ["rowspan", "data-x"]],
  ["Russian Federation", ["Russia", "", "Russian Federation Russian Federation"]],
  ["<table", ["<div", "<table><tr><td>x</td></tr></table><table"]],
];

const byteOps: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);

const cellOp: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constant("cell" as const),
  nth: fc.nat(),
  text: fc.oneof(fc.constantFrom(...CELL_TEXTS), fc.string({ maxLength: 12 })),
});

const rowOp: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constant("row" as const),
  op: fc.constantFrom("duplicate" as const, "drop" as const, "swap" as const),
  nth: fc.nat(),
  other: fc.nat(),
});

const markupOp: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constant("markup" as const),
  op: fc.constantFrom(
    "drop-close-td" as const,
    "drop-open-tr" as const,
    "stray-table" as const,
    "nest-table" as const,
  ),
  nth: fc.nat(),
});

const wordOp: fc.Arbitrary<Mutation> = fc.constantFrom(...WORDS).chain(([from, tos]) =>
  fc.record({
    kind: fc.constant("word" as const),
    from: fc.constant(from),
    to: fc.constantFrom(...tos),
    nth: fc.nat(),
  }),
);

/** Structural mutations (cells, rows, words) are weighted up: they get past the first checks and
 * exercise the parser deep inside; raw bytes mostly stop at decoding. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: byteOps, weight: 2 },
  { arbitrary: cellOp, weight: 5 },
  { arbitrary: rowOp, weight: 3 },
  { arbitrary: markupOp, weight: 1 },
  { arbitrary: wordOp, weight: 3 },
);

/** One to four mutations, cells and rows more often than raw bytes. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 4 });

/** Positions of every match of `re` in `text`. */
function spans(text: string, re: RegExp): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(re)) out.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  return out;
}

function pick<T>(xs: T[], n: number): T | undefined {
  return xs.length === 0 ? undefined : xs[n % xs.length];
}

const TD = /<td\b[^>]*>([\s\S]*?)<\/td>/gi;
const TR = /<tr\b[^>]*>[\s\S]*?<\/tr>/gi;

function applyText(text: string, m: Mutation): string {
  switch (m.kind) {
    case "cell": {
      const cell = pick(spans(text, TD), m.nth);
      if (!cell) return text;
      const whole = text.slice(cell[0], cell[1]);
      const open = whole.slice(0, whole.indexOf(">") + 1);
      return `${text.slice(0, cell[0])}${open}<span><b>${m.text}&nbsp;</b></span></td>${text.slice(cell[1])}`;
    }
    case "row": {
      const rows = spans(text, TR);
      const a = pick(rows, m.nth);
      if (!a) return text;
      const rowA = text.slice(a[0], a[1]);
      if (m.op === "duplicate") return `${text.slice(0, a[1])}${rowA}${text.slice(a[1])}`;
      if (m.op === "drop") return `${text.slice(0, a[0])}${text.slice(a[1])}`;
      const b = pick(rows, m.other);
      if (!b || b[0] === a[0]) return text;
      const [first, second] = a[0] < b[0] ? [a, b] : [b, a];
      const x = text.slice(first[0], first[1]);
      const y = text.slice(second[0], second[1]);
      return `${text.slice(0, first[0])}${y}${text.slice(first[1], second[0])}${x}${text.slice(second[1])}`;
    }
    case "markup": {
      const re =
        m.op === "drop-close-td" ? /<\/td>/gi : m.op === "drop-open-tr" ? /<tr\b[^>]*>/gi : /<\/tr>/gi;
      const at = pick(spans(text, re), m.nth);
      if (!at) return text;
      const insert =
        m.op === "stray-table"
          ? "</tr></tbody></table><table><tr><td>x</td></tr><tr><td>y</td></tr></table><table><tbody><tr>"
          : m.op === "nest-table"
            ? "<td><table><tr><td>1</td><td>2</td></tr></table></td>"
            : "";
      return m.op === "stray-table" || m.op === "nest-table"
        ? `${text.slice(0, at[1])}${insert}${text.slice(at[1])}`
        : `${text.slice(0, at[0])}${text.slice(at[1])}`;
    }
    case "word": {
      const hits = spans(text, new RegExp(m.from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g"));
      const at = pick(hits, m.nth);
      if (!at) return text;
      return `${text.slice(0, at[0])}${m.to}${text.slice(at[1])}`;
    }
    default:
      return text;
  }
}

function applyBytes(bytes: Buffer, m: Mutation): Buffer {
  const n = bytes.length;
  switch (m.kind) {
    case "flip": {
      if (n === 0) return bytes;
      const out = Buffer.from(bytes);
      out[m.at % n] = m.byte;
      return out;
    }
    case "insert": {
      const at = n === 0 ? 0 : m.at % (n + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
    }
    case "delete": {
      if (n === 0) return bytes;
      const at = m.at % n;
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(n, at + m.length))]);
    }
    case "truncate":
      return bytes.subarray(0, n === 0 ? 0 : m.at % n);
    default:
      return bytes;
  }
}

/** Applies the mutations in order: text ones on the UTF-8 text, byte ones on the bytes. */
export function applyAll(input: Uint8Array, ms: Mutation[]): Buffer {
  let bytes: Buffer = Buffer.from(input);
  for (const m of ms) {
    if (m.kind === "flip" || m.kind === "insert" || m.kind === "delete" || m.kind === "truncate") {
      bytes = applyBytes(bytes, m);
    } else {
      bytes = Buffer.from(applyText(bytes.toString("utf8"), m), "utf8");
    }
  }
  return bytes;
}

/** Whether any mutation actually changed the input (a cell mutation on a page without cells does not). */
export function changed(input: Uint8Array, output: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(input), Buffer.from(output)) !== 0;
}
