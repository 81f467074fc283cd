/**
 * Streaming reader for query-platform CSV exports (stats.customs.gov.cn). Bytes in, typed rows out,
 * one chunk of text at a time: the file is never held in memory.
 *
 *   "数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",
 *   "202301","410","巴西","12019019","转基因黄大豆","1831535439","千克","0","?","8,634,238,278",
 *
 * Every line ends with a comma (an empty last field); numbers are quoted with thousands commas; `?`
 * means none; HS and partner codes stay strings exactly as printed. Anything else — an unknown or
 * missing header, a ragged row, a number that is not one, an unclosed quote, binary bytes — throws
 * LayoutChanged naming the line and column, so a caller never gets part of a file.
 */
import { EventEmitter } from "node:events";
import Papa from "papaparse";
import { LayoutChanged } from "../errors.js";
import type { Currency } from "../model.js";
import { isNoValue, parsePrintedNumber, scaleDecimal } from "../numbers.js";
import { fieldOfHeader, type QueryField, REQUIRED_FIELDS, unitSymbol, VALUE_FIELDS } from "./columns.js";
import { type DecodeInfo, decodeQueryExport, type QueryEncoding, type QueryExportInput } from "./decode.js";

export interface QueryQuantity {
  value: number;
  /** As printed ("1,831,535,439"). */
  printed: string;
  /** Short English symbol ("kg"), or the printed unit when we do not know it. */
  unit: string;
  /** As printed ("千克"). */
  printedUnit: string;
  /** False when `unit` is only the printed unit because we do not know it. */
  unitKnown: boolean;
}

export interface QueryRow {
  /** 1-based line of the file the row starts on (the header is line 1). */
  line: number;
  /** "2023-01" */
  period: string;
  /** "410", exactly as printed. */
  partnerCode: string;
  partnerName: string | undefined;
  /** "12019019", "03011100": exactly as printed, leading zeros kept. */
  hsCode: string;
  commodityName: string | undefined;
  regimeCode: string | undefined;
  regimeName: string | undefined;
  provinceCode: string | undefined;
  provinceName: string | undefined;
  /** 第一数量 / 第一计量单位; undefined when printed as `?` or without a unit and zero. */
  quantity: QueryQuantity | undefined;
  /** 第二数量 / 第二计量单位 ("Supplimentary Quantity"); the platform prints "0" and "?" when none. */
  supplementaryQuantity: QueryQuantity | undefined;
  /** Whole yuan or dollars; undefined when printed as `?`. */
  value: number | undefined;
  /** As printed ("8,634,238,278"). */
  valuePrinted: string;
  currency: Currency;
}

export interface QueryHeader {
  /** Headers exactly as printed, in order (without the empty one the trailing comma makes). */
  columns: string[];
  /** Which column each field sits in (0-based). */
  fields: Partial<Record<QueryField, number>>;
  currency: Currency;
  language: "zh" | "en";
  /** Certain once the rows have been read: text before the first non-ASCII byte reads the same in both. */
  readonly encoding: QueryEncoding;
  bom: boolean;
  /** Whether every line ends with a comma (an empty last field), as the platform writes them. */
  trailingComma: boolean;
}

export interface ReadQueryOptions {
  /** Called once, after the header line is read and checked, before the first row. */
  onHeader?: (header: QueryHeader) => void;
}

/** Text without a complete row beyond this means an unclosed quote swallowed the rest of the file. */
const MAX_ROW_CHARS = 1024 * 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we look for
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/;

/**
 * A minimal readable Papa can stream from: Papa listens for "data" and "end" and parses each chunk
 * synchronously inside emit(), so rows come out as soon as their text is fed, and nothing is
 * buffered beyond the current chunk and the unfinished line Papa carries over.
 */
class PapaFeed extends EventEmitter {
  readonly readable = true;
  read(): null {
    return null;
  }
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
}

