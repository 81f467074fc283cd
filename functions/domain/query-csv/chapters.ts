/**
 * Sums HS-code observations to HS chapters (the first two digits) for charts such as "China's
 * imports from Russia by HS chapter": 27 mineral fuels, 10 cereals, 03 fish and seafood.
 *
 * Summing is right here because the codes of one query export are disjoint (each 8-digit code sits in
 * exactly one chapter). Never use it on GACC's printed groupings, which overlap.
 */
import type { Observation } from "../model.js";

/** Short English titles of the HS chapters (Harmonized System, 2022 edition; chapter 77 is reserved). */
export const HS_CHAPTERS: Readonly<Record<string, string>> = {
  "01": "Live animals",
  "02": "Meat and edible meat offal",
  "03": "Fish and crustaceans, molluscs and other aquatic invertebrates",
  "04": "Dairy produce; birds' eggs; natural honey",
  "05": "Other products of animal origin",
  "06": "Live trees and other plants; cut flowers",
  "07": "Edible vegetables",
  "08": "Edible fruit and nuts",
  "09": "Coffee, tea, maté and spices",
  "10": "Cereals",
  "11": "Products of the milling industry; malt; starches",
  "12": "Oil seeds and oleaginous fruits; grains, seeds, fodder",
  "13": "Lac; gums, resins and other vegetable saps and extracts",
  "14": "Vegetable plaiting materials",
  "15": "Animal, vegetable or microbial fats and oils",
  "16": "Preparations of meat, fish or crustaceans",
  "17": "Sugars and sugar confectionery",
  "18": "Cocoa and cocoa preparations",
  "19": "Preparations of cereals, flour, starch or milk",
  "20": "Preparations of vegetables, fruit or nuts",
  "21": "Miscellaneous edible preparations",
  "22": "Beverages, spirits and vinegar",
  "23": "Food industry residues; animal fodder",
  "24": "Tobacco",
  "25": "Salt; sulphur; earths and stone; lime and cement",
  "26": "Ores, slag and ash",
  "27": "Mineral fuels, mineral oils and products of their distillation",
  "28": "Inorganic chemicals",
  "29": "Organic chemicals",
  "30": "Pharmaceutical products",
  "31": "Fertilisers",
  "32": "Tanning or dyeing extracts; dyes, pigments, paints",
  "33": "Essential oils; perfumery and cosmetics",
  "34": "Soap, washing preparations, lubricants, waxes",
  "35": "Albuminoidal substances; modified starches; glues; enzymes",
  "36": "Explosives; pyrotechnics; matches",
  "37": "Photographic or cinematographic goods",
  "38": "Miscellaneous chemical products",
  "39": "Plastics and articles thereof",
  "40": "Rubber and articles thereof",
  "41": "Raw hides and skins and leather",
  "42": "Articles of leather; travel goods, handbags",
  "43": "Furskins and artificial fur",
  "44": "Wood and articles of wood; wood charcoal",
  "45": "Cork and articles of cork",
  "46": "Basketware and wickerwork",
  "47": "Pulp of wood; recovered paper",
  "48": "Paper and paperboard",
  "49": "Printed books, newspapers, pictures",
  "50": "Silk",
  "51": "Wool and animal hair",
  "52": "Cotton",
  "53": "Other vegetable textile fibres; paper yarn",
  "54": "Man-made filaments",
  "55": "Man-made staple fibres",
  "56": "Wadding, felt and nonwovens; twine, cordage, ropes",
  "57": "Carpets and other textile floor coverings",
  "58": "Special woven fabrics; lace; tapestries",
  "59": "Impregnated, coated or laminated textile fabrics",
  "60": "Knitted or crocheted fabrics",
  "61": "Apparel, knitted or crocheted",
  "62": "Apparel, not knitted or crocheted",
  "63": "Other made-up textile articles; worn clothing",
  "64": "Footwear",
  "65": "Headgear",
  "66": "Umbrellas, walking sticks, whips",
  "67": "Feathers and down; artificial flowers; articles of human hair",
  "68": "Articles of stone, plaster, cement, asbestos, mica",
  "69": "Ceramic products",
  "70": "Glass and glassware",
  "71": "Pearls, precious stones and metals; jewellery; coin",
  "72": "Iron and steel",
  "73": "Articles of iron or steel",
  "74": "Copper and articles thereof",
  "75": "Nickel and articles thereof",
  "76": "Aluminium and articles thereof",
  "78": "Lead and articles thereof",
  "79": "Zinc and articles thereof",
  "80": "Tin and articles thereof",
  "81": "Other base metals; cermets",
  "82": "Tools, implements, cutlery of base metal",
  "83": "Miscellaneous articles of base metal",
  "84": "Nuclear reactors, boilers, machinery and mechanical appliances",
  "85": "Electrical machinery and equipment",
  "86": "Railway locomotives and rolling stock",
  "87": "Vehicles other than railway or tramway rolling stock",
  "88": "Aircraft, spacecraft",
  "89": "Ships, boats and floating structures",
  "90": "Optical, photographic, measuring and medical instruments",
  "91": "Clocks and watches",
  "92": "Musical instruments",
  "93": "Arms and ammunition",
  "94": "Furniture; bedding; lamps; prefabricated buildings",
  "95": "Toys, games and sports requisites",
  "96": "Miscellaneous manufactured articles",
  "97": "Works of art, collectors' pieces and antiques",
};

