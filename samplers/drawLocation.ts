/**
 * The location draw: the random effects of a block's factors and delta = beta - beta0 from their
 * Gaussian full conditional given Psi, sigma2 (and, in the by-factor strategy, the other factors'
 * current values), by src/blocked's factor of the Lambda-scaled system — the factor REML uses.
 *
 * With T_k = chol(Psi_k) / sigma (so Psi_k = sigma2 T_k T_k', lme4's parametrization), b = Lambda u
 * and P = Sigma_beta^{-1}, m = mu - beta0, the full conditional of (u, delta) has precision
 * Omega / sigma2 with
 *
 *     Omega = [Lambda'Z'Z Lambda + I   Lambda'Z'X       ]  = L_M L_M'
 *             [X'Z Lambda              X'X + sigma2 P   ]
 *
 * and mean Omega^{-1} [Lambda'Z'e; X'e + sigma2 P m] (e the working response: ytilde, less the given
 * factors' fit). Factoring Omega augmented by e's column (src/blocked/numeric) puts
 * l = L_M^{-1} [Lambda'Z'e; X'e + sigma2 P m] in e's row of L, and a draw is the back-substitution
 *
 *     L_M' x = l + sigma z,   z ~ N(0, I)   (Rue 2001),
 *
 * x = (u, delta). With one factor and rest = delta this is Chib & Carlin's (1999) Algorithm 2: delta
 * drawn with b integrated out (its marginal precision is the Schur complement left on X's rows), then
 * each b_j given delta. The same factor gives the residual sum of squares at the draw without a pass
 * over the rows: e's diagonal entry r² is min_x f(x) for
 *     f(x) = ||e - W x||² + |u|² + sigma2 (delta - m)' P (delta - m),
 * and f(x) = r² + sigma2 |z|² at the draw, so RSS = r² + sigma2 |z|² - |u|² - sigma2 (delta - m)'P(delta - m).
 *
 * Interface: `drawLocation(model, blockIndex, state, scratch, rng, response)` reads state.sigma2 and
 * state.psi, writes state.b (the block's factors), state.delta and state.rss; `response` is the
 * block's e part of the cross-products (Z_k'e per factor of the block, X'e, e'e), `scratch` the
 * block's `locationScratch` (allocated once). `locationStep` is the joint strategy's Gibbs step
 * (steps.ts): one block, every factor, e = ytilde. With a weighted residual model the cross-products
 * are W-weighted and RSS is the weighted sum of squares.
 *
 * References: Chib & Carlin (1999) Stat. Comput. 9:17-26, doi:10.1023/A:1008853808677; Rue (2001)
 * JRSS B 63(2):325-338, doi:10.1111/1467-9868.00288; Bates et al. (2015) lme4, JSS 67(1), §3,
 * doi:10.18637/jss.v067.i01.
 */
import type { ResponseProducts } from "../src/blocked/crossproducts";
import { diagonal, type FactorWork, factorize, factorWork } from "../src/blocked/numeric";
import { backSolve, responseRow } from "../src/blocked/solve";
import { betaName } from "../src/draws/names";
import { LmmError } from "../src/errors";
import { potrf } from "../src/linalg/potrf";
import type { Random } from "../src/random/generator";
import { fillNormal } from "../src/random/normal";
import {
  drawOneFactor,
  isOneFactorBlock,
  type OneFactorResult,
  type OneFactorScratch,
  oneFactorScratch,
} from "./drawOneFactor";
import type { ChainState, GibbsStep, ParameterGroup, SamplerModel, StepSpec } from "./types";

/** What one location block's draw writes: allocated once per block (steps.ts). */
export interface LocationScratch {
  /** T_k = chol(Psi_k) / sigma of the block's factors. */
  readonly T: Float64Array[];
  /** The factor's values, and its scratch (empty for a one-factor block: ./drawOneFactor needs neither). */
  readonly L: Float64Array;
  readonly work: FactorWork | null;
  /** A one-factor block's draw (./drawOneFactor: the same draws without L), or null. */
  readonly oneFactor: OneFactorScratch | null;
  readonly oneFactorResult: OneFactorResult;
  /** The draw (N - 1: the block's u, then delta) and its standard normals. */
  readonly x: Float64Array;
  readonly z: Float64Array;
  /** sigma2 Sigma_beta^{-1} and the prior mean's terms, added to X's rows. */
  readonly extra: { readonly xx: Float64Array; readonly xy: Float64Array; yy: number };
}