/**
 * The cells of a line in the platform's own shape — every field quoted, no quote marks inside
 * fields, an optional trailing comma — split on its quote marks: `"a","b",` → ["a", "b", ""].
 * Exactly Papa Parse's reading of such a line (the separators between quoted fields must be a lone
 * comma, so any other quote mark, unquoted field or stray space fails the test), at about twice its
 * speed, because Papa reads quoted fields character by character and undoubles quotes in each.
 * undefined for any other line: Papa reads it.
 */
export function platformLineCells(line: string): string[] | undefined {
  if (line === "") return [""];
  const parts = line.split('"');
  const n = parts.length;
  // ['', field, ',', field, ..., field, ',' or '']
  if (n < 3 || n % 2 === 0 || parts[0] !== "") return undefined;
  const last = parts[n - 1];
  if (last !== "" && last !== ",") return undefined;
  const cells: string[] = [];
  for (let i = 1; i < n; i += 2) {
    if (i + 1 < n - 1 && parts[i + 1] !== ",") return undefined;
    cells.push(parts[i] as string);
  }
  if (last === ",") cells.push("");
  return cells;
}

function countNewlines(text: string, newline: string, end = text.length): number {
  const nl = newline === "\r" ? "\r" : "\n";
  let n = 0;
  let i = text.indexOf(nl);
  while (i >= 0 && i < end) {
    n++;
    i = text.indexOf(nl, i + 1);
  }
  return n;
}

function describeChar(ch: string): string {
  if (ch === "\ufffd") return "bytes that are neither GB18030 nor UTF-8";
  return `a control character (0x${ch.charCodeAt(0).toString(16).padStart(2, "0")})`;
}

const REQUIRED_LABELS: Partial<Record<QueryField, string>> = {
  period: "数据年月 (Date of data)",
  partnerCode: "贸易伙伴编码 (Trading partner code)",
  hsCode: "商品编码 (Commodity code)",
};

/** Reads the header line: known columns only, the required ones present, exactly one value column. */
function readHeader(
  cells: string[],
  decode: DecodeInfo,
  line: number,
): Omit<QueryHeader, "encoding" | "bom"> & { width: number } {
  const trailingComma = cells.length > 1 && cells[cells.length - 1] === "";
  const columns = trailingComma ? cells.slice(0, -1) : cells;
  const fields: Partial<Record<QueryField, number>> = {};
  const problems: string[] = [];
  let english = 0;
  let chinese = 0;
  for (const [i, raw] of columns.entries()) {
    const header = raw.replace(/^\ufeff/, "").trim();
    if (header === "") {
      problems.push(`column ${i + 1} has no header`);
      continue;
    }
    const field = fieldOfHeader(header);
    if (!field) {
      problems.push(
        `column ${i + 1} is headed "${header}", which is not a column the query platform exports`,
      );
      continue;
    }
    if (fields[field] !== undefined) {
      problems.push(`columns ${(fields[field] ?? 0) + 1} and ${i + 1} both hold "${header}"`);
      continue;
    }
    fields[field] = i;
    if (/[\u4e00-\u9fff]/.test(header)) chinese++;
    else english++;
  }
  if (problems.length === 0) {
    for (const field of REQUIRED_FIELDS) {
      if (fields[field] === undefined) problems.push(`there is no ${REQUIRED_LABELS[field] ?? field} column`);
    }
    const values = VALUE_FIELDS.filter((v) => fields[v.field] !== undefined);
    if (values.length === 0)
      problems.push("there is no value column (人民币 / Renminbi Yuan or 美元 / US dollar)");
    if (values.length > 1) {
      problems.push("it has both a yuan and a dollar value column; export one currency per file");
    }
  }
  if (/^\s*<(?:!doctype|html|\?xml)/i.test(cells[0] ?? "")) {
    throw new LayoutChanged(
      `Line ${line} is the start of a web page, not of a CSV export (perhaps the platform's CAPTCHA or an error page ` +
        "was saved instead of the download). Export the file again from the query platform.",
    );
  }
  if (problems.length > 0) {
    const encoding = decode.encoding ? ` (read as ${decode.encoding.toUpperCase()})` : "";
    throw new LayoutChanged(
      `Line ${line}, the header${encoding}, is not the query platform's: ${problems.join("; ")}. ` +
        "Upload the CSV exactly as the platform exported it.",
    );
  }
  const value = VALUE_FIELDS.find((v) => fields[v.field] !== undefined);
  if (!value) throw new LayoutChanged(`Line ${line}, the header, has no value column`); // unreachable: checked above
  return {
    columns: columns.map((c) => c.replace(/^\ufeff/, "")),
    fields: { ...fields, [value.field]: fields[value.field] },
    currency: value.currency,
    language: chinese >= english ? "zh" : "en",
    trailingComma,
    width: cells.length,
  };
}

