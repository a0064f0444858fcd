/**
 * Column expressions a design is made of, written as SQL: a column's value, a constant, the
 * indicator of a factor level (treatment contrasts), and products of these (interactions,
 * `x * y`). Every value is DOUBLE PRECISION, as the in-memory design is Float64.
 */
import { ArgumentError, show } from "../errors";
import { checkObjectArgument, checkStringArgument } from "../validate";
import { doubleLiteral, quoteIdentifier, quoteString } from "./quote";

/** One column of a design, as an expression over a table's columns. */
export type SqlExpression =
  /** The column's value (cast to DOUBLE PRECISION). */
  | { readonly kind: "column"; readonly name: string }
  /** A constant, e.g. 1 for the intercept. */
  | { readonly kind: "constant"; readonly value: number }
  /** 1 where `name` equals `level`, else 0 (a factor's treatment-contrast column). */
  | { readonly kind: "indicator"; readonly name: string; readonly level: string | number | boolean }
  /** The product of its factors (an interaction; an empty product is 1). */
  | { readonly kind: "product"; readonly factors: readonly SqlExpression[] }
  /** `values[i]` where `name` equals `levels[i]`, else 0 (a factor's column under any contrasts). */
  | {
      readonly kind: "recode";
      readonly name: string;
      readonly levels: readonly (string | number | boolean)[];
      readonly values: readonly number[];
    };

/**
 * The table columns an expression reads (each once, in order of appearance).
 *
 * @param expression - the expression.
 * @returns the column names.
 * @example expressionColumns({ kind: "product", factors: [{ kind: "column", name: "x" }, { kind: "indicator", name: "g", level: "b" }] }) // ["x", "g"]
 */
export function expressionColumns(expression: SqlExpression): string[] {
  checkObjectArgument(expression, "expression", "an SQL expression { kind, ... }", ["kind"]);
  const names: string[] = [];
  const visit = (e: SqlExpression): void => {
    if (e.kind === "column" || e.kind === "indicator" || e.kind === "recode") {
      if (!names.includes(e.name)) names.push(e.name);
    } else if (e.kind === "product") e.factors.forEach(visit);
  };
  visit(expression);
  return names;
}

/**
 * The expression as SQL (DOUBLE PRECISION valued). Constants in a product are multiplied
 * together and a factor of 1 is left out, so `1 * x` is `x`.
 *
 * @param expression - the expression.
 * @param argument - its path, for errors.
 * @returns SQL text.
 * @throws ArgumentError for an unknown kind, an invalid name, a non-finite constant or level.
 * @example expressionSql({ kind: "indicator", name: "g", level: "b" }) // "CASE WHEN \"g\" = 'b' THEN CAST(1 AS DOUBLE PRECISION) ELSE CAST(0 AS DOUBLE PRECISION) END"
 */
export function expressionSql(expression: SqlExpression, argument = "expression"): string {
  checkStringArgument(argument, "argument", "the argument's name");
  const factors = flatten(expression, argument);
  let constant = 1;
  const parts: string[] = [];
  factors.forEach((e, k) => {
    if (e.kind === "constant") {
      if (!Number.isFinite(e.value))
        throw new ArgumentError(`${argument}.value`, "must be a finite number", e.value);
      constant *= e.value;
    } else parts.push(factorSql(e, `${argument}[${k}]`));
  });
  if (parts.length === 0) return doubleLiteral(constant, argument);
  if (constant !== 1) parts.unshift(doubleLiteral(constant, argument));
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(" * ");
}

/** The factors of a (nested) product; a single expression is a product of one. */
function flatten(expression: SqlExpression, argument: string): SqlExpression[] {
  if (expression === null || typeof expression !== "object")
    throw new ArgumentError(argument, "must be a column expression object", expression);
  if (expression.kind !== "product") return [expression];
  if (!Array.isArray(expression.factors))
    throw new ArgumentError(`${argument}.factors`, "must be an array of expressions", expression.factors);
  return expression.factors.flatMap((f, k) => flatten(f, `${argument}.factors[${k}]`));
}

/** `name = level` for a string, number or boolean level. */
function levelTest(name: string, level: unknown, argument: string): string {
  const column = quoteIdentifier(name, `${argument}.name`);
  if (typeof level === "string") return `${column} = ${quoteString(level, `${argument}.level`)}`;
  if (typeof level === "number")
    return `CAST(${column} AS DOUBLE PRECISION) = ${doubleLiteral(level, `${argument}.level`)}`;
  if (typeof level === "boolean") return `${column} = ${level ? "TRUE" : "FALSE"}`;
  throw new ArgumentError(`${argument}.level`, "must be a string, number or boolean", level);
}

function factorSql(e: SqlExpression, argument: string): string {
  switch (e.kind) {
    case "column":
      return `CAST(${quoteIdentifier(e.name, `${argument}.name`)} AS DOUBLE PRECISION)`;
    case "indicator": {
      const test = levelTest(e.name, e.level, argument);
      return `CASE WHEN ${test} THEN CAST(1 AS DOUBLE PRECISION) ELSE CAST(0 AS DOUBLE PRECISION) END`;
    }
    case "recode": {
      if (!Array.isArray(e.levels) || !Array.isArray(e.values) || e.levels.length !== e.values.length)
        throw new ArgumentError(`${argument}.values`, "must hold one number per level", e.values);
      const cases = e.levels
        .map((level, i) =>
          e.values[i] === 0
            ? ""
            : ` WHEN ${levelTest(e.name, level, `${argument}.levels[${i}]`)} THEN ${doubleLiteral(e.values[i]!, `${argument}.values[${i}]`)}`,
        )
        .join("");
      return cases === ""
        ? "CAST(0 AS DOUBLE PRECISION)"
        : `CASE${cases} ELSE CAST(0 AS DOUBLE PRECISION) END`;
    }
    default:
      throw new ArgumentError(
        `${argument}.kind`,
        'must be "column", "constant", "indicator", "recode" or "product"',
        (e as { kind?: unknown }).kind ?? show(e),
      );
  }
}
