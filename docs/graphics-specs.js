// Copy-paste examples for graphics developers, as code: the Vega-Lite specs and the d3 snippet that
// docs/graphics.md shows, and that test/consumers/ renders against the files the pipeline publishes
// (vega + vega-lite in Node, d3-dsv + d3-shape). The editor console draws its previews with them.
// Plain ESM JavaScript without dependencies: import it, or copy a function.

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

// What a January–February point is called in legends and tooltips (the chart files' periodLabel
// says "January–February 2023, monthly average").
export const JAN_FEB_AVERAGE = "January–February average";

// A monthly chart from its JSON: one line per series, a break at every gap (value null),
// January–February drawn as the flagged monthly average (the exact total is in combinedValue).
// With `combinedMonths` (the chart has such averages), the average is drawn as the two months it
// stands for: a band across January and February, points of their own shape, and a legend entry
// and tooltip saying "January–February average".
export function lineFromJson(jsonUrl, unitLabel, combinedMonths = false) {
  const figure = combinedMonths
    ? {
        shape: {
          field: "figure",
          type: "nominal",
          title: null,
          scale: { domain: ["Monthly figure", JAN_FEB_AVERAGE], range: ["circle", "diamond"] },
        },
      }
    : {};
  const band = {
    transform: [
      { filter: "datum.point.valueBasis === 'average-of-combined'" },
      { calculate: "utcParse(slice(datum.point.chartPeriod, 0, 4) + '-01', '%Y-%m')", as: "from" },
      { calculate: "utcParse(slice(datum.point.chartPeriod, 0, 4) + '-02', '%Y-%m')", as: "to" },
    ],
    mark: { type: "rule", strokeWidth: 7, opacity: 0.3, strokeCap: "round" },
    encoding: { x: { field: "from", type: "temporal" }, x2: { field: "to" } },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    data: { url: jsonUrl, format: { type: "json", property: "series" } },
    transform: [
      { flatten: ["points"], as: ["point"] },
      { calculate: "utcParse(datum.point.chartPeriod, '%Y-%m')", as: "month" },
      { calculate: "datum.point.value", as: "value" },
      { calculate: "datum.point.periodLabel", as: "period" },
      {
        calculate: `datum.point.valueBasis === 'average-of-combined' ? '${JAN_FEB_AVERAGE}' : 'Monthly figure'`,
        as: "figure",
      },
    ],
    encoding: {
      x: { field: "month", type: "temporal", timeUnit: "utcyearmonth", title: null },
      y: { field: "value", type: "quantitative", title: unitLabel },
      color: { field: "label", type: "nominal", title: null },
    },
    layer: [
      { mark: "line" },
      {
        mark: { type: "point", filled: true },
        encoding: {
          ...figure,
          tooltip: [
            { field: "label", title: "Series" },
            { field: "period", title: "Period" },
            { field: "value", title: unitLabel, format: ",.2f" },
            { field: "figure", title: "Figure" },
          ],
        },
      },
      ...(combinedMonths ? [band] : []),
    ],
  };
}

// The same chart from its CSV: `period` is YYYY-MM (parsed as UTC), one column per series (empty
// cells where there is no figure, so the line breaks), folded into long form.
export function lineFromCsv(csvUrl, columns, unitLabel) {
  const parse = { period: "utc:'%Y-%m'" };
  for (const c of columns) parse[c] = "number";
  return {
    $schema: VEGA_LITE_SCHEMA,
    data: { url: csvUrl, format: { type: "csv", parse } },
    transform: [{ fold: columns, as: ["series", "value"] }],
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "period", type: "temporal", timeUnit: "utcyearmonth", title: null },
      y: { field: "value", type: "quantitative", title: unitLabel },
      color: { field: "series", type: "nominal", title: null },
      tooltip: [
        { field: "series", title: "Series" },
        { field: "period", type: "temporal", timeUnit: "utcyearmonth", title: "Month" },
        { field: "value", title: unitLabel, format: ",.2f" },
        { field: "note", title: "Note" },
      ],
    },
  };
}

