import { describe, expect, it } from "vitest";
import {
  detectionDelay,
  effectiveTtlSeconds,
  fireMinutes,
  parseCron,
  releaseToReader,
  zones,
} from "../../bench/model/release-delay.js";
import { pollingSchedules, RELEASE_CALENDAR } from "../../functions/domain/release-calendar.js";

const YEAR = 2027;
const YEAR_MINUTES = 365 * 1440;

describe("cron reading (EventBridge Scheduler syntax)", () => {
  it("reads steps, ranges and lists", () => {
    const c = parseCron("cron(0/20 9-11 7-14,18-20 1,3-12 ? *)");
    expect([...c.minutes]).toEqual([0, 20, 40]);
    expect([...c.hours]).toEqual([9, 10, 11]);
    expect([...c.days]).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 18, 19, 20]);
    expect(c.months.has(2)).toBe(false);
    expect(c.months.size).toBe(11);
  });

  it("refuses what it does not read", () => {
    expect(() => parseCron("rate(5 minutes)")).toThrow(RangeError);
    expect(() => parseCron("cron(0 10 ? * MON *)")).toThrow(/day-of-week/);
  });

  it("counts a year's polls of one daily schedule", () => {
    expect(fireMinutes(["cron(0 10 * * ? *)"], YEAR)).toHaveLength(365);
    const fires = fireMinutes(["cron(0/15 9-10 1 1 ? *)"], YEAR);
    expect(fires).toEqual([540, 555, 570, 585, 600, 615, 630, 645]);
  });
});

describe("detection delay", () => {
  it("every 30 minutes: worst 30, mean 15 over a whole hour", () => {
    const fires = fireMinutes(["cron(0/30 * * * ? *)"], YEAR);
    const d = detectionDelay(fires, [{ from: 600, to: 660 }], YEAR_MINUTES);
    expect(d.worst).toBe(30);
    expect(d.mean).toBeCloseTo(15, 10);
    expect(d.minutes).toBe(60);
  });

  it("a window that ends before the next poll waits for it (posted 10:50, polled 11:00 only)", () => {
    const fires = fireMinutes(["cron(0 * * * ? *)"], YEAR);
    const d = detectionDelay(fires, [{ from: 650, to: 655 }], YEAR_MINUTES);
    expect(d.worst).toBe(10);
    expect(d.mean).toBeCloseTo(7.5, 10);
  });

  it("wraps to next year's first poll after the last one", () => {
    const fires = fireMinutes(["cron(0 10 1 1 ? *)"], YEAR);
    const d = detectionDelay(fires, [{ from: YEAR_MINUTES - 60, to: YEAR_MINUTES }], YEAR_MINUTES);
    expect(d.worst).toBe(60 + 600);
  });

  it("splits a release kind's year into its window, the rest of its days and other days", () => {
    const z = zones(
      { days: { from: 7, to: 14 }, time: { from: "10:00", to: "11:00" }, months: [1, 3] },
      YEAR,
    );
    expect(z.window).toHaveLength(16);
    expect(z.window[0]).toEqual({ from: 6 * 1440 + 600, to: 6 * 1440 + 660 });
    const minutes = (s: Array<{ from: number; to: number }>) => s.reduce((a, x) => a + x.to - x.from, 0);
    expect(minutes(z.window) + minutes(z.restOfReleaseDays) + minutes(z.otherDays)).toBe(YEAR_MINUTES);
  });

  it("the calendar's schedules poll the preliminary window at least every peak interval", () => {
    const fires = fireMinutes(
      pollingSchedules().map((s) => s.expression),
      YEAR,
    );
    const w = RELEASE_CALENDAR.releases.find((r) => r.kind === "preliminary");
    if (!w) throw new Error("no preliminary window");
    const z = zones({ ...w, months: [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }, YEAR);
    const d = detectionDelay(fires, z.window, YEAR_MINUTES);
    expect(d.worst).toBe(RELEASE_CALENDAR.polling.peakEveryMinutes);
    expect(d.mean).toBeCloseTo(RELEASE_CALENDAR.polling.peakEveryMinutes / 2, 6);
  });
});

describe("release to reader", () => {
  it("adds detection, pipeline and the CDN lifetime (whole for the worst case, half on average)", () => {
    const r = releaseToReader({ worst: 5, mean: 2.5, minutes: 60 }, 30_000, 60);
    expect(r.worst).toBeCloseTo(5 + 0.5 + 1, 10);
    expect(r.mean).toBeCloseTo(2.5 + 0.5 + 0.5, 10);
  });

  it("CloudFront keeps an object for its max-age within the policy's bounds", () => {
    const policy = { minTtl: 0, defaultTtl: 60, maxTtl: 300 };
    expect(effectiveTtlSeconds(policy, "public, max-age=60, stale-while-revalidate=300")).toBe(60);
    expect(effectiveTtlSeconds(policy, "public, max-age=3600")).toBe(300);
    expect(effectiveTtlSeconds(policy, "public, max-age=30, s-maxage=120")).toBe(120);
    expect(effectiveTtlSeconds(policy, undefined)).toBe(60);
    expect(effectiveTtlSeconds({ ...policy, minTtl: 90 }, "max-age=10")).toBe(90);
  });
});
