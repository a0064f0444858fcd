/**
 * The messages between the main thread and a sampler worker — one protocol for Node's worker threads
 * (./worker) and browsers' module Web Workers (./worker-browser); ./parallel speaks it from the main
 * side, ./worker-serve from the worker side.
 *
 *     main                                  worker
 *     { type: "run", tasks, progressEvery } ──▶  runs tasks[0], tasks[1], ... one after another
 *                                           ◀── { type: "progress", chain, iteration }   (every progressEvery iterations)
 *                                           ◀── { type: "result", result }               (one per task; typed arrays transferred)
 *                                           ◀── { type: "error", code, message }          (then nothing more)
 *
 * A worker runs one "run" message; it is stopped by terminating it (an AbortSignal on the main side
 * does that). The chains run synchronously inside the worker, so a message sent during a run is read
 * only after it: a future message that must act mid-run (an interrupt, a checkpoint request) needs the
 * worker to look for it between progress slices — the place is marked in ./worker-serve.
 *
 * Everything in a message is plain data (typed arrays, numbers, strings), so it crosses by structured
 * clone; the tasks of one message share one compiled model, which the clone copies once.
 */
import type { ChainTask, ChainTaskResult } from "./chains";

/** main → worker: run these chains. */
export interface RunMessage {
  readonly type: "run";
  /** The chains this worker runs, one after another (./chains: `chainTasks`). */
  readonly tasks: readonly ChainTask[];
  /** Iterations between progress messages. */
  readonly progressEvery: number;
}

/** Every message the main thread sends. */
export type ToWorker = RunMessage;

/** worker → main: chain `chain` has done `iteration` iterations (warmup included). */
export interface ProgressMessage {
  readonly type: "progress";
  readonly chain: number;
  readonly iteration: number;
}

/** worker → main: a finished chain. */
export interface ResultMessage {
  readonly type: "result";
  readonly result: ChainTaskResult;
}

/** worker → main: the run failed; `code` is the LmmError code ("" for any other error). */
export interface ErrorMessage {
  readonly type: "error";
  readonly code: string;
  readonly message: string;
}

/** Every message a worker sends. */
export type FromWorker = ProgressMessage | ResultMessage | ErrorMessage;
