// Editor console: plain DOM, no framework, one request per panel. It shows the pipeline's status
// (GET /api/status), starts a refresh and follows its progress (POST /api/refresh, then
// GET /api/runs/{id} until it ends), uploads query-platform exports (POST /api/uploads), accepts
// held-back releases and charts (POST /api/releases/{id}/accept, /api/charts/{id}/accept), and previews each chart with its latest numbers
// and what changed in the last run.
//
// Writes need the editor token: asked for once and kept in sessionStorage (this tab only). Deployed,
// the token is the Cognito ID token, from the hosted sign-in with authorization code + PKCE and
// refreshed as it expires (sign-in.js).
import { completeSignIn, currentIdToken, signOut, startSignIn, usesHostedSignIn } from "./sign-in.js";

import { whatsNew } from "./whats-new.js";

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
function latestLine(chart) {
  if (chart.chartType === "top-partners")
    return `${chart.latestPeriod ?? "—"}: ${chart.series[0]?.points.length ?? 0} partners`;
  return chart.series
    .map((x) => {
      const p = x.points.findLast((q) => q.value !== null);
      if (!p) return `${x.label}: no data`;
      const yoy = p.yoyPct === null ? "no y/y base" : `${p.yoyPct > 0 ? "+" : ""}${p.yoyPct}% y/y`;
      const caveats = p.caveats?.length ? `, caveats: ${p.caveats.join(", ")}` : "";
      return `${x.label}: ${fmt(p.value)} (${p.periodLabel ?? p.period}, ${yoy}${p.revised ? ", revised" : ""}${caveats})`;
    })
    .join(" · ");
}

// ---- small helpers -------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "gacc-editor-token";
const POLL_MS = 600;

function when(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString("en-GB", {
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
      });
}

function day(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
}

function badge(status) {
  return el("span", { class: `badge status-${status}` }, status);
}

