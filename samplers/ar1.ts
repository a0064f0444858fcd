/**
 * AR(1) residuals in the sampler (nlme's `corAR1(form = ~ time | group)`; the model's `ar1`,
 * src/model/ar1.ts): within each chain — the rows of one level of `group` in time order — e is AR(1)
 * with correlation phi^lag between a row and the previous one `lag` time steps earlier, e ~ N(0, sigma2 R(phi)).
 * Whitening (Prais–Winsten) row t of a chain with a = phi^lag,
 *
 *     v~_start = v_start,    v~_t = (v_t - a v_prev) / sqrt(1 - a²)     (v = [Z X ytilde] of the row),
 *
 * makes e~ iid N(0, sigma2): every full conditional of (beta, b, sigma2) is the iid one on the whitened
 * rows. The AR group is nested in every random-effects factor, so a whitened row lies in the cells of
 * its own row and the whitened cross-products have the structure of the unwhitened ones.
 *
 * **Cross-products at any phi without rows.** Per lag k (a = phi^k), with sums over the rows t whose
 * lag is k and their previous rows p:
 *
 *     sum v~ v~' = S_start + sum_k [C_k - a X_k + a² P_k] / (1 - a²),
 *     C_k = sum v_t v_t',  P_k = sum v_p v_p',  X_k = sum (v_t v_p' + v_p v_t'),
 *
 * and with D_k = sum (v_t - v_p)(v_t - v_p)' and U_k = sum (v_t + v_p)(v_t + v_p)' the bracket is
 * (1 - a)(C_k - a P_k) + a D_k (a >= 0) or (1 + a)(C_k + a P_k) - a U_k (a < 0): no cancellation of
 * the large parts as |a| -> 1. So `components` holds, computed once (one pass over the rows each),
 * S_start and per lag C_k, P_k, D_k, U_k, and the location steps read their combination at the
 * current phi (`ar1Coefficients`; residual.ts's `conditionalModel`).
 *
 * **phi's step.** Given (beta, b), with sigma2 integrated out of its inverse-gamma prior,
 *
 *     p(phi | beta, b, y) ∝ p(phi) |R(phi)|^(-1/2) (scale + Q(phi) / 2)^-(shape + n/2),
 *     Q(phi) = e' R(phi)^-1 e = e_start'e_start + sum_k [c_k - 2 a x_k + a² p_k] / (1 - a²),
 *     log |R(phi)| = sum_k n_k log(1 - a²),
 *
 * (c_k, x_k, p_k the scalar sums of e over the lag-k pairs, one pass over the rows per iteration), and
 * phi is drawn from it by slice sampling (Neal 2003) with the whole support (-1, 1) as the first
 * interval, shrunk towards the current value: an exact update, each evaluation O(number of lags),
 * its uniforms from the chain's stream. The sigma2 step that follows draws sigma2 | phi, beta, b from
 * InvGamma(shape + n/2, scale + Q(phi)/2) (the step leaves Q in `state.rss`): together a draw of
 * (phi, sigma2) from their joint full conditional.
 *
 * Prior: (phi + 1) / 2 ~ Beta(a, b) (src/priors; default a = b = 1, uniform on (-1, 1)).
 *
 * Reference: Neal (2003) Slice sampling, Ann. Statist. 31(3):705–767, doi:10.1214/aos/1056562461.
 */
import {
  type CrossProducts,
  crossProductsFromRows,
  type RandomBlock,
  responseProducts,
} from "../src/blocked/crossproducts";
import { AR1_PHI_NAME } from "../src/draws/names";
import { DataError, LmmError } from "../src/errors";
import type { LmmModel } from "../src/model/types";
import { log } from "../src/random/elementary";
import type { ChainState, GibbsStep, ResidualModel, SamplerModel, StepSpec } from "./types";

/** The compiled AR(1) residual model. */
export type Ar1Residual = Extract<ResidualModel, { kind: "ar1" }>;

/** a^k for an integer k >= 0 by repeated squaring (the same double on every engine). */
export function integerPower(a: number, k: number): number {
  let result = 1;
  let base = a;
  let e = k;
  while (e > 0) {
    if (e & 1) result *= base;
    e >>= 1;
    if (e > 0) base *= base;
  }
  return result;
}

