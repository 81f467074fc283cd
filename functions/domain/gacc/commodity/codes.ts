/**
 * Commodity series codes from printed labels: "Agriculture products*" → "cat:agricultural-products".
 * Labels GACC printed differently for the same goods across years map to one code.
 */

/**
 * Labels GACC has printed differently for the same commodity across years, mapped to one series
 * code so a chart runs across them. Only pairs known to cover the same goods; the printed label is
 * always kept in `commodityLabel`.
 */
const SLUG_ALIASES: Record<string, string> = {
  "agriculture-products": "agricultural-products",
  "grain-food": "grain",
  "soya-beans": "soybeans",
  "crude-petroleum-oils": "crude-oil",
  "natural-gases": "natural-gas",
  "petroleum-products": "refined-petroleum-products",
  "high-tech-products": "hi-tech-products",
  "electronic-integrated-circuits": "integrated-circuits",
};

/** "Agriculture products*" → "cat:agricultural-products"; "Motor vehicles（including chassis...)" → "cat:motor-vehicles-including-chassis...". */
export function commodityCode(label: string): string {
  const slug = label
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\*/g, "")
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `cat:${SLUG_ALIASES[slug] ?? slug}`;
}
