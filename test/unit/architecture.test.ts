/**
 * The layering, read from the import graph of the source (every `import`, `export … from` and
 * `import("…")` with a literal path, parsed by the TypeScript compiler):
 *
 * - the domain imports no other layer and no SDK or Lambda package;
 * - adapters import only the domain (and each other); pipeline code imports only the domain; the
 *   editors' API imports no handler and no composition root: one root (functions/composition.ts)
 *   builds every handler's and the API's dependencies, and only handlers and local/ import it;
 * - local/ imports functions/ statically and never writes process.env to configure it;
 * - the CDK app (infra/) imports from functions/ only the leaf modules below, which import no code
 *   at run time (a type or a data file at most), so synthesizing the stack loads no function code;
 * - functions/ has no import cycle at run time (a type-only import is erased, so it cannot close one).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

/** Facts the stack and the functions share: each imports no code, so infra may import it. */
const LEAVES = [
  "functions/adapters/dynamo-keys.ts",
  "functions/adapters/metric-names.ts",
  "functions/api/origin-verify.ts",
  "functions/domain/raw-keys.ts",
  "functions/domain/release-calendar.ts",
  "functions/domain/stages.ts",
];

/** Which folders of functions/ each layer may import besides its own. */
const MAY_IMPORT: Array<[string, string[]]> = [
  ["functions/domain", []],
  ["functions/adapters", ["functions/domain"]],
  ["functions/pipeline", ["functions/domain"]],
  ["functions/api", ["functions/domain", "functions/pipeline", "functions/adapters"]],
];

const ROOT_MODULE = "functions/composition.ts";

const SDK_PACKAGES = /^(@aws-sdk\/|@aws-lambda-powertools\/|aws-lambda$|@smithy\/)/;

interface Import {
  /** Repo-relative path of the imported file, or the package name. */
  target: string;
  /** True for `import type` / `export type` (erased at run time). */
  typeOnly: boolean;
  /** True for `import("…")`. */
  dynamic: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic = false) => {
    const target = specifier.startsWith(".")
      ? relative(ROOT, resolve(ROOT, dirname(file), specifier)).replace(/\.js$/, ".ts")
      : specifier;
    found.push({ target, typeOnly, dynamic });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const allNamedTypes =
        clause?.namedBindings !== undefined &&
        ts.isNamedImports(clause.namedBindings) &&
        clause.name === undefined &&
        clause.namedBindings.elements.length > 0 &&
        clause.namedBindings.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier.text, clause?.isTypeOnly === true || allNamedTypes);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const graph = new Map<string, Import[]>(
  ["functions", "infra", "local"].flatMap((d) => sourceFiles(d)).map((f) => [f, importsOf(f)]),
);

const inside = (file: string, folder: string) => file.startsWith(`${folder}/`);
const offending = (from: string, bad: (i: Import) => boolean) =>
  [...graph]
    .filter(([f]) => inside(f, from))
    .flatMap(([f, imports]) => imports.filter(bad).map((i) => `${f} → ${i.target}`));

describe("the import graph", () => {
  it("reads the source (a sanity check on the parser)", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("functions/adapters/metrics.ts")?.map((i) => i.target)).toContain(
      "functions/adapters/metric-names.ts",
    );
  });

  it.each(MAY_IMPORT)("%s imports from functions/ only itself and %j", (layer, allowed) => {
    const allowedFolders = [layer, ...allowed];
    expect(
      offending(
        layer,
        (i) =>
          i.target.startsWith("functions/") && !allowedFolders.some((folder) => inside(i.target, folder)),
      ),
    ).toEqual([]);
  });

  it("the domain imports no SDK or Lambda package", () => {
    expect(offending("functions/domain", (i) => SDK_PACKAGES.test(i.target))).toEqual([]);
  });

  it("only handlers and local/ import the composition root", () => {
    const importers = [...graph]
      .filter(([, imports]) => imports.some((i) => i.target === ROOT_MODULE && !i.typeOnly))
      .map(([f]) => f)
      .filter((f) => !inside(f, "functions/handlers") && !inside(f, "local"));
    expect(graph.has(ROOT_MODULE)).toBe(true);
    expect(importers).toEqual([]);
  });

  it("local/ imports functions/ statically and writes no process.env to configure it", () => {
    expect(offending("local", (i) => i.dynamic && i.target.startsWith("functions/"))).toEqual([]);
    const writes = [...graph.keys()]
      .filter((f) => inside(f, "local"))
      .filter((f) =>
        /Object\.assign\(\s*process\.env|process\.env\.[A-Z_]+\s*=(?!=)|process\.env\[[^\]]+\]\s*=(?!=)/.test(
          readFileSync(join(ROOT, f), "utf8"),
        ),
      )
      // The SDK's Node-version warning is the SDK's own setting, not functions/' configuration.
      .filter((f) => f !== "local/emulators.ts");
    expect(writes).toEqual([]);
  });

  it("the CDK app imports from functions/ only the leaf modules", () => {
    expect(
      offending("infra", (i) => i.target.startsWith("functions/") && !LEAVES.includes(i.target)),
    ).toEqual([]);
  });

  it.each(LEAVES)("%s imports no code at run time", (leaf) => {
    const imports = graph.get(leaf);
    expect(imports, `${leaf} is missing`).toBeDefined();
    const runtime = (imports ?? []).filter(
      (i) => !i.typeOnly && !i.target.startsWith("node:") && !/^data\/.*\.json$/.test(i.target),
    );
    expect(runtime).toEqual([]);
  });

  it("functions/ has no import cycle at run time", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const walk = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...path.slice(path.indexOf(file)), file].join(" → "));
        return;
      }
      state.set(file, "open");
      for (const i of graph.get(file) ?? [])
        if (!i.typeOnly && graph.has(i.target)) walk(i.target, [...path, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) if (inside(file, "functions")) walk(file, []);
    expect(cycles).toEqual([]);
  });
});