/**
 * The chains' structure as the sampler keeps it: each position's previous row and lag index.
 *
 * @param ar1 - the model's chains (src/model/types.ts)
 * @param factors - the sampler's factors (to check that each chain stays in one level of each)
 * @throws DataError when a chain's consecutive rows lie in different levels of a factor
 */
export function ar1Structure(
  ar1: NonNullable<LmmModel["ar1"]>,
  factors: readonly (RandomBlock & { readonly group: string })[],
): { lagValues: Int32Array; lagOf: Int32Array; prev: Int32Array; lagCounts: Float64Array } {
  const n = ar1.order.length;
  const distinct = Array.from(new Set(Array.from(ar1.lags).filter((l) => l > 0))).sort((x, y) => x - y);
  const lagValues = Int32Array.from(distinct);
  const index = new Map(distinct.map((l, k) => [l, k]));
  const lagOf = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const lagCounts = new Float64Array(distinct.length);
  for (let t = 0; t < n; t++) {
    const lag = ar1.lags[t]!;
    if (lag <= 0) continue;
    const row = ar1.order[t]!;
    const before = ar1.order[t - 1]!;
    for (const f of factors)
      if (f.refs[row] !== f.refs[before])
        throw new DataError(
          "INVALID_DATA",
          `invalid data. The AR(1) group \`${ar1.group}\` must lie within one level of \`${f.group}\` (model rows ${before + 1} and ${row + 1} are in one chain but not in one level).`,
          { column: ar1.group },
        );
    const k = index.get(lag)!;
    lagOf[row] = k;
    prev[row] = before;
    lagCounts[k]!++;
  }
  return { lagValues, lagOf, prev, lagCounts };
}

/** The rows behind the components, but their response: blocks, X and row weights of each. */
interface ComponentDesign {
  readonly blocks: readonly RandomBlock[];
  readonly X: Float64Array;
  readonly w: Float64Array;
  /** Which rows' response: 0 the row's own, else the previous row's times `other` added to `own` times the row's. */
  readonly own: number;
  readonly other: number;
}

/** The components' designs: S_start's, then per lag C, P, D, U (see the file comment). */
function componentDesigns(
  structure: { lagValues: Int32Array; lagOf: Int32Array; prev: Int32Array },
  factors: readonly RandomBlock[],
  X: Float64Array,
  p: number,
): ComponentDesign[] {
  const n = structure.lagOf.length;
  const { lagValues, lagOf, prev } = structure;
  const weights = (k: number): Float64Array => Float64Array.from(lagOf, (l) => (l === k ? 1 : 0));
  // Rows combined with their previous rows: own × the row + other × its previous row.
  const rowsOf = (own: number, other: number) => {
    const x = new Float64Array(n * p);
    const blocks = factors.map((f) => ({ ...f, values: new Float64Array(n * f.q) }));
    for (let i = 0; i < n; i++) {
      const j = prev[i]!;
      if (j < 0) continue;
      for (let t = 0; t < p; t++) x[i * p + t] = own * X[i * p + t]! + other * X[j * p + t]!;
      factors.forEach((f, k) => {
        const v = blocks[k]!.values;
        for (let a = 0; a < f.q; a++)
          v[i * f.q + a] = own * f.values[i * f.q + a]! + other * f.values[j * f.q + a]!;
      });
    }
    return { blocks, X: x, own, other };
  };
  const self = { blocks: factors, X, own: 1, other: 0 };
  const previous = rowsOf(0, 1);
  const difference = rowsOf(1, -1);
  const sum = rowsOf(1, 1);
  const out: ComponentDesign[] = [{ ...self, w: weights(-1) }];
  for (let k = 0; k < lagValues.length; k++) {
    const w = weights(k);
    out.push({ ...self, w }, { ...previous, w }, { ...difference, w }, { ...sum, w });
  }
  return out;
}

/** A component's response: own × ytilde_i + other × ytilde_prev(i) (0 at a chain's start unless own-only). */
function componentResponse(design: ComponentDesign, prev: Int32Array, ytilde: Float64Array): Float64Array {
  if (design.other === 0) return ytilde;
  const y = new Float64Array(ytilde.length);
  for (let i = 0; i < y.length; i++) {
    const j = prev[i]!;
    if (j >= 0) y[i] = design.own * ytilde[i]! + design.other * ytilde[j]!;
  }
  return y;
}

