// Editor console: plain DOM, no framework, one request per panel. It shows the pipeline's status
// (GET /api/status), starts a refresh and follows its progress (POST /api/refresh, then
// GET /api/runs/{id} until it ends), uploads query-platform exports (POST /api/uploads: a slot, the
// bytes to it, then the run, followed like a refresh), accepts
// held-back releases and charts (POST /api/releases/{id}/accept, /api/charts/{id}/accept), and previews each chart with its latest numbers
// and what changed in the last run.
//
// Writes need the editor token: asked for once and kept in sessionStorage (this tab only). Deployed,
// the token is the Cognito ID token, from the hosted sign-in with authorization code + PKCE and
// refreshed as it expires (sign-in.js).

// The editors' words: the very module the API and the CLI word their answers with
// (functions/domain/wording.ts, bundled by infra/console-bundle.ts).
import {
  auditActionWord,
  awaitingText,
  chartAmount,
  chartChangeText,
  heldBackHeadline,
  labelText,
  momentText,
  periodName,
  plural,
  reasonTexts,
  runByline,
  runHeadline,
  stageWord,
  statusGlance,
  statusWord,
} from "./build/wording.js";
import { completeSignIn, currentIdToken, signOut, startSignIn, usesHostedSignIn } from "./sign-in.js";
import { whatsNew } from "./whats-new.js";

function el(tag, attrs = {}, ...children) {
  const e = document.createElementNS(
    tag === "svg" || attrs.svg ? "http://www.w3.org/2000/svg" : "http://www.w3.org/1999/xhtml",
    tag,
  );
  for (const [k, v] of Object.entries(attrs)) if (k !== "svg") e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
/** The chart's latest figures as its readers would see them: "Imports from Russia: US$11.1 billion in October 2023, +3.2% on a year earlier". */
function latestLines(chart) {
  const unit = chart.unit?.label ?? "";
  if (chart.chartType === "top-partners") {
    const pts = chart.series[0]?.points ?? [];
    const top = pts[0];
    return [
      `${plural(pts.length, "partner")} ranked for ${periodName(chart.latestPeriod ?? "")}` +
        (top ? `; largest: ${top.categoryLabel ?? top.category ?? ""}, ${chartAmount(top.value, unit)}` : ""),
    ];
  }
  return chart.series.map((x) => {
    const p = x.points.findLast((q) => q.value !== null);
    if (!p) return `${x.label}: no figures yet`;
    const yoy =
      p.yoyPct === null || p.yoyPct === undefined
        ? "no figure a year earlier to compare with"
        : `${p.yoyPct > 0 ? "+" : ""}${p.yoyPct}% on a year earlier`;
    return `${x.label}: ${chartAmount(p.value, unit)} in ${p.periodLabel ?? periodName(p.period)}, ${yoy}${p.revised ? " (revised)" : ""}`;
  });
}

// ---- small helpers -------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "gacc-editor-token";
const POLL_MS = 600;

const when = momentText;

/** A status badge in words ("Held back for review"); the status code stays as a class and data. */
function badge(status, kind = "run") {
  return el("span", { class: `badge status-${status}`, "data-status": status }, statusWord(kind, status));
}

/** Engineer detail, one click away: a <details> with a "Details" summary. */
function details(...children) {
  return el("details", { class: "details" }, el("summary", {}, "Details"), ...children);
}

/** A key → value list for "Details". */
function facts(pairs) {
  const dl = el("dl", { class: "facts" });
  for (const [k, v] of pairs)
    if (v !== undefined && v !== null && v !== "") dl.append(el("dt", {}, k), el("dd", {}, v));
  return dl;
}

/** The names of releases by id, from the last status (the words name releases as GACC does). */
let releaseNames = new Map();
const nameOf = (id) => releaseNames.get(id) ?? id;

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
    const count = st.total ? ` (${st.done ?? 0} of ${st.total})` : "";
    list.append(
      el(
        "li",
        { class: `stage stage-${st.status}`, "data-stage": st.name },
        el("strong", {}, stageWord(st.name)),
        " ",
        badge(st.status, "stage"),
        ` ${st.message}${count}`,
      ),
    );
  }
  return list;
}

