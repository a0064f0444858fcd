/**
 * Grouping factors of random-effects terms, as lme4 makes them: each variable of the group becomes
 * a factor (`factor(x)`: a numeric variable's distinct values sorted numerically, labelled as R
 * writes them), and an interaction `g2:g1` is R's `:` on factors — levels `"a:x"`, the first
 * variable varying slowest — keeping only the combinations that occur (lme4 drops unused levels).
 */
import { asFactor, type FactorVariable } from "../data/frame";
import type { ModelFrame } from "./frame";

/**
 * The grouping factor named by `group` (`["Subject"]`, or `["cask", "batch"]` for `cask:batch`).
 *
 * @param group - the variables of the grouping factor, in the order written.
 * @param frame - the model frame holding them.
 * @returns the factor, named `group.join(":")`, with only the levels that occur.
 * @example groupingFactor(["cask", "batch"], frame).levels.slice(0, 2) // ["a:A", "a:B"]
 */
export function groupingFactor(
  group: readonly string[],
  frame: Pick<ModelFrame, "variables">,
): FactorVariable {
  const factors = group.map((name) => {
    const v = frame.variables.get(name);
    if (v === undefined) throw new Error(`internal: the model frame has no variable \`${name}\``);
    return asFactor(v);
  });
  let result = factors[0];
  if (result === undefined) throw new Error("internal: a grouping factor with no variable");
  for (let k = 1; k < factors.length; k++) result = interact(result, factors[k]!);
  return { ...result, name: group.join(":") };
}

/** `a:b` for factors: observed combinations, a's level varying slowest. */
function interact(a: FactorVariable, b: FactorVariable): FactorVariable {
  const n = a.codes.length;
  const mb = b.levels.length;
  const keys = new Float64Array(n);
  for (let r = 0; r < n; r++) keys[r] = a.codes[r]! * mb + b.codes[r]!;
  const distinct = Float64Array.from(new Set(keys)).sort();
  const index = new Map<number, number>();
  distinct.forEach((key, k) => {
    index.set(key, k);
  });
  const codes = new Int32Array(n);
  for (let r = 0; r < n; r++) codes[r] = index.get(keys[r]!)!;
  const levels = Array.from(distinct, (key) => {
    const ka = Math.floor(key / mb);
    return `${a.levels[ka]}:${b.levels[key - ka * mb]}`;
  });
  return { type: "factor", name: `${a.name}:${b.name}`, levels, codes };
}
