/**
 * The release after a chart's latest period, derived from the data (not the clock) so that a re-run
 * publishes byte-identical files. GACC publishes month M's preliminary figures on the 7th–14th of
 * M+1; January is never published alone: January–February comes out together in March.
 */
export function nextPreliminaryRelease(latestPeriod: string): {
  kind: string;
  period: string;
  expectedFrom: string;
  expectedBy: string;
} {
  const year = Number(latestPeriod.slice(0, 4));
  const month = latestPeriod.includes("/") ? 2 : Number(latestPeriod.slice(5, 7));
  let nextYear = month === 12 ? year + 1 : year;
  let nextMonth = month === 12 ? 1 : month + 1;
  let period = `${nextYear}-${String(nextMonth).padStart(2, "0")}`;
  if (nextMonth === 1) {
    // January waits for February: the combined release.
    nextMonth = 2;
    period = `${nextYear}-01/02`;
  }
  const pubMonth = nextMonth === 12 ? 1 : nextMonth + 1;
  if (nextMonth === 12) nextYear += 1;
  const mm = String(pubMonth).padStart(2, "0");
  return {
    kind: "preliminary",
    period,
    expectedFrom: `${nextYear}-${mm}-07`,
    expectedBy: `${nextYear}-${mm}-14`,
  };
}
