/**
 * The formula parser: recursive descent from tokens to a `FormulaTree` (see `types.ts`).
 *
 * Grammar, lowest precedence first (R's precedence: `:` binds tighter than `*` and `/`, which bind
 * tighter than `+` and `-`; a `|` has the lowest precedence inside its parentheses):
 *
 *     formula  := sum '~' sum END
 *     sum      := signed (('+' | '-') signed)*              left-associative
 *     signed   := ('-' | '+') signed | product               unary minus removes, unary plus is a no-op
 *     product  := colon (('*' | '/') colon)*                left-associative
 *     colon    := primary (':' primary)*                    left-associative
 *     primary  := NAME | NAME '(' [sum (',' sum)*] ')' | NUMBER | '(' sum [('|' | '||') sum] ')'
 *
 * The parser checks syntax only (what the text says); what it means — that a bar term stands where
 * it may, that `offset()` has one variable, that a number is 0 or 1 — is checked by `expand.ts`.
 * Unary minus covers the whole product after it (`-a:b` removes `a:b`), which is what R users mean;
 * R's own parser would read `(-a):b`.
 */
import { FormulaError } from "../errors";
import { checkStringArgument } from "../validate";
import { describeToken, type Token, Tokenizer } from "./tokenizer";
import type { FormulaNode, FormulaTree } from "./types";

/** How deep parentheses, calls and unary signs may nest before the parser gives up (stack safety). */
export const MAX_NESTING = 200;

/**
 * Parses formula text into its syntax tree.
 *
 * @param text - the formula, e.g. `"Reaction ~ Days + (Days | Subject)"`
 * @returns the tree: `response` and `rhs` nodes with 1-based columns
 * @throws FormulaError naming the column and what was expected, e.g.
 *   `invalid formula. expected a term after '+' but found ')' at column 9.`
 * @example
 * parseFormula("y ~ x").rhs; // { kind: "name", name: "x", pos: 5 }
 */
export function parseFormula(text: string): FormulaTree {
  checkStringArgument(text, "formula", 'formula text such as "y ~ x + (1 | g)"');
  return new Parser(text).formula();
}

class Parser {
  private readonly tokens: Tokenizer;
  private readonly text: string;
  private depth = 0;

  constructor(text: string) {
    this.text = text;
    this.tokens = new Tokenizer(text);
  }

  formula(): FormulaTree {
    const first = this.tokens.peek();
    if (first.kind === "end") throw new FormulaError("empty formula: write it as `response ~ terms`", 1);
    if (first.kind === "~")
      throw new FormulaError("empty response: put the response variable before '~', e.g. `y ~ x`", first.pos);
    const response = this.sum("the start of the formula");
    const tilde = this.tokens.next();
    if (tilde.kind !== "~") {
      if (tilde.kind === "end")
        throw new FormulaError(
          "missing '~' after the response: write the formula as `response ~ terms`",
          tilde.pos,
        );
      throw this.unexpected(tilde, "'~' after the response");
    }
    const rhs = this.sum("'~'");
    const end = this.tokens.next();
    if (end.kind !== "end") throw this.unexpected(end, "an operator (+ - * / :) or the end of the formula");
    return { text: this.text, response, rhs };
  }

  /** sum := signed (('+' | '-') signed)* */
  private sum(after: string): FormulaNode {
    let left = this.signed(after);
    for (;;) {
      const op = this.tokens.peek();
      if (op.kind !== "+" && op.kind !== "-") return left;
      this.tokens.next();
      const right = this.signed(`'${op.kind}'`);
      left = { kind: "binary", op: op.kind, left, right, pos: left.pos };
    }
  }

  /** signed := ('-' | '+') signed | product */
  private signed(after: string): FormulaNode {
    const sign = this.tokens.peek();
    if (sign.kind !== "-" && sign.kind !== "+") return this.product(after);
    this.tokens.next();
    this.enter(sign);
    const expr = this.signed(`'${sign.kind}'`);
    this.depth -= 1;
    return sign.kind === "-" ? { kind: "negate", expr, pos: sign.pos } : expr;
  }

  /** product := colon (('*' | '/') colon)* */
  private product(after: string): FormulaNode {
    let left = this.colon(after);
    for (;;) {
      const op = this.tokens.peek();
      if (op.kind !== "*" && op.kind !== "/") return left;
      this.tokens.next();
      const right = this.colon(`'${op.kind}'`);
      left = { kind: "binary", op: op.kind, left, right, pos: left.pos };
    }
  }

