/**
 * One home for checks: every rule has one id and a severity, docs/checks.md lists each id, and the
 * parsers name no check id themselves (every finding comes through a rule in functions/domain/checks/).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHECK_RULES, checkRule, findingSink, flag } from "../../../functions/domain/checks/index.js";
import * as ruleFiles from "../../../functions/domain/checks/rules.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

describe("check rules", () => {
  it("have one id each, lower-case words joined by hyphens", () => {
    const ids = CHECK_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    for (const rule of CHECK_RULES) expect(checkRule(rule.id)).toBe(rule);
    expect(checkRule("month-vs-ytd")).toBeUndefined();
  });

  it("are all in CHECK_RULES: every rule the rule files export, once", () => {
    const exported = Object.values(ruleFiles).filter(
      (v): v is (typeof CHECK_RULES)[number] => typeof v === "object" && v !== null && "severity" in v,
    );
    expect(exported.length).toBeGreaterThan(20);
    expect(new Set(CHECK_RULES)).toEqual(new Set(exported));
    expect(CHECK_RULES.length).toBe(exported.length);
  });

  it("record a finding in the list their severity names", () => {
    for (const rule of CHECK_RULES) {
      const s = findingSink();
      flag(rule, s, "why");
      expect(rule.severity === "blocking" ? s.blocking : s.warnings).toEqual([
        { check: rule.id, message: "why" },
      ]);
      expect(rule.severity === "blocking" ? s.warnings : s.blocking).toEqual([]);
    }
  });

  it("are each listed in docs/checks.md, with their severity", () => {
    const doc = readFileSync(join(ROOT, "docs/checks.md"), "utf8");
    for (const rule of CHECK_RULES) {
      const line = doc.split("\n").find((l) => l.startsWith(`| \`${rule.id}\``));
      expect(line, rule.id).toBeDefined();
      expect(line).toContain(rule.severity === "blocking" ? "holds back" : "warns");
    }
  });

  it("are the only place a parser's finding gets its id", () => {
    const parsers = [...sourcesUnder("functions/domain/gacc"), ...sourcesUnder("functions/domain/query-csv")];
    expect(parsers.length).toBeGreaterThan(5);
    for (const file of parsers) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/check:\s*["'`]/);
      expect(text, file).not.toMatch(/\bfinding\(\s*["'`]/);
    }
  });
});
