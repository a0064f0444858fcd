/**
 * `gibbs()` options: their types, defaults and validation (once, before any chain starts).
 */
import { ArgumentError } from "../src/errors";
import { checkAllocation, formatCount } from "../src/limits";
import type { LmmModel } from "../src/model/types";
import type { PriorSpec } from "../src/priors/types";
import type { ChainSettings } from "./chain";
import type { SamplerCheckpoint } from "./checkpoint";
import type { StrategyOption } from "./compile";
import type { GibbsProgress, InitialValues } from "./types";
import { type Target, type UntilOptions, untilTarget } from "./until";

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
  /**
   * Stops the run (within one slice of iterations, ~50 ms); the promise rejects with an
   * `AbortedError` (code "ABORTED") carrying the posterior of the draws kept so far and a checkpoint
   * (on workers the stop is seen between advances of about 0.2 s).
   */
  readonly signal?: AbortSignal;
  /**
   * Run to a target (./until.ts): `iter` draws per chain, then `batch` more at a time until every
   * parameter's R-hat, bulk ESS and tail ESS meet it, or `maxIter` / `maxSeconds` is reached. The
   * Posterior's `target` says whether it was met. Chains run in lock-step (on this thread or on workers).
   */
  readonly until?: UntilOptions;
  /**
   * Called with the run's checkpoint (./checkpoint.ts) every `checkpointEvery`, at the end, and at a
   * stop (write it with `checkpointToJson`). Chains run in lock-step (on this thread or on workers).
   */
  readonly onCheckpoint?: (checkpoint: SamplerCheckpoint) => void;
  /** How often `onCheckpoint` is called: seconds of sampling, or iterations per chain. @default { seconds: 60 } */
  readonly checkpointEvery?: { readonly seconds?: number; readonly iterations?: number };
  /**
   * Continue a checkpoint of this model with these options (else an ArgumentError naming what
   * differs): the draws are, to the bit, those of a run never stopped.
   */
  readonly resume?: SamplerCheckpoint;
}

/** Limit for keeping random-effect draws under randomEffects: "auto". */
export const MAX_RANDOM_EFFECT_VALUES = 20_000_000;

/** Iterations one chain may run (warmup + iter × thin): its counters are 32-bit. */
export const MAX_ITERATIONS_PER_CHAIN = 2 ** 31 - 1;

function integer(
  value: unknown,
  name: string,
  fallback: number,
  min: number,
  max = MAX_ITERATIONS_PER_CHAIN,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max)
    throw new ArgumentError(
      `options.${name}`,
      `must be an integer from ${min} to ${max.toLocaleString("en-US")}`,
      value,
    );
  return value;
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** Throws unless `options` holds only known keys with values of the right kinds (checked before any work). */
function checkOptionKinds(options: GibbsOptions): void {
  if (!isPlainObject(options))
    throw new ArgumentError("options", "must be an object of gibbs options", options);
  const known = [
    "iter",
    "warmup",
    "thin",
    "chains",
    "seed",
    "priors",
    "init",
    "strategy",
    "randomEffects",
    "parallel",
    "onProgress",
    "signal",
    "until",
    "onCheckpoint",
    "checkpointEvery",
    "resume",
  ];
  for (const key of Object.keys(options))
    if (!known.includes(key))
      throw new ArgumentError(
        `options.${key}`,
        `is not a gibbs option (${known.join(", ")})`,
        options[key as keyof GibbsOptions],
      );
  const { parallel, signal, init } = options;
  if (
    parallel !== undefined &&
    parallel !== "auto" &&
    typeof parallel !== "boolean" &&
    !(typeof parallel === "number" && Number.isSafeInteger(parallel) && parallel >= 0)
  )
    throw new ArgumentError(
      "options.parallel",
      'must be "auto", true, false or a number of workers (an integer >= 0)',
      parallel,
    );
  if (
    signal !== undefined &&
    !(
      typeof signal === "object" &&
      signal !== null &&
      typeof (signal as { aborted?: unknown }).aborted === "boolean" &&
      typeof (signal as { addEventListener?: unknown }).addEventListener === "function"
    )
  )
    throw new ArgumentError("options.signal", "must be an AbortSignal", signal);
  if (init !== undefined) {
    const entries: readonly unknown[] = Array.isArray(init) ? init : [init];
    entries.forEach((entry, c) => {
      const field = Array.isArray(init) ? `options.init[${c}]` : "options.init";
      if (!isPlainObject(entry))
        throw new ArgumentError(
          field,
          "must be an object { sigma2, psi } (or an array of them, one per chain)",
          entry,
        );
      for (const key of Object.keys(entry))
        if (key !== "sigma2" && key !== "psi")
          throw new ArgumentError(
            `${field}.${key}`,
            "is not a starting value (expected `sigma2`, `psi`)",
            entry[key],
          );
      if (entry["psi"] !== undefined && !isPlainObject(entry["psi"]))
        throw new ArgumentError(
          `${field}.psi`,
          "must be an object { GROUP: c or a q × q matrix }",
          entry["psi"],
        );
    });
  }
}

