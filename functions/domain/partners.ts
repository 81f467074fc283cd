/**
 * One partner, many names: "Russian Federation" (preliminary), "Russia" (bulletin), "俄罗斯联邦"
 * and platform code "344" (query platform) all resolve to RUS. The registry is data/partners.json.
 */
import registry from "../../data/partners.json" with { type: "json" };

export interface PartnerEntry {
  code: string;
  grouping: boolean;
  platformCode?: string | undefined;
  names: string[];
}

interface RegistryFile {
  partners: Array<{ code: string; grouping?: boolean; platformCode?: string; names: string[] }>;
}

/** Folds what differs between GACC's spellings: case, spaces, full-width punctuation, "of which:". */
export function foldPartnerName(name: string): string {
  return name
    .normalize("NFKC")
    .replace(/^\s*of\s+which\s*[:：]\s*/i, "")
    .replace(/[，]/g, ",")
    .replace(/[\s\u00a0\u3000]+/g, " ")
    .replace(/\s*,\s*/g, ", ")
    .trim()
    .toLowerCase();
}

export class PartnerRegistry {
  private readonly byName = new Map<string, PartnerEntry>();
  private readonly byPlatformCode = new Map<string, PartnerEntry>();
  private readonly byCode = new Map<string, PartnerEntry>();

  constructor(entries: PartnerEntry[]) {
    for (const e of entries) {
      this.byCode.set(e.code, e);
      if (e.platformCode) this.byPlatformCode.set(e.platformCode, e);
      for (const n of e.names) this.byName.set(foldPartnerName(n), e);
    }
  }

  byPrintedName(name: string): PartnerEntry | undefined {
    return this.byName.get(foldPartnerName(name));
  }

  byPlatform(code: string): PartnerEntry | undefined {
    return this.byPlatformCode.get(code.trim());
  }

  get(code: string): PartnerEntry | undefined {
    return this.byCode.get(code);
  }

  /** A display name for a code: the first name listed. */
  displayName(code: string): string {
    return this.byCode.get(code)?.names[0] ?? code;
  }
}

function loadDefault(): PartnerRegistry {
  const file = registry as RegistryFile;
  return new PartnerRegistry(
    file.partners.map((p) => ({
      code: p.code,
      grouping: p.grouping ?? false,
      platformCode: p.platformCode,
      names: p.names,
    })),
  );
}

/** The project's registry, loaded once. */
export const partners: PartnerRegistry = loadDefault();
