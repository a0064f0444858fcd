/**
 * The package as its users get it (CI runs this; not part of `npm test`):
 *
 * 1. `npm pack` (its `prepare` step builds dist/), then publint and @arethetypeswrong/cli on the
 *    tarball — neither may report anything;
 * 2. the tarball installed into a new project in a temporary folder, and the README's Quick start —
 *    read from README.md, not copied — run there: as an ES module (`import`), as CommonJS
 *    (`require`), and compiled by tsc with node16 (ESM and CommonJS), bundler and node10 module
 *    resolution, each with skipLibCheck off (our .d.mts / .d.cts are checked); every run must print
 *    the README's output block;
 * 3. an application importing the main entry bundled for the browser by esbuild, Vite and Rollup
 *    (each with its ordinary settings: no plugin or flag for this package; Rollup with the usual
 *    node-resolve in browser mode), with no warning; each bundle is then run and must give the same
 *    numbers as the package in Node;
 * 4. the bundle sizes (minified, gzip) of the main entry and of `lmm` + `reml` alone (tree-shaken).
 *
 *     npx tsx scripts/package-check.ts [--keep]      (--keep: leave the temporary project)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { readmePrograms, readReadme } from "../test/readme-blocks";

const repo = resolve(import.meta.dirname, "..");
const bin = (name: string) => join(repo, "node_modules", ".bin", name);
const keep = process.argv.includes("--keep");
const failures: string[] = [];

function step(name: string): void {
  console.log(`\n== ${name}`);
}
function fail(message: string): void {
  failures.push(message);
  console.log(`FAIL ${message}`);
}
function ok(message: string): void {
  console.log(`ok   ${message}`);
}
function run(
  command: string,
  args: string[],
  cwd: string,
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
const normalize = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n+$/, "");

// ---------------------------------------------------------------------------------------------------
// The README's Quick start and what it prints.
const quick = readmePrograms(readReadme()).find((p) => p.block.section === "Quick start");
if (quick === undefined || quick.output === undefined)
  throw new Error("README.md: no Quick start with an output block");
const quickCode = quick.block.code;
const expected = normalize(quick.output);

/** The Quick start as CommonJS: imports become requires, the rest runs in an async function. */
function asCommonJs(code: string): string {
  const requires: string[] = [];
  const body = code.replace(
    /^import\s*\{([^}]*)\}\s*from\s*("[^"]+");?/gm,
    (_, names: string, from: string) => {
      requires.push(`const {${names}} = require(${from});`);
      return "";
    },
  );
  return `${requires.join("\n")}\n(async () => {\n${body}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;
}

const work = mkdtempSync(join(tmpdir(), "bayes-lmm-package-"));
try {
  // -------------------------------------------------------------------------------------------------
  step("npm pack");
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], {
    cwd: repo,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop()!;
  const tarball = join(work, packed);
  const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
  for (const file of [
    "package/LICENSE",
    "package/README.md",
    "package/examples/sleepstudy.csv",
    "package/dist/browser.mjs",
  ])
    if (listing.includes(file)) ok(`the tarball has ${file.slice(8)}`);
    else fail(`the tarball lacks ${file.slice(8)}`);
  if (listing.some((f) => f.startsWith("package/src/") || f.startsWith("package/test/")))
    fail("the tarball ships sources or tests");

  step("publint");
  const publint = run(bin("publint"), ["run", tarball, "--strict"], repo);
  process.stdout.write(publint.stdout);
  if (publint.status !== 0 || !/All good!/.test(publint.stdout)) fail("publint reported a problem");
  else ok("publint: all good");

  step("@arethetypeswrong/cli");
  const attw = run(bin("attw"), [tarball, "--format", "ascii"], repo);
  process.stdout.write(attw.stdout);
  if (attw.status !== 0 || !/No problems found/.test(attw.stdout)) fail("attw reported a problem");
  else ok("attw: no problems in node10, node16 (CJS and ESM) and bundler resolution");

  // -------------------------------------------------------------------------------------------------
  step("install the tarball into a new project");
  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "app", private: true, type: "module" }, null, 2),
  );
  const install = run(
    "npm",
    ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
    app,
  );
  if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
  ok(`installed ${packed}`);

  const check = (name: string, r: { status: number; stdout: string; stderr: string }) => {
    if (r.status !== 0) fail(`${name}: exited ${r.status}\n${r.stderr.slice(0, 2000)}`);
    else if (normalize(r.stdout) !== expected)
      fail(`${name}: printed other than the README's output block:\n${r.stdout}`);
    else ok(`${name}: the Quick start printed the README's output`);
  };

  step("the Quick start through import and require");
  writeFileSync(join(app, "quickstart.mjs"), quickCode);
  check("node quickstart.mjs (import)", run(process.execPath, ["quickstart.mjs"], app));
  writeFileSync(join(app, "quickstart.cjs"), asCommonJs(quickCode));
  check("node quickstart.cjs (require)", run(process.execPath, ["quickstart.cjs"], app));

  step("the Quick start compiled by tsc (skipLibCheck off)");
  const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
  const typeRoots = [join(repo, "node_modules", "@types")];
  const variants: {
    name: string;
    type: "module" | "commonjs";
    options: Record<string, unknown>;
    cjs: boolean;
  }[] = [
    {
      name: "node16, ESM",
      type: "module",
      options: { module: "node16", moduleResolution: "node16" },
      cjs: false,
    },
    {
      name: "node16, CommonJS",
      type: "commonjs",
      options: { module: "node16", moduleResolution: "node16" },
      cjs: true,
    },
    {
      name: "bundler",
      type: "module",
      options: { module: "esnext", moduleResolution: "bundler" },
      cjs: false,
    },
    {
      name: "node10",
      type: "commonjs",
      options: { module: "commonjs", moduleResolution: "node10", ignoreDeprecations: "6.0" },
      cjs: true,
    },
  ];
  for (const v of variants) {
    const dir = join(app, `tsc-${v.name.replace(/[^a-z0-9]+/gi, "-")}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: v.type }));
    // A CommonJS program cannot await at its top level: the same code in an async function.
    const code = v.cjs
      ? quickCode.replace(/^((?:import[^\n]*\n)+)([\s\S]*)$/, "$1(async () => {\n$2\n})();\n")
      : `${quickCode}\nexport {};\n`;
    writeFileSync(join(dir, "quickstart.ts"), code);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          lib: ["es2023"],
          strict: true,
          skipLibCheck: false,
          typeRoots,
          types: ["node"],
          outDir: "out",
          ...v.options,
        },
        files: ["quickstart.ts"],
      }),
    );
    const compiled = run(process.execPath, [tsc, "-p", dir], app);
    if (compiled.status !== 0) {
      fail(`tsc (${v.name}): ${compiled.stdout}${compiled.stderr}`);
      continue;
    }
    ok(`tsc (${v.name}) compiles the Quick start against the package's types`);
    writeFileSync(join(dir, "out", "package.json"), JSON.stringify({ type: v.type }));
    check(
      `its output run by node (${v.name})`,
      run(process.execPath, [join(dir, "out", "quickstart.js")], app),
    );
  }

  // -------------------------------------------------------------------------------------------------
  step("bundlers: the main entry in a browser application");
  // The application: a model, a REML fit and a short serial run; it exports what it computed, so
  // that each bundle can be run and compared with the package in Node.
  const web = join(app, "web");
  mkdirSync(web);
  const appCode = `import { gibbs, lmm, parseCsv, reml } from "bayes-lmm";
import { sleepstudy } from "bayes-lmm/examples";

export async function run() {
  const model = lmm("Reaction ~ Days + (Days | Subject)", parseCsv(sleepstudy));
  const fit = reml(model);
  const post = await gibbs(model, { iter: 300, warmup: 100, chains: 2, seed: 3, parallel: false });
  let sum = 0;
  for (const v of post.values) sum += v;
  return { beta: Array.from(fit.beta), theta: Array.from(fit.theta), sum };
}
if (typeof document !== "undefined") run().then((r) => { document.body.textContent = JSON.stringify(r); });
`;
  writeFileSync(join(web, "main.js"), appCode);
  writeFileSync(
    join(web, "index.html"),
    '<!doctype html>\n<html><head><meta charset="utf-8"><title>app</title></head>\n<body><script type="module" src="./main.js"></script></body></html>\n',
  );
  const reference = await (await import(pathToFileURL(join(web, "main.js")).href)).run();
  const same = (name: string, r: unknown) => {
    if (JSON.stringify(r) === JSON.stringify(reference))
      ok(`${name}: the bundle runs and gives Node's numbers`);
    else fail(`${name}: the bundle's numbers differ from Node's: ${JSON.stringify(r)}`);
  };

  const esbuild = await import("esbuild");
  const built = await esbuild.build({
    entryPoints: [join(web, "main.js")],
    bundle: true,
    platform: "browser",
    format: "esm",
    outfile: join(web, "esbuild", "main.mjs"),
    logLevel: "silent",
  });
  if (built.errors.length + built.warnings.length > 0)
    fail(`esbuild: ${[...built.errors, ...built.warnings].map((m) => m.text).join("; ")}`);
  else ok("esbuild --bundle --platform=browser: no error, no warning");
  same("esbuild", await (await import(pathToFileURL(join(web, "esbuild", "main.mjs")).href)).run());

  const vite = await import("vite");
  const viteMessages: string[] = [];
  const logger = vite.createLogger("warn");
  logger.warn = (msg) => viteMessages.push(`warning: ${msg}`);
  logger.warnOnce = (msg) => viteMessages.push(`warning: ${msg}`);
  logger.error = (msg) => viteMessages.push(`error: ${msg}`);
  await vite.build({
    root: web,
    configFile: false,
    logLevel: "warn",
    customLogger: logger,
    build: { outDir: join(web, "vite"), emptyOutDir: true, minify: true },
  });
  if (viteMessages.length > 0) fail(`vite build: ${viteMessages.join("\n")}`);
  else ok("vite build (index.html → main.js): no error, no warning");
  const viteChunk = readdirSync(join(web, "vite", "assets")).find((f) => f.endsWith(".js"))!;
  // Vite's output is a page's script (its exports dropped): run it as a page would, on a stub body.
  const viteBody = { textContent: "" };
  (globalThis as { document?: unknown }).document = {
    body: viteBody,
    // Vite's module-preload polyfill looks here first, and stops when the browser supports it.
    createElement: () => ({ relList: { supports: () => true } }),
    querySelectorAll: () => [],
  };
  await import(pathToFileURL(join(web, "vite", "assets", viteChunk)).href);
  for (let i = 0; i < 600 && viteBody.textContent === ""; i++) await new Promise((r) => setTimeout(r, 50));
  delete (globalThis as { document?: unknown }).document;
  same("vite", viteBody.textContent === "" ? "(nothing)" : JSON.parse(viteBody.textContent));

  const { rollup } = await import("rollup");
  const { nodeResolve } = await import("@rollup/plugin-node-resolve");
  const rollupWarnings: string[] = [];
  const bundle = await rollup({
    input: join(web, "main.js"),
    plugins: [nodeResolve({ browser: true })],
    onwarn: (w) => rollupWarnings.push(w.message),
  });
  await bundle.write({ file: join(web, "rollup", "main.mjs"), format: "es" });
  await bundle.close();
  if (rollupWarnings.length > 0) fail(`rollup: ${rollupWarnings.join("; ")}`);
  else ok("rollup with @rollup/plugin-node-resolve({ browser: true }): no warning");
  same("rollup", await (await import(pathToFileURL(join(web, "rollup", "main.mjs")).href)).run());

  // -------------------------------------------------------------------------------------------------
  // The browser build keeps its dependencies' license notices in dist/browser.licenses.txt, so what
  // esbuild's defaults leave is code (and the one comment naming that file).
  step("bundle sizes (esbuild --bundle --minify --platform=browser, gzip -9)");
  const sizes: [string, string][] = [
    ["the main entry (everything)", 'export * from "bayes-lmm";'],
    ["lmm + reml alone (tree-shaken)", 'export { lmm, reml } from "bayes-lmm";'],
    ["lmm + reml + gibbs", 'export { gibbs, lmm, reml } from "bayes-lmm";'],
  ];
  console.log("| bundle | minified | gzip |\n|---|---:|---:|");
  for (const [k, [name, code]] of sizes.entries()) {
    const file = join(web, `size-${k}.js`);
    writeFileSync(file, code);
    const r = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      minify: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const bytes = r.outputFiles[0]!.contents;
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`| ${name} | ${kb(bytes.length)} | ${kb(gzipSync(bytes, { level: 9 }).length)} |`);
    if (k !== 0) continue;
    // Code-split (as Vite and Rollup build by default): the entry chunk, without what is imported
    // only when needed (the Parquet decompressors: src/data/parquet.ts).
    const split = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      minify: true,
      platform: "browser",
      format: "esm",
      splitting: true,
      outdir: join(web, "split"),
      write: false,
      logLevel: "silent",
    });
    const entry = split.outputFiles.find((f) => f.path.endsWith(`size-${k}.js`))!.contents;
    console.log(
      `| ${name}, code-split: the entry chunk | ${kb(entry.length)} | ${kb(gzipSync(entry, { level: 9 }).length)} |`,
    );
  }
} finally {
  if (keep) console.log(`\n(kept ${work})`);
  else rmSync(work, { recursive: true, force: true });
}

const summary = `package check: ${failures.length === 0 ? "all passed" : `${failures.length} failed`}`;
console.log(`\n${summary}`);
for (const f of failures) console.log(`  - ${f.split("\n")[0]}`);
process.exit(failures.length === 0 ? 0 : 1);
