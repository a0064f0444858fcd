/**
 * The pointwise log-likelihood of a linear mixed model at every posterior draw — the input of
 * PSIS-LOO, WAIC and DIC (diagnostics/loo) — in the two forms of ./unit.ts:
 *
 * conditional, per row:
 *     log p(y_i | beta, b, sigma2) = log N(y_i; offset_i + x_i'beta + Σ_k z_ki'b_k[g_k(i)], sigma2 / w_i)
 * (w_i the model's precision weights, 1 without; the marginal form scales r_g and U_g's rows by sqrt(w_i))
 * marginal, per level g of a grouping factor A (U_g the columns of the integrated factors' effects
 * in g's rows, P = blockdiag(Psi_F⁻¹ per integrated level), r_g the residual given beta and the
 * conditioned effects):
 *     log p(y_g | ·) = log N(r_g; 0, sigma2 I + U_g P⁻¹ U_g')
 *                    = −½ [n_g log(2π sigma2) + log|P⁻¹| + log|A_g| + r'r/sigma2 − v'A_g⁻¹v],
 *     A_g = P + U_g'U_g/sigma2,  v = U_g'r_g/sigma2
 * (the matrix determinant lemma and Woodbury's identity: a d_g × d_g Cholesky per level and draw,
 * d_g the number of integrated effects in g — q for one factor — never the n_g × n_g covariance).
 *
 * Values are computed one point at a time from views of the draws (memory O(S) per point), so loo
 * can run on models whose S × N matrix would not fit (`pointwiseLogLik`); `logLik` stores the
 * matrix as `Draws` with one "parameter" `log_lik[i]` per point (CLI.md's draws CSV layout).
 *
 * Reference: Vehtari, Gelman & Gabry (2017) Stat. Comput. 27:1413–1432,
 * doi:10.1007/s11222-016-9696-4 (§4: choosing the unit of leave-one-out); Merkle, Furr &
 * Rabe-Hesketh (2019) Bayesian comparison of latent variable models: conditional versus marginal
 * likelihoods, Psychometrika 84(3):802–829, doi:10.1007/s11336-019-09679-0.
 */
import type { Draws } from "../draws/types";
import { ArgumentError } from "../errors";
import { logdetFromCholesky } from "../linalg/logdetFromCholesky";
import { potrf } from "../linalg/potrf";
import { requireRows } from "../model/stats";
import type { LmmModel } from "../model/types";
import { normalCdf } from "../stats/distributions";
import { checkDrawsArgument, checkModelArgument, checkOptionsArgument } from "../validate";
import { type ParameterDraws, parameterDraws, psiPrecisions } from "./parameters";
import { type LeaveOutOptions, type LeaveOutUnit, leaveOutUnit } from "./unit";

const LOG_2PI = Math.log(2 * Math.PI);

/** A pointwise log-likelihood computed on request (diagnostics/loo's `PointwiseLogLik`). */
export interface ModelLogLik {
  readonly points: number;
  readonly chains: number;
  readonly iterations: number;
  /** `log_lik[1]`, ..., `log_lik[N]`. */
  readonly names: readonly string[];
  /** What is left out and integrated. */
  readonly unit: LeaveOutUnit;
  /** Writes point i's log-likelihood at every draw (chain by chain) into `out` (length S). */
  point(i: number, out: Float64Array): void;
}

/** Per integrated level of one group: the factor and where its effects start among the group's d_g. */
interface GroupLayout {
  readonly d: number;
  /** Row-major d × d: U_g'U_g. */
  readonly UtU: Float64Array;
  /** Per integrated level in the group: factor index and column offset. */
  readonly levelFactor: Int32Array;
  readonly levelOffset: Int32Array;
  /** Per (row of the group, integrated factor in `integrated` order): the column offset of the row's level. */
  readonly rowOffset: Int32Array;
}

