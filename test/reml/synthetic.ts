/**
 * Seeded synthetic models for oracle tests, and a naive dense evaluation of the profiled criteria
 * straight from their definition (Bates et al. 2015, eqs. 34 and 41), to check the blocked code.
 */
import { potrf } from "../../src/linalg/potrf";
import type { LmmModel, RandomEffectsTerm } from "../../src/model/types";
import { Random } from "../../src/random/generator";
import { normal } from "../../src/random/normal";
import { fillFactors, modelThetaLayout } from "../../src/reml/theta";

export interface SyntheticSpec {
  n: number;
  p: number;
  /** Per term: levels and q (column 0 is an intercept, the others random covariates). */
  terms: { m: number; q: number }[];
  offset?: boolean;
  seed: number;
}

/** A random model: X with an intercept and normal covariates, terms with random level assignments. */
export function syntheticModel(spec: SyntheticSpec): LmmModel {
  const rng = Random.fromSeed(spec.seed);
  const { n, p } = spec;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    for (let c = 1; c < p; c++) X[i * p + c] = normal(rng);
  }
  const terms: RandomEffectsTerm[] = spec.terms.map((t, k) => {
    const refs = new Int32Array(n);
    for (let i = 0; i < n; i++) refs[i] = i < t.m ? i : Math.floor(rng.uniform() * t.m);
    const values = new Float64Array(n * t.q);
    for (let i = 0; i < n; i++) {
      values[i * t.q] = 1;
      for (let c = 1; c < t.q; c++) values[i * t.q + c] = normal(rng);
    }
    const names = Array.from({ length: t.q }, (_, c) => (c === 0 ? "(Intercept)" : `x${c}`));
    return {
      group: `g${k}`,
      label: `g${k}`,
      levels: Array.from({ length: t.m }, (_, l) => `L${l}`),
      refs,
      names,
      q: t.q,
      m: t.m,
      values,
    };
  });
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 2 * normal(rng);
    for (let c = 0; c < p; c++) v += X[i * p + c]! * (c + 1);
    y[i] = v;
  }
  // Level effects so the variances are not all zero.
  for (const t of terms) {
    const effects = Array.from({ length: t.m * t.q }, () => normal(rng));
    for (let i = 0; i < n; i++)
      for (let c = 0; c < t.q; c++) y[i]! += effects[t.refs[i]! * t.q + c]! * t.values[i * t.q + c]!;
  }
  const offset = spec.offset ? Float64Array.from({ length: n }, () => normal(rng)) : null;
  if (offset) for (let i = 0; i < n; i++) y[i]! += offset[i]!;
  return {
    formula: "synthetic",
    response: "y",
    n,
    p,
    y,
    X,
    fixedNames: Array.from({ length: p }, (_, c) => (c === 0 ? "(Intercept)" : `z${c}`)),
    offset,
    terms,
    dropped: 0,
    rows: Int32Array.from({ length: n }, (_, i) => i),
    aliased: [],
    warnings: [],
  };
}

/**
 * The profiled criterion by brute force: dense Z, Lambda, Omega = [Lambda'Z'Z Lambda + I, ...; X'Z Lambda, X'X]
 * and its Cholesky factor; logdet and PRSS from the definitions.
 */
