/**
 * Regression splines as R's splines package builds them: `bs()` (B-splines of a given degree) and
 * `ns()` (natural cubic splines), with the knots R chooses and the same basis columns.
 *
 * - Inner knots from `df`: at the quantiles (R's type 7) of the training points at probabilities
 *   1/(K+1), ..., K/(K+1), K = df - degree - 1 + (1 - intercept) for `bs`, df - 1 - intercept for `ns`;
 *   boundary knots at the range of the training points.
 * - The basis: B-splines on the knots with the boundary knots repeated degree + 1 times (de Boor's
 *   recurrence, as `splineDesign`), the first column dropped unless `intercept`. `ns` then keeps the
 *   combinations with zero second derivative at both boundary knots: the columns 3.. of Q'B' for the
 *   Householder QR (LINPACK's dqrdc2, as R's `qr()`) of the boundary second derivatives — the same
 *   complement R's `qr.qty` takes.
 * - Outside the boundary knots (new data only): `ns` continues linearly (value and slope at the
 *   boundary), `bs` by the Taylor polynomial of degree `degree` at a pivot a quarter of the way to the
 *   next knot, as R does.
 *
 * References: de Boor (1978) A Practical Guide to Splines, ch. X; Hastie (1992) in Chambers & Hastie,
 * Statistical Models in S, §7.2.
 */

/** What reproduces a spline basis on new data (R's `predvars`: `knots`, `Boundary.knots`, ...). */
export interface SplineBasis {
  /** "bs" or "ns". */
  readonly kind: "bs" | "ns";
  /** Polynomial degree (3 for `ns`). */
  readonly degree: number;
  /** Inner knots, ascending. */
  readonly knots: readonly number[];
  /** The boundary knots [lower, upper]. */
  readonly boundary: readonly [number, number];
  /** Whether the basis keeps its first column. */
  readonly intercept: boolean;
}

/**
 * R's `quantile(x, probs, type = 7)` of sorted points.
 *
 * @param sorted - the points, ascending, at least one.
 * @param probs - probabilities in [0, 1].
 * @returns the quantiles.
 * @example quantile7(Float64Array.of(1, 2, 3, 4), [0.5]) // [2.5]
 */
export function quantile7(sorted: Float64Array, probs: readonly number[]): number[] {
  const n = sorted.length;
  return probs.map((p) => {
    const index = 1 + Math.max(n - 1, 0) * p;
    const lo = Math.floor(index);
    const hi = Math.ceil(index);
    const qs = sorted[lo - 1]!;
    const upper = sorted[hi - 1]!;
    if (!(index > lo && upper !== qs)) return qs;
    const h = index - lo;
    return (1 - h) * qs + h * upper;
  });
}

/** The inner knots for `df` (R's `seq.int(0, 1, length.out = K + 2)` without its ends, then quantiles). */
export function knotsFromDf(sorted: Float64Array, count: number): number[] {
  if (count <= 0) return [];
  const by = 1 / (count + 1);
  const probs = Array.from({ length: count }, (_, i) => (i + 1) * by);
  return quantile7(sorted, probs);
}

/**
 * The full knot sequence: the boundary knots repeated `order` times around the inner knots.
 */
function augmentedKnots(basis: SplineBasis): Float64Array {
  const order = basis.degree + 1;
  const all = [
    ...Array<number>(order).fill(basis.boundary[0]),
    ...basis.knots,
    ...Array<number>(order).fill(basis.boundary[1]),
  ];
  return Float64Array.from(all).sort();
}

/**
 * The interval of x among the knots, as R's splines code finds it: the first knot above x (ties go
 * right), except that x at the last usable knot belongs to the interval on its left.
 * Returns the cursor (index of the knot that ends the interval) and whether x is that boundary.
 */
function cursor(knots: Float64Array, order: number, x: number): { curs: number; boundary: boolean } {
  const nk = knots.length;
  let curs = -1;
  for (let i = 0; i < nk; i++) {
    if (knots[i]! >= x) curs = i;
    if (knots[i]! > x) break;
  }
  const last = nk - order;
  if (curs > last && x === knots[last]) return { curs: last, boundary: true };
  return { curs, boundary: false };
}

/**
 * The non-zero B-spline values (de Boor's recurrence) at x: `order` values for the basis functions
 * curs - order .. curs - 1.
 */
function basisValues(knots: Float64Array, order: number, curs: number, x: number, out: Float64Array): void {
  const degree = order - 1;
  const right = new Float64Array(degree);
  const left = new Float64Array(degree);
  for (let i = 0; i < degree; i++) {
    right[i] = knots[curs + i]! - x;
    left[i] = x - knots[curs - (i + 1)]!;
  }
  out[0] = 1;
  for (let j = 1; j <= degree; j++) {
    let saved = 0;
    for (let r = 0; r < j; r++) {
      const den = right[r]! + left[j - 1 - r]!;
      if (den !== 0) {
        const term = out[r]! / den;
        out[r] = saved + right[r]! * term;
        saved = left[j - 1 - r]! * term;
      } else {
        if (r !== 0 || right[r] !== 0) out[r] = saved;
        saved = 0;
      }
    }
    out[j] = saved;
  }
}