/** Column offsets of the integrated levels of each group (dense U_g'U_g per group). */
function groupLayouts(unit: LeaveOutUnit, weights: Float64Array | null): GroupLayout[] {
  const I = unit.integrated;
  const layouts: GroupLayout[] = [];
  const local: Map<number, number>[] = I.map(() => new Map());
  for (let g = 0; g < unit.points; g++) {
    const r0 = unit.start[g]!;
    const r1 = unit.start[g + 1]!;
    const levelFactor: number[] = [];
    const levelOffset: number[] = [];
    let d = 0;
    const rowOffset = new Int32Array((r1 - r0) * I.length);
    I.forEach((k, c) => {
      const f = unit.factors[k]!;
      const map = local[c]!;
      map.clear();
      for (let t = r0; t < r1; t++) {
        const lev = f.refs[unit.rows[t]!]!;
        let at = map.get(lev);
        if (at === undefined) {
          at = d;
          map.set(lev, at);
          levelFactor.push(k);
          levelOffset.push(at);
          d += f.q;
        }
        rowOffset[(t - r0) * I.length + c] = at;
      }
    });
    const UtU = new Float64Array(d * d);
    for (let t = r0; t < r1; t++) {
      const i = unit.rows[t]!;
      const wi = weights === null ? 1 : weights[i]!;
      I.forEach((k, c) => {
        const f = unit.factors[k]!;
        const oc = rowOffset[(t - r0) * I.length + c]!;
        I.forEach((k2, c2) => {
          const f2 = unit.factors[k2]!;
          const oc2 = rowOffset[(t - r0) * I.length + c2]!;
          for (let a = 0; a < f.q; a++)
            for (let a2 = 0; a2 < f2.q; a2++)
              UtU[(oc + a) * d + oc2 + a2]! += wi * f.values[i * f.q + a]! * f2.values[i * f2.q + a2]!;
        });
      });
    }
    layouts.push({
      d,
      UtU,
      levelFactor: Int32Array.from(levelFactor),
      levelOffset: Int32Array.from(levelOffset),
      rowOffset,
    });
  }
  return layouts;
}

/**
 * Writes, for one row, its conditional mean offset + x'beta + Σ_{k in factors} z_k'b_k at every draw
 * into `mu` (length S).
 */
function rowMean(
  model: LmmModel,
  unit: LeaveOutUnit,
  pd: ParameterDraws,
  factors: readonly number[],
  i: number,
  mu: Float64Array,
): void {
  const S = pd.S;
  mu.fill(model.offset === null ? 0 : model.offset[i]!);
  const p = model.p;
  for (let t = 0; t < p; t++) {
    const x = model.X[i * p + t]!;
    if (x === 0) continue;
    const beta = pd.beta[t]!;
    for (let s = 0; s < S; s++) mu[s] = mu[s]! + x * beta[s]!;
  }
  for (const k of factors) {
    const f = unit.factors[k]!;
    const b = pd.b[k]!;
    const base = f.refs[i]! * f.q;
    for (let a = 0; a < f.q; a++) {
      const z = f.values[i * f.q + a]!;
      if (z === 0) continue;
      const bv = b[base + a]!;
      for (let s = 0; s < S; s++) mu[s] = mu[s]! + z * bv[s]!;
    }
  }
}

/**
 * The pointwise log-likelihood of `model` at the draws, computed one point at a time (see the file
 * comment); pass it to `loo`, `waic` or `dic`, or store it with {@link logLikMatrix}.
 *
 * @param model - the model the draws are of
 * @param draws - posterior draws with the model's parameter names (a Posterior; random effects as
 *   draws when the unit conditions on them)
 * @param options - `by` ("rows" or a grouping factor; default: ./unit.ts `defaultUnit`), `form`
 * @returns the pointwise log-likelihood and its unit
 * @throws ArgumentError for a bad unit (./unit.ts) or draws lacking a parameter the unit needs
 * @example loo(pointwiseLogLik(model, post, { by: "Subject" })).elpd_loo
 */
