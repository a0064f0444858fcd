/**
 * Validated, allocating operations on symmetric positive definite matrices, for users and tests: each
 * checks its input once, copies it, and calls the kernels of this folder. Hot loops call the kernels.
 */
import { ArgumentError, LmmError } from "../errors";
import { logdetFromCholesky } from "./logdetFromCholesky";
import { type DenseMatrix, type MatrixInput, toDenseMatrix, toSymmetricMatrix } from "./matrix";
import { potrf } from "./potrf";
import { potri } from "./potri";
import { potrs } from "./potrs";
import { symmetrize } from "./symmetrize";

/** A matrix that must be positive definite is not; `column` is the 1-based column where Cholesky failed. */
export class NotPositiveDefiniteError extends LmmError {
  /** The argument's name, e.g. `priors.psi.Subject.scale`. */
  readonly matrix: string;
  /** 1-based column at which the Cholesky factorization met a pivot that is not positive. */
  readonly column: number;

  constructor(matrix: string, column: number) {
    super(
      "NOT_POSITIVE_DEFINITE",
      `\`${matrix}\` is not positive definite: its Cholesky factorization fails at column ${column} (1-based). ` +
        "Check that it is a covariance matrix of full rank.",
    );
    this.name = "NotPositiveDefiniteError";
    this.matrix = matrix;
    this.column = column;
  }
}

function factor(a: MatrixInput, name: string): DenseMatrix {
  const m = toSymmetricMatrix(a, name);
  const info = potrf(m.rows, m.data, m.rows, 1, 0);
  if (info !== 0) throw new NotPositiveDefiniteError(name, info);
  return m;
}

/**
 * Cholesky factor L of a symmetric positive definite matrix, A = L L'.
 *
 * @param a - the matrix
 * @param name - its name in error messages
 * @default name "matrix"
 * @returns L, lower triangular (zeros above the diagonal), as a new row-major `DenseMatrix`
 * @throws ArgumentError if `a` is not a finite symmetric square matrix; NotPositiveDefiniteError
 *   (code NOT_POSITIVE_DEFINITE) naming the failing column if it is not positive definite
 * @example
 * cholesky([[4, 2], [2, 5]]).data; // Float64Array [2, 0, 1, 2]
 */
export function cholesky(a: MatrixInput, name = "matrix"): DenseMatrix {
  const m = factor(a, name);
  const n = m.rows;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m.data[i * n + j] = 0;
  return m;
}

/**
 * Solves A x = b (or A X = B) for a symmetric positive definite A, by Cholesky.
 *
 * @param a - the matrix A (n × n)
 * @param b - a right-hand side of length n, or an n × k matrix of them
 * @param name - A's name in error messages
 * @default name "matrix"
 * @returns x as a new Float64Array when `b` is a vector, else X as a new `DenseMatrix`
 * @throws ArgumentError on invalid input or mismatched sizes; NotPositiveDefiniteError
 * @example
 * solveSpd([[4, 2], [2, 5]], [6, 7]); // Float64Array [1, 1]
 */
export function solveSpd(a: MatrixInput, b: readonly number[] | Float64Array, name?: string): Float64Array;
export function solveSpd(a: MatrixInput, b: MatrixInput, name?: string): DenseMatrix;
export function solveSpd(
  a: MatrixInput,
  b: readonly number[] | Float64Array | MatrixInput,
  name = "matrix",
): Float64Array | DenseMatrix {
  const l = factor(a, name);
  const n = l.rows;
  const isVector = b instanceof Float64Array || (Array.isArray(b) && b.every((v) => typeof v === "number"));
  if (isVector) {
    const x = Float64Array.from(b as ArrayLike<number>);
    if (x.length !== n) throw new ArgumentError("b", `must have ${n} elements (the order of \`${name}\`)`, b);
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(x[i]!)) throw new ArgumentError(`b[${i}]`, "must be a finite number", x[i]);
    return potrs(n, 1, l.data, n, 1, 0, x, 1, 1, 0);
  }
  const rhs = toDenseMatrix(b, "b");
  if (rhs.rows !== n) throw new ArgumentError("b", `must have ${n} rows (the order of \`${name}\`)`, b);
  potrs(n, rhs.cols, l.data, n, 1, 0, rhs.data, rhs.cols, 1, 0);
  return rhs;
}

/**
 * Inverse of a symmetric positive definite matrix, by Cholesky (A^-1 = L^-T L^-1).
 *
 * @param a - the matrix
 * @param name - its name in error messages
 * @default name "matrix"
 * @returns A^-1, exactly symmetric, as a new `DenseMatrix`
 * @throws ArgumentError on invalid input; NotPositiveDefiniteError
 * @example
 * inverseSpd([[4, 2], [2, 5]]).data; // Float64Array [0.3125, -0.125, -0.125, 0.25]
 */
export function inverseSpd(a: MatrixInput, name = "matrix"): DenseMatrix {
  const m = factor(a, name);
  potri(m.rows, m.data, m.rows, 1, 0);
  symmetrize("lower", m.rows, m.data, m.rows, 1, 0);
  return m;
}

/**
 * log |A| of a symmetric positive definite matrix, 2 sum_i log L[i,i] from its Cholesky factor.
 *
 * @param a - the matrix
 * @param name - its name in error messages
 * @default name "matrix"
 * @returns log |A|
 * @throws ArgumentError on invalid input; NotPositiveDefiniteError
 * @example
 * logDetSpd([[4, 2], [2, 5]]); // log(16) = 2.772588722239781
 */
export function logDetSpd(a: MatrixInput, name = "matrix"): number {
  const m = factor(a, name);
  return logdetFromCholesky(m.rows, m.data, m.rows, 1, 0);
}