export function naiveCriterion(model: LmmModel, theta: Float64Array, reml: boolean): number {
  const layout = modelThetaLayout(model);
  const T = model.terms.map((t) => new Float64Array(t.q * t.q));
  fillFactors(layout, theta, T);
  const qTotal = model.terms.reduce((s, t) => s + t.m * t.q, 0);
  const { n, p } = model;
  // W = [Z Lambda, X], dense n × (qTotal + p).
  const w = qTotal + p;
  const W = new Float64Array(n * w);
  let off = 0;
  model.terms.forEach((t, k) => {
    for (let i = 0; i < n; i++)
      for (let a = 0; a < t.q; a++) {
        // (Z Lambda)[i, level*q + a] = sum_c z[i,c] T[c,a]
        let v = 0;
        for (let c = a; c < t.q; c++) v += t.values[i * t.q + c]! * T[k]![c * t.q + a]!;
        W[i * w + off + t.refs[i]! * t.q + a] = v;
      }
    off += t.m * t.q;
  });
  for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) W[i * w + qTotal + c] = model.X[i * p + c]!;
  const y = Float64Array.from(model.y, (v, i) => v - (model.offset?.[i] ?? 0));
  const M = new Float64Array(w * w);
  const rhs = new Float64Array(w);
  for (let a = 0; a < w; a++) {
    for (let b = 0; b <= a; b++) {
      let v = a === b && a < qTotal ? 1 : 0;
      for (let i = 0; i < n; i++) v += W[i * w + a]! * W[i * w + b]!;
      M[a * w + b] = v;
      M[b * w + a] = v;
    }
    let r = 0;
    for (let i = 0; i < n; i++) r += W[i * w + a]! * y[i]!;
    rhs[a] = r;
  }
  if (potrf(w, M, w, 1, 0) !== 0) return Number.POSITIVE_INFINITY;
  // Solve M x = rhs, PRSS = y'y - rhs'x.
  const z = new Float64Array(w);
  for (let a = 0; a < w; a++) {
    let v = rhs[a]!;
    for (let c = 0; c < a; c++) v -= M[a * w + c]! * z[c]!;
    z[a] = v / M[a * w + a]!;
  }
  let prss = 0;
  for (let i = 0; i < n; i++) prss += y[i]! * y[i]!;
  for (let a = 0; a < w; a++) prss -= z[a]! * z[a]!;
  let logdetZ = 0;
  let logdetX = 0;
  for (let a = 0; a < w; a++) {
    const l = 2 * Math.log(M[a * w + a]!);
    if (a < qTotal) logdetZ += l;
    else logdetX += l;
  }
  const nu = reml ? n - p : n;
  const base = logdetZ + nu * (1 + Math.log((2 * Math.PI * prss) / nu));
  return reml ? base + logdetX : base;
}

/**
 * Conditional variances of b by brute force: sigma² diag(Lambda (Lambda'Z'Z Lambda + I)^{-1} Lambda'),
 * per term m_k × q_k, from a dense inverse.
 */
export function naiveConditionalVariances(
  model: LmmModel,
  theta: Float64Array,
  sigma2: number,
): Float64Array[] {
  const layout = modelThetaLayout(model);
  const T = model.terms.map((t) => new Float64Array(t.q * t.q));
  fillFactors(layout, theta, T);
  const q = model.terms.reduce((s, t) => s + t.m * t.q, 0);
  const { n } = model;
  const ZL = new Float64Array(n * q);
  const Lam = new Float64Array(q * q);
  let off = 0;
  model.terms.forEach((t, k) => {
    for (let l = 0; l < t.m; l++)
      for (let a = 0; a < t.q; a++)
        for (let c = 0; c < t.q; c++) Lam[(off + l * t.q + a) * q + off + l * t.q + c] = T[k]![a * t.q + c]!;
    for (let i = 0; i < n; i++)
      for (let a = 0; a < t.q; a++) {
        let v = 0;
        for (let c = a; c < t.q; c++) v += t.values[i * t.q + c]! * T[k]![c * t.q + a]!;
        ZL[i * q + off + t.refs[i]! * t.q + a] = v;
      }
    off += t.m * t.q;
  });
  const M = new Float64Array(q * q);
  for (let a = 0; a < q; a++)
    for (let b = 0; b < q; b++) {
      let v = a === b ? 1 : 0;
      for (let i = 0; i < n; i++) v += ZL[i * q + a]! * ZL[i * q + b]!;
      M[a * q + b] = v;
    }
  // Gauss-Jordan inverse (small q).
  const inv = new Float64Array(q * q);
  for (let a = 0; a < q; a++) inv[a * q + a] = 1;
  for (let c = 0; c < q; c++) {
    const piv = M[c * q + c]!;
    for (let j = 0; j < q; j++) {
      M[c * q + j]! /= piv;
      inv[c * q + j]! /= piv;
    }
    for (let r = 0; r < q; r++) {
      if (r === c) continue;
      const f = M[r * q + c]!;
      for (let j = 0; j < q; j++) {
        M[r * q + j]! -= f * M[c * q + j]!;
        inv[r * q + j]! -= f * inv[c * q + j]!;
      }
    }
  }
  const out: Float64Array[] = [];
  off = 0;
  for (const t of model.terms) {
    const v = new Float64Array(t.m * t.q);
    for (let a = off; a < off + t.m * t.q; a++) {
      let s = 0;
      for (let b = 0; b < q; b++)
        for (let c = 0; c < q; c++) s += Lam[a * q + b]! * inv[b * q + c]! * Lam[a * q + c]!;
      v[a - off] = sigma2 * s;
    }
    out.push(v);
    off += t.m * t.q;
  }
  return out;
}
