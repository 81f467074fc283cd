/**
 * Builds data/partners.json, the project's own partner registry, from
 *   1. the query platform's partner code list (stats.customs.gov.cn, GB18030, 243 codes, one per line,
 *      every line ending with a comma), read from ../shared/data/gacc/stats_customs_code_lists/ when
 *      present, else from the platform names already recorded in data/partners.json (so the build
 *      stays reproducible without the shared folder); and
 *   2. the hand-maintained entries below: groupings, codes for what is not a country, fixes for the
 *      list's misspellings, and the spellings GACC's English releases and Monthly Bulletin use.
 *
 * ISO 3166-1 alpha-3 codes are looked up with i18n-iso-countries (English name, then Chinese name) at
 * build time only; a hand code wins; a lookup where the English and Chinese names disagree, a code no
 * rule resolves, or two entries claiming the same folded name stop the build. Nothing else is copied
 * from i18n-iso-countries: every name in the output comes from the code list or from this file.
 *
 *   npx tsx data/tools/build-partners.ts           # writes data/partners.json
 *   npx tsx data/tools/build-partners.ts --check   # exits 1 if data/partners.json is not up to date
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json" with { type: "json" };
import zh from "i18n-iso-countries/langs/zh.json" with { type: "json" };
import iconv from "iconv-lite";
import { foldPartnerName } from "../../functions/domain/partners.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const outputPath = resolve(repoRoot, "data/partners.json");
const sharedDir = process.env.SHARED_GACC_DIR ?? resolve(repoRoot, "../shared/data/gacc");
const listDir = resolve(sharedDir, "stats_customs_code_lists");
const EN_LIST = "chinautils_partners_en-TradingPartner.csv";
const ZH_LIST = "chinautils_partners_zh-TradingPartner.csv";

countries.registerLocale(en);
countries.registerLocale(zh);

// ---------------------------------------------------------------------------------------------------
// Hand-maintained entries
// ---------------------------------------------------------------------------------------------------

interface Grouping {
  code: string;
  names: string[];
}

/** Groupings GACC prints (preliminary table (4), Monthly Bulletin). They have no platform code. */
const GROUPINGS: Grouping[] = [
  { code: "WORLD", names: ["Total", "World", "总值", "Total Value", "Grand Total", "总计"] },
  { code: "EU", names: ["European Union", "EU", "欧盟", "欧洲联盟"] },
  { code: "ASEAN", names: ["ASEAN", "Association of Southeast Asian Nations", "东盟", "东南亚国家联盟"] },
  { code: "LATAM", names: ["Latin America", "拉丁美洲", "Latin America and the Caribbean"] },
  { code: "AFRICA", names: ["Africa", "非洲"] },
  { code: "ASIA", names: ["Asia", "亚洲"] },
  { code: "EUROPE", names: ["Europe", "欧洲"] },
  { code: "NAMERICA", names: ["North America", "北美洲"] },
  { code: "OCEANIA", names: ["Oceania", "大洋洲", "Oceania and Pacific Islands"] },
  {
    code: "RCEP",
    names: ["Regional Comprehensive Economic Partnership", "RCEP", "区域全面经济伙伴关系协定"],
  },
  {
    code: "BRI",
    names: [
      "Jointly build the countries along Belt and Road Routes",
      "Belt and Road countries",
      "Belt and Road",
      "共建“一带一路”国家",
      "一带一路",
    ],
  },
  { code: "APEC", names: ["APEC", "Asia-Pacific Economic Cooperation", "亚太经合组织"] },
];

interface CodeOverride {
  /** The code to use when i18n-iso-countries cannot find it, or to make a choice explicit. */
  code?: string;
  /** The display name (first name) when the list's own spelling is garbled or misspelled. */
  display?: string;
  /** The English name when the list's English line is unreadable. */
  en?: string;
  /** Why the code is what it is, kept in the JSON for the next reader. */
  note?: string;
}

