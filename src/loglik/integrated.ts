/**
 * log p(y | sigma2, Psi): the likelihood with the fixed effects AND every random effect integrated
 * out analytically under their Gaussian priors — exact for the linear mixed model, and the
 * likelihood ordinate of Chib's (1995) marginal likelihood (samplers/marginalLikelihood.ts).
 *
 * With theta = (b, beta) ~ N(m0, P⁻¹) a priori (m0 = (0, mu_beta), P = blockdiag(I ⊗ Psi_k⁻¹,
 * Sigma_beta⁻¹)) and r = y − offset = W theta + e, e ~ N(0, sigma2 I):
 *     log p(r) = −n/2 log(2π sigma2) + ½ log|P| − ½ log|Q| − ½ (r'r/sigma2 + m0'P m0 − c'Q⁻¹c),
 *     Q = P + W'W/sigma2,  c = W'r/sigma2 + P m0.
 * Q is factored in blocks, lme4's layout: the levels of the factor with the most effects (the
 * "lead") are block-diagonal in Q and eliminated one by one (q × q each), leaving a dense Schur
 * complement over the other factors' effects and beta; log|Q| and c'Q⁻¹c come from the two factors.
 * The response is first shifted by its least-squares fit X beta0 (beta's prior mean shifted with
 * it), so r'r and c'Q⁻¹c are on the residuals' scale and lose no digits to a y far from 0.
 *
 * Reference: Chib (1995) Marginal likelihood from the Gibbs output, JASA 90(432):1313–1321,
 * doi:10.1080/01621459.1995.10476635; Bates et al. (2015) lme4, JSS 67(1), §3 (the blocked factor),
 * doi:10.18637/jss.v067.i01.
 */
import { ArgumentError, LmmError } from "../errors";
import { logdetFromCholesky } from "../linalg/logdetFromCholesky";
import { potrf } from "../linalg/potrf";
import { inverseSpd } from "../linalg/spd";
import { trsv } from "../linalg/trsv";
import type { LmmModel } from "../model/types";
import { groupingFactors } from "../priors/factors";
import type { Priors } from "../priors/types";
import { groupRows } from "./unit";

const LOG_2PI = Math.log(2 * Math.PI);

/** The cross-products of a model, computed once (O(rows)); evaluate with {@link logIntegratedLikelihood}. */
export interface IntegratedLikelihood {
  readonly n: number;
  readonly p: number;
  /** Grouping factors' q and m, in `groupingFactors(model)` order; the lead factor's index. */
  readonly q: readonly number[];
  readonly m: readonly number[];
  readonly lead: number;
  /** Rest layout: offsets of the other factors' effects (−1 for the lead), and of beta. */
  readonly restOffset: readonly number[];
  readonly betaOffset: number;
  readonly dRest: number;
  /** Lead levels: D_j = Z_j'Z_j (m q q), u_j = Z_j'r (m q); couplings C_j over rest indices idx. */
  readonly D: Float64Array;
  readonly u: Float64Array;
  readonly ptr: Int32Array;
  readonly idx: Int32Array;
  readonly C: Float64Array;
  /** Rest: G = W_rest'W_rest (dRest²), g = W_rest'r, and r'r. */
  readonly G: Float64Array;
  readonly g: Float64Array;
  readonly rr: number;
  /** Prior of beta: precision (p²), precision × shifted mean, shifted mean' precision mean, log|precision|. */
  readonly betaPrecision: Float64Array;
  readonly betaPrecisionMean: Float64Array;
  readonly betaMeanQuadratic: number;
  readonly betaLogdetPrecision: number;
}

/** Rest columns (and values) of row i: the other factors' effects, then X. */
function restRow(
  model: LmmModel,
  factors: ReturnType<typeof groupingFactors>,
  lead: number,
  restOffset: readonly number[],
  betaOffset: number,
  i: number,
  cols: Int32Array,
  vals: Float64Array,
): number {
  let h = 0;
  factors.forEach((f, k) => {
    if (k === lead) return;
    const base = restOffset[k]! + f.refs[i]! * f.q;
    for (let a = 0; a < f.q; a++) {
      cols[h] = base + a;
      vals[h++] = f.values[i * f.q + a]!;
    }
  });
  for (let t = 0; t < model.p; t++) {
    cols[h] = betaOffset + t;
    vals[h++] = model.X[i * model.p + t]!;
  }
  return h;
}

