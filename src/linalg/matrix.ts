/**
 * Dense matrices at the package's public edge: what users pass (nested arrays or a row-major
 * `DenseMatrix`) and what the validated wrappers return. Kernels never see these: a wrapper
 * validates once, copies into a Float64Array and calls the kernels.
 */
import { ArgumentError } from "../errors";

/** A dense matrix stored row-major: element (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A matrix as a user may give it: an array of equally long rows, or a `DenseMatrix`. */
export type MatrixInput = readonly (readonly number[])[] | DenseMatrix;

function isDenseMatrix(value: unknown): value is DenseMatrix {
  return (
    typeof value === "object" &&
    value !== null &&
    "data" in value &&
    value.data instanceof Float64Array &&
    "rows" in value &&
    "cols" in value
  );
}

/**
 * Validates a matrix argument and returns a row-major copy.
 *
 * @param value - the argument as given
 * @param name - its name for error messages, e.g. `priors.beta.cov`
 * @returns a fresh `DenseMatrix` (the input is never aliased)
 * @throws ArgumentError when it is not a non-empty rectangular matrix of finite numbers
 * @example
 * toDenseMatrix([[1, 2], [3, 4]], "a"); // { rows: 2, cols: 2, data: Float64Array [1, 2, 3, 4] }
 */
export function toDenseMatrix(value: unknown, name: string): DenseMatrix {
  let rows: number;
  let cols: number;
  let data: Float64Array;
  if (isDenseMatrix(value)) {
    ({ rows, cols } = value);
    if (
      !Number.isInteger(rows) ||
      !Number.isInteger(cols) ||
      rows < 1 ||
      cols < 1 ||
      value.data.length !== rows * cols
    )
      throw new ArgumentError(
        name,
        "must have positive integer `rows` and `cols` and `rows * cols` data",
        value,
      );
    data = Float64Array.from(value.data);
  } else if (Array.isArray(value) && value.length > 0 && value.every((r) => Array.isArray(r))) {
    const nested = value as readonly (readonly unknown[])[];
    rows = nested.length;
    cols = nested[0]!.length;
    if (cols === 0 || nested.some((r) => r.length !== cols))
      throw new ArgumentError(name, "must be a matrix: an array of equally long, non-empty rows", value);
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = nested[i]!;
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== "number") throw new ArgumentError(`${name}[${i}][${j}]`, "must be a number", v);
        data[i * cols + j] = v;
      }
    }
  } else {
    throw new ArgumentError(
      name,
      "must be a matrix (an array of rows, or { rows, cols, data: Float64Array })",
      value,
    );
  }
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    if (!Number.isFinite(v))
      throw new ArgumentError(`${name}[${Math.floor(k / cols)}][${k % cols}]`, "must be a finite number", v);
  }
  return { rows, cols, data };
}

/**
 * Validates a square symmetric matrix argument (symmetric up to a relative 1e-10 of its largest
 * element, so that a matrix computed as A'A or read from text passes) and returns a row-major copy.
 *
 * @param value - the argument as given
 * @param name - its name for error messages
 * @returns a fresh `DenseMatrix`
 * @throws ArgumentError when it is not square, not finite or not symmetric
 * @example
 * toSymmetricMatrix([[2, 1], [1, 2]], "a").rows; // 2
 */
export function toSymmetricMatrix(value: unknown, name: string): DenseMatrix {
  const m = toDenseMatrix(value, name);
  const n = m.rows;
  if (m.cols !== n) throw new ArgumentError(name, `must be a square matrix, not ${n} × ${m.cols}`, value);
  let scale = 0;
  for (let k = 0; k < m.data.length; k++) scale = Math.max(scale, Math.abs(m.data[k]!));
  const tolerance = 1e-10 * scale;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const a = m.data[i * n + j]!;
      const b = m.data[j * n + i]!;
      if (Math.abs(a - b) > tolerance)
        throw new ArgumentError(
          name,
          `must be symmetric, but element [${i}][${j}] is ${a} and element [${j}][${i}] is ${b}`,
          value,
        );
    }
  }
  return m;
}

/**
 * A `DenseMatrix` as an array of rows (for JSON output and tests).
 *
 * @param m - the matrix
 * @returns its rows as plain arrays
 * @example
 * toRows({ rows: 1, cols: 2, data: new Float64Array([1, 2]) }); // [[1, 2]]
 */
export function toRows(m: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}
