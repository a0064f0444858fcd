/**
 * Formula expansion: from the syntax tree to the `FormulaSpec` the design stage consumes.
 *
 * Fixed side — R's `terms.formula` (src/library/stats/src/model.c, `EncodeVars`): each term is a set
 * of variables; `a + b` appends the new terms of b, `a - b` removes b's terms from a, `a:b` is every
 * union of a term of a with a term of b, `a*b` = `a + b + a:b`, `a/b` = `a + (all of a):b`. `1` and
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
 * Expansion is iterative along operator chains and bounded (`MAX_TERMS`), so long formulas cannot
 * overflow the stack or run for long; the parser bounds the nesting depth.
 */
import { FormulaError } from "../errors";
import { checkObjectArgument } from "../validate";
import type { FormulaNode, FormulaSpec, FormulaTree, RandomTermSpec, TermSpec } from "./types";

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

/** What the side being expanded allows, and where its findings go. */
interface Side {
  /** `fixed`: the formula's right-hand side; `random`: the lhs of a bar term. */
  readonly kind: "fixed" | "random";
  /** The response variable, which may not reappear on the right. */
  readonly response: string;
  /** Bar terms found in the sum (fixed side), in formula order. */
  readonly bars: BarNode[];
  /** Offset variables found in the sum (fixed side), in formula order, once each. */
  readonly offsets: string[];
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
        return TermList.of([[this.variable(node.name, node.pos)]]);
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
        this.offset(node, place);
        return new TermList();
      case "bar":
        this.bar(node, place);
        return new TermList();
    }
  }

  private variable(name: string, pos: number): number {
    if (name === ".")
      throw new FormulaError("'.' (all other columns) is not supported; list the variables", pos);
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
    if (arg === undefined || extra !== undefined)
      throw new FormulaError(
        `offset() takes exactly one variable, e.g. offset(exposure); found ${node.args.length}`,
        node.pos,
      );
    let inner = arg;
    while (inner.kind === "paren") inner = inner.expr;
    if (inner.kind !== "name")
      throw new FormulaError(
        "offset() takes one variable name; add a transformed offset to the data as a column",
        arg.pos,
      );
    if (inner.name === this.side.response)
      throw new FormulaError(`the response '${inner.name}' also appears on the right-hand side`, inner.pos);
    if (inner.name === ".")
      throw new FormulaError("'.' (all other columns) is not supported; list the variables", inner.pos);
    if (!this.side.offsets.includes(inner.name)) this.side.offsets.push(inner.name);
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

/**
 * Expands a parsed formula into the terms R and lme4 would build from it.
 *
 * @param tree - a tree from `parseFormula`
 * @returns the `FormulaSpec`: response, intercept, fixed terms in R's order, offsets, random terms
 * @throws FormulaError for what parses but means nothing (a bar term inside an interaction, `(0 | g)`,
 *   `offset(a, b)`, `log(y)`, a number other than 0 and 1, ...), with the column
 * @example
 * expandFormula(parseFormula("y ~ a*b + (1 | g)")).fixed.map((t) => t.variables.join(":"));
 * // ["a", "b", "a:b"]
 */
export function expandFormula(tree: FormulaTree): FormulaSpec {
  checkObjectArgument(tree, "tree", "a formula tree from parseFormula(text)", ["text", "response", "rhs"]);
  const response = responseName(tree.response);
  const side: Side = { kind: "fixed", response, bars: [], offsets: [] };
  const fixedEncoder = new TermEncoder(side);
  const fixed = fixedEncoder.expand(tree.rhs);
  const random = side.bars.flatMap((bar) => expandBar(bar, response));
  return {
    text: tree.text,
    response,
    intercept: fixedEncoder.intercept,
    fixed,
    offsets: side.offsets,
    random,
    variables: variablesOf(response, fixed, side.offsets, random),
  };
}

/** The response: one variable (parentheses allowed). */
function responseName(node: FormulaNode): string {
  let inner = node;
  while (inner.kind === "paren") inner = inner.expr;
  switch (inner.kind) {
    case "name":
      if (inner.name === ".") throw new FormulaError("the response must be a variable, not '.'", inner.pos);
      return inner.name;
    case "bar":
      throw new FormulaError("a random-effects term cannot be on the response side of '~'", inner.pos);
    case "call":
      throw new FormulaError(
        `the response must be a variable: '${inner.fn}()' is not supported; add the transformed response to the data as a column`,
        inner.pos,
      );
    case "number":
      throw new FormulaError("the response must be a variable, not a number", inner.pos);
    default:
      throw new FormulaError("the response must be one variable", inner.pos);
  }
}

/** One bar term → its `RandomTermSpec`s (expandDoubleVerts, then expandSlash). */
function expandBar(bar: BarNode, response: string): RandomTermSpec[] {
  const side: Side = { kind: "random", response, bars: [], offsets: [] };
  const encoder = new TermEncoder(side);
  const terms = encoder.expand(bar.lhs);
  const intercept = encoder.intercept;
  if (!intercept && terms.length === 0)
    throw new FormulaError(
      `the random-effects term has nothing random (no intercept, no variables); write (1 ${bar.double ? "||" : "|"} group) for a random intercept`,
      bar.pos,
    );
  const groups = nestedGroups(bar.group, response);
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
function nestedGroups(node: FormulaNode, response: string): string[][] {
  const chain: string[][] = [];
  let rest = node;
  while (rest.kind === "binary" && rest.op === "/") {
    chain.push(groupVariables(rest.right, response));
    rest = rest.left;
  }
  chain.push(groupVariables(rest, response));
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

/** The variables of one grouping factor: a variable or an interaction `g1:g2` of variables. */
function groupVariables(node: FormulaNode, response: string): string[] {
  const out: string[] = [];
  const pending: FormulaNode[] = [node];
  while (pending.length > 0) {
    const n = pending.pop() as FormulaNode;
    switch (n.kind) {
      case "name":
        if (n.name === ".") throw new FormulaError("a grouping factor must be a variable, not '.'", n.pos);
        if (n.name === response)
          throw new FormulaError(`the response '${n.name}' cannot be a grouping factor`, n.pos);
        out.push(n.name);
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
      case "call":
        throw new FormulaError(`a grouping factor must be a variable; '${n.fn}()' is not supported`, n.pos);
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

/** Every variable used, once: response, fixed terms, offsets, then each random term's terms and group. */
function variablesOf(
  response: string,
  fixed: readonly TermSpec[],
  offsets: readonly string[],
  random: readonly RandomTermSpec[],
): string[] {
  const seen = new Set<string>([response]);
  const add = (names: readonly string[]): void => {
    for (const name of names) seen.add(name);
  };
  for (const term of fixed) add(term.variables);
  add(offsets);
  for (const r of random) {
    for (const term of r.terms) add(term.variables);
    add(r.group);
  }
  return [...seen];
}
