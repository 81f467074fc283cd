// Chart previews in the editor console, drawn by Vega-Lite with the very specs docs/graphics.md gives
// graphics developers (docs/graphics-specs.js), loading the published chart file as they do: the
// console is the chart files' first consumer. The console adds presentation only (size, legend
// position, axis label formats), as Vega-Lite `config` and view size, never its own encoding.
//
// Bundled with Vega, Vega-Lite and vega-interpreter into console/build/charts.js
// (infra/console-bundle.ts), served from the console's own origin: no CDN. The console runs under a
// Content-Security-Policy without 'unsafe-eval', so Vega's expressions are parsed to an AST
// (`ast: true`) and evaluated by vega-interpreter instead of being compiled with `new Function`.
import { parse, View } from "vega";
import { expressionInterpreter } from "vega-interpreter";
import { compile } from "vega-lite";
import { specsFor } from "../docs/graphics-specs.js";

/** The console's look: legends under the plot, month names on time axes, thousands separators. */
const CONFIG = {
  font: "system-ui, sans-serif",
  // Under the plot, two to a row, names in full (series differ by colour alone otherwise).
  legend: { orient: "bottom", columns: 2, labelLimit: 0, labelFontSize: 11, symbolType: "stroke" },
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: "normal" },
  axisXBand: { labelAngle: 0, labelLimit: 0 },
  // Month ticks say the month's name, January's tick the year ("Jan 2023", "Apr", "Jul" …).
  timeFormat: "%b %Y",
  axisTemporal: { format: { year: "%Y", quarter: "%b", month: "%b", date: "%b %d" }, formatType: "time" },
  numberFormat: ",~r",
};

/** Vega's own config (Vega-Lite passes no legend layout through): several legends under the plot
 * stack, each starting at the left, so the "January–February average" legend is not pushed out of
 * a narrow card beside the series legend. */
const VEGA_CONFIG = { legend: { layout: { bottom: { anchor: "start", direction: "vertical", margin: 4 } } } };

/** The preview's size: the card's width; a bar per partner, a fixed height for lines. */
function sized(spec, chart) {
  return chart.chartType === "top-partners"
    ? { ...spec, width: "container", height: { step: 14 } }
    : { ...spec, width: "container", height: 170 };
}

/**
 * Draws `chart` (its JSON envelope) into `container` from the file at `base`/charts/<id>.json with
 * the graphics developers' spec; resolves with the Vega view when drawn.
 */
export async function chartPreview(chart, container, base = "") {
  const urls = { json: `${base}/charts/${chart.id}.json`, csv: `${base}/charts/${chart.id}.csv` };
  const vl = { ...sized(specsFor(chart, urls).fromJson, chart), config: CONFIG };
  const { spec } = compile(vl);
  const view = new View(parse(spec, VEGA_CONFIG, { ast: true }), {
    expr: expressionInterpreter,
    renderer: "svg",
    container,
    hover: true,
  });
  await view.runAsync();
  return view;
}
