/**
 * The tests the mutation run uses (vitest.mutation.config.ts) call no function of functions/ while
 * their file loads (at module level, in a describe body, in an it.each table): only inside a test or
 * a hook. To Stryker, code run while a file loads is covered by no test in particular, so every
 * mutant in it is "static" and costs a run of every test; one real page parsed in a describe body
 * made a few hundred such mutants (docs/testing.md, "Static mutants"). Read with the TypeScript
 * compiler.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import mutationConfig from "../../vitest.mutation.config.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** Methods of arrays and objects a test may call on an imported table while it loads. */
const DATA_METHODS = new Set(["map", "flatMap", "filter", "find", "slice", "entries", "keys", "values"]);

/** Names a file imports from functions/ (values, not types). */
function importedNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause?.isTypeOnly) continue;
    const from = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (!/^(\.\.\/)+functions\//.test(from)) continue;
    const clause = statement.importClause;
    if (clause?.name) names.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const e of bindings.elements) if (!e.isTypeOnly) names.add(e.name.text);
    }
  }
  return names;
}

/** Calls of code from functions/ made while the file loads, as "name (line N)". */
function callsWhileLoading(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imported = importedNames(source);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = callee.getText(source).replace(/\.(each|skip|only|skipIf\(.*\)|runIf\(.*\))$/, "");
      if (/^(it|test|beforeEach|afterEach|beforeAll|afterAll)$/.test(name)) {
        // A test's or hook's body runs inside the test; its name and it.each table do not.
        for (const arg of node.arguments) if (!ts.isFunctionLike(arg)) visit(arg);
        if (ts.isCallExpression(callee)) callee.arguments.forEach(visit);
        return;
      }
      if (/^describe/.test(name)) {
        // A describe body (describeWithSharedData's too) runs while the file loads.
        for (const arg of node.arguments) {
          if (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) visit(arg.body);
          else visit(arg);
        }
        if (ts.isCallExpression(callee)) callee.arguments.forEach(visit);
        return;
      }
      const root = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee) &&
            ts.isIdentifier(callee.expression) &&
            !DATA_METHODS.has(callee.name.text)
          ? callee.expression.text
          : undefined;
      if (root && imported.has(root)) {
        found.push(`${name} (line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1})`);
      }
    }
    // A function defined here runs only when called; its body is checked where it is called from no
    // test (which this does not follow: helpers are called from tests).
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return found;
}

function mutationTestFiles(): string[] {
  const excluded = new Set((mutationConfig.test?.exclude ?? []).map((p) => p.replace(/^test\/unit\//, "")));
  return readdirSync(join(ROOT, "test/unit"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .filter(
      (f) =>
        ![...excluded].some((e) => new RegExp(`^${e.replace(/\./g, "\\.").replace(/\*/g, ".*")}$`).test(f)),
    )
    .map((f) => relative(ROOT, join(ROOT, "test/unit", f)));
}

describe("tests of the number path run its code inside tests, not while they load", () => {
  it("finds such calls (a real page parsed in a describe body, a table built with a parser)", () => {
    const text = `
import { parsePage, partners } from "../../functions/domain/gacc/page.js";
import { rows } from "../../functions/domain/rows.js";
const cases = rows.map((r) => r);
describe("a page", () => {
  const parsed = parsePage("x");
  const helper = () => parsePage("y");
  it.each([partners.byName("Russia")])("%s", (p) => {
    expect(parsePage(p)).toBeDefined();
  });
  beforeAll(() => parsePage("z"));
});`;
    expect(callsWhileLoading("example.test.ts", text)).toEqual([
      "parsePage (line 6)",
      "partners.byName (line 8)",
    ]);
  });

  it("the mutation run's test files make none", () => {
    const files = mutationTestFiles();
    expect(files.length).toBeGreaterThan(30);
    expect(files).not.toContain("test/unit/facts.test.ts");
    const found = files.flatMap((f) =>
      callsWhileLoading(f, readFileSync(join(ROOT, f), "utf8")).map((c) => `${f}: ${c}`),
    );
    expect(found).toEqual([]);
  });
});
