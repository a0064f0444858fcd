/**
 * Leave-out units: which pieces of the data a pointwise log-likelihood is split into, and which
 * random effects each piece's likelihood integrates out.
 *
 * - `rows`, conditional: log p(y_i | beta, b, sigma2) per row — every random effect as drawn.
 * - a grouping factor A, marginal: log p(y_g | beta, sigma2, Psi, b_C) per level g of A, with the
 *   effects of A — and of every factor nested in A (each of whose levels lies within one level of
 *   A) — integrated out analytically (exact: the model is Gaussian), and the effects b_C of the other
 *   factors C (crossed with A, or containing A) as drawn. Given those parameters the levels of A are
 *   independent, which is what makes the leave-one-level-out predictive density
 *   p(y_g | y_-g) = ∫ p(y_g | φ) p(φ | y_-g) dφ a product-form PSIS target. With one grouping factor,
 *   or nested ones left out at the outermost level, C is empty: b is integrated out entirely.
 *   In a crossed design (plate × sample), leaving out a plate is defined conditionally on the
 *   sample effects: integrating those out too would couple every plate through the shared samples,
 *   and the likelihood would not factor over plates — that form is not offered.
 * - a grouping factor, conditional: the sum of the rows' conditional log-likelihoods per level (what
 *   brms gives for grouped log-likelihoods; its Pareto k's are large because b_g is learned from y_g
 *   alone — README.md, "Model comparison").
 * - Refused: rows with the marginal form (rows of one level share its random effects, so once they
 *   are integrated out the rows are not independent and there is no row-wise marginal
 *   log-likelihood); a unit that is not a grouping factor of the model.
 */
import { ArgumentError } from "../errors";
import type { LmmModel } from "../model/types";
import { type GroupingFactor, groupingFactors, sameGroup } from "../priors/factors";
import { checkModelArgument, checkOptionsArgument } from "../validate";

/** Which form of the likelihood. */
export type LogLikForm = "conditional" | "marginal";

/** Options choosing the leave-out unit. */
export interface LeaveOutOptions {
  /**
   * "rows", or a grouping factor's name as in the formula (`Subject`, `batch:cask`). Default: for
   * grouped data the factor every other factor is nested in, if there is one, else the first
   * grouping factor (lme4's order: most levels) — see {@link defaultUnit}.
   */
  readonly by?: string;
  /** Default "conditional" for rows, "marginal" for a grouping factor. */
  readonly form?: LogLikForm;
}

/** A resolved leave-out unit. */
export interface LeaveOutUnit {
  /** "rows" or the grouping factor's name (as the model gives it). */
  readonly by: string;
  readonly form: LogLikForm;
  /** The model's grouping factors (`groupingFactors(model)`). */
  readonly factors: readonly GroupingFactor[];
  /** Index of the left-out factor, or −1 for rows. */
  readonly factor: number;
  /** Factors whose effects are integrated out (marginal form), ascending. */
  readonly integrated: readonly number[];
  /** Factors whose effects are taken as drawn. */
  readonly conditioned: readonly number[];
  /** Number of points and, per point, its rows (0-based model rows) in `rows[start[j]..start[j+1])`. */
  readonly points: number;
  readonly start: Int32Array;
  readonly rows: Int32Array;
  /** Per point: a label (the 1-based data row, or the factor's level). */
  readonly labels: readonly string[];
  /** Per model row: its point. */
  readonly pointOfRow: Int32Array;
  /** One sentence saying what is left out and what is integrated, for people. */
  readonly description: string;
}

/** Whether factor `inner` is nested in factor `outer`: each of inner's levels occurs with one level of outer. */
export function isNestedIn(inner: GroupingFactor, outer: GroupingFactor): boolean {
  const seen = new Int32Array(inner.m).fill(-1);
  for (let i = 0; i < inner.refs.length; i++) {
    const a = inner.refs[i]!;
    const o = outer.refs[i]!;
    if (seen[a] === -1) seen[a] = o;
    else if (seen[a] !== o) return false;
  }
  return true;
}

/**
 * The default leave-out unit of a model: the grouping factor in which every other factor is nested
 * (one factor; nested designs: the outermost, so that every random effect is integrated out), else
 * the first grouping factor (crossed designs; the others are then conditioned on).
 *
 * @example defaultUnit(lmm("y ~ 1 + (1 | school/class)", data)) // "school"
 */
