/**
 * Relative efficiency of MCMC draws (ESS / S), as the R package loo 2.5.1's `relative_eff` computes
 * it for PSIS: the multi-chain ESS of the chains as they are (not split, not rank-normalized; Geyer's
 * initial monotone sequence, the same kernel as posterior's ESS: ../ess.ts) over the number of draws.
 * loo applies it to exp(log-likelihood); ESS does not change when every value is multiplied by a
 * constant, so exp(ll − max ll) gives the same number without underflow for very negative ll.
 *
 * Reference: Vehtari, Gelman & Gabry (2017) Practical Bayesian model evaluation using leave-one-out
 * cross-validation and WAIC, Stat. Comput. 27:1413–1432, doi:10.1007/s11222-016-9696-4, §3.3.
 */

import { checkOptionsArgument } from "../../src/validate";
import { EssWorkspace, essKernel } from "../ess";
import { checkFinite, type LogLikInput, pointReader } from "./pointwise";

/** One workspace for the module (the kernels are synchronous). */
export const relativeEffWorkspace = new EssWorkspace();
let scratch = new Float64Array(0);

/**
 * The relative efficiency of one point's draws (chain-major: values[c · iterations + t]).
 *
 * @param values - the draws (log-likelihood values when `exponentiate`)
 * @param chains - number of chains
 * @param iterations - draws per chain
 * @param exponentiate - take exp(values − max) first (loo's `relative_eff(exp(ll))`)
 * @param ws - ESS scratch
 * @returns ESS / S; 0.5 for constant values (what loo's `ess_rfun` gives: τ̂ = 2); NaN for fewer
 *   than 3 draws per chain
 */
export function relativeEffOfPoint(
  values: Float64Array,
  chains: number,
  iterations: number,
  exponentiate: boolean,
  ws: EssWorkspace,
): number {
  const S = chains * iterations;
  if (iterations < 3) return Number.NaN;
  if (scratch.length < S) scratch = new Float64Array(S);
  let x = values;
  if (exponentiate) {
    let max = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < S; s++) if (values[s]! > max) max = values[s]!;
    for (let s = 0; s < S; s++) scratch[s] = Math.exp(values[s]! - max);
    x = scratch;
  }
  let constant = true;
  for (let s = 1; s < S && constant; s++) if (x[s] !== x[0]) constant = false;
  if (constant) return 0.5;
  return essKernel(chains, iterations, x, 0, ws) / S;
}

/**
 * Relative efficiencies (ESS / S) of each point's draws, computed from the chains — loo's
 * `relative_eff(exp(log_lik), chain_id)` when `exponentiate` (the default), `relative_eff(x, chain_id)`
 * otherwise.
 *
 * @param x - S draws × N points (Draws, one parameter per point, chain by chain) or a pointwise function
 * @param options - `exponentiate`: x holds log-likelihood values and the efficiency of exp(x) is wanted (default true)
 * @returns one relative efficiency per point (see {@link relativeEffOfPoint} for the special cases)
 * @throws ArgumentError for a non-finite value (naming the point)
 * @example relativeEff(logLik)[0] // as loo::relative_eff(exp(ll[, 1]), chain_id)
 * @see Vehtari, Gelman & Gabry (2017), doi:10.1007/s11222-016-9696-4
 */
export function relativeEff(x: LogLikInput, options: { readonly exponentiate?: boolean } = {}): Float64Array {
  checkOptionsArgument(options);
  const reader = pointReader(x, "x");
  const out = new Float64Array(reader.points);
  const buffer = new Float64Array(reader.draws);
  for (let i = 0; i < reader.points; i++) {
    const v = reader.read(i, buffer);
    checkFinite(v, i, reader.names);
    out[i] = relativeEffOfPoint(
      v,
      reader.chains,
      reader.iterations,
      options.exponentiate ?? true,
      relativeEffWorkspace,
    );
  }
  return out;
}
