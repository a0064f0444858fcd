/**
 * Formula expansion: from the syntax tree to the `FormulaSpec` the design stage consumes.
 *
 * Fixed side — R's `terms.formula` (src/library/stats/src/model.c, `EncodeVars`): each term is a set
 * of variables; `a + b` appends the new terms of b, `a - b` removes b's terms from a, `a:b` is every
 * union of a term of a with a term of b, `a*b` = `a + b + a:b`, `a/b` = `a + (all of a):b`,
 * `(a + b)^k` every union of k terms of `a + b` (`PowerTerms`), `a %in% b` each term of a joined with
 * every variable of b (`InTerms`), `.` every data column not in the response (`ExpandDots`, given the
 * columns). A variable is a column or an expression — any call but `offset()`, such as `log(x)` or
 * `poly(x, 2)`, identified by its text as R deparses it (./deparse.ts), its tree kept in
 * `spec.expressions` for the design stage to evaluate. `1` and
 * `0` set the intercept (`-1` and `0` drop it; inside the right side of `-` their meaning flips, so
 * `-0` keeps it), the last one written wins. Duplicates count once (first occurrence). Terms are then
 * ordered by degree, formula order within a degree. A term's variables are listed in the order the
 * variables first appear in the fixed part of the formula, which is how R labels terms: `y ~ b:a`
 * gives `b:a`, `y ~ a + b:a` gives `a` and `a:b`.
 *
 * Random side — lme4's `findbars` (package reformulas): bar terms are found in the sum (also inside
 * parentheses: `((1 | g) + (0 + x | g))`) and removed from the fixed part (`nobars`). Each lhs is
 * expanded like a fixed formula `~ lhs` of its own (intercept unless `0`/`-1`). `(lhs || g)` is
 * `expandDoubleVerts`: `(1 | g)` if lhs has an intercept, then `(0 + t | g)` for each term t.
 * `(lhs | g1/g2)` is `expandSlash`: `(lhs | g2:g1)` then `(lhs | g1)`; `a/b/c` gives `c:b:a`, `b:a`,
 * `a` in that order (lme4 later sorts terms by their number of levels, which the design stage does).
 *
 * A random-effects term repeated exactly (same intercept, terms and grouping factor, e.g.
 * `(1 | g) + (1 | g)`, or `(x || g) + (1 | g)`) is an error: lme4 would fit both, but their variances
 * cannot be told apart.
 *
 * Expansion is iterative along operator chains and bounded (`MAX_TERMS`), so long formulas cannot
 * overflow the stack or run for long; the parser bounds the nesting depth.
 */
import { FormulaError } from "../errors";
import { checkObjectArgument, checkOptionsArgument } from "../validate";
import { deparse } from "./deparse";
import { keysOf } from "./keys";
import type { FormulaNode, FormulaSpec, FormulaTree, RandomTermSpec, TermSpec } from "./types";

/** Options of `expandFormula`. */
export interface ExpandOptions {
  /**
   * The data's column names, in order: what `.` stands for (all of them but the response's). Without
   * them a `.` is an error.
   */
  readonly columns?: readonly string[];
}

/** Names that are constants inside a call's arguments (R's logical constants, `pi`, `Inf`), not columns. */
export const CONSTANT_NAMES: ReadonlySet<string> = new Set(["TRUE", "FALSE", "T", "F", "pi", "Inf"]);

/**
 * The largest number of terms one expansion step may produce (`a*b*c*...` grows as 2^n), and of
 * random-effects terms after expansion. No real model comes near; the bound keeps time and memory small.
 */
export const MAX_TERMS = 10_000;

/** The largest number of variables in one term or grouping factor (`a:b:c` has 3). */
export const MAX_ORDER = 50;

type BinaryNode = Extract<FormulaNode, { kind: "binary" }>;
type BarNode = Extract<FormulaNode, { kind: "bar" }>;

/**
 * Where a node stands, which decides what it may be:
 * - `sum`: a term of the top-level sum — bar terms and offsets are allowed (fixed side only);
 * - `removed`: inside the right side of `-` or after a unary `-`;
 * - `interaction`: an operand of `:`, `*` or `/`.
 */
type Place = "sum" | "removed" | "interaction";

/** A term as a set of variable indices, ascending (index = order of first appearance). */
type Term = readonly number[];

/** An ordered set of terms with no duplicates (R's `TrimRepeats`), keyed by the sorted indices. */
class TermList {
  private readonly terms = new Map<string, Term>();

