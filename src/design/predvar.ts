/**
 * `Predvar`: how one variable of a model is computed from data columns, with every parameter learned
 * from the training data written in — R's `predvars` (`scale(x, center = 4.5, scale = 2.88)`,
 * `poly(x, 2, coefs = list(...))`, `ns(x, knots = ..., Boundary.knots = ...)`). Plain JSON, so a
 * model's design can be saved and applied to new data later (src/design/recipe.ts).
 *
 * `evaluatePredvar` computes a predvar over every row of a data table; `deparsePredvar` writes it as
 * R writes its predvars. Which functions exist and how their parameters are learned:
 * ./functions.ts.
 */
import { type ColumnOptions, type DataColumn, dataColumn } from "../data/frame";
import { rNumberLabel } from "../data/numbers";
import type { DataTable } from "../data/table";
import { DataError } from "../errors";
import { rName } from "../formula/deparse";
import { checkObjectArgument } from "../validate";
import { type PolyCoefs, polyColumns } from "./poly";
import { type SplineBasis, splineColumns } from "./splines";

/** The elementwise functions of one number. */
export type MathFunction = "log" | "log2" | "log10" | "log1p" | "exp" | "sqrt" | "abs" | "sin" | "cos";

/** The arithmetic operators (inside a call: `I(x^2)`, `log(x + 1)`). */
export type ArithmeticOperator = "+" | "-" | "*" | "/" | "^";

/** One step of a variable's computation (see the file comment). */
export type Predvar =
  | { readonly op: "column"; readonly name: string }
  | { readonly op: "number"; readonly value: number }
  | { readonly op: "negate"; readonly arg: Predvar }
  | { readonly op: "paren"; readonly arg: Predvar }
  | {
      readonly op: "arithmetic";
      readonly operator: ArithmeticOperator;
      readonly left: Predvar;
      readonly right: Predvar;
    }
  | { readonly op: "I"; readonly arg: Predvar }
  | { readonly op: "math"; readonly fn: MathFunction; readonly arg: Predvar; readonly base: number | null }
  | {
      readonly op: "scale";
      readonly arg: Predvar;
      /** The centre subtracted (R's `center`), or null for none. */
      readonly center: number | null;
      /** The divisor (R's `scale`), or null for none. */
      readonly scale: number | null;
    }
  | {
      readonly op: "poly";
      readonly arg: Predvar;
      readonly degree: number;
      /** Orthogonal polynomials' recurrence (R's `coefs`), or null for raw powers. */
      readonly coefs: PolyCoefs | null;
    }
  | { readonly op: "spline"; readonly arg: Predvar; readonly basis: SplineBasis }
  | { readonly op: "factor"; readonly arg: Predvar }
  | { readonly op: "asNumeric"; readonly arg: Predvar };

/** A computed value over all rows of the data. Missing rows carry any value and a 1 in `missing`. */
export type Value =
  | { readonly type: "numeric"; readonly values: Float64Array; readonly missing: Uint8Array | null }
  | {
      readonly type: "matrix";
      readonly columns: readonly Float64Array[];
      /** What R appends to the variable's label to name each column (`"1"`, `"2"`; `""` for one unnamed column). */
      readonly suffixes: readonly string[];
      readonly missing: Uint8Array | null;
    }
  /** A factor: codes -1 where missing; `logical` keeps both levels of booleans (R's model.matrix). */
  | Extract<DataColumn, { type: "factor" }>
  | { readonly type: "constant"; readonly value: number };

/** Where a predvar is evaluated: the data, how columns are read, and what to name in messages. */
export interface EvaluationContext {
  readonly table: DataTable;
  readonly columnOptions: ColumnOptions;
  /** The variable being computed (its key, e.g. `log(x)`), for messages. */
  readonly key: string;
  /** Columns read so far (each is read once). */
  readonly cache: Map<string, DataColumn>;
}

/** Reads a data column through the context's cache. */
export function readColumn(context: EvaluationContext, name: string): DataColumn {
  let column = context.cache.get(name);
  if (column === undefined) {
    column = dataColumn(context.table, name, context.columnOptions);
    context.cache.set(name, column);
  }
  return column;
}

/**
 * Computes a predvar over every row of the context's table.
 *
 * @param predvar - the computation.
 * @param context - the data and the variable's key.
 * @returns the value (numbers, columns, a factor or a constant).
 * @throws DataError for an unknown column, a factor where numbers are needed, a non-finite result.
 */
