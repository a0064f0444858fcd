/**
 * Running to a target: `gibbs(model, { until: { rhat: 1.01, essBulk: 400, essTail: 400 } })` runs
 * `iter` draws per chain, checks every parameter's rank-normalized R-hat and bulk and tail ESS
 * (diagnostics/rhat.ts, ess.ts: the definitions of Vehtari et al. 2021, as the R package posterior
 * computes them), and while some parameter misses the target extends every chain by `batch` more
 * draws — continuing each chain's stream, so the draws of a run that stops at 3,000 are the first
 * 3,000 of one that goes on — up to `maxIter` draws per chain or `maxSeconds` of sampling.
 *
 * Checks happen only at batch ends (iter, iter + batch, iter + 2 batch, ...) and look only at the
 * draws, so the same seed and target give the same draws and the same stopping point, whatever the
 * machine's speed — except when `maxSeconds` ends the run (mid-batch, as soon as the time is up).
 *
 * Reference: Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021) Rank-normalization, folding, and
 * localization: an improved R-hat for assessing convergence of MCMC, Bayesian Analysis 16(2):667–718,
 * doi:10.1214/20-BA1221 (their recommendation: R-hat < 1.01, bulk and tail ESS > 100 per chain).
 */
import { ChainSet } from "../diagnostics/chain-set";
import { essBulk, essTail } from "../diagnostics/ess";
import { rhat } from "../diagnostics/rhat";
import type { SamplingTarget, TargetMeasure } from "../src/draws/posterior";
import { ArgumentError } from "../src/errors";
import type { ChainResult } from "./chain";

/** `options.until` of `gibbs`. */
export interface UntilOptions {
  /** Largest R-hat (rank-normalized, folded) allowed. @default 1.01 */
  readonly rhat?: number;
  /** Smallest bulk ESS allowed. @default 400 */
  readonly essBulk?: number;
  /** Smallest tail ESS allowed. @default 400 */
  readonly essTail?: number;
  /** Seconds of sampling (a resumed run's earlier sessions included) after which the run stops. @default Infinity */
  readonly maxSeconds?: number;
  /** Draws per chain a run may reach. @default 10 × iter */
  readonly maxIter?: number;
  /** Draws added to each chain when a check misses the target. @default iter */
  readonly batch?: number;
  /** Check the random effects b too (their draws are then kept). @default false */
  readonly randomEffects?: boolean;
  /** Called after each check (the CLI prints it). */
  readonly onCheck?: (check: TargetCheck) => void;
}

/** A validated target. */
export interface Target {
  readonly rhat: number;
  readonly essBulk: number;
  readonly essTail: number;
  readonly maxSeconds: number;
  readonly maxIter: number;
  readonly batch: number;
  readonly randomEffects: boolean;
  readonly onCheck: ((check: TargetCheck) => void) | undefined;
}

/** One check: the draws per chain it looked at, the worst parameter of each measure, and whether all met the target. */
export interface TargetCheck {
  readonly draws: number;
  readonly met: boolean;
  readonly rhat: TargetMeasure;
  readonly essBulk: TargetMeasure;
  readonly essTail: TargetMeasure;
  /** Draws per chain the run goes on to (the same as `draws` when it stops here). */
  readonly next: number;
}

const KEYS = ["rhat", "essBulk", "essTail", "maxSeconds", "maxIter", "batch", "randomEffects", "onCheck"];

function positive(value: unknown, name: string, fallback: number, integer: boolean, min = 0): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === "number" &&
    (integer
      ? Number.isSafeInteger(value) && value >= Math.max(1, min)
      : value > min && !Number.isNaN(value));
  if (!ok)
    throw new ArgumentError(
      `options.until.${name}`,
      integer ? `must be an integer >= ${Math.max(1, min)}` : `must be a number > ${min}`,
      value,
    );
  return value as number;
}

/**
 * Validates `options.until`.
 *
 * @param until - the option
 * @param iter - draws per chain of the first check
 * @param maxPerChain - the most draws per chain a chain can run (its counters' limit, given warmup and thin)
 * @throws ArgumentError naming the field
 */
