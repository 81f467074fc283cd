import { describe, expect, it } from "vitest";
import { nextExpectedRelease, releaseAfterPeriod } from "../../functions/domain/calendar.js";
import {
  checkedCalendar,
  cronList,
  overdueChecks,
  pollingSchedules,
  RELEASE_CALENDAR,
  type ReleaseCalendar,
} from "../../functions/domain/release-calendar.js";

/** A Beijing wall-clock time as a Date. */
const beijing = (iso: string) => new Date(`${iso}+08:00`);

describe("nextExpectedRelease", () => {
  it("gives this month's preliminary window while it is still open", () => {
    // Prepare: 2 June 2026, before the window. Act / assess:
    expect(nextExpectedRelease(beijing("2026-06-02T08:00:00"), "preliminary")).toEqual({
      kind: "preliminary",
      period: "2026-05",
      expectedFrom: "2026-06-07T10:00:00+08:00",
      expectedBy: "2026-06-14T11:00:00+08:00",
    });
    // Inside the window, before it closes: still the same release.
    expect(nextExpectedRelease(beijing("2026-06-14T10:59:00"), "preliminary").period).toBe("2026-05");
  });

  it("moves to next month once the window has closed", () => {
    const next = nextExpectedRelease(beijing("2026-06-14T11:01:00"), "preliminary");
    expect(next.period).toBe("2026-06");
    expect(next.expectedFrom).toBe("2026-07-07T10:00:00+08:00");
  });

  it("skips February: January and February come out together in March", () => {
    const fromJanuary = nextExpectedRelease(beijing("2026-01-20T12:00:00"), "preliminary");
    expect(fromJanuary).toEqual({
      kind: "preliminary",
      period: "2026-01/02",
      expectedFrom: "2026-03-07T10:00:00+08:00",
      expectedBy: "2026-03-14T11:00:00+08:00",
    });
    expect(nextExpectedRelease(beijing("2026-02-10T10:30:00"), "preliminary").period).toBe("2026-01/02");
    expect(nextExpectedRelease(beijing("2026-02-19T10:30:00"), "bulletin").period).toBe("2026-01/02");
  });

  it("crosses the year: December's figures come out in January", () => {
    const next = nextExpectedRelease(beijing("2026-12-20T00:00:00"), "preliminary");
    expect(next).toMatchObject({ period: "2026-12", expectedFrom: "2027-01-07T10:00:00+08:00" });
  });

  it("reads `now` in Beijing time, not UTC", () => {
    // 14 June 2026 02:30 UTC is 10:30 in Beijing: the window (until 11:00) is still open.
    expect(nextExpectedRelease(new Date("2026-06-14T02:30:00Z"), "preliminary").period).toBe("2026-05");
    // 03:30 UTC is 11:30 in Beijing: closed.
    expect(nextExpectedRelease(new Date("2026-06-14T03:30:00Z"), "preliminary").period).toBe("2026-06");
  });

  it("gives the Bulletin and the query platform their own windows", () => {
    const now = beijing("2026-06-15T00:00:00");
    expect(nextExpectedRelease(now, "bulletin")).toEqual({
      kind: "bulletin",
      period: "2026-05",
      expectedFrom: "2026-06-18T09:00:00+08:00",
      expectedBy: "2026-06-20T17:00:00+08:00",
    });
    expect(nextExpectedRelease(now, "query")).toMatchObject({
      period: "2026-05",
      expectedFrom: "2026-06-20T09:00:00+08:00",
    });
  });

  it("returns ISO strings that parse to the instants they name", () => {
    const next = nextExpectedRelease(beijing("2026-06-02T08:00:00"), "preliminary");
    expect(new Date(next.expectedFrom).toISOString()).toBe("2026-06-07T02:00:00.000Z");
    expect(Date.parse(next.expectedBy)).toBeGreaterThan(Date.parse(next.expectedFrom));
  });
});

describe("releaseAfterPeriod", () => {
  it("gives the release of the month after the latest published one", () => {
    expect(releaseAfterPeriod("preliminary", "2026-05")).toEqual({
      kind: "preliminary",
      period: "2026-06",
      expectedFrom: "2026-07-07T10:00:00+08:00",
      expectedBy: "2026-07-14T11:00:00+08:00",
    });
  });

  it("after December waits for the combined January–February release", () => {
    expect(releaseAfterPeriod("preliminary", "2025-12")).toMatchObject({
      period: "2026-01/02",
      expectedFrom: "2026-03-07T10:00:00+08:00",
    });
  });

  it("after the combined release comes March", () => {
    expect(releaseAfterPeriod("preliminary", "2026-01/02")).toMatchObject({
      period: "2026-03",
      expectedFrom: "2026-04-07T10:00:00+08:00",
    });
  });

  it("refuses what is not a period", () => {
    expect(() => releaseAfterPeriod("preliminary", "May 2026")).toThrow(/not a period/);
  });
});

