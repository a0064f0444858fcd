/**
 * Chains run anywhere, merged after: `chainTasks` cuts a run into one plain-data task per chain,
 * `runChain` runs a task (on any thread: a Web Worker or worker thread of one's own, another process,
 * a later session), and `mergeChains` assembles the results into the Posterior that `gibbs` would
 * have returned — the same draws to the bit, since chain c's draws depend only on (model, options, c).
 * `gibbs` itself runs its workers through these (./parallel, ./worker-serve).
 *
 *     // main thread
 *     const tasks = chainTasks(model, options);                  // structured-cloneable
 *     const results = await Promise.all(tasks.map(runInMyWorker)); // worker: postMessage(runChain(task))
 *     const post = mergeChains(model, options, results);
 */
import type { Posterior } from "../src/draws/posterior";
import { ArgumentError } from "../src/errors";
import type { LmmModel } from "../src/model/types";
import { assemblePosterior } from "./assemble";
import { type ChainResult, type ChainSettings, createChainRunner, warmupKept } from "./chain";
import type { GibbsOptions } from "./options";
import { type PreparedRun, prepareRun } from "./run";
import type { InitialValues, SamplerModel } from "./types";

/** One chain of a run as plain data: what `runChain` needs, and nothing else. */
export interface ChainTask {
  /** The compiled model (cross-products computed once, ./compile). */
  readonly model: SamplerModel;
  readonly settings: ChainSettings;
  /** The chain's index: its generator stream is `Random.fromSeed(settings.seed, chain)`. */
  readonly chain: number;
  /** Starting values, or undefined for the dispersed defaults. */
  readonly init: InitialValues | undefined;
}

/** A finished chain: its draws, what it was run with (checked by `mergeChains`) and its time. */
export interface ChainTaskResult extends ChainResult {
  readonly settings: ChainSettings;
  /** Wall time of this chain in seconds. */
  readonly seconds: number;
}

/** Options of `runChain`. */
export interface RunChainOptions {
  /** Called every `progressEvery` iterations and at the end with (iterations done, total). */
  readonly onProgress?: (iteration: number, total: number) => void;
  /** @default 1% of the chain's iterations */
  readonly progressEvery?: number;
}

/** The tasks of a prepared run, one per chain. */
export function tasksOf(run: PreparedRun): ChainTask[] {
  return Array.from({ length: run.chains }, (_, chain) => ({
    model: run.compiled,
    settings: run.settings,
    chain,
    init: run.inits[chain],
  }));
}

/**
 * Cuts a sampler run into one task per chain (options validated, priors resolved, model compiled,
 * as `gibbs` does before its first iteration). Each task is plain data: post it to a worker.
 *
 * @param model - the model (`lmm(formula, data)`)
 * @param options - as for `gibbs` (`parallel`, `onProgress` and `signal` play no part here)
 * @returns `options.chains` tasks, in chain order
 * @throws PriorError / ArgumentError for bad priors, options or starting values
 * @example chainTasks(model, { chains: 4, seed: 1 }).length // 4
 */
export function chainTasks(model: LmmModel, options: GibbsOptions = {}): ChainTask[] {
  return tasksOf(prepareRun(model, options));
}

function isTask(task: unknown): task is ChainTask {
  const t = task as Partial<ChainTask> | null;
  return (
    typeof t === "object" &&
    t !== null &&
    typeof t.model === "object" &&
    typeof t.settings === "object" &&
    Number.isInteger(t.chain)
  );
}

/**
 * Runs one chain of `chainTasks` on this thread, synchronously — in a worker of one's own.
 *
 * @param task - one of `chainTasks(model, options)` (after a structured clone, as a worker gets it)
 * @param options - progress callback and how often it is called
 * @returns the chain's draws (post them back; their typed arrays can be transferred)
 * @throws ArgumentError if `task` is not a chain task; LmmError "NUMERICAL" if a draw is not finite
 * @example self.onmessage = (e) => self.postMessage(runChain(e.data)); // a module worker's whole code
 */
