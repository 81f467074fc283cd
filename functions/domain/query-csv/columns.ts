/**
 * The query platform's column headers (Chinese and English, with its own misspelling
 * "Supplimentary Quantity") and its units of quantity.
 */
import type { Currency } from "../model.js";

export type QueryField =
  | "period"
  | "partnerCode"
  | "partnerName"
  | "hsCode"
  | "commodityName"
  | "regimeCode"
  | "regimeName"
  | "provinceCode"
  | "provinceName"
  | "quantity1"
  | "unit1"
  | "quantity2"
  | "unit2"
  | "valueCny"
  | "valueUsd";

/** Every header the platform prints for a field, Chinese first. */
export const QUERY_HEADERS: Record<QueryField, readonly string[]> = {
  period: ["数据年月", "Date of data"],
  partnerCode: ["贸易伙伴编码", "Trading partner code"],
  partnerName: ["贸易伙伴名称", "Trading partner"],
  hsCode: ["商品编码", "Commodity code"],
  commodityName: ["商品名称", "Commodity"],
  regimeCode: ["贸易方式编码", "Customs Regime code"],
  regimeName: ["贸易方式名称", "Customs Regime"],
  provinceCode: ["注册地编码", "Locations of importers and exporters code"],
  provinceName: ["注册地名称", "Locations of importers and exporters"],
  quantity1: ["第一数量", "Quantity", "First Quantity"],
  unit1: ["第一计量单位", "Unit", "First Unit"],
  quantity2: ["第二数量", "Supplimentary Quantity", "Supplementary Quantity", "Second Quantity"],
  unit2: ["第二计量单位", "Supplimentary Unit", "Supplementary Unit", "Second Unit"],
  valueCny: ["人民币", "Renminbi Yuan", "RMB", "Renminbi", "CNY"],
  valueUsd: ["美元", "US dollar", "US dollars", "USD"],
};

/** Columns a file must have to be read at all. */
export const REQUIRED_FIELDS: readonly QueryField[] = ["period", "partnerCode", "hsCode"];

export const VALUE_FIELDS: ReadonlyArray<{ field: QueryField; currency: Currency }> = [
  { field: "valueCny", currency: "CNY" },
  { field: "valueUsd", currency: "USD" },
];

export function foldHeader(text: string): string {
  return text.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
}

const FIELD_BY_HEADER = new Map<string, QueryField>(
  (Object.entries(QUERY_HEADERS) as Array<[QueryField, readonly string[]]>).flatMap(([field, names]) =>
    names.map((n) => [foldHeader(n), field] as [string, QueryField]),
  ),
);

/** The field a printed header stands for, or undefined when we do not know it. */
export function fieldOfHeader(header: string): QueryField | undefined {
  return FIELD_BY_HEADER.get(foldHeader(header));
}

/**
 * The platform's units of quantity (第一/第二计量单位), as short English symbols. A unit not listed
 * is kept as printed (and reported once per file by the normalizer).
 */
const UNITS: Record<string, string> = {
  千克: "kg",
  克: "g",
  吨: "t",
  克拉: "ct",
  升: "l",
  千升: "kl",
  立方米: "m3",
  平方米: "m2",
  米: "m",
  千米: "km",
  千瓦: "kW",
  千瓦时: "kWh",
  个: "pcs",
  件: "pcs",
  只: "pcs",
  条: "pcs",
  根: "pcs",
  块: "pcs",
  支: "pcs",
  片: "pcs",
  枚: "pcs",
  千个: "1000 pcs",
  千支: "1000 pcs",
  百片: "100 pcs",
  万个: "10000 pcs",
  台: "units",
  部: "units",
  座: "units",
  套: "sets",
  副: "sets",
  辆: "vehicles",
  艘: "vessels",
  架: "aircraft",
  头: "head",
  匹: "head",
  双: "pairs",
  对: "pairs",
  张: "sheets",
  千张: "1000 sheets",
  卷: "rolls",
  株: "plants",
  打: "dozens",
  盒: "boxes",
  包: "packs",
  箱: "cases",
  袋: "bags",
  瓶: "bottles",
  罐: "cans",
  份: "copies",
  本: "copies",
  kg: "kg",
  kilogram: "kg",
  kilograms: "kg",
  g: "g",
  gram: "g",
  grams: "g",
  t: "t",
  ton: "t",
  tons: "t",
  tonne: "t",
  tonnes: "t",
  carat: "ct",
  carats: "ct",
  liter: "l",
  liters: "l",
  litre: "l",
  litres: "l",
  "cubic meter": "m3",
  "cubic meters": "m3",
  "cubic metre": "m3",
  "cubic metres": "m3",
  "square meter": "m2",
  "square meters": "m2",
  "square metre": "m2",
  "square metres": "m2",
  meter: "m",
  meters: "m",
  metre: "m",
  metres: "m",
  piece: "pcs",
  pieces: "pcs",
  pcs: "pcs",
  unit: "units",
  units: "units",
  set: "sets",
  sets: "sets",
  pair: "pairs",
  pairs: "pairs",
  head: "head",
  vehicle: "vehicles",
  vehicles: "vehicles",
};

/** "千克" → "kg"; undefined for a unit we do not know. */
export function unitSymbol(printed: string): string | undefined {
  return UNITS[printed] ?? UNITS[printed.toLowerCase()];
}