/**
 * The cross-products log p(y | sigma2, Psi) needs, once per model and prior of beta.
 *
 * @param model - the model
 * @param priors - resolved priors (only beta's is used here)
 * @returns the precomputed system
 * @throws ArgumentError when the rest block (all but the largest factor's effects, plus beta)
 *   exceeds 6,000 columns (a dense factor of that size is too slow to offer)
 */
export function integratedLikelihood(model: LmmModel, priors: Priors): IntegratedLikelihood {
  const { n, p, X } = model;
  const factors = groupingFactors(model);
  let lead = 0;
  factors.forEach((f, k) => {
    if (f.m * f.q > factors[lead]!.m * factors[lead]!.q) lead = k;
  });
  const restOffset: number[] = [];
  let dRest = 0;
  factors.forEach((f, k) => {
    restOffset.push(k === lead ? -1 : dRest);
    if (k !== lead) dRest += f.m * f.q;
  });
  const betaOffset = dRest;
  dRest += p;
  if (dRest > 6000)
    throw new ArgumentError(
      "model",
      `has ${dRest} fixed and random effects outside its largest grouping factor: the integrated likelihood's dense block would be too slow`,
      model.formula,
    );
  // The least-squares shift beta0 (zeros when X'X is singular: any shift gives the same density).
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = model.y[i]! - (model.offset === null ? 0 : model.offset[i]!);
  const xtx = new Float64Array(p * p);
  const beta0 = new Float64Array(p);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < p; a++) {
      beta0[a]! += X[i * p + a]! * r[i]!;
      for (let c = 0; c <= a; c++) xtx[a * p + c]! += X[i * p + a]! * X[i * p + c]!;
    }
  if (p > 0 && potrf(p, xtx, p, 1, 0) === 0) {
    trsv("lower", "no-transpose", "non-unit", p, xtx, p, 1, 0, beta0, 1, 0);
    trsv("lower", "transpose", "non-unit", p, xtx, p, 1, 0, beta0, 1, 0);
  } else beta0.fill(0);
  let rr = 0;
  for (let i = 0; i < n; i++) {
    let v = r[i]!;
    for (let t = 0; t < p; t++) v -= X[i * p + t]! * beta0[t]!;
    r[i] = v;
    rr += v * v;
  }

  const L = factors[lead]!;
  const q = L.q;
  const { start, rows: order } = groupRows(L.refs, L.m);

  const cols = new Int32Array(dRest);
  const vals = new Float64Array(dRest);
  const D = new Float64Array(L.m * q * q);
  const u = new Float64Array(L.m * q);
  const G = new Float64Array(dRest * dRest);
  const g = new Float64Array(dRest);
  const ptr = new Int32Array(L.m + 1);
  const idxParts: Int32Array[] = [];
  const cParts: Float64Array[] = [];
  const pos = new Int32Array(dRest).fill(-1);
  for (let j = 0; j < L.m; j++) {
    const list: number[] = [];
    for (let s = start[j]!; s < start[j + 1]!; s++) {
      const h = restRow(model, factors, lead, restOffset, betaOffset, order[s]!, cols, vals);
      for (let e = 0; e < h; e++)
        if (pos[cols[e]!] !== j) {
          pos[cols[e]!] = j;
          list.push(cols[e]!);
        }
    }
    list.sort((a, b) => a - b);
    const idx = Int32Array.from(list);
    const local = new Map(list.map((c, t) => [c, t]));
    const Cj = new Float64Array(idx.length * q);
    for (let s = start[j]!; s < start[j + 1]!; s++) {
      const i = order[s]!;
      const z = i * q;
      for (let a = 0; a < q; a++) {
        u[j * q + a]! += L.values[z + a]! * r[i]!;
        for (let c = 0; c < q; c++) D[(j * q + a) * q + c]! += L.values[z + a]! * L.values[z + c]!;
      }
      const h = restRow(model, factors, lead, restOffset, betaOffset, i, cols, vals);
      for (let e = 0; e < h; e++) {
        const t = local.get(cols[e]!)!;
        for (let a = 0; a < q; a++) Cj[t * q + a]! += vals[e]! * L.values[z + a]!;
      }
    }
    idxParts.push(idx);
    cParts.push(Cj);
    ptr[j + 1] = ptr[j]! + idx.length;
  }
  const idx = new Int32Array(ptr[L.m]!);
  const C = new Float64Array(ptr[L.m]! * q);
  idxParts.forEach((part, j) => {
    idx.set(part, ptr[j]!);
    C.set(cParts[j]!, ptr[j]! * q);
  });
  for (let i = 0; i < n; i++) {
    const h = restRow(model, factors, lead, restOffset, betaOffset, i, cols, vals);
    for (let e = 0; e < h; e++) {
      g[cols[e]!]! += vals[e]! * r[i]!;
      for (let f = 0; f <= e; f++) {
        const a = Math.max(cols[e]!, cols[f]!);
        const c = Math.min(cols[e]!, cols[f]!);
        G[a * dRest + c]! += vals[e]! * vals[f]! * (a === c && e !== f ? 2 : 1);
      }
    }
  }
  // beta ~ N(mu, Sigma): delta = beta − beta0 ~ N(mu − beta0, Sigma).
  const betaPrecision =
    p > 0
      ? inverseSpd({ rows: p, cols: p, data: priors.beta.cov }, "priors.beta.cov").data
      : new Float64Array(0);
  const shifted = Float64Array.from(priors.beta.mean, (v, a) => v - beta0[a]!);
  const betaPrecisionMean = new Float64Array(p);
  let betaMeanQuadratic = 0;
  for (let a = 0; a < p; a++) {
    for (let c = 0; c < p; c++) betaPrecisionMean[a]! += betaPrecision[a * p + c]! * shifted[c]!;
    betaMeanQuadratic += shifted[a]! * betaPrecisionMean[a]!;
  }
  const cholP = Float64Array.from(betaPrecision);
  if (p > 0 && potrf(p, cholP, p, 1, 0) !== 0)
    throw new ArgumentError("priors.beta.cov", "must be positive definite", Array.from(priors.beta.cov));
  const betaLogdetPrecision = p > 0 ? logdetFromCholesky(p, cholP, p, 1, 0) : 0;
  return {
    n,
    p,
    q: factors.map((f) => f.q),
    m: factors.map((f) => f.m),
    lead,
    restOffset,
    betaOffset,
    dRest,
    D,
    u,
    ptr,
    idx,
    C,
    G,
    g,
    rr,
    betaPrecision,
    betaPrecisionMean,
    betaMeanQuadratic,
    betaLogdetPrecision,
  };
}