/** Per platform code: hand codes for what ISO 3166-1 does not cover, fixes for the list's spellings. */
const OVERRIDES: Record<string, CodeOverride> = {
  "102": { display: "Bahrain" },
  "105": { display: "Brunei" },
  "109": { display: "Korea, DPR" },
  "110": { code: "HKG", display: "Hong Kong, China" },
  "119": { display: "Laos" },
  "121": { code: "MAC", display: "Macao, China" },
  "125": { code: "NPL", display: "Nepal" },
  "133": { display: "R. O. Korea" },
  "135": { display: "Syria" },
  "141": { display: "Vietnam" },
  "143": { code: "TWN", display: "Taiwan, China" },
  "199": { code: "OTH-ASIA", display: "Other Asia, not elsewhere specified" },
  "207": {
    code: "ESP-CANARY",
    note: "Spain's Canary Islands, reported separately by China Customs; no ISO 3166-1 code of its own",
  },
  "209": { display: "Central African Republic" },
  "210": { code: "ESP-CEUTA", note: "Spain's Ceuta; no ISO 3166-1 code of its own" },
  "223": { display: "Côte d'Ivoire" },
  "226": { display: "Libya" },
  "252": { code: "COD", display: "Congo, DR" },
  "256": { code: "ESP-MELILLA", note: "Spain's Melilla; no ISO 3166-1 code of its own" },
  "257": { display: "Eswatini" },
  "260": { code: "SSD", display: "South Sudan" },
  "299": { code: "OTH-AFRICA", display: "Other Africa, not elsewhere specified" },
  "339": { display: "Azerbaijan" },
  "349": {
    code: "SCG",
    en: "Serbia and Montenegro",
    note: "The union dissolved in 2006; SCG is its former ISO 3166-1 code. The list's English line for 349 is unreadable (a NUL byte): the name comes from the Chinese line",
  },
  "354": { code: "MKD", display: "North Macedonia" },
  "355": { display: "Bosnia and Herzegovina" },
  "356": { code: "VAT", display: "Vatican City" },
  "399": { code: "OTH-EUROPE", display: "Other Europe, not elsewhere specified" },
  "401": { display: "Antigua and Barbuda" },
  "408": { code: "BOL", display: "Bolivia" },
  "409": {
    code: "BES-BONAIRE",
    note: "Bonaire and Saba share ISO 3166-1 BES but have separate platform codes (409, 436)",
  },
  "417": { code: "CUW" },
  "436": {
    code: "BES-SABA",
    note: "Bonaire and Saba share ISO 3166-1 BES but have separate platform codes (409, 436)",
  },
  "438": {
    code: "SAINT-MARTIN",
    display: "Saint Martin",
    note: "The whole island: ISO 3166-1 splits it into MAF (French part) and SXM (Dutch part)",
  },
  "439": { display: "Saint Vincent and the Grenadines" },
  "446": { display: "British Virgin Islands" },
  "447": { display: "Saint Kitts and Nevis" },
  "448": { display: "Saint Pierre and Miquelon" },
  "449": { code: "ANT", note: "Dissolved in 2010; ANT is its former ISO 3166-1 code" },
  "499": { code: "OTH-LATAM", display: "Other Latin America, not elsewhere specified" },
  "599": { code: "OTH-NAMERICA", display: "Other North America, not elsewhere specified" },
  "604": {
    code: "PYF-GAMBIER",
    note: "Part of French Polynesia (PYF, platform code 623), listed separately",
  },
  "605": {
    code: "PYF-MARQUESAS",
    note: "Part of French Polynesia (PYF, platform code 623), listed separately",
  },
  "612": {
    code: "PYF-SOCIETY",
    note: "Part of French Polynesia (PYF, platform code 623), listed separately",
  },
  "615": {
    code: "PYF-TUAMOTU",
    note: "Part of French Polynesia (PYF, platform code 623), listed separately",
  },
  "616": {
    code: "PYF-AUSTRAL",
    display: "Tubuai (Austral) Islands",
    note: "Part of French Polynesia (PYF, platform code 623), listed separately",
  },
  "620": { display: "Micronesia, Federated States of" },
  "699": { code: "OTH-OCEANIA", display: "Other Oceania, not elsewhere specified" },
  "701": { code: "UNK", display: "Country or region unknown" },
  "702": { code: "INTORG", display: "UN and other international organisations" },
  "999": { code: "NEUTRAL", display: "Neutral packaging (country of origin unknown)" },
};

/**
 * Other spellings, by code: GACC's preliminary release and Monthly Bulletin, the names newsrooms and
 * statistics offices use, and Chinese short forms. First the entries that predate this build (their
 * order decides the display name), then the rest.
 */
