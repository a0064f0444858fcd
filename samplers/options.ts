/**
 * `gibbs()` options: their types, defaults and validation (once, before any chain starts).
 */
import { ArgumentError } from "../src/errors";
import type { PriorSpec } from "../src/priors/types";
import type { ChainSettings } from "./chain";
import type { StrategyOption } from "./compile";
import type { GibbsProgress, InitialValues } from "./types";

/** Options of `gibbs` / `gibbsSync`. */
export interface GibbsOptions {
  /** Draws kept per chain, after warmup. @default 5000 */
  readonly iter?: number;
  /** Warmup iterations per chain (run, recorded for trace plots, not kept as draws). @default 1000 */
  readonly warmup?: number;
  /** Keep every thin-th iteration (warmup and sampling). @default 1 */
  readonly thin?: number;
  /** Number of chains. @default 4 */
  readonly chains?: number;
  /** Seed of the generator; chain c uses stream c of it. Same seed, same draws. @default 1 */
  readonly seed?: number;
  /** Priors in the priors.json form (CLI.md); parts left out take the documented defaults. */
  readonly priors?: PriorSpec;
  /** Starting values, one for all chains or one per chain. @default dispersed (see samplers/README.md) */
  readonly init?: InitialValues | readonly InitialValues[];
  /** Location update: "auto" chooses by cost (samplers/README.md). @default "auto" */
  readonly strategy?: StrategyOption;
  /**
   * Keep the random effects' draws ("draws"), or only their running mean and sd ("summary").
   * "auto" keeps draws unless they would exceed 20 million numbers (160 MB). @default "auto"
   */
  readonly randomEffects?: "draws" | "summary" | "auto";
  /**
   * Run chains on workers (worker threads in Node, module Web Workers in a browser): true for as many
   * workers as chains and cores allow, a number for at most that many, false (or 0) for one after
   * another on this thread; "auto" uses workers only when a short pilot projects the run to take over
   * 2 s on this thread (below that, workers starting cold were slower here) and workers can be
   * started. true or a number where no worker can be started is an ArgumentError, never a silent
   * serial run. The draws are the same whichever is chosen. @default "auto"
   */
  readonly parallel?: boolean | number | "auto";
  /** Called as chains progress (about every 1% of a chain, and at its end). */
  readonly onProgress?: (progress: GibbsProgress) => void;
  /** Stops the run; the promise rejects with an LmmError of code "ABORTED". */
  readonly signal?: AbortSignal;
}

/** Limit for keeping random-effect draws under randomEffects: "auto". */
export const MAX_RANDOM_EFFECT_VALUES = 20_000_000;

function integer(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min)
    throw new ArgumentError(`options.${name}`, `must be an integer >= ${min}`, value);
  return value;
}

/** Validated chain settings (everything but randomEffects' "auto", resolved by the caller). */
export function chainSettings(
  options: GibbsOptions,
  randomEffectCount: number,
): ChainSettings & { chains: number } {
  const iter = integer(options.iter, "iter", 5000, 1);
  const warmup = integer(options.warmup, "warmup", 1000, 0);
  const thin = integer(options.thin, "thin", 1, 1);
  const chains = integer(options.chains, "chains", 4, 1);
  if (chains > 1024) throw new ArgumentError("options.chains", "must be at most 1024", chains);
  let seed = 1;
  if (options.seed !== undefined) {
    if (typeof options.seed !== "number" || !Number.isSafeInteger(options.seed))
      throw new ArgumentError("options.seed", "must be an integer", options.seed);
    seed = options.seed;
  }
  const mode = options.randomEffects ?? "auto";
  if (mode !== "draws" && mode !== "summary" && mode !== "auto")
    throw new ArgumentError("options.randomEffects", 'must be "draws", "summary" or "auto"', mode);
  const randomEffects =
    mode === "auto"
      ? randomEffectCount * chains * iter <= MAX_RANDOM_EFFECT_VALUES
        ? "draws"
        : "summary"
      : mode;
  if (options.strategy !== undefined && !["auto", "joint", "by-factor"].includes(options.strategy))
    throw new ArgumentError("options.strategy", 'must be "auto", "joint" or "by-factor"', options.strategy);
  if (options.onProgress !== undefined && typeof options.onProgress !== "function")
    throw new ArgumentError("options.onProgress", "must be a function", options.onProgress);
  return { iter, warmup, thin, seed, randomEffects, chains };
}

/** The starting values of chain c. */
export function initFor(options: GibbsOptions, chain: number, chains: number): InitialValues | undefined {
  const init = options.init;
  if (init === undefined) return undefined;
  if (Array.isArray(init)) {
    if (init.length !== chains)
      throw new ArgumentError(
        "options.init",
        `must give one entry per chain (${chains}), not ${init.length}`,
        init,
      );
    return init[chain] as InitialValues;
  }
  return init as InitialValues;
}
