/**
 * GACC's release calendar (data/release-calendar.json), checked once at load, and the EventBridge
 * Scheduler schedules the CDK stack deploys from it (polling and overdue checks), so that schedules are
 * derived from the calendar and never typed by hand. Shared by the stack and the functions, so it
 * imports no code (the calendar file and one type only): the CDK app loads nothing else through it.
 * When the next release is due: calendar.ts.
 *
 * Facts encoded in the data: the preliminary release for month M comes out on the 7th–14th of M+1
 * around 10:00–11:00 Beijing time; the Monthly Bulletin around the 18th; the query platform around the
 * 20th; nothing is published in February: January and February come out together, once, in March
 * (period "YYYY-01/02"). Asia/Shanghai is UTC+08:00 all year (no daylight saving), so a fixed offset is
 * exact.
 */
import calendarFile from "../../data/release-calendar.json" with { type: "json" };
import type { Vintage } from "./model.js";

export type ReleaseKind = Vintage;

export interface ReleaseWindow {
  kind: ReleaseKind;
  name: string;
  /** A release for month M comes out in month M + monthsAfterPeriod. */
  monthsAfterPeriod: number;
  /** Day-of-month window, inclusive, local time. */
  days: { from: number; to: number };
  /** Time-of-day window, "HH:MM" local time: expectedFrom is days.from at time.from, expectedBy days.to at time.to. */
  time: { from: string; to: string };
  /** When set, the stack checks this many days after the window closes that some release was accepted. */
  overdueGraceDays?: number | undefined;
}

export interface ReleaseCalendar {
  timeZone: string;
  /** "+08:00": the fixed UTC offset of timeZone. */
  utcOffset: string;
  /** Months (1–12) in which nothing is published. */
  noPublicationInMonths: number[];
  /** Periods published together as one, e.g. January–February in March. */
  combinedPeriods: Array<{ months: number[]; publishedInMonth: number }>;
  releases: ReleaseWindow[];
  polling: {
    peak: { from: string; to: string };
    peakEveryMinutes: number;
    releaseDayEveryMinutes: number;
    quietDayAt: string;
  };
}

/** One EventBridge Scheduler schedule derived from the calendar. */
export interface PollingSchedule {
  /** Stable identifier (used as the CDK construct id and in the schedule's name). */
  id: string;
  description: string;
  /** Scheduler syntax: cron(minutes hours day-of-month month day-of-week year). */
  expression: string;
  timeZone: string;
}

/** A check, some days after a release window closes, that at least one release was accepted in it. */
export interface OverdueCheck extends PollingSchedule {
  kind: ReleaseKind;
  /** How far back from the check's start to look for accepted releases (covers the whole window). */
  lookbackSeconds: number;
}

const DAY_SECONDS = 86_400;

/** The calendar in data/release-calendar.json, checked once at load. */
export const RELEASE_CALENDAR: ReleaseCalendar = checkedCalendar(calendarFile as ReleaseCalendar);