const OTHER_NAMES: Record<string, string[]> = {
  DEU: ["Germany", "德国", "Federal Republic of Germany"],
  NLD: ["Netherlands", "荷兰", "The Netherlands", "Holland"],
  FRA: ["France", "法国"],
  ITA: ["Italy", "意大利"],
  USA: [
    "United States (US)",
    "United States",
    "USA",
    "U.S.A.",
    "美国",
    "U.S.",
    "US",
    "United States of America",
  ],
  VNM: ["Vietnam", "Viet Nam", "越南"],
  MYS: ["Malaysia", "马来西亚"],
  THA: ["Thailand", "泰国"],
  SGP: ["Singapore", "新加坡"],
  IDN: ["Indonesia", "印度尼西亚", "印尼"],
  PHL: ["Philippines", "菲律宾", "The Philippines"],
  JPN: ["Japan", "日本"],
  HKG: ["Hong Kong, China", "Hong Kong", "中国香港", "Hong Kong SAR", "Hong Kong SAR, China", "香港"],
  KOR: [
    "R. O. Korea",
    "Republic of Korea",
    "South Korea",
    "Korea, Rep.",
    "韩国",
    "Rep. of Korea",
    "Korea, Republic of",
    "Korea (R. O.)",
    "ROK",
    "大韩民国",
  ],
  TWN: ["Taiwan, China", "Taiwan", "中国台湾", "Taiwan Province of China", "Chinese Taipei", "台湾"],
  AUS: ["Australia", "澳大利亚"],
  RUS: ["Russian Federation", "Russia", "俄罗斯联邦", "俄罗斯"],
  IND: ["India", "印度"],
  GBR: ["United Kingdom (UK)", "United Kingdom", "UK", "英国", "U.K.", "Great Britain", "Britain"],
  CAN: ["Canada", "加拿大"],
  NZL: ["New Zealand", "新西兰"],
  BRA: ["Brazil", "巴西"],
  ZAF: ["South Africa", "南非", "Republic of South Africa"],
  ARG: ["Argentina", "阿根廷"],
  // Asia
  AFG: ["阿富汗伊斯兰共和国"],
  BHR: ["Bahrain", "巴林王国"],
  BRN: ["Brunei Darussalam", "文莱达鲁萨兰国"],
  MMR: ["Burma", "Myanmar (Burma)"],
  KHM: ["Kampuchea"],
  PRK: [
    "D. P. R. Korea",
    "DPR Korea",
    "Korea, DPR",
    "Korea, Dem. People's Rep.",
    "Democratic People's Republic of Korea",
    "North Korea",
    "Korea, Democratic People's Republic of",
    "朝鲜民主主义人民共和国",
  ],
  MAC: ["Macao, China", "Macao", "Macau", "中国澳门", "Macao SAR", "Macao SAR, China", "澳门"],
  IRN: ["Iran, Islamic Rep.", "Islamic Republic of Iran", "Iran (Islamic Republic of)", "伊朗伊斯兰共和国"],
  LAO: ["Laos", "Lao PDR", "Lao People's Democratic Republic", "老挝人民民主共和国"],
  NPL: ["Nepal", "Federal Democratic Republic of Nepal", "尼泊尔"],
  PSE: ["State of Palestine", "Palestinian Territory", "Palestine, State of"],
  SAU: ["沙特"],
  SYR: ["Syria", "Syrian Arab Republic", "叙利亚阿拉伯共和国"],
  TUR: ["Türkiye", "Turkiye", "Republic of Türkiye", "土耳其共和国"],
  ARE: ["UAE", "U.A.E.", "阿拉伯联合酋长国"],
  TLS: ["East Timor", "Timor Leste", "Democratic Republic of Timor-Leste"],
  KGZ: ["Kyrgyz Republic", "Kirghizia"],
  // Africa
  CPV: ["Cabo Verde"],
  CAF: ["Central African Republic", "中非共和国"],
  COG: ["Republic of the Congo", "Congo, Rep.", "Congo (Brazzaville)", "Congo-Brazzaville", "刚果共和国"],
  COD: [
    "Democratic Republic of the Congo",
    "Congo, DR",
    "Congo, Dem. Rep.",
    "DR Congo",
    "D. R. Congo",
    "Congo (Kinshasa)",
    "Congo-Kinshasa",
    "刚果民主共和国",
  ],
  CIV: ["Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"],
  EGY: ["Egypt, Arab Rep.", "阿拉伯埃及共和国"],
  GMB: ["The Gambia", "Gambia, The"],
  LBY: ["Libya", "利比亚国"],
  REU: ["Réunion"],
  STP: ["São Tomé and Príncipe"],
  TZA: ["United Republic of Tanzania", "Tanzania, United Rep."],
  SWZ: ["Eswatini", "Kingdom of Eswatini", "埃斯瓦蒂尼", "Swaziland"],
  SSD: ["South Sudan", "南苏丹"],
  // Europe
  CZE: ["Czechia", "Czech Rep.", "捷克共和国"],
  SVK: ["Slovak Republic"],
  AZE: ["Azerbaijan"],
  MDA: ["Republic of Moldova", "Moldova, Rep.", "摩尔多瓦共和国"],
  SCG: ["Serbia and Montenegro", "Serbia & Montenegro"],
  MKD: ["North Macedonia", "Macedonia", "The former Yugoslav Republic of Macedonia", "北马其顿", "马其顿"],
  BIH: ["Bosnia and Herzegovina", "Bosnia-Herzegovina", "波斯尼亚和黑塞哥维那"],
  VAT: ["Vatican City", "Vatican", "Holy See", "梵蒂冈"],
  FRO: ["Faeroe Islands"],
  // Latin America
  ATG: ["Antigua and Barbuda"],
  BHS: ["The Bahamas", "Bahamas, The"],
  BOL: ["Bolivia", "Plurinational State of Bolivia", "Bolivia (Plurinational State of)", "玻利维亚"],
  CUW: ["Curaçao", "库拉索"],
  VCT: ["Saint Vincent and the Grenadines", "St. Vincent and the Grenadines"],
  VGB: ["British Virgin Islands", "Virgin Islands (British)", "BVI"],
  KNA: ["Saint Kitts and Nevis", "St. Kitts and Nevis", "圣基茨和尼维斯"],
  SPM: ["Saint Pierre and Miquelon", "St. Pierre and Miquelon"],
  LCA: ["St. Lucia"],
  VEN: ["Venezuela, RB", "Bolivarian Republic of Venezuela", "Venezuela (Bolivarian Republic of)"],
  "SAINT-MARTIN": ["Saint Martin", "Saint Martin Island"],
  // North America, Oceania
  FSM: ["Micronesia, Federated States of", "Federated States of Micronesia", "Micronesia", "密克罗尼西亚"],
  "PYF-AUSTRAL": ["Tubuai (Austral) Islands", "Austral Islands", "Tubuai Islands"],
  WLF: ["Wallis and Futuna Islands"],
  // Not countries
  UNK: ["Country or region unknown", "Countries (regions) unknown", "Unknown", "国别不详"],
  INTORG: ["UN and other international organisations", "International organizations"],
  NEUTRAL: ["Neutral packaging (country of origin unknown)", "Countries of Neutral Package"],
};