export function evaluatePredvar(predvar: Predvar, context: EvaluationContext): Value {
  switch (predvar.op) {
    case "column":
      return readColumn(context, predvar.name);
    case "number":
      return { type: "constant", value: predvar.value };
    case "paren":
    case "I":
      return evaluatePredvar(predvar.arg, context);
    case "negate":
      return elementwise(context, [evaluatePredvar(predvar.arg, context)], (a) => -a!, "-");
    case "arithmetic": {
      const left = evaluatePredvar(predvar.left, context);
      const right = evaluatePredvar(predvar.right, context);
      return elementwise(context, [left, right], ARITHMETIC[predvar.operator], predvar.operator);
    }
    case "math": {
      const f = MATH[predvar.fn];
      const base = predvar.base;
      const g = base === null ? f : (x: number) => Math.log(x) / Math.log(base);
      return elementwise(context, [evaluatePredvar(predvar.arg, context)], (a) => g(a!), `${predvar.fn}()`);
    }
    case "scale": {
      const x = numbers(context, evaluatePredvar(predvar.arg, context), "scale()");
      const c = predvar.center ?? 0;
      const s = predvar.scale ?? 1;
      const values = x.values.map((v) => (v - c) / s);
      return checked(context, { type: "matrix", columns: [values], suffixes: [""], missing: x.missing });
    }
    case "poly": {
      const x = numbers(context, evaluatePredvar(predvar.arg, context), "poly()");
      const columns =
        predvar.coefs === null
          ? Array.from({ length: predvar.degree }, (_, j) => x.values.map((v) => v ** (j + 1)))
          : polyColumns(x.values, predvar.coefs);
      return checked(context, {
        type: "matrix",
        columns,
        suffixes: columns.map((_, j) => String(j + 1)),
        missing: x.missing,
      });
    }
    case "spline": {
      const x = numbers(context, evaluatePredvar(predvar.arg, context), `${predvar.basis.kind}()`);
      // Missing rows are evaluated at the lower boundary knot (any point would do) and stay flagged.
      const points = x.values.map((v, i) => (x.missing?.[i] === 1 ? predvar.basis.boundary[0] : v));
      const columns = splineColumns(predvar.basis, points);
      return checked(context, {
        type: "matrix",
        columns,
        suffixes: columns.map((_, j) => String(j + 1)),
        missing: x.missing,
      });
    }
    case "factor":
      return asFactorValue(context, evaluatePredvar(predvar.arg, context));
    case "asNumeric": {
      const x = evaluatePredvar(predvar.arg, context);
      if (x.type !== "factor") return { type: "numeric", ...numbers(context, x, "as.numeric()") };
      // R: the level codes, 1-based.
      const missing = x.codes.some((c) => c < 0) ? Uint8Array.from(x.codes, (c) => (c < 0 ? 1 : 0)) : null;
      return { type: "numeric", values: Float64Array.from(x.codes, (c) => c + 1), missing };
    }
  }
}

const ARITHMETIC: Record<ArithmeticOperator, (...v: number[]) => number> = {
  "+": (a, b) => a! + b!,
  "-": (a, b) => a! - b!,
  "*": (a, b) => a! * b!,
  "/": (a, b) => a! / b!,
  "^": (a, b) => a! ** b!,
};

const MATH: Record<MathFunction, (x: number) => number> = {
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sin: Math.sin,
  cos: Math.cos,
};

/** The numbers of a value; a factor or several columns is an error naming the variable. */
function numbers(
  context: EvaluationContext,
  value: Value,
  what: string,
): { values: Float64Array; missing: Uint8Array | null } {
  if (value.type === "numeric") return value;
  if (value.type === "constant")
    return { values: new Float64Array(context.table.nrows).fill(value.value), missing: null };
  if (value.type === "factor")
    throw new DataError(
      "INVALID_DATA",
      `invalid data. In \`${context.key}\`, ${what} needs numbers, but its argument is a factor (text, booleans or factor()); use it as a term of its own instead.`,
      { column: context.key },
    );
  if (value.columns.length === 1) return { values: value.columns[0]!, missing: value.missing };
  throw new DataError(
    "INVALID_DATA",
    `invalid data. In \`${context.key}\`, ${what} needs one column of numbers, but its argument has ${value.columns.length} columns.`,
    { column: context.key },
  );
}

/** An elementwise function of numeric values (constants broadcast; missing flags are combined). */
function elementwise(
  context: EvaluationContext,
  args: readonly Value[],
  f: (...v: number[]) => number,
  what: string,
): Value {
  if (args.every((a) => a.type === "constant")) {
    // A constant is checked as a column is (below): log(-1) is NaN whichever rows it multiplies.
    const value = f(...args.map((a) => (a as { value: number }).value));
    if (!Number.isFinite(value))
      throw new DataError(
        "INVALID_DATA",
        `invalid data. \`${context.key}\` is ${String(value).replace("Infinity", "Inf")} (a constant); a model needs finite values (change the transformation).`,
        { column: context.key },
      );
    return { type: "constant", value };
  }
  const n = context.table.nrows;
  const inputs = args.map((a) =>
    a.type === "constant" ? { scalar: a.value } : { vector: numbers(context, a, `'${what}'`) },
  );
  let missing: Uint8Array | null = null;
  for (const input of inputs)
    if ("vector" in input && input.vector.missing !== null) {
      missing ??= new Uint8Array(n);
      const m = input.vector.missing;
      for (let i = 0; i < n; i++) missing[i] = missing[i]! | m[i]!;
    }
  const values = new Float64Array(n);
  const row = new Array<number>(inputs.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k]!;
      row[k] = "scalar" in input ? input.scalar : input.vector.values[i]!;
    }
    values[i] = f(...row);
  }
  return checked(context, { type: "numeric", values, missing });
}