export function untilTarget(until: unknown, iter: number, maxPerChain: number): Target {
  if (typeof until !== "object" || until === null || Array.isArray(until))
    throw new ArgumentError(
      "options.until",
      "must be an object { rhat, essBulk, essTail, maxSeconds, maxIter, batch, randomEffects }",
      until,
    );
  const u = until as Record<string, unknown>;
  for (const key of Object.keys(u))
    if (!KEYS.includes(key))
      throw new ArgumentError(`options.until.${key}`, `is not a target option (${KEYS.join(", ")})`, u[key]);
  const r = positive(u["rhat"], "rhat", 1.01, false, 1);
  const maxIter = positive(u["maxIter"], "maxIter", Math.min(10 * iter, maxPerChain), true, iter);
  if (maxIter > maxPerChain)
    throw new ArgumentError(
      "options.until.maxIter",
      `must be at most ${maxPerChain.toLocaleString("en-US")} (what a chain can run with this warmup and thin)`,
      maxIter,
    );
  if (u["randomEffects"] !== undefined && typeof u["randomEffects"] !== "boolean")
    throw new ArgumentError("options.until.randomEffects", "must be true or false", u["randomEffects"]);
  if (u["onCheck"] !== undefined && typeof u["onCheck"] !== "function")
    throw new ArgumentError("options.until.onCheck", "must be a function", u["onCheck"]);
  return {
    rhat: r,
    essBulk: positive(u["essBulk"], "essBulk", 400, false),
    essTail: positive(u["essTail"], "essTail", 400, false),
    maxSeconds: positive(u["maxSeconds"], "maxSeconds", Number.POSITIVE_INFINITY, false),
    maxIter,
    batch: positive(u["batch"], "batch", iter, true),
    randomEffects: u["randomEffects"] === true,
    onCheck: u["onCheck"] as ((check: TargetCheck) => void) | undefined,
  };
}

/**
 * Checks the chains' draws against the target: the largest R-hat and the smallest bulk and tail ESS
 * over the parameters checked (NaN counts as missing the target).
 *
 * @param target - the target
 * @param parameters - the names of the kept parameters, in the results' order
 * @param checked - how many of them are checked (the first `checked`: the core ones, or all)
 * @param results - each chain's draws so far, all of the same length
 * @returns the check (`next` is the draws per chain to go on to: the same when the run stops)
 */
export function checkTarget(
  target: Target,
  parameters: readonly string[],
  checked: number,
  results: readonly ChainResult[],
): TargetCheck {
  const M = results.length;
  const N = M > 0 ? results[0]!.kept.length / parameters.length : 0;
  const values = new Float64Array(M * N);
  let worstR: TargetMeasure = { parameter: "", value: Number.NEGATIVE_INFINITY };
  let worstB: TargetMeasure = { parameter: "", value: Number.POSITIVE_INFINITY };
  let worstT: TargetMeasure = { parameter: "", value: Number.POSITIVE_INFINITY };
  let met = true;
  for (let k = 0; k < checked; k++) {
    results.forEach((r, c) => {
      values.set(r.kept.subarray(k * N, (k + 1) * N), c * N);
    });
    const set = new ChainSet({ chains: M, iterations: N, values }, parameters[k]);
    const rv = rhat(set);
    const bv = essBulk(set);
    const tv = essTail(set);
    const name = parameters[k]!;
    if (!(rv <= target.rhat && bv >= target.essBulk && tv >= target.essTail)) met = false;
    // A NaN is the worst there is: once met, it stays.
    if (Number.isNaN(rv) || rv > worstR.value) worstR = { parameter: name, value: rv };
    if (Number.isNaN(bv) || bv < worstB.value) worstB = { parameter: name, value: bv };
    if (Number.isNaN(tv) || tv < worstT.value) worstT = { parameter: name, value: tv };
  }
  const next = met ? N : Math.min(target.maxIter, N + target.batch);
  return { draws: N, met, rhat: worstR, essBulk: worstB, essTail: worstT, next };
}

/** The target's part of the Posterior. */
export function targetResult(
  target: Target,
  reason: SamplingTarget["reason"],
  checks: number,
  last: TargetCheck | null,
): SamplingTarget {
  return {
    met: reason === "met",
    reason,
    rhat: target.rhat,
    essBulk: target.essBulk,
    essTail: target.essTail,
    randomEffects: target.randomEffects,
    checks,
    worst:
      last === null
        ? null
        : { draws: last.draws, rhat: last.rhat, essBulk: last.essBulk, essTail: last.essTail },
  };
}