  static of(terms: Iterable<Term>): TermList {
    const list = new TermList();
    for (const term of terms) list.add(term);
    return list;
  }

  get size(): number {
    return this.terms.size;
  }

  add(term: Term): void {
    if (term.length === 0) return;
    const key = term.join(",");
    if (!this.terms.has(key)) this.terms.set(key, term);
  }

  remove(term: Term): void {
    this.terms.delete(term.join(","));
  }

  values(): Term[] {
    return [...this.terms.values()];
  }
}

/** The union of two terms (R's `OrBits`). */
function union(a: Term, b: Term): Term {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] as number) : Number.POSITIVE_INFINITY;
    const y = j < b.length ? (b[j] as number) : Number.POSITIVE_INFINITY;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}

/** Returns `term`, or throws if it has more than `MAX_ORDER` variables. */
function checkOrder(term: Term, node: BinaryNode): Term {
  if (term.length > MAX_ORDER)
    throw new FormulaError(
      `the '${node.op}' here makes an interaction of ${term.length} variables, more than the ${MAX_ORDER} allowed`,
      node.right.pos,
    );
  return term;
}

/**
 * The variables of the whole formula: which keys are expressions (with their trees), and which data
 * columns each key reads. Shared by every side, so a key means one thing throughout.
 */
class Variables {
  readonly expressions: Record<string, FormulaNode> = {};
  private readonly reads = new Map<string, readonly string[]>();
  private readonly columnKeys = new Set<string>();

  /** A plain column used as a variable. */
  column(name: string, pos: number): string {
    if (Object.hasOwn(this.expressions, name))
      throw new FormulaError(
        `the column \`${name}\` has the same name as the expression ${name} in this formula; rename the column`,
        pos,
      );
    this.columnKeys.add(name);
    this.reads.set(name, [name]);
    return name;
  }

  /** An expression (a call other than offset(), or arithmetic in the response) used as a variable. */
  expression(node: FormulaNode): string {
    const key = deparse(node);
    if (this.columnKeys.has(key))
      throw new FormulaError(
        `the expression ${key} has the same name as the column \`${key}\` in this formula; rename the column`,
        node.pos,
      );
    if (!Object.hasOwn(this.expressions, key)) {
      this.expressions[key] = node;
      this.reads.set(key, columnsOf(node));
    }
    return key;
  }

  /** The data columns a key reads. */
  columnsOf(key: string): readonly string[] {
    return this.reads.get(key) ?? [key];
  }
}

/** The data columns an expression reads (R's `all.vars`): names that are not functions, argument names or constants. */
function columnsOf(node: FormulaNode): string[] {
  const out: string[] = [];
  const pending: FormulaNode[] = [node];
  while (pending.length > 0) {
    const n = pending.pop() as FormulaNode;
    switch (n.kind) {
      case "name":
        if (!CONSTANT_NAMES.has(n.name) && !out.includes(n.name)) out.push(n.name);
        break;
      case "call":
        for (let a = n.args.length - 1; a >= 0; a--)
          pending.push((n.args[a] as { value: FormulaNode }).value);
        break;
      case "paren":
      case "negate":
        pending.push(n.expr);
        break;
      case "binary":
        pending.push(n.right, n.left);
        break;
      case "bar":
        pending.push(n.group, n.lhs);
        break;
      case "number":
        break;
    }
  }
  return out;
}

/** What the side being expanded allows, and where its findings go. */
interface Side {
  /** `fixed`: the formula's right-hand side; `random`: the lhs of a bar term. */
  readonly kind: "fixed" | "random";
  /** The response's key, which may not reappear on the right. */
  readonly response: string;
  /** The data columns the response reads (what `.` leaves out). */
  readonly responseColumns: readonly string[];
  /** Bar terms found in the sum (fixed side), in formula order. */
  readonly bars: BarNode[];
  /** Offset keys found in the sum (fixed side), in formula order, once each. */
  readonly offsets: string[];
  readonly variables: Variables;
  readonly columns: readonly string[] | undefined;
}

/**
 * Expands one side — the fixed part of the right-hand side, or a bar term's lhs — into R's term list,
 * with R's intercept and parity rules. One instance per side: variable indices are per side.
 */
class TermEncoder {
  /** The variables in order of first appearance; a term's index set refers to these. */
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  intercept = true;
  /** R's parity: false inside the right side of `-`, where `1` and `0` swap meanings. */
  private parity = true;
  private readonly side: Side;

  constructor(side: Side) {
    this.side = side;
  }

