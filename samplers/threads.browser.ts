/**
 * Workers of the browser build: module Web Workers started from a Blob URL of the bundled worker
 * (./worker-source, filled in by tsdown.config.ts), so that an application's bundler (esbuild, Vite,
 * Rollup, webpack) needs no worker configuration and copies no file. Replaces ./threads in that build.
 * A page with an opaque origin (opened from a file) gets classic workers of the same code instead:
 * Chromium loads no module worker there (the worker code has no import or export, so it runs alike).
 * A page whose Content-Security-Policy forbids `blob:` workers can run chains in workers of its own
 * (./chains: `chainTasks`, `runChain`, `mergeChains`).
 */
import type { ChainWorker, ThreadPlatform } from "./parallel";
import type { FromWorker, ToWorker } from "./worker-protocol";
import { WORKER_SOURCE } from "./worker-source";

/** The parts of the DOM's Worker, Blob and URL this file uses (the DOM's types are not in our lib). */
interface WebWorker {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: { data: FromWorker }) => void) | null;
  onerror: ((event: { message?: string; preventDefault(): void }) => void) | null;
  onmessageerror: (() => void) | null;
}
interface BrowserGlobals {
  Worker?: new (url: string, options: { type: "module" | "classic"; name?: string }) => WebWorker;
  Blob?: new (parts: string[], options: { type: string }) => object;
  URL: { createObjectURL?(blob: object): string };
  navigator?: { hardwareConcurrency?: number };
  /** The page's origin: "null" when opaque. */
  origin?: string;
}

const web = globalThis as unknown as BrowserGlobals;
let workerUrl: string | undefined;

/** Browsers' module Web Workers. */
export const threadPlatform: ThreadPlatform = {
  kind: "Web Workers",
  unavailable() {
    if (typeof web.Worker !== "function") return "this runtime has no Worker";
    if (typeof web.Blob !== "function" || typeof web.URL.createObjectURL !== "function")
      return "this runtime cannot make Blob URLs";
    if (WORKER_SOURCE === undefined) return "this build has no worker code";
    return undefined;
  },
  async cores(): Promise<number> {
    const n = web.navigator?.hardwareConcurrency;
    return typeof n === "number" && n >= 1 ? n : 2;
  },
  async memory(): Promise<number | undefined> {
    return undefined; // browsers do not say (navigator.deviceMemory is a coarse, capped hint)
  },
  async spawn(): Promise<ChainWorker> {
    const Worker = web.Worker!;
    workerUrl ??= web.URL.createObjectURL!(new web.Blob!([WORKER_SOURCE!], { type: "text/javascript" }));
    const type = web.origin === "null" ? "classic" : "module";
    const worker = new Worker(workerUrl, { type, name: "bayes-lmm sampler" });
    return {
      post: (message: ToWorker) => worker.postMessage(message),
      listen(onMessage: (message: FromWorker) => void, onFailure: (error: Error) => void) {
        worker.onmessage = (event) => onMessage(event.data);
        worker.onerror = (event) => {
          event.preventDefault();
          onFailure(new Error(`a sampler Web Worker failed: ${event.message ?? "(no message)"}`));
        };
        worker.onmessageerror = () =>
          onFailure(new Error("a sampler Web Worker's message could not be read"));
      },
      terminate: () => worker.terminate(),
    };
  },
};
