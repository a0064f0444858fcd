/**
 * The README cannot lie: every ```ts block of README.md type-checks and runs, in order, and prints
 * what the ```text output block after it says (conventions: test/readme-blocks.ts; shared setup:
 * test/readme-setup.ts). Each block becomes a module in a temporary folder: `bayes-lmm`,
 * `bayes-lmm/node` and `bayes-lmm/examples` point at the sources, and the package's and the setup's
 * names the block uses without declaring are imported for it. A new block needs nothing here.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import * as examples from "../src/examples/index";
import * as main from "../src/index";
import * as node from "../src/node/index";
import { readmePrograms, readReadme } from "./readme-blocks";
import * as setup from "./readme-setup";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = (path: string) => join(root, path).replace(/\\/g, "/");
const ENTRIES = {
  "bayes-lmm": { path: source("src/index"), file: "src/index.ts", values: Object.keys(main) },
  "bayes-lmm/node": { path: source("src/node/index"), file: "src/node/index.ts", values: Object.keys(node) },
  "bayes-lmm/examples": {
    path: source("src/examples/index"),
    file: "src/examples/index.ts",
    values: Object.keys(examples),
  },
  setup: { path: source("test/readme-setup"), file: "test/readme-setup.ts", values: Object.keys(setup) },
} as const;

/** Every name a module exports, values and types, from its source text. */
function exportedNames(file: string): Set<string> {
  const text = ts.sys.readFile(join(root, file)) ?? "";
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause))
      for (const e of st.exportClause.elements) names.add(e.name.text);
    const modifiers = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if (
      (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isFunctionDeclaration(st)) &&
      st.name
    )
      names.add(st.name.text);
  }
  return names;
}

/** name → [entry, value or type] for every name a block may use undeclared; the setup wins a tie. */
const AVAILABLE = new Map<string, { specifier: keyof typeof ENTRIES; type: boolean }>();
for (const specifier of Object.keys(ENTRIES) as (keyof typeof ENTRIES)[]) {
  const entry = ENTRIES[specifier];
  for (const name of exportedNames(entry.file))
    AVAILABLE.set(name, { specifier, type: !(entry.values as readonly string[]).includes(name) });
}

/** The names a block declares at its top level (imports included), and every identifier in it. */
function namesOf(code: string): { declared: Set<string>; used: Set<string> } {
  const sf = ts.createSourceFile("block.ts", code, ts.ScriptTarget.Latest, true);
  const declared = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) declared.add(name.text);
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (clause?.name) declared.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings))
        for (const e of bindings.elements) declared.add(e.name.text);
      if (bindings && ts.isNamespaceImport(bindings)) declared.add(bindings.name.text);
    } else if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bind(d.name);
    else if (
      (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st)) &&
      st.name
    )
      declared.add(st.name.text);
    else if (ts.isTypeAliasDeclaration(st)) declared.add(st.name.text);
  }
  const used = new Set<string>();
  const visit = (n: ts.Node) => {
    if (ts.isIdentifier(n)) used.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { declared, used };
}

/** The module a block becomes. */
function moduleOf(code: string): string {
  const { declared, used } = namesOf(code);
  const imports = new Map<string, string[]>();
  for (const name of used) {
    const found = AVAILABLE.get(name);
    if (found === undefined || declared.has(name)) continue;
    const list = imports.get(found.specifier) ?? [];
    list.push(found.type ? `type ${name}` : name);
    imports.set(found.specifier, list);
  }
  const header = [...imports].map(
    ([specifier, names]) =>
      `import { ${names.join(", ")} } from ${JSON.stringify(ENTRIES[specifier as keyof typeof ENTRIES].path)};`,
  );
  const body = code.replace(
    /(from\s+|import\s*\(\s*)(["'])(bayes-lmm(?:\/node|\/examples)?)\2/g,
    (_, lead: string, quote: string, specifier: keyof typeof ENTRIES) =>
      `${lead}${quote}${ENTRIES[specifier].path}${quote}`,
  );
  return `${header.join("\n")}\n${body}\nexport {};\n`;
}

const programs = readmePrograms(readReadme());
const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-readme-"));
const files = programs.map((p, k) => {
  const file = join(dir, `block-${String(k + 1).padStart(2, "0")}-line-${p.block.line}.ts`);
  writeFileSync(file, moduleOf(p.block.code));
  return file;
});
// Blocks run in a folder of their own, so that a file a block writes ("sleep.nc") lands there, not in
// the repository; the repository's top-level files and folders are linked into it, for the blocks
// that read data by path (examples/sleepstudy.csv, test/fixtures/...).
const cwd = join(dir, "cwd");
mkdirSync(cwd);
for (const entry of readdirSync(root)) if (entry !== ".git") symlinkSync(join(root, entry), join(cwd, entry));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function normalize(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n+$/, "");
}

describe("README.md", () => {
  it("has TypeScript blocks, the Quick start's with its printed output", () => {
    expect(programs.length).toBeGreaterThanOrEqual(4);
    expect(programs[0]?.block.section).toBe("Quick start");
    expect(programs[0]?.output).toBeDefined();
  });

  it("every ```ts block type-checks (the project's strict settings)", () => {
    const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile).config;
    const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
    // A README line may show a value without using it (`fit.beta;`): unused names are no error here.
    const program = ts.createProgram(files, { ...options, noUnusedLocals: false, noUnusedParameters: false });
    const problems: string[] = [];
    files.forEach((file, k) => {
      const sf = program.getSourceFile(file)!;
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])
        problems.push(`${programs[k]!.where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    });
    expect(problems).toEqual([]);
  });

  it("every ```json block parses", () => {
    const json = readReadme()
      .split(/^```json\s*$/m)
      .slice(1);
    for (const chunk of json) expect(() => JSON.parse(chunk.split(/^```\s*$/m)[0]!)).not.toThrow();
  });

  programs.forEach((program, k) => {
    it(`runs ${program.where}${program.output === undefined ? "" : " and prints its output block"}`, async () => {
      const printed: string[] = [];
      const log = console.log;
      const home = process.cwd();
      console.log = (...args: unknown[]) => printed.push(args.map(String).join(" "));
      process.chdir(cwd);
      try {
        await import(pathToFileURL(files[k]!).href);
      } finally {
        console.log = log;
        process.chdir(home);
      }
      if (program.output !== undefined) expect(normalize(printed.join("\n"))).toBe(normalize(program.output));
    });
  });
});