export function defaultUnit(model: LmmModel): string {
  const factors = groupingFactors(model);
  const outer = factors.find((f) => factors.every((g) => g === f || isNestedIn(g, f)));
  return (outer ?? factors[0]!).group;
}

/** Rows grouped by level: rows[start[j]..start[j+1]) are level j's, in row order. */
export function groupRows(refs: Int32Array, m: number): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(m + 1);
  for (let i = 0; i < refs.length; i++) start[refs[i]! + 1]!++;
  for (let j = 0; j < m; j++) start[j + 1]! += start[j]!;
  const fill = start.slice(0, m);
  const rows = new Int32Array(refs.length);
  for (let i = 0; i < refs.length; i++) rows[fill[refs[i]!]!++] = i;
  return { start, rows };
}

/**
 * Resolves and checks a leave-out unit for a model (see the file comment for what each means).
 *
 * @param model - the model
 * @param options - `by` and `form`
 * @returns the unit: its points, their rows, which effects are integrated and which conditioned on
 * @throws ArgumentError for a `by` that is neither "rows" nor a grouping factor (naming the factors),
 *   or rows with the marginal form
 */
export function leaveOutUnit(model: LmmModel, options: LeaveOutOptions = {}): LeaveOutUnit {
  checkModelArgument(model);
  checkOptionsArgument(options);
  const factors = groupingFactors(model);
  const by = options.by ?? defaultUnit(model);
  if (typeof by !== "string" || by.length === 0)
    throw new ArgumentError("by", 'must be "rows" or the name of a grouping factor', by);
  const form = options.form ?? (by === "rows" ? "conditional" : "marginal");
  if (form !== "conditional" && form !== "marginal")
    throw new ArgumentError("form", 'must be "conditional" or "marginal"', form);
  const all = factors.map((_, k) => k);
  if (by === "rows") {
    if (form === "marginal")
      throw new ArgumentError(
        "form",
        `must be "conditional" with by: "rows": rows of one level of \`${factors[0]!.group}\` share its random effects, so once they are integrated out the rows are not independent and there is no row-wise marginal log-likelihood (leave out a group with by: "${defaultUnit(model)}" instead)`,
        form,
      );
    const n = model.n;
    return {
      by,
      form,
      factors,
      factor: -1,
      integrated: [],
      conditioned: all,
      points: n,
      start: Int32Array.from({ length: n + 1 }, (_, i) => i),
      rows: Int32Array.from({ length: n }, (_, i) => i),
      labels: Array.from(model.rows, (r) => String(r + 1)),
      pointOfRow: Int32Array.from({ length: n }, (_, i) => i),
      description: "leave one row out: every random effect as drawn (conditional likelihood)",
    };
  }
  const a = factors.findIndex((f) => sameGroup(f.group, by));
  if (a < 0)
    throw new ArgumentError(
      "by",
      `must be "rows" or a grouping factor of the model (${factors.map((f) => `\`${f.group}\``).join(", ")})`,
      by,
    );
  const A = factors[a]!;
  const integrated = form === "marginal" ? all.filter((k) => isNestedIn(factors[k]!, A)) : [];
  const conditioned = all.filter((k) => !integrated.includes(k));
  const { start, rows } = groupRows(A.refs, A.m);
  const names = (ks: readonly number[]) => ks.map((k) => `\`${factors[k]!.group}\``).join(", ");
  const description =
    form === "conditional"
      ? `leave one level of \`${A.group}\` out: every random effect as drawn (conditional likelihood, summed over the level's rows)`
      : conditioned.length === 0
        ? `leave one level of \`${A.group}\` out: the effects of ${names(integrated)} integrated out (marginal likelihood)`
        : `leave one level of \`${A.group}\` out: the effects of ${names(integrated)} integrated out, those of ${names(conditioned)} (not nested in \`${A.group}\`) as drawn`;
  return {
    by: A.group,
    form,
    factors,
    factor: a,
    integrated,
    conditioned,
    points: A.m,
    start,
    rows,
    labels: A.levels,
    pointOfRow: Int32Array.from(A.refs),
    description,
  };
}
