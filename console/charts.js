// Chart previews in the editor console, drawn by Vega-Lite with the very specs docs/graphics.md gives
// graphics developers (docs/graphics-specs.js), loading the published chart file as they do: the
// console is the chart files' first consumer. The console adds presentation only (size, legend
// position, axis label formats), as Vega-Lite `config` and view size, never its own encoding.
//
// Bundled with Vega, Vega-Lite and vega-interpreter into console/build/charts.js
// (infra/console-bundle.ts), served from the console's own origin: no CDN. The console runs under a
// Content-Security-Policy without 'unsafe-eval', so Vega's expressions are parsed to an AST
// (`ast: true`) and evaluated by vega-interpreter instead of being compiled with `new Function`.
import { loader, parse, View } from "vega";
import { expressionInterpreter } from "vega-interpreter";
import { compile } from "vega-lite";
import { JAN_FEB_AVERAGE, specsFor } from "../docs/graphics-specs.js";

/** The console's look: legends under the plot, month names on time axes, thousands separators. */
const CONFIG = {
  font: "system-ui, sans-serif",
  // Under the plot, two to a row, names in full (series differ by colour alone otherwise).
  legend: { orient: "bottom", columns: 2, labelLimit: 0, labelFontSize: 11, symbolType: "stroke" },
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: "normal" },
  axisXBand: { labelAngle: 0, labelLimit: 0 },
  // Month ticks say the month's name, January's tick the year ("Jan 2023", "Apr", "Jul" …).
  timeFormat: "%b %Y",
  // A month label that would stick out past the plot's end is left off (its tick stays), not cut
  // at the card's edge ("De"); labels at the ends sit flush inside.
  axisTemporal: {
    format: { year: "%Y", quarter: "%b", month: "%b", date: "%b %d" },
    formatType: "time",
    labelFlush: true,
    labelBound: true,
  },
  numberFormat: ",~r",
};

/** Vega's own config (Vega-Lite passes no legend layout through): several legends under the plot
 * stack, each starting at the left, so the "January–February average" legend is not pushed out of
 * a narrow card beside the series legend. */
const VEGA_CONFIG = { legend: { layout: { bottom: { anchor: "start", direction: "vertical", margin: 4 } } } };

/**
 * The legend for a card `width` pixels wide: two entries to a row when the longest series name
 * leaves room for two, else one; a name longer than its column ends in "…" inside the card instead
 * of running past its edge (long names such as "Mineral fuels and oils (HS 27)" in a phone's card).
 */
export function legendFor(labels, width) {
  // ~6.2 px a character at 11 px, plus the symbol and its gap; 16 px between columns.
  const longest = Math.max(0, ...labels.map((l) => l.length));
  const entry = 24 + Math.ceil(longest * 6.2);
  const columns = width > 0 && 2 * entry + 16 <= width ? 2 : 1;
  const room = width > 0 ? Math.floor((width - 16 * (columns - 1)) / columns) - 24 : 0;
  return { ...CONFIG.legend, columns, labelLimit: Math.max(80, room) };
}

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
  // Every name a legend shows: the series, and on a chart with a January–February average the
  // shape legend's two names.
  const series = chart.series ?? [];
  const combined = series.some((x) => x.points?.some((p) => p.valueBasis === "average-of-combined"));
  const labels = [...series.map((x) => x.label), ...(combined ? ["Monthly figure", JAN_FEB_AVERAGE] : [])];
  // Vega sizes a "container" chart by the element's clientWidth, padding included: drawn into a
  // bare box inside the card, the chart is exactly as wide as the card's content.
  const box = document.createElement("div");
  container.append(box);
  // Lines are told apart by a stroke of their colour; bars by a square of it (a stroke is invisible there).
  const legend = {
    ...legendFor(labels, box.clientWidth),
    symbolType: chart.chartType === "monthly" ? "stroke" : "square",
  };
  const vl = { ...sized(specsFor(chart, urls).fromJson, chart), config: { ...CONFIG, legend } };
  const { spec } = compile(vl);
  const view = new View(parse(spec, VEGA_CONFIG, { ast: true }), {
    expr: expressionInterpreter,
    // The file as it is now, like every request of the console: chart files carry max-age=60, and a
    // preview drawn from the browser's cached copy would show the figures before the last run.
    loader: loader({ http: { cache: "no-store" } }),
    renderer: "svg",
    container: box,
    hover: true,
  });
  await view.runAsync();
  return view;
}