/**
 * log p(y | sigma2, Psi) with beta and every random effect integrated out (the file comment).
 *
 * @param system - from {@link integratedLikelihood}
 * @param sigma2 - the residual variance, > 0
 * @param psi - per grouping factor (groupingFactors order), Psi as q × q row-major (positive definite)
 * @returns the log density of y
 * @throws LmmError (NOT_POSITIVE_DEFINITE) when a Psi is not positive definite
 * @example logIntegratedLikelihood(integratedLikelihood(model, priors), 2500, [Float64Array.of(1800)])
 */
export function logIntegratedLikelihood(
  system: IntegratedLikelihood,
  sigma2: number,
  psi: readonly Float64Array[],
): number {
  const { n, p, lead, dRest: d, D, u, ptr, idx, C, G, g } = system;
  const s = 1 / sigma2;
  // Prior precisions Psi_k⁻¹ and log|P| = −Σ_k m_k log|Psi_k| + log|Sigma_beta⁻¹|.
  let logdetP = system.betaLogdetPrecision;
  const precision = psi.map((P, k) => {
    const q = system.q[k]!;
    const chol = Float64Array.from(P);
    if (potrf(q, chol, q, 1, 0) !== 0)
      throw new LmmError(
        "NOT_POSITIVE_DEFINITE",
        `Psi of grouping factor ${k + 1} is not positive definite.`,
      );
    logdetP -= system.m[k]! * logdetFromCholesky(q, chol, q, 1, 0);
    return inverseSpd({ rows: q, cols: q, data: P }, "psi").data;
  });
  const S = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) S[a * d + b] = s * G[a * d + b]!;
    c[a] = s * g[a]!;
  }
  system.q.forEach((q, k) => {
    if (k === lead) return;
    const P = precision[k]!;
    const o = system.restOffset[k]!;
    for (let lev = 0; lev < system.m[k]!; lev++) {
      const base = o + lev * q;
      for (let a = 0; a < q; a++) for (let b = 0; b <= a; b++) S[(base + a) * d + base + b]! += P[a * q + b]!;
    }
  });
  const bo = system.betaOffset;
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) S[(bo + a) * d + bo + b]! += system.betaPrecision[a * p + b]!;
    c[bo + a]! += system.betaPrecisionMean[a]!;
  }
  // Eliminate the lead levels: L_j = chol(s D_j + Psi⁻¹), w_j = L_j⁻¹ s u_j, M_j = L_j⁻¹ s C_j'.
  const q = system.q[lead]!;
  const P = precision[lead]!;
  const Lj = new Float64Array(q * q);
  const w = new Float64Array(q);
  let logdetQ = 0;
  let cQc = 0;
  const mCols = new Float64Array(q * Math.max(1, maxCoupling(ptr)));
  for (let j = 0; j < system.m[lead]!; j++) {
    for (let a = 0; a < q; a++) {
      for (let b = 0; b <= a; b++) Lj[a * q + b] = s * D[(j * q + a) * q + b]! + P[a * q + b]!;
      w[a] = s * u[j * q + a]!;
    }
    if (potrf(q, Lj, q, 1, 0) !== 0)
      throw new LmmError(
        "NOT_POSITIVE_DEFINITE",
        "the random effects' conditional precision is not positive definite.",
      );
    logdetQ += logdetFromCholesky(q, Lj, q, 1, 0);
    trsv("lower", "no-transpose", "non-unit", q, Lj, q, 1, 0, w, 1, 0);
    for (let a = 0; a < q; a++) cQc += w[a]! * w[a]!;
    const t0 = ptr[j]!;
    const nnz = ptr[j + 1]! - t0;
    // M_j column t (q values) in mCols[t q ...]: L_j⁻¹ (s C_t).
    for (let t = 0; t < nnz; t++) {
      for (let a = 0; a < q; a++) mCols[t * q + a] = s * C[(t0 + t) * q + a]!;
      trsv("lower", "no-transpose", "non-unit", q, Lj, q, 1, 0, mCols, 1, t * q);
    }
    for (let ta = 0; ta < nnz; ta++) {
      const ra = idx[t0 + ta]!;
      let dw = 0;
      for (let a = 0; a < q; a++) dw += mCols[ta * q + a]! * w[a]!;
      c[ra]! -= dw;
      for (let tb = 0; tb <= ta; tb++) {
        let dm = 0;
        for (let a = 0; a < q; a++) dm += mCols[ta * q + a]! * mCols[tb * q + a]!;
        S[ra * d + idx[t0 + tb]!]! -= dm;
      }
    }
  }
  if (potrf(d, S, d, 1, 0) !== 0)
    throw new LmmError(
      "NOT_POSITIVE_DEFINITE",
      "the fixed effects' marginal precision is not positive definite.",
    );
  logdetQ += logdetFromCholesky(d, S, d, 1, 0);
  trsv("lower", "no-transpose", "non-unit", d, S, d, 1, 0, c, 1, 0);
  for (let a = 0; a < d; a++) cQc += c[a]! * c[a]!;
  return (
    -0.5 * n * (LOG_2PI + Math.log(sigma2)) +
    0.5 * logdetP -
    0.5 * logdetQ -
    0.5 * (system.rr * s + system.betaMeanQuadratic - cQc)
  );
}

function maxCoupling(ptr: Int32Array): number {
  let max = 0;
  for (let j = 0; j + 1 < ptr.length; j++) max = Math.max(max, ptr[j + 1]! - ptr[j]!);
  return max;
}
