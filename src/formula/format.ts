/**
 * The formula printer: a `FormulaSpec` back to formula text, for messages and round trips.
 *
 * `formulaSpec(formatFormula(spec))` equals `spec` except for `text` and the random terms' `pos`.
 * The text is the expanded formula: `y ~ a + b + a:b + offset(o) + (x | g) + (1 | g2:g1)`.
 */

import { checkObjectArgument } from "../validate";
import type { FormulaNode, FormulaSpec, RandomTermSpec, TermSpec } from "./types";

/** The expressions of a spec (keys that are not columns), or none. */
type Expressions = Readonly<Record<string, FormulaNode>>;

const PLAIN_NAME = /^(?:[\p{L}_]|\.(?!\d))[\p{L}\p{N}._]*$/u;

/**
 * Prints a variable name as the tokenizer reads it: as is when it is a plain name, else in backticks.
 *
 * @example
 * formatName("my col"); // "`my col`"
 */
export function formatName(name: string): string {
  if (PLAIN_NAME.test(name)) return name;
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

/**
 * A variable key as the formula writes it: an expression's key is its text (`log(x)`), a column's
 * name goes through `formatName`.
 */
export function formatKey(key: string, expressions: Expressions = {}): string {
  return Object.hasOwn(expressions, key) ? key : formatName(key);
}

/** A term's label as R writes it: `a`, `a:b`, `log(x):f`. */
export function termLabel(term: TermSpec, expressions: Expressions = {}): string {
  return term.variables.map((v) => formatKey(v, expressions)).join(":");
}

/**
 * Prints an expanded formula as text that parses back to the same spec.
 *
 * @param spec - a `FormulaSpec`, e.g. from `formulaSpec`
 * @returns the formula text, fixed terms in R's order, each bar term written out
 * @example
 * formatFormula(formulaSpec("y ~ a*b + (x || g)"));
 * // "y ~ a + b + a:b + (1 | g) + (0 + x | g)"
 */
export function formatFormula(spec: FormulaSpec): string {
  checkObjectArgument(spec, "spec", "a FormulaSpec from formulaSpec(text)", [
    "response",
    "intercept",
    "fixed",
    "random",
  ]);
  const e = spec.expressions;
  const parts = [formatSum(spec.intercept, spec.fixed, spec.random.length + spec.offsets.length > 0, e)];
  for (const offset of spec.offsets) parts.push(`offset(${formatKey(offset, e)})`);
  for (const term of spec.random) parts.push(formatRandomTerm(term, e));
  return `${formatKey(spec.response, e)} ~ ${parts.filter((p) => p.length > 0).join(" + ")}`;
}

/** `(1 | g)`, `(x | g)`, `(0 + x | g1:g2)`, `(log(x) | factor(h))`. */
export function formatRandomTerm(term: RandomTermSpec, expressions: Expressions = {}): string {
  const lhs = formatSum(term.intercept, term.terms, false, expressions);
  return `(${lhs} | ${term.group.map((g) => formatKey(g, expressions)).join(":")})`;
}

/**
 * The intercept and terms of one side. The intercept is written only where it is not implied:
 * `0 + ...` without it, `1` when it is the only thing. The terms' variable order decides how R labels
 * interactions (see expand.ts), so the terms are printed in an order that brings it back: as listed,
 * else highest degree first (the order within a degree is kept either way: it is the column order);
 * failing both, a `(v1 + v2 + ...) - (v1 + v2 + ...)` prefix states the variable order and adds no term.
 */
function formatSum(
  intercept: boolean,
  terms: readonly TermSpec[],
  more: boolean,
  expressions: Expressions,
): string {
  const labels = printedTerms(terms, expressions);
  if (!intercept) return ["0", ...labels].join(" + ");
  if (labels.length === 0) return more ? "" : "1";
  return labels.join(" + ");
}

function printedTerms(terms: readonly TermSpec[], expressions: Expressions): string[] {
  const label = (term: TermSpec): string => termLabel(term, expressions);
  if (keepsVariableOrder(terms)) return terms.map(label);
  const byDegreeDescending = terms
    .map((term, i) => ({ term, i }))
    .sort((a, b) => b.term.variables.length - a.term.variables.length || a.i - b.i)
    .map(({ term }) => term);
  if (keepsVariableOrder(byDegreeDescending)) return byDegreeDescending.map(label);
  const order = variableOrder(terms);
  if (order === undefined) return terms.map(label);
  const prefix = `(${order.map((v) => formatKey(v, expressions)).join(" + ")})`;
  return [`${prefix} - ${prefix}`, ...terms.map(label)];
}

/** Whether each term lists its variables in the order the variables first appear in `terms`. */
function keepsVariableOrder(terms: readonly TermSpec[]): boolean {
  const firstSeen = firstAppearance(terms);
  return terms.every((term) =>
    term.variables.every(
      (v, i) =>
        i === 0 || (firstSeen.get(term.variables[i - 1] as string) as number) < (firstSeen.get(v) as number),
    ),
  );
}

function firstAppearance(terms: readonly TermSpec[]): Map<string, number> {
  const firstSeen = new Map<string, number>();
  for (const term of terms)
    for (const v of term.variables) if (!firstSeen.has(v)) firstSeen.set(v, firstSeen.size);
  return firstSeen;
}

/**
 * A variable order consistent with every term (a topological order of "comes before" within terms),
 * or `undefined` if the terms contradict each other.
 */
function variableOrder(terms: readonly TermSpec[]): string[] | undefined {
  const firstSeen = new Map<string, number>();
  for (const term of terms)
    for (const v of term.variables) if (!firstSeen.has(v)) firstSeen.set(v, firstSeen.size);
  const consistent = terms.every((term) =>
    term.variables.every(
      (v, i) =>
        i === 0 || (firstSeen.get(term.variables[i - 1] as string) as number) < (firstSeen.get(v) as number),
    ),
  );
  if (consistent) return undefined;

  // Kahn's algorithm; ties go to the variable seen first.
  const after = new Map<string, Set<string>>();
  const indegree = new Map<string, number>();
  for (const v of firstSeen.keys()) {
    after.set(v, new Set());
    indegree.set(v, 0);
  }
  for (const term of terms)
    for (let i = 1; i < term.variables.length; i++) {
      const from = term.variables[i - 1] as string;
      const to = term.variables[i] as string;
      const edges = after.get(from) as Set<string>;
      if (!edges.has(to)) {
        edges.add(to);
        indegree.set(to, (indegree.get(to) as number) + 1);
      }
    }
  const order: string[] = [];
  const ready = [...firstSeen.keys()].filter((v) => indegree.get(v) === 0);
  while (ready.length > 0) {
    ready.sort((a, b) => (firstSeen.get(a) as number) - (firstSeen.get(b) as number));
    const v = ready.shift() as string;
    order.push(v);
    for (const w of after.get(v) as Set<string>) {
      const d = (indegree.get(w) as number) - 1;
      indegree.set(w, d);
      if (d === 0) ready.push(w);
    }
  }
  // A cycle means the terms contradict each other (not a spec the expander makes): print as is.
  return order.length === firstSeen.size ? order : undefined;
}