function table(headers, rows, cls) {
  const t = el("table", { class: cls });
  t.append(el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", {}, h)))));
  const body = el("tbody");
  for (const r of rows) body.append(el("tr", {}, ...r.map((c) => el("td", {}, c))));
  t.append(body);
  return t;
}

// ---- the editor token ----------------------------------------------------------------------------

export function editorToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function pickTokenFromAddress() {
  const m = /(?:^|[#&])(?:id_token|access_token)=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
}

/**
 * Deployed, the stack writes /console-config.json with the Cognito hosted sign-in page (implicit flow:
 * it comes back with #id_token=...); locally there is none and the editor pastes the printed token.
 */
let consoleConfig = {};
async function loadConsoleConfig() {
  try {
    const res = await fetch("/console-config.json", { cache: "no-store" });
    consoleConfig = res.ok ? await res.json() : {};
  } catch {
    consoleConfig = {};
  }
  if (consoleConfig.signInUrl) $("sign-in-link").setAttribute("href", consoleConfig.signInUrl);
  // Deployed: authorization code + PKCE (sign-in.js); the ID token lands where editorToken() reads it.
  if (usesHostedSignIn(consoleConfig)) {
    $("sign-in-link").addEventListener("click", (ev) => {
      ev.preventDefault();
      startSignIn(consoleConfig);
    });
    try {
      await completeSignIn(consoleConfig);
    } catch (err) {
      showSession(err.message);
    }
    await refreshHostedToken();
  }
}

/** Deployed: the current (refreshed when due) ID token, or none when signed out. */
async function refreshHostedToken() {
  if (!usesHostedSignIn(consoleConfig)) return;
  const token = await currentIdToken(consoleConfig);
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function showSession(message) {
  const has = Boolean(editorToken());
  const hosted = Boolean(consoleConfig.signInUrl);
  $("token-form").hidden = has || hosted;
  $("sign-in").hidden = has || !hosted;
  $("signed-in").hidden = !has;
  if (message) {
    $("token-hint").textContent = message;
    $("token-hint").classList.add("error");
  }
}

/** Calls the API; on 401 the token is forgotten and asked for again. Resolves to { ok, status, body }. */
async function api(path, options = {}) {
  await refreshHostedToken();
  const headers = { ...(options.headers ?? {}) };
  const token = editorToken();
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { ...options, headers, cache: "no-store" });
  let body;
  try {
    body = await res.json();
  } catch {
    body = { error: { message: `The server answered ${res.status} without a readable body.` } };
  }
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    signOut();
    showSession(body?.error?.message ?? "Enter the editor token.");
    $("token-input")?.focus();
  }
  return { ok: res.ok, status: res.status, body };
}

function needToken() {
  if (editorToken()) return false;
  if (consoleConfig.signInUrl) {
    showSession();
    $("sign-in-link").focus();
    return true;
  }
  showSession(
    "Enter the editor token first: it is printed by `npm start` (and saved in .local/editor-token).",
  );
  $("token-input").focus();
  return true;
}

const errorText = (body) => body?.error?.message ?? "Something went wrong.";

// ---- status ----------------------------------------------------------------------------------------

function stageList(run) {
  const list = el("ol", { class: "stages" });
  for (const st of run.stages) {
    const count = st.total ? ` (${st.done ?? 0}/${st.total})` : "";
    list.append(
      el(
        "li",
        { class: `stage stage-${st.status}`, "data-stage": st.name },
        el("strong", {}, st.name),
        " ",
        badge(st.status),
        ` ${st.message}${count}`,
      ),
    );
  }
  return list;
}

function renderStatus(st) {
  const box = $("status");
  box.replaceChildren();
  const run = st.latestRun;
  if (run) {
    box.append(
      el(
        "p",
        { class: "latest-run", "data-run": run.runId, "data-status": run.status },
        el("strong", {}, "Latest run: "),
        `${run.kind} by ${run.requestedBy.name}, ${when(run.startedAt)} `,
        badge(run.status),
      ),
    );
    if (run.result) box.append(el("p", { class: "summary" }, run.result.summary));
    box.append(stageList(run));
    for (const e of run.result?.errors ?? [])
      box.append(el("p", { class: "error" }, `${e.stage}: ${e.message}`));
    if (run.result) box.append(whatsNew(run, el));
  } else {
    box.append(el("p", {}, "No run recorded yet."));
  }
  const c = st.counts;
  box.append(
    el(
      "p",
      { class: "counts" },
      `${st.releases.length} releases: ${c.normalized} normalized, ${c.accepted} accepted after review, ${c.quarantined} held back, ${c.fetched + c.normalizing} waiting.`,
    ),
  );
  const n = st.nextRelease;
  const next = el(
    "p",
    { class: "next-release" },
    el("strong", {}, "Next release: "),
    `preliminary figures for ${n.period}, expected ${day(n.expectedFrom)} – ${day(n.expectedBy)}`,
  );
  if (n.overdue) {
    next.append(
      el("span", { class: "warn" }, ` — not in yet.`),
      ` The next release window is ${day(n.upcoming.expectedFrom)} – ${day(n.upcoming.expectedBy)} (${n.upcoming.period}).`,
    );
  }
  box.append(next);
}

/** One review form: what is held back, why, and a reason field with an accept button. */
function acceptForm({ attrs, heading, meta, reasons, label, submit }) {
  const form = el("form", { class: "accept-form", ...attrs });
  const input = el("input", {
    type: "text",
    name: "reason",
    required: "",
    placeholder: "Why is it safe to publish? (kept in the audit log)",
    "aria-label": label,
  });
  const button = el("button", { type: "submit", class: "accept" }, "Accept and publish");
  const result = el("p", { class: "result", "aria-live": "polite" });
  form.append(
    el("h3", {}, ...heading),
    el("p", { class: "muted" }, ...meta),
    el("p", {}, "Held back because:"),
    el("ul", { class: "reasons" }, ...reasons.map((x) => el("li", {}, x.message))),
    el("div", { class: "accept-row" }, input, button),
    result,
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    submit(input.value, button, result);
  });
  return form;
}

/** What accepting would publish: the API's sentence, then each chart point old → new. */
function acceptPreviewBox(preview) {
  const box = el("div", { class: "preview", "data-preview": preview.previewSha256 ?? "" });
  box.append(el("p", { class: "preview-headline" }, preview.headline));
  if (preview.readings?.length) {
    box.append(
      el(
        "ul",
        { class: "readings" },
        ...[...new Map(preview.readings.map((r) => [r.reading, r])).values()].map((r) =>
          el("li", {}, r.reading),
        ),
      ),
    );
  }
  for (const c of preview.charts ?? []) {
    const list = el("ul", { class: "preview-points" });
    for (const p of c.revisions)
      list.append(
        el("li", { class: "revision" }, `${p.label}: ${fmt(p.previous)} → ${fmt(p.value)} ${c.unit}`),
      );
    for (const p of c.newPoints)
      list.append(el("li", { class: "new-point" }, `${p.label}: new, ${fmt(p.value)} ${c.unit}`));
    for (const p of c.removedPoints) list.append(el("li", { class: "removed" }, `${p.label}: removed`));
    const more = c.counts.newPoints + c.counts.revisions + c.counts.removedPoints - list.childElementCount;
    if (more > 0) list.append(el("li", { class: "muted" }, `… and ${more} more`));
    box.append(el("p", {}, el("strong", {}, c.title)), list);
  }
  return box;
}

/**
 * A held-back release: why, the choice it needs (e.g. which currency), a preview of what accepting
 * would publish, and only then the reason and the confirm button. What is confirmed is the preview.
 */
function releaseReview(r) {
  const form = el("form", { class: "accept-form", "data-release": r.releaseId });
  const choice = r.choices?.currency;
  const name = `currency-${r.releaseId}`;
  const fieldset = choice
    ? el(
        "fieldset",
        { class: "choice" },
        el("legend", {}, "Which currency are the figures in? Nothing is assumed."),
        ...choice.options.map((o) =>
          el(
            "label",
            { class: "radio" },
            el("input", { type: "radio", name, value: o.choice, required: "" }),
            ` ${o.label[0].toUpperCase()}${o.label.slice(1)}`,
          ),
        ),
      )
    : undefined;
  const previewButton = el(
    "button",
    { type: "button", class: "preview-button" },
    "Preview what would be published",
  );
  const previewOut = el("div", { class: "preview-out", "aria-live": "polite" });
  const input = el("input", {
    type: "text",
    name: "reason",
    required: "",
    placeholder: "Why is it safe to publish? (kept in the audit log)",
    "aria-label": `Reason for accepting the ${r.name}`,
  });
  const confirm = el("button", { type: "submit", class: "accept", disabled: "" }, "Confirm and publish this");
  const result = el("p", { class: "result", "aria-live": "polite" });
  let preview;
  const resolution = () => {
    const picked = form.querySelector(`input[name="${name}"]:checked`)?.value;
    return picked ? { currency: picked } : undefined;
  };
  const showPreview = (p) => {
    preview = p;
    previewOut.replaceChildren(acceptPreviewBox(p));
    if (p.previewSha256) confirm.removeAttribute("disabled");
    else confirm.setAttribute("disabled", "");
  };
  const askPreview = async () => {
    if (needToken()) return;
    if (choice && !resolution()) {
      result.className = "result error";
      result.textContent = "Choose the currency first: the page says both.";
      return;
    }
    result.textContent = "";
    previewOut.textContent = "Working out what would change…";
    const { ok, body } = await api(`/api/releases/${encodeURIComponent(r.releaseId)}/preview`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ resolution: resolution() }),
    });
    if (!ok) {
      previewOut.replaceChildren(el("p", { class: "error" }, errorText(body)));
      return;
    }
    showPreview(body);
  };
  previewButton.addEventListener("click", askPreview);
  // A different choice is a different preview: confirm waits for it.
  form.addEventListener("change", (ev) => {
    if (ev.target.type !== "radio") return;
    preview = undefined;
    confirm.setAttribute("disabled", "");
    previewOut.replaceChildren();
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (needToken()) return;
    if (!preview?.previewSha256) return askPreview();
    if (!input.value.trim()) {
      result.className = "result error";
      result.textContent = "Say why it is safe to publish: the reason is kept in the audit log.";
      return;
    }
    confirm.setAttribute("disabled", "");
    result.className = "result";
    result.textContent = "Publishing…";
    busy++;
    const { ok, body } = await api(`/api/releases/${encodeURIComponent(r.releaseId)}/accept`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        reason: input.value,
        resolution: resolution(),
        previewSha256: preview.previewSha256,
      }),
    }).finally(() => busy--);
    if (!ok) {
      result.className = "result error";
      result.textContent = errorText(body);
      if (body.preview) showPreview(body.preview);
      return;
    }
    result.className = "result ok";
    result.textContent = `Accepted and published as previewed. ${body.preview?.headline ?? ""}`;
    await loadAll();
  });
  form.append(
    el("h3", {}, r.name, " ", badge(r.status)),
    el(
      "p",
      { class: "muted" },
      `Fetched ${when(r.fetchedAt)} · `,
      el("a", { href: r.url }, "GACC's page"),
      ` · ${r.releaseId}`,
    ),
    el("p", {}, "Held back because:"),
    el("ul", { class: "reasons" }, ...r.reasons.map((x) => el("li", {}, x.message))),
    ...(fieldset ? [fieldset] : []),
    el("div", { class: "accept-row" }, previewButton),
    previewOut,
    el("div", { class: "accept-row" }, input, confirm),
    result,
  );
  return form;
}