/**
 * Allocates the scratch of location block `blockIndex`.
 *
 * @param options - `general: true` draws a one-factor block through the general blocked factor too
 *   (the same draws: for tests)
 */
export function locationScratch(
  model: SamplerModel,
  blockIndex: number,
  options: { readonly general?: boolean } = {},
): LocationScratch {
  const block = model.blocks[blockIndex]!;
  const st = block.structure;
  const { p } = model;
  const one = options.general !== true && isOneFactorBlock(block);
  const vector = one ? 0 : st.N - 1;
  return {
    T: Array.from(block.factors, (k) => new Float64Array(model.factors[k]!.q ** 2)),
    L: new Float64Array(one ? 0 : st.size),
    work: one ? null : factorWork(st),
    oneFactor: one ? oneFactorScratch(block) : null,
    oneFactorResult: { info: 0, r: 0, zz: 0, uu: 0 },
    x: new Float64Array(vector),
    z: new Float64Array(vector),
    extra: { xx: new Float64Array(p * p), xy: new Float64Array(p), yy: 0 },
  };
}

/** The fixed effects' record: beta = beta0 + delta, in X's column order. */
export function betaParameters(model: SamplerModel): ParameterGroup {
  const { beta0, p } = model;
  return {
    section: "fixed",
    order: 0,
    names: model.fixedNames.map(betaName),
    write(state, out, stride, t, row) {
      for (let a = 0; a < p; a++) out[(row + a) * stride + t] = beta0[a]! + state.delta[a]!;
    },
  };
}

/** The joint location step: every factor's b and delta in one draw (block `spec.block`, e = ytilde). */
export function locationStep(
  model: SamplerModel,
  spec: Extract<StepSpec, { kind: "location" }>,
  conditional: ((m: SamplerModel, state: ChainState) => SamplerModel) | null = null,
): GibbsStep {
  const scratch = locationScratch(model, spec.block);
  const blockIndex = spec.block;
  return {
    name: "location",
    spec,
    parameters: blockIndex === 0 ? [betaParameters(model)] : [],
    draw:
      conditional === null
        ? (m, state, rng) => {
            drawLocation(m, blockIndex, state, scratch, rng, m.blocks[blockIndex]!.crossProducts);
          }
        : (m, state, rng) => {
            const c = conditional(m, state);
            drawLocation(c, blockIndex, state, scratch, rng, c.blocks[blockIndex]!.crossProducts);
          },
  };
}

function notPositiveDefinite(what: string, sigma2: number): LmmError {
  return new LmmError(
    "NUMERICAL",
    `the sampler's ${what} is not numerically positive definite (sigma2 = ${sigma2}). ` +
      "The data may be on an extreme scale or the prior nearly improper: rescale the response or use a proper prior.",
  );
}

/**
 * Draws a location block's (b, delta) from their joint full conditional, in place in `state`.
 *
 * @param model - the compiled model
 * @param blockIndex - which location block
 * @param state - the chain state (reads sigma2, psi; writes the block's b, delta, rss)
 * @param scratch - the block's scratch (`locationScratch(model, blockIndex)`)
 * @param rng - the chain's generator
 * @param response - the block's response cross-products (the block's own for the joint strategy)
 * @throws LmmError (NUMERICAL) if a precision is not numerically positive definite
 */