/** Engineer detail of a run: id, stages with their messages, the pipeline's tally, raw errors. */
function runDetails(run, { warnings = true } = {}) {
  const box = details(
    facts([
      ["Run", run.runId],
      ["Kind", run.kind],
      ["Status", run.status],
      ["Started", run.startedAt],
      ["Finished", run.finishedAt],
      ["Tally", run.result?.summary],
    ]),
    stageList(run),
  );
  for (const e of run.result?.errors ?? [])
    box.append(el("p", { class: "error" }, `${e.stage} ${e.code}: ${e.message}`));
  if (warnings)
    for (const w of (run.result?.warnings ?? []).slice(0, 20)) box.append(el("p", { class: "warn" }, w));
  return box;
}

function renderStatus(st) {
  const box = $("status");
  box.replaceChildren();
  // At a glance: are the charts up to date, what came in last, what is next (and due?), what needs an editor.
  const g = statusGlance(st);
  box.append(
    el(
      "ul",
      { class: "glance", "aria-label": "At a glance" },
      el(
        "li",
        { class: `glance-charts state-${g.charts.state}`, "data-state": g.charts.state },
        g.charts.text,
      ),
      el("li", { class: "glance-last" }, g.lastIn),
      el("li", { class: `next-release state-${g.next.state}`, "data-state": g.next.state }, g.next.text),
      el(
        "li",
        {
          class: `glance-editor ${g.editor.count ? "state-needs" : "state-none"}`,
          "data-count": String(g.editor.count),
        },
        g.editor.text,
      ),
    ),
  );
  const run = st.latestRun;
  if (run) {
    box.append(
      el(
        "div",
        { class: "latest-run", "data-run": run.runId, "data-status": run.status },
        el("h3", {}, "Last run ", badge(run.status)),
        el("p", { class: "byline muted" }, runByline(run)),
        el("p", { class: "headline" }, runHeadline(run, nameOf)),
        runDetails(run),
      ),
    );
    if (run.result) box.append(whatsNew(run, el));
  } else {
    box.append(el("p", {}, "Nothing has run yet."));
  }
}

/** One review form: what is held back, why, and a reason field with an accept button. */
function acceptForm({ attrs, heading, meta, reasons, label, submit, detailsBox }) {
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
    el("ul", { class: "reasons" }, ...reasonTexts(reasons).map((x) => el("li", {}, x))),
    ...(detailsBox ? [detailsBox] : []),
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
        el(
          "li",
          { class: "revision" },
          `${labelText(p.label)}: ${chartAmount(p.previous, c.unit)} → ${chartAmount(p.value, c.unit)}`,
        ),
      );
    for (const p of c.newPoints)
      list.append(
        el("li", { class: "new-point" }, `${labelText(p.label)}: new, ${chartAmount(p.value, c.unit)}`),
      );
    for (const p of c.removedPoints)
      list.append(el("li", { class: "removed" }, `${labelText(p.label)}: removed`));
    const more = c.counts.newPoints + c.counts.revisions + c.counts.removedPoints - list.childElementCount;
    if (more > 0) list.append(el("li", { class: "muted" }, `… and ${more} more`));
    box.append(el("p", {}, el("strong", {}, c.title)), list);
  }
  return box;
}

/** Each finding as recorded, for "Details": check id, code, message, engineer detail, raw values. */
function findingsList(list) {
  const findings = el("ul", { class: "findings" });
  for (const f of list) {
    const raw = f.amounts
      ? ` — raw values${f.currency ? ` (${f.currency})` : ""}: ${Object.entries(f.amounts)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}`
      : "";
    const detail = f.detail ? ` — ${f.detail}` : "";
    findings.append(el("li", {}, `${f.check}${f.code ? ` (${f.code})` : ""}: ${f.message}${detail}${raw}`));
  }
  return findings;
}

/** Engineer detail of a release: its id, table, status code, and each finding with its raw values. */
function releaseFacts(r) {
  const findings = findingsList([...r.reasons, ...r.warnings]);
  return [
    facts([
      ["Release", r.releaseId],
      ["Source", r.source],
      ["Table", r.table],
      ["Period", r.period],
      ["Currency", r.currency],
      ["Status", r.status],
      ["Fetched", r.fetchedAt],
      ["Address", r.url],
    ]),
    ...(findings.childElementCount ? [el("p", {}, "Check findings:"), findings] : []),
  ];
}