export function pointwiseLogLik(model: LmmModel, draws: Draws, options: LeaveOutOptions = {}): ModelLogLik {
  checkModelArgument(model);
  requireRows(model, "The pointwise log-likelihood (loo, WAIC)");
  checkDrawsArgument(draws);
  checkOptionsArgument(options);
  if ((model.varIdent ?? null) !== null)
    throw new ArgumentError(
      "model",
      "has a residual variance per level (varIdent): its pointwise log-likelihood is not implemented yet",
      model.formula,
    );
  if ((model.ar1 ?? null) !== null)
    throw new ArgumentError(
      "model",
      "has AR(1) residuals: its rows are not conditionally independent given the parameters, and a pointwise log-likelihood (loo, WAIC) for them is not implemented",
      model.formula,
    );
  const unit = leaveOutUnit(model, options);
  const K = unit.factors.length;
  const integrated = new Set(unit.integrated);
  const needPsi = Array.from({ length: K }, (_, k) => integrated.has(k));
  const needB = Array.from({ length: K }, (_, k) => !integrated.has(k));
  const pd = parameterDraws(model, unit.factors, draws, needPsi, needB);
  const S = pd.S;
  const names = Array.from({ length: unit.points }, (_, i) => `log_lik[${i + 1}]`);
  const base = { points: unit.points, chains: draws.chains, iterations: draws.iterations, names, unit };
  const mu = new Float64Array(S);
  const y = model.y;
  const sigma2 = pd.sigma2;
  const logSigma2 = Float64Array.from(sigma2, Math.log);
  // Precision weights: row i's residual variance is sigma2 / w_i.
  const weights = model.weights ?? null;

  if (unit.integrated.length === 0) {
    // Conditional: rows, or the sum of a level's rows.
    const all = unit.conditioned;
    return {
      ...base,
      point(j, out) {
        out.fill(0, 0, S);
        for (let t = unit.start[j]!; t < unit.start[j + 1]!; t++) {
          const i = unit.rows[t]!;
          rowMean(model, unit, pd, all, i, mu);
          const yi = y[i]!;
          const wi = weights === null ? 1 : weights[i]!;
          const logW = Math.log(wi);
          for (let s = 0; s < S; s++) {
            const e = yi - mu[s]!;
            out[s] = out[s]! - 0.5 * (LOG_2PI + logSigma2[s]! - logW + (wi * e * e) / sigma2[s]!);
          }
        }
      },
    };
  }

  // Marginal over the integrated factors.
  const layouts = groupLayouts(unit, weights);
  const precisions = unit.factors.map((f, k) =>
    integrated.has(k) ? psiPrecisions(f.q, pd.psi[k]!, S, f.group) : null,
  );
  const I = unit.integrated;
  const maxRows = Math.max(
    ...Array.from({ length: unit.points }, (_, g) => unit.start[g + 1]! - unit.start[g]!),
  );
  const maxD = Math.max(...layouts.map((l) => l.d));
  const residuals = new Float64Array(maxRows * S);
  const A = new Float64Array(maxD * maxD);
  const v = new Float64Array(maxD);
  return {
    ...base,
    point(g, out) {
      const r0 = unit.start[g]!;
      const ng = unit.start[g + 1]! - r0;
      const L = layouts[g]!;
      const d = L.d;
      for (let t = 0; t < ng; t++) {
        const i = unit.rows[r0 + t]!;
        rowMean(model, unit, pd, unit.conditioned, i, mu);
        const yi = y[i]!;
        const o = t * S;
        for (let s = 0; s < S; s++) residuals[o + s] = yi - mu[s]!;
      }
      for (let s = 0; s < S; s++) {
        const s2 = sigma2[s]!;
        const inv = 1 / s2;
        // A = P + U'U / sigma2 (lower triangle), log |P⁻¹| = Σ levels log |Psi_F|.
        let logdetPinv = 0;
        for (let a = 0; a < d * d; a++) A[a] = L.UtU[a]! * inv;
        for (let l = 0; l < L.levelFactor.length; l++) {
          const k = L.levelFactor[l]!;
          const q = unit.factors[k]!.q;
          const o = L.levelOffset[l]!;
          const P = precisions[k]!;
          const po = s * q * q;
          for (let a = 0; a < q; a++)
            for (let c = 0; c <= a; c++) A[(o + a) * d + o + c]! += P.precision[po + a * q + c]!;
          logdetPinv += P.logdet[s]!;
        }
        // v = U'r / sigma2, r'r.
        v.fill(0, 0, d);
        let rr = 0;
        let logW = 0;
        for (let t = 0; t < ng; t++) {
          const i = unit.rows[r0 + t]!;
          const wi = weights === null ? 1 : weights[i]!;
          if (weights !== null) logW += Math.log(wi);
          const r = residuals[t * S + s]!;
          rr += wi * r * r;
          for (let c = 0; c < I.length; c++) {
            const f = unit.factors[I[c]!]!;
            const oc = L.rowOffset[t * I.length + c]!;
            for (let a = 0; a < f.q; a++) v[oc + a]! += f.values[i * f.q + a]! * wi * r * inv;
          }
        }
        if (potrf(d, A, d, 1, 0) !== 0) {
          out[s] = Number.NaN;
          continue;
        }
        const logdetA = logdetFromCholesky(d, A, d, 1, 0);
        // w = L⁻¹ v; v'A⁻¹v = w'w.
        let ww = 0;
        for (let a = 0; a < d; a++) {
          let x = v[a]!;
          for (let c = 0; c < a; c++) x -= A[a * d + c]! * v[c]!;
          x /= A[a * d + a]!;
          v[a] = x;
          ww += x * x;
        }
        out[s] = -0.5 * (ng * (LOG_2PI + logSigma2[s]!) - logW + logdetPinv + logdetA + rr * inv - ww);
      }
    },
  };
}

