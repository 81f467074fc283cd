/**
 * Writes synthetic exports in the query platform's own format — GB18030, every field quoted, every
 * line ending with a comma, values with thousands commas, `?` for none — for tests and the benchmark.
 * The figures are made up (seeded, reproducible); the partner codes and names come from our registry,
 * so every row maps. Rows run period by period, partner by partner, HS code by HS code, so no two rows
 * share a (period, partner, HS code).
 */
import { createWriteStream } from "node:fs";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import iconv from "iconv-lite";
import type { Currency } from "../../functions/domain/model.js";
import { partners as defaultRegistry, type PartnerRegistry } from "../../functions/domain/partners.js";
import { QUERY_HEADERS, type QueryField } from "../../functions/domain/query-csv/columns.js";
import { seededRandom } from "./random.js";

export interface GenerateQueryExportOptions {
  /** "gb18030" (the platform's) or "utf-8". */
  encoding?: "gb18030" | "utf-8";
  /** Start with a byte-order mark (UTF-8 only). */
  bom?: boolean;
  /** Header language; data rows keep Chinese partner and commodity names either way, as the platform does. */
  headers?: "zh" | "en";
  currency?: Currency;
  /** First period, "2015-01". */
  startPeriod?: string;
  seed?: number;
  lineEnding?: "\n" | "\r\n";
  /** Lines per encoded chunk. */
  linesPerChunk?: number;
  registry?: PartnerRegistry;
  /** Largest value a row's figure is drawn from (default 2e9); smaller makes shorter rows. */
  scale?: number;
}

export interface GeneratedExport {
  rows: number;
  bytes: number;
}

/** Real HS codes with their Chinese names and first units (chapters 03, 10, 12, 26, 27, 44, 74, 85, 87). */
const COMMODITIES: Array<{ hs: string; name: string; unit: string; pricePerUnit: number; unit2?: string }> = [
  { hs: "03011100", name: "观赏用淡水鱼", unit: "千克", pricePerUnit: 120 },
  { hs: "03036300", name: "冻鳕鱼", unit: "千克", pricePerUnit: 25 },
  { hs: "03038990", name: "其他冻鱼", unit: "千克", pricePerUnit: 12 },
  { hs: "03061719", name: "其他冻虾及对虾", unit: "千克", pricePerUnit: 45 },
  { hs: "03061490", name: "其他冻蟹", unit: "千克", pricePerUnit: 90 },
  { hs: "10019900", name: "其他小麦及混合麦", unit: "千克", pricePerUnit: 2 },
  { hs: "10039000", name: "其他大麦", unit: "千克", pricePerUnit: 2 },
  { hs: "10059000", name: "其他玉米", unit: "千克", pricePerUnit: 2 },
  { hs: "12019011", name: "非转基因黄大豆", unit: "千克", pricePerUnit: 5 },
  { hs: "12019019", name: "转基因黄大豆", unit: "千克", pricePerUnit: 4 },
  { hs: "12051090", name: "其他低芥子酸油菜籽", unit: "千克", pricePerUnit: 4 },
  { hs: "26011100", name: "未烧结铁矿砂及其精矿", unit: "千克", pricePerUnit: 1 },
  { hs: "27011210", name: "未制成型的炼焦煤", unit: "千克", pricePerUnit: 1 },
  { hs: "27090000", name: "石油原油及从沥青矿物提取的原油", unit: "千克", pricePerUnit: 4 },
  { hs: "27101922", name: "5-7号燃料油", unit: "千克", pricePerUnit: 4 },
  { hs: "27111100", name: "液化天然气", unit: "千克", pricePerUnit: 4 },
  { hs: "27112100", name: "天然气", unit: "千克", pricePerUnit: 3 },
  { hs: "44032500", name: "针叶木原木", unit: "立方米", pricePerUnit: 900, unit2: "千克" },
  { hs: "74031111", name: "按重量计含铜量超过99.9935%的阴极", unit: "千克", pricePerUnit: 60 },
  { hs: "85171300", name: "智能手机", unit: "台", pricePerUnit: 2000, unit2: "千克" },
  {
    hs: "87032342",
    name: "排气量超过1.5升但不超过2升的小轿车",
    unit: "辆",
    pricePerUnit: 150000,
    unit2: "千克",
  },
];

function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

const COLUMNS: QueryField[] = [
  "period",
  "partnerCode",
  "partnerName",
  "hsCode",
  "commodityName",
  "quantity1",
  "unit1",
  "quantity2",
  "unit2",
];

