import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPartnersJson } from "../../data/tools/build-partners.js";
import { foldPartnerName, PartnerRegistry, partners } from "../../functions/domain/partners.js";
import { describeWithSharedData, readShared } from "../support/shared-data.js";

/** The platform's code list: "344,Russian Federation," (GB18030, names may hold commas). */
function readCodeList(file: string): Map<string, string> {
  const text = iconv.decode(readShared("stats_customs_code_lists", file), "gb18030");
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    const m = /^(\d{3}),(.*),$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out.set(m[1], m[2]);
  }
  return out;
}

describe("partner registry: one partner, many names", () => {
  it("maps Russian Federation, Russia, 俄罗斯联邦 and platform code 344 to RUS", () => {
    // Prepare
    const spellings = ["Russian Federation", "Russia", "俄罗斯联邦", "of which: Russia", "  RUSSIA "];
    // Act
    const codes = spellings.map((n) => partners.byPrintedName(n)?.code);
    // Assess
    expect(codes).toEqual(["RUS", "RUS", "RUS", "RUS", "RUS"]);
    expect(partners.byPlatform("344")?.code).toBe("RUS");
    expect(partners.displayName("RUS")).toBe("Russian Federation");
  });

  it("reads the spellings of the preliminary release, the Bulletin and the platform alike", () => {
    const cases: Array<[string, string]> = [
      ["United States (US)", "USA"],
      ["United States", "USA"],
      ["R. O. Korea", "KOR"],
      ["R.O. Korea", "KOR"],
      ["Korea, Rep.", "KOR"],
      ["韩国", "KOR"],
      ["Korea,DPR", "PRK"],
      ["Viet Nam", "VNM"],
      ["Vietnam", "VNM"],
      ["Hong Kong, China", "HKG"],
      ["Hong Kong，China", "HKG"],
      ["Taiwan，China", "TWN"],
      ["Macau，China", "MAC"],
      ["the Philippines", "PHL"],
      ["Gambia, The", "GMB"],
      ["The Bahamas", "BHS"],
      ["Bahrian", "BHR"],
      ["Bahrain", "BHR"],
      ["Cote d'lvoire", "CIV"],
      ["Côte d’Ivoire", "CIV"],
      ["Antigua & Barbuda", "ATG"],
      ["St. Lucia", "LCA"],
      ["Saint.Pierre and Miquelon", "SPM"],
      ["Virgin  Islands, British", "VGB"],
      ["Azerbai jan", "AZE"],
      ["Guinea Bissau", "GNB"],
      ["Congo", "COG"],
      ["Congo,DR", "COD"],
      ["刚果（金）", "COD"],
      ["Türkiye", "TUR"],
      ["Czechia", "CZE"],
      ["European Union", "EU"],
      ["Total", "WORLD"],
      ["Conutries of Neutral Package", "NEUTRAL"],
      ["国(地)别不详", "UNK"],
    ];
    const got = cases.map(([name]) => [name, partners.byPrintedName(name)?.code]);
    expect(got).toEqual(cases);
  });

  it("returns undefined for names and codes it does not know, so callers can report them", () => {
    expect(partners.byPrintedName("Atlantis")).toBeUndefined();
    expect(partners.byPrintedName("")).toBeUndefined();
    expect(partners.byPlatform("000")).toBeUndefined();
    expect(partners.byPlatform("3440")).toBeUndefined();
    expect(partners.get("XXX")).toBeUndefined();
    expect(partners.displayName("XXX")).toBe("XXX");
  });

  it("gives non-country codes explicit names and display names without the list's misspellings", () => {
    expect(["701", "702", "999", "199", "499"].map((c) => partners.byPlatform(c)?.code)).toEqual([
      "UNK",
      "INTORG",
      "NEUTRAL",
      "OTH-ASIA",
      "OTH-LATAM",
    ]);
    expect(partners.displayName("BHR")).toBe("Bahrain");
    expect(partners.displayName("KOR")).toBe("R. O. Korea");
    expect(partners.get("BHR")?.platformNameEn).toBe("Bahrian");
    expect(partners.get("HKG")?.platformNameEn).toBe("Hong Kong，China");
    expect(partners.get("RUS")).toMatchObject({ platformCode: "344", region: "Europe", grouping: false });
    expect(partners.get("EU")?.grouping).toBe(true);
  });

  it("folds case, spaces, accents, full-width punctuation, 'the', '&' and 'St.'", () => {
    expect(foldPartnerName("  Hong Kong，China ")).toBe("hong kong, china");
    expect(foldPartnerName("of which: Germany")).toBe("germany");
    expect(foldPartnerName("of which：Germany")).toBe("germany");
    expect(foldPartnerName("The Netherlands")).toBe("netherlands");
    expect(foldPartnerName("Gambia, The")).toBe("gambia");
    expect(foldPartnerName("Côte d’Ivoire")).toBe("cote d'ivoire");
    expect(foldPartnerName("St. Kitts & Nevis")).toBe(foldPartnerName("Saint Kitts and Nevis"));
    expect(foldPartnerName("R. O. Korea")).toBe(foldPartnerName("R.O. Korea"));
    expect(foldPartnerName("Central African Republic.")).toBe("central african republic");
    expect(foldPartnerName("刚果（布）")).toBe("刚果(布)");
    // Folding must not merge different countries.
    expect(foldPartnerName("Niger")).not.toBe(foldPartnerName("Nigeria"));
    expect(foldPartnerName("Dominica")).not.toBe(foldPartnerName("Dominican Republic"));
  });

  it("has one entry per code and per platform code, and no folded name claimed by two entries", () => {
    const entries = partners.entries();
    const codes = entries.map((e) => e.code);
    const platformCodes = entries.flatMap((e) => (e.platformCode ? [e.platformCode] : []));
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(platformCodes).size).toBe(platformCodes.length);
    expect(platformCodes.every((c) => /^\d{3}$/.test(c))).toBe(true);
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const e of entries) {
      for (const n of e.names) {
        const other = owner.get(foldPartnerName(n));
        if (other && other !== e.code) clashes.push(`${n}: ${other} / ${e.code}`);
        owner.set(foldPartnerName(n), e.code);
      }
    }
    expect(clashes).toEqual([]);
    // Countries carry ISO alpha-3 codes; the rest carry explicit, readable codes.
    const odd = codes.filter((c) => !/^[A-Z]{3}$/.test(c));
    expect(odd.every((c) => /^[A-Z]+(?:-[A-Z]+)?$/.test(c))).toBe(true);
  });

  it("is exactly what data/tools/build-partners.ts generates (the JSON is a derived copy, up to date)", () => {
    const built = buildPartnersJson();
    const committed = readFileSync(resolve(import.meta.dirname, "../../data/partners.json"), "utf8");
    expect(built.platformCodes).toBe(243);
    expect(built.text).toBe(committed);
  });

  it("resolves through a registry built from other entries (the class is reusable)", () => {
    const r = new PartnerRegistry([{ code: "RUS", grouping: false, platformCode: "344", names: ["Russia"] }]);
    expect(r.byPrintedName("russia")?.code).toBe("RUS");
    expect(r.byPlatform(" 344 ")?.code).toBe("RUS");
  });
});

