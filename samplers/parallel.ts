/**
 * Chains on workers: each worker runs its share of the chains (chain c on worker c mod W) with the
 * code of a serial run (./worker-serve → ./chains' `runChain`), so the draws are bit-identical to it.
 * The workers are the platform's (./threads: Node's worker threads; ./threads.browser: module Web
 * Workers in the browser build); this file only speaks ./worker-protocol to them.
 */
import { ArgumentError, LmmError, type LmmErrorCode } from "../src/errors";
import { type ChainTaskResult, checkResults, tasksOf } from "./chains";
import type { PreparedRun } from "./run";
import type { FromWorker, ToWorker } from "./worker-protocol";

/** A started worker, as ./parallel sees it. */
export interface ChainWorker {
  post(message: ToWorker): void;
  /** `onMessage` for each message; `onFailure` once if the worker dies (an uncaught error, a bad exit). */
  listen(onMessage: (message: FromWorker) => void, onFailure: (error: Error) => void): void;
  terminate(): void;
}

/** Where workers come from. */
export interface ThreadPlatform {
  /** What the workers are, for messages: "worker threads", "Web Workers". */
  readonly kind: string;
  /** Why no worker can be started here, or undefined when one can. */
  unavailable(): string | undefined;
  /** Logical cores (Node's availableParallelism, a browser's hardwareConcurrency). */
  cores(): Promise<number>;
  /**
   * The machine's memory in bytes for the up-front size check (Node: the smaller of the total memory
   * and a container's limit), or undefined where the runtime does not say (browsers).
   */
  memory(): Promise<number | undefined>;
  spawn(): Promise<ChainWorker>;
}

/**
 * Projected serial seconds above which `parallel: "auto"` starts workers. Measured here (2 shared
 * cores, dist build): 2 workers ran 0.75–0.9× as fast as one thread on 1.2 s runs, 1.55× on 4.5 s
 * runs (each worker starts in ~0.1 s but runs cold, unoptimized code for its first iterations).
 */
export const AUTO_PARALLEL_SECONDS = 2;

/** `options.parallel`, checked: false, true, "auto" or a whole number of workers (0 is false). */
export function parallelOption(value: unknown): boolean | number | "auto" {
  if (value === undefined) return "auto";
  if (value === true || value === false || value === "auto") return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0)
    return value === 0 ? false : value;
  throw new ArgumentError(
    "options.parallel",
    'must be true, false, "auto" or a whole number of workers',
    value,
  );
}

/**
 * How many workers to use: 0 (run on this thread) for `parallel: false`; with "auto", 0 also for one
 * chain, where workers cannot be started, or when the run is projected (`estimateSeconds`, a short
 * pilot) to take under AUTO_PARALLEL_SECONDS on this thread; else min(chains, cores) — or
 * min(chains, parallel) when it is a number. `true` or a number where no worker can be started is
 * an error, never a silent serial run.
 *
 * @throws ArgumentError when workers are asked for and the platform has none
 */
export async function workerCount(
  parallel: boolean | number | "auto",
  chains: number,
  estimateSeconds: () => number,
  platform: ThreadPlatform,
): Promise<number> {
  if (parallel === false) return 0;
  const unavailable = platform.unavailable();
  if (parallel === "auto") {
    if (unavailable !== undefined || chains < 2 || estimateSeconds() < AUTO_PARALLEL_SECONDS) return 0;
  } else if (unavailable !== undefined)
    throw new ArgumentError(
      "options.parallel",
      `asks for ${platform.kind}, which cannot be started here (${unavailable}); use false or "auto"`,
      parallel,
    );
  const limit = typeof parallel === "number" ? parallel : await platform.cores();
  return Math.max(1, Math.min(chains, limit));
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

/** The error a worker reported, as an LmmError of its code when it has one. */
export function workerError(message: { readonly code: string; readonly message: string }): Error {
  const code = ERROR_CODES.find((c) => c === message.code);
  return code === undefined ? new Error(message.message) : new LmmError(code, message.message);
}

/**
 * Runs the chains of a prepared run on `workers` workers of `platform`.
 *
 * @param run - the prepared run
 * @param workers - number of workers (>= 1)
 * @param platform - where workers come from
 * @param report - progress callback (chain, iterations done)
 * @param signal - aborts the run: workers are terminated and the promise rejects with `aborted()`
 * @param aborted - the error to reject with on abort
 * @returns the chains' results, in chain order
 */
export async function runParallel(
  run: PreparedRun,
  workers: number,
  platform: ThreadPlatform,
  report: (chain: number, iteration: number) => void,
  signal: AbortSignal | undefined,
  aborted: () => Error,
): Promise<ChainTaskResult[]> {
  const tasks = tasksOf(run);
  const threads: ChainWorker[] = [];
  const results: ChainTaskResult[] = [];
  let settled = false;
  let settle: { resolve: (r: ChainTaskResult[]) => void; reject: (e: Error) => void } | undefined;
  const done = new Promise<ChainTaskResult[]>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const stopAll = () => {
    signal?.removeEventListener("abort", onAbort);
    for (const t of threads) t.terminate();
  };
  const fail = (error: Error) => {
    if (settled) return;
    settled = true;
    stopAll();
    settle?.reject(error);
  };
  const onAbort = () => fail(aborted());
  signal?.addEventListener("abort", onAbort);
  try {
    for (let w = 0; w < workers && !settled; w++) {
      const mine = tasks.filter((t) => t.chain % workers === w);
      const thread = await platform.spawn();
      threads.push(thread);
      if (settled) thread.terminate();
      thread.listen((message) => {
        if (settled) return;
        if (message.type === "progress") report(message.chain, message.iteration);
        else if (message.type === "result") {
          results.push(message.result);
          if (results.length === run.chains) {
            settled = true;
            stopAll();
            try {
              settle?.resolve(checkResults(run, results));
            } catch (error) {
              settle?.reject(error as Error);
            }
          }
        } else if (message.type === "error") fail(workerError(message));
      }, fail);
      thread.post({ type: "run", tasks: mine, progressEvery: run.progressEvery });
    }
  } catch (error) {
    fail(error instanceof Error ? error : new Error(String(error)));
  }
  return done;
}
