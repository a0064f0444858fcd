/**
 * Typed errors. Every error the package throws on purpose is an `LmmError` with a stable `code`, so
 * callers (and the CLI, which maps them to exit status 2) can tell bad input from a failed run.
 *
 * One wording everywhere (STYLE.md §6):
 *   invalid argument. `priors.sigma2.shape` must be a positive number. Value: `-1`.
 * Data errors name the column and, where there is one, the 1-based data row.
 */

/** What kind of problem an error reports. */
export type LmmErrorCode =
  /** An argument of an API call or a CLI flag is invalid. */
  | "INVALID_ARGUMENT"
  /** The formula text does not parse. */
  | "FORMULA_SYNTAX"
  /** The formula names a column the data do not have. */
  | "UNKNOWN_COLUMN"
  /** The data cannot be used as given (empty, non-finite values, constant response, ...). */
  | "INVALID_DATA"
  /** A file is missing, unreadable or not in the expected format. */
  | "FILE"
  /** A prior specification is invalid. */
  | "INVALID_PRIOR"
  /** A matrix that must be positive definite is not. */
  | "NOT_POSITIVE_DEFINITE"
  /** The run was stopped through an AbortSignal. */
  | "ABORTED"
  /** A numerical procedure failed to converge or produced non-finite values. */
  | "NUMERICAL"
  /** An optional dependency a feature needs (DuckDB, pg) is not installed. */
  | "MISSING_DEPENDENCY"
  /** A database refused or failed a query. */
  | "QUERY"
  /** What was asked needs the model's rows, and the model was built from sufficient statistics. */
  | "NEEDS_ROWS";

/** Base class of every error the package throws on purpose. */
export class LmmError extends Error {
  /** A stable, machine-readable kind. */
  readonly code: LmmErrorCode;

  constructor(code: LmmErrorCode, message: string) {
    super(message);
    this.name = "LmmError";
    this.code = code;
  }
}

/** A function argument or CLI flag is invalid. */
export class ArgumentError extends LmmError {
  /** The argument's path, e.g. `options.iter` or `priors.sigma2.shape`. */
  readonly argument: string;

  readonly #requirement: string;

  constructor(argument: string, requirement: string, value: unknown) {
    super("INVALID_ARGUMENT", `invalid argument. \`${argument}\` ${requirement}. Value: \`${show(value)}\`.`);
    this.name = "ArgumentError";
    this.argument = argument;
    this.#requirement = requirement;
  }

  /**
   * The same error without the `Value: ...` part, for when there is no value to show (a flag that
   * is missing or is not a flag at all: the argument already names what is wrong).
   */
  withoutValue(): this {
    const end = /[.?!]$/.test(this.#requirement) ? "" : ".";
    this.message = `invalid argument. \`${this.argument}\` ${this.#requirement}${end}`;
    return this;
  }
}

/** The formula text does not parse; `position` is the 1-based column of the offending character. */
export class FormulaError extends LmmError {
  /** 1-based column in the formula text where the problem was found. */
  readonly position: number;

  constructor(message: string, position: number) {
    super("FORMULA_SYNTAX", `invalid formula. ${message} at column ${position}.`);
    this.name = "FormulaError";
    this.position = position;
  }
}

/** The data cannot be used as given. `column` and 1-based `row` say where, when known. */
export class DataError extends LmmError {
  readonly column: string | undefined;
  readonly row: number | undefined;

  constructor(
    code: "UNKNOWN_COLUMN" | "INVALID_DATA" | "FILE",
    message: string,
    where: { column?: string; row?: number } = {},
  ) {
    super(code, message);
    this.name = "DataError";
    this.column = where.column;
    this.row = where.row;
  }
}

/** A prior specification is invalid; `field` is its path, e.g. `psi.Subject.scale`. */
export class PriorError extends LmmError {
  readonly field: string;

  constructor(field: string, requirement: string, value: unknown) {
    super("INVALID_PRIOR", `invalid prior. \`${field}\` ${requirement}. Value: \`${show(value)}\`.`);
    this.name = "PriorError";
    this.field = field;
  }
}

/** Renders a value for an error message: short, one line. */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined)
    text = String(value);
  else if (typeof value === "bigint") text = `${value}n`;
  else if (typeof value === "function") text = "a function";
  else if (ArrayBuffer.isView(value) && "length" in value)
    text = `${value.constructor.name}(${String(value.length)})`;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      // cyclic, a BigInt inside, or nested too deep: name its shape instead
      text = Array.isArray(value)
        ? `an array of ${value.length}`
        : `an object with keys ${
            Object.keys(value as object)
              .slice(0, 5)
              .join(", ") || "(none)"
          }`;
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
