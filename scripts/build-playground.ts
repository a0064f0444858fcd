/**
 * Builds the playground (playground/) into one self-contained HTML file, playground/dist/index.html,
 * that opens from disk — no server: its script is inlined (a module script from a file:// page would
 * be refused), its fit worker is inlined as a string and started from a Blob URL, and the package is
 * the built browser entry (dist/browser.mjs, so run `npm run build` first; `npm ci` does).
 *
 *     npx tsx scripts/build-playground.ts        (npm run playground)
 *
 * The playground's TypeScript is type-checked first (playground/tsconfig.json: DOM types, the
 * package's built .d.mts).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as esbuild from "esbuild";

const repo = resolve(import.meta.dirname, "..");
const playground = join(repo, "playground");

/** Builds it; returns the HTML file's path. */
export async function buildPlayground(): Promise<string> {
  for (const file of ["dist/browser.mjs", "dist/examples.mjs", "dist/index.d.mts"])
    if (!existsSync(join(repo, file))) throw new Error(`${file} is missing: run npm run build first`);
  execFileSync(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", playground], {
    stdio: "inherit",
  });
  const common: esbuild.BuildOptions = {
    bundle: true,
    minify: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    write: false,
    logLevel: "warning",
    // The bundled @stdlib modules' license notices stay, at the end of each script.
    legalComments: "eof",
    alias: {
      "bayes-lmm": join(repo, "dist/browser.mjs"),
      "bayes-lmm/examples": join(repo, "dist/examples.mjs"),
    },
  };
  const worker = await esbuild.build({ ...common, entryPoints: [join(playground, "fit-worker.ts")] });
  const page = await esbuild.build({
    ...common,
    entryPoints: [join(playground, "main.ts")],
    define: { FIT_WORKER_SOURCE: JSON.stringify(worker.outputFiles![0]!.text) },
  });
  for (const r of [worker, page])
    if (r.errors.length + r.warnings.length > 0)
      throw new Error("the playground's bundle has errors or warnings");
  const script = page.outputFiles![0]!.text.replace(/<\/script/gi, "<\\/script");
  const template = readFileSync(join(playground, "index.html"), "utf8");
  if (!template.includes("<script>/*PLAYGROUND*/</script>")) throw new Error("index.html has no script slot");
  const html = template.replace("<script>/*PLAYGROUND*/</script>", () => `<script>${script}</script>`);
  mkdirSync(join(playground, "dist"), { recursive: true });
  const out = join(playground, "dist", "index.html");
  writeFileSync(out, html);
  return out;
}

if (process.argv[1]?.endsWith("build-playground.ts")) {
  const out = await buildPlayground();
  console.log(`wrote ${out} (${(readFileSync(out).length / 1024).toFixed(0)} KB); open it in a browser`);
}
