/**
 * Release to reader, as arithmetic: how long after GACC posts a page a reader can see it in a chart
 * file on the CDN. Pure: no clock, no I/O; the bench feeds it the deployed schedules (the cron
 * expressions in the synthesized template), the calendar's release windows, the pipeline time it
 * measured and the CDN lifetime it read from the template.
 *
 *   delay = detection (a page posted at t is seen by the first poll after t)
 *         + pipeline (the measured run: the scheduler's invocation to the chart file written)
 *         + CDN (an edge copy fetched just before the new file was written is served until it expires)
 *
 * Detection is exact for the schedules: every poll of a whole year (Scheduler fires on the minute, in
 * the schedules' time zone; Asia/Shanghai has no daylight saving, so local minutes are uniform) and a
 * posting time uniform over each zone. Worst = the longest gap from a posting moment to the next poll;
 * mean = its average over the zone. CDN: worst = the whole lifetime, mean = half (the copy's age at
 * the moment of publishing is uniform when readers load the file often).
 */

export interface Cron {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
}

function field(text: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const [range = "*", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = min;
    let to = max;
    if (range !== "*" && range !== "?") {
      const [a, b] = range.split("-");
      from = Number(a);
      to = b === undefined ? (stepText === undefined ? from : max) : Number(b);
    }
    if (!Number.isInteger(from) || !Number.isInteger(to) || !Number.isInteger(step) || step < 1)
      throw new RangeError(`"${part}" is not a cron field value`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** EventBridge Scheduler's `cron(min hour day-of-month month day-of-week year)`; day-of-week must be `?`. */
export function parseCron(expression: string): Cron {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  const parts = m?.[1]?.trim().split(/\s+/) ?? [];
  if (parts.length !== 6) throw new RangeError(`"${expression}" is not cron(min hour dom month dow year)`);
  const [min = "", hour = "", dom = "", month = "", dow = "", year = ""] = parts;
  if (dow !== "?" || year !== "*")
    throw new RangeError(`"${expression}": only day-of-week "?" and year "*" are read`);
  return {
    minutes: field(min, 0, 59),
    hours: field(hour, 0, 23),
    days: field(dom, 1, 31),
    months: field(month, 1, 12),
  };
}

const DAY = 1440;

/** Minutes from the start of `year` (local time) at which any of the schedules fires, ascending. */
export function fireMinutes(expressions: readonly string[], year: number): number[] {
  const crons = expressions.map(parseCron);
  const out: number[] = [];
  const start = Date.UTC(year, 0, 1);
  const days = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000;
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * 86_400_000);
    const day = date.getUTCDate();
    const month = date.getUTCMonth() + 1;
    const today = crons.filter((c) => c.days.has(day) && c.months.has(month));
    if (today.length === 0) continue;
    for (let minute = 0; minute < DAY; minute++) {
      const h = Math.floor(minute / 60);
      if (today.some((c) => c.hours.has(h) && c.minutes.has(minute % 60))) out.push(d * DAY + minute);
    }
  }
  return out;
}

/** A stretch of local time, in minutes from the start of the year: [from, to). */
export interface Span {
  from: number;
  to: number;
}

export interface DelayStats {
  /** Minutes. */
  worst: number;
  mean: number;
  /** Total minutes of posting time covered. */
  minutes: number;
}

/** The first fire strictly after `t` (binary search); the next year's first fire wraps around. */
function nextFire(fires: readonly number[], t: number, yearMinutes: number): number {
  let lo = 0;
  let hi = fires.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((fires[mid] ?? 0) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo < fires.length ? (fires[lo] ?? 0) : (fires[0] ?? 0) + yearMinutes;
}

/**
 * Detection delay for a posting time uniform over `spans`: worst and mean minutes until the next
 * fire. Exact for a piecewise-linear wait (within a segment between fires the wait falls 1:1).
 */
export function detectionDelay(
  fires: readonly number[],
  spans: readonly Span[],
  yearMinutes: number,
): DelayStats {
  if (fires.length === 0) throw new RangeError("no poll ever fires");
  let worst = 0;
  let integral = 0;
  let total = 0;
  for (const s of spans) {
    let a = s.from;
    while (a < s.to) {
      const f = nextFire(fires, a, yearMinutes);
      const b = Math.min(f, s.to);
      const len = b - a;
      // For t in (a, b]: wait f - t, from f - a down to f - b.
      worst = Math.max(worst, f - a);
      integral += len * (f - b) + (len * len) / 2;
      total += len;
      a = b;
    }
  }
  return { worst, mean: total === 0 ? 0 : integral / total, minutes: total };
}

/** A release window of the calendar: days of the month and a time of day, in the months that publish. */
export interface WindowSpec {
  days: { from: number; to: number };
  time: { from: string; to: string };
  months: readonly number[];
}

const minutesOf = (hhmm: string) => {
  const [h = 0, m = 0] = hhmm.split(":").map(Number);
  return h * 60 + m;
};

/**
 * The zones of a year for one release kind: inside its window; the rest of its release days; every
 * other day.
 */
export function zones(
  w: WindowSpec,
  year: number,
): { window: Span[]; restOfReleaseDays: Span[]; otherDays: Span[] } {
  const start = Date.UTC(year, 0, 1);
  const days = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000;
  const out = { window: [] as Span[], restOfReleaseDays: [] as Span[], otherDays: [] as Span[] };
  const from = minutesOf(w.time.from);
  const to = minutesOf(w.time.to);
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * 86_400_000);
    const base = d * DAY;
    const releaseDay =
      w.months.includes(date.getUTCMonth() + 1) &&
      date.getUTCDate() >= w.days.from &&
      date.getUTCDate() <= w.days.to;
    if (!releaseDay) {
      out.otherDays.push({ from: base, to: base + DAY });
      continue;
    }
    out.window.push({ from: base + from, to: base + to });
    out.restOfReleaseDays.push({ from: base, to: base + from }, { from: base + to, to: base + DAY });
  }
  return out;
}

export interface ReleaseToReader {
  /** Minutes. */
  detection: DelayStats;
  pipelineMinutes: number;
  cdn: { worst: number; mean: number };
  worst: number;
  mean: number;
}

/** detection + pipeline + CDN, in minutes. `cdnTtlSeconds`: the lifetime an edge keeps a latest file. */
export function releaseToReader(
  detection: DelayStats,
  pipelineMs: number,
  cdnTtlSeconds: number,
): ReleaseToReader {
  const pipelineMinutes = pipelineMs / 60_000;
  const cdn = { worst: cdnTtlSeconds / 60, mean: cdnTtlSeconds / 120 };
  return {
    detection,
    pipelineMinutes,
    cdn,
    worst: detection.worst + pipelineMinutes + cdn.worst,
    mean: detection.mean + pipelineMinutes + cdn.mean,
  };
}

/**
 * How long CloudFront keeps a latest file: the object's `max-age` clamped to the cache policy's
 * [MinTTL, MaxTTL] (the policy's DefaultTTL when the object names none), as CloudFront documents.
 */
export function effectiveTtlSeconds(
  policy: { minTtl: number; defaultTtl: number; maxTtl: number },
  cacheControl: string | undefined,
): number {
  const m = /(?:^|[,\s])(?:s-maxage|max-age)=(\d+)/.exec(cacheControl ?? "");
  const s = /(?:^|[,\s])s-maxage=(\d+)/.exec(cacheControl ?? "");
  const asked = s ? Number(s[1]) : m ? Number(m[1]) : policy.defaultTtl;
  return Math.min(policy.maxTtl, Math.max(policy.minTtl, asked));
}
