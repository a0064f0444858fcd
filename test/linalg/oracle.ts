/**
 * Helpers for the linalg oracle tests: seeded random inputs (from the project's generator), strided
 * layouts to place them in, and naive dense reference versions on nested arrays (textbook loops, no
 * strides, no cleverness) to compare the kernels with.
 */
import type { Random } from "../../src/random/generator";

export type Rows = number[][];

/** Matrix sizes every oracle test runs on. */
export const SIZES = [1, 2, 3, 7, 20, 100] as const;

/** A uniform(-1, 1) rows × cols matrix. */
export function randomRows(rng: Random, rows: number, cols: number): Rows {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => 2 * rng.uniform() - 1));
}

/**
 * A well-conditioned symmetric positive definite matrix, B B' / n + I with B uniform(-1, 1): its
 * eigenvalues lie in [1, 1 + n/3 · (1 + sqrt(1))^2 / n] ⊂ [1, 2.4] (Marchenko–Pastur edge), so its
 * condition number is small whatever n, and errors of backward-stable kernels are O(n eps).
 */
export function randomSpd(rng: Random, n: number): Rows {
  const b = randomRows(rng, n, n);
  const a = matmul(b, transpose(b));
  return a.map((row, i) => row.map((v, j) => v / n + (i === j ? 1 : 0)));
}

export function transpose(a: Rows): Rows {
  const rows = a.length;
  const cols = rows === 0 ? 0 : a[0]!.length;
  return Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => a[i]![j]!));
}

export function matmul(a: Rows, b: Rows): Rows {
  const k = b.length;
  const cols = k === 0 ? 0 : b[0]!.length;
  return a.map((row) =>
    Array.from({ length: cols }, (_, j) => {
      let s = 0;
      for (let t = 0; t < k; t++) s += row[t]! * b[t]![j]!;
      return s;
    }),
  );
}

/** Textbook Cholesky–Banachiewicz on nested arrays; null if not positive definite. */
export function naiveCholesky(a: Rows): Rows | null {
  const n = a.length;
  const l: Rows = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i]![i] = Math.sqrt(s);
      } else l[i]![j] = s / l[j]![j]!;
    }
  }
  return l;
}

/** Inverse by Gauss–Jordan elimination with partial pivoting. */
export function naiveInverse(a: Rows): Rows {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    for (let j = 0; j < 2 * n; j++) m[c]![j] = m[c]![j]! / pivot;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let j = 0; j < 2 * n; j++) m[r]![j] = m[r]![j]! - f * m[c]![j]!;
    }
  }
  return m.map((row) => row.slice(n));
}

/** The `uplo` triangle of a (diagonal set to 1 when `unit`), zeros elsewhere. */
export function triangle(a: Rows, uplo: "lower" | "upper", unit = false): Rows {
  return a.map((row, i) =>
    row.map((v, j) => (i === j ? (unit ? 1 : v) : (uplo === "lower" ? j < i : j > i) ? v : 0)),
  );
}

export function maxAbs(a: Rows): number {
  let m = 0;
  for (const row of a) for (const v of row) m = Math.max(m, Math.abs(v));
  return m;
}

/** max |a - b| / (1 + max |b|): a relative error that stays meaningful near zero. */
export function relativeError(a: Rows, b: Rows): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.length !== b[i]!.length) return Number.POSITIVE_INFINITY;
    for (let j = 0; j < a[i]!.length; j++) {
      const diff = Math.abs(a[i]![j]! - b[i]![j]!);
      d = Math.max(d, Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff);
    }
  }
  return d / (1 + maxAbs(b));
}

/**
 * A way of storing a matrix in a Float64Array: each test runs on all of these, so that a kernel that
 * assumes row-major, unit column stride or offset 0 fails. Padding is filled with NaN: a kernel that
 * reads outside its matrix produces NaN, and one that writes there is caught by `padIntact`.
 */
export interface Layout {
  readonly name: string;
  place(a: Rows): Strided;
}

export interface Strided {
  readonly buf: Float64Array;
  readonly s1: number;
  readonly s2: number;
  readonly off: number;
  readonly rows: number;
  readonly cols: number;
}

function strided(rows: number, cols: number, s1: number, s2: number, off: number, a: Rows): Strided {
  const size = off + Math.max(0, (rows - 1) * s1) + Math.max(0, (cols - 1) * s2) + 1 + 3;
  const buf = new Float64Array(size).fill(Number.NaN);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) buf[off + i * s1 + j * s2] = a[i]![j]!;
  return { buf, s1, s2, off, rows, cols };
}

export const LAYOUTS: readonly Layout[] = [
  { name: "row-major", place: (a) => strided(a.length, a[0]?.length ?? 0, a[0]?.length ?? 0, 1, 0, a) },
  {
    name: "column-major, padded, offset 5",
    place: (a) => strided(a.length, a[0]?.length ?? 0, 1, a.length + 2, 5, a),
  },
  {
    name: "row-major, padded rows, offset 2",
    place: (a) => strided(a.length, a[0]?.length ?? 0, (a[0]?.length ?? 0) + 3, 1, 2, a),
  },
];

/** Reads a strided matrix back as nested arrays. */
export function extract(m: Strided): Rows {
  return Array.from({ length: m.rows }, (_, i) =>
    Array.from({ length: m.cols }, (_, j) => m.buf[m.off + i * m.s1 + j * m.s2]!),
  );
}

/** True when every element outside the matrix is still the NaN padding. */
export function padIntact(m: Strided): boolean {
  const inside = new Set<number>();
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) inside.add(m.off + i * m.s1 + j * m.s2);
  for (let k = 0; k < m.buf.length; k++) if (!inside.has(k) && !Number.isNaN(m.buf[k]!)) return false;
  return true;
}

/** A vector stored with a stride and offset, NaN padding elsewhere. Negative strides start at the end. */
export interface StridedVector {
  readonly buf: Float64Array;
  readonly stride: number;
  readonly off: number;
  readonly n: number;
}

export const VECTOR_STRIDES = [1, 2, -3] as const;

export function placeVector(x: readonly number[], stride: number): StridedVector {
  const n = x.length;
  const span = Math.max(0, (n - 1) * Math.abs(stride)) + 1;
  const pad = 2;
  const buf = new Float64Array(span + 2 * pad).fill(Number.NaN);
  const off = stride >= 0 ? pad : pad + (n - 1) * -stride;
  for (let i = 0; i < n; i++) buf[off + i * stride] = x[i]!;
  return { buf, stride, off, n };
}

export function readVector(v: StridedVector): number[] {
  return Array.from({ length: v.n }, (_, i) => v.buf[v.off + i * v.stride]!);
}

export function vectorPadIntact(v: StridedVector): boolean {
  const inside = new Set<number>();
  for (let i = 0; i < v.n; i++) inside.add(v.off + i * v.stride);
  for (let k = 0; k < v.buf.length; k++) if (!inside.has(k) && !Number.isNaN(v.buf[k]!)) return false;
  return true;
}

export function column(x: readonly number[]): Rows {
  return x.map((v) => [v]);
}