/**
 * The pointwise log-likelihood matrix, stored: Draws with one parameter `log_lik[i]` per point, each
 * point's draws chain by chain (so `formatDrawsCsv` writes CLI.md's `.chain,.iteration,.draw,log_lik[1],...`).
 *
 * @param model - the model the draws are of
 * @param draws - posterior draws (a Posterior)
 * @param options - `by`, `form` (./unit.ts)
 * @returns the matrix and its unit (`labels` names each point: its data row, or its level)
 * @throws as {@link pointwiseLogLik}
 * @example logLikMatrix(model, post, { by: "rows" }).parameters[0] // "log_lik[1]"
 */
export function logLikMatrix(
  model: LmmModel,
  draws: Draws,
  options: LeaveOutOptions = {},
): Draws & { readonly unit: LeaveOutUnit } {
  checkModelArgument(model);
  checkDrawsArgument(draws);
  checkOptionsArgument(options);
  const ll = pointwiseLogLik(model, draws, options);
  const S = draws.chains * draws.iterations;
  const values = new Float64Array(ll.points * S);
  for (let i = 0; i < ll.points; i++) ll.point(i, values.subarray(i * S, (i + 1) * S));
  return { parameters: ll.names, chains: draws.chains, iterations: draws.iterations, values, unit: ll.unit };
}

/** The posterior means of every parameter, as draws of one chain of one iteration. */
function posteriorMeans(draws: Draws): Draws {
  const S = draws.chains * draws.iterations;
  const P = draws.parameters.length;
  const values = new Float64Array(P);
  for (let k = 0; k < P; k++) {
    let m = 0;
    for (let s = 0; s < S; s++) m += draws.values[k * S + s]!;
    values[k] = m / S;
  }
  return { parameters: draws.parameters, chains: 1, iterations: 1, values };
}

