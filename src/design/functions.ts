/**
 * The functions a formula may call, and how each learns its parameters from the training data —
 * what R's `model.frame` evaluates and `makepredictcall` writes into `predvars`:
 *
 * | function | arguments (R's names and order) | learned from the training data |
 * |---|---|---|
 * | `log`, `log2`, `log10`, `log1p`, `exp`, `sqrt`, `abs`, `sin`, `cos` | `x` (`log`: and `base`) | — |
 * | `I` | an arithmetic expression: `+ - * / ^`, unary `-`, numbers, calls | — |
 * | `scale` | `x, center = TRUE, scale = TRUE` (each `TRUE`, `FALSE` or a number) | the mean; the sd (root mean square when not centred) |
 * | `poly` | `x, degree = 1, raw = FALSE` | the recurrence of the orthogonal polynomials (`coefs`) |
 * | `ns` | `x, df, knots, intercept = FALSE, Boundary.knots` | inner knots at quantiles, boundary knots at the range |
 * | `bs` | `x, df, knots, degree = 3, intercept = FALSE, Boundary.knots` | the same |
 * | `factor` | `x` | — (the levels are the frame's business) |
 * | `as.numeric` | `x` (a factor gives its level codes 1, 2, ..., as in R) | — |
 *
 * Inside a call's arguments, `TRUE`, `FALSE`, `T`, `F`, `pi` and `Inf` are constants. Data-dependent
 * parameters are learned, as in R, from every row where the function's argument is present (rows
 * dropped later for a value missing elsewhere included). Anything else — an unknown function, an
 * unknown or repeated argument, `:` or `%in%` inside a call — is a `FormulaError` naming it.
 */
import { DataError, FormulaError } from "../errors";
import { deparse } from "../formula/deparse";
import { CONSTANT_NAMES } from "../formula/expand";
import type { CallArgument, FormulaNode } from "../formula/types";
import { mean, polyCoefs } from "./poly";
import {
  type ArithmeticOperator,
  type EvaluationContext,
  evaluatePredvar,
  type MathFunction,
  type Predvar,
  type Value,
} from "./predvar";
import { fitSpline } from "./splines";

/** The elementwise functions of one number (./predvar.ts computes them). */
const MATH_FUNCTIONS: readonly MathFunction[] = [
  "log",
  "log2",
  "log10",
  "log1p",
  "exp",
  "sqrt",
  "abs",
  "sin",
  "cos",
];
const MATH: ReadonlySet<string> = new Set(MATH_FUNCTIONS);

/** The functions a formula may call (offset() aside, which the formula stage handles). */
export const FORMULA_FUNCTIONS: readonly string[] = [
  ...MATH_FUNCTIONS,
  "I",
  "scale",
  "poly",
  "ns",
  "bs",
  "factor",
  "as.numeric",
];

const CONSTANTS: Readonly<Record<string, number>> = {
  TRUE: 1,
  FALSE: 0,
  T: 1,
  F: 0,
  pi: Math.PI,
  Inf: Number.POSITIVE_INFINITY,
};

type CallNode = Extract<FormulaNode, { kind: "call" }>;

/**
 * Checks an expression's syntax against the catalogue (functions, their arguments, the operators
 * allowed inside calls) without touching data.
 *
 * @param node - the expression's tree.
 * @throws FormulaError naming the function or operator, at its column.
 */
export function checkExpression(node: FormulaNode): void {
  switch (node.kind) {
    case "call":
      checkExpression(bind(node).x);
      return;
    case "binary":
      arithmeticOperator(node);
      checkExpression(node.left);
      checkExpression(node.right);
      return;
    case "paren":
    case "negate":
      checkExpression(node.expr);
      return;
    case "bar":
      throw new FormulaError("a random-effects term cannot stand inside a function call", node.pos);
    default:
      return;
  }
}

/**
 * Learns an expression's parameters on the training data: its predvar (the computation with the
 * parameters written in) and its value over every row.
 *
 * @param node - the expression's tree (from `FormulaSpec.expressions`).
 * @param context - the training data.
 * @returns the predvar and its value.
 * @throws FormulaError (unsupported function or argument), DataError (a factor where numbers are
 *   needed, too few distinct points for `poly`, a constant `scale`, a non-finite result).
 */
