/**
 * Prior types: what a user gives (`PriorSpec`, the priors.json form of CLI.md, any part optional) and
 * what the sampler uses (`Priors`, every hyperparameter resolved, as plain data).
 *
 * Parametrizations (DESIGN.md; the reference fixtures use exactly these):
 *     beta    ~ N(beta.mean, beta.cov)
 *     Psi_k   ~ InvWishart(df, scale)   density ∝ |Psi|^-(df+q+1)/2 exp(-tr(scale Psi^-1)/2)
 *     sigma2  ~ InvGamma(shape, scale)  density ∝ s^-(shape+1) exp(-scale/s)
 *     phi     (AR(1) residuals only): (phi + 1) / 2 ~ Beta(a, b)   density ∝ (1 + phi)^(a-1) (1 - phi)^(b-1) on (-1, 1)
 * A factor with several terms (lme4's expansion of `(x || g)`) has a block-diagonal Psi: each block
 * (term) is InvWishart(df, the block of scale); a 1 × 1 block is InvGamma(df/2, scale_ii/2).
 */

/** A matrix as a user may write it: an array of rows, or a number c meaning c times the identity. */
export type MatrixSpec = number | readonly (readonly number[])[];

/** A prior as the user writes it (priors.json, CLI.md). Anything left out takes its default. */
export interface PriorSpec {
  readonly beta?: {
    /** Prior mean of the fixed effects: one number per X column, or one number for all. */
    readonly mean?: number | readonly number[];
    /** Prior covariance: p × p, or a variance c meaning c times the identity. */
    readonly cov?: MatrixSpec;
  };
  readonly sigma2?: {
    /** InvGamma shape a > 0. */
    readonly shape?: number;
    /** InvGamma scale b > 0. */
    readonly scale?: number;
  };
  /**
   * The AR(1) correlation of a model with `ar1` residuals: (phi + 1) / 2 ~ Beta(a, b). Default a = b = 1,
   * uniform on (-1, 1); a = b > 1 shrinks towards 0.
   */
  readonly phi?: {
    /** Beta shape a > 0 (weight towards phi = 1). */
    readonly a?: number;
    /** Beta shape b > 0 (weight towards phi = -1). */
    readonly b?: number;
  };
  /** Per grouping factor, keyed by its name as in the formula (`Subject`, `batch:cask`). */
  readonly psi?: Readonly<
    Record<
      string,
      {
        /** Inverse-Wishart degrees of freedom, > q - 1 (q: the largest block's size). */
        readonly df?: number;
        /** Inverse-Wishart scale: q × q positive definite, or c > 0 meaning c times the identity. */
        readonly scale?: MatrixSpec;
      }
    >
  >;
}

/** The inverse-Wishart prior of one grouping factor's Psi, resolved. */
export interface PsiPrior {
  /** The grouping factor. */
  readonly group: string;
  /** The factor's column names (Psi's row and column names). */
  readonly names: readonly string[];
  /** Order of Psi. */
  readonly q: number;
  /** Diagonal blocks (one per term); one block of size q for a single correlated term. */
  readonly blocks: readonly { readonly start: number; readonly size: number }[];
  /** Degrees of freedom. */
  readonly df: number;
  /** q × q row-major scale matrix (entries outside the diagonal blocks are ignored, and zero here). */
  readonly scale: Float64Array;
  /** Whether this part is the documented default (not given by the user). */
  readonly isDefault: boolean;
}

/** Every hyperparameter of the model, resolved. Plain data (JSON-able after typed-array conversion). */
export interface Priors {
  readonly beta: {
    /** Fixed-effect column names. */
    readonly names: readonly string[];
    /** Prior mean, length p. */
    readonly mean: Float64Array;
    /** Prior covariance, p × p row-major. */
    readonly cov: Float64Array;
    readonly isDefault: boolean;
  };
  readonly sigma2: { readonly shape: number; readonly scale: number; readonly isDefault: boolean };
  /** One entry per grouping factor, in the order of `groupingFactors(model)`. */
  readonly psi: readonly PsiPrior[];
  /** The AR(1) correlation's Beta prior on (phi + 1) / 2: present exactly when the model has `ar1` residuals. */
  readonly phi?: PhiPrior;
}

/** The AR(1) correlation's prior, resolved: (phi + 1) / 2 ~ Beta(a, b). */
export interface PhiPrior {
  readonly a: number;
  readonly b: number;
  readonly isDefault: boolean;
}