describe("pollingSchedules", () => {
  it("derives frequent polls on likely release days and a daily poll otherwise, in Beijing time", () => {
    expect(pollingSchedules()).toEqual([
      expect.objectContaining({
        id: "ReleaseDaysPeak",
        expression: "cron(0/5 9-16 7-14,18-20 1,3-12 ? *)",
        timeZone: "Asia/Shanghai",
      }),
      expect.objectContaining({
        id: "ReleaseDaysOffPeak",
        expression: "cron(0 0-8,17-23 7-14,18-20 1,3-12 ? *)",
        timeZone: "Asia/Shanghai",
      }),
      expect.objectContaining({
        id: "QuietDays",
        expression: "cron(0 10 1-6,15-17,21-31 1,3-12 ? *)",
        timeZone: "Asia/Shanghai",
      }),
      expect.objectContaining({
        id: "NoReleaseMonths",
        expression: "cron(0 10 * 2 ? *)",
        timeZone: "Asia/Shanghai",
      }),
    ]);
  });

  it("covers every day of the year exactly: each release day polled often, every other day once", () => {
    // Assess the schedules by simulating a year, field by field, as Scheduler reads them.
    const schedules = pollingSchedules();
    const matches = (field: string, value: number) =>
      field === "*" ||
      field.split(",").some((part) => {
        const [a, b] = part.split("-").map(Number);
        return b === undefined ? value === a : value >= (a ?? 0) && value <= b;
      });
    for (let month = 1; month <= 12; month++) {
      for (let day = 1; day <= 28; day++) {
        const firing = schedules.filter((s) => {
          const [, , dom, mon] = s.expression.slice(5, -1).split(" ");
          return matches(dom ?? "", day) && matches(mon ?? "", month);
        });
        const releaseDay = month !== 2 && ((day >= 7 && day <= 14) || (day >= 18 && day <= 20));
        expect(firing.map((s) => s.id).sort(), `${month}/${day}`).toEqual(
          releaseDay
            ? ["ReleaseDaysOffPeak", "ReleaseDaysPeak"]
            : [month === 2 ? "NoReleaseMonths" : "QuietDays"],
        );
      }
    }
  });

  it("follows the calendar data: a change of window changes the crons", () => {
    const calendar: ReleaseCalendar = structuredClone(RELEASE_CALENDAR);
    calendar.releases = calendar.releases.filter((r) => r.kind === "preliminary");
    calendar.polling.peakEveryMinutes = 15;
    const [peak] = pollingSchedules(calendar);
    expect(peak?.expression).toBe("cron(0/15 9-16 7-14 1,3-12 ? *)");
  });
});

describe("overdueChecks", () => {
  it("checks three days after the preliminary window closes, looking back over the whole window", () => {
    const [check] = overdueChecks();
    expect(check).toMatchObject({
      id: "OverduePreliminary",
      kind: "preliminary",
      expression: "cron(0 11 17 1,3-12 ? *)",
      timeZone: "Asia/Shanghai",
    });
    // From 6 June 00:00 to 17 June 11:00 Beijing time.
    const checkAt = beijing("2026-06-17T11:00:00").getTime();
    expect(new Date(checkAt - (check?.lookbackSeconds ?? 0) * 1000)).toEqual(beijing("2026-06-06T00:00:00"));
  });
});

describe("the calendar data", () => {
  it("uses an offset that Asia/Shanghai really has all year", () => {
    const fmt = new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", timeZoneName: "longOffset" });
    for (let month = 0; month < 12; month++) {
      const name = fmt
        .formatToParts(new Date(Date.UTC(2026, month, 15)))
        .find((p) => p.type === "timeZoneName");
      expect(name?.value).toBe(`GMT${RELEASE_CALENDAR.utcOffset}`);
    }
    expect(RELEASE_CALENDAR.timeZone).toBe("Asia/Shanghai");
  });

  it("refuses windows that would not exist in every month", () => {
    const calendar: ReleaseCalendar = structuredClone(RELEASE_CALENDAR);
    const first = calendar.releases[0];
    if (first) first.days = { from: 25, to: 30 };
    expect(() => checkedCalendar(calendar)).toThrow(/days must satisfy/);
  });

  it("refuses polling intervals that do not divide an hour", () => {
    const calendar: ReleaseCalendar = structuredClone(RELEASE_CALENDAR);
    calendar.polling.peakEveryMinutes = 45;
    expect(() => checkedCalendar(calendar)).toThrow(/must divide 60/);
  });
});

describe("cronList", () => {
  it("compresses runs into ranges and the full range into *", () => {
    expect(cronList([1, 3, 4, 5, 12], 1, 12)).toBe("1,3-5,12");
    expect(cronList([2], 1, 12)).toBe("2");
    expect(
      cronList(
        [...Array(12).keys()].map((i) => i + 1),
        1,
        12,
      ),
    ).toBe("*");
  });
});
