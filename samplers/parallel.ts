/**
 * Chains on worker threads (Node): each worker runs its share of the chains (chain c on worker
 * c mod W) with the same code as a serial run, so the draws are bit-identical to it.
 *
 * The worker entry is ./worker: from TypeScript sources (tests, tsx) it is `worker.ts`, loaded through
 * tsx's loader; from the built package it is `worker.mjs` beside the bundle (tsdown.config.ts).
 * Node modules are imported dynamically, so this file loads in a browser (where `workerCount` is 0).
 */
import { LmmError, type LmmErrorCode } from "../src/errors";
import type { ChainResult } from "./chain";
import type { PreparedRun } from "./run";
import type { WorkerInput, WorkerMessage } from "./worker-protocol";

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === "string";
}

/**
 * Projected serial seconds above which `parallel: "auto"` starts workers. Measured here (2 shared
 * cores, dist build): 2 workers ran 0.75–0.9× as fast as one thread on 1.2 s runs, 1.55× on 4.5 s
 * runs (each worker starts in ~0.1 s but runs cold, unoptimized code for its first iterations).
 */
export const AUTO_PARALLEL_SECONDS = 2;

/**
 * How many worker threads to use: 0 (run on this thread) outside Node, for one chain, or when
 * `parallel` is false; with "auto", 0 also when the run is projected (`estimateSeconds`, a short
 * pilot) to take under AUTO_PARALLEL_SECONDS on this thread; else min(chains, cores) — or at most
 * `parallel` workers when it is a number.
 */
export async function workerCount(
  parallel: boolean | number | "auto",
  chains: number,
  estimateSeconds: () => number,
): Promise<number> {
  if (parallel === false || chains < 2 || !isNode()) return 0;
  if (typeof parallel === "number" && (!Number.isInteger(parallel) || parallel < 0)) return 0;
  if (parallel === "auto" && estimateSeconds() < AUTO_PARALLEL_SECONDS) return 0;
  const os = await import("node:os");
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  const limit = typeof parallel === "number" ? parallel : cores;
  return Math.max(0, Math.min(chains, limit));
}

/**
 * How to start a worker: from the built package, `worker.mjs` beside the bundle; from TypeScript
 * sources (tests, tsx scripts), a two-line bootstrap that registers tsx's loader in the new thread
 * and imports `worker.ts` (Node 20 does not apply `--import` from a Worker's execArgv).
 */
export function workerEntry(): { source: string | URL; eval: boolean; entry: string } {
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(new URL(here).pathname)) {
    const entry = new URL("./worker.ts", here).href;
    const source =
      'const { workerData } = require("node:worker_threads");\n' +
      'import("tsx/esm/api").then((api) => { api.register(); return import(workerData.entry); });\n';
    return { source, eval: true, entry };
  }
  const url = new URL("./worker.mjs", here);
  return { source: url, eval: false, entry: url.href };
}

const ERROR_CODES: readonly LmmErrorCode[] = [
  "INVALID_ARGUMENT",
  "FORMULA_SYNTAX",
  "UNKNOWN_COLUMN",
  "INVALID_DATA",
  "FILE",
  "INVALID_PRIOR",
  "NOT_POSITIVE_DEFINITE",
  "ABORTED",
  "NUMERICAL",
];

/**
 * Runs the chains of a prepared run on `workers` worker threads.
 *
 * @param run - the prepared run
 * @param workers - number of threads (>= 1)
 * @param report - progress callback (chain, iterations done)
 * @param signal - aborts the run: workers are terminated and the promise rejects with `aborted()`
 * @param aborted - the error to reject with on abort
 * @returns the chains' results, in chain order
 */
export async function runParallel(
  run: PreparedRun,
  workers: number,
  report: (chain: number, iteration: number) => void,
  signal: AbortSignal | undefined,
  aborted: () => Error,
): Promise<ChainResult[]> {
  const { Worker } = await import("node:worker_threads");
  const entry = workerEntry();
  const results: (ChainResult | undefined)[] = new Array(run.chains);
  const threads: InstanceType<typeof Worker>[] = [];
  return new Promise<ChainResult[]>((resolve, reject) => {
    let finished = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      signal?.removeEventListener("abort", onAbort);
      for (const t of threads) void t.terminate();
      reject(error);
    };
    const onAbort = () => fail(aborted());
    signal?.addEventListener("abort", onAbort);
    for (let w = 0; w < workers; w++) {
      const chains: number[] = [];
      for (let c = w; c < run.chains; c += workers) chains.push(c);
      const input: WorkerInput = {
        model: run.compiled,
        settings: run.settings,
        chains,
        inits: chains.map((c) => run.inits[c]),
        progressEvery: run.progressEvery,
      };
      const thread = new Worker(entry.source, {
        eval: entry.eval,
        workerData: { ...input, entry: entry.entry },
      });
      threads.push(thread);
      thread.on("message", (message: WorkerMessage) => {
        if (failed) return;
        if (message.type === "progress") report(message.chain, message.iteration);
        else if (message.type === "result") {
          results[message.result.chain] = message.result;
          finished++;
          if (finished === run.chains) {
            signal?.removeEventListener("abort", onAbort);
            resolve(results as ChainResult[]);
          }
        } else {
          const code = ERROR_CODES.find((c) => c === message.code);
          fail(code === undefined ? new Error(message.message) : new LmmError(code, message.message));
        }
      });
      thread.on("error", (error: Error) => fail(error));
      thread.on("exit", (code: number) => {
        if (code !== 0 && !failed && finished < run.chains)
          fail(new Error(`a sampler worker thread exited with code ${code}`));
      });
    }
  });
}
