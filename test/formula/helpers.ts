/**
 * Test helpers for the formula tests.
 *
 * `sexpr`: a syntax tree as a compact S-expression, so tests can state a tree's shape in one line:
 * `y ~ a + b:c` → `(+ a (: b c))`; numbers as themselves, `(paren x)`, `(- x)` for negation,
 * `(offset x)` for calls, `(| lhs group)` / `(|| lhs group)` for bar terms.
 */
import type { FormulaNode, FormulaSpec } from "../../src/formula/types";

export function sexpr(node: FormulaNode): string {
  switch (node.kind) {
    case "name":
      return /^[\p{L}\p{N}._]+$/u.test(node.name) ? node.name : `\`${node.name}\``;
    case "number":
      return String(node.value);
    case "paren":
      return `(paren ${sexpr(node.expr)})`;
    case "negate":
      return `(- ${sexpr(node.expr)})`;
    case "call":
      return `(${node.fn}${node.args.map((a) => ` ${a.name === null ? "" : `${a.name}=`}${sexpr(a.value)}`).join("")})`;
    case "binary":
      return `(${node.op} ${sexpr(node.left)} ${sexpr(node.right)})`;
    case "bar":
      return `(${node.double ? "||" : "|"} ${sexpr(node.lhs)} ${sexpr(node.group)})`;
  }
}

/** A spec without its text and positions: what a round trip must keep. */
export function meaning(spec: FormulaSpec): unknown {
  const { text: _text, random, ...rest } = spec;
  return { ...rest, random: random.map(({ pos: _pos, ...term }) => term) };
}