/**
 * The log-likelihood at the posterior means of the parameters it uses (beta, sigma2, and Psi or b as
 * the unit needs): the plug-in term of DIC, log p(y | θ̄), per point and in total.
 *
 * @param model - the model
 * @param draws - posterior draws
 * @param options - `by`, `form`
 * @returns per point and the sum over points
 * @example dic(ll, { logLikAtMean: logLikAtMean(model, post, { by: "Subject" }).total })
 */
export function logLikAtMean(
  model: LmmModel,
  draws: Draws,
  options: LeaveOutOptions = {},
): { readonly pointwise: Float64Array; readonly total: number } {
  checkModelArgument(model);
  checkDrawsArgument(draws);
  checkOptionsArgument(options);
  const ll = pointwiseLogLik(model, posteriorMeans(draws), options);
  const pointwise = new Float64Array(ll.points);
  const one = new Float64Array(1);
  let total = 0;
  for (let i = 0; i < ll.points; i++) {
    ll.point(i, one);
    pointwise[i] = one[0]!;
    total += one[0]!;
  }
  return { pointwise, total };
}

/**
 * The predictive CDF at each observation for every draw, F_is = P(ỹ_i ≤ y_i | θ_s), for LOO-PIT
 * (`looPit({ cdf }, weights, { weightIndex })`): conditional units give Φ((y_i − μ_is)/σ_s); a
 * marginal unit gives each row's marginal predictive with the integrated effects drawn afresh,
 * Φ((y_i − μ_is)/√(σ²_s + Σ_F z_Fi'Psi_F,s z_Fi)) — the row's predictive when its group is left out.
 *
 * @param model - the model
 * @param draws - posterior draws
 * @param options - `by`, `form` (the unit whose weights will be used)
 * @returns `cdf`: S draws × n rows (Draws, `cdf[i]`); `weightIndex`: each row's point in the unit
 * @example looPit({ cdf }, loo(ll, { saveWeights: true }).psis!, { weightIndex })
 */
export function predictiveCdf(
  model: LmmModel,
  draws: Draws,
  options: LeaveOutOptions = {},
): { readonly cdf: Draws; readonly weightIndex: Int32Array } {
  checkModelArgument(model);
  checkDrawsArgument(draws);
  checkOptionsArgument(options);
  const unit = leaveOutUnit(model, options);
  const K = unit.factors.length;
  const integrated = new Set(unit.integrated);
  const pd = parameterDraws(
    model,
    unit.factors,
    draws,
    Array.from({ length: K }, (_, k) => integrated.has(k)),
    Array.from({ length: K }, (_, k) => !integrated.has(k)),
  );
  const S = pd.S;
  const n = model.n;
  const values = new Float64Array(n * S);
  const mu = new Float64Array(S);
  const variance = new Float64Array(S);
  for (let i = 0; i < n; i++) {
    rowMean(model, unit, pd, unit.conditioned, i, mu);
    variance.set(pd.sigma2);
    for (const k of unit.integrated) {
      const f = unit.factors[k]!;
      const psi = pd.psi[k]!;
      for (let a = 0; a < f.q; a++)
        for (let c = 0; c < f.q; c++) {
          const view = psi[a * f.q + c];
          if (view === null || view === undefined) continue;
          const zz = f.values[i * f.q + a]! * f.values[i * f.q + c]!;
          if (zz === 0) continue;
          for (let s = 0; s < S; s++) variance[s] = variance[s]! + zz * view[s]!;
        }
    }
    const yi = model.y[i]!;
    const o = i * S;
    for (let s = 0; s < S; s++) values[o + s] = normalCdf((yi - mu[s]!) / Math.sqrt(variance[s]!));
  }
  return {
    cdf: {
      parameters: Array.from({ length: n }, (_, i) => `cdf[${i + 1}]`),
      chains: draws.chains,
      iterations: draws.iterations,
      values,
    },
    weightIndex: Int32Array.from(unit.pointOfRow),
  };
}