/** Throws a RangeError naming the first inconsistency; returns the calendar unchanged otherwise. */
export function checkedCalendar(calendar: ReleaseCalendar): ReleaseCalendar {
  const fail = (what: string): never => {
    throw new RangeError(`data/release-calendar.json: ${what}`);
  };
  offsetMinutes(calendar.utcOffset);
  const kinds = new Set<string>();
  for (const r of calendar.releases) {
    if (kinds.has(r.kind)) fail(`release kind "${r.kind}" is listed twice`);
    kinds.add(r.kind);
    // Days up to 28 exist in every month, so a window never silently skips February-length months.
    if (!(r.days.from >= 1 && r.days.from <= r.days.to && r.days.to <= 28)) {
      fail(`${r.kind}: days must satisfy 1 <= from <= to <= 28, got ${r.days.from}-${r.days.to}`);
    }
    if (minutesOfDay(r.time.from) >= minutesOfDay(r.time.to))
      fail(`${r.kind}: time.from must be before time.to`);
    if (!Number.isInteger(r.monthsAfterPeriod) || r.monthsAfterPeriod < 1 || r.monthsAfterPeriod > 11) {
      fail(`${r.kind}: monthsAfterPeriod must be an integer between 1 and 11`);
    }
    if (r.overdueGraceDays !== undefined) {
      if (!Number.isInteger(r.overdueGraceDays) || r.overdueGraceDays < 0)
        fail(`${r.kind}: overdueGraceDays`);
      if (r.days.to + r.overdueGraceDays > 28)
        fail(`${r.kind}: the overdue check must fall on day 28 or earlier`);
    }
  }
  for (const m of calendar.noPublicationInMonths) {
    if (!Number.isInteger(m) || m < 1 || m > 12) fail(`noPublicationInMonths: ${m} is not a month`);
  }
  for (const c of calendar.combinedPeriods) {
    if (c.months.length < 2 || c.months.some((m, i) => i > 0 && m !== (c.months[i - 1] ?? 0) + 1)) {
      fail("combinedPeriods: months must be two or more consecutive months");
    }
  }
  const p = calendar.polling;
  const peakFrom = minutesOfDay(p.peak.from);
  const peakTo = minutesOfDay(p.peak.to);
  if (peakFrom % 60 !== 0 || peakTo % 60 !== 0 || peakFrom >= peakTo) {
    fail("polling.peak must run from one whole hour to a later whole hour");
  }
  for (const every of [p.peakEveryMinutes, p.releaseDayEveryMinutes]) {
    if (!Number.isInteger(every) || every < 1 || 60 % every !== 0) {
      fail(`polling interval ${every} must divide 60 (e.g. 15, 30, 60)`);
    }
  }
  minutesOfDay(p.quietDayAt);
  return calendar;
}

/** Months (1–12) in which releases come out. */
export function publicationMonths(calendar: ReleaseCalendar = RELEASE_CALENDAR): number[] {
  return range(1, 12).filter((m) => !calendar.noPublicationInMonths.includes(m));
}

/**
 * The polling schedules: on likely release days (the union of every release window's days, in the
 * months releases come out) every `peakEveryMinutes` inside the peak hours and every
 * `releaseDayEveryMinutes` outside them; on every other day once, at `quietDayAt`. Months sharing the
 * same release days share schedules, so the current calendar gives four: peak and off-peak on release
 * days, quiet days of publication months, and February.
 */