const PERIOD = /^(\d{4})(?:[-/年.]?)(\d{2})月?$/;

/**
 * The common cases, fast: "1831535439", "8,634,238,278" (at most 15 digits, so exact), read digit
 * by digit: the normalizer reads three numbers a row, and a regular expression plus a copy without
 * commas cost about a tenth of its time. Anything else (signs, decimals, spaces, misplaced commas,
 * more than 15 digits) returns undefined for the general parser to read or reject. (Exported for its
 * test: a fast path that gave up too often would still read every number right, only slower.)
 */
export function plainNumber(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > 19) return undefined;
  let value = 0;
  let digits = 0;
  let group = -1; // digits since the last comma; -1 before the first
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
      if (group >= 0 && ++group > 3) return undefined;
    } else if (c === 44 && (group === -1 ? digits >= 1 && digits <= 3 : group === 3)) {
      group = 0;
    } else {
      return undefined;
    }
  }
  return digits > 15 || (group !== -1 && group !== 3) ? undefined : value;
}

/** Turns checked header positions into a row parser. Every failure names the line and the column. */
function rowReader(header: QueryHeader): (cells: string[], line: number) => QueryRow {
  const f = header.fields;
  // Column positions looked up once, not per row (-1: the file has no such column).
  const col = (field: QueryField): number => f[field] ?? -1;
  const at = (cells: string[], i: number): string | undefined => (i < 0 ? undefined : (cells[i] ?? ""));
  const where = (line: number, field: QueryField): string => {
    const i = f[field] ?? 0;
    return `Line ${line}, column ${i + 1} "${header.columns[i]}"`;
  };
  const optionalText = (cells: string[], i: number): string | undefined => {
    const text = at(cells, i)?.trim();
    return text === undefined || text === "" || text === "?" ? undefined : text;
  };
  // A file prints a handful of units a million times: each is looked up once.
  const symbols = new Map<string, string | undefined>();
  const symbolOf = (printed: string): string | undefined => {
    let symbol = symbols.get(printed);
    if (symbol === undefined && !symbols.has(printed)) {
      symbol = unitSymbol(printed);
      symbols.set(printed, symbol);
    }
    return symbol;
  };
  const quantity = (
    valueField: QueryField,
    unitField: QueryField,
  ): ((cells: string[], line: number) => QueryQuantity | undefined) => {
    const valueAt = col(valueField);
    const unitAt = col(unitField);
    return (cells, line) => {
      const text = at(cells, valueAt);
      if (text === undefined) return undefined;
      const value = plainNumber(text) ?? parsePrintedNumber(text, where(line, valueField));
      if (value === undefined) return undefined;
      const printedUnit = optionalText(cells, unitAt);
      if (printedUnit === undefined && value === 0) return undefined; // the platform's "0","?" for none
      const symbol = printedUnit === undefined ? undefined : symbolOf(printedUnit);
      return {
        value,
        printed: text,
        unit: symbol ?? printedUnit ?? "",
        printedUnit: printedUnit ?? "",
        unitKnown: symbol !== undefined,
      };
    };
  };
  const quantity1 = quantity("quantity1", "unit1");
  const quantity2 = quantity("quantity2", "unit2");
  const valueField: QueryField = header.currency === "CNY" ? "valueCny" : "valueUsd";
  const periodAt = col("period");
  const partnerCodeAt = col("partnerCode");
  const partnerNameAt = col("partnerName");
  const hsCodeAt = col("hsCode");
  const commodityNameAt = col("commodityName");
  const regimeCodeAt = col("regimeCode");
  const regimeNameAt = col("regimeName");
  const provinceCodeAt = col("provinceCode");
  const provinceNameAt = col("provinceName");
  const valueAt = col(valueField);

  // The last period cell read and what it gave: a file prints one period for thousands of rows.
  // (Undefined at first: an empty first period must be checked too, not taken for a repeat.)
  let lastPeriodText: string | undefined;
  let lastPeriod = "";
  const period = (cells: string[], line: number): string => {
    const text = (at(cells, periodAt) ?? "").trim();
    if (text === lastPeriodText) return lastPeriod;
    const pm = PERIOD.exec(text);
    const month = Number(pm?.[2]);
    if (!pm || month < 1 || month > 12) {
      throw new LayoutChanged(
        `${where(line, "period")}: expected a year and month like 202301 but found "${text}"`,
      );
    }
    lastPeriodText = text;
    lastPeriod = `${pm[1]}-${pm[2]}`;
    return lastPeriod;
  };

  return (cells, line) => {
    const periodValue = period(cells, line);
    const partnerCode = (at(cells, partnerCodeAt) ?? "").trim();
    if (!/^\d{3}$/.test(partnerCode)) {
      throw new LayoutChanged(
        `${where(line, "partnerCode")}: expected a 3-digit partner code like 344 but found "${partnerCode}"`,
      );
    }
    const hsCode = (at(cells, hsCodeAt) ?? "").trim();
    if (!/^\d+$/.test(hsCode) || hsCode.length > 10 || hsCode.length % 2 === 1) {
      const hint =
        /^\d+$/.test(hsCode) && hsCode.length % 2 === 1
          ? ": a spreadsheet program probably dropped its leading zero (03011100 became 3011100); upload the file as the platform exported it"
          : "";
      throw new LayoutChanged(
        `${where(line, "hsCode")}: expected an HS code of 2 to 10 digits like 03011100 but found "${hsCode}"${hint}`,
      );
    }
    const valuePrinted = (at(cells, valueAt) ?? "").trim();
    const value =
      plainNumber(valuePrinted) ??
      (isNoValue(valuePrinted) ? undefined : scaleDecimal(valuePrinted, 0, where(line, valueField)));
    return {
      line,
      period: periodValue,
      partnerCode,
      partnerName: optionalText(cells, partnerNameAt),
      hsCode,
      commodityName: optionalText(cells, commodityNameAt),
      regimeCode: optionalText(cells, regimeCodeAt),
      regimeName: optionalText(cells, regimeNameAt),
      provinceCode: optionalText(cells, provinceCodeAt),
      provinceName: optionalText(cells, provinceNameAt),
      quantity: quantity1(cells, line),
      supplementaryQuantity: quantity2(cells, line),
      value,
      valuePrinted,
      currency: header.currency,
    };
  };
}