/**
 * The phi-free cross-products: S_start, then per lag C_k, P_k, D_k, U_k (see the file comment), each
 * with the structure of the model's cross-products.
 */
export function ar1Components(
  structure: { lagValues: Int32Array; lagOf: Int32Array; prev: Int32Array },
  factors: readonly RandomBlock[],
  X: Float64Array,
  p: number,
  ytilde: Float64Array,
): CrossProducts[] {
  return componentDesigns(structure, factors, X, p).map((d) =>
    crossProductsFromRows(d.blocks, d.X, p, componentResponse(d, structure.prev, ytilde), d.w),
  );
}

/** The components' designs of a compiled residual model, made once (they do not depend on y). */
const designCache = new WeakMap<Ar1Residual, ComponentDesign[]>();

/**
 * The components of the same rows with another response: `components`' parts that do not depend on
 * y kept, Z'y, X'y and y'y of each recomputed (response.ts).
 */
export function ar1ResponseComponents(
  residual: Ar1Residual,
  factors: readonly RandomBlock[],
  X: Float64Array,
  p: number,
  ytilde: Float64Array,
): CrossProducts[] {
  let designs = designCache.get(residual);
  if (designs === undefined) {
    designs = componentDesigns(residual, factors, X, p);
    designCache.set(residual, designs);
  }
  return designs.map((d, c) => {
    const response = responseProducts(d.blocks, d.X, p, componentResponse(d, residual.prev, ytilde), d.w);
    return { ...residual.components[c]!, zy: response.zy, xy: response.xy, yy: response.yy };
  });
}

/** The components' coefficients at phi (S_start's 1, then per lag those of C, P, D, U), into `c`. */
export function ar1Coefficients(lagValues: Int32Array, phi: number, c: Float64Array): void {
  c[0] = 1;
  for (let k = 0; k < lagValues.length; k++) {
    const a = integerPower(phi, lagValues[k]!);
    const o = 1 + 4 * k;
    if (a >= 0) {
      // [(1 - a)(C - a P) + a D] / ((1 - a)(1 + a))
      c[o] = 1 / (1 + a);
      c[o + 1] = -a / (1 + a);
      c[o + 2] = a / ((1 - a) * (1 + a));
      c[o + 3] = 0;
    } else {
      // [(1 + a)(C + a P) - a U] / ((1 - a)(1 + a))
      c[o] = 1 / (1 - a);
      c[o + 1] = a / (1 - a);
      c[o + 2] = 0;
      c[o + 3] = -a / ((1 - a) * (1 + a));
    }
  }
}

/** The scalar sums of e the phi step reads: e_start'e_start, and per lag c, p, d = |e_t - e_p|², u = |e_t + e_p|². */
export interface Ar1Sums {
  start: number;
  readonly c: Float64Array;
  readonly p: Float64Array;
  readonly d: Float64Array;
  readonly u: Float64Array;
}

/** The residuals e = ytilde - X delta - sum_k Z_k b_k per row, into `e`. */
export function residuals(model: SamplerModel, state: ChainState, e: Float64Array): void {
  const { n, p, X, ytilde, factors } = model;
  for (let i = 0; i < n; i++) {
    let v = ytilde[i]!;
    for (let t = 0; t < p; t++) v -= X[i * p + t]! * state.delta[t]!;
    for (let k = 0; k < factors.length; k++) {
      const f = factors[k]!;
      const q = f.q;
      const b = state.b[k]!;
      const base = f.refs[i]! * q;
      for (let a = 0; a < q; a++) v -= f.values[i * q + a]! * b[base + a]!;
    }
    e[i] = v;
  }
}

