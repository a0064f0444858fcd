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
  const every = options.checkpointEvery ?? { seconds: 60 };
  let lastCheckpointTime = performance.now();
  let lastCheckpointDone = runners[0]!.done;
  let last: TargetCheck | null = null;
  let checks = 0;
  let reason: "met" | "max-iter" | "max-seconds" | "stopped" | null = null;
  let slice = 1;

  const checkpoint = (): SamplerCheckpoint => ({
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    run: identity,
    seconds: seconds(),
    chains: runners.map((r) => r.snapshot()),
  });
  const results = (): ChainResult[] => runners.map((r) => r.result());
  const posterior = (): Posterior | null => {
    const kept = runners[0]!.keptCount;
    if (kept === 0) return null;
    const post = assembleRun({ ...run, settings: { ...run.settings, iter: kept } }, results(), seconds());
    return target === null
      ? post
      : { ...post, target: targetResult(target, reason ?? "stopped", checks, last) };
  };
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
      last = checkTarget(
        target,
        run.layout.core.concat(run.settings.randomEffects === "draws" ? run.layout.randomEffects : []),
        run.layout.core.length + (target.randomEffects ? run.layout.randomEffects.length : 0),
        results(),
      );
      checks = 1 + Math.ceil((last.draws - run.settings.iter) / target.batch);
      target.onCheck?.(last);
      if (last.met) reason = "met";
      else if (last.next <= last.draws) reason = "max-iter";
      if (reason !== null) break;
      for (const r of runners) r.extend(last.next);
      report();
      continue;
    }
    if (options.signal?.aborted) {
      reason = "stopped";
      break;
    }
    if (target !== null && seconds() >= target.maxSeconds) {
      reason = "max-seconds";
      break;
    }
    // Checkpoints every so many iterations fall on their multiples (slices are cut there).
    const cut =
      options.onCheckpoint !== undefined && every.iterations !== undefined
        ? Math.max(1, lastCheckpointDone + every.iterations - first.done)
        : slice;
    const t0 = performance.now();
    for (const r of runners) r.advance(Math.min(slice, cut));
    const ms = performance.now() - t0;
    slice = Math.max(1, Math.min(slice * 4, Math.round((slice * SLICE_MS) / Math.max(ms, 0.05))));
    report();
    if (options.onCheckpoint !== undefined) {
      const done = runners[0]!.done;
      const due =
        every.iterations !== undefined
          ? done - lastCheckpointDone >= every.iterations
          : performance.now() - lastCheckpointTime >= 1000 * (every.seconds ?? 60);
      if (due) {
        options.onCheckpoint(checkpoint());
        lastCheckpointTime = performance.now();
        lastCheckpointDone = done;
      }
    }
    yield;
  }
  if (reason === "stopped") {
    const saved = checkpoint();
    options.onCheckpoint?.(saved);
    throw new AbortedError(posterior(), saved, runners[0]!.done, runners[0]!.total);
  }
  if (options.onCheckpoint !== undefined) options.onCheckpoint(checkpoint());
  const post = posterior();
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