/** The file as text lines (header first), each with its line ending. */
export function* queryExportLines(rows: number, options: GenerateQueryExportOptions = {}): Generator<string> {
  const eol = options.lineEnding ?? "\n";
  const currency = options.currency ?? "CNY";
  const lang = options.headers === "en" ? 1 : 0;
  const registry = options.registry ?? defaultRegistry;
  const rand = seededRandom(options.seed ?? 20230101);
  const [startYear, startMonth] = (options.startPeriod ?? "2015-01").split("-").map(Number);
  const partnerList = registry
    .entries()
    .filter((e) => e.platformCode)
    .map((e) => ({ code: e.platformCode ?? "", name: e.platformNameZh ?? e.names[0] ?? "" }));
  const valueField: QueryField = currency === "CNY" ? "valueCny" : "valueUsd";
  const headers = [...COLUMNS, valueField].map((f) => QUERY_HEADERS[f][lang] ?? QUERY_HEADERS[f][0]);
  const q = (cells: string[]) => `${cells.map((c) => `"${c}"`).join(",")},${eol}`;
  yield q(headers as string[]);

  const perPeriod = partnerList.length * COMMODITIES.length;
  const usdRate = currency === "USD" ? 7 : 1;
  for (let i = 0; i < rows; i++) {
    const c = COMMODITIES[i % COMMODITIES.length];
    const p = partnerList[Math.floor(i / COMMODITIES.length) % partnerList.length];
    if (!c || !p) break;
    const monthIndex = (startMonth ?? 1) - 1 + Math.floor(i / perPeriod);
    const year = (startYear ?? 2015) + Math.floor(monthIndex / 12);
    const period = `${year}${String((monthIndex % 12) + 1).padStart(2, "0")}`;
    const quantity = Math.floor((rand() ** 3 * (options.scale ?? 2e9)) / c.pricePerUnit) + 1;
    const value = Math.max(1, Math.round((quantity * c.pricePerUnit * (0.6 + rand() * 0.8)) / usdRate));
    const q2 = c.unit2 ? String(Math.floor(quantity * (1 + rand() * 500))) : "0";
    yield q([
      period,
      p.code,
      p.name,
      c.hs,
      c.name,
      String(quantity),
      c.unit,
      q2,
      c.unit2 ?? "?",
      withCommas(value),
    ]);
  }
}

/** The file as encoded byte chunks, ready to feed readQueryRows or a stream. */
export function* queryExportChunks(
  rows: number,
  options: GenerateQueryExportOptions = {},
): Generator<Buffer> {
  const encoding = options.encoding ?? "gb18030";
  const perChunk = options.linesPerChunk ?? 1000;
  if (encoding === "utf-8" && options.bom) yield Buffer.from([0xef, 0xbb, 0xbf]);
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join("");
    lines = [];
    return encoding === "gb18030" ? iconv.encode(text, "gb18030") : Buffer.from(text, "utf8");
  };
  for (const line of queryExportLines(rows, options)) {
    lines.push(line);
    if (lines.length >= perChunk) yield flush();
  }
  if (lines.length > 0) yield flush();
}

/**
 * Writes a synthetic export of `rows` data rows to a path or a writable stream (ended when done),
 * with backpressure, never holding the file in memory.
 */
export async function generateQueryExport(
  rows: number,
  options: GenerateQueryExportOptions & { to: Writable | string },
): Promise<GeneratedExport> {
  let bytes = 0;
  const counted = Readable.from(
    (function* () {
      for (const chunk of queryExportChunks(rows, options)) {
        bytes += chunk.length;
        yield chunk;
      }
    })(),
  );
  const destination = typeof options.to === "string" ? createWriteStream(options.to) : options.to;
  await pipeline(counted, destination);
  return { rows, bytes };
}

/**
 * A small chapter-level export of China's imports from Russia (HS chapters, yuan), in the platform's
 * format: what the "What China buys from Russia" chart is built from. Rows: [period, chapter, name, yuan].
 */
export function russiaChapterExport(rows: Array<[string, string, string, string]>): Buffer {
  const header =
    '"数据年月","贸易伙伴编码","贸易伙伴名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",';
  const lines = rows.map(
    ([period, hs, name, yuan]) =>
      `"${period}","344","俄罗斯联邦","${hs}","${name}","?","?","?","?","${yuan}",`,
  );
  return iconv.encode(`${[header, ...lines].join("\r\n")}\r\n`, "gb18030");
}

/**
 * A query-platform export of `rows` data rows sized for an editor's upload: the generated rows from
 * January 2019 (past 20,000 rows, smaller figures keep the file under the 4 MiB upload cap: 45,000 rows
 * are 3.9 MB), ending with `chapters`, chapter-level rows of imports from Russia that a chart is built
 * from ([period, chapter, name, yuan], counted in `rows`).
 */
export function uploadSizedExport(
  rows: number,
  seed: number,
  chapters: Array<[string, string, string, string]> = [],
): Buffer {
  const scale = rows > 20_000 ? 2e6 : undefined;
  const generated = queryExportChunks(rows - chapters.length, {
    seed,
    startPeriod: "2019-01",
    ...(scale ? { scale } : {}),
  });
  const tail = chapters.map(
    ([period, hs, name, yuan]) =>
      `"${period}","344","俄罗斯联邦","${hs}","${name}","?","?","?","?","${yuan}",\n`,
  );
  return Buffer.concat([...generated, iconv.encode(tail.join(""), "gb18030")]);
}
