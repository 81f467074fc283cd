/**
 * The vocabulary of the pipeline. Plain data: no SDK, no Lambda types.
 * Periods and codes are strings, always ("2023-08", "2023-01/02", "03011100", "344").
 */

export type Currency = "USD" | "CNY";
export type Flow = "total" | "exports" | "imports";
/** month: one calendar month; jan-feb: GACC's combined January–February release; ytd: January to `period`. */
export type ObservationKind = "month" | "jan-feb" | "ytd";
/** preliminary: the ~10th-of-month release; bulletin: the verified Monthly Bulletin; query: the query platform. */
export type Vintage = "preliminary" | "bulletin" | "query";

export const VINTAGE_RANK: Record<Vintage, number> = { preliminary: 1, bulletin: 2, query: 3 };

/** "2023-08" for a month, "2023-01/02" for the combined January–February release. */
export type Period = string;

export interface Provenance {
  releaseId: string;
  url: string;
  sha256: string;
  fetchedAt: string;
  /** Set on figures from a release an editor accepted after review: the reading chosen and why. */
  acceptedAfterReview?: string | undefined;
}

export interface Partner {
  /** ISO 3166 alpha-3 for countries and territories, an explicit code for groupings (EU, ASEAN, WORLD...). */
  code: string;
  /** The name exactly as the source printed it. */
  nameAsPrinted: string;
  isGrouping: boolean;
  /** Set for rows listed under a grouping's `of which:` line (e.g. "DEU" in "EU"). */
  memberOf?: string | undefined;
}

export interface Observation {
  reporter: "CHN";
  partner: Partner;
  flow: Flow;
  /** "TOTAL", an HS code kept as a string ("27090000", chapter "27"), or "cat:<slug>" for GACC's named
   * commodity groups in tables (5)/(6) (e.g. "cat:crude-oil"). */
  commodity: string;
  /** Printed label of the commodity when it is not TOTAL. */
  commodityLabel?: string | undefined;
  /** Physical quantity for commodity rows, in the unit as printed ("10,000 Tons") scaled to base ("Ton"). */
  quantity?: { value: number; unit: string; printedUnit: string } | undefined;
  period: Period;
  kind: ObservationKind;
  /** Value in base units of `currency` (dollars, yuan): printed value × unit multiplier, exact. */
  value: number;
  currency: Currency;
  /** Cell text and unit exactly as printed, so every number traces back. */
  printed: { value: string; unit: string };
  /** Year-to-date y/y % as GACC printed it (ytd and jan-feb kinds only). Never shown as a monthly y/y. */
  printedYtdYoyPct?: number | undefined;
  vintage: Vintage;
  provenance: Provenance;
}

export type ReleaseStatus = "fetched" | "normalizing" | "normalized" | "quarantined" | "accepted";

export interface CheckFinding {
  check: string;
  message: string;
  /** The typed error's code when the finding stands for one (e.g. "LAYOUT_CHANGED", "NO_TABLE"). */
  code?: string | undefined;
  /** currency-agrees: the two currencies the page names, so an editor can choose one. */
  currencies?: { title: Currency; unitRow: Currency } | undefined;
  /** The raw amounts the finding is about, in base units (dollars, yuan): the message formats them. */
  amounts?: Record<string, number> | undefined;
  /** The currency of `amounts`. */
  currency?: Currency | undefined;
  /** Engineer detail (field names, codes, raw units), shown under "Details", never in a headline. */
  detail?: string | undefined;
}

/** How an editor read a held-back release when accepting it: nothing is assumed. */
export interface Resolution {
  /** For a page whose title and unit row name different currencies: which one the figures are in. */
  currency?: { choice: "title" | "unit-row"; currency: Currency } | undefined;
}

export interface Acceptance {
  by: string;
  reason: string;
  at: string;
  resolution?: Resolution | undefined;
  /** The preview the editor confirmed (what was written). */
  previewSha256?: string | undefined;
}

export interface Release {
  releaseId: string;
  source: string;
  table: string;
  currency: Currency;
  period: Period;
  /** Where the bytes were actually fetched from, after redirects (provenance for every number). */
  url: string;
  /** The link as the index page printed it, when that differs from `url` (often absolute to GACC's
   * host; on a mirror, or when the page is tampered with, it names another host). Never published. */
  printedUrl?: string | undefined;
  sha256: string;
  fetchedAt: string;
  rawKey: string;
  status: ReleaseStatus;
  /** The sha256 whose observations are written (status normalized/accepted). */
  normalizedSha256?: string | undefined;
  /** Uploaded query-platform exports: the flow the uploader declared (the file does not say). */
  declaredFlow?: "imports" | "exports" | undefined;
  /** Who uploaded a file by hand (uploads only). */
  uploadedBy?: string | undefined;
  /** Who accepted a quarantined release, how they read it, and why. */
  acceptance?: Acceptance | undefined;
  /** An upload whose flow an editor corrected: the release that replaced this reading (its figures are
   * no longer charted). */
  supersededBy?: string | undefined;
  /** An upload that replaced an earlier reading of the same file under the other flow (normalizing
   * it records each figure's change of reading as a revision). */
  replaces?: { releaseId: string; flow: "imports" | "exports"; by: string; at: string } | undefined;
  /** Blocking findings that quarantined this release. */
  reasons: CheckFinding[];
  warnings: CheckFinding[];
  updatedAt: string;
  /** Earlier sha256 values of this release's page, newest last. */
  previousSha256?: string[] | undefined;
}

/** A stored value replaced by a later release: revisions are sometimes the story. */
export interface Revision {
  seriesKey: string;
  kind: ObservationKind;
  period: Period;
  vintage: Vintage;
  oldValue: number;
  newValue: number;
  oldRelease: Provenance;
  newRelease: Provenance;
  revisedAt: string;
  /** The value did not change but its reading did: an editor replaced the earlier reading of the
   * same uploaded file under the other flow (old → new release); `flow` is the earlier reading's. */
  replacedReading?: { flow: Flow; by: string } | undefined;
}

/** What every parser/normalizer returns for one release file: observations plus check findings. */
export interface NormalizeResult {
  table: string;
  currency: Currency;
  /** The release's reference period (latest month it covers). */
  period: Period;
  title: string;
  observations: Observation[];
  /** Findings that hold the release back: if any, nothing from it is written or published. */
  blocking: CheckFinding[];
  /** Findings published with the release and flagged in the run report. */
  warnings: CheckFinding[];
}