const REGIONS: Record<string, string> = {
  "1": "Asia",
  "2": "Africa",
  "3": "Europe",
  "4": "Latin America",
  "5": "North America",
  "6": "Oceania",
};

// ---------------------------------------------------------------------------------------------------
// Reading the code list
// ---------------------------------------------------------------------------------------------------

interface ListedPartner {
  platformCode: string;
  /** Undefined when the list's line is unreadable (349 holds a NUL byte). */
  en: string | undefined;
  zh: string;
}

/** "344,Russian Federation," → ["344", "Russian Federation"]. Names may hold commas ("Korea, Rep."). */
function readCodeList(bytes: Buffer, file: string): Map<string, string | undefined> {
  const lines = iconv.decode(bytes, "gb18030").split(/\r?\n/);
  const out = new Map<string, string | undefined>();
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === "") continue; // header: "CODES","DESCRIPTION",
    const m = /^(\d{3}),(.*),$/.exec(line);
    if (!m?.[1] || m[2] === undefined) throw new Error(`${file} line ${i + 1} is not "code,name,": ${line}`);
    // Keep the name exactly as printed, minus control characters (349's English line is a NUL byte).
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    const name = m[2].replace(/[\u0000-\u001f]/g, "");
    out.set(m[1], name.trim() === "" ? undefined : name);
  }
  return out;
}

interface ExistingEntry {
  code: string;
  platformCode?: string;
  platformNameEn?: string;
  platformNameZh?: string;
}