  /** The expanded terms of `node`, ordered by degree (stable), as variable-name lists. */
  expand(node: FormulaNode): TermSpec[] {
    const terms = this.encode(node, "sum").values();
    const ordered = terms
      .map((term, i) => ({ term, i }))
      .sort((a, b) => a.term.length - b.term.length || a.i - b.i)
      .map(({ term }) => ({ variables: term.map((v) => this.names[v] as string) }));
    return ordered;
  }

  /** R's `EncodeVars`, iterative along the left spine of operator chains. */
  private encode(node: FormulaNode, place: Place): TermList {
    const spine: { node: BinaryNode; place: Place }[] = [];
    let base = node;
    let basePlace = place;
    while (base.kind === "binary") {
      spine.push({ node: base, place: basePlace });
      basePlace = base.op === "+" || base.op === "-" ? basePlace : "interaction";
      base = base.left;
    }
    let acc = this.encodeOperand(base, basePlace);
    for (let k = spine.length - 1; k >= 0; k--) {
      const { node: op, place: opPlace } = spine[k] as { node: BinaryNode; place: Place };
      acc = this.combine(op, acc, opPlace);
    }
    return acc;
  }

  /** Applies one binary operator to the already encoded left side. */
  private combine(node: BinaryNode, left: TermList, place: Place): TermList {
    switch (node.op) {
      case "+": {
        for (const term of this.encode(node.right, place).values()) left.add(term);
        return left;
      }
      case "-": {
        this.parity = !this.parity;
        const right = this.encode(node.right, place === "interaction" ? "interaction" : "removed");
        this.parity = !this.parity;
        for (const term of right.values()) left.remove(term);
        return left;
      }
      case ":": {
        const right = this.encode(node.right, "interaction").values();
        return TermList.of(this.product(node, left.values(), right));
      }
      case "*": {
        const l = left.values();
        const right = this.encode(node.right, "interaction").values();
        return TermList.of([...l, ...right, ...this.product(node, l, right)]);
      }
      case "/": {
        const l = left.values();
        const right = this.encode(node.right, "interaction").values();
        let all: Term = [];
        for (const term of l) all = checkOrder(union(all, term), node);
        return TermList.of([...l, ...right.map((term) => checkOrder(union(all, term), node))]);
      }
      case "%in%": {
        // R's InTerms: every term of the left joined with all variables of the right.
        const right = this.encode(node.right, "interaction").values();
        let all: Term = [];
        for (const term of right) all = checkOrder(union(all, term), node);
        return TermList.of(left.values().map((term) => checkOrder(union(term, all), node)));
      }
      case "^": {
        // R's PowerTerms: (a + b)^k is the union of every k-fold product of the terms of a + b.
        const k = powerOf(node.right);
        const base = left.values();
        let acc = base;
        for (let i = 1; i < k; i++) acc = TermList.of(this.product(node, base, acc)).values();
        return TermList.of(acc);
      }
    }
  }

  /** Every union of a left term with a right term, left-major (R's `InteractTerms`). */
  private product(node: BinaryNode, left: readonly Term[], right: readonly Term[]): Term[] {
    if (left.length * right.length > MAX_TERMS)
      throw new FormulaError(
        `the '${node.op}' here expands to ${left.length * right.length} terms, more than the ${MAX_TERMS} allowed`,
        node.right.pos,
      );
    const out: Term[] = [];
    for (const l of left) for (const r of right) out.push(checkOrder(union(l, r), node));
    return out;
  }

  /** A non-binary node: a variable, a number, parentheses, a negation, a call or a bar term. */
  private encodeOperand(node: FormulaNode, place: Place): TermList {
    switch (node.kind) {
      case "binary":
        return this.encode(node, place);
      case "paren":
        return this.encode(node.expr, place);
      case "name":
        if (node.name === ".") return this.dot(node.pos);
        return TermList.of([[this.variable(this.side.variables.column(node.name, node.pos), node.pos)]]);
      case "number":
        this.interceptMarker(node.value, node.pos, place);
        return new TermList();
      case "negate": {
        // `-x` is R's DeleteTerms(nothing, x): x is expanded (for its intercept effect) and dropped.
        this.parity = !this.parity;
        this.encode(node.expr, place === "interaction" ? "interaction" : "removed");
        this.parity = !this.parity;
        return new TermList();
      }
      case "call":
        if (node.fn === "offset") {
          this.offset(node, place);
          return new TermList();
        }
        return TermList.of([[this.variable(this.side.variables.expression(node), node.pos)]]);
      case "bar":
        this.bar(node, place);
        return new TermList();
    }
  }

