/**
 * The package's builds (`npm run build`; package.json's "exports" names each file):
 * - dist/{index,node,examples}.{mjs,cjs}, with .d.mts / .d.cts types: the main entry, bayes-lmm/node
 *   and bayes-lmm/examples, for `import` and `require` (examples and the main entry's Node build also
 *   serve bundlers: only the main entry has a browser build of its own);
 * - dist/cli.mjs (the executable) and dist/worker.mjs (the worker threads' entry, found beside the
 *   bundle: samplers/threads.ts);
 * - dist/browser.mjs: the main entry for the "browser" condition. Its workers are module Web Workers
 *   (samplers/threads.browser.ts replaces samplers/threads.ts), whose code — samplers/worker-browser.ts
 *   bundled and minified — is inlined as a string (samplers/worker-source.ts), and its dependencies
 *   are bundled in: an application's bundler needs no plugin, no worker configuration and no flag.
 */
import { rolldown } from "rolldown";
import { defineConfig, type UserConfig } from "tsdown";

const SAMPLERS = new URL("./samplers/", import.meta.url).pathname;

/**
 * Bundles the browser worker into one minified script and returns its code: an IIFE in strict mode,
 * with no import or export, so that it runs alike as a module worker and as a classic one (a page
 * opened from a file has an opaque origin, from which Chromium loads no module worker).
 */
async function browserWorkerSource(): Promise<string> {
  const bundle = await rolldown({
    input: `${SAMPLERS}worker-browser.ts`,
    platform: "browser",
    logLevel: "warn",
    onLog(level, log) {
      throw new Error(`browser worker build: ${level}: ${log.message}`);
    },
  });
  const { output } = await bundle.generate({ format: "iife", minify: true });
  await bundle.close();
  if (output.length !== 1) throw new Error(`browser worker build: ${output.length} chunks, expected one`);
  return output[0].code;
}

/** The bundled dependencies' license notices, collected from the browser build (see renderChunk). */
const notices = new Set<string>();
const NOTICE_FILE = "browser.licenses.txt";

/** The browser build's substitutions (see the file comment). */
const browserPlatform = {
  name: "bayes-lmm:browser-platform",
  async resolveId(source: string, importer: string | undefined) {
    if (importer?.startsWith(SAMPLERS) && source === "./threads") return `${SAMPLERS}threads.browser.ts`;
    return null;
  },
  // The dependencies (CommonJS) are bundled in, each behind a lazy `require_x()`; marking the calls
  // that import them pure lets an application's bundler drop those it does not use (lmm + reml
  // alone carry no @stdlib code), as it would have had they stayed separate modules.
  // Their license comments (411 of them, 46 distinct, 50 KB) move to one file beside the bundle,
  // named by one comment at its top (on the first line: no line moves): an application's bundler keeps every legal comment of a file it
  // bundles, used or not, so left in place they would weigh on every application (65 KB of comments
  // for lmm + reml alone, which carry no @stdlib code).
  renderChunk(code: string) {
    const pure = code
      .replace(/__toESM\((require_[\w$]+)\(\)/g, "__toESM(/* @__PURE__ */ $1()")
      .replace(
        /__toESM\(\(\/\* @__PURE__ \*\/ __commonJSMin\(/g,
        "__toESM(/* @__PURE__ */ (/* @__PURE__ */ __commonJSMin(",
      );
    const stripped = pure.replace(/\/\*(?:(?!\*\/)[\s\S])*?@license(?:(?!\*\/)[\s\S])*?\*\//g, (comment) => {
      notices.add(
        comment
          .replace(/^\s*\* ?/gm, "")
          .replace(/^\/\*+|\*+\/$/g, "")
          .trim(),
      );
      // As many line breaks as the comment had, so that the source map's lines stay right.
      return "\n".repeat(comment.split("\n").length - 1);
    });
    return `/*! bayes-lmm's browser build. It bundles @stdlib packages (Apache-2.0, with parts under the Boost and FreeBSD notices) and fft.js (MIT): their license notices are in ${NOTICE_FILE} beside this file. */ ${stripped}`;
  },
  generateBundle() {
    const texts = [...notices].sort();
    const head = [
      "License notices of the code bundled into browser.mjs (bayes-lmm's browser build).",
      "",
      "fft.js 4.0.4: MIT License, Copyright Fedor Indutny.",
      "",
      `The @stdlib packages: Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0); their ${texts.length} distinct notices:`,
    ];
    (this as unknown as { emitFile(file: object): void }).emitFile({
      type: "asset",
      fileName: NOTICE_FILE,
      source: `${[...head, ...texts.map((t) => `\n----\n${t}`)].join("\n")}\n`,
    });
  },
  async load(id: string) {
    if (id !== `${SAMPLERS}worker-source.ts`) return null;
    return `export const WORKER_SOURCE = ${JSON.stringify(await browserWorkerSource())};\n`;
  },
};

const common: UserConfig = { target: "node20", sourcemap: true, platform: "node" };

export default defineConfig([
  {
    ...common,
    entry: { index: "src/index.ts", node: "src/node/index.ts", examples: "src/examples/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    // import.meta.url in the CommonJS build (samplers/threads.ts finds worker.mjs beside the bundle).
    shims: true,
  },
  {
    ...common,
    entry: { cli: "src/cli/main.ts", worker: "samplers/worker.ts" },
    format: "esm",
    dts: false,
  },
  {
    entry: { browser: "src/index.ts" },
    format: "esm",
    platform: "browser",
    target: "es2022",
    fixedExtension: true,
    sourcemap: true,
    dts: false,
    deps: { alwaysBundle: [/^@stdlib\//, "fft.js"] },
    plugins: [browserPlatform],
  },
]);
