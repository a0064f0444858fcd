/**
 * Random-effects terms: for each `(lhs | group)` of the formula, the grouping factor, the per-row
 * values of the lhs columns (R's `model.matrix(~ lhs)`, so a factor in lhs is coded as in X), and
 * lme4's names — then ordered and labelled as lme4's `mkReTrms` does:
 *
 * - Order: when some term has more levels than the term before it, the terms are put in the order
 *   `rev(order(nl))` — decreasing number of levels, and terms with equal counts in the reverse of
 *   their formula order (R's `order` is stable, `rev` turns it round). Already non-increasing
 *   counts keep formula order. (`(1|a) + (1|g) + (x|a)` with 5, 20, 5 levels → g, (x|a), (1|a).)
 * - Labels: the grouping factor's name, made unique in that order by R's `make.unique`
 *   (`Subject`, `Subject.1`) — the names of `as.data.frame(VarCorr(fit))$grp` and of the fixtures'
 *   `Z_colnames_per_term`.
 *
 * Storage is `RandomEffectsTerm`'s (src/model/types.ts): `refs` (level per row) and `values` (n × q,
 * row-major).
 */
import { makeUnique } from "../data/unique";
import { formatRandomTerm } from "../formula/format";
import type { FormulaNode, RandomTermSpec } from "../formula/types";
import type { RandomEffectsTerm } from "../model/types";
import { checkArrayArgument, checkObjectArgument } from "../validate";
import { designColumns, fillColumns } from "./columns";
import type { ModelFrame } from "./frame";
import { groupingFactor } from "./grouping";

/** The random-effects terms in lme4's order, with the spec each came from. */
export interface RandomDesign {
  readonly terms: readonly RandomEffectsTerm[];
  /** `specs[k]` is the formula's term that `terms[k]` was built from. */
  readonly specs: readonly RandomTermSpec[];
}

/**
 * Builds the random-effects terms of a formula on its model frame, in lme4's order with lme4's labels.
 *
 * @param random - the formula's random terms, in formula order.
 * @param frame - the model frame.
 * @returns one `RandomEffectsTerm` per spec, ordered as lme4 orders them, and their specs.
 * @throws DataError when a factor in a term's lhs coded by contrasts has a single level.
 * @example randomDesign(formulaSpec("Reaction ~ Days + (Days | Subject)").random, frame).terms[0].names // ["(Intercept)", "Days"]
 */
export function randomDesign(
  random: readonly RandomTermSpec[],
  frame: ModelFrame,
  expressions: Readonly<Record<string, FormulaNode>> = {},
): RandomDesign {
  checkArrayArgument(random, "random", "the random terms of a FormulaSpec (spec.random)");
  checkObjectArgument(frame, "frame", "a ModelFrame from modelFrame(spec, data)", ["n", "variables"]);
  const n = frame.n;
  const built = random.map((spec) => {
    const factor = groupingFactor(spec.group, frame);
    const columns = designColumns(
      spec.intercept,
      spec.terms,
      frame,
      `the random-effects term ${formatRandomTerm(spec, expressions)}`,
      expressions,
    );
    const q = columns.length;
    const values = new Float64Array(n * q);
    fillColumns(n, columns, values, q, 0);
    return {
      group: factor.name,
      levels: factor.levels,
      refs: factor.codes,
      names: columns.map((c) => c.name),
      q,
      m: factor.levels.length,
      values,
    };
  });
  const order = lme4Order(built.map((t) => t.m));
  const labels = makeUnique(order.map((k) => built[k]!.group));
  return {
    terms: order.map((k, position) => ({ ...built[k]!, label: labels[position]! })),
    specs: order.map((k) => random[k]!),
  };
}

/**
 * lme4's term order: identity when the level counts never increase, else `rev(order(nl))`.
 *
 * @param nl - number of levels of each term, in formula order.
 * @returns the term indices in lme4's order.
 * @example lme4Order([5, 20, 5, 5]) // [1, 3, 2, 0]
 */
export function lme4Order(nl: readonly number[]): number[] {
  const identity = nl.map((_, k) => k);
  let increases = false;
  for (let k = 1; k < nl.length; k++) if (nl[k]! > nl[k - 1]!) increases = true;
  if (!increases) return identity;
  return identity.sort((a, b) => nl[a]! - nl[b]! || a - b).reverse();
}