/**
 * The `derivative`-th derivative at x of the spline with coefficient 1 on one basis function
 * (`unit`, 0..order-1 among the non-zero ones) and 0 elsewhere: differences of the coefficients, then
 * de Boor's evaluation.
 */
function basisDerivative(
  knots: Float64Array,
  order: number,
  curs: number,
  boundary: boolean,
  x: number,
  derivative: number,
  unit: number,
): number {
  let outer = order - 1;
  if (boundary && derivative === outer) return 0;
  const a = new Float64Array(order);
  a[unit] = 1;
  const first = curs - outer; // knots[first + k] pairs with a[k]
  for (let d = 0; d < derivative; d++) {
    for (let k = 0; k < outer; k++) {
      const lo = knots[first + d + k]!;
      const hi = knots[first + d + k + outer]!;
      a[k] = (outer * (a[k + 1]! - a[k]!)) / (hi - lo);
    }
    outer--;
  }
  const right = new Float64Array(Math.max(outer, 0));
  const left = new Float64Array(Math.max(outer, 0));
  for (let i = 0; i < outer; i++) {
    right[i] = knots[curs + i]! - x;
    left[i] = x - knots[curs - (i + 1)]!;
  }
  while (outer-- > 0) {
    for (let k = 0, l = outer, r = 0; k <= outer; k++, l--, r++)
      a[k] = (a[k + 1]! * left[l]! + a[k]! * right[r]!) / (right[r]! + left[l]!);
  }
  return a[0]!;
}

/**
 * R's `splineDesign(knots, x, order, derivs)` for points inside the knots: one row per point, one
 * column per basis function (knots.length - order of them), row-major.
 */
function splineDesign(
  knots: Float64Array,
  x: readonly number[],
  order: number,
  derivs: readonly number[],
): Float64Array {
  const ncoef = knots.length - order;
  const out = new Float64Array(x.length * ncoef);
  const values = new Float64Array(order);
  x.forEach((xi, i) => {
    const { curs, boundary } = cursor(knots, order, xi);
    const offset = curs - order;
    const derivative = derivs[i % derivs.length]!;
    for (let j = 0; j < order; j++) {
      values[j] =
        derivative > 0 ? basisDerivative(knots, order, curs, boundary, xi, derivative, j) : Number.NaN;
    }
    if (derivative === 0) basisValues(knots, order, curs, xi, values);
    for (let j = 0; j < order; j++) {
      const col = offset + j;
      if (col >= 0 && col < ncoef) out[i * ncoef + col] = values[j]!;
    }
  });
  return out;
}

/**
 * The basis columns (before `ns`'s projection and the intercept drop) at points x, with R's handling of
 * points outside the boundary knots.
 */
function rawBasis(
  basis: SplineBasis,
  knots: Float64Array,
  x: Float64Array,
): { values: Float64Array; ncoef: number } {
  const order = basis.degree + 1;
  const ncoef = knots.length - order;
  const [lower, upper] = basis.boundary;
  const values = new Float64Array(x.length * ncoef);
  const inside: number[] = [];
  const insideRows: number[] = [];
  const scalef = Array.from({ length: order }, (_, k) => factorial(k));
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi >= lower && xi <= upper) {
      inside.push(xi);
      insideRows.push(i);
      continue;
    }
    const below = xi < lower;
    if (basis.kind === "ns") {
      // Linear continuation: value + slope × (x - boundary).
      const pivot = below ? lower : upper;
      const tt = splineDesign(knots, [pivot, pivot], 4, [0, 1]);
      for (let c = 0; c < ncoef; c++) values[i * ncoef + c] = tt[c]! + (xi - pivot) * tt[ncoef + c]!;
    } else {
      const e = 1 / 4;
      const pivot = below
        ? (1 - e) * lower + e * knots[order]!
        : (1 - e) * upper + e * knots[knots.length - order - 1]!;
      const derivs = Array.from({ length: order }, (_, k) => k);
      const tt = splineDesign(knots, Array<number>(order).fill(pivot), order, derivs);
      for (let c = 0; c < ncoef; c++) {
        let v = 0;
        for (let k = 0; k < order; k++) v += (xi - pivot) ** k * (tt[k * ncoef + c]! / scalef[k]!);
        values[i * ncoef + c] = v;
      }
    }
  }
  const design = splineDesign(knots, inside, order, [0]);
  insideRows.forEach((row, r) => {
    for (let c = 0; c < ncoef; c++) values[row * ncoef + c] = design[r * ncoef + c]!;
  });
  return { values, ncoef };
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

/**
 * The columns of a spline basis at points x (R's `bs()` / `ns()` with the knots of `basis`).
 *
 * @param basis - knots and kind, from `fitSpline` (training) or a recipe.
 * @param x - the points (no missing values).
 * @returns the basis columns, each of length x.length.
 */
