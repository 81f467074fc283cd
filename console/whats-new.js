// "What's new" for a run: the release-fact sentences first said in it (functions/domain/facts), each
// with its caveats, and a button that copies them for a story or a chat. Read from the run's result
// (GET /api/status: latestRun.result.news); console.js places it under the latest run.

/** The text the copy button puts on the clipboard: per chart, its title, sentences and URL. */
export function newsText(news) {
  return news
    .map((n) =>
      [
        n.title,
        ...n.facts.flatMap((f) => [`- ${f.text}`, ...f.caveats.map((c) => `  Note: ${c}`)]),
        n.url,
      ].join("\n"),
    )
    .join("\n\n");
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard access (an insecure origin, a denied permission): copy through a selection.
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/** The "What's new" box for a finished run; `el` is console.js's element builder. */
export function whatsNew(run, el) {
  const news = run?.result?.news ?? [];
  const box = el("div", { class: "whats-new", "data-run": run?.runId ?? "" });
  box.append(el("h3", {}, "What's new"));
  if (news.length === 0) {
    box.append(el("p", { class: "muted" }, "No new facts in this run."));
    return box;
  }
  for (const n of news) {
    const list = el("ul", {});
    for (const f of n.facts) {
      const item = el("li", { class: "fact" }, f.text);
      for (const c of f.caveats) item.append(el("div", { class: "caveat" }, c));
      list.append(item);
    }
    box.append(el("h4", {}, el("a", { href: n.url }, n.title)), list);
  }
  const button = el("button", { type: "button", class: "copy-news" }, "Copy sentences");
  button.addEventListener("click", async () => {
    button.textContent = (await copy(newsText(news))) ? "Copied" : "Select the sentences to copy them";
  });
  box.append(button);
  return box;
}
