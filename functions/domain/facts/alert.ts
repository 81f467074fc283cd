/**
 * The release alert: one message per run with new facts, for a newsroom's e-mail or chat
 * subscription. Subject names the chart and the headline change; body carries the sentences, their
 * caveats and the chart URLs. Pure: the SNS adapter only delivers it.
 */
import type { FactEntry } from "./facts-file.js";

export interface ChartNews {
  chartId: string;
  title: string;
  /** Stable URLs of the chart JSON and CSV. */
  url: string;
  csvUrl: string;
  facts: FactEntry[];
}

export interface ReleaseAlert {
  subject: string;
  body: string;
}

/** SNS subjects: ASCII only, no line breaks, under 100 characters. */
export const SUBJECT_MAX = 99;

/** The order headlines are picked in: a change first, then a year-to-date total, a rank, then anything. */
const HEADLINE_KINDS: FactEntry["kind"][] = [
  "change",
  "ytd",
  "rank",
  "revision",
  "high-low",
  "streak",
  "first-since",
];

function headline(news: ChartNews): FactEntry | undefined {
  for (const kind of HEADLINE_KINDS) {
    const f = news.facts.find((x) => x.kind === kind);
    if (f) return f;
  }
  return news.facts[0];
}

/** ASCII for an e-mail subject: en dash → hyphen, curly quotes → straight, anything else dropped. */
export function asciiSubject(text: string): string {
  const plain = text
    .replace(/[–—]/g, "-")
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[^\x20-\x7e]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length <= SUBJECT_MAX ? plain : `${plain.slice(0, SUBJECT_MAX - 3).trimEnd()}...`;
}

/** The alert for a run, or undefined when no chart has new facts (a re-run sends nothing). */
export function composeAlert(charts: ChartNews[]): ReleaseAlert | undefined {
  const withNews = charts.filter((c) => c.facts.length > 0);
  const first = withNews[0];
  if (!first) return undefined;
  const lead = headline(first);
  const more =
    withNews.length > 1 ? ` (+${withNews.length - 1} more chart${withNews.length > 2 ? "s" : ""})` : "";
  const subject = subjectLine(first.title, lead?.text ?? "new figures", more);
  const lines: string[] = [];
  for (const c of withNews) {
    lines.push(c.title, "");
    for (const f of c.facts) {
      lines.push(`- ${f.text}`);
      for (const cv of f.caveats) lines.push(`  Note: ${cv.text}`);
    }
    lines.push("", `Chart data: ${c.url}`, `CSV: ${c.csvUrl}`, "", "");
  }
  lines.push(
    "Every number above is in the chart files, each traced to its customs release (see provenance in the JSON).",
  );
  return { subject, body: `${lines.join("\n").trimEnd()}\n` };
}

/** "China's trade with Russia: China's imports from Russia rose 2.7% in August 2023 to $11.5 billion",
 * shortened clause by clause until it fits an SNS subject. */
function subjectLine(title: string, leadText: string, more: string): string {
  const clause = (leadText.split(", ")[0] ?? leadText).replace(/\.$/, "");
  const short = clause.replace(/(%) in (.+?) from a year earlier/, "$1 y/y in $2");
  const bare = short.replace(/ (to|at) [^ ]+ \w+( yuan| tonnes)?$/, "");
  // Longest first; "(+2 more charts)" goes before the amount does, the change never.
  const candidates = [`${short}${more}`, `${bare}${more}`, short, bare];
  for (const c of candidates) {
    const line = asciiSubject(`${title}: ${c}`);
    if (!line.endsWith("...")) return line;
  }
  return asciiSubject(`${title}: ${bare}`);
}
