// Chart previews in the editor console, drawn by Vega-Lite from the published chart files: the
// console is the first consumer of the files graphics developers use.
//
// Bundled with Vega, Vega-Lite and vega-interpreter into console/build/charts.js
// (infra/console-bundle.ts), served from the console's own origin: no CDN. The console runs under a
// Content-Security-Policy without 'unsafe-eval', so Vega's expressions are parsed to an AST
// (`ast: true`) and evaluated by vega-interpreter instead of being compiled with `new Function`.
import { parse, View } from "vega";
import { expressionInterpreter } from "vega-interpreter";
import { compile } from "vega-lite";

// INTERIM: replaced by the specs docs/graphics.md gives graphics developers once they land.
function specFor(chart) {
  const rows = chart.series.flatMap((s) =>
    s.points.map((p) => ({ series: s.label, period: p.chartPeriod, value: p.value })),
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: "container",
    height: 160,
    data: { values: rows },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "period", type: "temporal", timeUnit: "yearmonth", title: null, axis: { format: "%b %Y" } },
      y: { field: "value", type: "quantitative", title: chart.unit?.label },
      color: { field: "series", type: "nominal", legend: { orient: "bottom", title: null } },
    },
  };
}

/** Renders `chart`'s preview into `container` (an element); resolves when drawn. */
export async function chartPreview(chart, container) {
  const vl = specFor(chart);
  const { spec } = compile(vl);
  const runtime = parse(spec, undefined, { ast: true });
  const view = new View(runtime, {
    expr: expressionInterpreter,
    renderer: "svg",
    container,
    hover: true,
  });
  await view.runAsync();
  return view;
}
