/**
 * Chains on this thread, in lock-step: every chain advances by the same slice of iterations before
 * the next slice starts, so at any moment all chains have done the same number of iterations. That
 * is what makes the run's controls exact:
 *
 * - a stop (AbortSignal, `until.maxSeconds`) between two slices leaves every chain with the same
 *   complete draws — a Posterior of equal chains, and a checkpoint to continue from;
 * - a run to a target (./until) checks all chains at the same batch end and extends them together;
 * - a checkpoint (./checkpoint) is every chain at one iteration, continued bit-identically.
 *
 * Slices are sized from the time they take (about 10 ms for all chains), which decides only where a
 * stop can fall, never the draws: chain c's draws depend only on (model, options, c). The async
 * driver gives the event loop a turn about every 50 ms (a signal handler runs then).
 */
import type { Posterior, SamplingTarget } from "../src/draws/posterior";
import { AbortedError } from "./aborted";
import { type ChainResult, type ChainRunner, type ChainSnapshot, createChainRunner } from "./chain";
import { assembleRun } from "./chains";
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  checkResume,
  type RunIdentity,
  runIdentity,
  type SamplerCheckpoint,
} from "./checkpoint";
import type { GibbsOptions } from "./options";
import type { PreparedRun } from "./run";
import { checkTarget, type Target, type TargetCheck, targetResult } from "./until";

/** Milliseconds one slice (all chains) aims at, and between the async driver's turns of the event loop. */
const SLICE_MS = 10;
const YIELD_MS = 50;

/** A checkpoint of chains saved at one iteration. */
export function checkpointOf(
  identity: RunIdentity,
  seconds: number,
  chains: ChainSnapshot[],
): SamplerCheckpoint {
  return { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, run: identity, seconds, chains };
}

/** One check of the target on the chains' draws so far, and the number of checks it makes. */
export function targetCheckOf(
  run: PreparedRun,
  target: Target,
  results: readonly ChainResult[],
): { last: TargetCheck; checks: number } {
  const kept = run.layout.core.concat(run.settings.randomEffects === "draws" ? run.layout.randomEffects : []);
  const checked = run.layout.core.length + (target.randomEffects ? run.layout.randomEffects.length : 0);
  const last = checkTarget(target, kept, checked, results);
  target.onCheck?.(last);
  return { last, checks: 1 + Math.ceil((last.draws - run.settings.iter) / target.batch) };
}

/** Why a run to a target ended: met, out of iterations or of seconds, or stopped by the signal. */
export type EndReason = "met" | "max-iter" | "max-seconds" | "stopped";

/** The outcome of a target check: met, out of iterations, or null (extend to `last.next`). */
export function targetOutcome(last: TargetCheck): EndReason | null {
  if (last.met) return "met";
  if (last.next <= last.draws) return "max-iter";
  return null;
}

/** Whether the run must stop before its next slice: the signal, or the target's `maxSeconds`. */
export function interruption(
  options: GibbsOptions,
  target: Target | null,
  seconds: number,
): EndReason | null {
  if (options.signal?.aborted) return "stopped";
  if (target !== null && seconds >= target.maxSeconds) return "max-seconds";
  return null;
}

/**
 * When checkpoints are due (`checkpointEvery`: every so many iterations — slices are cut at their
 * multiples — or seconds, default 60), for a run with an `onCheckpoint`.
 */
export class CheckpointSchedule {
  private readonly every: { iterations?: number; seconds?: number };
  private lastTime = performance.now();
  private lastDone: number;

  constructor(
    private readonly options: GibbsOptions,
    done: number,
  ) {
    this.every = options.checkpointEvery ?? { seconds: 60 };
    this.lastDone = done;
  }

  /** The furthest iteration the next slice may reach from `done` (Infinity when none is due by count). */
  limit(done: number): number {
    if (this.options.onCheckpoint === undefined || this.every.iterations === undefined) return Infinity;
    return Math.max(done + 1, this.lastDone + this.every.iterations);
  }

  /** Whether a checkpoint is due after a slice that ended at `done`; if so, counts it as saved. */
  due(done: number): boolean {
    if (this.options.onCheckpoint === undefined) return false;
    const due =
      this.every.iterations !== undefined
        ? done - this.lastDone >= this.every.iterations
        : performance.now() - this.lastTime >= 1000 * (this.every.seconds ?? 60);
    if (due) {
      this.lastTime = performance.now();
      this.lastDone = done;
    }
    return due;
  }
}

