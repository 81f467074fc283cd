/**
 * Release to reader, cost per month, backfill scale (issue 15 items 3–5), from runs of the deployed
 * shape (deployed-runs.ts) and the synthesized template:
 *
 *   release to reader   detection from the template's polling crons over a year + the measured
 *                       pipeline time of a release-day run + the CDN lifetime of a latest chart file
 *                       (the cache policy in the template, the object's Cache-Control from publish)
 *                       → model/release-delay.ts
 *   cost per month      measured usage of each kind of run × how many a month (the template's crons)
 *                       + storage at rest + chart loads through CloudFront + fixed items counted in the
 *                       template, at data/aws-prices.json's dated prices → model/cost.ts
 *   backfill scale      fresh stacks backfilled over growing spans of months, through the Map
 *
 * Returns its table rows and targets for run.ts to print with the rest of the bench.
 */
import {
  pollingSchedules,
  publicationMonths,
  RELEASE_CALENDAR,
  type ReleaseCalendar,
} from "../functions/domain/release-calendar.js";
import { LATEST_CACHE } from "../functions/pipeline/publish-charts.js";
import { discardSynth, synthesize, type Template } from "../test/deployed/support/deployed-stack.js";
import {
  type BackfillFigures,
  benchBackfill,
  benchSteadyState,
  type RunFigures,
  type SteadyStateFigures,
} from "./deployed-runs.js";
import {
  differsBy,
  EXPRESS_MAX_MS,
  type MonthInputs,
  monthlyCost,
  priceBook,
  type RunUsage,
  runCost,
} from "./model/cost.js";
import {
  detectionDelay,
  effectiveTtlSeconds,
  fireMinutes,
  type ReleaseToReader,
  releaseToReader,
  zones,
} from "./model/release-delay.js";

/** Worst release-to-reader delay inside a polled release window, minutes (issue 15 item 3). */
export const RELEASE_TO_READER_TARGET_MIN = 10;
/** Chart loads a day the headline cost assumes (graphics on a few stories a day); the growth table varies it. */
export const CHART_LOADS_PER_DAY = 20_000;
/** Stated, not measured: an editor uploads a query-platform export of imports and one of exports a week. */
export const UPLOADS_PER_MONTH = 8;
/** HTTP response headers per chart load (CloudFront bills transfer on the whole response). */
const RESPONSE_HEADER_BYTES = 600;
/** A year without Feb 29, so a month is 1/12 of it. */
const MODEL_YEAR = 2027;
const YEAR_MINUTES = 365 * 1440;

export interface PerfModelOptions {
  /** History the steady state starts with (the deployed fetch's default `since` year, Jan–Feb). */
  historyFrom: string;
  lastMonth: string;
  nextMonth: string;
  currentYear: number;
  /** Backfill spans, each ending at lastMonth: first months, e.g. ["2025-10", "2022-09", "2018-01"]. */
  backfillFrom: string[];
}

export interface Row {
  figure: string;
  value: string;
  how: string;
}
export interface Target {
  name: string;
  value: string;
  target: string;
  pass: boolean;
}

type Resource = Template["Resources"][string];

