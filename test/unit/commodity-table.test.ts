import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { LayoutChanged } from "../../functions/domain/errors.js";
import {
  type CommodityTableResult,
  commodityCode,
  normalizeCommodityTable,
  parseQuantityUnit,
  quantityUnitHints,
} from "../../functions/domain/gacc/commodity-table.js";
import type { Observation, ObservationKind } from "../../functions/domain/model.js";
import { MAJOR_EXPORTS_TABLE, MAJOR_IMPORTS_TABLE } from "../../functions/domain/table-ids.js";
import { describeWithSharedData, readShared } from "../support/shared-data.js";
import {
  type CommodityPageOptions,
  CRUDE,
  commodityPage,
  commodityTitle,
  SOY,
} from "./support/commodity-page.js";
import { provenance, type Row } from "./support/gacc-page.js";

const page = (name: string): string => readShared("gacc_english_site", name).toString("utf8");

function obs(result: CommodityTableResult, label: string, kind: ObservationKind): Observation {
  const found = result.observations.filter((o) => o.commodityLabel === label && o.kind === kind);
  expect(found, `${label} ${kind}`).toHaveLength(1);
  return found[0] as Observation;
}

function row(result: CommodityTableResult, label: string) {
  const found = result.rows.find((r) => r.label === label);
  expect(found, label).toBeDefined();
  return found as NonNullable<typeof found>;
}

// ---------------------------------------------------------------------------------------------
// Synthetic pages in the GACC layout (test/unit/support/commodity-page.ts), for the bad inputs
// ---------------------------------------------------------------------------------------------

const SOY_UNDER_CRUDE = [{ text: "Soya beans", indent: 4 }, ...SOY.slice(1)];
const importsPage = (opts: CommodityPageOptions & { rows?: Row[] } = {}): string =>
  commodityPage(opts.rows ?? [CRUDE, SOY_UNDER_CRUDE], opts);

// ---------------------------------------------------------------------------------------------
// Small pieces
// ---------------------------------------------------------------------------------------------

describe("parseQuantityUnit", () => {
  it.each([
    ["10,000 Tons", "ton", 4],
    ["Ton", "ton", 0],
    ["Kilogram", "kg", 0],
    ["10,000 CBM", "m3", 4],
    ["100 Million PCS", "piece", 8],
    ["10,000 PCS", "piece", 4],
    ["10,000 Sets", "set", 4],
    ["Set", "set", 0],
    ["10,000 Pairs", "pair", 4],
    ["10,000 Autos", "vehicle", 4],
    ["10,000 Cars", "vehicle", 4],
    ["Ship", "ship", 0],
    ["Craft", "aircraft", 0],
    ["100 Million Cubic Meters", "m3", 8],
  ])("reads %j as %s × 10^%i", (printed, unit, powerOfTen) => {
    expect(parseQuantityUnit(printed)).toEqual({ unit, powerOfTen, printed });
  });

  it("gives null for 'no unit' cells and undefined for units it does not know", () => {
    expect(parseQuantityUnit("-")).toBeNull();
    expect(parseQuantityUnit("—")).toBeNull();
    expect(parseQuantityUnit("Barrels")).toBeUndefined();
    expect(parseQuantityUnit("30 Tons")).toBeUndefined();
  });
});