export function fitExpression(
  node: FormulaNode,
  context: EvaluationContext,
): { predvar: Predvar; value: Value } {
  const predvar = fitNode(node, context);
  return { predvar, value: evaluatePredvar(predvar, context) };
}

function fitNode(node: FormulaNode, context: EvaluationContext): Predvar {
  switch (node.kind) {
    case "name": {
      const constant = CONSTANTS[node.name];
      if (constant !== undefined && CONSTANT_NAMES.has(node.name)) return { op: "number", value: constant };
      return { op: "column", name: node.name };
    }
    case "number":
      return { op: "number", value: node.value };
    case "paren":
      return { op: "paren", arg: fitNode(node.expr, context) };
    case "negate":
      return { op: "negate", arg: fitNode(node.expr, context) };
    case "binary":
      return {
        op: "arithmetic",
        operator: arithmeticOperator(node),
        left: fitNode(node.left, context),
        right: fitNode(node.right, context),
      };
    case "bar":
      throw new FormulaError("a random-effects term cannot stand inside a function call", node.pos);
    case "call":
      return fitCall(bind(node), context);
  }
}

function arithmeticOperator(node: Extract<FormulaNode, { kind: "binary" }>): ArithmeticOperator {
  if (node.op === ":" || node.op === "%in%")
    throw new FormulaError(
      `'${node.op}' inside a function call is not arithmetic; write the interaction outside the call (log(x):f), or a product as I(x * z)`,
      node.right.pos,
    );
  return node.op;
}

/** A call checked against the catalogue, its arguments matched as R matches them. */
type Bound =
  | {
      readonly fn: "math";
      readonly name: MathFunction;
      readonly x: FormulaNode;
      readonly base: number | null;
    }
  | { readonly fn: "I"; readonly x: FormulaNode }
  | {
      readonly fn: "scale";
      readonly x: FormulaNode;
      readonly center: boolean | number;
      readonly scale: boolean | number;
    }
  | { readonly fn: "poly"; readonly x: FormulaNode; readonly degree: number; readonly raw: boolean }
  | {
      readonly fn: "spline";
      readonly kind: "bs" | "ns";
      readonly x: FormulaNode;
      readonly df: number | null;
      readonly knots: readonly number[] | null;
      readonly degree: number;
      readonly intercept: boolean;
      readonly boundary: readonly [number, number] | null;
      readonly call: CallNode;
    }
  | { readonly fn: "factor" | "asNumeric"; readonly x: FormulaNode };

function bind(call: CallNode): Bound {
  const fn = call.fn;
  if (MATH.has(fn)) {
    const args = matchArguments(call, fn === "log" ? ["x", "base"] : ["x"], 1);
    return {
      fn: "math",
      name: fn as MathFunction,
      x: args("x")!,
      base: positiveNumber(call, "base", args("base"), null),
    };
  }
  switch (fn) {
    case "I":
      return { fn: "I", x: matchArguments(call, ["x"], 1)("x")! };
    case "scale": {
      const args = matchArguments(call, ["x", "center", "scale"], 1);
      return {
        fn: "scale",
        x: args("x")!,
        center: logicalOrNumber(call, "center", args("center"), true),
        scale: logicalOrNumber(call, "scale", args("scale"), true),
      };
    }
    case "poly": {
      const args = matchArguments(call, ["x", "degree", "raw"], 1);
      const degree = wholeNumber(call, "degree", args("degree"), 1, 1);
      return { fn: "poly", x: args("x")!, degree, raw: logical(call, "raw", args("raw"), false) };
    }
    case "ns":
    case "bs": {
      const formals =
        fn === "ns"
          ? ["x", "df", "knots", "intercept", "Boundary.knots"]
          : ["x", "df", "knots", "degree", "intercept", "Boundary.knots"];
      const args = matchArguments(call, formals, 1);
      const degree = fn === "bs" ? wholeNumber(call, "degree", args("degree"), 3, 1) : 3;
      const intercept = logical(call, "intercept", args("intercept"), false);
      const knots = numbers(call, "knots", args("knots"), null);
      const df = wholeNumber(call, "df", args("df"), null, 1);
      const boundaryValues = numbers(call, "Boundary.knots", args("Boundary.knots"), null);
      if (boundaryValues !== null && boundaryValues.length !== 2)
        throw new FormulaError(`Boundary.knots of ${fn}() must be two numbers, e.g. c(0, 10)`, call.pos);
      if (df !== null && knots === null) {
        const inner = fn === "bs" ? df - (degree + 1) + (intercept ? 0 : 1) : df - 1 - (intercept ? 1 : 0);
        if (inner < 0) {
          const least = fn === "bs" ? degree + (intercept ? 1 : 0) : 1 + (intercept ? 1 : 0);
          throw new FormulaError(`df of ${deparse(call)} must be at least ${least}`, call.pos);
        }
      }
      return {
        fn: "spline",
        kind: fn,
        x: args("x")!,
        df,
        knots,
        degree,
        intercept,
        boundary: boundaryValues === null ? null : [boundaryValues[0]!, boundaryValues[1]!],
        call,
      };
    }
    case "factor":
      return { fn: "factor", x: matchArguments(call, ["x"], 1)("x")! };
    case "as.numeric":
      return { fn: "asNumeric", x: matchArguments(call, ["x"], 1)("x")! };
    default:
      throw new FormulaError(
        `unsupported function '${fn}()'; a formula may call ${FORMULA_FUNCTIONS.map((f) => `${f}()`).join(", ")} and offset() — add other transformations to the data as columns`,
        call.pos,
      );
  }
}

