/**
 * One chain: its own generator stream (`Random.fromSeed(seed, chain)`), dispersed or given starting
 * values, `warmup` iterations, then `iter × thin` iterations of which every `thin`-th is kept. The
 * same code runs on the main thread and in a worker, so a chain's draws depend only on (model, seed,
 * chain, settings): bit-identical wherever it runs.
 *
 * The runner is resumable (`advance(k)` does at most k iterations), so that a caller can yield to the
 * event loop between slices, report progress and honour an AbortSignal; extendable (`extend(iter)`
 * asks for more kept draws, continuing the same stream: ./until); and it can be saved and restored
 * exactly (`snapshot()`, and `createChainRunner(..., from)`: ./checkpoint), the chain state walked
 * generically by ./snapshot.
 */
import { ArgumentError } from "../src/errors";
import { Random, type RandomState } from "../src/random/generator";
import { type ParameterLayout, parameterLayout, writeCore, writeRandomEffects } from "./layout";
import { restoreState, type StateSnapshot, snapshotState } from "./snapshot";
import { allocateState, type ChainState, initializeState } from "./state";
import { sweep } from "./sweep";
import type { InitialValues, SamplerModel } from "./types";

/** What a chain does (validated by the caller). */
export interface ChainSettings {
  /** Draws kept after warmup. */
  readonly iter: number;
  readonly warmup: number;
  readonly thin: number;
  readonly seed: number;
  /** Keep every random-effect draw, or only their running mean and variance. */
  readonly randomEffects: "draws" | "summary";
}

/** A chain's output: finished, or (an interrupted run) the draws recorded so far. */
export interface ChainResult {
  readonly chain: number;
  /** Kept draws, parameter-major: core parameters, then random effects if kept (each `keptCount` long). */
  readonly kept: Float64Array;
  /** Warmup draws of the core parameters (every thin-th), parameter-major, each `warmupKept` long. */
  readonly warmup: Float64Array;
  readonly warmupKept: number;
  /** Running mean and sum of squared deviations of each random effect (summary mode), else empty. */
  readonly randomEffectsMean: Float64Array;
  readonly randomEffectsM2: Float64Array;
}

/** A chain saved between two iterations: everything needed to continue it bit-identically. */
export interface ChainSnapshot {
  readonly chain: number;
  /** Iterations done (warmup included). */
  readonly done: number;
  /** Draws the chain was asked to keep (grows when a run is extended to a target). */
  readonly iter: number;
  readonly rng: RandomState;
  /** The chain state (parameters and scratch), walked generically (./snapshot). */
  readonly state: StateSnapshot;
  /** The draws recorded so far, as in ChainResult (each parameter's draws contiguous). */
  readonly kept: Float64Array;
  readonly warmup: Float64Array;
  readonly randomEffectsMean: Float64Array;
  readonly randomEffectsM2: Float64Array;
}

/** A resumable, extendable chain. */
export interface ChainRunner {
  /** The chain's index. */
  readonly chain: number;
  /** Iterations done so far (warmup included), and the total (warmup + iter × thin). */
  readonly done: number;
  readonly total: number;
  /** Draws asked for, and kept so far. */
  readonly iter: number;
  readonly keptCount: number;
  /** Runs at most `count` more iterations; returns how many it ran. */
  advance(count: number): number;
  /** Asks for `iter` kept draws in all (at least the current `iter`): the chain goes on where it is. */
  extend(iter: number): void;
  /** The draws recorded so far (all of them once `done === total`). */
  result(): ChainResult;
  /** The chain saved as plain data (typed arrays are copies). */
  snapshot(): ChainSnapshot;
  /** The current state (for tests and the Geweke test). */
  readonly state: ChainState;
  readonly rng: Random;
}

/** Number of warmup draws kept: one every `thin` iterations. */
export function warmupKept(settings: Pick<ChainSettings, "warmup" | "thin">): number {
  return Math.floor(settings.warmup / settings.thin);
}

/** Iterations one chain may run (warmup + iter × thin): its counters are 32-bit. */
const MAX_ITERATIONS = 2 ** 31 - 1;

/** The first `count` values of each of `rows` parameter rows of `stride`, packed (`values` itself when it is). */
function packed(values: Float64Array, rows: number, stride: number, count: number): Float64Array {
  if (stride === count) return values.length === rows * count ? values : values.slice(0, rows * count);
  const out = new Float64Array(rows * count);
  for (let k = 0; k < rows; k++) out.set(values.subarray(k * stride, k * stride + count), k * count);
  return out;
}

/**
 * Starts a chain: allocates its state and draws its starting values — or, given `from`, restores a
 * saved chain (its state, generator and draws so far) to continue it.
 *
 * @param model - the compiled model
 * @param settings - iterations, thinning, seed, what to keep
 * @param chain - the chain's index (its generator stream)
 * @param init - starting values, or undefined for dispersed defaults (not used with `from`)
 * @param from - a snapshot of this chain, of the same model and settings
 * @returns the runner
 * @throws ArgumentError when `from` is not a snapshot of this chain of this model and settings
 */
