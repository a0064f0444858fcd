/**
 * `gibbs(model, options)`: the posterior of a linear mixed model by a conjugate Gibbs sampler — a
 * composition of stages a user can call alone: resolve priors (src/priors), compile (./compile), run
 * chains (./chain; in parallel on workers, ./parallel: worker threads in Node, module Web Workers in
 * the browser build), assemble (./assemble; ./chains for chains run elsewhere).
 */
import type { Posterior } from "../src/draws/posterior";
import { ArgumentError, LmmError } from "../src/errors";
import type { LmmModel } from "../src/model/types";
import { type ChainResult, type ChainRunner, createChainRunner } from "./chain";
import { assembleRun } from "./chains";
import type { GibbsOptions } from "./options";
import { parallelOption, runParallel, workerCount } from "./parallel";
import { type PreparedRun, prepareRun } from "./run";
import { threadPlatform } from "./threads";

/**
 * Projected wall time of the whole run on this thread, from a pilot of chain 0 (a throwaway copy:
 * the run's draws do not depend on it) of at most 200 iterations or 30 ms.
 */
function projectedSeconds(run: PreparedRun): number {
  const pilot = createChainRunner(
    run.compiled,
    { ...run.settings, iter: 200, warmup: 0, thin: 1 },
    0,
    run.inits[0],
  );
  const start = performance.now();
  let done = 0;
  while (done < 200 && performance.now() - start < 30) done += pilot.advance(10);
  const perIteration = (performance.now() - start) / 1000 / done;
  const total = run.settings.warmup + run.settings.iter * run.settings.thin;
  return perIteration * total * run.chains;
}

function aborted(): LmmError {
  return new LmmError("ABORTED", "the sampler was stopped by its AbortSignal.");
}

function progressReporter(run: PreparedRun, options: GibbsOptions) {
  const total = run.settings.warmup + run.settings.iter * run.settings.thin;
  const doneBy = new Float64Array(run.chains);
  let done = 0;
  return (chain: number, iteration: number) => {
    done += iteration - doneBy[chain]!;
    doneBy[chain] = iteration;
    options.onProgress?.({ chain, iteration, total, done, grandTotal: total * run.chains });
  };
}

/** The Posterior of finished chains; `start` is when sampling began (performance.now()). */
function finish(run: PreparedRun, results: readonly ChainResult[], start: number): Posterior {
  return assembleRun(run, results, (performance.now() - start) / 1000);
}

/**
 * The chains one after another, a progress slice at a time: yields after each slice (so that an
 * async caller can give the event loop a turn), pushes each finished chain's result.
 */
function* serialSlices(
  run: PreparedRun,
  options: GibbsOptions,
  results: ChainResult[],
): Generator<void, void, void> {
  const report = progressReporter(run, options);
  for (let c = 0; c < run.chains; c++) {
    const runner: ChainRunner = createChainRunner(run.compiled, run.settings, c, run.inits[c]);
    while (runner.done < runner.total) {
      if (options.signal?.aborted) throw aborted();
      runner.advance(run.progressEvery);
      report(c, runner.done);
      yield;
    }
    results.push(runner.result());
  }
}

/**
 * Runs a prepared run's chains one after another on this thread, synchronously.
 *
 * @returns the posterior
 * @throws LmmError ABORTED if `options.signal` is aborted (checked between progress slices)
 */
export function runSerial(run: PreparedRun, options: GibbsOptions = {}): Posterior {
  const start = performance.now();
  const results: ChainResult[] = [];
  for (const _ of serialSlices(run, options, results));
  return finish(run, results, start);
}

/** Runs chains one after another, yielding to the event loop about every 50 ms (browsers). */
async function runSerialAsync(run: PreparedRun, options: GibbsOptions): Promise<Posterior> {
  const start = performance.now();
  const results: ChainResult[] = [];
  let sliceStart = performance.now();
  for (const _ of serialSlices(run, options, results)) {
    if (performance.now() - sliceStart > 50) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      sliceStart = performance.now();
    }
  }
  return finish(run, results, start);
}

/**
 * Samples the posterior of a linear mixed model by Gibbs sampling (samplers/README.md).
 *
 * Chains run in parallel on workers (`options.parallel`: worker threads in Node, module Web Workers in
 * a browser) or one after another on this thread, yielding to the event loop; either way chain c's
 * draws depend only on the model, the options and c — the same seed gives bit-identical draws.
 *
 * @param model - the model (`lmm(formula, data)`)
 * @param options - iterations, chains, seed, priors, starting values, progress, abort (see GibbsOptions)
 * @returns a promise of the Posterior
 * @throws (rejects with) PriorError / ArgumentError for bad input (also `parallel: true` or a number
 *   where no worker can be started); LmmError "ABORTED" when stopped; LmmError "NUMERICAL" if a draw is
 *   not finite
 * @example
 * const post = await gibbs(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy), { iter: 5000, seed: 1 });
 * fixef(post)[1].mean; // about 10.5
 */
export async function gibbs(model: LmmModel, options: GibbsOptions = {}): Promise<Posterior> {
  const parallel = parallelOption(options.parallel);
  const run = prepareRun(model, options, await threadPlatform.memory());
  if (options.signal?.aborted) throw aborted();
  const workers = await workerCount(parallel, run.chains, () => projectedSeconds(run), threadPlatform);
  if (workers === 0) return runSerialAsync(run, options);
  const start = performance.now();
  const report = progressReporter(run, options);
  const results = await runParallel(run, workers, threadPlatform, report, options.signal, aborted);
  return finish(run, results, start);
}

/**
 * `gibbs` on this thread, synchronously (chains one after another). Same draws as `gibbs`.
 *
 * @param model - the model
 * @param options - as for `gibbs`; `parallel` must be false, 0 or "auto" (it runs on this thread;
 *   `gibbs` runs chains on workers); `signal` is checked between slices
 * @returns the Posterior
 * @throws ArgumentError for `parallel: true` or a number of workers, besides `gibbs`'s errors
 * @example gibbsSync(model, { iter: 1000, chains: 2 }).chains // 2
 */
export function gibbsSync(model: LmmModel, options: GibbsOptions = {}): Posterior {
  const parallel = parallelOption(options.parallel);
  if (parallel !== false && parallel !== "auto")
    throw new ArgumentError(
      "options.parallel",
      'must be false or "auto" for gibbsSync, which runs on the calling thread (gibbs runs chains on workers)',
      parallel,
    );
  return runSerial(prepareRun(model, options), options);
}