function renderQuarantined(st) {
  const box = $("quarantined");
  box.replaceChildren();
  const held = st.releases.filter((r) => r.status === "quarantined");
  const charts = st.heldCharts ?? [];
  if (held.length === 0 && charts.length === 0) {
    box.append(el("p", { class: "muted" }, "Nothing is held back."));
    return;
  }
  for (const r of held) box.append(releaseReview(r));
  for (const h of charts) {
    box.append(
      acceptForm({
        attrs: { "data-chart-hold": h.chartId },
        heading: [`Chart ${h.chartId} `, badge("held")],
        meta: [
          `The new version (to ${h.candidate.latestPeriod ?? "—"}) was not published; graphics still get the one from ${when(h.published.updatedAt)} · held ${when(h.heldAt)}`,
        ],
        reasons: h.reasons,
        label: `Reason for publishing ${h.chartId}`,
        submit: (reason, button, out) =>
          accept(
            `/api/charts/${encodeURIComponent(h.chartId)}/accept`,
            { reason, candidateSha256: h.candidateSha256 },
            button,
            out,
          ),
      }),
    );
  }
}

function renderReleases(st) {
  const box = $("releases");
  box.replaceChildren();
  const rows = st.releases.map((r) => [
    r.period,
    r.name ?? r.table,
    r.currency,
    el(
      "span",
      {},
      badge(r.status),
      r.acceptance ? ` ${r.acceptance.reading} (${r.acceptance.by})` : "",
      r.supersededBy ? " replaced by a later reading" : "",
    ),
    [...r.reasons, ...r.warnings].map((x) => x.message).join("; ") || "—",
    when(r.fetchedAt),
  ]);
  const details = el("details", {}, el("summary", {}, `All ${st.releases.length} releases`));
  details.append(
    table(["Period", "Table", "Currency", "Status", "Reasons and warnings", "Fetched"], rows, "releases"),
  );
  box.append(details);
}

