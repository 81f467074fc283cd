/** Edits of the mirror's sample pages for reliability tests. */
import { sampleReleases } from "../../../local/mirror/render.js";

export function releasePath(currency: string, period: string): string {
  const r = sampleReleases().find((x) => x.currency === currency && x.period === period);
  if (!r) throw new Error(`no sample release ${currency} ${period}`);
  return r.path;
}

/** Replaces the first `from` after the "Russian Federation" row label (a value in Russia's row). */
export function reviseRussiaRow(html: string, from: string, to: string): string {
  const row = html.indexOf("Russian Federation");
  const at = html.indexOf(from, row);
  if (row < 0 || at < 0) throw new Error(`"${from}" not found in Russia's row`);
  return `${html.slice(0, at)}${to}${html.slice(at + from.length)}`;
}