const releaseDetails = (r) => details(...releaseFacts(r));

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
    try {
      const { ok, body } = await api(`/api/releases/${encodeURIComponent(r.releaseId)}/accept`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          reason: input.value,
          resolution: resolution(),
          previewSha256: preview.previewSha256,
        }),
      });
      if (!ok) {
        result.className = "result error";
        result.textContent = errorText(body);
        if (body.preview) showPreview(body.preview);
        return;
      }
      // The API checked the preview and started a run (202): it normalizes and publishes, checking the
      // preview once more; followed like a refresh. Its end reloads the page: this form goes once the
      // release is published, or comes back (still held back) with the reason the run gave.
      result.textContent = "Publishing as previewed: follow the run below.";
      renderProgress(body.run);
      await follow(body.runId);
      const { body: run } = await api(`/api/runs/${encodeURIComponent(body.runId)}`);
      const failed = run.stages?.find((s) => s.status === "failed");
      const again = document.querySelector(
        `form.accept-form[data-release="${CSS.escape(r.releaseId)}"] .result`,
      );
      if (again && failed) {
        again.className = "result error";
        again.textContent = failed.message;
      }
    } finally {
      busy--;
    }
  });
  const reasons = reasonTexts(r.reasons, r.period);
  form.append(
    el("h3", {}, r.name, " ", badge(r.status, "release")),
    el("p", { class: "headline" }, heldBackHeadline(r)),
    el(
      "p",
      { class: "muted" },
      r.upload
        ? `Uploaded ${when(r.fetchedAt)} by ${r.upload.uploadedBy}`
        : `Fetched ${when(r.fetchedAt)} · `,
      ...(r.upload ? [] : [el("a", { href: r.url }, "GACC's page")]),
    ),
    ...(reasons.length > 1
      ? [
          el("p", {}, "What the checks found:"),
          el("ul", { class: "reasons" }, ...reasons.map((x) => el("li", {}, x))),
        ]
      : []),
    releaseDetails(r),
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
        heading: [`${h.candidate?.title ?? h.chartId} `, badge("held", "chart")],
        meta: [
          `The new version (to ${periodName(h.candidate.latestPeriod ?? "")}) was not published: graphics still get the one from ${when(h.published.updatedAt)}.`,
        ],
        reasons: h.reasons,
        label: `Reason for publishing the chart ${h.candidate?.title ?? h.chartId}`,
        detailsBox: details(
          facts([
            ["Chart", h.chartId],
            ["Held", h.heldAt],
            ["Candidate", h.candidateSha256],
          ]),
          el("p", {}, "Guard findings:"),
          findingsList(h.reasons),
        ),
        submit: (reason, button, out) =>
          accept(
            `/api/charts/${encodeURIComponent(h.chartId)}/accept`,
            { reason, candidateSha256: h.candidateSha256 },
            button,
            out,
            h.chartId,
          ),
      }),
    );
  }
}

function renderReleases(st) {
  const box = $("releases");
  box.replaceChildren();
  const rows = st.releases.map((r) => [
    r.name ?? r.releaseId,
    el(
      "span",
      {},
      badge(r.status, "release"),
      r.acceptance ? ` ${r.acceptance.reading} (${r.acceptance.by})` : "",
      r.supersededBy ? " replaced by a later reading" : "",
    ),
    reasonTexts([...r.reasons, ...r.warnings], r.period).join(" ") || "—",
    when(r.fetchedAt),
    r.releaseId,
  ]);
  const all = el("details", {}, el("summary", {}, `All ${st.releases.length} releases`));
  all.append(table(["Release", "Status", "What the checks found", "Fetched", "Id"], rows, "releases"));
  box.append(all);
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
    auditActionWord(a.action),
    nameOf(a.target) + (a.details?.reason ? ` — “${a.details.reason}”` : ""),
    badge(a.result, "audit"),
    a.message ? details(el("p", {}, a.message)) : "",
  ]);
  box.append(table(["When", "Who", "What", "On", "Result", "Outcome"], rows, "audit"));
}

// ---- charts ------------------------------------------------------------------------------------------

