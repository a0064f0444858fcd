/**
 * Lock-step runs (./lockstep) with the chains on workers: each worker keeps its chains (chain c on
 * worker c mod W) between messages, and the main thread cuts the run into short advances — every
 * chain to the same iteration, about 0.2 s of work each (sized from the last one's time) — and acts
 * between them: a stop (AbortSignal, `until.maxSeconds`), a check of the target and its extension, a
 * checkpoint. The chains' code is the serial run's (./chain), so the draws are bit-identical to it.
 * A stop is seen within one advance; what it keeps is every chain's complete draws, equal in length.
 */
import type { Posterior } from "../src/draws/posterior";
import { AbortedError } from "./aborted";
import { type ChainResult, type ChainSnapshot, warmupKept } from "./chain";
import { tasksOf } from "./chains";
import { checkResume, runIdentity } from "./checkpoint";
import {
  CheckpointSchedule,
  checkpointOf,
  type EndReason,
  finishedPosterior,
  interruption,
  targetCheckOf,
  targetOutcome,
} from "./lockstep";
import type { GibbsOptions } from "./options";
import { type ChainWorker, type ThreadPlatform, workerError } from "./parallel";
import type { PreparedRun } from "./run";
import type { TargetCheck } from "./until";
import type { FromWorker } from "./worker-protocol";

/** Seconds one advance aims at. */
const ADVANCE_SECONDS = 0.2;

/** A worker's chains as the main thread drives them. */
interface Driven {
  readonly thread: ChainWorker;
  readonly chains: readonly number[];
  /** Resolves the message being waited for (advanced, snapshots). */
  waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined;
}

/** The ChainResult of a snapshot (its draws so far). */
function resultOf(s: ChainSnapshot, run: PreparedRun): ChainResult {
  const w = Math.floor(Math.min(s.done, run.settings.warmup) / run.settings.thin);
  return {
    chain: s.chain,
    kept: s.kept,
    warmup: s.warmup,
    warmupKept: Math.min(w, warmupKept(run.settings)),
    randomEffectsMean: s.randomEffectsMean,
    randomEffectsM2: s.randomEffectsM2,
  };
}

/**
 * Runs a prepared run in lock-step on `workers` workers of `platform`.
 *
 * @throws AbortedError when `options.signal` stops it (with the draws so far and a checkpoint)
 */
export async function runLockstepWorkers(
  run: PreparedRun,
  options: GibbsOptions,
  workers: number,
  platform: ThreadPlatform,
): Promise<Posterior> {
  const identity = runIdentity(run, options.init);
  const resume = options.resume;
  if (resume !== undefined) checkResume(identity, resume);
  const tasks = tasksOf(run);
  const pool: Driven[] = [];
  let failure: Error | undefined;
  const doneBy = new Float64Array(run.chains);
  const start = performance.now();
  const before = resume?.seconds ?? 0;
  const seconds = () => before + (performance.now() - start) / 1000;
  const { warmup, thin } = run.settings;
  let iter = resume?.chains[0]?.iter ?? run.settings.iter;
  let done = resume?.chains[0]?.done ?? 0;
  const total = () => warmup + iter * thin;
  const report = () => {
    if (options.onProgress === undefined) return;
    let sum = 0;
    for (const d of doneBy) sum += d;
    doneBy.forEach((iteration, chain) => {
      options.onProgress?.({ chain, iteration, total: total(), done: sum, grandTotal: total() * run.chains });
    });
  };
  const request = (w: Driven, message: Parameters<ChainWorker["post"]>[0]): Promise<FromWorker> =>
    new Promise((resolve, reject) => {
      if (failure !== undefined) return reject(failure);
      w.waiting = { resolve, reject };
      w.thread.post(message);
    });
  const snapshots = async (): Promise<ChainSnapshot[]> => {
    const all: ChainSnapshot[] = new Array(run.chains);
    const replies = await Promise.all(pool.map((w) => request(w, { type: "snapshot" })));
    for (const reply of replies)
      if (reply.type === "snapshots") for (const s of reply.snapshots) all[s.chain] = s;
    return all;
  };
  try {
    for (let w = 0; w < workers; w++) {
      const thread = await platform.spawn();
      const mine = tasks.filter((t) => t.chain % workers === w);
      const driven: Driven = { thread, chains: mine.map((t) => t.chain), waiting: undefined };
      pool.push(driven);
      thread.listen(
        (message) => {
          if (message.type === "progress") {
            doneBy[message.chain] = message.iteration;
            report();
          } else if (message.type === "error") {
            failure = workerError(message);
            for (const d of pool) d.waiting?.reject(failure);
          } else {
            const waiting = driven.waiting;
            driven.waiting = undefined;
            waiting?.resolve(message);
          }
        },
        (error) => {
          failure = error;
          for (const d of pool) d.waiting?.reject(error);
        },
      );
      thread.post({ type: "open", tasks: mine, snapshots: mine.map((t) => resume?.chains[t.chain]) });
    }
    const target = run.target;
    let last: TargetCheck | null = null;
    let checks = 0;
    let reason: EndReason | null = null;
    let chunk = Math.max(1, Math.min(50, total() - done));
    const schedule = new CheckpointSchedule(options, done);
    while (true) {
      if (done === total()) {
        if (target === null) break;
        const results = (await snapshots()).map((s) => resultOf(s, run));
        ({ last, checks } = targetCheckOf(run, target, results));
        reason = targetOutcome(last);
        if (reason !== null) break;
        iter = last.next;
        continue;
      }
      reason = interruption(options, target, seconds());
      if (reason !== null) break;
      const to = Math.min(total(), done + chunk, schedule.limit(done));
      const replies = await Promise.all(pool.map((w) => request(w, { type: "advance", to, iter })));
      const took = Math.max(...replies.map((r) => (r.type === "advanced" ? r.seconds : 0)));
      chunk = Math.max(1, Math.min(chunk * 4, Math.round((chunk * ADVANCE_SECONDS) / Math.max(took, 1e-3))));
      done = to;
      if (schedule.due(done)) options.onCheckpoint?.(checkpointOf(identity, seconds(), await snapshots()));
    }
    const saved = await snapshots();
    const checkpoint = checkpointOf(identity, seconds(), saved);
    options.onCheckpoint?.(checkpoint);
    const results = saved.map((s) => resultOf(s, run));
    const post = finishedPosterior(run, results, seconds(), reason, checks, last);
    if (reason === "stopped") throw new AbortedError(post, checkpoint, done, total());
    if (post === null) throw new Error("internal: a finished run kept no draws");
    return post;
  } finally {
    for (const w of pool) w.thread.terminate();
  }
}