/** A value whose non-missing numbers must be finite; the first that is not is an error naming its row. */
function checked(context: EvaluationContext, value: Value): Value {
  if (value.type !== "numeric" && value.type !== "matrix") return value;
  const columns = value.type === "numeric" ? [value.values] : value.columns;
  for (const column of columns)
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      if (!Number.isFinite(v) && value.missing?.[i] !== 1)
        throw new DataError(
          "INVALID_DATA",
          `invalid data. \`${context.key}\` is ${String(v).replace("Infinity", "Inf")} in row ${i + 1}; a model needs finite values (remove the row or change the transformation).`,
          { column: context.key, row: i + 1 },
        );
    }
  return value;
}

/** R's `factor(x)`: numbers become levels sorted numerically, labelled as R writes them. */
function asFactorValue(context: EvaluationContext, value: Value): Value {
  if (value.type === "factor") return { ...value, logical: false };
  const x = numbers(context, value, "factor()");
  const n = x.values.length;
  const distinct = new Set<number>();
  for (let i = 0; i < n; i++) if (x.missing?.[i] !== 1) distinct.add(x.values[i]!);
  const sorted = Float64Array.from(distinct).sort();
  const index = new Map<number, number>();
  sorted.forEach((v, k) => {
    index.set(v, k);
  });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = x.missing?.[i] === 1 ? -1 : index.get(x.values[i]!)!;
  return { type: "factor", levels: Array.from(sorted, rNumberLabel), codes, ordered: false, logical: false };
}

/**
 * A predvar as R writes its `predvars`: `scale(x, center = 4.5, scale = 2.88029328115643)`,
 * `poly(x, 2, coefs = list(alpha = c(...), norm2 = c(...)))`, `ns(x, knots = ..., Boundary.knots = ...,
 * intercept = FALSE)`.
 *
 * @param predvar - the computation.
 * @returns R's text, numbers with 15 significant digits.
 * @example deparsePredvar({ op: "math", fn: "log", arg: { op: "column", name: "x" }, base: null }) // "log(x)"
 */
export function deparsePredvar(predvar: Predvar): string {
  checkObjectArgument(predvar, "predvar", "a prediction variable { op, ... }", ["op"]);
  const num = rNumberLabel;
  const vector = (values: readonly number[]): string =>
    values.length === 1 ? num(values[0]!) : `c(${values.map(num).join(", ")})`;
  switch (predvar.op) {
    case "column":
      return rName(predvar.name);
    case "number":
      return num(predvar.value);
    case "negate":
      return `-${deparsePredvar(predvar.arg)}`;
    case "paren":
      return `(${deparsePredvar(predvar.arg)})`;
    case "arithmetic": {
      const spaced = predvar.operator !== "/" && predvar.operator !== "^";
      const op = spaced ? ` ${predvar.operator} ` : predvar.operator;
      return `${deparsePredvar(predvar.left)}${op}${deparsePredvar(predvar.right)}`;
    }
    case "I":
      return `I(${deparsePredvar(predvar.arg)})`;
    case "math":
      return `${predvar.fn}(${deparsePredvar(predvar.arg)}${predvar.base === null ? "" : `, base = ${num(predvar.base)}`})`;
    case "scale":
      return `scale(${deparsePredvar(predvar.arg)}, center = ${predvar.center === null ? "FALSE" : num(predvar.center)}, scale = ${predvar.scale === null ? "FALSE" : num(predvar.scale)})`;
    case "poly":
      return predvar.coefs === null
        ? `poly(${deparsePredvar(predvar.arg)}, ${predvar.degree}, raw = TRUE)`
        : `poly(${deparsePredvar(predvar.arg)}, ${predvar.degree}, coefs = list(alpha = ${vector(predvar.coefs.alpha)}, norm2 = ${vector(predvar.coefs.norm2)}))`;
    case "spline": {
      const b = predvar.basis;
      const knots = b.knots.length === 0 ? "numeric(0)" : vector(b.knots);
      const degree = b.kind === "bs" ? `degree = ${b.degree}L, ` : "";
      return `${b.kind}(${deparsePredvar(predvar.arg)}, ${degree}knots = ${knots}, Boundary.knots = ${vector(b.boundary)}, intercept = ${b.intercept ? "TRUE" : "FALSE"})`;
    }
    case "factor":
      return `factor(${deparsePredvar(predvar.arg)})`;
    case "asNumeric":
      return `as.numeric(${deparsePredvar(predvar.arg)})`;
  }
}