  /** `.`: every data column not read by the response, in data order (R's `ExpandDots`). */
  private dot(pos: number): TermList {
    const columns = this.side.columns;
    if (this.side.kind === "random")
      throw new FormulaError(
        "'.' (all other columns) is not supported inside a random-effects term; list the variables",
        pos,
      );
    if (columns === undefined)
      throw new FormulaError(
        "'.' (all other columns) needs the data's columns: build the model with lmm(formula, data), or pass { columns } to formulaSpec",
        pos,
      );
    const list = new TermList();
    for (const name of columns)
      if (!this.side.responseColumns.includes(name))
        list.add([this.variable(this.side.variables.column(name, pos), pos)]);
    return list;
  }

  private variable(name: string, pos: number): number {
    if (name === this.side.response)
      throw new FormulaError(`the response '${name}' also appears on the right-hand side`, pos);
    let index = this.index.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.index.set(name, index);
    }
    return index;
  }

  /** `1` or `0`: R's isOne/isZero with the parity rule. */
  private interceptMarker(value: number, pos: number, place: Place): void {
    if (value !== 0 && value !== 1)
      throw new FormulaError(
        `unexpected number ${value}: only 1 (intercept) and 0 or -1 (no intercept) may appear in a formula`,
        pos,
      );
    if (place === "interaction")
      throw new FormulaError(
        `'${value}' (the intercept) cannot be part of an interaction; add it with '+'`,
        pos,
      );
    const one = value === 1;
    this.intercept = this.parity ? one : !one;
  }

  private offset(node: Extract<FormulaNode, { kind: "call" }>, place: Place): void {
    if (node.fn !== "offset")
      throw new FormulaError(
        `unsupported function '${node.fn}()': only offset() may be called in a formula; add transformed variables to the data as columns`,
        node.pos,
      );
    if (this.side.kind === "random")
      throw new FormulaError("offset() is not allowed inside a random-effects term", node.pos);
    if (place === "interaction")
      throw new FormulaError("offset() cannot be part of an interaction; add it with '+'", node.pos);
    if (place === "removed") throw new FormulaError("offset() cannot be removed with '-'", node.pos);
    const [arg, extra] = node.args;
    if (arg === undefined || extra !== undefined || arg.name !== null)
      throw new FormulaError(
        `offset() takes exactly one unnamed argument, e.g. offset(exposure) or offset(log(exposure)); found ${node.args.length}`,
        node.pos,
      );
    let inner = arg.value;
    while (inner.kind === "paren") inner = inner.expr;
    if (inner.kind === "bar") throw new FormulaError("a random-effects term cannot be an offset", inner.pos);
    if (inner.kind === "name" && inner.name === ".")
      throw new FormulaError("'.' (all other columns) cannot be an offset; name the variable", inner.pos);
    const key =
      inner.kind === "name"
        ? this.side.variables.column(inner.name, inner.pos)
        : this.side.variables.expression(inner);
    if (key === this.side.response)
      throw new FormulaError(`the response '${key}' also appears on the right-hand side`, inner.pos);
    if (!this.side.offsets.includes(key)) this.side.offsets.push(key);
  }

  private bar(node: BarNode, place: Place): void {
    if (this.side.kind === "random")
      throw new FormulaError(
        "a random-effects term cannot be nested inside another random-effects term",
        node.pos,
      );
    if (place === "interaction")
      throw new FormulaError(
        "a random-effects term cannot be part of an interaction (':', '*' or '/'); add it with '+'",
        node.pos,
      );
    if (place === "removed")
      throw new FormulaError("a random-effects term cannot be removed with '-'", node.pos);
    this.side.bars.push(node);
  }
}

/** The power of `(terms)^k`: a whole number of at least 2, as R's `PowerTerms` requires. */
function powerOf(node: FormulaNode): number {
  let inner = node;
  while (inner.kind === "paren") inner = inner.expr;
  if (inner.kind !== "number" || !Number.isInteger(inner.value) || inner.value < 2)
    throw new FormulaError(
      "the power in (terms)^k must be a whole number of at least 2, e.g. (a + b + c)^2 for all two-way interactions; for the square of a variable write I(x^2) or poly(x, 2)",
      node.pos,
    );
  if (inner.value > MAX_ORDER)
    throw new FormulaError(`the power ${inner.value} is more than the ${MAX_ORDER} allowed`, node.pos);
  return inner.value;
}