/** The lag sums of the residuals `e`, into `sums`. */
export function ar1Sums(residual: Ar1Residual, e: Float64Array, sums: Ar1Sums): void {
  sums.start = 0;
  sums.c.fill(0);
  sums.p.fill(0);
  sums.d.fill(0);
  sums.u.fill(0);
  const { lagOf, prev } = residual;
  for (let i = 0; i < e.length; i++) {
    const k = lagOf[i]!;
    const et = e[i]!;
    if (k < 0) {
      sums.start += et * et;
      continue;
    }
    const ep = e[prev[i]!]!;
    sums.c[k]! += et * et;
    sums.p[k]! += ep * ep;
    sums.d[k]! += (et - ep) * (et - ep);
    sums.u[k]! += (et + ep) * (et + ep);
  }
}

/** Q(phi) = e'R(phi)^-1 e from the lag sums (the file comment's forms, no cancellation as |a| -> 1). */
export function ar1Quadratic(lagValues: Int32Array, sums: Ar1Sums, phi: number): number {
  let q = sums.start;
  for (let k = 0; k < lagValues.length; k++) {
    const a = integerPower(phi, lagValues[k]!);
    const bracket =
      a >= 0
        ? (1 - a) * (sums.c[k]! - a * sums.p[k]!) + a * sums.d[k]!
        : (1 + a) * (sums.c[k]! + a * sums.p[k]!) - a * sums.u[k]!;
    q += bracket / ((1 - a) * (1 + a));
  }
  return Math.max(0, q);
}

/** log |R(phi)| = sum_k n_k log(1 - phi^(2 k)). */
export function ar1LogDet(lagValues: Int32Array, lagCounts: Float64Array, phi: number): number {
  let s = 0;
  for (let k = 0; k < lagValues.length; k++) {
    const a = integerPower(phi, lagValues[k]!);
    s += lagCounts[k]! * log((1 - a) * (1 + a));
  }
  return s;
}

/** The most shrinkage steps of one slice update before it is called a numerical failure. */
const MAX_SHRINK = 200;

/** The AR(1) step: phi | beta, b (sigma2 integrated out) by slice sampling; leaves Q(phi) in `state.rss`. */
export function ar1Step(model: SamplerModel, spec: Extract<StepSpec, { kind: "ar1" }>): GibbsStep {
  const residual = model.residual as Ar1Residual;
  const K = residual.lagValues.length;
  const e = new Float64Array(model.n);
  const sums: Ar1Sums = {
    start: 0,
    c: new Float64Array(K),
    p: new Float64Array(K),
    d: new Float64Array(K),
    u: new Float64Array(K),
  };
  return {
    name: `phi (AR(1) within ${residual.group})`,
    spec,
    parameters: [
      {
        section: "residual",
        order: 1,
        names: [AR1_PHI_NAME],
        write(state, out, stride, t, row) {
          out[row * stride + t] = state.residual[0]!;
        },
      },
    ],
    initialize(_m, state, rng) {
      // Dispersed: uniform on (-0.9, 0.9).
      state.residual[0] = 1.8 * rng.uniform() - 0.9;
    },
    draw(m, state, rng) {
      const r = m.residual as Ar1Residual;
      residuals(m, state, e);
      ar1Sums(r, e, sums);
      const shape = m.sigma2Shape + m.n / 2;
      const { a: pa, b: pb } = r.prior;
      const logTarget = (phi: number): number => {
        const prior = (pa === 1 ? 0 : (pa - 1) * log(1 + phi)) + (pb === 1 ? 0 : (pb - 1) * log(1 - phi));
        const q = ar1Quadratic(r.lagValues, sums, phi);
        return prior - 0.5 * ar1LogDet(r.lagValues, r.lagCounts, phi) - shape * log(m.sigma2Scale + q / 2);
      };
      const current = state.residual[0]!;
      const level = logTarget(current) + log(rng.uniform());
      let lo = -1;
      let hi = 1;
      for (let step = 0; ; step++) {
        if (step >= MAX_SHRINK || !Number.isFinite(level))
          throw new LmmError(
            "NUMERICAL",
            `the sampler's slice update of the AR(1) correlation phi failed (phi = ${current}, log density ${level}).`,
          );
        const proposal = lo + (hi - lo) * rng.uniform();
        if (proposal > -1 && proposal < 1 && logTarget(proposal) > level) {
          state.residual[0] = proposal;
          state.rss = ar1Quadratic(r.lagValues, sums, proposal);
          return;
        }
        if (proposal < current) lo = proposal;
        else hi = proposal;
      }
    },
  };
}
