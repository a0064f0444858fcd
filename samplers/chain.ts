/**
 * One chain: its own generator stream (`Random.fromSeed(seed, chain)`), dispersed or given starting
 * values, `warmup` iterations, then `iter × thin` iterations of which every `thin`-th is kept. The
 * same code runs on the main thread and in a worker, so a chain's draws depend only on (model, seed,
 * chain, settings): bit-identical wherever it runs.
 *
 * The runner is resumable (`advance(k)` does at most k iterations), so that a caller can yield to the
 * event loop between slices, report progress and honour an AbortSignal.
 */
import { Random } from "../src/random/generator";
import { type ParameterLayout, parameterLayout, writeCore, writeRandomEffects } from "./layout";
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

/** A finished chain's output. */
export interface ChainResult {
  readonly chain: number;
  /** Kept draws, parameter-major: core parameters, then random effects if kept (each `iter` long). */
  readonly kept: Float64Array;
  /** Warmup draws of the core parameters (every thin-th), parameter-major, each `warmupKept` long. */
  readonly warmup: Float64Array;
  readonly warmupKept: number;
  /** Running mean and sum of squared deviations of each random effect (summary mode), else empty. */
  readonly randomEffectsMean: Float64Array;
  readonly randomEffectsM2: Float64Array;
}

/** A resumable chain. */
export interface ChainRunner {
  /** Iterations done so far (warmup included), and the total. */
  readonly done: number;
  readonly total: number;
  /** Runs at most `count` more iterations; returns how many it ran. */
  advance(count: number): number;
  /** The output (after `done === total`). */
  result(): ChainResult;
  /** The current state (for tests and the Geweke test). */
  readonly state: ChainState;
  readonly rng: Random;
}

/** Number of warmup draws kept: one every `thin` iterations. */
export function warmupKept(settings: ChainSettings): number {
  return Math.floor(settings.warmup / settings.thin);
}

/**
 * Starts a chain: allocates its state and draws its starting values.
 *
 * @param model - the compiled model
 * @param settings - iterations, thinning, seed, what to keep
 * @param chain - the chain's index (its generator stream)
 * @param init - starting values, or undefined for dispersed defaults
 * @returns the runner
 */
export function createChainRunner(
  model: SamplerModel,
  settings: ChainSettings,
  chain: number,
  init: InitialValues | undefined,
): ChainRunner {
  const layout: ParameterLayout = parameterLayout(model);
  const nCore = layout.core.length;
  const nB = layout.randomEffects.length;
  const keepB = settings.randomEffects === "draws";
  const { iter, warmup, thin } = settings;
  const nWarm = warmupKept(settings);
  const kept = new Float64Array((nCore + (keepB ? nB : 0)) * iter);
  const warm = new Float64Array(nCore * nWarm);
  const bMean = new Float64Array(keepB ? 0 : nB);
  const bM2 = new Float64Array(keepB ? 0 : nB);
  const rng = Random.fromSeed(settings.seed, chain);
  const state = allocateState(model);
  initializeState(model, state, rng, init, chain);
  const total = warmup + iter * thin;
  let done = 0;

  function record(): void {
    if (done <= warmup) {
      if (done % thin === 0) writeCore(model, layout, state, warm, nWarm, done / thin - 1);
      return;
    }
    const after = done - warmup;
    if (after % thin !== 0) return;
    const t = after / thin - 1;
    writeCore(model, layout, state, kept, iter, t);
    if (keepB) writeRandomEffects(state, kept, iter, t, nCore);
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
    get done() {
      return done;
    },
    total,
    state,
    rng,
    advance(count: number): number {
      const stop = Math.min(total, done + count);
      const start = done;
      while (done < stop) {
        // The by-factor residual is updated incrementally; recompute it now and then so that
        // rounding cannot accumulate over very long runs (deterministic: same draws everywhere).
        sweep(model, state, rng);
        done++;
        record();
      }
      return done - start;
    },
    result(): ChainResult {
      return {
        chain,
        kept,
        warmup: warm,
        warmupKept: nWarm,
        randomEffectsMean: bMean,
        randomEffectsM2: bM2,
      };
    },
  };
}
