/**
 * The by-factor location step (large crossed or nested designs): for one factor k, its random effects
 * b_k jointly with delta = beta - beta0, given the other factors' random effects — the single-factor
 * draw of ./drawLocation on the working response e = ytilde - sum_{l != k} Z_l b_l. Updating each
 * factor jointly with the fixed effects is the collapsed Gibbs sampler of Papaspiliopoulos, Roberts &
 * Zanella (2020), whose mixing does not degrade as crossed designs grow. One step costs O(n (p + q_k))
 * for the cross-products Z_k'e and X'e, plus O(m_k (q_k^3 + q_k^2 p + q_k p^2) + p^3).
 *
 * Reference: Papaspiliopoulos, Roberts & Zanella (2020) Scalable inference for crossed random effects
 * models, Biometrika 107(1):25-40, doi:10.1093/biomet/asz058.
 */
import type { Random } from "../src/random/generator";
import { drawLocation } from "./drawLocation";
import type { ChainState } from "./state";
import type { SamplerModel } from "./types";

/**
 * Draws (b_k, delta) given the other factors, updating the state's residual.
 *
 * @param model - the compiled model (by-factor strategy)
 * @param k - the factor (also its location block's index)
 * @param state - the chain state
 * @param rng - the chain's generator
 */
export function drawByFactor(model: SamplerModel, k: number, state: ChainState, rng: Random): void {
  const { n, p, X } = model;
  const f = model.factors[k]!;
  const q = f.q;
  const refs = f.refs;
  const Z = f.values;
  const b = state.b[k]!;
  const delta = state.delta;
  const r = state.residual;
  const e = state.partial;
  const u = state.leadCross;
  const g = state.restCross;
  u.fill(0, 0, f.m * q);
  g.fill(0);
  for (let i = 0; i < n; i++) {
    const zo = i * q;
    const bo = refs[i]! * q;
    const xo = i * p;
    let v = r[i]!;
    for (let t = 0; t < p; t++) v += X[xo + t]! * delta[t]!;
    for (let a = 0; a < q; a++) v += Z[zo + a]! * b[bo + a]!;
    e[i] = v;
    for (let a = 0; a < q; a++) u[bo + a]! += Z[zo + a]! * v;
    for (let t = 0; t < p; t++) g[t]! += X[xo + t]! * v;
  }
  drawLocation(model, k, state, rng, u, g);
  for (let i = 0; i < n; i++) {
    const zo = i * q;
    const bo = refs[i]! * q;
    const xo = i * p;
    let v = e[i]!;
    for (let t = 0; t < p; t++) v -= X[xo + t]! * delta[t]!;
    for (let a = 0; a < q; a++) v -= Z[zo + a]! * b[bo + a]!;
    r[i] = v;
  }
}
