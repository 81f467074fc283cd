/** A release as editors read it: its name in words, its status and reasons, the choices it needs. */
import type { Release } from "../../domain/model.js";
import {
  heldBackHeadline,
  reasonTexts,
  releaseCurrency,
  releaseName,
  resolutionText,
} from "../../domain/wording.js";
import { type CurrencyChoice, currencyChoiceOf } from "../../pipeline/normalize-release.js";
import type { UploadedRelease } from "../../pipeline/upload-release.js";

export interface ReleaseView {
  releaseId: string;
  /** As GACC names it ("Preliminary release, by country, September 2023, in US dollars"). */
  name: string;
  source: string;
  table: string;
  currency: string;
  period: string;
  status: Release["status"];
  /** Held back: what happened, in one sentence (wording.ts), e.g. "Held back: the September 2023
   * table says US dollars in its title but yuan in its unit row, so its numbers can't be trusted.
   * Charts are unchanged." */
  headline?: string | undefined;
  /** The reasons and warnings in words, amounts formatted as the charts show them. */
  reasonsInWords: string[];
  /** The checks' findings as recorded: check code, message, raw amounts in base units. */
  reasons: Release["reasons"];
  warnings: Release["warnings"];
  url: string;
  fetchedAt: string;
  updatedAt: string;
  acceptance?: (NonNullable<Release["acceptance"]> & { reading: string }) | undefined;
  /** An upload replaced by a reading under the other flow. */
  supersededBy?: string | undefined;
  /** Held back: choices an editor must make to accept it (e.g. the currency), with their labels. */
  choices?: { currency?: CurrencyChoice | undefined } | undefined;
  upload?:
    | {
        fileName: string;
        flow: string;
        uploadedBy: string;
        firstPeriod: string;
        replaces?: UploadedRelease["replaces"];
      }
    | undefined;
}

export function releaseView(r: Release): ReleaseView {
  const u = r as Partial<UploadedRelease>;
  return {
    releaseId: r.releaseId,
    name: releaseName({ ...r, fileName: u.fileName }),
    source: r.source,
    table: r.table,
    // The currency its figures are stored in: the editor's choice when they resolved a conflict.
    currency: releaseCurrency(r),
    period: r.period,
    status: r.status,
    headline: r.status === "quarantined" ? heldBackHeadline(r) : undefined,
    reasonsInWords: reasonTexts([...r.reasons, ...r.warnings], r.period),
    reasons: r.reasons,
    warnings: r.warnings,
    url: r.url,
    fetchedAt: r.fetchedAt,
    updatedAt: r.updatedAt,
    acceptance: r.acceptance
      ? { ...r.acceptance, reading: resolutionText(r.acceptance.resolution) }
      : undefined,
    supersededBy: r.supersededBy,
    choices: r.status === "quarantined" ? currencyChoiceOf(r) : undefined,
    upload: u.declaredFlow
      ? {
          fileName: u.fileName ?? "",
          flow: u.declaredFlow,
          uploadedBy: u.uploadedBy ?? "",
          firstPeriod: u.firstPeriod ?? "",
          replaces: u.replaces,
        }
      : undefined,
  };
}