export function createChainRunner(
  model: SamplerModel,
  settings: ChainSettings,
  chain: number,
  init: InitialValues | undefined,
  from?: ChainSnapshot,
): ChainRunner {
  const layout: ParameterLayout = parameterLayout(model);
  const nCore = layout.core.length;
  const nB = layout.randomEffects.length;
  const keepB = settings.randomEffects === "draws";
  const nKept = nCore + (keepB ? nB : 0);
  const { warmup, thin } = settings;
  let iter = from?.iter ?? settings.iter;
  const nWarm = warmupKept(settings);
  // Kept draws: parameter k's at [k * capacity, k * capacity + iter).
  let capacity = iter;
  let kept = new Float64Array(nKept * capacity);
  const warm = new Float64Array(nCore * nWarm);
  const bMean = new Float64Array(keepB ? 0 : nB);
  const bM2 = new Float64Array(keepB ? 0 : nB);
  let rng: Random;
  const state = allocateState(model);
  let total = warmup + iter * thin;
  let done = 0;
  const keptOf = (d: number) => Math.max(0, Math.floor((d - warmup) / thin));
  const warmOf = (d: number) => Math.floor(Math.min(d, warmup) / thin);

  if (from === undefined) {
    rng = Random.fromSeed(settings.seed, chain);
    initializeState(model, state, rng, init, chain);
  } else {
    const field = `snapshot of chain ${chain}`;
    if (from.chain !== chain)
      throw new ArgumentError(`${field}.chain`, `must be ${chain}: it is another chain's`, from.chain);
    if (
      !Number.isSafeInteger(from.iter) ||
      from.iter < settings.iter ||
      warmup + from.iter * thin > MAX_ITERATIONS
    )
      throw new ArgumentError(`${field}.iter`, `must be an integer >= ${settings.iter}`, from.iter);
    if (!Number.isSafeInteger(from.done) || from.done < 0 || from.done > total)
      throw new ArgumentError(`${field}.done`, `must be an integer from 0 to ${total}`, from.done);
    done = from.done;
    const sizes: [string, Float64Array, number][] = [
      ["kept", from.kept, nKept * keptOf(done)],
      ["warmup", from.warmup, nCore * warmOf(done)],
      ["randomEffectsMean", from.randomEffectsMean, bMean.length],
      ["randomEffectsM2", from.randomEffectsM2, bM2.length],
    ];
    for (const [name, values, length] of sizes)
      if (!(values instanceof Float64Array) || values.length !== length)
        throw new ArgumentError(
          `${field}.${name}`,
          `must be a Float64Array of ${length} values: the snapshot is of another model or run`,
          values instanceof Float64Array ? `${values.length} values` : values,
        );
    rng = Random.fromState(from.rng);
    restoreState(state, from.state, field);
    const k0 = keptOf(done);
    for (let k = 0; k < nKept; k++) kept.set(from.kept.subarray(k * k0, (k + 1) * k0), k * capacity);
    const w0 = warmOf(done);
    for (let k = 0; k < nCore; k++) warm.set(from.warmup.subarray(k * w0, (k + 1) * w0), k * nWarm);
    bMean.set(from.randomEffectsMean);
    bM2.set(from.randomEffectsM2);
  }

  function record(): void {
    if (done <= warmup) {
      if (done % thin === 0) writeCore(model, layout, state, warm, nWarm, done / thin - 1);
      return;
    }
    const after = done - warmup;
    if (after % thin !== 0) return;
    const t = after / thin - 1;
    writeCore(model, layout, state, kept, capacity, t);
    if (keepB) writeRandomEffects(state, kept, capacity, t, nCore);
    else {
      // Welford's running mean and M2.
      const count = t + 1;
      let k = 0;
      for (const b of state.b)
        for (let i = 0; i < b.length; i++, k++) {
          const x = b[i]!;
          const d = x - bMean[k]!;
          bMean[k]! += d / count;
          bM2[k]! += d * (x - bMean[k]!);
        }
    }
  }

  return {
    chain,
    get done() {
      return done;
    },
    get total() {
      return total;
    },
    get iter() {
      return iter;
    },
    get keptCount() {
      return keptOf(done);
    },
    state,
    get rng() {
      return rng;
    },
    advance(count: number): number {
      const stop = Math.min(total, done + count);
      const start = done;
      while (done < stop) {
        sweep(model, state, rng);
        done++;
        record();
      }
      return done - start;
    },
    extend(more: number): void {
      if (!Number.isSafeInteger(more) || more < iter || warmup + more * thin > MAX_ITERATIONS)
        throw new ArgumentError(
          "iter",
          `must be an integer from the draws asked for so far (${iter}) to what a chain can run`,
          more,
        );
      if (more > capacity) {
        // Grow by at least half, so that many small extensions copy the draws O(log) times.
        const grown = Math.min(
          Math.max(more, Math.ceil(capacity * 1.5)),
          Math.floor((MAX_ITERATIONS - warmup) / thin),
        );
        const next = new Float64Array(nKept * grown);
        const have = keptOf(done);
        for (let k = 0; k < nKept; k++) next.set(kept.subarray(k * capacity, k * capacity + have), k * grown);
        kept = next;
        capacity = grown;
      }
      iter = more;
      total = warmup + iter * thin;
    },
    result(): ChainResult {
      const w = warmOf(done);
      return {
        chain,
        kept: packed(kept, nKept, capacity, keptOf(done)),
        warmup: packed(warm, nCore, nWarm, w),
        warmupKept: w,
        randomEffectsMean: bMean,
        randomEffectsM2: bM2,
      };
    },
    snapshot(): ChainSnapshot {
      const r = this.result();
      const copy = (a: Float64Array, b: Float64Array) => (a === b ? a.slice() : a);
      return {
        chain,
        done,
        iter,
        rng: rng.state(),
        state: snapshotState(state),
        kept: copy(r.kept, kept),
        warmup: copy(r.warmup, warm),
        randomEffectsMean: bMean.slice(),
        randomEffectsM2: bM2.slice(),
      };
    },
  };
}