/** Validated chain settings, and the target (null without `until`). */
export function chainSettings(
  options: GibbsOptions,
  randomEffectCount: number,
): ChainSettings & { chains: number; target: Target | null } {
  checkOptionKinds(options);
  const iter = integer(options.iter, "iter", 5000, 1);
  const warmup = integer(options.warmup, "warmup", 1000, 0);
  const thin = integer(options.thin, "thin", 1, 1);
  const chains = integer(options.chains, "chains", 4, 1, 1024);
  const perChain = warmup + iter * thin;
  if (perChain > MAX_ITERATIONS_PER_CHAIN)
    throw new ArgumentError(
      "options.iter",
      `with warmup ${warmup.toLocaleString("en-US")} and thin ${thin.toLocaleString("en-US")} asks each chain for warmup + iter × thin = ${perChain.toLocaleString("en-US")} iterations, more than the ${MAX_ITERATIONS_PER_CHAIN.toLocaleString("en-US")} a chain can run; ask for fewer draws or a smaller thin`,
      iter,
    );
  let seed = 1;
  if (options.seed !== undefined) {
    if (typeof options.seed !== "number" || !Number.isSafeInteger(options.seed))
      throw new ArgumentError("options.seed", "must be an integer", options.seed);
    seed = options.seed;
  }
  const target =
    options.until === undefined
      ? null
      : untilTarget(options.until, iter, Math.floor((MAX_ITERATIONS_PER_CHAIN - warmup) / thin));
  const mode = options.randomEffects ?? (target?.randomEffects ? "draws" : "auto");
  if (mode !== "draws" && mode !== "summary" && mode !== "auto")
    throw new ArgumentError("options.randomEffects", 'must be "draws", "summary" or "auto"', mode);
  if (target?.randomEffects && mode === "summary")
    throw new ArgumentError(
      "options.randomEffects",
      'must be "draws" (or left out) when until.randomEffects checks the random effects: their draws are needed',
      mode,
    );
  const randomEffects =
    mode === "auto"
      ? randomEffectCount * chains * (target?.maxIter ?? iter) <= MAX_RANDOM_EFFECT_VALUES
        ? "draws"
        : "summary"
      : mode;
  if (options.strategy !== undefined && !["auto", "joint", "by-factor"].includes(options.strategy))
    throw new ArgumentError("options.strategy", 'must be "auto", "joint" or "by-factor"', options.strategy);
  if (options.onProgress !== undefined && typeof options.onProgress !== "function")
    throw new ArgumentError("options.onProgress", "must be a function", options.onProgress);
  if (options.onCheckpoint !== undefined && typeof options.onCheckpoint !== "function")
    throw new ArgumentError("options.onCheckpoint", "must be a function", options.onCheckpoint);
  const every = options.checkpointEvery;
  if (every !== undefined) {
    if (
      typeof every !== "object" ||
      every === null ||
      Object.keys(every).some((k) => k !== "seconds" && k !== "iterations")
    )
      throw new ArgumentError("options.checkpointEvery", "must be { seconds } or { iterations }", every);
    if (every.seconds !== undefined && !(typeof every.seconds === "number" && every.seconds >= 0))
      throw new ArgumentError("options.checkpointEvery.seconds", "must be a number >= 0", every.seconds);
    if (every.iterations !== undefined && !(Number.isSafeInteger(every.iterations) && every.iterations >= 1))
      throw new ArgumentError(
        "options.checkpointEvery.iterations",
        "must be an integer >= 1",
        every.iterations,
      );
  }
  if (options.resume !== undefined && (typeof options.resume !== "object" || options.resume === null))
    throw new ArgumentError(
      "options.resume",
      "must be a checkpoint (from onCheckpoint or checkpointFromJson)",
      options.resume,
    );
  return { iter, warmup, thin, seed, randomEffects, chains, target };
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

/** What a run will hold: the numbers of its largest array and the bytes of all its draws. */
export interface RunSize {
  /** Numbers in the assembled draws (chains × iter × parameters kept). */
  readonly draws: number;
  /** Bytes of every draws array (each chain's, the warmup's and the assembled Posterior's). */
  readonly bytes: number;
}

/**
 * The size of a run's draws, from its settings and the parameter counts.
 *
 * @param settings - validated settings (chainSettings)
 * @param coreCount - beta, sigma2 and Psi entries
 * @param randomEffectCount - random effects (kept when settings.randomEffects is "draws")
 */
export function runSize(
  settings: ChainSettings & { chains: number; target?: Target | null },
  coreCount: number,
  randomEffectCount: number,
): RunSize {
  const kept = coreCount + (settings.randomEffects === "draws" ? randomEffectCount : 0);
  const draws = settings.chains * (settings.target?.maxIter ?? settings.iter) * kept;
  const warmup = settings.chains * Math.floor(settings.warmup / settings.thin) * coreCount;
  // Each chain's arrays, then the Posterior's copy of them.
  return { draws, bytes: 8 * 2 * (draws + warmup) };
}

/**
 * Refuses, before any work, a run whose draws no array could hold, or that would not fit in
 * `memoryBytes` (the machine's memory, when known), with the size in words.
 *
 * @throws ArgumentError (options.iter) with the size and what to change
 */
export function checkRunSize(
  settings: ChainSettings & { chains: number; target?: Target | null },
  coreCount: number,
  randomEffectCount: number,
  memoryBytes?: number,
  argument = "options.iter",
): void {
  const size = runSize(settings, coreCount, randomEffectCount);
  const keepB = settings.randomEffects === "draws" && randomEffectCount > 0;
  const kept = coreCount + (keepB ? randomEffectCount : 0);
  const what = `${formatCount(settings.chains)} chain${settings.chains === 1 ? "" : "s"} × ${formatCount(settings.target?.maxIter ?? settings.iter)} draws${settings.target ? " (until.maxIter)" : ""} × ${formatCount(kept)} parameters${keepB ? " (random effects included)" : ""}`;
  const advice = `ask for fewer draws (iter) or chains${keepB ? ', or keep only the random effects\' means and sds (randomEffects: "summary")' : ""}`;
  checkAllocation(
    size.draws,
    size.bytes,
    what,
    advice,
    (message) => new ArgumentError(argument, `asks for ${message}`, settings.iter),
    memoryBytes,
  );
}

/** Beta, sigma2 and the recorded Psi entries (factors: the priors' `psi` or `groupingFactors(model)`) (each diagonal block's upper triangle): the "core" parameters. */
export function coreParameterCount(
  model: Pick<LmmModel, "p">,
  factors: readonly { readonly blocks: readonly { readonly size: number }[] }[],
): number {
  let count = model.p + 1;
  for (const f of factors) for (const b of f.blocks) count += (b.size * (b.size + 1)) / 2;
  return count;
}
