/**
 * `LmmModel`: a linear mixed model's data, ready for fitting — the contract between the design stage
 * and everything that fits (REML/ML in src/reml, the Gibbs sampler in samplers/).
 *
 *     y = X beta + sum_k Z_k b_k + offset + e,   e ~ N(0, sigma2 I),   b_kj ~ N(0, Psi_k) iid over levels j
 *
 * Storage is chosen for the hot loops: dense row-major Float64Arrays, built once, never copied or
 * changed afterwards (treat every array here as read-only).
 *
 * Z_k is never stored as a matrix. Row i of Z_k has q_k non-zeros, in the columns of level
 * `refs[i]`: Z_k[i, refs[i] * q + r] = values[i * q + r] for r = 0..q-1. Columns are grouped by
 * level, q per level, in the order of `levels` — lme4's layout, so Z = [Z_1 ... Z_K] has the column
 * order of lme4's `getME(fit, "Z")`.
 */
import type { DesignRecipe } from "../design/recipe";

/** One random-effects term (lme4's "reTrm"): the columns `names` varying by the levels of `group`. */
export interface RandomEffectsTerm {
  /** The grouping factor's name as lme4 gives it: `Subject`, `cask:batch`. */
  readonly group: string;
  /**
   * lme4's label for this term where several terms share a grouping factor: the first is `Subject`,
   * the next `Subject.1`, ... (as in `as.data.frame(VarCorr(fit))$grp`). Equal to `group` otherwise.
   */
  readonly label: string;
  /** The factor's levels, in lme4's order; `m = levels.length`. */
  readonly levels: readonly string[];
  /** Level index (0-based into `levels`) of each of the n rows. */
  readonly refs: Int32Array;
  /** The term's column names in order, e.g. `["(Intercept)", "Days"]`; `q = names.length`. */
  readonly names: readonly string[];
  /** Number of columns per level. */
  readonly q: number;
  /** Number of levels. */
  readonly m: number;
  /** n × q row-major: the values of the term's columns in each row (see the file comment). */
  readonly values: Float64Array;
}

/** The sums of a model's rows per cell of its random-effects terms (src/model/stats.ts). */
export interface ModelStatistics {
  /** Length of v: 1 + Σ_k q_k + p + 1. */
  readonly d: number;
  /** Number of cells. */
  readonly count: number;
  /** Per random-effects term (model order), the level (0-based) of each cell. */
  readonly levels: readonly Int32Array[];
  /** count × d (d + 1) / 2: each cell's packed lower triangle of Σ v v' (row by row). */
  readonly sums: Float64Array;
}

/** The strata of a residual variance per level (nlme's varIdent): the factor, its levels, each row's. */
export interface VarIdent {
  /** The stratifying column's name. */
  readonly group: string;
  /** Its levels (the first is the reference, delta = 1). */
  readonly levels: readonly string[];
  /** Level index (0-based) of each row. */
  readonly refs: Int32Array;
}

/**
 * AR(1) residual correlation within groups ordered by time (nlme's `corAR1(form = ~ time | group)`):
 * the residuals of one group are a stationary AR(1) chain, cor(e_s, e_t) = phi^|t_s − t_t|, and
 * var(e) = sigma2 R(phi). See src/model/ar1.ts for nlme's exact semantics (gaps, row order).
 */
export interface Ar1 {
  /** The time column's name; `"1"` for the rows' order within a group (nlme's `~ 1 | group`). */
  readonly time: string;
  /** The grouping column's name. */
  readonly group: string;
  /** Number of groups (AR chains) in the rows used. */
  readonly chains: number;
  /** Model rows (0..n-1) in chain order: group by group, time increasing within a group. */
  readonly order: Int32Array;
  /** Per position of `order`: the lag (>= 1) to the previous row of the same chain; 0 where a chain starts. */
  readonly lags: Int32Array;
}

/** A linear mixed model: response, fixed-effects design and random-effects terms. */
export interface LmmModel {
  /** The formula text the model was built from. */
  readonly formula: string;
  /** The response column's name. */
  readonly response: string;
  /** Number of rows used (after dropping rows with missing values). */
  readonly n: number;
  /** Number of fixed-effect columns (after dropping aliased columns). */
  readonly p: number;
  /** The response, length n. */
  readonly y: Float64Array;
  /** n × p row-major fixed-effects design matrix, R's `model.matrix` columns. */
  readonly X: Float64Array;
  /** X's column names in order, e.g. `["(Intercept)", "standLRT", "sexM"]`. */
  readonly fixedNames: readonly string[];
  /** The sum of the formula's `offset()` terms per row, or `null` when there are none. */
  readonly offset: Float64Array | null;
  /**
   * Precision weights per row (lme4's `weights =`): e_i ~ N(0, sigma2 / w_i). Absent or `null` for
   * none (all 1).
   */
  readonly weights?: Float64Array | null;
  /**
   * A residual variance per level of a factor (nlme's `varIdent(form = ~ 1 | group)`): row i's
   * residual variance is sigma2 delta_{refs[i]}², delta_0 = 1 for the first level. Absent or `null`
   * for one residual variance.
   */
  readonly varIdent?: VarIdent | null;
  /**
   * AR(1) residuals within groups ordered by time (nlme's `corAR1(form = ~ time | group)`): e of one
   * group has covariance sigma2 R(phi), R_st = phi^|t_s − t_t|. Absent or `null` for independent
   * residuals.
   */
  readonly ar1?: Ar1 | null;
  /** Random-effects terms, in lme4's order (by decreasing number of levels, stable). */
  readonly terms: readonly RandomEffectsTerm[];
  /** Rows of the data that were dropped because a used column had a missing value. */
  readonly dropped: number;
  /** For each used row, its 0-based index in the data as given. */
  readonly rows: Int32Array;
  /** Fixed-effect columns dropped because they were linear combinations of earlier ones. */
  readonly aliased: readonly string[];
  /** Warnings raised while building the model (aliased columns, ...), to show the user. */
  readonly warnings: readonly string[];
  /**
   * How to build this design on new data (`applyRecipe(model.recipe, newdata)`): every variable's
   * computation with the training data's parameters, factor levels and contrasts, X's columns and the
   * random terms' grouping levels. Set by `lmm` / `modelFromFrame`; absent on models assembled by hand.
   */
  readonly recipe?: DesignRecipe;
  /**
   * Present on a model built from sufficient statistics (src/model/stats.ts): the sums per cell of
   * the terms' levels. Such a model has no rows: y, X, rows and each term's refs and values are empty
   * (length 0), offset is null (the sums are of y − offset), and what needs rows throws NEEDS_ROWS.
   */
  readonly statistics?: ModelStatistics;
}