function renderAudit(st) {
  const box = $("audit");
  box.replaceChildren();
  if (st.audit.length === 0) {
    box.append(el("p", { class: "muted" }, "Nothing yet."));
    return;
  }
  const rows = st.audit.map((a) => [
    when(a.at),
    a.by.name,
    a.action,
    a.target + (a.details?.reason ? ` — “${a.details.reason}”` : ""),
    badge(a.result),
    a.message,
  ]);
  box.append(table(["When", "Who", "What", "On", "Result", "Outcome"], rows, "audit"));
}

// ---- charts ------------------------------------------------------------------------------------------

function changeList(change) {
  const box = el("div", { class: "changes" });
  if (!change) {
    box.append(el("p", { class: "muted" }, "No change in the last run."));
    return box;
  }
  const c = change.counts;
  box.append(
    el(
      "p",
      {},
      el("strong", {}, "Last run: "),
      `${c.newPoints} new point${c.newPoints === 1 ? "" : "s"}, ${c.revisions} revision${c.revisions === 1 ? "" : "s"}${c.removedPoints ? `, ${c.removedPoints} removed` : ""}`,
    ),
  );
  const items = el("ul");
  for (const p of change.revisions)
    items.append(el("li", { class: "revision" }, `${p.label}: ${fmt(p.previous)} → ${fmt(p.value)}`));
  for (const p of change.newPoints.slice(0, 6))
    items.append(el("li", { class: "new-point" }, `new ${p.label}: ${fmt(p.value)}`));
  if (change.newPoints.length > 6)
    items.append(el("li", { class: "muted" }, `… and ${c.newPoints - 6} more new points`));
  for (const p of change.removedPoints) items.append(el("li", { class: "removed" }, `removed ${p.label}`));
  box.append(items);
  return box;
}