/**
 * Expands a parsed formula into the terms R and lme4 would build from it.
 *
 * @param tree - a tree from `parseFormula`
 * @param options - the data's columns, for `.`
 * @returns the `FormulaSpec`: response, intercept, fixed terms in R's order, offsets, random terms,
 *   the expressions among the variables, the data columns read
 * @throws FormulaError for what parses but means nothing (a bar term inside an interaction, `(0 | g)`,
 *   `offset(a, b)`, a number other than 0 and 1, `(a + b)^0.5`, a repeated random term, ...), with the
 *   column
 * @example
 * expandFormula(parseFormula("y ~ a*b + (1 | g)")).fixed.map((t) => t.variables.join(":"));
 * // ["a", "b", "a:b"]
 */
export function expandFormula(tree: FormulaTree, options: ExpandOptions = {}): FormulaSpec {
  checkObjectArgument(tree, "tree", "a formula tree from parseFormula(text)", ["text", "response", "rhs"]);
  checkOptionsArgument(options);
  const variables = new Variables();
  const response = responseKey(tree.response, variables);
  const side: Side = {
    kind: "fixed",
    response,
    responseColumns: variables.columnsOf(response),
    bars: [],
    offsets: [],
    variables,
    columns: options.columns,
  };
  const fixedEncoder = new TermEncoder(side);
  const fixed = fixedEncoder.expand(tree.rhs);
  const random = side.bars.flatMap((bar) => expandBar(bar, side));
  refuseRepeatedTerms(random);
  return {
    text: tree.text,
    response,
    intercept: fixedEncoder.intercept,
    fixed,
    offsets: side.offsets,
    random,
    expressions: usedExpressions(variables.expressions, response, fixed, side.offsets, random),
    variables: columnsRead(variables, response, fixed, side.offsets, random),
  };
}

/** The response: a column, or an expression of columns (`log(y)`, `y / n`); parentheses allowed. */
function responseKey(node: FormulaNode, variables: Variables): string {
  let inner = node;
  while (inner.kind === "paren") inner = inner.expr;
  switch (inner.kind) {
    case "name":
      if (inner.name === ".") throw new FormulaError("the response must be a variable, not '.'", inner.pos);
      return variables.column(inner.name, inner.pos);
    case "bar":
      throw new FormulaError("a random-effects term cannot be on the response side of '~'", inner.pos);
    case "number":
      throw new FormulaError("the response must be a variable, not a number", inner.pos);
    case "call":
      if (inner.fn === "offset")
        throw new FormulaError("offset() cannot be the response; put it on the right of '~'", inner.pos);
      return variables.expression(inner);
    default:
      if (columnsOf(inner).length === 0)
        throw new FormulaError("the response must involve a variable, not only numbers", inner.pos);
      return variables.expression(inner);
  }
}

/** Refuses a random-effects term that repeats an earlier one (same intercept, terms and factor). */
function refuseRepeatedTerms(random: readonly RandomTermSpec[]): void {
  const seen = new Map<string, RandomTermSpec>();
  for (const term of random) {
    const key = JSON.stringify([
      term.intercept,
      term.terms.map((t) => [...t.variables].sort().join(":")).sort(),
      [...term.group].sort(),
    ]);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, term);
      continue;
    }
    const lhs = [...(term.intercept ? ["1"] : ["0"]), ...term.terms.map((t) => t.variables.join(":"))].join(
      " + ",
    );
    const where =
      first.pos === term.pos ? "twice from the term" : `again (first at column ${first.pos}) in the term`;
    throw new FormulaError(
      `the random-effects term (${lhs} | ${term.group.join(":")}) appears ${where} here: two identical terms cannot be told apart (their variances are confounded); remove the repeat`,
      term.pos,
    );
  }
}

/** One bar term → its `RandomTermSpec`s (expandDoubleVerts, then expandSlash). */
function expandBar(bar: BarNode, fixed: Side): RandomTermSpec[] {
  const side: Side = { ...fixed, kind: "random", bars: [], offsets: [] };
  const encoder = new TermEncoder(side);
  const terms = encoder.expand(bar.lhs);
  const intercept = encoder.intercept;
  if (!intercept && terms.length === 0)
    throw new FormulaError(
      `the random-effects term has nothing random (no intercept, no variables); write (1 ${bar.double ? "||" : "|"} group) for a random intercept`,
      bar.pos,
    );
  const groups = nestedGroups(bar.group, side);
  const parts: { intercept: boolean; terms: TermSpec[] }[] = bar.double
    ? [
        ...(intercept ? [{ intercept: true, terms: [] }] : []),
        ...terms.map((t) => ({ intercept: false, terms: [t] })),
      ]
    : [{ intercept, terms }];
  if (parts.length * groups.length > MAX_TERMS)
    throw new FormulaError(
      `the random-effects term expands to ${parts.length * groups.length} terms, more than the ${MAX_TERMS} allowed`,
      bar.pos,
    );
  return parts.flatMap((part) => groups.map((group) => ({ ...part, group, pos: bar.pos })));
}

