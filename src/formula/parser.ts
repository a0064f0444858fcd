/**
 * The formula parser: recursive descent from tokens to a `FormulaTree` (see `types.ts`).
 *
 * Grammar, lowest precedence first (R's precedence: `^` binds tightest, then `:`, then `%in%`, then
 * `*` and `/`, then `+` and `-`; a `|` has the lowest precedence inside its parentheses):
 *
 *     formula  := sum '~' sum END
 *     sum      := signed (('+' | '-') signed)*              left-associative
 *     signed   := ('-' | '+') signed | product               unary minus removes, unary plus is a no-op
 *     product  := special (('*' | '/') special)*            left-associative
 *     special  := colon ('%in%' colon)*                     left-associative
 *     colon    := power (':' power)*                        left-associative
 *     power    := primary ['^' exponent]                    right-associative
 *     exponent := ('-' | '+') exponent | power
 *     primary  := NAME | NAME '(' [arg (',' arg)*] ')' | NUMBER | '-' power
 *               | '(' sum [('|' | '||') sum] ')'
 *     arg      := [NAME '='] sum
 *
 * The same tree serves both meanings of the operators: term algebra on the formula's side
 * (`(a + b)^2`), arithmetic inside a call (`log(x + 1)`, `I(x^2)`, `I(x * -2)`). The parser checks
 * syntax only (what the text says); what it means — that a bar term stands where it may, that
 * `offset()` has one argument, that a number is 0 or 1 — is checked by `expand.ts`, and which
 * functions exist by the design stage. Unary minus at the start of a term covers the whole product
 * after it (`-a:b` removes `a:b`), which is what R users mean; R's own parser would read `(-a):b`.
 */
import { FormulaError } from "../errors";
import { checkStringArgument } from "../validate";
import { describeToken, type Token, Tokenizer } from "./tokenizer";
import type { CallArgument, FormulaNode, FormulaTree } from "./types";

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

  /** product := special (('*' | '/') special)* */
  private product(after: string): FormulaNode {
    let left = this.special(after);
    for (;;) {
      const op = this.tokens.peek();
      if (op.kind !== "*" && op.kind !== "/") return left;
      this.tokens.next();
      const right = this.special(`'${op.kind}'`);
      left = { kind: "binary", op: op.kind, left, right, pos: left.pos };
    }
  }

  /** special := colon ('%in%' colon)* */
  private special(after: string): FormulaNode {
    let left = this.colon(after);
    for (;;) {
      const op = this.tokens.peek();
      if (op.kind !== "%in%") return left;
      this.tokens.next();
      const right = this.colon("'%in%'");
      left = { kind: "binary", op: "%in%", left, right, pos: left.pos };
    }
  }

  /** colon := power (':' power)* */
  private colon(after: string): FormulaNode {
    let left = this.power(after);
    for (;;) {
      const op = this.tokens.peek();
      if (op.kind !== ":") return left;
      this.tokens.next();
      const right = this.power("':'");
      left = { kind: "binary", op: ":", left, right, pos: left.pos };
    }
  }

  /** power := primary ['^' exponent], right-associative (`2^3^2` is `2^(3^2)`). */
  private power(after: string): FormulaNode {
    const base = this.primary(after);
    if (this.tokens.peek().kind !== "^") return base;
    const op = this.tokens.next();
    this.enter(op);
    const exponent = this.exponent();
    this.depth -= 1;
    return { kind: "binary", op: "^", left: base, right: exponent, pos: base.pos };
  }

  /** exponent := ('-' | '+') exponent | power — R allows `x^-1`. */
  private exponent(): FormulaNode {
    const sign = this.tokens.peek();
    if (sign.kind !== "-" && sign.kind !== "+") return this.power("'^'");
    this.tokens.next();
    this.enter(sign);
    const expr = this.exponent();
    this.depth -= 1;
    return sign.kind === "-" ? { kind: "negate", expr, pos: sign.pos } : expr;
  }

  /** primary := NAME | NAME '(' args ')' | NUMBER | '(' sum [bar sum] ')' */
  private primary(after: string): FormulaNode {
    const token = this.tokens.next();
    switch (token.kind) {
      case "name":
        if (this.tokens.peek().kind === "(") return this.call(token.name, token.pos);
        return { kind: "name", name: token.name, pos: token.pos };
      case "number":
        return { kind: "number", value: token.value, integer: token.integer, pos: token.pos };
      case "(":
        return this.parenthesized(token);
      case "-": {
        // A sign inside an operand (`I(x * -2)`, `a:-b`): R's unary minus, above ':' and below '^'.
        this.enter(token);
        const expr = this.power("'-'");
        this.depth -= 1;
        return { kind: "negate", expr, pos: token.pos };
      }
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

  /** NAME '(' [arg (',' arg)*] ')' */
  private call(fn: string, pos: number): FormulaNode {
    const open = this.tokens.next();
    this.enter(open);
    const args: CallArgument[] = [];
    if (this.tokens.peek().kind !== ")") {
      args.push(this.argument(`'${fn}('`));
      while (this.tokens.peek().kind === ",") {
        this.tokens.next();
        args.push(this.argument("','"));
      }
    }
    this.close(open, "',' or ')'");
    this.depth -= 1;
    return { kind: "call", fn, args, pos };
  }

  /** arg := [NAME '='] sum */
  private argument(after: string): CallArgument {
    const value = this.sum(after);
    if (this.tokens.peek().kind !== "=") return { name: null, value, pos: value.pos };
    const equals = this.tokens.next();
    if (value.kind !== "name")
      throw new FormulaError("expected an argument name before '=', e.g. poly(x, 2, raw = TRUE)", equals.pos);
    return { name: value.name, value: this.sum("'='"), pos: value.pos };
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
    if (token.kind === "=")
      return new FormulaError(
        "unexpected '=': '=' names an argument of a call, e.g. poly(x, 2, raw = TRUE)",
        token.pos,
      );
    return new FormulaError(`expected ${expected} but found ${describeToken(token)}`, token.pos);
  }
}
