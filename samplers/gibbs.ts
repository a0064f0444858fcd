/**
 * `gibbs(model, options)`: the posterior of a linear mixed model by a conjugate Gibbs sampler — a
 * composition of stages a user can call alone: resolve priors (src/priors), compile (./compile), run
 * chains (./chain; in parallel on workers, ./parallel: worker threads in Node, module Web Workers in
 * the browser build), assemble (./assemble; ./chains for chains run elsewhere).
 */
import type { Posterior } from "../src/draws/posterior";
import { ArgumentError } from "../src/errors";
import type { LmmModel } from "../src/model/types";
import { checkOptionsArgument } from "../src/validate";
import { AbortedError } from "./aborted";
import { createChainRunner } from "./chain";
import { assembleRun } from "./chains";
import { runLockstep, runLockstepAsync } from "./lockstep";
import { runLockstepWorkers } from "./lockstep-workers";
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

/** The error of a run on workers stopped by its signal: the workers are terminated, nothing is kept. */
function aborted(run: PreparedRun): AbortedError {
  const total = run.settings.warmup + run.settings.iter * run.settings.thin;
  return new AbortedError(null, null, 0, total);
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

/**
 * Runs a prepared run's chains on this thread, synchronously, in lock-step (./lockstep).
 *
 * @returns the posterior
 * @throws AbortedError if `options.signal` is aborted (checked between slices)
 */
export function runSerial(run: PreparedRun, options: GibbsOptions = {}): Posterior {
  return runLockstep(run, options);
}

/** Whether the options ask for what only the lock-step runner on this thread does. */
function needsLockstep(options: GibbsOptions): string | undefined {
  if (options.until !== undefined) return "until";
  if (options.onCheckpoint !== undefined) return "onCheckpoint";
  if (options.resume !== undefined) return "resume";
  return undefined;
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
 *   where no worker can be started); AbortedError (code
 *   "ABORTED", carrying the partial posterior and a checkpoint) when stopped by `options.signal`;
 *   LmmError "NUMERICAL" if a draw is not finite
 * @example
 * const post = await gibbs(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy), { iter: 5000, seed: 1 });
 * fixef(post)[1].mean; // about 10.5
 */
export async function gibbs(model: LmmModel, options: GibbsOptions = {}): Promise<Posterior> {
  checkOptionsArgument(options); // before options.parallel is read; prepareRun checks the model
  const parallel = parallelOption(options.parallel);
  const run = prepareRun(model, options, await threadPlatform.memory());
  if (options.signal?.aborted && options.resume === undefined) throw aborted(run);
  const workers = await workerCount(parallel, run.chains, () => projectedSeconds(run), threadPlatform);
  // Runs with a target, checkpoints, a resume or a signal keep every chain at the same iteration.
  const lockstep = needsLockstep(options) !== undefined || options.signal !== undefined;
  if (workers === 0) return runLockstepAsync(run, options);
  if (lockstep) return runLockstepWorkers(run, options, workers, threadPlatform);
  const start = performance.now();
  const report = progressReporter(run, options);
  const results = await runParallel(run, workers, threadPlatform, report, options.signal, () => aborted(run));
  return assembleRun(run, results, (performance.now() - start) / 1000);
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
  checkOptionsArgument(options); // before options.parallel is read; prepareRun checks the model
  const parallel = parallelOption(options.parallel);
  if (parallel !== false && parallel !== "auto")
    throw new ArgumentError(
      "options.parallel",
      'must be false or "auto" for gibbsSync, which runs on the calling thread (gibbs runs chains on workers)',
      parallel,
    );
  return runSerial(prepareRun(model, options), options);
}