export function pollingSchedules(calendar: ReleaseCalendar = RELEASE_CALENDAR): PollingSchedule[] {
  const p = calendar.polling;
  const groups = new Map<string, { days: number[]; months: number[] }>();
  for (const month of range(1, 12)) {
    const days = calendar.noPublicationInMonths.includes(month)
      ? []
      : [...new Set(calendar.releases.flatMap((r) => range(r.days.from, r.days.to)))].sort((a, b) => a - b);
    const key = days.join(",");
    const group = groups.get(key) ?? { days, months: [] };
    group.months.push(month);
    groups.set(key, group);
  }
  const peakHours = range(minutesOfDay(p.peak.from) / 60, minutesOfDay(p.peak.to) / 60 - 1);
  const offPeakHours = range(0, 23).filter((h) => !peakHours.includes(h));
  const quiet = hm(p.quietDayAt);
  const tz = calendar.timeZone;
  const releaseGroups = [...groups.values()].filter((g) => g.days.length > 0);
  const quietGroups = [...groups.values()].filter((g) => g.days.length === 0);
  const suffix = (all: unknown[], months: number[]) => (all.length > 1 ? `M${months.join("-")}` : "");
  const out: PollingSchedule[] = [];
  for (const g of releaseGroups) {
    const days = cronList(g.days, 1, 31);
    const months = cronList(g.months, 1, 12);
    const quietDays = range(1, 31).filter((d) => !g.days.includes(d));
    out.push({
      id: `ReleaseDaysPeak${suffix(releaseGroups, g.months)}`,
      description: `Likely release days (${days}), ${p.peak.from}-${p.peak.to} ${tz}: every ${p.peakEveryMinutes} min`,
      expression: cron(everyMinutes(p.peakEveryMinutes), cronList(peakHours, 0, 23), days, months),
      timeZone: tz,
    });
    if (offPeakHours.length > 0) {
      out.push({
        id: `ReleaseDaysOffPeak${suffix(releaseGroups, g.months)}`,
        description: `Likely release days (${days}) outside ${p.peak.from}-${p.peak.to} ${tz}: every ${p.releaseDayEveryMinutes} min`,
        expression: cron(everyMinutes(p.releaseDayEveryMinutes), cronList(offPeakHours, 0, 23), days, months),
        timeZone: tz,
      });
    }
    if (quietDays.length > 0) {
      out.push({
        id: `QuietDays${suffix(releaseGroups, g.months)}`,
        description: `Other days of publication months: once a day at ${p.quietDayAt} ${tz}`,
        expression: cron(String(quiet.m), String(quiet.h), cronList(quietDays, 1, 31), months),
        timeZone: tz,
      });
    }
  }
  for (const g of quietGroups) {
    out.push({
      id: `NoReleaseMonths${suffix(quietGroups, g.months)}`,
      description: `Months with no release (${cronList(g.months, 1, 12)}): once a day at ${p.quietDayAt} ${tz}`,
      expression: cron(String(quiet.m), String(quiet.h), "*", cronList(g.months, 1, 12)),
      timeZone: tz,
    });
  }
  return out;
}

/**
 * One check per release kind that has `overdueGraceDays`: `overdueGraceDays` after its window closes
 * (at the window's closing time), look back over the whole window (from midnight the day before it
 * opens) for accepted releases.
 */
export function overdueChecks(calendar: ReleaseCalendar = RELEASE_CALENDAR): OverdueCheck[] {
  return calendar.releases
    .filter((r) => r.overdueGraceDays !== undefined)
    .map((r) => {
      const day = r.days.to + (r.overdueGraceDays ?? 0);
      const at = hm(r.time.to);
      const lookbackSeconds = (day - (r.days.from - 1)) * DAY_SECONDS + at.h * 3600 + at.m * 60;
      return {
        id: `Overdue${r.kind[0]?.toUpperCase() ?? ""}${r.kind.slice(1)}`,
        kind: r.kind,
        description: `${r.overdueGraceDays} days after the ${r.kind} window (${r.days.from}th-${r.days.to}th) closes: was anything accepted?`,
        expression: cron(
          String(at.m),
          String(at.h),
          String(day),
          cronList(publicationMonths(calendar), 1, 12),
        ),
        timeZone: calendar.timeZone,
        lookbackSeconds,
      };
    });
}

// ---- helpers ----

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function hm(text: string): { h: number; m: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new RangeError(`data/release-calendar.json: "${text}" is not a time of day (HH:MM)`);
  return { h: Number(match[1]), m: Number(match[2]) };
}

function minutesOfDay(text: string): number {
  const { h, m } = hm(text);
  return h * 60 + m;
}

/** The calendar's UTC offset ("+08:00") in minutes. */
export function offsetMinutes(text: string): number {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`data/release-calendar.json: utcOffset "${text}" is not ±HH:MM`);
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

function everyMinutes(every: number): string {
  return every >= 60 ? "0" : `0/${every}`;
}

/** [1,3,4,5,...,12] → "1,3-12"; the full range → "*". */
export function cronList(values: number[], min: number, max: number): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  if (sorted.length === max - min + 1) return "*";
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** Scheduler cron: day-of-week is "?" because day-of-month is always given. */
function cron(minutes: string, hours: string, daysOfMonth: string, months: string): string {
  return `cron(${minutes} ${hours} ${daysOfMonth} ${months} ? *)`;
}
