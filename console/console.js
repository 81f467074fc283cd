// Editor console: plain DOM, no framework. Reads /charts/index.json and each chart file, and renders
// a small SVG preview with the latest numbers.
const COLORS = ["#c0392b", "#2471a3", "#7d6608", "#1e8449"];
const fmt = (v) =>
  Math.abs(v) >= 100
    ? v.toLocaleString("en", { maximumFractionDigits: 1 })
    : v.toLocaleString("en", { maximumFractionDigits: 3 });

function el(tag, attrs = {}, ...children) {
  const e = document.createElementNS(
    tag === "svg" || attrs.svg ? "http://www.w3.org/2000/svg" : "http://www.w3.org/1999/xhtml",
    tag,
  );
  for (const [k, v] of Object.entries(attrs)) if (k !== "svg") e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
const s = (tag, attrs, ...c) => el(tag, { ...attrs, svg: true }, ...c);

export function lineChart(chart) {
  const W = 320,
    H = 150,
    L = 36,
    B = 18;
  const periods = [...new Set(chart.series.flatMap((x) => x.points.map((p) => p.chartPeriod)))].sort();
  const values = chart.series.flatMap((x) => x.points.map((p) => p.value));
  const max = Math.max(...values, 0) || 1;
  const x = (per) => L + (periods.indexOf(per) / Math.max(periods.length - 1, 1)) * (W - L - 6);
  const y = (v) => H - B - (v / max) * (H - B - 8);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-label": chart.title });
  svg.append(s("line", { x1: L, y1: H - B, x2: W, y2: H - B, stroke: "#bbb" }));
  svg.append(s("text", { x: 2, y: 12 }, fmt(max)));
  if (periods.length) {
    svg.append(s("text", { x: L, y: H - 4 }, periods[0]));
    svg.append(s("text", { x: W - 48, y: H - 4 }, periods.at(-1)));
  }
  chart.series.forEach((series, i) => {
    const d = series.points
      .map((p, j) => `${j ? "L" : "M"}${x(p.chartPeriod).toFixed(1)},${y(p.value).toFixed(1)}`)
      .join("");
    svg.append(s("path", { d, fill: "none", stroke: COLORS[i % COLORS.length], "stroke-width": 2 }));
    for (const p of series.points.filter((q) => q.combinedMonths)) {
      svg.append(
        s("circle", { cx: x(p.chartPeriod), cy: y(p.value), r: 3, fill: COLORS[i % COLORS.length] }),
      );
    }
  });
  return svg;
}

export function barChart(chart) {
  const series = chart.series[0];
  const points = series?.points ?? [];
  const W = 320,
    row = 14,
    H = Math.max(points.length * row + 4, 30),
    L = 110;
  const max = Math.max(...points.map((p) => p.value), 0) || 1;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-label": chart.title });
  points.forEach((p, i) => {
    svg.append(s("text", { x: 0, y: i * row + 11 }, p.categoryLabel ?? p.category));
    svg.append(
      s("rect", {
        x: L,
        y: i * row + 2,
        width: ((W - L - 50) * p.value) / max,
        height: row - 4,
        fill: COLORS[1],
      }),
    );
    svg.append(s("text", { x: L + ((W - L - 50) * p.value) / max + 3, y: i * row + 11 }, fmt(p.value)));
  });
  return svg;
}

function latestLine(chart) {
  if (chart.chartType === "top-partners")
    return `${chart.latestPeriod ?? "—"}: ${chart.series[0]?.points.length ?? 0} partners`;
  return chart.series
    .map((x) => {
      const p = x.points.at(-1);
      if (!p) return `${x.label}: no data`;
      const yoy = p.yoyPct === null ? "no y/y base" : `${p.yoyPct > 0 ? "+" : ""}${p.yoyPct}% y/y`;
      return `${x.label}: ${fmt(p.value)} (${p.period}, ${yoy}${p.revised ? ", revised" : ""})`;
    })
    .join(" · ");
}

export async function renderCharts(container, base = "") {
  const res = await fetch(`${base}/charts/index.json`, { cache: "no-store" });
  if (!res.ok) {
    container.textContent = "No charts published yet.";
    return;
  }
  const index = await res.json();
  container.replaceChildren();
  for (const entry of index.charts) {
    const chart = await (await fetch(`${base}/charts/${entry.id}.json`, { cache: "no-store" })).json();
    const card = el("article", { class: "chart", "data-chart": chart.id });
    card.append(
      el("h3", {}, chart.title),
      el("p", { class: "sub" }, `${chart.subtitle} · updated ${chart.updatedAt ?? "never"}`),
    );
    card.append(chart.chartType === "top-partners" ? barChart(chart) : lineChart(chart));
    card.append(el("p", { class: "latest" }, latestLine(chart)));
    for (const w of chart.warnings.slice(0, 3)) card.append(el("p", { class: "warn" }, `⚠ ${w}`));
    const links = el("p", { class: "links" });
    for (const [label, href] of [
      ["JSON", `${base}/charts/${chart.id}.json`],
      ["CSV", `${base}/charts/${chart.id}.csv`],
      ["Datawrapper metadata", `${base}/charts/${chart.id}.dw-metadata.json`],
    ]) {
      links.append(el("a", { href }, label));
    }
    card.append(links);
    container.append(card);
  }
}

if (typeof document !== "undefined" && document.getElementById("charts")) {
  renderCharts(document.getElementById("charts")).catch((e) => {
    document.getElementById("charts").textContent = `Could not load charts: ${e.message}`;
  });
  const status = document.getElementById("status");
  fetch("/api/status")
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((st) => {
      status.textContent = `${st.releases?.length ?? 0} releases known.`;
    })
    .catch(() => {
      status.textContent = "Status is not available from this server.";
    });
}