export function runChain(task: ChainTask, options: RunChainOptions = {}): ChainTaskResult {
  if (!isTask(task))
    throw new ArgumentError("task", "must be one of chainTasks(model, options)'s tasks", task);
  const start = performance.now();
  const runner = createChainRunner(task.model, task.settings, task.chain, task.init);
  const every = options.progressEvery ?? Math.max(1, Math.floor(runner.total / 100));
  if (!Number.isSafeInteger(every) || every < 1)
    throw new ArgumentError("options.progressEvery", "must be an integer >= 1", every);
  while (runner.done < runner.total) {
    runner.advance(every);
    options.onProgress?.(runner.done, runner.total);
  }
  return { ...runner.result(), settings: task.settings, seconds: (performance.now() - start) / 1000 };
}

/** The typed arrays of a result, for a postMessage transfer list. */
export function transferablesOf(result: ChainResult): ArrayBuffer[] {
  return [result.kept, result.warmup, result.randomEffectsMean, result.randomEffectsM2].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

const SETTINGS: readonly (keyof ChainSettings)[] = ["iter", "warmup", "thin", "seed", "randomEffects"];

/**
 * Checks that `results` are the chains of `run` (each chain once, run with the same settings and of
 * the model's size) and puts them in chain order.
 *
 * @throws ArgumentError naming the offending result
 */
export function checkResults(run: PreparedRun, results: readonly ChainTaskResult[]): ChainTaskResult[] {
  if (!Array.isArray(results) || results.length !== run.chains)
    throw new ArgumentError(
      "results",
      `must hold one result per chain (${run.chains})`,
      Array.isArray(results) ? `${results.length} results` : results,
    );
  const nCore = run.layout.core.length;
  const nB = run.layout.randomEffects.length;
  const keepB = run.settings.randomEffects === "draws";
  const ordered: (ChainTaskResult | undefined)[] = new Array(run.chains);
  results.forEach((r, i) => {
    const name = `results[${i}]`;
    if (
      typeof r !== "object" ||
      r === null ||
      !Number.isInteger(r.chain) ||
      r.chain < 0 ||
      r.chain >= run.chains
    )
      throw new ArgumentError(`${name}.chain`, `must be a chain index in 0..${run.chains - 1}`, r?.chain);
    if (ordered[r.chain] !== undefined)
      throw new ArgumentError(`${name}.chain`, "must not repeat another result's chain", r.chain);
    for (const key of SETTINGS)
      if (r.settings?.[key] !== run.settings[key])
        throw new ArgumentError(
          `${name}.settings.${key}`,
          `must be the options' ${key} (${run.settings[key]}): the result is of another run`,
          r.settings?.[key],
        );
    const sizes: [string, Float64Array | undefined, number][] = [
      ["kept", r.kept, (nCore + (keepB ? nB : 0)) * run.settings.iter],
      ["warmup", r.warmup, nCore * warmupKept(run.settings)],
      ["randomEffectsMean", r.randomEffectsMean, keepB ? 0 : nB],
      ["randomEffectsM2", r.randomEffectsM2, keepB ? 0 : nB],
    ];
    for (const [field, values, length] of sizes)
      if (!(values instanceof Float64Array) || values.length !== length)
        throw new ArgumentError(
          `${name}.${field}`,
          `must be a Float64Array of ${length} values (the model's parameters × draws): the result is of another model`,
          values instanceof Float64Array ? `${values.length} values` : values,
        );
    ordered[r.chain] = r;
  });
  return ordered as ChainTaskResult[];
}

/**
 * Assembles the chains of `chainTasks(model, options)`, each run by `runChain`, into the Posterior —
 * the one `gibbs(model, options)` returns, draw for draw. Its `seconds` is the longest chain's time
 * (chains run side by side).
 *
 * @param model - the model the tasks were made from
 * @param options - the options the tasks were made with
 * @param results - one result per chain, in any order
 * @returns the posterior
 * @throws ArgumentError when a chain is missing or repeated, or a result is of another run or model
 * @example mergeChains(model, options, tasks.map((t) => runChain(t))).chains // options.chains
 */
export function mergeChains(
  model: LmmModel,
  options: GibbsOptions,
  results: readonly ChainTaskResult[],
): Posterior {
  const run = prepareRun(model, options);
  const ordered = checkResults(run, results);
  return assembleRun(
    run,
    ordered,
    ordered.reduce((s, r) => Math.max(s, r.seconds), 0),
  );
}

/** The Posterior of a prepared run's finished chains (in chain order). */
export function assembleRun(run: PreparedRun, results: readonly ChainResult[], seconds: number): Posterior {
  return assemblePosterior(run.model, run.compiled, run.layout, run.priors, run.settings, results, seconds);
}
