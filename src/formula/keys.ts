/**
 * The variable keys of a formula spec: every variable it uses (response, fixed terms, offsets, each
 * random term's variables and grouping factor), once each, in that order — what the model frame
 * computes.
 */
import type { FormulaSpec } from "./types";

/**
 * Every variable key of a spec, once, in formula order.
 *
 * @param spec - the spec (its `response`, `fixed`, `offsets` and `random` are read).
 * @returns the keys.
 * @example keysOf(formulaSpec("log(y) ~ x + (1 | g)")) // ["log(y)", "x", "g"]
 */
export function keysOf(spec: Pick<FormulaSpec, "response" | "fixed" | "offsets" | "random">): string[] {
  const seen = new Set<string>([spec.response]);
  const add = (names: readonly string[]): void => {
    for (const name of names) seen.add(name);
  };
  for (const term of spec.fixed) add(term.variables);
  add(spec.offsets);
  for (const r of spec.random) {
    for (const term of r.terms) add(term.variables);
    add(r.group);
  }
  return [...seen];
}