// Vega-Lite previews (console/charts.js, bundled to build/charts.js) load on demand: a console whose
// bundle failed to load still shows status, uploads and held-back releases.
// A preview is redrawn only when its chart file changed (the panel re-renders after every run).
const previews = new Map();
function previewBox(chart) {
  const cached = previews.get(chart.id);
  if (cached && cached.updatedAt === chart.updatedAt) return cached.box;
  const box = el("div", {
    class: "preview",
    "data-preview": "loading",
    role: "img",
    "aria-label": chart.title,
  });
  import("./build/charts.js")
    .then(({ chartPreview }) => chartPreview(chart, box))
    .then(() => box.setAttribute("data-preview", "drawn"))
    .catch((e) => {
      box.setAttribute("data-preview", "failed");
      box.textContent = `The preview could not be drawn (${e.message}); the JSON and CSV below are unaffected.`;
    });
  previews.set(chart.id, { updatedAt: chart.updatedAt, box });
  return box;
}

export async function renderCharts(container, base = "", changes = []) {
  const res = await fetch(`${base}/charts/index.json`, { cache: "no-store" });
  if (!res.ok) {
    container.textContent = "No charts published yet.";
    return;
  }
  const index = await res.json();
  const charts = await Promise.all(
    index.charts
      .filter((entry) => (entry.state ?? "published") === "published")
      .map((entry) => fetch(`${base}/charts/${entry.id}.json`, { cache: "no-store" }).then((r) => r.json())),
  );
  container.replaceChildren();
  for (const chart of charts) {
    const card = el("article", {
      class: "chart",
      "data-chart": chart.id,
      "data-updated": chart.updatedAt ?? "",
    });
    card.append(
      el("h3", {}, chart.title),
      el("p", { class: "sub" }, `${chart.subtitle} · updated ${when(chart.updatedAt)}`),
    );
    card.append(previewBox(chart));
    card.append(el("p", { class: "latest" }, latestLine(chart)));
    card.append(changeList(changes.find((c) => c.chartId === chart.id)));
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
  // Charts with nothing to show yet have no files: index.json says why.
  for (const entry of index.charts.filter((e) => e.state === "awaiting-data")) {
    container.append(
      el(
        "article",
        { class: "chart awaiting", "data-chart": entry.id },
        el("h3", {}, entry.title),
        el("p", { class: "sub" }, `Awaiting data: ${entry.stateReason ?? ""}`),
      ),
    );
  }
}

async function loadAll() {
  const { ok, body } = await api("/api/status");
  if (!ok) {
    $("status").textContent = `Status is not available: ${errorText(body)}`;
    await renderCharts($("charts")).catch((e) => {
      $("charts").textContent = `Could not load charts: ${e.message}`;
    });
    return;
  }
  renderStatus(body);
  renderQuarantined(body);
  renderReleases(body);
  renderAudit(body);
  await renderCharts($("charts"), "", body.latestRun?.result?.chartChanges ?? []).catch((e) => {
    $("charts").textContent = `Could not load charts: ${e.message}`;
  });
  const progress = $("progress");
  // A finished run's progress stays up until another run (an upload, an accept) is the latest.
  if (progress.dataset.state === "finished" && progress.dataset.run !== body.latestRun?.runId)
    progress.hidden = true;
  // One run at a time: while one is in progress (started here or in another tab) Refresh waits.
  $("refresh-button").disabled = Boolean(body.running) || progress.dataset.state === "running";
  if (body.running && progress.dataset.state !== "running") follow(body.running.runId);
}

// ---- refresh and progress --------------------------------------------------------------------------

function progressValue(run) {
  const weights = run.stages.map((s) =>
    s.status === "done" || s.status === "skipped" || s.status === "failed"
      ? 1
      : s.status === "running"
        ? s.total
          ? 0.1 + (0.9 * (s.done ?? 0)) / s.total
          : 0.3
        : 0,
  );
  return weights.reduce((a, b) => a + b, 0) / Math.max(run.stages.length, 1);
}

function renderProgress(run) {
  const box = $("progress");
  box.hidden = false;
  box.dataset.state = run.status === "running" ? "running" : "finished";
  box.dataset.run = run.runId;
  box.dataset.status = run.status;
  box.replaceChildren();
  box.append(
    el(
      "p",
      {},
      el("strong", {}, `${run.kind[0].toUpperCase()}${run.kind.slice(1)} ${run.runId}: `),
      badge(run.status),
    ),
    el("progress", { max: "100", value: String(Math.round(progressValue(run) * 100)) }),
    stageList(run),
  );
  if (run.result) box.append(el("p", { class: "summary" }, run.result.summary));
}

let following;
/** Requests of this tab in flight (uploads, previews, accepts): the status poll waits for them. */
let busy = 0;

let followLoop;

async function follow(runId) {
  // One loop per run: a second call for the run already followed (a status poll) adds nothing.
  if (following === runId && followLoop) return;
  following = runId;
  followLoop = true;
  try {
    await followRun(runId);
  } finally {
    if (following === runId) followLoop = false;
  }
}

async function followRun(runId) {
  $("refresh-button").disabled = true;
  for (;;) {
    const { ok, body } = await api(`/api/runs/${encodeURIComponent(runId)}`);
    if (following !== runId) return;
    if (!ok) {
      $("progress").dataset.state = "error";
      $("progress").textContent = errorText(body);
      return;
    }
    renderProgress(body);
    if (body.status !== "running") break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  $("refresh-button").disabled = false;
  await loadAll();
}

async function refresh() {
  if (needToken()) return;
  const button = $("refresh-button");
  button.disabled = true;
  const { ok, status, body } = await api("/api/refresh", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify($("recheck-all").checked ? { recheckAll: true } : {}),
  });
  if (ok) {
    renderProgress(body.run);
    await follow(body.runId);
    return;
  }
  button.disabled = false;
  const box = $("progress");
  box.dataset.state = "error";
  box.replaceChildren(el("p", { class: "error" }, errorText(body)));
  if (status === 409 && body.runningId) {
    box.append(el("p", {}, "Following the run in progress instead."));
    follow(body.runningId);
  }
}

// ---- upload and accept -----------------------------------------------------------------------------

async function upload(ev, replace = false) {
  ev?.preventDefault();
  if (needToken()) return;
  const file = $("upload-file").files[0];
  const flow = $("upload-flow").value;
  const out = $("upload-result");
  if (!file || !flow) {
    out.className = "result error";
    out.textContent = "Choose the file and say whether it holds imports or exports.";
    return;
  }
  const form = new FormData();
  form.append("flow", flow);
  if (replace) form.append("replace", "true");
  form.append("file", file, file.name);
  $("upload-button").disabled = true;
  out.className = "result";
  out.textContent = `Uploading ${file.name}…`;
  busy++;
  const { ok, body } = await api("/api/uploads", { method: "POST", body: form }).finally(() => busy--);
  $("upload-button").disabled = false;
  out.replaceChildren();
  if (!ok) {
    out.className = "result error";
    out.dataset.state = body?.error?.code === "FLOW_CONFLICT" ? "flow-conflict" : "error";
    out.append(el("p", {}, errorText(body)));
    if (body?.error?.code === "FLOW_CONFLICT") {
      const again = el(
        "button",
        { type: "button", id: "upload-replace" },
        `Replace the earlier reading: this file holds ${flow}`,
      );
      again.addEventListener("click", () => upload(undefined, true));
      out.append(again);
    }
    return;
  }
  const r = body.release;
  out.className = `result ${r?.status === "quarantined" ? "error" : "ok"}`;
  out.dataset.state = r?.status ?? "done";
  out.append(
    el(
      "p",
      {},
      body.created
        ? `Uploaded ${file.name} as ${r?.releaseId}: `
        : `${file.name} was uploaded before (${r?.releaseId}): `,
      badge(r?.status ?? "unknown"),
    ),
    el("p", {}, body.run.result?.summary ?? ""),
  );
  for (const x of r?.reasons ?? []) out.append(el("p", { class: "error" }, x.message));
  for (const x of (r?.warnings ?? []).slice(0, 5)) out.append(el("p", { class: "warn" }, `⚠ ${x.message}`));
  $("upload-form").reset();
  await loadAll();
}

async function accept(path, payload, button, out) {
  if (needToken()) return;
  if (!payload.reason.trim()) {
    out.className = "result error";
    out.textContent = "Say why it is safe to publish: the reason is kept in the audit log.";
    return;
  }
  button.disabled = true;
  out.className = "result";
  out.textContent = "Publishing…";
  const { ok, body } = await api(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  button.disabled = false;
  if (!ok) {
    out.className = "result error";
    out.textContent = errorText(body);
    return;
  }
  out.className = "result ok";
  out.textContent = `Accepted and published: ${body.run.result?.summary ?? ""}`;
  await loadAll();
}

// ---- start -------------------------------------------------------------------------------------------

if (typeof document !== "undefined" && document.getElementById("charts")) {
  pickTokenFromAddress();
  showSession();
  loadConsoleConfig().then(() => showSession());
  $("token-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const value = $("token-input").value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $("token-input").value = "";
    $("token-hint").classList.remove("error");
    showSession();
  });
  $("forget-token").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    signOut();
    if (consoleConfig.signOutUrl) location.assign(consoleConfig.signOutUrl);
    else showSession();
  });
  $("refresh-button").addEventListener("click", () => refresh());
  // Another tab (or the schedule) may start a run: look every few seconds, and follow it if so.
  setInterval(async () => {
    if (document.hidden || busy > 0 || $("progress").dataset.state === "running") return;
    const { ok, body } = await api("/api/status");
    // Only refreshes show in the progress box; this tab's uploads and accepts answer in place.
    if (ok && body.running && /-refresh-/.test(body.running.runId) && busy === 0) follow(body.running.runId);
  }, 5000);
  $("upload-form").addEventListener("submit", upload);
  loadAll().catch((e) => {
    $("status").textContent = `Could not load the status: ${e.message}`;
  });
}