/**
 * The grouping factors of `g`, `g1:g2` or `g1/g2/...` (lme4's `expandSlash`): the nesting chain
 * c1/c2/.../cn gives cn:…:c1, …, c2:c1, c1 (each ci itself a variable or an interaction).
 */
function nestedGroups(node: FormulaNode, side: Side): string[][] {
  const chain: string[][] = [];
  let rest = node;
  while (rest.kind === "binary" && rest.op === "/") {
    chain.push(groupVariables(rest.right, side));
    rest = rest.left;
  }
  chain.push(groupVariables(rest, side));
  chain.reverse();
  const groups: string[][] = [];
  let outer: string[] = [];
  for (const component of chain) {
    outer = [...component, ...outer];
    if (outer.length > MAX_ORDER)
      throw new FormulaError(
        `the grouping factor nests more than ${MAX_ORDER} variables; that many levels of nesting are not supported`,
        node.pos,
      );
    groups.push(outer);
  }
  return groups.reverse();
}

/**
 * The variables of one grouping factor: a variable, an expression such as `factor(x)`, or an
 * interaction `g1:g2` of those.
 */
function groupVariables(node: FormulaNode, side: Side): string[] {
  const response = side.response;
  const out: string[] = [];
  const pending: FormulaNode[] = [node];
  while (pending.length > 0) {
    const n = pending.pop() as FormulaNode;
    switch (n.kind) {
      case "name":
        if (n.name === ".") throw new FormulaError("a grouping factor must be a variable, not '.'", n.pos);
        if (n.name === response)
          throw new FormulaError(`the response '${n.name}' cannot be a grouping factor`, n.pos);
        out.push(side.variables.column(n.name, n.pos));
        break;
      case "paren":
        pending.push(n.expr);
        break;
      case "binary":
        if (n.op === ":") {
          pending.push(n.right, n.left);
          break;
        }
        if (n.op === "/")
          throw new FormulaError(
            "nesting '/' inside parentheses or an interaction in a grouping factor is not supported; write g1/g2/g3",
            n.right.pos,
          );
        throw new FormulaError(
          `a grouping factor must be a variable, an interaction g1:g2 or a nesting g1/g2; '${n.op}' is not allowed (use separate terms: (1 | g1) + (1 | g2))`,
          n.right.pos,
        );
      case "number":
        throw new FormulaError("a grouping factor must be a variable, not a number", n.pos);
      case "call": {
        if (n.fn === "offset") throw new FormulaError("offset() cannot be a grouping factor", n.pos);
        const key = side.variables.expression(n);
        if (key === response)
          throw new FormulaError(`the response '${key}' cannot be a grouping factor`, n.pos);
        out.push(key);
        break;
      }
      case "negate":
        throw new FormulaError("a grouping factor must be a variable; '-' is not allowed", n.pos);
      case "bar":
        throw new FormulaError(
          "a random-effects term cannot be nested inside another random-effects term",
          n.pos,
        );
    }
  }
  return out;
}

/** The data columns the used keys read, once each, in the order of `keysUsed`. */
function columnsRead(
  variables: Variables,
  response: string,
  fixed: readonly TermSpec[],
  offsets: readonly string[],
  random: readonly RandomTermSpec[],
): string[] {
  const out = new Set<string>();
  for (const key of keysOf({ response, fixed, offsets, random }))
    for (const column of variables.columnsOf(key)) out.add(column);
  return [...out];
}

/** The expressions among the used keys (a removed term's expression is left out). */
function usedExpressions(
  all: Readonly<Record<string, FormulaNode>>,
  response: string,
  fixed: readonly TermSpec[],
  offsets: readonly string[],
  random: readonly RandomTermSpec[],
): Record<string, FormulaNode> {
  const out: Record<string, FormulaNode> = {};
  for (const key of keysOf({ response, fixed, offsets, random })) {
    const node = all[key];
    if (node !== undefined) out[key] = node;
  }
  return out;
}
