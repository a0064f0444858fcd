/**
 * Workers of the Node build (and of TypeScript sources run by Node): `node:worker_threads`. The
 * browser build replaces this file with ./threads.browser (tsdown.config.ts). Node modules are
 * imported dynamically, so the file still loads in a runtime without them (where workers are
 * `unavailable`).
 *
 * The worker entry: from the built package, `worker.mjs` beside the bundle (tsdown.config.ts); from
 * TypeScript sources (tests, tsx scripts), a two-line bootstrap that registers tsx's loader in the
 * new thread and imports `worker.ts` (Node 20 does not apply `--import` from a Worker's execArgv).
 */
import type { ChainWorker, ThreadPlatform } from "./parallel";
import type { FromWorker, ToWorker } from "./worker-protocol";

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === "string";
}

/** How to start a worker: the entry's source (a file URL, or code to eval) and the entry's URL. */
export function workerEntry(): { source: string | URL; eval: boolean; entry: string } {
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(new URL(here).pathname)) {
    const entry = new URL("./worker.ts", here).href;
    // tsx is found from this file (workerData.tsx, see spawn), not from the working directory.
    const source =
      'const { workerData } = require("node:worker_threads");\n' +
      "import(workerData.tsx).then((api) => { api.register(); return import(workerData.entry); });\n";
    return { source, eval: true, entry };
  }
  const url = new URL("./worker.mjs", here);
  return { source: url, eval: false, entry: url.href };
}

/** Node's worker threads. */
export const threadPlatform: ThreadPlatform = {
  kind: "worker threads",
  unavailable: () =>
    isNode() ? undefined : "this is not Node.js; a browser bundler picks the browser build",
  async cores(): Promise<number> {
    const os = await import("node:os");
    return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  },
  async memory(): Promise<number | undefined> {
    const proc = process as { constrainedMemory?: () => number };
    try {
      const os = await import("node:os");
      const total = os.totalmem();
      const limit = typeof proc.constrainedMemory === "function" ? proc.constrainedMemory() : 0;
      return limit > 0 && limit < total ? limit : total;
    } catch {
      return undefined;
    }
  },
  async spawn(): Promise<ChainWorker> {
    const { Worker } = await import("node:worker_threads");
    const entry = workerEntry();
    const workerData: { entry: string; tsx?: string } = { entry: entry.entry };
    if (entry.eval) {
      const { createRequire } = await import("node:module");
      const { pathToFileURL } = await import("node:url");
      // tsx's ES module API, from its exports map (require.resolve would give the CommonJS one).
      const require = createRequire(import.meta.url);
      const manifest = require.resolve("tsx/package.json");
      const api = (require(manifest) as { exports: Record<string, { import: { default: string } }> }).exports[
        "./esm/api"
      ]!.import.default;
      workerData.tsx = new URL(api, pathToFileURL(manifest)).href;
    }
    const thread = new Worker(entry.source, { eval: entry.eval, workerData });
    let terminated = false;
    return {
      post: (message: ToWorker) => thread.postMessage(message),
      listen(onMessage: (message: FromWorker) => void, onFailure: (error: Error) => void) {
        thread.on("message", onMessage);
        thread.on("error", onFailure);
        thread.on("exit", (code: number) => {
          if (!terminated) onFailure(new Error(`a sampler worker thread exited with code ${code}`));
        });
      },
      terminate() {
        terminated = true;
        void thread.terminate();
      },
    };
  },
};