/** The Posterior of the chains' draws so far (null when none is kept yet), with the target's outcome. */
export function finishedPosterior(
  run: PreparedRun,
  results: readonly ChainResult[],
  seconds: number,
  reason: SamplingTarget["reason"] | null,
  checks: number,
  last: TargetCheck | null,
): Posterior | null {
  const kept = results[0] === undefined ? 0 : results[0].kept.length / Math.max(1, keptParameters(run));
  if (kept === 0) return null;
  const post = assembleRun({ ...run, settings: { ...run.settings, iter: kept } }, results, seconds);
  return run.target === null
    ? post
    : { ...post, target: targetResult(run.target, reason ?? "stopped", checks, last) };
}

function keptParameters(run: PreparedRun): number {
  return (
    run.layout.core.length + (run.settings.randomEffects === "draws" ? run.layout.randomEffects.length : 0)
  );
}

/** A run in lock-step, as a generator: it yields between slices and returns the Posterior. */
function* lockstep(run: PreparedRun, options: GibbsOptions): Generator<void, Posterior, void> {
  const identity = runIdentity(run, options.init);
  const resume = options.resume;
  if (resume !== undefined) checkResume(identity, resume);
  const runners: ChainRunner[] = Array.from({ length: run.chains }, (_, c) =>
    createChainRunner(run.compiled, run.settings, c, run.inits[c], resume?.chains[c]),
  );
  const target = run.target;
  const start = performance.now();
  const before = resume?.seconds ?? 0;
  const seconds = () => before + (performance.now() - start) / 1000;
  const schedule = new CheckpointSchedule(options, runners[0]!.done);
  let last: TargetCheck | null = null;
  let checks = 0;
  let reason: EndReason | null = null;
  let slice = 1;

  const checkpoint = (): SamplerCheckpoint =>
    checkpointOf(
      identity,
      seconds(),
      runners.map((r) => r.snapshot()),
    );
  const results = (): ChainResult[] => runners.map((r) => r.result());
  const report = () => {
    if (options.onProgress === undefined) return;
    const total = runners[0]!.total;
    let done = 0;
    for (const r of runners) done += r.done;
    runners.forEach((r, chain) => {
      options.onProgress?.({ chain, iteration: r.done, total, done, grandTotal: total * run.chains });
    });
  };

  while (true) {
    const first = runners[0]!;
    if (first.done === first.total) {
      if (target === null) break;
      ({ last, checks } = targetCheckOf(run, target, results()));
      reason = targetOutcome(last);
      if (reason !== null) break;
      for (const r of runners) r.extend(last.next);
      report();
      continue;
    }
    reason = interruption(options, target, seconds());
    if (reason !== null) break;
    const count = Math.min(slice, schedule.limit(first.done) - first.done);
    const t0 = performance.now();
    for (const r of runners) r.advance(count);
    const ms = performance.now() - t0;
    slice = Math.max(1, Math.min(slice * 4, Math.round((slice * SLICE_MS) / Math.max(ms, 0.05))));
    report();
    if (schedule.due(runners[0]!.done)) options.onCheckpoint?.(checkpoint());
    yield;
  }
  // The last checkpoint: for the caller's onCheckpoint, and the one an AbortedError carries.
  const saved = reason === "stopped" || options.onCheckpoint !== undefined ? checkpoint() : null;
  if (saved !== null) options.onCheckpoint?.(saved);
  const post = finishedPosterior(run, results(), seconds(), reason, checks, last);
  if (reason === "stopped") throw new AbortedError(post, saved!, runners[0]!.done, runners[0]!.total);
  if (post === null) throw new Error("internal: a finished run kept no draws");
  return post;
}

/** Runs a prepared run in lock-step on this thread, synchronously. */
export function runLockstep(run: PreparedRun, options: GibbsOptions): Posterior {
  const steps = lockstep(run, options);
  while (true) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs a prepared run in lock-step on this thread, giving the event loop a turn about every 50 ms. */
export async function runLockstepAsync(run: PreparedRun, options: GibbsOptions): Promise<Posterior> {
  const steps = lockstep(run, options);
  let turn = performance.now();
  while (true) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - turn > YIELD_MS) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      turn = performance.now();
    }
  }
}