function quoteProblem(error: Papa.ParseError, line: number): LayoutChanged {
  if (error.code === "MissingQuotes") {
    return new LayoutChanged(
      `Line ${line}: a quoted field is never closed (a quote mark is missing, or the file was cut off before its end)`,
    );
  }
  if (error.code === "InvalidQuotes") {
    return new LayoutChanged(
      `Line ${line}: a quote mark inside a quoted field is not doubled (""), so the line cannot be split into columns`,
    );
  }
  return new LayoutChanged(`Line ${line}: the CSV cannot be read (${error.message})`);
}

/**
 * Reads a query-platform export as it streams in, yielding one typed row per data line. The header
 * is checked before the first row (and handed to `options.onHeader`). Throws LayoutChanged on the
 * first line that does not fit; stop iterating and nothing more is read.
 */
export async function* readQueryRows(
  input: QueryExportInput,
  options: ReadQueryOptions = {},
): AsyncGenerator<QueryRow> {
  for await (const rows of readQueryRowBatches(input, options)) yield* rows;
}

/**
 * readQueryRows a chunk at a time: the rows of each piece of text decoded (several hundred for a
 * 64 KiB read) as one array. For big files: taken a row at a time, the promises behind each step of
 * an async iteration cost about a tenth of the reading. A line that does not fit throws before its
 * chunk's rows come out.
 */