describeWithSharedData("partner registry against the platform's code list (../shared)", () => {
  let en = new Map<string, string>();
  let zh = new Map<string, string>();
  beforeAll(() => {
    en = readCodeList("chinautils_partners_en-TradingPartner.csv");
    zh = readCodeList("chinautils_partners_zh-TradingPartner.csv");
  });

  it("maps every one of the 243 platform codes to an entry that knows its Chinese and English names", () => {
    // Prepare
    expect(zh.size).toBe(243);
    expect(en.size).toBe(243);
    const missing: string[] = [];
    const wrongName: string[] = [];
    // Act
    for (const [code, zhName] of zh) {
      const entry = partners.byPlatform(code);
      if (!entry) {
        missing.push(code);
        continue;
      }
      if (partners.byPrintedName(zhName) !== entry) wrongName.push(`${code} ${zhName}`);
      // 349's English line is a NUL byte: there is no English name to look up.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the NUL is what we skip
      const enName = (en.get(code) ?? "").replace(/[\u0000-\u001f]/g, "");
      if (enName.trim() && partners.byPrintedName(enName) !== entry) wrongName.push(`${code} ${enName}`);
    }
    // Assess
    expect(missing).toEqual([]);
    expect(wrongName).toEqual([]);
    const mapped = [...zh.keys()].filter((c) => partners.byPlatform(c));
    expect(mapped).toHaveLength(243);
  });

  it("keeps the list's English names exactly as printed (full-width commas, misspellings)", () => {
    expect(en.get("110")).toBe("Hong Kong，China");
    expect(partners.byPlatform("110")?.names).toContain("Hong Kong，China");
    expect(partners.byPlatform("102")?.names).toContain("Bahrian");
    expect(partners.byPlatform("999")?.names).toContain("Conutries of Neutral Package");
    expect(partners.byPlatform("344")?.platformNameZh).toBe("俄罗斯联邦");
  });
});