export function drawLocation(
  model: SamplerModel,
  blockIndex: number,
  state: ChainState,
  scratch: LocationScratch,
  rng: Random,
  response: ResponseProducts,
): void {
  const block = model.blocks[blockIndex]!;
  const st = block.structure;
  const sigma2 = state.sigma2;
  const sigma = Math.sqrt(sigma2);
  const { p } = model;
  // T_k = chol(Psi_k) / sigma for the block's factors.
  for (let i = 0; i < block.factors.length; i++) {
    const k = block.factors[i]!;
    const q = model.factors[k]!.q;
    const Tk = scratch.T[i]!;
    Tk.set(state.psi[k]!);
    if (potrf(q, Tk, q, 1, 0) !== 0) throw notPositiveDefinite("random-effects covariance", sigma2);
    for (let r = 0; r < q; r++)
      for (let c = 0; c < q; c++) Tk[r * q + c] = c <= r ? Tk[r * q + c]! / sigma : 0;
  }
  const extra = scratch.extra;
  for (let a = 0; a < p * p; a++) extra.xx[a] = sigma2 * model.betaPrecision[a]!;
  for (let a = 0; a < p; a++) extra.xy[a] = sigma2 * model.betaPrecisionMean[a]!;
  extra.yy = sigma2 * model.betaPriorQuadratic;
  if (scratch.oneFactor !== null) {
    const res = scratch.oneFactorResult;
    const k = block.factors[0]!;
    drawOneFactor(
      block,
      response,
      scratch.T[0]!,
      extra,
      sigma,
      rng,
      state.b[k]!,
      state.delta,
      scratch.oneFactor,
      res,
    );
    if (res.info !== 0) throw precisionError(st, res.info, sigma2);
    finish(model, state, res.r, res.zz, res.uu, sigma2);
    return;
  }
  const info = factorize(st, block.crossProducts, response, scratch.T, extra, scratch.L, scratch.work!);
  if (info !== 0) throw precisionError(st, info, sigma2);
  const x = responseRow(st, scratch.L, scratch.x);
  const z = scratch.z;
  fillNormal(rng, st.N - 1, z, 1, 0);
  let zz = 0;
  for (let c = 0; c < st.N - 1; c++) {
    zz += z[c]! * z[c]!;
    x[c]! += sigma * z[c]!;
  }
  backSolve(st, scratch.L, x);
  // b = T u per level; |u|².
  let uu = 0;
  for (let i = 0; i < block.factors.length; i++) {
    const k = block.factors[i]!;
    const f = model.factors[k]!;
    const q = f.q;
    const Tk = scratch.T[i]!;
    const cols = st.levelColumn[i]!;
    const b = state.b[k]!;
    for (let l = 0; l < f.m; l++) {
      const c = cols[l]!;
      for (let a = 0; a < q; a++) {
        const ua = x[c + a]!;
        uu += ua * ua;
        let v = 0;
        for (let t = 0; t <= a; t++) v += Tk[a * q + t]! * x[c + t]!;
        b[l * q + a] = v;
      }
    }
  }
  state.delta.set(x.subarray(st.xStart, st.xStart + p));
  finish(model, state, diagonal(st, scratch.L, st.N - 1), zz, uu, sigma2);
}

/** The not-positive-definite error of factor column `info - 1`. */
function precisionError(st: { readonly xStart: number }, info: number, sigma2: number): LmmError {
  return notPositiveDefinite(
    info - 1 < st.xStart ? "random-effects precision" : "fixed-effects precision",
    sigma2,
  );
}

/**
 * The residual sum of squares at the draw (the file comment): RSS = r² + sigma2 |z|² - |u|² -
 * sigma2 (delta - m)'P(delta - m), from state.delta.
 */
function finish(
  model: SamplerModel,
  state: ChainState,
  r: number,
  zz: number,
  uu: number,
  sigma2: number,
): void {
  const { p } = model;
  const delta = state.delta;
  let prior = model.betaPriorQuadratic;
  for (let a = 0; a < p; a++) {
    const da = delta[a]!;
    let v = 0;
    for (let t = 0; t < p; t++) v += model.betaPrecision[a * p + t]! * delta[t]!;
    prior += da * v - 2 * da * model.betaPrecisionMean[a]!;
  }
  state.rss = Math.max(0, r * r + sigma2 * zz - uu - sigma2 * prior);
}