const HS_CODE = /^\d{2}(?:\d{2}){0,4}$/;

/** "27090000" → "27". */
export function hsChapterOf(commodity: string): string {
  if (!HS_CODE.test(commodity)) {
    throw new RangeError(
      `"${commodity}" is not an HS code (2 to 10 digits): only HS-coded observations can be summed by chapter`,
    );
  }
  return commodity.slice(0, 2);
}

/**
 * Sums observations by HS chapter per (partner, flow, period, kind, currency, vintage). The result
 * has commodity = the 2-digit chapter ("27"), commodityLabel = the chapter title, value = the exact
 * sum, and a quantity only when every summed row has one in the same unit. Provenance is the latest
 * (by fetchedAt) among the summed rows. Output is sorted by partner, flow, period, chapter.
 * Throws RangeError for an observation whose commodity is not an HS code ("TOTAL", "cat:...").
 */
export function sumByHsChapter(observations: readonly Observation[]): Observation[] {
  const groups = new Map<string, { sum: Observation; quantityOk: boolean }>();
  for (const o of observations) {
    const chapter = hsChapterOf(o.commodity);
    const key = [o.partner.code, o.flow, o.period, o.kind, o.currency, o.vintage, chapter].join("|");
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        sum: {
          ...o,
          commodity: chapter,
          commodityLabel: HS_CHAPTERS[chapter] ?? `HS chapter ${chapter}`,
          quantity: o.quantity ? { ...o.quantity } : undefined,
          printed: { value: String(o.value), unit: o.printed.unit },
          printedYtdYoyPct: undefined,
        },
        quantityOk: o.quantity !== undefined,
      });
      continue;
    }
    g.sum.value += o.value;
    if (g.quantityOk && g.sum.quantity && o.quantity && o.quantity.unit === g.sum.quantity.unit) {
      g.sum.quantity.value += o.quantity.value;
      if (o.quantity.printedUnit !== g.sum.quantity.printedUnit) g.sum.quantity.printedUnit = o.quantity.unit;
    } else {
      g.quantityOk = false;
    }
    if (o.provenance.fetchedAt > g.sum.provenance.fetchedAt) g.sum.provenance = o.provenance;
  }
  const out: Observation[] = [];
  for (const g of groups.values()) {
    if (!g.quantityOk) g.sum.quantity = undefined;
    g.sum.printed = { value: String(g.sum.value), unit: g.sum.printed.unit };
    if (!Number.isSafeInteger(g.sum.value) && Number.isInteger(g.sum.value)) {
      throw new RangeError(`The sum for HS chapter ${g.sum.commodity} is too large to store exactly`);
    }
    out.push(g.sum);
  }
  const order = (o: Observation) => [
    o.partner.code,
    o.flow,
    o.period,
    o.commodity,
    o.kind,
    o.currency,
    o.vintage,
  ];
  return out.sort((a, b) => {
    const ka = order(a);
    const kb = order(b);
    for (let i = 0; i < ka.length; i++) {
      const x = ka[i] ?? "";
      const y = kb[i] ?? "";
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