function resources(t: Template, type: string): Array<[string, Resource]> {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

/** The polling crons the template deploys (schedules whose input is a scheduled refresh). */
function pollingCrons(t: Template): Array<{ id: string; expression: string; timeZone: string }> {
  return resources(t, "AWS::Scheduler::Schedule").flatMap(([, r]) => {
    const target = r.Properties.Target as { Input?: string };
    const input = JSON.parse(target.Input ?? "{}") as { trigger?: string; schedule?: string };
    if (input.trigger !== "schedule") return [];
    return [
      {
        id: String(input.schedule),
        expression: String(r.Properties.ScheduleExpression),
        timeZone: String(r.Properties.ScheduleExpressionTimezone),
      },
    ];
  });
}

/** The cache policy CloudFront applies to `charts/*` in the template, TTLs in seconds. */
function chartsCachePolicy(t: Template): { minTtl: number; defaultTtl: number; maxTtl: number } {
  for (const [, d] of resources(t, "AWS::CloudFront::Distribution")) {
    const config = d.Properties.DistributionConfig as {
      CacheBehaviors?: Array<{ PathPattern: string; CachePolicyId: { Ref?: string } }>;
    };
    const behavior = config.CacheBehaviors?.find((b) => b.PathPattern === "charts/*");
    const policy = behavior?.CachePolicyId.Ref ? t.Resources[behavior.CachePolicyId.Ref] : undefined;
    const c = policy?.Properties.CachePolicyConfig as
      | { MinTTL: number; DefaultTTL: number; MaxTTL: number }
      | undefined;
    if (c) return { minTtl: Number(c.MinTTL), defaultTtl: Number(c.DefaultTTL), maxTtl: Number(c.MaxTTL) };
  }
  throw new Error("the template has no cache policy for charts/*");
}

/** A measured run as the cost model's usage. `scheduled`: started by a poll (one scheduler invocation). */
export function usageOf(r: RunFigures, scheduled: boolean): RunUsage {
  const fns = Object.values(r.lambda);
  return {
    lambdaGbSeconds: fns.reduce((a, f) => a + f.gbSeconds, 0),
    lambdaRequests: fns.reduce((a, f) => a + f.invocations, 0),
    transitions: r.transitions,
    wallMs: r.wallMs,
    dynamoWriteUnits: r.aws.writeUnits,
    dynamoReadUnits: r.aws.readUnits,
    s3WriteClass: r.aws.s3WriteClass,
    s3ReadClass: r.aws.s3ReadClass,
    snsPublishes: r.aws.snsPublishes,
    schedulerInvocations: scheduled ? 1 : 0,
    logBytes: r.logBytes,
  };
}

/** The same run with its publish work done for `k` times as many charts (duration and S3 writes scale; init does not). */
function withCharts(r: RunFigures, u: RunUsage, k: number): RunUsage {
  const p = r.lambda.publish;
  if (!p) return u;
  const work = ((p.durationMs / 1000) * p.memoryMb) / 1024;
  const io = r.awsByFn.publish;
  return {
    ...u,
    lambdaGbSeconds: u.lambdaGbSeconds + (k - 1) * work,
    s3WriteClass: u.s3WriteClass + (k - 1) * (io?.s3WriteClass ?? 0),
    dynamoReadUnits: u.dynamoReadUnits + (k - 1) * (io?.readUnits ?? 0),
  };
}

const usd = (x: number) => (x >= 100 ? `$${x.toFixed(0)}` : x >= 1 ? `$${x.toFixed(2)}` : `$${x.toFixed(4)}`);
const min = (x: number) => `${x.toFixed(1)} min`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n0 = (x: number) => Math.round(x).toLocaleString("en-US");

/** Polls a month for a calendar's schedules (fires over a year ÷ 12). */
function pollsPerMonth(calendar: ReleaseCalendar): number {
  return (
    fireMinutes(
      pollingSchedules(calendar).map((s) => s.expression),
      MODEL_YEAR,
    ).length / 12
  );
}

export interface PerfModelFigures {
  steady: SteadyStateFigures;
  backfills: BackfillFigures[];
  releaseToReader: Record<
    string,
    { window: ReleaseToReader; restOfReleaseDays: ReleaseToReader; otherDays: ReleaseToReader }
  >;
  cdnTtlSeconds: number;
  pollsPerMonth: number;
  monthly: ReturnType<typeof monthlyCost>;
  prices: { asOf: string; region: string; reviewed: boolean };
}

export async function benchPerfModel(
  options: PerfModelOptions,
  log: (line: string) => void,
): Promise<{ rows: Row[]; targets: Target[]; figures: PerfModelFigures }> {
  log("deployed shape: synthesizing the dev stack (CDK bundles every function)");
  const synth = synthesize();
  const template = synth.template;
  const crons = pollingCrons(template);
  const peak = crons.find((c) => c.id.startsWith("ReleaseDaysPeak"));
  if (!peak) throw new Error("no ReleaseDaysPeak schedule in the template");

  log(
    `deployed shape: steady state ${options.historyFrom}…${options.lastMonth}, then ${options.nextMonth} is released`,
  );
  const steady = await benchSteadyState(
    synth,
    {
      from: options.historyFrom,
      to: options.lastMonth,
      next: options.nextMonth,
      currentYear: options.currentYear,
    },
    peak.id,
    log,
  );
  const backfills: BackfillFigures[] = [];
  for (const from of options.backfillFrom) {
    backfills.push(
      await benchBackfill(synth, { from, to: options.lastMonth, currentYear: options.currentYear }, log),
    );
  }
  discardSynth(synth);

  // ---- release to reader ---------------------------------------------------------------------
  const fires = fireMinutes(
    crons.map((c) => c.expression),
    MODEL_YEAR,
  );
  const policy = chartsCachePolicy(template);
  const ttl = effectiveTtlSeconds(policy, LATEST_CACHE);
  const months = publicationMonths();
  const polled = { preliminary: steady.preliminary, bulletin: steady.bulletin } as const;
  const r2r: PerfModelFigures["releaseToReader"] = {};
  for (const [kind, run] of Object.entries(polled)) {
    const w = RELEASE_CALENDAR.releases.find((r) => r.kind === kind);
    if (!w) throw new Error(`no ${kind} window in the calendar`);
    const z = zones({ ...w, months }, MODEL_YEAR);
    const at = (spans: typeof z.window) =>
      releaseToReader(detectionDelay(fires, spans, YEAR_MINUTES), run.wallMs, ttl);
    r2r[kind] = {
      window: at(z.window),
      restOfReleaseDays: at(z.restOfReleaseDays),
      otherDays: at(z.otherDays),
    };
  }

  // ---- cost per month ------------------------------------------------------------------------
  const book = priceBook();
  const p = book.prices;
  const polls = fires.length / 12;
  const releasesPerMonth = months.length / 12;
  const pollUsage = usageOf(steady.pollCold, true);
  const prelimUsage = usageOf(steady.preliminary, true);
  const bulletinUsage = usageOf(steady.bulletin, true);
  // The workflow's part as measured, plus the browser's PUT of the file to its presigned address. Not
  // in it: the API's two requests (the slot, then the start), a fraction of a GB-second each.
  const uploadUsage = { ...usageOf(steady.upload, false), s3WriteClass: steady.upload.aws.s3WriteClass + 1 };
  const uploadKind = `upload (${n0(steady.upload.rows)} rows)`;
  const kmsKeys = resources(template, "AWS::KMS::Key").length;
  const alarms = resources(template, "AWS::CloudWatch::Alarm").length;
  const secrets = resources(template, "AWS::SecretsManager::Secret").length;
  const table = resources(template, "AWS::DynamoDB::Table")[0]?.[1];
  const pitr = Boolean(
    (
      table?.Properties.PointInTimeRecoverySpecification as
        | { PointInTimeRecoveryEnabled?: boolean }
        | undefined
    )?.PointInTimeRecoveryEnabled,
  );
  const bytesPerLoad = steady.stored.chartJsonGzipBytes + RESPONSE_HEADER_BYTES;
  const inputs = (over: Partial<MonthInputs> = {}, runsOver?: MonthInputs["runs"]): MonthInputs => ({
    runs: runsOver ?? [
      { kind: "no-change poll", perMonth: polls - 2 * releasesPerMonth, usage: pollUsage },
      { kind: "release day: preliminary", perMonth: releasesPerMonth, usage: prelimUsage },
      { kind: "release day: Bulletin", perMonth: releasesPerMonth, usage: bulletinUsage },
      { kind: uploadKind, perMonth: UPLOADS_PER_MONTH, usage: uploadUsage },
    ],
    storage: {
      dynamoBytes: steady.stored.dynamoBytes,
      s3Bytes: steady.stored.s3Bytes,
      pointInTimeRecovery: pitr,
    },
    traffic: { chartLoadsPerDay: CHART_LOADS_PER_DAY, bytesPerLoad },
    // Custom metrics: ReleasesAccepted, ReleasesQuarantined, ReleasesOverdue, each with the Stage dimension.
    fixed: { kmsKeys, alarms, customMetrics: 3, secrets },
    workflow: "standard",
    table: { mode: "on-demand" },
    ...over,
  });
  const monthly = monthlyCost(inputs(), p);

  const rows: Row[] = [];
  const targets: Target[] = [];
  const load = (r: RunFigures) =>
    `${r.status}, ${r.transitions} transitions, ${Object.entries(r.lambda)
      .map(([f, x]) => `${f} ${x.invocations}× ${x.gbSeconds.toFixed(2)} GB-s (${x.coldStarts} cold)`)
      .join(
        ", ",
      )}; DynamoDB ${n0(r.aws.writeUnits)} WRU / ${n0(r.aws.readUnits)} RRU; S3 ${r.aws.s3WriteClass} PUT-class + ${r.aws.s3ReadClass} GET-class; ${n0(r.logBytes / 1024)} KiB logs`;

  for (const [kind, d] of Object.entries(r2r)) {
    const w = d.window;
    rows.push({
      figure: `release→reader ${kind}, in window`,
      value: `worst ${min(w.worst)}, mean ${min(w.mean)}`,
      how: `detection worst ${min(w.detection.worst)} / mean ${min(w.detection.mean)} (template crons over ${MODEL_YEAR}) + pipeline ${sec(w.pipelineMinutes * 60_000)} (measured, cold) + CDN ${ttl} s (worst) / ${ttl / 2} s (mean)`,
    });
    rows.push({
      figure: `release→reader ${kind}, outside`,
      value: `rest of release days: worst ${min(d.restOfReleaseDays.worst)}, mean ${min(d.restOfReleaseDays.mean)}; other days: worst ${min(d.otherDays.worst)}, mean ${min(d.otherDays.mean)}`,
      how: "posted outside the calendar's window: on its days the off-peak polls, on other days the daily poll",
    });
    targets.push({
      name: `release→reader ${kind}, worst in window`,
      value: min(w.worst),
      target: `≤ ${RELEASE_TO_READER_TARGET_MIN} min`,
      pass: w.worst <= RELEASE_TO_READER_TARGET_MIN,
    });
  }
  rows.push({
    figure: "CDN lifetime of a latest chart file",
    value: `${ttl} s`,
    how: `object "${LATEST_CACHE}" within the charts/* cache policy [${policy.minTtl}, ${policy.maxTtl}] s (template)`,
  });

  for (const r of [
    steady.pollCold,
    steady.pollWarm,
    steady.preliminary,
    steady.bulletin,
    steady.upload,
    steady.firstLoad,
  ]) {
    rows.push({ figure: `run: ${r.kind}`, value: sec(r.wallMs), how: load(r) });
  }

  rows.push({
    figure: "cost/month, default calendar",
    value: usd(monthly.total),
    how: `${polls.toFixed(0)} polls/month (template crons), 2 × ${releasesPerMonth.toFixed(2)} release runs, ${UPLOADS_PER_MONTH} uploads (stated), ${n0(CHART_LOADS_PER_DAY)} chart loads/day × ${n0(bytesPerLoad)} B; prices ${book.region} as of ${book.asOf}${book.reviewed ? "" : " (NOT REVIEWED: see data/aws-prices.json)"}`,
  });
  for (const l of monthly.lines) rows.push({ figure: `  ${l.item}`, value: usd(l.usd), how: "" });
  for (const r of monthly.byRun)
    rows.push({
      figure: `  per run: ${r.kind}`,
      value: usd(r.each.total),
      how: `× ${r.perMonth.toFixed(1)}/month = ${usd(r.usd)}`,
    });

  // Growth with chart loads.
  for (const loads of [2_000, 200_000, 2_000_000]) {
    const m = monthlyCost(inputs({ traffic: { chartLoadsPerDay: loads, bytesPerLoad } }), p);
    rows.push({
      figure: `cost/month at ${n0(loads)} chart loads/day`,
      value: usd(m.total),
      how: "everything else as above",
    });
  }
  // Growth with charts (publish's work and writes scale per chart; the measured run built `built` charts).
  const built = steady.preliminary.chartsBuilt || 6;
  for (const charts of [built * 2, built * 8]) {
    const k = charts / built;
    const m = monthlyCost(
      inputs({}, [
        {
          kind: "no-change poll",
          perMonth: polls - 2 * releasesPerMonth,
          usage: withCharts(steady.pollCold, pollUsage, k),
        },
        {
          kind: "preliminary",
          perMonth: releasesPerMonth,
          usage: withCharts(steady.preliminary, prelimUsage, k),
        },
        {
          kind: "Bulletin",
          perMonth: releasesPerMonth,
          usage: withCharts(steady.bulletin, bulletinUsage, k),
        },
        { kind: uploadKind, perMonth: UPLOADS_PER_MONTH, usage: withCharts(steady.upload, uploadUsage, k) },
      ]),
      p,
    );
    rows.push({
      figure: `cost/month with ${charts} charts`,
      value: usd(m.total),
      how: `publish's measured work (not its init) and file writes × ${k} in every run; traffic unchanged`,
    });
  }
  // Growth with years of history: storage per month of history, from the largest backfill.
  const largest = backfills.at(-1);
  if (largest) {
    const perMonth = {
      dynamo: largest.stored.dynamoBytes / largest.months,
      s3: largest.stored.s3Bytes / largest.months,
    };
    for (const years of [10, 20]) {
      const m = monthlyCost(
        inputs({
          storage: {
            dynamoBytes: perMonth.dynamo * years * 12,
            s3Bytes: perMonth.s3 * years * 12,
            pointInTimeRecovery: pitr,
          },
        }),
        p,
      );
      rows.push({
        figure: `cost/month with ${years} years of history`,
        value: usd(m.total),
        how: `storage ${n0(perMonth.dynamo / 1024)} KiB DynamoDB + ${n0(perMonth.s3 / 1024)} KiB S3 per month of history (${largest.months}-month backfill)`,
      });
    }
  }

  // Choices that change a cost by more than 2×: show both sides.
  const express = monthlyCost(inputs({ workflow: "express" }), p);
  const flowLine = (m: typeof monthly) => m.lines[1]?.usd ?? 0;
  const backfillTooLong = backfills.filter((b) => b.wallMs > EXPRESS_MAX_MS).map((b) => `${b.months} months`);
  rows.push({
    figure: "choice: Step Functions Standard vs Express",
    value: `${usd(flowLine(monthly))} vs ${usd(flowLine(express))} a month (total ${usd(monthly.total)} vs ${usd(express.total)})`,
    how: `${differsBy(flowLine(monthly), flowLine(express)) ? "> 2× apart. " : ""}Express stops at 5 minutes${backfillTooLong.length ? `: the ${backfillTooLong.join(", ")} backfill ran longer` : ""}, keeps no execution history the console reads, and runs at least once (not exactly once)`,
  });
  const peakWrites = Math.max(
    ...[steady.preliminary, steady.bulletin].map((r) => r.aws.writeUnits / Math.max(1, r.wallMs / 1000)),
  );
  const peakReads = Math.max(
    ...[steady.pollCold, steady.preliminary, steady.bulletin].map(
      (r) => r.aws.readUnits / Math.max(1, r.wallMs / 1000),
    ),
  );
  // The index needs its own write capacity (observations are written to both).
  const wcu = 2 * Math.ceil(peakWrites);
  const rcu = Math.ceil(peakReads);
  const provisioned = monthlyCost(
    inputs({ table: { mode: "provisioned", writeUnits: wcu, readUnits: rcu } }),
    p,
  );
  const dynLine = (m: typeof monthly) => m.lines[2]?.usd ?? 0;
  rows.push({
    figure: "choice: DynamoDB on-demand vs provisioned",
    value: `${usd(dynLine(monthly))} vs ${usd(dynLine(provisioned))} a month (total ${usd(monthly.total)} vs ${usd(provisioned.total)})`,
    how: `provisioned for the measured release-day peak (${wcu} WCU table + index, ${rcu} RCU), all month${differsBy(dynLine(monthly), dynLine(provisioned)) ? "; > 2× apart" : ""}`,
  });
  const calendarAt = (every: number, to: string): ReleaseCalendar => ({
    ...RELEASE_CALENDAR,
    polling: {
      ...RELEASE_CALENDAR.polling,
      peakEveryMinutes: every,
      peak: { ...RELEASE_CALENDAR.polling.peak, to },
    },
  });
  const before = calendarAt(30, "12:00");
  const pollsBefore = pollsPerMonth(before);
  const pollLine = (k: number) => k * runCost(pollUsage, p, "standard").total;
  const beforeFires = fireMinutes(
    pollingSchedules(before).map((s) => s.expression),
    MODEL_YEAR,
  );
  const prelim = RELEASE_CALENDAR.releases.find((r) => r.kind === "preliminary");
  const beforeWorst = prelim
    ? releaseToReader(
        detectionDelay(beforeFires, zones({ ...prelim, months }, MODEL_YEAR).window, YEAR_MINUTES),
        steady.preliminary.wallMs,
        ttl,
      ).worst
    : Number.NaN;
  rows.push({
    figure: "choice: polling every 30 min 09–12 (before) vs the deployed calendar",
    value: `${pollsBefore.toFixed(0)} vs ${polls.toFixed(0)} polls: ${usd(pollLine(pollsBefore))} vs ${usd(pollLine(polls))} a month`,
    how: `${differsBy(pollLine(pollsBefore), pollLine(polls)) ? "> 2× apart on the polls; " : ""}worst preliminary release→reader ${min(beforeWorst)} vs ${min(r2r.preliminary?.window.worst ?? Number.NaN)}`,
  });

  // ---- backfill scale ------------------------------------------------------------------------
  const all = [
    ...backfills,
    { ...steady.firstLoad, months: steady.span.months, stored: steady.stored, fromSteady: true },
  ];
  all.sort((a, b) => a.months - b.months);
  for (const b of all) {
    const fns = Object.entries(b.lambda)
      .map(
        ([f, x]) =>
          `${f} ${x.invocations}× peak ${x.peakRssMb.toFixed(0)}/${x.memoryMb} MB, longest ${sec(x.maxDurationMs)}, ${n0(b.awsByFn[f]?.writeUnits ?? 0)} WRU`,
      )
      .join("; ");
    rows.push({
      figure: `backfill ${b.months} months`,
      value: sec(b.wallMs),
      how: `${b.status}, ${b.normalize.releases} releases (${b.normalize.quarantined} quarantined), ${n0(b.aws.itemsWritten)} items / ${n0(b.aws.writeUnits)} WRU written, ${b.transitions} transitions; ${fns}; Lambda ${usd(runCost(usageOf(b, false), p, "standard").total)} per backfill`,
    });
    targets.push({
      name: `backfill ${b.months} months completes`,
      value: `${b.status}, ${b.normalize.normalized}/${b.normalize.releases} normalized`,
      target: "SUCCEEDED, every release normalized",
      pass:
        b.status === "SUCCEEDED" &&
        b.normalize.releases > 0 &&
        b.normalize.normalized === b.normalize.releases,
    });
    for (const [f, x] of Object.entries(b.lambda)) {
      targets.push({
        name: `backfill ${b.months} months: ${f} peak ≤ 60% of memory, inside its timeout`,
        value: `${x.peakRssMb.toFixed(0)} of ${x.memoryMb} MB, longest ${sec(x.maxDurationMs)}`,
        target: `≤ ${(0.6 * x.memoryMb).toFixed(0)} MB, < ${x.timeoutSeconds} s`,
        pass: x.peakRssMb <= 0.6 * x.memoryMb && x.maxDurationMs < x.timeoutSeconds * 1000,
      });
    }
  }
  if (all.length >= 2) {
    const a = all[0];
    const z = all.at(-1);
    if (a && z) {
      rows.push({
        figure: "backfill growth",
        value: `× ${(z.wallMs / a.wallMs).toFixed(1)} time for × ${(z.months / a.months).toFixed(1)} months`,
        how: `${a.months} → ${z.months} months: items written × ${(z.aws.itemsWritten / Math.max(1, a.aws.itemsWritten)).toFixed(1)}, per month ${sec(a.wallMs / a.months)} → ${sec(z.wallMs / z.months)}`,
      });
    }
  }

  return {
    rows,
    targets,
    figures: {
      steady,
      backfills,
      releaseToReader: r2r,
      cdnTtlSeconds: ttl,
      pollsPerMonth: polls,
      monthly,
      prices: { asOf: book.asOf, region: book.region, reviewed: book.reviewed },
    },
  };
}

/** Prints the rows as a section under the bench's main table (their "how" is too long for its columns). */
export function printPerfModel(rows: Row[]): void {
  console.log("\nDeployed shape: release to reader, cost per month, backfill scale (bench/perfmodel.ts)");
  const w = Math.max(...rows.map((r) => r.figure.length));
  for (const r of rows)
    console.log(`  ${r.figure.padEnd(w)}  ${r.value}${r.how ? `\n  ${" ".repeat(w)}    ${r.how}` : ""}`);
}
