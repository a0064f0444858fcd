/**
 * Grouping factors: the model's random-effects terms gathered by grouping factor.
 *
 * lme4 expands an uncorrelated term `(x || g)` into separate terms on the same factor `g`
 * (`(1 | g) + (0 + x | g)`). The prior (CLI.md) and the sampler see one factor per grouping variable:
 * its columns are the columns of all its terms, in term order, and its covariance Psi is
 * block-diagonal with one block per term (a single term: one full block).
 */
import { ArgumentError } from "../errors";
import type { LmmModel } from "../model/types";
import { checkModelArgument } from "../validate";

/** One diagonal block of a factor's Psi: the columns of one random-effects term. */
export interface PsiBlock {
  /** Index of the term's first column among the factor's columns. */
  readonly start: number;
  /** Number of columns (the term's q). */
  readonly size: number;
  /** Index of the term in `model.terms`. */
  readonly term: number;
}

/** A grouping factor with all of its terms. */
export interface GroupingFactor {
  /** The factor's name as the model gives it (`Subject`, `cask:batch`). */
  readonly group: string;
  /** The factor's column names: the terms' names, concatenated in term order. */
  readonly names: readonly string[];
  /** Number of columns per level (sum of the terms' q). */
  readonly q: number;
  /** Psi's diagonal blocks, one per term, in column order. */
  readonly blocks: readonly PsiBlock[];
  /** The factor's levels. */
  readonly levels: readonly string[];
  /** Number of levels. */
  readonly m: number;
  /** Level index of each row. */
  readonly refs: Int32Array;
  /** n × q row-major: the factor's column values per row. */
  readonly values: Float64Array;
}

/**
 * Gathers the model's random-effects terms by grouping factor, in order of first appearance.
 *
 * @param model - the model
 * @returns one entry per grouping factor
 * @throws ArgumentError when two terms of one factor repeat a column name (their Psi entries would
 *   have the same name) or disagree on the factor's levels (an invalid model)
 * @example
 * // Reaction ~ Days + (Days || Subject): terms (1 | Subject), (0 + Days | Subject)
 * groupingFactors(model)[0].blocks; // [{ start: 0, size: 1, term: 0 }, { start: 1, size: 1, term: 1 }]
 */
export function groupingFactors(model: LmmModel): GroupingFactor[] {
  checkModelArgument(model);
  const byGroup = new Map<string, number[]>();
  model.terms.forEach((term, k) => {
    const list = byGroup.get(term.group);
    if (list === undefined) byGroup.set(term.group, [k]);
    else list.push(k);
  });
  const factors: GroupingFactor[] = [];
  for (const [group, termIndices] of byGroup) {
    const first = model.terms[termIndices[0]!]!;
    const names: string[] = [];
    const blocks: PsiBlock[] = [];
    for (const k of termIndices) {
      const term = model.terms[k]!;
      if (term.m !== first.m || term.refs !== first.refs) {
        const same = term.m === first.m && term.refs.every((r, i) => r === first.refs[i]);
        if (!same)
          throw new ArgumentError(
            `model.terms[${k}]`,
            `must have the same levels as the other terms on grouping factor \`${group}\``,
            term.label,
          );
      }
      for (const name of term.names) {
        if (names.includes(name))
          throw new ArgumentError(
            `model.terms[${k}]`,
            `must not repeat column \`${name}\` of another term on grouping factor \`${group}\``,
            term.label,
          );
        names.push(name);
      }
      blocks.push({ start: names.length - term.q, size: term.q, term: k });
    }
    const q = names.length;
    let values: Float64Array;
    // (A model from sufficient statistics has no rows: its terms' values are empty.)
    if (termIndices.length === 1 || model.statistics !== undefined) values = first.values;
    else {
      values = new Float64Array(model.n * q);
      for (const block of blocks) {
        const term = model.terms[block.term]!;
        for (let i = 0; i < model.n; i++)
          for (let r = 0; r < block.size; r++)
            values[i * q + block.start + r] = term.values[i * block.size + r]!;
      }
    }
    factors.push({ group, names, q, blocks, levels: first.levels, m: first.m, refs: first.refs, values });
  }
  return factors;
}

/**
 * Whether two grouping-factor names denote the same factor: equal, or the same variables of an
 * interaction in another order (`batch:cask` and `cask:batch`).
 *
 * @example sameGroup("batch:cask", "cask:batch") // true
 */
export function sameGroup(a: string, b: string): boolean {
  if (a === b) return true;
  const x = a.split(":").sort();
  const y = b.split(":").sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