export function splineColumns(basis: SplineBasis, x: Float64Array): Float64Array[] {
  const knots = augmentedKnots(basis);
  const { values, ncoef } = rawBasis(basis, knots, x);
  const first = basis.intercept ? 0 : 1;
  const n = x.length;
  if (basis.kind === "bs") {
    const out: Float64Array[] = [];
    for (let c = first; c < ncoef; c++) {
      const column = new Float64Array(n);
      for (let i = 0; i < n; i++) column[i] = values[i * ncoef + c]!;
      out.push(column);
    }
    return out;
  }
  // ns: project out the second derivatives at the boundary knots.
  const k = ncoef - first;
  const constraint = splineDesign(knots, [basis.boundary[0], basis.boundary[1]], 4, [2, 2]);
  // t(const): k × 2, column-major for the QR.
  const a = new Float64Array(k * 2);
  for (let c = 0; c < k; c++) {
    a[c] = constraint[c + first]!;
    a[k + c] = constraint[ncoef + c + first]!;
  }
  const qraux = householderQr(k, 2, a);
  const out = Array.from({ length: k - 2 }, () => new Float64Array(n));
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) row[c] = values[i * ncoef + c + first]!;
    applyQt(k, 2, a, qraux, row);
    for (let c = 2; c < k; c++) out[c - 2]![i] = row[c]!;
  }
  return out;
}

/**
 * The knots R chooses for `bs(x, df, degree, intercept)` / `ns(x, df, intercept)` (or given ones).
 *
 * @param kind - "bs" or "ns".
 * @param x - the training points (no missing values).
 * @param options - df or knots, degree (bs), intercept, boundary knots.
 * @returns the basis description.
 */
export function fitSpline(
  kind: "bs" | "ns",
  x: Float64Array,
  options: {
    readonly df: number | null;
    readonly knots: readonly number[] | null;
    readonly degree: number;
    readonly intercept: boolean;
    readonly boundary: readonly [number, number] | null;
  },
): SplineBasis {
  const sorted = Float64Array.from(x).sort();
  const boundary: [number, number] =
    options.boundary === null
      ? [sorted[0]!, sorted[sorted.length - 1]!]
      : [Math.min(...options.boundary), Math.max(...options.boundary)];
  let knots: number[];
  if (options.knots !== null) knots = [...options.knots].sort((a, b) => a - b);
  else if (options.df !== null) {
    const count =
      kind === "bs"
        ? options.df - (options.degree + 1) + (options.intercept ? 0 : 1)
        : options.df - 1 - (options.intercept ? 1 : 0);
    const inside =
      options.boundary === null ? sorted : sorted.filter((v) => v >= boundary[0] && v <= boundary[1]);
    knots = knotsFromDf(inside, count);
  } else knots = [];
  return { kind, degree: kind === "ns" ? 3 : options.degree, knots, boundary, intercept: options.intercept };
}

/**
 * LINPACK's dqrdc2 Householder QR without pivoting (the columns here are independent), in place on an
 * n × p column-major matrix; returns qraux. Column l's reflection is stored in rows l.. of column l
 * with x[l,l] = 1 + x[l,l]/norm and qraux[l] = that value, as dqrdc2 leaves it for dqrsl.
 */
function householderQr(n: number, p: number, a: Float64Array): Float64Array {
  const qraux = new Float64Array(p);
  const steps = Math.min(n, p);
  for (let l = 0; l < steps; l++) {
    if (l === n - 1) break;
    const col = l * n;
    let norm = 0;
    for (let i = l; i < n; i++) norm = Math.hypot(norm, a[col + i]!);
    if (norm === 0) continue;
    if (a[col + l]! !== 0) norm = Math.sign(a[col + l]!) * Math.abs(norm);
    for (let i = l; i < n; i++) a[col + i] = a[col + i]! / norm;
    a[col + l] = 1 + a[col + l]!;
    for (let j = l + 1; j < p; j++) {
      const cj = j * n;
      let dot = 0;
      for (let i = l; i < n; i++) dot += a[col + i]! * a[cj + i]!;
      const t = -dot / a[col + l]!;
      for (let i = l; i < n; i++) a[cj + i] = a[cj + i]! + t * a[col + i]!;
    }
    qraux[l] = a[col + l]!;
    a[col + l] = -norm;
  }
  return qraux;
}

/** y ← Q'y for the factorization of `householderQr` (LINPACK dqrsl, job 1000). */
function applyQt(n: number, k: number, a: Float64Array, qraux: Float64Array, y: Float64Array): void {
  const steps = Math.min(k, n - 1);
  for (let j = 0; j < steps; j++) {
    if (qraux[j] === 0) continue;
    const col = j * n;
    const diagonal = a[col + j]!;
    a[col + j] = qraux[j]!;
    let dot = 0;
    for (let i = j; i < n; i++) dot += a[col + i]! * y[i]!;
    const t = -dot / a[col + j]!;
    for (let i = j; i < n; i++) y[i] = y[i]! + t * a[col + i]!;
    a[col + j] = diagonal;
  }
}