function changeList(change, unit) {
  const box = el("div", { class: "changes" });
  if (!change) {
    box.append(el("p", { class: "muted" }, "Unchanged in the last run."));
    return box;
  }
  const c = change.counts;
  box.append(el("p", {}, el("strong", {}, "Last run: "), `${chartChangeText(c)}.`));
  const items = el("ul");
  for (const p of change.revisions)
    items.append(
      el(
        "li",
        { class: "revision" },
        `${labelText(p.label)}: revised from ${chartAmount(p.previous, unit)} to ${chartAmount(p.value, unit)}`,
      ),
    );
  for (const p of change.newPoints.slice(0, 6))
    items.append(
      el("li", { class: "new-point" }, `${labelText(p.label)}: ${chartAmount(p.value, unit)} (new)`),
    );
  if (change.newPoints.length > 6)
    items.append(el("li", { class: "muted" }, `… and ${plural(c.newPoints - 6, "more new figure")}`));
  for (const p of change.removedPoints)
    items.append(el("li", { class: "removed" }, `${labelText(p.label)}: removed`));
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
      "data-state": "published",
      "data-updated": chart.updatedAt ?? "",
    });
    card.append(
      el("h3", {}, chart.title),
      el("p", { class: "sub" }, `${chart.subtitle} · updated ${when(chart.updatedAt)}`),
    );
    card.append(previewBox(chart));
    card.append(el("ul", { class: "latest" }, ...latestLines(chart).map((t) => el("li", {}, t))));
    card.append(
      changeList(
        changes.find((c) => c.chartId === chart.id),
        chart.unit?.label ?? "",
      ),
    );
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
  // Charts with nothing to show yet have no files: index.json says why, in words, with no empty frame.
  for (const entry of index.charts.filter((e) => e.state === "awaiting-data")) {
    container.append(
      el(
        "article",
        { class: "chart awaiting", "data-chart": entry.id, "data-state": "awaiting-data" },
        el("h3", {}, entry.title),
        el("p", { class: "awaiting-text" }, awaitingText(entry.stateReason)),
        el("p", { class: "muted" }, "Graphics get no file for it until then: nothing empty is published."),
      ),
    );
  }
}

async function loadAll() {
  const { ok, status, body } = await api("/api/status");
  if (!ok) {
    // Deployed, reading needs a signed-in account too: API Gateway refuses before the API can explain.
    $("status").textContent =
      status === 401 ? "Sign in to see the status." : `Status is not available: ${errorText(body)}`;
    // The panels the status fills say so too, rather than "Loading…" for ever.
    for (const id of ["quarantined", "releases", "audit"])
      $(id).textContent = status === 401 ? "Sign in to see it." : "Not available: see Status above.";
    await renderCharts($("charts")).catch((e) => {
      $("charts").textContent = `Could not load charts: ${e.message}`;
    });
    return;
  }
  releaseNames = new Map(body.releases.map((r) => [r.releaseId, r.name]));
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
    el("p", {}, el("strong", {}, `${runByline(run)}: `), badge(run.status)),
    el("progress", {
      max: "100",
      value: String(Math.round(progressValue(run) * 100)),
      "aria-label": "Progress of the run",
    }),
    // While it runs, what it is doing; once it ends, the outcome is under "Last run" (said once).
    el(
      "p",
      { class: "headline" },
      run.status === "running"
        ? runHeadline(run, nameOf)
        : "Finished: what it did is under “Last run” above.",
    ),
    runDetails(run, { warnings: false }),
  );
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

async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A refused upload (nothing stored): the reason, and for a flow conflict the way to replace. */
function uploadRefused(out, body, flow) {
  out.replaceChildren();
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
}

