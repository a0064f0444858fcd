/**
 * The by-factor location step (large crossed or nested designs): one large factor's random effects
 * jointly with the small factors' effects and delta = beta - beta0, given the other large factors'
 * — the location draw of ./drawLocation on the working response e = ytilde - sum_{other large l}
 * Z_l b_l. Updating each factor jointly with the fixed effects is the collapsed Gibbs sampler of
 * Papaspiliopoulos, Roberts & Zanella (2020), whose mixing does not degrade as crossed designs grow;
 * carrying the small factors (e.g. InstEval's 28 dept:service levels, within which lecturers are
 * nested) in every block keeps nested effects from sticking. One step costs O(n (p + q + q_small))
 * for the cross-products Z'e and W_rest'e, plus the block's Cholesky work.
 *
 * Reference: Papaspiliopoulos, Roberts & Zanella (2020) Scalable inference for crossed random effects
 * models, Biometrika 107(1):25-40, doi:10.1093/biomet/asz058.
 */
import type { Random } from "../src/random/generator";
import { drawLocation } from "./drawLocation";
import type { ChainState } from "./state";
import type { SamplerModel } from "./types";

/**
 * Draws a by-factor block (lead factor, small factors, delta) given the other factors, updating the
 * state's residual.
 *
 * @param model - the compiled model (by-factor strategy)
 * @param blockIndex - the location block
 * @param state - the chain state
 * @param rng - the chain's generator
 */
export function drawByFactor(model: SamplerModel, blockIndex: number, state: ChainState, rng: Random): void {
  const { n, p, X } = model;
  const block = model.blocks[blockIndex]!;
  const { restFactors, restOffsets, betaOffset } = block;
  const f = model.factors[block.lead]!;
  const q = f.q;
  const refs = f.refs;
  const Z = f.values;
  const b = state.b[block.lead]!;
  const r = state.residual;
  const e = state.partial;
  const u = state.leadCross;
  const g = state.restCross;
  const theta = state.rest;
  for (let k = 0; k < restFactors.length; k++) theta.set(state.b[restFactors[k]!]!, restOffsets[k]!);
  theta.set(state.delta, betaOffset);
  u.fill(0, 0, f.m * q);
  g.fill(0, 0, block.dRest);
  const nRest = restFactors.length;
  for (let i = 0; i < n; i++) {
    const zo = i * q;
    const bo = refs[i]! * q;
    const xo = i * p;
    let v = r[i]!;
    for (let t = 0; t < p; t++) v += X[xo + t]! * theta[betaOffset + t]!;
    for (let k = 0; k < nRest; k++) {
      const rf = model.factors[restFactors[k]!]!;
      const rq = rf.q;
      const base = restOffsets[k]! + rf.refs[i]! * rq;
      for (let a = 0; a < rq; a++) v += rf.values[i * rq + a]! * theta[base + a]!;
    }
    for (let a = 0; a < q; a++) v += Z[zo + a]! * b[bo + a]!;
    e[i] = v;
    for (let a = 0; a < q; a++) u[bo + a]! += Z[zo + a]! * v;
    for (let t = 0; t < p; t++) g[betaOffset + t]! += X[xo + t]! * v;
    for (let k = 0; k < nRest; k++) {
      const rf = model.factors[restFactors[k]!]!;
      const rq = rf.q;
      const base = restOffsets[k]! + rf.refs[i]! * rq;
      for (let a = 0; a < rq; a++) g[base + a]! += rf.values[i * rq + a]! * v;
    }
  }
  drawLocation(model, blockIndex, state, rng, u, g);
  // drawLocation leaves the new rest vector in state.rest (= theta).
  for (let i = 0; i < n; i++) {
    const zo = i * q;
    const bo = refs[i]! * q;
    const xo = i * p;
    let v = e[i]!;
    for (let t = 0; t < p; t++) v -= X[xo + t]! * theta[betaOffset + t]!;
    for (let k = 0; k < nRest; k++) {
      const rf = model.factors[restFactors[k]!]!;
      const rq = rf.q;
      const base = restOffsets[k]! + rf.refs[i]! * rq;
      for (let a = 0; a < rq; a++) v -= rf.values[i * rq + a]! * theta[base + a]!;
    }
    for (let a = 0; a < q; a++) v -= Z[zo + a]! * b[bo + a]!;
    r[i] = v;
  }
}