// A year-to-date chart from its JSON: one group of bars per year, each the same months' total
// (point.periodLabel says which: "January–November 2023").
export function yearToDateFromJson(jsonUrl, unitLabel) {
  return {
    $schema: VEGA_LITE_SCHEMA,
    data: { url: jsonUrl, format: { type: "json", property: "series" } },
    transform: [
      { flatten: ["points"], as: ["point"] },
      { calculate: "datum.point.periodLabel", as: "period" },
      { calculate: "datum.point.value", as: "value" },
    ],
    mark: "bar",
    encoding: {
      x: { field: "period", type: "ordinal", title: null },
      xOffset: { field: "label", type: "nominal" },
      y: { field: "value", type: "quantitative", title: unitLabel },
      color: { field: "label", type: "nominal", title: null },
    },
  };
}

// The same from its CSV: `year` and `months` ("January–November") instead of a month date.
export function yearToDateFromCsv(csvUrl, columns, unitLabel) {
  const parse = { year: "string" };
  for (const c of columns) parse[c] = "number";
  return {
    $schema: VEGA_LITE_SCHEMA,
    data: { url: csvUrl, format: { type: "csv", parse } },
    transform: [
      { fold: columns, as: ["series", "value"] },
      { calculate: "datum.months + ' ' + datum.year", as: "period" },
    ],
    mark: "bar",
    encoding: {
      x: { field: "period", type: "ordinal", title: null },
      xOffset: { field: "series", type: "nominal" },
      y: { field: "value", type: "quantitative", title: unitLabel },
      color: { field: "series", type: "nominal", title: null },
    },
  };
}

// A ranked chart (top partners) from its JSON: the first series (total trade), largest first.
export function barsFromJson(jsonUrl, seriesKey, unitLabel) {
  return {
    $schema: VEGA_LITE_SCHEMA,
    data: { url: jsonUrl, format: { type: "json", property: "series" } },
    transform: [
      { filter: { field: "key", equal: seriesKey } },
      { flatten: ["points"], as: ["point"] },
      { calculate: "datum.point.categoryLabel", as: "partner" },
      { calculate: "datum.point.value", as: "value" },
    ],
    mark: "bar",
    encoding: {
      y: { field: "partner", type: "nominal", sort: "-x", title: null },
      x: { field: "value", type: "quantitative", title: unitLabel },
    },
  };
}

// The same from its CSV: `partner`, one column per series, then `code` and `period`.
export function barsFromCsv(csvUrl, column, unitLabel) {
  return {
    $schema: VEGA_LITE_SCHEMA,
    data: { url: csvUrl, format: { type: "csv", parse: { [column]: "number" } } },
    mark: "bar",
    encoding: {
      y: { field: "partner", type: "nominal", sort: "-x", title: null },
      x: { field: column, type: "quantitative", title: unitLabel },
    },
  };
}

// The natural specs for a chart file (its JSON envelope) published at `urls` ({ json, csv }).
export function specsFor(chart, urls) {
  const unit = chart.unit.label;
  const columns = chart.series.map((s) => s.label);
  if (chart.chartType === "top-partners") {
    const first = chart.series[0];
    return {
      fromJson: barsFromJson(urls.json, first.key, unit),
      fromCsv: barsFromCsv(urls.csv, first.label, unit),
    };
  }
  if (chart.chartType === "ytd-by-year") {
    return {
      fromJson: yearToDateFromJson(urls.json, unit),
      fromCsv: yearToDateFromCsv(urls.csv, columns, unit),
    };
  }
  const combined = chart.series.some((s) => s.points.some((p) => p.valueBasis === "average-of-combined"));
  return {
    fromJson: lineFromJson(urls.json, unit, combined),
    fromCsv: lineFromCsv(urls.csv, columns, unit),
  };
}

// d3: SVG path strings, one per series, from a monthly chart's CSV text (d3-dsv + d3-shape).
// autoType reads empty cells as null, `period` as a UTC date, values as numbers; `defined`
// breaks each line at its gaps.
export function d3LinePaths(csvParse, autoType, line, csvText, width = 600, height = 300) {
  const rows = csvParse(csvText, autoType);
  const series = rows.columns.filter((c) => c !== "period" && c !== "note");
  const t0 = +rows[0].period;
  const span = +rows[rows.length - 1].period - t0 || 1;
  const max = Math.max(...rows.flatMap((r) => series.map((s) => r[s] ?? 0)));
  const paths = {};
  for (const s of series) {
    paths[s] = line()
      .defined((r) => r[s] !== null)
      .x((r) => ((+r.period - t0) / span) * width)
      .y((r) => height - (r[s] / max) * height)(rows);
  }
  return paths;
}
