/**
 * The query platform's column headers and units (functions/domain/query-csv/columns.ts): which field
 * each printed header is read as, and which unit symbol a printed unit is published under. The
 * expected values are written out here, not taken from the module, so a changed spelling fails.
 */
import { describe, expect, it } from "vitest";
import { fieldOfHeader, unitSymbol } from "../../functions/domain/query-csv/index.js";

describe("query-platform headers", () => {
  it.each([
    ["数据年月", "period"],
    ["Date of data", "period"],
    ["贸易伙伴编码", "partnerCode"],
    ["Trading partner code", "partnerCode"],
    ["贸易伙伴名称", "partnerName"],
    ["Trading partner", "partnerName"],
    ["商品编码", "hsCode"],
    ["Commodity code", "hsCode"],
    ["商品名称", "commodityName"],
    ["Commodity", "commodityName"],
    ["贸易方式编码", "regimeCode"],
    ["Customs Regime code", "regimeCode"],
    ["贸易方式名称", "regimeName"],
    ["Customs Regime", "regimeName"],
    ["注册地编码", "provinceCode"],
    ["Locations of importers and exporters code", "provinceCode"],
    ["注册地名称", "provinceName"],
    ["Locations of importers and exporters", "provinceName"],
    ["第一数量", "quantity1"],
    ["Quantity", "quantity1"],
    ["First Quantity", "quantity1"],
    ["第一计量单位", "unit1"],
    ["Unit", "unit1"],
    ["First Unit", "unit1"],
    ["第二数量", "quantity2"],
    ["Supplimentary Quantity", "quantity2"], // the platform's own spelling
    ["Supplementary Quantity", "quantity2"],
    ["Second Quantity", "quantity2"],
    ["第二计量单位", "unit2"],
    ["Supplimentary Unit", "unit2"],
    ["Supplementary Unit", "unit2"],
    ["Second Unit", "unit2"],
    ["人民币", "valueCny"],
    ["Renminbi Yuan", "valueCny"],
    ["RMB", "valueCny"],
    ["Renminbi", "valueCny"],
    ["CNY", "valueCny"],
    ["美元", "valueUsd"],
    ["US dollar", "valueUsd"],
    ["US dollars", "valueUsd"],
    ["USD", "valueUsd"],
  ] as const)("%s is read as %s", (header, field) => {
    expect(fieldOfHeader(header)).toBe(field);
  });

  it.each([
    ["  USD ", "valueUsd"], // spaces around
    ["usd", "valueUsd"], // case
    ["DATE OF DATA", "period"],
    ["Date  of\tdata", "period"], // runs of white space
    ["Date\u00a0of data", "period"], // a no-break space from a spreadsheet
    ["ＵＳＤ", "valueUsd"], // full-width letters (NFKC)
    ["Ｔｒａｄｉｎｇ ｐａｒｔｎｅｒ", "partnerName"],
  ] as const)("%j is read as %s (spacing, case and width do not matter)", (header, field) => {
    expect(fieldOfHeader(header)).toBe(field);
  });

  it.each(["", "Value", "EUR", "Trading partner codes", "数据", "US$"])(
    "%j is no column the platform exports",
    (header) => {
      expect(fieldOfHeader(header)).toBeUndefined();
    },
  );
});

describe("query-platform units", () => {
  // Symbol published → every printed unit that means it.
  const SYMBOLS: Record<string, string[]> = {
    kg: ["千克", "kg", "kilogram", "kilograms"],
    g: ["克", "g", "gram", "grams"],
    t: ["吨", "t", "ton", "tons", "tonne", "tonnes"],
    ct: ["克拉", "carat", "carats"],
    l: ["升", "liter", "liters", "litre", "litres"],
    kl: ["千升"],
    m3: ["立方米", "cubic meter", "cubic meters", "cubic metre", "cubic metres"],
    m2: ["平方米", "square meter", "square meters", "square metre", "square metres"],
    m: ["米", "meter", "meters", "metre", "metres"],
    km: ["千米"],
    kW: ["千瓦"],
    kWh: ["千瓦时"],
    pcs: ["个", "件", "只", "条", "根", "块", "支", "片", "枚", "piece", "pieces", "pcs"],
    "1000 pcs": ["千个", "千支"],
    "100 pcs": ["百片"],
    "10000 pcs": ["万个"],
    units: ["台", "部", "座", "unit", "units"],
    sets: ["套", "副", "set", "sets"],
    vehicles: ["辆", "vehicle", "vehicles"],
    vessels: ["艘"],
    aircraft: ["架"],
    head: ["头", "匹", "head"],
    pairs: ["双", "对", "pair", "pairs"],
    sheets: ["张"],
    "1000 sheets": ["千张"],
    rolls: ["卷"],
    plants: ["株"],
    dozens: ["打"],
    boxes: ["盒"],
    packs: ["包"],
    cases: ["箱"],
    bags: ["袋"],
    bottles: ["瓶"],
    cans: ["罐"],
    copies: ["份", "本"],
  };
  const cases = Object.entries(SYMBOLS).flatMap(([symbol, printed]) => printed.map((p) => [p, symbol]));

  it.each(cases)("%s is published as %s", (printed, symbol) => {
    expect(unitSymbol(printed)).toBe(symbol);
  });

  it.each([
    ["KG", "kg"],
    ["Tons", "t"],
    ["Cubic Metres", "m3"],
    ["PCS", "pcs"],
  ])("%s (capitals) is published as %s", (printed, symbol) => {
    expect(unitSymbol(printed)).toBe(symbol);
  });

  it.each(["桶", "", "barrels", "千克 ", "?"])("%j is a unit we do not know", (printed) => {
    expect(unitSymbol(printed)).toBeUndefined();
  });
});