function fitCall(bound: Bound, context: EvaluationContext): Predvar {
  const arg = fitNode(bound.x, context);
  switch (bound.fn) {
    case "math":
      return { op: "math", fn: bound.name, arg, base: bound.base };
    case "I":
      return { op: "I", arg };
    case "factor":
      return { op: "factor", arg };
    case "asNumeric":
      return { op: "asNumeric", arg };
    case "scale": {
      const x = present(evaluatePredvar(arg, context), context, "scale()");
      const center = bound.center === true ? mean(x) : bound.center === false ? null : bound.center;
      let scale: number | null;
      if (bound.scale === true) {
        let sum = 0;
        for (const v of x) sum += (v - (center ?? 0)) ** 2;
        scale = Math.sqrt(sum / Math.max(1, x.length - 1));
        if (!(scale > 0))
          throw new DataError(
            "INVALID_DATA",
            `invalid data. In \`${context.key}\`, the values to scale are all ${center === null ? "zero" : "equal"}: their standard deviation is 0.`,
            { column: context.key },
          );
      } else scale = bound.scale === false ? null : bound.scale;
      return { op: "scale", arg, center, scale };
    }
    case "poly": {
      if (bound.raw) return { op: "poly", arg, degree: bound.degree, coefs: null };
      const x = present(evaluatePredvar(arg, context), context, "poly()");
      const distinct = new Set(x).size;
      if (bound.degree >= distinct)
        throw new DataError(
          "INVALID_DATA",
          `invalid data. In \`${context.key}\`, the degree ${bound.degree} must be less than the number of distinct values (${distinct}), as R's poly() requires.`,
          { column: context.key },
        );
      return { op: "poly", arg, degree: bound.degree, coefs: polyCoefs(x, bound.degree) };
    }
    case "spline": {
      const x = present(evaluatePredvar(arg, context), context, `${bound.kind}()`);
      const basis = fitSpline(bound.kind, x, bound);
      return { op: "spline", arg, basis };
    }
  }
}

/** The non-missing numbers of an argument value (where data-dependent parameters are learned). */
function present(value: Value, context: EvaluationContext, what: string): Float64Array {
  if (value.type === "numeric") {
    const missing = value.missing;
    return missing === null ? value.values : value.values.filter((_, i) => missing[i] !== 1);
  }
  if (value.type === "constant")
    throw new DataError(
      "INVALID_DATA",
      `invalid data. In \`${context.key}\`, ${what} needs a variable, not a constant.`,
      {
        column: context.key,
      },
    );
  throw new DataError(
    "INVALID_DATA",
    `invalid data. In \`${context.key}\`, ${what} needs one column of numbers, but its argument is ${value.type === "factor" ? "a factor" : `${value.columns.length} columns`}.`,
    { column: context.key },
  );
}

/**
 * R's argument matching for a call: named arguments by exact name, then positional ones fill the
 * remaining formals in order.
 */