describe("commodityCode", () => {
  it("slugs printed labels and maps known spellings of the same goods to one code", () => {
    expect(commodityCode("Agriculture products*")).toBe("cat:agricultural-products");
    expect(commodityCode("Agricultural products*")).toBe("cat:agricultural-products");
    expect(commodityCode("Mechanical and electrical products *")).toBe(
      "cat:mechanical-and-electrical-products",
    );
    expect(commodityCode("Crude petroleum oils")).toBe("cat:crude-oil");
    expect(commodityCode("Natural gases")).toBe("cat:natural-gas");
    expect(commodityCode("Soya beans")).toBe("cat:soybeans");
    expect(commodityCode("Grain food")).toBe("cat:grain");
    expect(commodityCode("Grain")).toBe("cat:grain");
    expect(commodityCode("Motor vehicles（including chassis fitted with engines)")).toBe(
      "cat:motor-vehicles-including-chassis-fitted-with-engines",
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Real saved pages
// ---------------------------------------------------------------------------------------------

describeWithSharedData("table (5), May 2026 exports in USD (normal layout)", () => {
  const readResult = () =>
    normalizeCommodityTable(page("meridian_release_section5_major_exports_may2026_usd.html"), provenance);

  it("reads the table's identity and passes every check", () => {
    const result = readResult();
    expect(result).toMatchObject({
      table: MAJOR_EXPORTS_TABLE,
      flow: "exports",
      currency: "USD",
      period: "2026-05",
      layout: "normal",
      title: "(5) China's Major Exports by Quantity and Value, May 2026 (in USD)",
    });
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rows).toHaveLength(31);
    expect(result.observations).toHaveLength(62);
    expect(new Set(result.observations.map((o) => `${o.kind} ${o.period}`))).toEqual(
      new Set(["month 2026-05", "ytd 2026-05"]),
    );
  });

  it("scales values by USD1 Million and quantities by each row's own unit", () => {
    const result = readResult();
    const icMonth = obs(result, "Electronic integrated circuits", "month");
    expect(icMonth).toMatchObject({
      reporter: "CHN",
      partner: { code: "WORLD", isGrouping: true },
      flow: "exports",
      commodity: "cat:integrated-circuits",
      period: "2026-05",
      value: 35_548_200_000,
      currency: "USD",
      printed: { value: "35,548.2", unit: "Unit: USD1 Million" },
      quantity: { value: 30_730_000_000, unit: "piece", printedUnit: "100 Million PCS" },
      vintage: "preliminary",
      provenance,
    });
    expect(icMonth.printedYtdYoyPct).toBeUndefined();
    expect(obs(result, "Electronic integrated circuits", "ytd")).toMatchObject({
      value: 139_076_800_000,
      quantity: { value: 147_760_000_000, unit: "piece" },
      printedYtdYoyPct: 90,
    });
    expect(obs(result, "Rare-earth ore, metals, compounds", "month")).toMatchObject({
      value: 63_100_000,
      quantity: { value: 5490.4, unit: "ton", printedUnit: "Ton" },
    });
    expect(obs(result, "Ships", "ytd")).toMatchObject({
      value: 25_249_800_000,
      quantity: { value: 2637, unit: "ship", printedUnit: "Ship" },
      printedYtdYoyPct: 26.5,
    });
    expect(obs(result, "Footwear", "month").quantity).toEqual({
      value: 74_000,
      unit: "pair",
      printedUnit: "10,000 Pairs",
    });
  });

  it("marks starred aggregates, keeps rows without quantity, and records the printed indentation", () => {
    const result = readResult();
    const agri = obs(result, "Agriculture products*", "month");
    expect(agri).toMatchObject({ commodity: "cat:agricultural-products", value: 8_838_900_000 });
    expect(agri.quantity).toBeUndefined();
    expect(row(result, "Agriculture products*")).toMatchObject({
      aggregate: true,
      indent: 0,
      parent: undefined,
    });
    expect(row(result, "Hi-tech products*").aggregate).toBe(true);
    expect(row(result, "Mechanical and electrical products *")).toMatchObject({
      aggregate: true,
      commodity: "cat:mechanical-and-electrical-products",
    });
    expect(row(result, "Aquatic products")).toMatchObject({
      aggregate: false,
      indent: 4,
      parent: "cat:agricultural-products",
    });
    expect(row(result, "Mobile phones").parent).toBe("cat:mechanical-and-electrical-products");
    expect(row(result, "Toys")).toMatchObject({ parent: undefined, quantityUnit: undefined });
  });

  it("keeps last year's year to date as printed (the revised base), in base units", () => {
    const result = readResult();
    expect(row(result, "Rare-earth ore, metals, compounds").priorYtd).toEqual({
      value: 168_100_000,
      quantity: 24_827.1,
      year: 2025,
    });
    expect(row(result, "Rare-earth ore, metals, compounds")).toMatchObject({
      printedYtdYoyPct: 44.9,
      printedYtdYoyPctQuantity: 2.2,
    });
  });
});

interface TranscribedRow {
  label: string;
  nbsp: number;
  unit: string;
  cells: string[];
}

function transcribed(): TranscribedRow[] {
  const text = readShared(
    "gacc_english_site",
    "transcribed_prelim_section6_major_imports_may2026_cny.csv",
  ).toString("utf8");
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  return parsed.data.slice(1).map((r) => ({
    label: (r[0] ?? "").replace(/\s+/g, " "),
    nbsp: Number(r[1]),
    unit: r[2] ?? "",
    cells: r.slice(3),
  }));
}

/** Independent of the parser: printed number × 10^p, computed with plain arithmetic and rounded. */
const UNIT_TABLE: Record<string, [string, number]> = {
  "10,000 Tons": ["ton", 4],
  Ton: ["ton", 0],
  "10,000 CBM": ["m3", 4],
  Set: ["set", 0],
  "100 Million PCS": ["piece", 8],
  "10,000 Cars": ["vehicle", 4],
  Craft: ["aircraft", 0],
  "10,000 PCS": ["piece", 4],
};
const scaled = (cell: string, p: number): number | undefined =>
  cell === "-" ? undefined : Math.round(Number(cell.replace(/,/g, "")) * 10 ** p * 10) / 10;

describeWithSharedData("table (6), May 2026 imports in CNY (prior year mislabelled '2024')", () => {
  const readResult = () =>
    normalizeCommodityTable(page("meridian_release_section6_major_imports_may2026_cny.html"), provenance);

  it("reads the table, warns about the mislabelled year and does not block", () => {
    const result = readResult();
    expect(result).toMatchObject({
      table: MAJOR_IMPORTS_TABLE,
      flow: "imports",
      currency: "CNY",
      period: "2026-05",
      layout: "normal",
    });
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.check).toBe("prior-year-label");
    expect(result.warnings[0]?.message).toContain('"1-5 Total, 2024"');
    expect(result.warnings[0]?.message).toContain("2025");
    // The column is read by position as 2025, whatever the label says.
    expect(row(result, "Crude petroleum oils").priorYtd).toEqual({
      value: 889_250_000_000,
      quantity: 229_457_000,
      year: 2025,
    });
  });

  it("gives crude oil, natural gas, grain and soybeans exactly, in yuan and tons", () => {
    const result = readResult();
    expect(obs(result, "Crude petroleum oils", "month")).toMatchObject({
      commodity: "cat:crude-oil",
      flow: "imports",
      period: "2026-05",
      value: 183_290_000_000,
      currency: "CNY",
      printed: { value: "1,832.9", unit: "Unit: CNY 100 Million" },
      quantity: { value: 33_081_000, unit: "ton", printedUnit: "10,000 Tons" },
    });
    expect(obs(result, "Crude petroleum oils", "ytd")).toMatchObject({
      value: 890_490_000_000,
      quantity: { value: 218_364_000, unit: "ton" },
      printedYtdYoyPct: 0.1,
    });
    expect(obs(result, "Natural gases", "month")).toMatchObject({
      commodity: "cat:natural-gas",
      value: 33_120_000_000,
      quantity: { value: 10_108_000, unit: "ton" },
    });
    expect(obs(result, "Natural gases", "ytd").printedYtdYoyPct).toBe(-13);
    expect(obs(result, "Grain food", "month")).toMatchObject({
      commodity: "cat:grain",
      value: 47_140_000_000,
      quantity: { value: 16_157_000, unit: "ton" },
    });
    expect(obs(result, "Soya beans", "ytd")).toMatchObject({
      commodity: "cat:soybeans",
      value: 122_380_000_000,
      quantity: { value: 36_942_000, unit: "ton" },
      printedYtdYoyPct: 2.1,
    });
    expect(row(result, "Soya beans")).toMatchObject({ indent: 12, parent: "cat:grain" });
    expect(row(result, "Grain food").parent).toBe("cat:agricultural-products");
    expect(obs(result, "Wood Logs and Lumber", "month").quantity).toEqual({
      value: 4_402_000,
      unit: "m3",
      printedUnit: "10,000 CBM",
    });
  });

  it("agrees with the transcription of the page, cell by cell", () => {
    const result = readResult();
    const rows = transcribed();
    expect(rows).toHaveLength(34);
    // The transcription closes up "products *" to "products*"; otherwise labels are as printed.
    const closeUp = (label: string) => label.replace(/\s+\*$/, "*");
    expect(result.rows.map((r) => closeUp(r.label))).toEqual(rows.map((r) => r.label));
    for (const t0 of rows) {
      const t = { ...t0, label: result.rows.find((r) => closeUp(r.label) === t0.label)?.label ?? t0.label };
      const [m5q, m5v, ytdQ, ytdV, priorQ, priorV, yoyQ, yoyV] = t.cells as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const unit = UNIT_TABLE[t.unit];
      const parsedRow = row(result, t.label);
      expect(parsedRow.indent, t.label).toBe(t.nbsp);
      expect(parsedRow.aggregate, t.label).toBe(t.label.endsWith("*"));
      const month = obs(result, t.label, "month");
      const ytd = obs(result, t.label, "ytd");
      expect([month.value, ytd.value, parsedRow.priorYtd.value], t.label).toEqual([
        scaled(m5v, 8),
        scaled(ytdV, 8),
        scaled(priorV, 8),
      ]);
      expect(ytd.printedYtdYoyPct, t.label).toBe(Number(yoyV));
      if (unit) {
        expect(month.quantity, t.label).toEqual({
          value: scaled(m5q, unit[1]),
          unit: unit[0],
          printedUnit: t.unit,
        });
        expect(ytd.quantity?.value, t.label).toBe(scaled(ytdQ, unit[1]));
        expect(parsedRow.priorYtd.quantity, t.label).toBe(scaled(priorQ, unit[1]));
        expect(parsedRow.printedYtdYoyPctQuantity, t.label).toBe(Number(yoyQ));
      } else {
        expect(t.unit, t.label).toBe("-");
        expect([month.quantity, ytd.quantity], t.label).toEqual([undefined, undefined]);
      }
    }
  });
});

describeWithSharedData("table (5), January-February 2025 in CNY (8 columns, no month)", () => {
  const readResult = () =>
    normalizeCommodityTable(page("meridian_release_section5_major_exports_janfeb2025_cny.html"), provenance);

  it("gives only combined January–February observations", () => {
    const result = readResult();
    expect(result).toMatchObject({
      flow: "exports",
      currency: "CNY",
      period: "2025-01/02",
      layout: "normal",
    });
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rows).toHaveLength(31);
    expect(result.observations).toHaveLength(31);
    expect(new Set(result.observations.map((o) => `${o.kind} ${o.period}`))).toEqual(
      new Set(["jan-feb 2025-01/02"]),
    );
  });

  it("reads values, quantities and the printed y/y", () => {
    const result = readResult();
    expect(obs(result, "Rare earth", "jan-feb")).toMatchObject({
      commodity: "cat:rare-earth",
      value: 590_000_000,
      quantity: { value: 8511.3, unit: "ton", printedUnit: "Ton" },
      printedYtdYoyPct: 1,
    });
    expect(obs(result, "Integrated circuits", "jan-feb")).toMatchObject({
      value: 180_440_000_000,
      quantity: { value: 47_330_000_000, unit: "piece", printedUnit: "100 Million PCS" },
      printedYtdYoyPct: 13.2,
    });
    expect(obs(result, "Agricultural products*", "jan-feb")).toMatchObject({
      commodity: "cat:agricultural-products",
      value: 109_440_000_000,
      printedYtdYoyPct: 4.2,
    });
    expect(row(result, "Rare earth").priorYtd).toEqual({ value: 580_000_000, quantity: 8773.9, year: 2024 });
  });
});

describeWithSharedData("table (5), April 2025 in USD (unit cell missing on data rows)", () => {
  const html = page("meridian_release_section5_major_exports_apr2025_usd.html");

  it("realigns the values under their headers, says so, and leaves out quantities it has no unit for", () => {
    const result = normalizeCommodityTable(html, provenance);
    expect(result).toMatchObject({
      flow: "exports",
      currency: "USD",
      period: "2025-04",
      layout: "unit-cell-missing",
    });
    expect(result.blocking).toEqual([]);
    expect(result.warnings.map((w) => w.check)).toEqual(["unit-cell-missing", "quantity-unit"]);
    expect(result.warnings[1]?.message).toContain("Rare earth");
    expect(result.observations).toHaveLength(62);
    const rare = obs(result, "Rare earth", "month");
    expect(rare).toMatchObject({ value: 21_700_000, printed: { value: "21.7", unit: "Unit: USD1 Million" } });
    expect(rare.quantity).toBeUndefined();
    expect(obs(result, "Rare earth", "ytd")).toMatchObject({ value: 149_400_000, printedYtdYoyPct: -15.3 });
    // Without realignment this row's month value would have read "-" (its printed quantity column).
    expect(obs(result, "Agricultural products*", "month").value).toBe(8_472_400_000);
    expect(obs(result, "Hi-tech products*", "ytd")).toMatchObject({
      value: 284_333_400_000,
      printedYtdYoyPct: 6.4,
    });
    expect(row(result, "Rare earth").priorYtd).toEqual({
      value: 176_300_000,
      quantity: undefined,
      year: 2024,
    });
  });

  it("takes quantity units from another release of the same table when given, and says so", () => {
    const janFeb = normalizeCommodityTable(
      page("meridian_release_section5_major_exports_janfeb2025_cny.html"),
      provenance,
    );
    const hints = quantityUnitHints(janFeb);
    expect(hints.get("cat:rare-earth")).toBe("Ton");
    const result = normalizeCommodityTable(html, provenance, { unitHints: hints });
    expect(result.blocking).toEqual([]);
    expect(result.warnings.map((w) => w.check)).toEqual(["unit-cell-missing", "quantity-unit-hint"]);
    expect(result.warnings[1]?.message).toContain("Rare earth (Ton)");
    expect(obs(result, "Rare earth", "month")).toMatchObject({
      value: 21_700_000,
      quantity: { value: 4784.8, unit: "ton", printedUnit: "Ton" },
    });
    expect(obs(result, "Rare earth", "ytd").quantity?.value).toBe(18_962.3);
    expect(obs(result, "Integrated circuits", "month").quantity).toEqual({
      value: 30_880_000_000,
      unit: "piece",
      printedUnit: "100 Million PCS",
    });
    expect(row(result, "Rare earth").unitSource).toBe("hint");
  });

  it("rejects the page when rows disagree in shape (some with the unit cell, some without)", () => {
    const mixed = html.replace(
      /(<td[^>]*>\s*(?:<[^>]+>\s*)*Rare earth(?:\s*<\/[^>]+>)*\s*<\/td>)/,
      "$1<td>Ton</td>",
    );
    expect(mixed).not.toBe(html);
    const result = normalizeCommodityTable(mixed, provenance);
    expect(result.blocking.map((f) => f.check)).toContain("layout");
    expect(result.blocking.find((f) => f.check === "layout")?.message).toContain(
      "cannot be lined up with their headers",
    );
    expect(result.observations).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Synthetic bad inputs
// ---------------------------------------------------------------------------------------------

describe("normalizeCommodityTable on synthetic pages", () => {
  it("reads a well-formed synthetic page with no findings", () => {
    const result = normalizeCommodityTable(importsPage(), provenance);
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(obs(result, "Crude petroleum oils", "month")).toMatchObject({
      value: 25_801_600_000,
      currency: "USD",
      quantity: { value: 33_081_000, unit: "ton" },
    });
    expect(row(result, "Soya beans")).toMatchObject({ indent: 4, parent: "cat:crude-oil" });
  });

  it("blocks a page whose title currency and unit row disagree", () => {
    const result = normalizeCommodityTable(
      importsPage({ title: commodityTitle("Imports").replace("(in USD)", "(in CNY)") }),
      provenance,
    );
    expect(result.blocking.map((f) => f.check)).toContain("currency-agrees");
    expect(result.blocking.find((f) => f.check === "currency-agrees")?.message).toBe(
      'the title says CNY but the unit row says "Unit: USD1 Million"; the values cannot be trusted in either currency',
    );
  });

  it("blocks a page with a column group missing", () => {
    const result = normalizeCommodityTable(
      importsPage({
        groups: ["5", "1-5 Total", "1-5 Total, Year-On-Year(%)"],
        // Crude oil without last year's year to date.
        rows: [CRUDE.toSpliced(6, 2)],
      }),
      provenance,
    );
    expect(result.blocking).toEqual([
      { check: "columns", message: "The columns for last year's year to date are missing." },
    ]);
    expect(result.observations).toEqual([]);
  });

  it("blocks a page whose sub-header is not Quantity/Value", () => {
    const result = normalizeCommodityTable(
      importsPage({
        sub: ["Quantity", "Value", "Value", "Quantity", "Quantity", "Value", "Quantity", "Value"],
      }),
      provenance,
    );
    expect(result.blocking.length).toBeGreaterThan(0);
    expect(new Set(result.blocking.map((f) => f.check))).toEqual(new Set(["columns"]));
    expect(result.blocking[0]?.message).toContain("not Quantity and Value");
    expect(result.observations).toEqual([]);
  });

  it("blocks a row whose cell count differs from the header", () => {
    const result = normalizeCommodityTable(importsPage({ rows: [CRUDE.slice(0, 5)] }), provenance);
    expect(result.blocking.map((f) => f.check)).toContain("columns");
  });

  it("blocks a row spanning the table amid the data instead of stopping there", () => {
    const result = normalizeCommodityTable(
      importsPage({
        rows: [CRUDE, [{ text: "Other goods:", colspan: 10 }], SOY],
      }),
      provenance,
    );
    expect(result.blocking).toEqual([
      { check: "layout", message: 'A row spanning the table amid the data: "Other goods:".' },
    ]);
    expect(result.rows.map((r) => r.label)).toEqual(["Crude petroleum oils", "Soya beans"]);
  });

  it("blocks an empty table", () => {
    const result = normalizeCommodityTable(importsPage({ rows: [] }), provenance);
    expect(result.blocking.map((f) => f.check)).toEqual(["has-rows"]);
    expect(result.observations).toEqual([]);
  });

  it("blocks a month larger than its year to date", () => {
    const result = normalizeCommodityTable(
      importsPage({
        rows: [
          [
            "Coal and lignite",
            "10,000 Tons",
            "3,326.5",
            "1,997.3",
            "18,262.3",
            "991.6",
            "18,865.7",
            "1,052.7",
            "-3.2",
            "-5.8",
          ],
        ],
      }),
      provenance,
    );
    expect(result.blocking).toEqual([
      {
        check: "month-within-ytd",
        message:
          '"Coal and lignite": the figure for imports by value in May 2026 (US$2.0 billion) is larger than the ' +
          "year-to-date figure for January–May 2026 (US$991.6 million), which cannot be: a column is misread, or " +
          "GACC printed the two the wrong way round",
        amounts: { month: 1_997_300_000, yearToDate: 991_600_000 },
        currency: "USD",
      },
    ]);
  });

  it("warns about |y/y| > 100% and about a printed y/y that does not follow from the printed levels", () => {
    const result = normalizeCommodityTable(
      importsPage({
        rows: [
          ["Aircraft", "Craft", "17.0", "80.5", "52.0", "394.7", "84.0", "172.6", "-38.1", "128.7"],
          [
            "Machine tools",
            "Set",
            "4,997.0",
            "27.3",
            "26,517.0",
            "157.1",
            "29,290.0",
            "175.1",
            "-9.5",
            "-20.3",
          ],
        ],
      }),
      provenance,
    );
    expect(result.blocking).toEqual([]);
    expect(result.warnings.map((w) => w.check)).toEqual(["large-yoy", "yoy-recomputed"]);
    expect(result.warnings[1]?.message).toContain('"Machine tools"');
  });

  it("keeps the value but leaves out the quantity of a unit it does not know", () => {
    const result = normalizeCommodityTable(
      importsPage({
        rows: [CRUDE.with(1, "Barrels")],
      }),
      provenance,
    );
    expect(result.blocking).toEqual([]);
    expect(result.warnings.map((w) => w.check)).toEqual(["quantity-unit", "quantity-unit"]);
    expect(obs(result, "Crude petroleum oils", "month")).toMatchObject({
      value: 25_801_600_000,
      quantity: undefined,
    });
  });

  it("blocks a cell that is not a number, naming the cell", () => {
    const result = normalizeCommodityTable(
      importsPage({
        rows: [CRUDE.with(3, "n/a"), SOY],
      }),
      provenance,
    );
    expect(result.blocking).toEqual([
      { check: "layout", message: '"Crude petroleum oils", 5 value: expected a number but found "n/a"' },
    ]);
  });

  it("throws LayoutChanged for a page that is not a table (5)/(6)", () => {
    const html = importsPage({
      title: "(4) China's Total Export & Import Values by Country/Region, May 2026 (in USD)",
    });
    expect(() => normalizeCommodityTable(html, provenance)).toThrow(LayoutChanged);
  });

  it("throws LayoutChanged for a title without a period and for a missing unit row", () => {
    expect(() =>
      normalizeCommodityTable(
        importsPage({ title: "(6) China's Major Imports by Quantity and Value (in USD)" }),
        provenance,
      ),
    ).toThrow(/names no month/);
    const noUnit = importsPage().replace(/<tr><td colspan="10">Unit: USD1 Million<\/td><\/tr>/, "");
    expect(() => normalizeCommodityTable(noUnit, provenance)).toThrow(/no unit row/);
  });
});