function readListedPartners(): { partners: ListedPartner[]; source: string } {
  if (existsSync(resolve(listDir, EN_LIST)) && existsSync(resolve(listDir, ZH_LIST))) {
    const enNames = readCodeList(readFileSync(resolve(listDir, EN_LIST)), EN_LIST);
    const zhNames = readCodeList(readFileSync(resolve(listDir, ZH_LIST)), ZH_LIST);
    const codes = [...new Set([...enNames.keys(), ...zhNames.keys()])].sort();
    return {
      partners: codes.map((platformCode) => {
        const zhName = zhNames.get(platformCode);
        if (!zhName) throw new Error(`Platform code ${platformCode} has no Chinese name in ${ZH_LIST}`);
        return { platformCode, en: enNames.get(platformCode), zh: zhName };
      }),
      source: listDir,
    };
  }
  // Without the shared folder, rebuild from the platform names recorded in our own copy.
  const existing = JSON.parse(readFileSync(outputPath, "utf8")) as { partners: ExistingEntry[] };
  const partners = existing.partners
    .filter((p): p is ExistingEntry & { platformCode: string; platformNameZh: string } =>
      Boolean(p.platformCode && p.platformNameZh),
    )
    .map((p) => ({ platformCode: p.platformCode, en: p.platformNameEn, zh: p.platformNameZh }))
    .sort((a, b) => a.platformCode.localeCompare(b.platformCode));
  return { partners, source: `${outputPath} (platform names recorded in it; ${listDir} not found)` };
}

// ---------------------------------------------------------------------------------------------------
// Building entries
// ---------------------------------------------------------------------------------------------------

interface OutputEntry {
  code: string;
  grouping?: true;
  platformCode?: string;
  region?: string;
  names: string[];
  platformNameEn?: string;
  platformNameZh?: string;
  note?: string;
}

/** The list's English name tidied for display: full-width comma, doubled spaces, a stray final dot. */
function tidy(name: string): string {
  return name
    .replace(/\uff0c/g, ", ")
    .replace(/\s*,\s*/g, ", ")
    .replace(/\s+/g, " ")
    .replace(/\.$/, "")
    .trim();
}

function isoCode(p: ListedPartner): string {
  const hand = OVERRIDES[p.platformCode]?.code;
  if (hand) return hand;
  const byEn = p.en ? countries.getAlpha3Code(tidy(p.en), "en") : undefined;
  const byZh = countries.getAlpha3Code(p.zh, "zh");
  if (byEn && byZh && byEn !== byZh) {
    throw new Error(
      `Platform code ${p.platformCode}: "${p.en}" looks like ${byEn} but "${p.zh}" like ${byZh}; add a hand code`,
    );
  }
  const code = byEn ?? byZh;
  if (!code) {
    throw new Error(
      `Platform code ${p.platformCode} ("${p.en}", "${p.zh}") has no ISO code; add a hand code`,
    );
  }
  return code;
}

function uniq(names: Array<string | undefined>): string[] {
  const out: string[] = [];
  for (const n of names) if (n && !out.includes(n)) out.push(n);
  return out;
}

/** Entries already in data/partners.json before this build: their first name was chosen by hand. */
const LEGACY_CODES = new Set(
  "DEU NLD FRA ITA USA VNM MYS THA SGP IDN PHL JPN HKG KOR TWN AUS RUS IND GBR CAN NZL BRA ZAF ARG".split(
    " ",
  ),
);

function buildEntries(listed: ListedPartner[]): OutputEntry[] {
  const entries: OutputEntry[] = GROUPINGS.map((g) => ({
    code: g.code,
    grouping: true,
    names: uniq(g.names),
  }));
  for (const p of listed) {
    const override = OVERRIDES[p.platformCode] ?? {};
    const code = isoCode(p);
    const enName = p.en ?? override.en;
    const display = override.display ?? (enName ? tidy(enName) : p.zh);
    const others = OTHER_NAMES[code] ?? [];
    // An entry that predates the build keeps its first name; otherwise the display name comes first.
    const first = LEGACY_CODES.has(code) && others[0] ? others[0] : display;
    const entry: OutputEntry = {
      code,
      platformCode: p.platformCode,
      region: REGIONS[p.platformCode[0] ?? ""] ?? "Other",
      names: uniq([first, display, enName, p.zh, ...others]),
    };
    if (p.en) entry.platformNameEn = p.en;
    entry.platformNameZh = p.zh;
    if (override.note) entry.note = override.note;
    entries.push(entry);
  }
  return entries;
}

