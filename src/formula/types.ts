/**
 * The formula language's two data shapes — the contract between the parser and the design stage.
 *
 * 1. `FormulaNode`: the syntax tree of the text as written, each node with its 1-based column.
 * 2. `FormulaSpec`: what the formula means once expanded the way R's `terms()` and lme4's
 *    `findbars()`/`expandDoubleVerts()` expand it — the design stage consumes only this, never text.
 *
 * Expansion rules (R and lme4): `a*b` = `a + b + a:b`; `a/b` = `a + a:b` on the fixed side; `-t`
 * removes a term; `0 +` / `-1` drop the intercept, `1 +` keeps it; duplicated terms count once;
 * fixed terms are ordered by degree (main effects, then two-way interactions, ...), formula order
 * within a degree. A bar term `(lhs | g)` becomes one `RandomTermSpec` (lhs has an intercept unless
 * it says `0`/`-1`); `(lhs || g)` becomes one spec for the intercept and one per term of lhs (lme4's
 * `expandDoubleVerts`); `(lhs | g1/g2)` becomes `(lhs | g2:g1)` and `(lhs | g1)` — lme4's naming and
 * `expandSlash`'s order — and `a/b/c` gives `c:b:a`, `b:a`, `a`.
 *
 * A term lists its variables the way R labels it: in the order the variables first appear in the
 * fixed part of the formula (for a random term, in its own lhs). `y ~ b:a` gives `b:a`; `y ~ a + b:a`
 * gives `a:b`, as R's `terms()` and `model.matrix()` name it. A variable is a column or an expression
 * of columns (`log(x)`, `poly(x, 2)`): the formula keeps the expression's tree, the design stage
 * evaluates it. `(a + b)^2` is every product of two terms of `a + b`; `a %in% b` is `a:b` with every
 * variable of b (R's `InTerms`); `.` is every data column not in the response (given the columns).
 */

/**
 * The binary operators. On the formula's side of things they combine terms (`+ - : * / ^ %in%`, R's
 * `terms.formula`); inside a call's arguments (`log(x + 1)`, `I(x^2)`) they are arithmetic — which
 * of the two is the design stage's business, the tree is the same.
 */
export type BinaryOperator = "+" | "-" | ":" | "*" | "/" | "^" | "%in%";

/** One argument of a call: `x`, or `raw = TRUE` (`name` is then `"raw"`). */
export interface CallArgument {
  /** The argument's name when written as `name = value`, else `null`. */
  readonly name: string | null;
  readonly value: FormulaNode;
  /** 1-based column of the argument's first character (its name, when named). */
  readonly pos: number;
}

/** A node of the formula's syntax tree. `pos` is the 1-based column of its first character. */
export type FormulaNode =
  | { readonly kind: "name"; readonly name: string; readonly pos: number }
  | {
      readonly kind: "number";
      readonly value: number;
      /** Written with R's integer suffix (`2L`). */
      readonly integer: boolean;
      readonly pos: number;
    }
  | {
      readonly kind: "call";
      readonly fn: string;
      readonly args: readonly CallArgument[];
      readonly pos: number;
    }
  | { readonly kind: "paren"; readonly expr: FormulaNode; readonly pos: number }
  | { readonly kind: "negate"; readonly expr: FormulaNode; readonly pos: number }
  | {
      readonly kind: "binary";
      readonly op: BinaryOperator;
      readonly left: FormulaNode;
      readonly right: FormulaNode;
      readonly pos: number;
    }
  | {
      /** `(lhs | group)`; `pos` is the column of its opening parenthesis. */
      readonly kind: "bar";
      /** `true` for `||` (uncorrelated). */
      readonly double: boolean;
      readonly lhs: FormulaNode;
      readonly group: FormulaNode;
      readonly pos: number;
    };

/** The whole formula as parsed: `response ~ rhs`. */
export interface FormulaTree {
  readonly text: string;
  readonly response: FormulaNode;
  readonly rhs: FormulaNode;
}

/**
 * One model term: the interaction of one or more variables, in R's label order (see above).
 * `["x"]` is a main effect, `["x", "z"]` is `x:z`. A variable is a key: a data column's name
 * (`"x"`, `"my col"`), or an expression of columns as R deparses it (`"log(x)"`, `"poly(x, 2)"`,
 * `"I(x^2)"`), whose syntax tree is `FormulaSpec.expressions[key]`.
 */
export interface TermSpec {
  readonly variables: readonly string[];
}

/** One random-effects term as lme4 sees it after expansion: `(terms | group)`. */
export interface RandomTermSpec {
  /** Whether the term has an intercept column `(Intercept)`. */
  readonly intercept: boolean;
  /** The term's non-intercept terms, expanded and ordered like fixed terms. */
  readonly terms: readonly TermSpec[];
  /**
   * The grouping factor: one variable, or several for an interaction (`g2:g1` → `["g2", "g1"]`);
   * each a key like a term's variables (`(1 | factor(x))` → `["factor(x)"]`). Its name is
   * `group.join(":")`; its levels are the observed combinations, ordered with the first variable
   * varying slowest (R's `:` on factors).
   */
  readonly group: readonly string[];
  /** Where in the text the bar term starts (1-based), for error messages. */
  readonly pos: number;
}

/** What a formula means: the design stage's only input besides the data. */
export interface FormulaSpec {
  /** The formula text as given. */
  readonly text: string;
  /** The response: a column, or an expression key (`"log(Reaction)"`). */
  readonly response: string;
  /** Whether X has an intercept column `(Intercept)`. */
  readonly intercept: boolean;
  /** Fixed-effect terms in R's order (by degree, then as written). */
  readonly fixed: readonly TermSpec[];
  /** Offsets (`offset(o)`, `offset(log(n))`) as variable keys, in formula order. */
  readonly offsets: readonly string[];
  /** Random-effects terms in formula order (the design stage orders them as lme4 does). */
  readonly random: readonly RandomTermSpec[];
  /**
   * The syntax tree of every variable key that is an expression rather than a column: `log(x)`,
   * `I(x^2)`, `poly(x, 2)`, `factor(g)`, ... (any call other than `offset()`). Which functions exist,
   * and what they compute, is the design stage's business (src/design/functions.ts).
   */
  readonly expressions: Readonly<Record<string, FormulaNode>>;
  /**
   * Every data column the formula reads — in the response, fixed terms, offsets, random terms and
   * groups, inside expressions too (R's `all.vars`) — once each, in that order. A column that is only
   * removed (`y ~ a + z - z`) is not read. Inside a call, `TRUE`, `FALSE`, `T`, `F`, `pi` and `Inf`
   * are constants, not columns.
   */
  readonly variables: readonly string[];
}
