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
import type { Random } from "../src/random/generator";

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

/**
 * One Gibbs step of the sweep, as plain data (steps.ts makes the step from it): the location
 * parameters of a block (jointly: every factor; by-factor: given the other large factors), a
 * factor's Psi, or a residual model's parameter.
 */
export type StepSpec =
  | { readonly kind: "location"; readonly block: number }
  /** `startFromPrior`: the first by-factor step starts every b at a draw from N(0, Psi). */
  | { readonly kind: "by-factor"; readonly block: number; readonly startFromPrior: boolean }
  | { readonly kind: "psi"; readonly factor: number }
  | { readonly kind: "sigma2" }
  /** varIdent: each level's residual variance from its inverse-gamma conditional. */
  | { readonly kind: "varIdent" }
  /** AR(1): phi from its full conditional with sigma2 integrated out (ar1.ts); sigma2's step follows. */
  | { readonly kind: "ar1" };

/**
 * The residual model: how e is distributed given sigma2 (residual.ts). Its cross-products are the
 * location conditionals' (`SamplerModel.crossProducts` and the blocks', W-weighted), its steps follow
 * the Psi steps.
 *
 * - "iid": e ~ N(0, sigma2 I);
 * - "weights": e_i ~ N(0, sigma2 / w_i), known precision weights (lme4's `weights =`): the
 *   cross-products are [Z X y]' W [Z X y], W = diag(w), and sigma2's conditional reads the weighted RSS.
 */
export type ResidualModel =
  | { readonly kind: "iid" }
  | { readonly kind: "weights"; readonly weights: Float64Array }
  | {
      /**
       * A residual variance per level of a factor (nlme's varIdent): e_i ~ N(0, sigma2_{s(i)} / w_i),
       * sigma2 the first level's. The location conditionals read sum_l (sigma2 / sigma2_l) A_l, A_l
       * the W-weighted cross-products of level l's rows (`strata`, one structure for all).
       */
      readonly kind: "varIdent";
      readonly group: string;
      readonly levels: readonly string[];
      readonly refs: Int32Array;
      /** Rows per level. */
      readonly counts: Float64Array;
      /** The model's precision weights, or null. */
      readonly weights: Float64Array | null;
      readonly strata: readonly CrossProducts[];
    }
  | {
      /**
       * AR(1) residuals within the chains of `group` ordered by `time` (nlme's corAR1): e ~ N(0,
       * sigma2 R(phi)). The location conditionals read the whitened cross-products, a combination of
       * `components` (S_start, then per lag C, P, D, U: ar1.ts) with coefficients from phi.
       */
      readonly kind: "ar1";
      readonly group: string;
      readonly time: string;
      /** The distinct lags (>= 1), increasing. */
      readonly lagValues: Int32Array;
      /** Per row: the index of its lag in `lagValues`, -1 at a chain's start. */
      readonly lagOf: Int32Array;
      /** Per row: its chain's previous row, -1 at a chain's start. */
      readonly prev: Int32Array;
      /** Rows per lag. */
      readonly lagCounts: Float64Array;
      /** (phi + 1) / 2 ~ Beta(a, b). */
      readonly prior: { readonly a: number; readonly b: number };
      readonly components: readonly CrossProducts[];
    };

/** Everything a chain needs, computed once per fit. Plain data (typed arrays, numbers, strings). */
export interface SamplerModel {
  readonly n: number;
  readonly p: number;
  readonly fixedNames: readonly string[];
  readonly factors: readonly SamplerFactor[];
  /** The location update chosen (reported in the posterior's settings; the steps say what runs). */
  readonly strategy: Strategy;
  /** The sweep: location step(s), each Psi, the residual model's steps (steps.ts). */
  readonly steps: readonly StepSpec[];
  /** The residual model (its weights are in the cross-products). */
  readonly residual: ResidualModel;
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
  /**
   * Cross-products of every factor, X and ytilde, in factor order (the by-factor step's given parts),
   * W-weighted by the residual model.
   */
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

/**
 * The current values of every parameter: numbers and typed arrays only (a checkpoint can copy it as it
 * is). Scratch belongs to the steps (steps.ts).
 */
export interface ChainState {
  /** Residual variance. */
  sigma2: number;
  /** Per factor: Psi (q × q) and its inverse, the precision (q × q). */
  readonly psi: Float64Array[];
  readonly precision: Float64Array[];
  /** Per factor: random effects, m × q (level-major). */
  readonly b: Float64Array[];
  /** beta - beta0. */
  readonly delta: Float64Array;
  /** The residual sum of squares at the current (beta, b), left by the last location draw. */
  rss: number;
  /**
   * The residual model's own parameters (varIdent: each level's variance, the first = sigma2; AR(1):
   * phi); else empty.
   */
  readonly residual: Float64Array;
}

/** Where a step's recorded parameters go in a draw (CLI.md's order). */
export type ParameterSection = "fixed" | "residual" | "covariance";

/** Core parameters a step records: their names, and how to write their current values. */
export interface ParameterGroup {
  readonly section: ParameterSection;
  /** Order within the section (a factor's index for Psi). */
  readonly order: number;
  readonly names: readonly string[];
  /** Writes the group's current values as draw `t`: out[(row + i) * stride + t] for each name i. */
  write(state: ChainState, out: Float64Array, stride: number, t: number, row: number): void;
}

/** One Gibbs update: draws some parameters from their full conditional given the rest. */
export interface GibbsStep {
  /** What it draws, e.g. "location", "location | given d", "Psi[Subject]", "sigma2". */
  readonly name: string;
  readonly spec: StepSpec;
  /**
   * Draws in place in `state`; allocates nothing. `model` is the compiled model the step was made
   * for, or one sharing its structure (another response: response.ts).
   */
  draw(model: SamplerModel, state: ChainState, rng: Random): void;
  /** The core parameters it records (none for most location steps: beta is recorded once). */
  readonly parameters: readonly ParameterGroup[];
  /** Sets starting values the step needs before its first draw (after sigma2 and Psi are set). */
  initialize?(model: SamplerModel, state: ChainState, rng: Random): void;
}