// The API only stages the file and starts a run (202): the bytes go straight to the upload address it
// gives (deployed: a presigned S3 PUT, past the API's payload limits), and the run is followed like a
// refresh; reading and normalizing happen in the run, not in the request.
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
  $("upload-button").disabled = true;
  out.className = "result";
  out.dataset.state = "uploading";
  out.textContent = `Uploading ${file.name}…`;
  busy++;
  try {
    const bytes = await file.arrayBuffer();
    const about = { fileName: file.name, flow, ...(replace ? { replace: true } : {}) };
    const json = { "content-type": "application/json" };
    const slot = await api("/api/uploads", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ ...about, size: bytes.byteLength, sha256: await sha256Hex(bytes) }),
    });
    if (!slot.ok) return uploadRefused(out, slot.body, flow);
    // No editor token here: the address itself is the permission, for these bytes only.
    const sent = await fetch(slot.body.upload.url, {
      method: slot.body.upload.method,
      headers: slot.body.upload.headers,
      body: bytes,
    }).catch((e) => ({ ok: false, status: e.message }));
    if (!sent.ok) {
      out.className = "result error";
      out.dataset.state = "error";
      out.textContent = `${file.name} could not be sent (${sent.status}). Try again.`;
      return;
    }
    const started = await api(slot.body.start, {
      method: "POST",
      headers: json,
      body: JSON.stringify(about),
    });
    if (!started.ok) return uploadRefused(out, started.body, flow);
    out.textContent = `Reading ${file.name}: follow the run below.`;
    renderProgress(started.body.run);
    await follow(started.body.runId);
    const [{ body: run }, { body: status }] = await Promise.all([
      api(`/api/runs/${encodeURIComponent(started.body.runId)}`),
      api("/api/status"),
    ]);
    out.replaceChildren();
    const store = run.stages?.find((s) => s.name === "store");
    if (run.status === "failed") {
      out.className = "result error";
      out.dataset.state = "error";
      out.append(el("p", {}, store?.status === "failed" ? store.message : runHeadline(run, nameOf)));
      return;
    }
    const r = status.releases?.find((x) => x.releaseId === started.body.releaseId);
    if (r) releaseNames.set(r.releaseId, r.name);
    out.className = `result ${r?.status === "quarantined" ? "error" : "ok"}`;
    out.dataset.state = r?.status ?? "done";
    // The store stage says whether these bytes were new (functions/pipeline/upload-release.ts).
    const before = /^Already uploaded/.test(store?.message ?? "");
    const headline =
      r?.status === "quarantined"
        ? heldBackHeadline(r)
        : before
          ? `${file.name} was uploaded before, as the ${r?.name ?? "same file"}: nothing new. ${runHeadline(run, nameOf)}`
          : runHeadline(run, nameOf);
    out.append(el("p", { class: "headline" }, badge(r?.status ?? "unknown", "release"), " ", headline));
    // What the file held and which charts it changed — or why none, and which chart would use such
    // figures — are in the headline (wording.ts runHeadline, from the run's chartUse and effect).
    for (const x of (r?.warnings ?? []).slice(0, 5)) out.append(el("p", { class: "warn" }, `⚠ ${x.message}`));
    out.append(
      details(
        facts([
          ["File", file.name],
          ["Release", r?.releaseId ?? started.body.releaseId],
          ["Status", r?.status],
          ["Run", run.runId],
          ["Tally", run.result?.summary],
        ]),
        ...(r ? releaseFacts(r) : []),
      ),
    );
    $("upload-form").reset();
  } finally {
    busy--;
    $("upload-button").disabled = false;
  }
}

/**
 * Accepting a held-back chart: the API checks the hold and starts a run (202) that records the
 * acceptance and publishes, checking the hold once more; followed like a refresh. Its end reloads the
 * page: the chart's form goes once it is published, or comes back with the reason the run gave.
 */
async function accept(path, payload, button, out, chartId) {
  if (needToken()) return;
  if (!payload.reason.trim()) {
    out.className = "result error";
    out.textContent = "Say why it is safe to publish: the reason is kept in the audit log.";
    return;
  }
  button.disabled = true;
  out.className = "result";
  out.textContent = "Publishing…";
  busy++;
  try {
    const { ok, body } = await api(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
    });
    if (!ok) {
      button.disabled = false;
      out.className = "result error";
      out.textContent = errorText(body);
      return;
    }
    out.textContent = "Publishing the accepted version: follow the run below.";
    renderProgress(body.run);
    await follow(body.runId);
    const { body: run } = await api(`/api/runs/${encodeURIComponent(body.runId)}`);
    const failed = run.stages?.find((s) => s.status === "failed");
    const again = document.querySelector(
      `form.accept-form[data-chart-hold="${CSS.escape(chartId)}"] .result`,
    );
    if (again && failed) {
      again.className = "result error";
      again.textContent = failed.message;
    }
  } finally {
    busy--;
  }
}

// ---- start -------------------------------------------------------------------------------------------

if (typeof document !== "undefined" && document.getElementById("charts")) {
  pickTokenFromAddress();
  showSession();
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
  // Deployed, the sign-in completes first (a code to redeem, a token to refresh): a first request
  // sent without its token would be refused and sign the editor out again.
  loadConsoleConfig()
    .then(() => showSession())
    .then(() => loadAll())
    .catch((e) => {
      $("status").textContent = `Could not load the status: ${e.message}`;
    });
}
