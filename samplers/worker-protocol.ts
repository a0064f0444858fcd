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
 * only after it.
 *
 * Lock-step runs on workers (./lockstep-workers: targets, checkpoints, stops that keep the draws)
 * keep the chains alive in the worker between messages, and the main thread cuts the work into
 * short advances (about 0.2 s each), acting between them:
 *
 *     { type: "open", tasks, snapshots }    ──▶  creates the chains (from a snapshot when given)
 *     { type: "advance", to, iter }         ──▶  extends each chain to `iter` draws, runs it to iteration `to`
 *                                           ◀── { type: "progress", chain, iteration }   (about every 0.1 s)
 *                                           ◀── { type: "advanced", seconds }            (all its chains at `to`)
 *     { type: "snapshot" }                  ──▶
 *                                           ◀── { type: "snapshots", snapshots }         (typed arrays transferred)
 *
 * Everything in a message is plain data (typed arrays, numbers, strings), so it crosses by structured
 * clone; the tasks of one message share one compiled model, which the clone copies once.
 */
import type { ChainSnapshot } from "./chain";
import type { ChainTask, ChainTaskResult } from "./chains";

/** main → worker: run these chains. */
export interface RunMessage {
  readonly type: "run";
  /** The chains this worker runs, one after another (./chains: `chainTasks`). */
  readonly tasks: readonly ChainTask[];
  /** Iterations between progress messages. */
  readonly progressEvery: number;
}

/** main → worker: keep these chains (restored from `snapshots[i]` when given) for the advances to come. */
export interface OpenMessage {
  readonly type: "open";
  readonly tasks: readonly ChainTask[];
  readonly snapshots: readonly (ChainSnapshot | undefined)[];
}

/** main → worker: extend every open chain to `iter` draws and run it to iteration `to`. */
export interface AdvanceMessage {
  readonly type: "advance";
  readonly to: number;
  readonly iter: number;
}

/** main → worker: send every open chain's snapshot. */
export interface SnapshotMessage {
  readonly type: "snapshot";
}

/** Every message the main thread sends. */
export type ToWorker = RunMessage | OpenMessage | AdvanceMessage | SnapshotMessage;

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

/** worker → main: the advance is done (its wall time, for sizing the next one). */
export interface AdvancedMessage {
  readonly type: "advanced";
  readonly seconds: number;
}

/** worker → main: the open chains' snapshots, in chain order. */
export interface SnapshotsMessage {
  readonly type: "snapshots";
  readonly snapshots: readonly ChainSnapshot[];
}

/** Every message a worker sends. */
export type FromWorker = ProgressMessage | ResultMessage | ErrorMessage | AdvancedMessage | SnapshotsMessage;
