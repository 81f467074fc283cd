/**
 * When the next release of a kind is expected, from GACC's release calendar (release-calendar.ts).
 * No clock, no SDK: `now` is passed in.
 */
import type { Period } from "./model.js";
import {
  offsetMinutes,
  RELEASE_CALENDAR,
  type ReleaseCalendar,
  type ReleaseKind,
  type ReleaseWindow,
} from "./release-calendar.js";

export interface ExpectedRelease {
  kind: ReleaseKind;
  /** "2026-05", or "2026-01/02" for the combined January–February release. */
  period: Period;
  /** ISO 8601 with the calendar's offset, e.g. "2026-06-07T10:00:00+08:00". */
  expectedFrom: string;
  expectedBy: string;
}

function windowOf(kind: ReleaseKind, calendar: ReleaseCalendar): ReleaseWindow {
  const w = calendar.releases.find((r) => r.kind === kind);
  if (!w) throw new RangeError(`The release calendar has no "${kind}" release`);
  return w;
}

/**
 * The next release of `kind` whose window has not closed at `now` (expectedBy >= now). Pure: it does not
 * know whether a release already came out early in the current window; callers that know the latest
 * published period should use `releaseAfterPeriod`.
 */
export function nextExpectedRelease(
  now: Date,
  kind: ReleaseKind,
  calendar: ReleaseCalendar = RELEASE_CALENDAR,
): ExpectedRelease {
  const w = windowOf(kind, calendar);
  const offsetMs = offsetMinutes(calendar.utcOffset) * 60_000;
  const local = new Date(now.getTime() + offsetMs);
  const start = { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1 };
  for (let k = 0; k <= 24; k++) {
    const pub = addMonths(start, k);
    if (calendar.noPublicationInMonths.includes(pub.month)) continue;
    const release = releaseInMonth(w, pub, calendar);
    if (Date.parse(release.expectedBy) >= now.getTime()) return release;
  }
  throw new RangeError(`The release calendar yields no "${kind}" release in the next two years`);
}

/** The expected release of the first period after `latestPeriod` ("2026-05" or "2026-01/02"). */
export function releaseAfterPeriod(
  kind: ReleaseKind,
  latestPeriod: Period,
  calendar: ReleaseCalendar = RELEASE_CALENDAR,
): ExpectedRelease {
  const m = /^(\d{4})-(\d{2})(?:\/(\d{2}))?$/.exec(latestPeriod);
  if (!m) throw new RangeError(`"${latestPeriod}" is not a period (YYYY-MM or YYYY-MM/MM)`);
  const w = windowOf(kind, calendar);
  const last = { year: Number(m[1]), month: Number(m[3] ?? m[2]) };
  const first = addMonths(addMonths(last, 1), w.monthsAfterPeriod);
  for (let k = 0; k <= 12; k++) {
    const pub = addMonths(first, k);
    if (!calendar.noPublicationInMonths.includes(pub.month)) return releaseInMonth(w, pub, calendar);
  }
  throw new RangeError(`The release calendar yields no "${kind}" release after ${latestPeriod}`);
}

function releaseInMonth(w: ReleaseWindow, pub: YearMonth, calendar: ReleaseCalendar): ExpectedRelease {
  const periodMonth = addMonths(pub, -w.monthsAfterPeriod);
  const combined = calendar.combinedPeriods.find(
    (c) => c.publishedInMonth === pub.month && c.months[c.months.length - 1] === periodMonth.month,
  );
  const period = combined
    ? `${periodMonth.year}-${pad(combined.months[0] ?? periodMonth.month)}/${pad(periodMonth.month)}`
    : `${periodMonth.year}-${pad(periodMonth.month)}`;
  return {
    kind: w.kind,
    period,
    expectedFrom: localIso(pub, w.days.from, w.time.from, calendar.utcOffset),
    expectedBy: localIso(pub, w.days.to, w.time.to, calendar.utcOffset),
  };
}

// ---- helpers ----

interface YearMonth {
  year: number;
  month: number;
}

function addMonths(ym: YearMonth, n: number): YearMonth {
  const index = ym.year * 12 + (ym.month - 1) + n;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function localIso(pub: YearMonth, day: number, time: string, utcOffset: string): string {
  return `${pub.year}-${pad(pub.month)}-${pad(day)}T${time}:00${utcOffset}`;
}