function matchArguments(
  call: CallNode,
  formals: readonly string[],
  required: number,
): (name: string) => FormulaNode | undefined {
  const out = new Map<string, FormulaNode>();
  const signature = `${call.fn}(${formals.join(", ")})`;
  for (const arg of call.args) {
    if (arg.name === null) continue;
    if (!formals.includes(arg.name))
      throw new FormulaError(
        `${call.fn}() has no argument '${arg.name}'; its arguments are ${signature}`,
        arg.pos,
      );
    if (out.has(arg.name))
      throw new FormulaError(`the argument '${arg.name}' of ${call.fn}() is given twice`, arg.pos);
    out.set(arg.name, arg.value);
  }
  let next = 0;
  for (const arg of call.args as readonly CallArgument[]) {
    if (arg.name !== null) continue;
    while (next < formals.length && out.has(formals[next]!)) next++;
    if (next >= formals.length)
      throw new FormulaError(
        call.fn === "poly"
          ? "poly() of several variables is not supported; write poly(x, degree) for one variable"
          : `${call.fn}() takes at most ${formals.length} argument${formals.length === 1 ? "" : "s"}: ${signature}`,
        arg.pos,
      );
    out.set(formals[next]!, arg.value);
    next++;
  }
  for (let k = 0; k < required; k++)
    if (!out.has(formals[k]!))
      throw new FormulaError(`${call.fn}() needs its argument '${formals[k]}': ${signature}`, call.pos);
  return (name) => out.get(name);
}

/** A constant argument: a number (signs allowed), a logical constant, or c(...) of numbers. */
function constant(node: FormulaNode): number | boolean | number[] | undefined {
  let inner = node;
  while (inner.kind === "paren") inner = inner.expr;
  if (inner.kind === "number") return inner.value;
  if (inner.kind === "negate") {
    const v = constant(inner.expr);
    return typeof v === "number" ? -v : undefined;
  }
  if (inner.kind === "name") {
    if (inner.name === "TRUE" || inner.name === "T") return true;
    if (inner.name === "FALSE" || inner.name === "F") return false;
    if (inner.name === "pi") return Math.PI;
    if (inner.name === "Inf") return Number.POSITIVE_INFINITY;
    return undefined;
  }
  if (inner.kind === "call" && inner.fn === "c") {
    const values: number[] = [];
    for (const a of inner.args) {
      const v = a.name === null ? constant(a.value) : undefined;
      if (typeof v !== "number") return undefined;
      values.push(v);
    }
    return values;
  }
  return undefined;
}

function logical<D>(call: CallNode, name: string, node: FormulaNode | undefined, fallback: D): boolean | D {
  if (node === undefined) return fallback;
  const v = constant(node);
  if (typeof v !== "boolean")
    throw new FormulaError(`the argument '${name}' of ${call.fn}() must be TRUE or FALSE`, node.pos);
  return v;
}

function logicalOrNumber(
  call: CallNode,
  name: string,
  node: FormulaNode | undefined,
  fallback: boolean,
): boolean | number {
  if (node === undefined) return fallback;
  const v = constant(node);
  if (typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) return v;
  throw new FormulaError(`the argument '${name}' of ${call.fn}() must be TRUE, FALSE or a number`, node.pos);
}

function positiveNumber(
  call: CallNode,
  name: string,
  node: FormulaNode | undefined,
  fallback: null,
): number | null {
  if (node === undefined) return fallback;
  const v = constant(node);
  if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v) || v === 1)
    throw new FormulaError(
      `the argument '${name}' of ${call.fn}() must be a positive number other than 1`,
      node.pos,
    );
  return v;
}

function wholeNumber<D>(
  call: CallNode,
  name: string,
  node: FormulaNode | undefined,
  fallback: D,
  least: number,
): number | D {
  if (node === undefined) return fallback;
  const v = constant(node);
  if (typeof v !== "number" || !Number.isInteger(v) || v < least)
    throw new FormulaError(
      `the argument '${name}' of ${call.fn}() must be a whole number of at least ${least}`,
      node.pos,
    );
  return v;
}

function numbers(
  call: CallNode,
  name: string,
  node: FormulaNode | undefined,
  fallback: null,
): number[] | null {
  if (node === undefined) return fallback;
  const v = constant(node);
  const list = typeof v === "number" ? [v] : v;
  if (!Array.isArray(list) || !list.every(Number.isFinite))
    throw new FormulaError(
      `the argument '${name}' of ${call.fn}() must be numbers, e.g. c(10, 20)`,
      node.pos,
    );
  return list;
}