/** Stops the build on duplicate codes, duplicate platform codes, or a folded name claimed twice. */
function verify(entries: OutputEntry[]): void {
  const problems: string[] = [];
  const codes = new Map<string, string>();
  const platform = new Set<string>();
  const names = new Map<string, string>();
  for (const e of entries) {
    if (codes.has(e.code)) problems.push(`code ${e.code} is used twice`);
    codes.set(e.code, e.code);
    if (e.platformCode) {
      if (platform.has(e.platformCode)) problems.push(`platform code ${e.platformCode} is used twice`);
      platform.add(e.platformCode);
    }
    for (const n of e.names) {
      const folded = foldPartnerName(n);
      const owner = names.get(folded);
      if (owner && owner !== e.code) problems.push(`"${n}" is a name of both ${owner} and ${e.code}`);
      names.set(folded, e.code);
    }
  }
  for (const code of Object.keys(OTHER_NAMES)) {
    if (!codes.has(code)) problems.push(`OTHER_NAMES lists ${code}, which no platform code produced`);
  }
  if (problems.length > 0)
    throw new Error(`The partner registry is inconsistent:\n  ${problems.join("\n  ")}`);
}

// ---------------------------------------------------------------------------------------------------
// Writing JSON the way the project's formatter (Biome, line width 110) lays it out
// ---------------------------------------------------------------------------------------------------

const LINE_WIDTH = 110;

/** Columns a line takes: East Asian wide characters count two, as Biome counts them. */
function width(text: string): number {
  let n = 0;
  for (const ch of text) {
    n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  }
  return n;
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[${value.map(inline).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const parts = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`);
    return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** Biome keeps an object or array on one line when it fits (and was written so), else one item a line. */
function layout(value: unknown, indent: number, prefix: string, suffix: string): string {
  const pad = " ".repeat(indent);
  const flat = `${pad}${prefix}${inline(value)}${suffix}`;
  if (width(flat) <= LINE_WIDTH) return flat;
  if (Array.isArray(value)) {
    const items = value.map((v, i) => layout(v, indent + 2, "", i < value.length - 1 ? "," : ""));
    return `${pad}${prefix}[\n${items.join("\n")}\n${pad}]${suffix}`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    const items = entries.map(([k, v], i) =>
      layout(v, indent + 2, `${JSON.stringify(k)}: `, i < entries.length - 1 ? "," : ""),
    );
    return `${pad}${prefix}{\n${items.join("\n")}\n${pad}}${suffix}`;
  }
  return flat;
}

function render(entries: OutputEntry[]): string {
  const comment =
    "Partner names as GACC prints them, mapped to stable codes. Generated by data/tools/build-partners.ts " +
    "from the query platform's partner code list plus the hand entries in that script: edit the script, not this file. " +
    "code: ISO 3166-1 alpha-3 for countries and territories; explicit codes for groupings (WORLD, EU...), parts " +
    "listed separately (ESP-CANARY, PYF-SOCIETY...) and what is not a country (UNK, INTORG, NEUTRAL, OTH-ASIA...). " +
    "platformCode: the query platform's 3-digit partner code (a string); platformNameEn/Zh: its names exactly as " +
    "the list prints them; region: the continent the code's first digit gives. Names are matched after folding " +
    "case, spaces, accents and punctuation.";
  const lines = entries.map((e, i) => layout(e, 4, "", i < entries.length - 1 ? "," : ""));
  return `{\n${layout(comment, 2, '"$comment": ', ",")}\n  "partners": [\n${lines.join("\n")}\n  ]\n}\n`;
}

/** The registry file's text as this script would write it, and where the platform names came from. */
export function buildPartnersJson(): { text: string; source: string; platformCodes: number } {
  const { partners: listed, source } = readListedPartners();
  const entries = buildEntries(listed);
  verify(entries);
  return { text: render(entries), source, platformCodes: entries.filter((e) => e.platformCode).length };
}

function main(): void {
  const check = process.argv.includes("--check");
  const { text, source, platformCodes } = buildPartnersJson();
  if (check) {
    const current = existsSync(outputPath) ? readFileSync(outputPath, "utf8") : "";
    if (current !== text) {
      console.error("data/partners.json is out of date: run npx tsx data/tools/build-partners.ts");
      process.exit(1);
    }
    console.log(`data/partners.json is up to date (${platformCodes} platform codes, from ${source})`);
    return;
  }
  writeFileSync(outputPath, text);
  console.log(`Wrote ${outputPath}: ${platformCodes} platform codes, from ${source}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
