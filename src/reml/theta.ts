/**
 * The covariance parameter vector theta and the relative covariance factor Lambda(theta) it fills.
 *
 * Each random-effects term k has a q_k × q_k lower-triangular factor T_k; Lambda is block diagonal
 * with one copy of T_k per level of the term, and Psi_k = sigma2 T_k T_k' (Bates et al. 2015, §2).
 * theta lists the lower triangles term by term, each column by column (lme4's order): for q = 2,
 * theta = (T[0,0], T[1,0], T[1,1]). Diagonal elements are bounded below by 0, the others are free.
 */
import type { LmmModel } from "../model/types";

/** Where each element of theta lives. */
export interface ThetaLayout {
  /** Number of elements of theta. */
  readonly length: number;
  /** Per term: q_k. */
  readonly q: readonly number[];
  /** Per term: index of its first element in theta. */
  readonly offset: readonly number[];
  /** Per element of theta: its term. */
  readonly term: Int32Array;
  /** Per element: its row in T_k. */
  readonly row: Int32Array;
  /** Per element: its column in T_k. */
  readonly col: Int32Array;
  /** Per element: the lower bound (0 on diagonals, -Infinity off them). */
  readonly lower: Float64Array;
}

/**
 * The theta layout of a model's random-effects terms.
 *
 * @param qs - q_k of each term, in the model's term order
 * @returns the layout (sum of q_k (q_k + 1) / 2 elements)
 * @example
 * thetaLayout([2, 1]).length; // 4: (T1[0,0], T1[1,0], T1[1,1], T2[0,0])
 */
export function thetaLayout(qs: readonly number[]): ThetaLayout {
  let length = 0;
  const offset: number[] = [];
  for (const q of qs) {
    offset.push(length);
    length += (q * (q + 1)) / 2;
  }
  const term = new Int32Array(length);
  const row = new Int32Array(length);
  const col = new Int32Array(length);
  const lower = new Float64Array(length);
  let t = 0;
  qs.forEach((q, k) => {
    for (let c = 0; c < q; c++) {
      for (let r = c; r < q; r++) {
        term[t] = k;
        row[t] = r;
        col[t] = c;
        lower[t] = r === c ? 0 : Number.NEGATIVE_INFINITY;
        t++;
      }
    }
  });
  return { length, q: [...qs], offset, term, row, col, lower };
}

/** The layout of a model's terms. */
export function modelThetaLayout(model: LmmModel): ThetaLayout {
  return thetaLayout(model.terms.map((t) => t.q));
}

/**
 * lme4's starting value: every T_k the identity (diagonal elements 1, the rest 0).
 *
 * @param layout - the theta layout
 * @returns a new theta
 */
export function initialTheta(layout: ThetaLayout): Float64Array {
  const theta = new Float64Array(layout.length);
  for (let t = 0; t < layout.length; t++) theta[t] = layout.row[t] === layout.col[t] ? 1 : 0;
  return theta;
}

/**
 * Writes T_k (row-major q_k × q_k, zeros above the diagonal) for every term from theta.
 *
 * @param layout - the theta layout
 * @param theta - the parameter vector
 * @param factors - one Float64Array of length q_k² per term, overwritten
 */
export function fillFactors(layout: ThetaLayout, theta: Float64Array, factors: Float64Array[]): void {
  for (const f of factors) f.fill(0);
  for (let t = 0; t < layout.length; t++) {
    const k = layout.term[t]!;
    const q = layout.q[k]!;
    factors[k]![layout.row[t]! * q + layout.col[t]!] = theta[t]!;
  }
}
