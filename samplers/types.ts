/**
 * The sampler's own data: the compiled model (everything computed once per fit, plain data that
 * crosses to a worker thread by structured clone) and the options of a run.
 *
 * Notation (DESIGN.md): y = X beta + sum_k Z_k b_k + offset + e. The sampler works with
 *     ytilde = y - offset - X beta0,   delta = beta - beta0
 * where beta0 is the least-squares fit of y - offset on X: the cross-products of ytilde are then on
 * the scale of the residuals, not of y, so that y'y - 2 beta'X'y + ... loses no digits when the data
 * are far from 0 (sleepstudy's 250 ms, a year column, ...). Any beta0 gives the same posterior.
 */
import type { CrossProducts } from "../src/blocked/crossproducts";
import type { BlockedStructure } from "../src/blocked/symbolic";

/**
 * One "location block": the random effects of some grouping factors (the lead first) and
 * delta = beta - beta0, drawn jointly from their Gaussian full conditional given Psi, sigma2 and the
 * factors `given` (by-factor strategy), with src/blocked's factor of the Lambda-scaled system — the
 * same factor REML uses (lme4's L_ZZ, L_XZ, L_XX): the lead's levels are its leaves.
 */
export interface LocationBlock {
  /** The block's factors (indices into `SamplerModel.factors`), the lead first. */
  readonly factors: Int32Array;
  /** Factors held at their current values (by-factor strategy; empty for joint). */
  readonly given: Int32Array;
  /** Cross-products of the block's factors, X and ytilde (src/blocked/crossproducts). */
  readonly crossProducts: CrossProducts;
  /** The structure of their Cholesky factor (src/blocked/symbolic). */
  readonly structure: BlockedStructure;
}

/** One grouping factor, as the sampler needs it. */
export interface SamplerFactor {
  readonly group: string;
  readonly names: readonly string[];
  readonly levels: readonly string[];
  readonly q: number;
  readonly m: number;
  readonly refs: Int32Array;
  /** n × q row-major column values. */
  readonly values: Float64Array;
  /** Psi's diagonal blocks. */
  readonly blockStarts: Int32Array;
  readonly blockSizes: Int32Array;
  /** Inverse-Wishart prior. */
  readonly df: number;
  /** q × q prior scale (zero outside the diagonal blocks). */
  readonly scale: Float64Array;
}

/** How the location parameters (beta, b) are updated. */
export type Strategy = "joint" | "by-factor";

/** Everything a chain needs, computed once per fit. Plain data (typed arrays, numbers, strings). */
export interface SamplerModel {
  readonly n: number;
  readonly p: number;
  readonly fixedNames: readonly string[];
  readonly factors: readonly SamplerFactor[];
  readonly strategy: Strategy;
  /**
   * joint: one block, the largest factor the lead and every other factor in its rest; by-factor: one
   * block per large factor, its rest the small factors and delta (README.md).
   */
  readonly blocks: readonly LocationBlock[];
  /** beta0, the least-squares shift (length p). */
  readonly beta0: Float64Array;
  /** ytilde = y - offset - X beta0 (length n; used by by-factor and to recompute cross-products). */
  readonly ytilde: Float64Array;
  /** n × p design (by-factor residual updates). */
  readonly X: Float64Array;
  /** Cross-products of every factor, X and ytilde, in factor order (the by-factor step's given parts). */
  readonly crossProducts: CrossProducts;
  /** Prior precision of beta, p × p, precision times (mean - beta0), length p, and (mean - beta0)' that. */
  readonly betaPrecision: Float64Array;
  readonly betaPrecisionMean: Float64Array;
  readonly betaPriorQuadratic: number;
  /** InvGamma prior of sigma2. */
  readonly sigma2Shape: number;
  readonly sigma2Scale: number;
  /** Rough scales for dispersed starting values: residual variance of the least-squares fit. */
  readonly sigma2Guess: number;
  /** Per factor, q guesses of Psi's diagonal. */
  readonly psiGuess: readonly Float64Array[];
}

/** Starting values of one chain (the location parameters are drawn first, given these). */
export interface InitialValues {
  /** Residual variance, > 0. */
  readonly sigma2?: number;
  /** Per grouping factor: Psi, q × q positive definite (or c > 0 for c times the identity). */
  readonly psi?: Readonly<Record<string, number | readonly (readonly number[])[]>>;
}

/** Progress of a run, reported to `onProgress`. */
export interface GibbsProgress {
  /** Chain index, 0-based. */
  readonly chain: number;
  /** Iterations this chain has done (warmup included). */
  readonly iteration: number;
  /** Iterations this chain will do: warmup + iter × thin. */
  readonly total: number;
  /** Iterations done over all chains, and their total. */
  readonly done: number;
  readonly grandTotal: number;
}