export async function* readQueryRowBatches(
  input: QueryExportInput,
  options: ReadQueryOptions = {},
): AsyncGenerator<QueryRow[]> {
  const decode: DecodeInfo = { encoding: undefined, bom: false };
  const text = decodeQueryExport(input, decode);

  // Papa needs the line break before its first chunk: hold text back until the first one shows,
  // and, when it is a CR at the very end of the text so far, until the next character says whether
  // an LF follows (a piece of the file may end between the two).
  const chunks = text[Symbol.asyncIterator]();
  let start = "";
  const lineBreakKnown = (t: string): boolean => {
    const at = t.search(/[\r\n]/);
    return at >= 0 && (t[at] === "\n" || at + 1 < t.length);
  };
  while (!lineBreakKnown(start) && start.length <= MAX_ROW_CHARS) {
    const next = await chunks.next();
    if (next.done) break;
    start += next.value;
  }
  const firstNl = start.search(/[\r\n]/);
  if (firstNl < 0 && start.length > MAX_ROW_CHARS) {
    throw new LayoutChanged(
      "Line 1 runs for more than a megabyte without a line break: this is not a CSV export",
    );
  }
  const newline: "\r\n" | "\n" | "\r" =
    firstNl < 0 || start[firstNl] === "\n" ? "\n" : start[firstNl + 1] === "\n" ? "\r\n" : "\r";

  const lineBreak = newline === "\r" ? "\r" : "\n";
  const feed = new PapaFeed();
  let batch: string[][] = [];
  let batchErrors: Array<{ error: Papa.ParseError; index: number }> = [];
  Papa.parse<string[]>(feed as unknown as NodeJS.ReadableStream, {
    delimiter: ",",
    newline,
    quoteChar: '"',
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
    chunk: (results) => {
      const base = batch.length;
      for (const row of results.data) batch.push(row);
      // Errors on the unfinished last line are re-examined when the rest of it arrives.
      for (const error of results.errors) {
        if (error.row !== undefined && error.row < results.data.length) {
          batchErrors.push({ error, index: base + error.row });
        }
      }
    },
    complete: () => undefined, // the end is when we emit "end"; rows have all come through `chunk` by then
  });

  let line = 1; // line the next record starts on
  let fedLines = 0; // line breaks fed to Papa so far, for locating binary bytes
  let charsSinceRow = 0;
  // Set by the header line: the rows that follow are checked against it and typed.
  let reader:
    | { header: QueryHeader; width: number; parseRow: (cells: string[], line: number) => QueryRow }
    | undefined;

  /**
   * Checks and types the rows Papa has produced, appending them to `out`. `complete` says every row
   * ended with a line break (true while feeding; the last line of a file may have none): then, when
   * the rows are as many as the line breaks fed, no cell holds a line break and each row is one line,
   * so the cells need not be searched for them.
   */
  const take = (out: QueryRow[], complete: boolean): void => {
    const rows = batch;
    const errors = batchErrors;
    batch = [];
    batchErrors = [];
    const errorAt =
      errors.length === 0 ? undefined : new Map(errors.reverse().map((e) => [e.index, e.error] as const));
    const oneLineEach = complete && line - 1 + rows.length === fedLines;
    for (let index = 0; index < rows.length; index++) {
      const cells = rows[index] as string[];
      const rowLine = line;
      const error = errorAt?.get(index);
      if (error) throw quoteProblem(error, rowLine);
      line += 1;
      if (!oneLineEach) {
        for (const cell of cells) {
          if (cell.includes(lineBreak)) line += countNewlines(cell, newline);
        }
      }
      if (cells.length === 1 && cells[0] === "") continue; // an empty line
      if (!reader) {
        const h = readHeader(cells, decode, rowLine);
        const header: QueryHeader = {
          columns: h.columns,
          fields: h.fields,
          currency: h.currency,
          language: h.language,
          trailingComma: h.trailingComma,
          // Read live: a header of plain ASCII comes out before the bytes that decide the encoding.
          get encoding(): QueryEncoding {
            return decode.encoding ?? "utf-8";
          },
          bom: decode.bom,
        };
        reader = { header, width: h.width, parseRow: rowReader(header) };
        options.onHeader?.(header);
        continue;
      }
      const { header, width } = reader;
      if (cells.length !== width) {
        throw new LayoutChanged(
          `Line ${rowLine} has ${cells.length} fields where the header has ${width}` +
            `${header.trailingComma ? " (counting the empty one after the trailing comma)" : ""}: ` +
            "a comma is missing or extra, or the line was cut short",
        );
      }
      if (header.trailingComma && cells[width - 1] !== "") {
        throw new LayoutChanged(
          `Line ${rowLine}, column ${width}: after the last column there should be nothing but "${cells[width - 1]}" is there`,
        );
      }
      out.push(reader.parseRow(cells, rowLine));
    }
    if (rows.length > 0) charsSinceRow = 0;
  };

  // Lines in the platform's shape are split here (platformLineCells); from the first line that is not
  // (or in a file whose lines end in a lone CR), Papa reads the rest of the file. `carry` is the
  // unfinished last line while the lines are split here; `papaFed` says Papa has taken over.
  let carry = "";
  let papaFed = newline === "\r";
  const crlf = newline === "\r\n";
  const split = (chunk: string): void => {
    const text = carry + chunk;
    let pos = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", pos)) {
      const end = crlf ? nl - 1 : nl;
      const cells =
        end >= pos && (!crlf || text[end] === "\r") ? platformLineCells(text.slice(pos, end)) : undefined;
      if (!cells) break;
      batch.push(cells);
      pos = nl + 1;
    }
    if (text.indexOf("\n", pos) >= 0) {
      carry = "";
      papaFed = true;
      feed.emit("data", text.slice(pos));
    } else {
      carry = text.slice(pos);
    }
  };

  const push = (chunk: string): QueryRow[] => {
    const bad = BINARY.exec(chunk);
    if (bad) {
      const at = fedLines + countNewlines(chunk, newline, bad.index) + 1;
      throw new LayoutChanged(
        `Line ${at} holds ${describeChar(bad[0])}: the file is damaged or is not a query-platform CSV export`,
      );
    }
    fedLines += countNewlines(chunk, newline);
    if (papaFed) feed.emit("data", chunk);
    else split(chunk);
    charsSinceRow += chunk.length;
    const out: QueryRow[] = [];
    take(out, true);
    if (charsSinceRow > MAX_ROW_CHARS) {
      throw new LayoutChanged(
        `Line ${line}: more than a megabyte of text without the end of a line: a quote mark is probably missing`,
      );
    }
    return out;
  };

  const first = push(start);
  if (first.length > 0) yield first;
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    const rows = push(next.value);
    if (rows.length > 0) yield rows;
  }
  if (!papaFed) {
    // The last line, when the file does not end with a line break.
    const cells = platformLineCells(carry);
    if (carry === "") {
      // nothing left
    } else if (cells && !(crlf && carry.endsWith("\r"))) batch.push(cells);
    else feed.emit("data", carry);
  }
  feed.emit("end");
  const last: QueryRow[] = [];
  take(last, false);
  if (last.length > 0) yield last;
  if (!reader) throw new LayoutChanged("The file is empty: there is no header line and no data");
}
