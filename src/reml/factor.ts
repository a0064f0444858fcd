/**
 * REML's factor L(theta) of
 *
 *     Omega(theta) = [Lambda'Z'Z Lambda + I   Lambda'Z'X   Lambda'Z'y]
 *                    [X'Z Lambda              X'X          X'y       ]  = L L'
 *                    [y'Z Lambda              y'X          y'y       ]
 *
 * (src/blocked: the blocked supernodal Cholesky the sampler shares) and the profiled criteria read
 * off its diagonal (Bates et al. 2015, eqs. 34, 41): log|L_Z|², log|R_X|² and r² = L[y,y]².
 */
import { determinants, type FactorWork, factorize as factorBlocked, factorWork } from "../blocked/numeric";
import type { BlockedSystem } from "./system";
import { fillFactors, type ThetaLayout } from "./theta";

/** Everything one evaluation writes; allocated once per fit. */
export interface FactorWorkspace {
  /** T_k per term (row-major q_k × q_k). */
  readonly T: Float64Array[];
  /** L's values (the system's structure says where each entry lives). */
  readonly L: Float64Array;
  readonly work: FactorWork;
  /** Whether the last `factorize` succeeded, and the theta it was run at. */
  ok: boolean;
  readonly theta: Float64Array;
}

/** Allocates the workspace of a system. */
export function factorWorkspace(sys: BlockedSystem, layout: ThetaLayout): FactorWorkspace {
  return {
    T: layout.q.map((q) => new Float64Array(q * q)),
    L: new Float64Array(sys.structure.size),
    work: factorWork(sys.structure),
    ok: false,
    theta: new Float64Array(layout.length).fill(Number.NaN),
  };
}

/**
 * Computes L(theta) into the workspace.
 *
 * @param sys - the blocked system
 * @param layout - theta layout
 * @param theta - covariance parameters
 * @param ws - workspace, overwritten
 * @returns true, or false when Omega is not numerically positive definite (X rank deficient, or a
 *   perfect fit) — the criterion is then +Infinity
 * @example
 * const sys = buildSystem(model);
 * const ws = factorWorkspace(sys, layout);
 * factorize(sys, layout, new Float64Array([1]), ws); // true
 * profiledCriterion(criterionParts(sys, ws), model.n, model.p, true); // the REML criterion at theta = 1
 */
export function factorize(
  sys: BlockedSystem,
  layout: ThetaLayout,
  theta: Float64Array,
  ws: FactorWorkspace,
): boolean {
  ws.theta.set(theta);
  fillFactors(layout, theta, ws.T);
  ws.ok = factorBlocked(sys.structure, sys.cp, sys.cp, ws.T, null, ws.L, ws.work) === 0;
  return ws.ok;
}

/** The pieces of the profiled criteria at the last factorization. */
export interface CriterionParts {
  /** log det(Lambda'Z'Z Lambda + I). */
  readonly logdetZ: number;
  /** log det(R_X'R_X). */
  readonly logdetX: number;
  /** Penalized residual sum of squares r². */
  readonly prss: number;
}

/**
 * Reads log-determinants and the PRSS off the factor's diagonal.
 *
 * @returns log det(Lambda'Z'Z Lambda + I), log det(R_X'R_X) and the penalized residual sum of squares
 * @example
 * criterionParts(sys, ws).prss; // r² = L[y,y]²
 */
export function criterionParts(sys: BlockedSystem, ws: FactorWorkspace): CriterionParts {
  return determinants(sys.structure, ws.L);
}

/**
 * The profiled criterion: the ML deviance, or the REML criterion (lme4's `devfun`), from the parts.
 *
 *     ML:   d(theta)   = log|L_Z|² + n (1 + log(2 pi r² / n))
 *     REML: d_R(theta) = log|L_Z|² + log|R_X|² + (n - p) (1 + log(2 pi r² / (n - p)))
 *
 * @returns the criterion (lower is better)
 * @see Bates et al. (2015) JSS 67(1), eqs. 34 and 41, doi:10.18637/jss.v067.i01
 * @example
 * profiledCriterion({ logdetZ: 0, logdetX: 0, prss: 1 }, 10, 1, false); // 5.3529 = 10 (1 + log(2 pi / 10))
 */
export function profiledCriterion(parts: CriterionParts, n: number, p: number, reml: boolean): number {
  const nu = reml ? n - p : n;
  const base = parts.logdetZ + nu * (1 + Math.log((2 * Math.PI * parts.prss) / nu));
  return reml ? base + parts.logdetX : base;
}