  /** colon := primary (':' primary)* */
  private colon(after: string): FormulaNode {
    let left = this.primary(after);
    for (;;) {
      const op = this.tokens.peek();
      if (op.kind !== ":") return left;
      this.tokens.next();
      const right = this.primary("':'");
      left = { kind: "binary", op: ":", left, right, pos: left.pos };
    }
  }

  /** primary := NAME | NAME '(' args ')' | NUMBER | '(' sum [bar sum] ')' */
  private primary(after: string): FormulaNode {
    const token = this.tokens.next();
    switch (token.kind) {
      case "name":
        if (this.tokens.peek().kind === "(") return this.call(token.name, token.pos);
        return { kind: "name", name: token.name, pos: token.pos };
      case "number":
        return { kind: "number", value: token.value, pos: token.pos };
      case "(":
        return this.parenthesized(token);
      case "|":
      case "||":
        throw new FormulaError(
          `'${token.kind}' outside parentheses: write a random-effects term as (terms ${token.kind} group)`,
          token.pos,
        );
      case "end":
        throw new FormulaError(`expected a term after ${after} but the formula ends`, token.pos);
      default:
        throw new FormulaError(`expected a term after ${after} but found ${describeToken(token)}`, token.pos);
    }
  }

  /** '(' sum [('|' | '||') sum] ')' — a parenthesized expression or a bar term. */
  private parenthesized(open: Token): FormulaNode {
    this.enter(open);
    const first = this.tokens.peek();
    if (first.kind === "|" || first.kind === "||")
      throw new FormulaError(
        `expected the random-effects terms before '${first.kind}', e.g. (1 ${first.kind} group)`,
        first.pos,
      );
    const expr = this.sum("'('");
    const bar = this.tokens.peek();
    let node: FormulaNode;
    if (bar.kind === "|" || bar.kind === "||") {
      this.tokens.next();
      const group = this.sum(`'${bar.kind}'`);
      node = { kind: "bar", double: bar.kind === "||", lhs: expr, group, pos: open.pos };
    } else {
      node = { kind: "paren", expr, pos: open.pos };
    }
    this.close(open, node.kind === "bar" ? "')'" : "an operator or ')'");
    this.depth -= 1;
    return node;
  }

  /** NAME '(' [sum (',' sum)*] ')' */
  private call(fn: string, pos: number): FormulaNode {
    const open = this.tokens.next();
    this.enter(open);
    const args: FormulaNode[] = [];
    if (this.tokens.peek().kind !== ")") {
      args.push(this.sum(`'${fn}('`));
      while (this.tokens.peek().kind === ",") {
        this.tokens.next();
        args.push(this.sum("','"));
      }
    }
    this.close(open, "',' or ')'");
    this.depth -= 1;
    return { kind: "call", fn, args, pos };
  }

  /** Consumes the ')' that closes `open`, or explains what is wrong. */
  private close(open: Token, expected: string): void {
    const token = this.tokens.next();
    if (token.kind === ")") return;
    if (token.kind === "end") throw new FormulaError("unbalanced '(' opened", open.pos);
    if (token.kind === "|" || token.kind === "||")
      throw new FormulaError(
        `a second '${token.kind}' in the parentheses opened at column ${open.pos}: a random-effects term has one bar`,
        token.pos,
      );
    throw this.unexpected(token, expected);
  }

  private enter(token: Token): void {
    this.depth += 1;
    if (this.depth > MAX_NESTING)
      throw new FormulaError(`nesting deeper than ${MAX_NESTING} levels of parentheses or signs`, token.pos);
  }

  private unexpected(token: Token, expected: string): FormulaError {
    if (token.kind === ")") return new FormulaError("unexpected ')' with no matching '('", token.pos);
    if (token.kind === "|" || token.kind === "||")
      return new FormulaError(
        `'${token.kind}' outside parentheses: write a random-effects term as (terms ${token.kind} group)`,
        token.pos,
      );
    if (token.kind === "~")
      return new FormulaError("unexpected second '~': a formula has one '~'", token.pos);
    return new FormulaError(`expected ${expected} but found ${describeToken(token)}`, token.pos);
  }
}
