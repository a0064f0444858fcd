/**
 * The shared transforms every diagnostic is composed from (Vehtari et al. 2021, §4): packing one
 * parameter's chains, splitting chains in half, folding around the median, average ranks and rank
 * normalization. Public functions take one array per chain and return one array per chain; the
 * `*Kernel` functions work on packed Float64Arrays, allocate nothing and validate nothing.
 *
 * Reference: Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021) Rank-normalization, folding, and
 * localization: an improved R-hat for assessing convergence of MCMC, Bayesian Analysis 16(2):667–718,
 * doi:10.1214/20-BA1221.
 */
import { ArgumentError } from "../src/errors";
import { normalQuantile } from "../src/stats/distributions";
import { checkChainsArgument } from "../src/validate";
import { argsortKernel, SortWorkspace } from "./sort";

/** One parameter's draws: one array per chain, all of the same length (e.g. `chainsOf(draws, name)`). */
export type ChainDraws = readonly ArrayLike<number>[];

/** One parameter's draws packed chain-major: `values[c * iterations + t]` is draw t of chain c. */
export interface ChainMatrix {
  readonly chains: number;
  readonly iterations: number;
  readonly values: Float64Array;
}

/**
 * Packs chains into one chain-major Float64Array (a copy), checking that they have equal lengths.
 *
 * @param x - one array per chain
 * @param argument - the argument's name for the error message
 * @returns the packed matrix (0 chains gives chains 0, iterations 0)
 * @throws ArgumentError if x is not an array of arrays or the chains differ in length
 * @example packChains([[1, 2], [3, 4]]).values // Float64Array [1, 2, 3, 4]
 */
export function packChains(x: ChainDraws, argument = "x"): ChainMatrix {
  if (!Array.isArray(x))
    throw new ArgumentError(argument, "must be an array with one array of draws per chain", x);
  const chains = x.length;
  if (chains === 0) return { chains: 0, iterations: 0, values: new Float64Array(0) };
  const first = x[0];
  if (first === undefined || first === null || typeof first.length !== "number")
    throw new ArgumentError(`${argument}[0]`, "must be an array of draws", first);
  const iterations = first.length;
  const values = new Float64Array(chains * iterations);
  for (let c = 0; c < chains; c++) {
    const chain = x[c];
    if (chain === undefined || chain === null || typeof chain.length !== "number")
      throw new ArgumentError(`${argument}[${c}]`, "must be an array of draws", chain);
    if (chain.length !== iterations)
      throw new ArgumentError(
        `${argument}[${c}]`,
        `must have as many draws as chain 0 (${iterations}); chains of unequal length cannot be compared`,
        `length ${chain.length}`,
      );
    if (chain instanceof Float64Array) values.set(chain, c * iterations);
    else for (let t = 0; t < iterations; t++) values[c * iterations + t] = Number(chain[t]);
  }
  return { chains, iterations, values };
}

/** Views of a packed matrix as one Float64Array per chain (no copy). */
export function unpackChains(m: ChainMatrix): Float64Array[] {
  const out: Float64Array[] = [];
  for (let c = 0; c < m.chains; c++) out.push(m.values.subarray(c * m.iterations, (c + 1) * m.iterations));
  return out;
}

/** The length of each half-chain: ⌊N/2⌋, or N itself when N = 1 (a single draw is not split). */
export function splitLength(iterations: number): number {
  return iterations === 1 ? 1 : Math.floor(iterations / 2);
}

/** The last map built by {@link splitPositions} (all parameters of one draws object share a shape). */
let positionCache = { chains: -1, iterations: -1, positions: new Int32Array(0) };

/**
 * Where each draw of a packed M × N matrix goes in the split matrix: index c·N + t → its index in
 * the split chains, or −1 for the middle draw that an odd N leaves out. Split chain c holds the first
 * halves, chain M + c the second halves (posterior's `.split_chains` column order). N = 1 is not split.
 *
 * @param chains - M
 * @param iterations - N
 * @returns the map (cached for the last shape; do not modify)
 * @example splitPositions(1, 5) // Int32Array [0, 1, -1, 2, 3]
 */
export function splitPositions(chains: number, iterations: number): Int32Array {
  if (positionCache.chains === chains && positionCache.iterations === iterations)
    return positionCache.positions;
  const positions = new Int32Array(chains * iterations);
  const half = iterations >> 1;
  for (let c = 0; c < chains; c++)
    for (let t = 0; t < iterations; t++) {
      let at: number;
      if (iterations === 1) at = c;
      else if (t < half) at = c * half + t;
      else if (t >= iterations - half) at = (chains + c) * half + t - (iterations - half);
      else at = -1;
      positions[c * iterations + t] = at;
    }
  positionCache = { chains, iterations, positions };
  return positions;
}

/**
 * Splits each chain into its first and second half (dropping the middle draw when the length is odd),
 * giving 2M chains of ⌊N/2⌋ draws: within-chain trends then show up as between-chain differences.
 *
 * Formula: chain c → (x_c[1..⌊N/2⌋], x_c[⌈N/2 + 1⌉..N]); chains of one draw are left as they are.
 *
 * @param x - one array per chain (equal lengths)
 * @returns the 2M half-chains: first halves of chains 0..M−1, then their second halves
 * @example splitChains([[1, 2, 3, 4, 5]]) // [Float64Array [1, 2], Float64Array [4, 5]]
 * @see Vehtari et al. (2021) §4.1, doi:10.1214/20-BA1221
 */
export function splitChains(x: ChainDraws): Float64Array[] {
  checkChainsArgument(x);
  return unpackChains(splitMatrix(packChains(x)));
}

/** {@link splitChains} on a packed matrix (allocates the result). */
export function splitMatrix(m: ChainMatrix): ChainMatrix {
  const { chains, iterations } = m;
  if (iterations <= 1) return { chains, iterations, values: m.values.slice() };
  const half = iterations >> 1;
  const out = new Float64Array(2 * chains * half);
  for (let c = 0; c < chains; c++) {
    const start = c * iterations;
    out.set(m.values.subarray(start, start + half), c * half);
    out.set(m.values.subarray(start + iterations - half, start + iterations), (chains + c) * half);
  }
  return { chains: 2 * chains, iterations: half, values: out };
}

/**
 * Average ranks (R's `rank(x, ties.method = "average")`) from the ascending order of the values,
 * written to `out[order[i]]`. Values with `include[k] === 0` are skipped (ranked among the others as
 * if absent; their `out` is left untouched). NaN values get NaN and take the last places, as R's
 * `rank` with `na.last = TRUE` does.
 *
 * Reads `sorted` and `order` front to back (ties are adjacent); allocates nothing; validates nothing.
 *
 * @param N - number of values
 * @param sorted - the values in ascending order, NaN last (sorted[i] = x[order[i]])
 * @param order - ascending order of the values
 * @param include - null to rank all values, or 0/1 per value (indexed like x)
 * @param out - ranks (1-based) at out[order[i]] for each included value
 * @returns the number of included values
 */
export function averageRanksKernel(
  N: number,
  sorted: Float64Array,
  order: Uint32Array,
  include: Uint8Array | null,
  out: Float64Array,
): number {
  let rank = 0;
  let i = 0;
  while (i < N) {
    const v = sorted[i]!;
    // The run of ties [i, j) and how many of them are included.
    let j = i + 1;
    while (j < N && sorted[j] === v) j++;
    let count = j - i;
    if (include !== null) {
      count = 0;
      for (let r = i; r < j; r++) count += include[order[r]!]!;
    }
    const average = Number.isNaN(v) ? Number.NaN : rank + (count + 1) / 2;
    for (let r = i; r < j; r++) {
      const k = order[r]!;
      if (include === null || include[k] === 1) out[k] = average;
    }
    rank += count;
    i = j;
  }
  return rank;
}

/**
 * Rank normalization in one pass: the normal score Φ⁻¹((r − 3/8)/(S + 1/4)) of each included value's
 * average rank r, written to `out[position[k]]` (or `out[k]` when position is null). Same walk as
 * {@link averageRanksKernel}; one score per run of ties, from a cached table.
 *
 * Allocates nothing; validates nothing.
 *
 * @param N - number of values
 * @param sorted - the values in ascending order, NaN last
 * @param order - ascending order of the values
 * @param include - null to use all values, or 0/1 per value
 * @param S - the number of included values
 * @param table - {@link normalScoreTable}(S)
 * @param position - null, or where each value's score goes (e.g. {@link splitPositions})
 * @param out - the scores
 */
export function normalScoresKernel(
  N: number,
  sorted: Float64Array,
  order: Uint32Array,
  include: Uint8Array | null,
  S: number,
  table: Float64Array,
  position: Int32Array | null,
  out: Float64Array,
): void {
  let rank = 0;
  let i = 0;
  while (i < N) {
    const v = sorted[i]!;
    let j = i + 1;
    while (j < N && sorted[j] === v) j++;
    let count = j - i;
    if (include !== null) {
      count = 0;
      for (let r = i; r < j; r++) count += include[order[r]!]!;
    }
    const z = Number.isNaN(v) ? Number.NaN : normalScore(rank + (count + 1) / 2, S, table);
    for (let r = i; r < j; r++) {
      const k = order[r]!;
      if (include === null || include[k] === 1) out[position === null ? k : position[k]!] = z;
    }
    rank += count;
    i = j;
  }
}

/**
 * The ascending order of the folded values |x_i − center| from the ascending order of x, by merging
 * the part below the center (read backwards) with the part at or above it: O(N), no sort.
 *
 * Allocates nothing; validates nothing.
 *
 * @param N - number of values (none NaN)
 * @param sorted - the values in ascending order
 * @param order - their ascending order (sorted[i] = x[order[i]])
 * @param center - the fold point (the median)
 * @param foldedSorted - output: the folded values in ascending order
 * @param foldOrder - output: the ascending order of the folded values (indices into x)
 */
export function foldOrderKernel(
  N: number,
  sorted: Float64Array,
  order: Uint32Array,
  center: number,
  foldedSorted: Float64Array,
  foldOrder: Uint32Array,
): void {
  // First position whose value is at or above the center.
  let split = 0;
  while (split < N && sorted[split]! < center) split++;
  let left = split - 1;
  let right = split;
  for (let k = 0; k < N; k++) {
    const a = left >= 0 ? Math.abs(sorted[left]! - center) : Number.POSITIVE_INFINITY;
    const b = right < N ? Math.abs(sorted[right]! - center) : Number.POSITIVE_INFINITY;
    if (right >= N || (left >= 0 && a <= b)) {
      foldedSorted[k] = a;
      foldOrder[k] = order[left--]!;
    } else {
      foldedSorted[k] = b;
      foldOrder[k] = order[right++]!;
    }
  }
}

/** The table of normal scores for the last S used (ranks repeat between parameters of one draws object). */
let scoreTable = { size: -1, scores: new Float64Array(0) };

/**
 * Normal scores Φ⁻¹((r − 3/8)/(S + 1/4)) by slot 2r (r = 1, 1.5, ..., S), filled lazily (NaN = not yet
 * computed): the scores depend only on the ranks and S, so all parameters of one draws object share
 * them and Φ⁻¹ is evaluated at most 2S times in all.
 */
export function normalScoreTable(size: number): Float64Array {
  if (scoreTable.size !== size)
    scoreTable = { size, scores: new Float64Array(2 * size + 1).fill(Number.NaN) };
  return scoreTable.scores;
}

/**
 * Blom's normal score of a (possibly half-integer, averaged) rank r among S values.
 *
 * Formula: z = Φ⁻¹((r − 3/8) / (S − 2·3/8 + 1)).
 *
 * @param rank - 1-based rank, an integer or an integer + 1/2 (ties averaged)
 * @param size - S, the number of ranked values
 * @param table - a {@link normalScoreTable} of this size (optional: a cache)
 * @returns the normal score; NaN for a NaN rank
 * @example normalScore(1, 1) // 0
 * @see Blom (1958) Statistical Estimates and Transformed Beta-Variables, Wiley
 */
export function normalScore(rank: number, size: number, table?: Float64Array): number {
  const slot = 2 * rank;
  if (table === undefined || !(slot >= 2 && slot <= 2 * size) || slot !== Math.floor(slot))
    return Number.isNaN(rank) ? Number.NaN : normalQuantile((rank - 0.375) / (size + 0.25));
  let z = table[slot]!;
  if (Number.isNaN(z)) {
    z = normalQuantile((rank - 0.375) / (size + 0.25));
    table[slot] = z;
  }
  return z;
}

/**
 * Average ranks of the pooled values (R's `rank(x, ties.method = "average")`; NaN stays NaN and
 * takes the last places).
 *
 * Formula: r_i = 1 + #{j : x_j < x_i} + (#{j : x_j = x_i} − 1)/2.
 *
 * @param values - any numbers
 * @returns 1-based ranks, ties sharing the mean of their places
 * @example averageRanks([10, 20, 10, 30]) // Float64Array [1.5, 3, 1.5, 4]
 * @see Vehtari et al. (2021) §4.1 (average ranks keep the number of distinct values of discrete draws), doi:10.1214/20-BA1221
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  checkChainsArgument(values, "values");
  const x = Float64Array.from(values);
  const N = x.length;
  const order = new Uint32Array(N);
  argsortKernel(N, x, 1, 0, order, 0, new SortWorkspace());
  const sorted = new Float64Array(N);
  for (let i = 0; i < N; i++) sorted[i] = x[order[i]!]!;
  const out = new Float64Array(N);
  averageRanksKernel(N, sorted, order, null, out);
  return out;
}

/**
 * Ranks of all draws pooled over chains, returned per chain (the input of a rank plot).
 *
 * @param x - one array per chain
 * @returns the average ranks (1..S, S = all draws), one array per chain
 * @example ranks([[3, 1], [2, 4]]) // [Float64Array [3, 1], Float64Array [2, 4]]
 * @see Vehtari et al. (2021) §4.3 (rank plots), doi:10.1214/20-BA1221
 */
export function ranks(x: ChainDraws): Float64Array[] {
  checkChainsArgument(x);
  const m = packChains(x);
  return unpackChains({ ...m, values: averageRanks(m.values) });
}

/**
 * Rank normalization: each draw replaced by the normal score of its average rank among all draws.
 *
 * Formula: z_i = Φ⁻¹((r_i − 3/8) / (S + 1/4)), r_i the average rank of draw i among the S pooled draws.
 *
 * @param x - one array per chain
 * @returns normal scores, one array per chain (NaN draws stay NaN)
 * @example zScale([[1, 2], [3, 4]]) // [Float64Array [-1.0491313979639711, -0.2993069104656671], Float64Array [0.2993069104656671, 1.0491313979639711]]
 * @see Vehtari et al. (2021) §4.1, doi:10.1214/20-BA1221
 */
export function zScale(x: ChainDraws): Float64Array[] {
  checkChainsArgument(x);
  const m = packChains(x);
  const r = averageRanks(m.values);
  const S = r.length;
  const table = normalScoreTable(S);
  for (let i = 0; i < S; i++) r[i] = normalScore(r[i]!, S, table);
  return unpackChains({ ...m, values: r });
}

/**
 * Folding: the absolute deviation of each draw from the median of all draws, which turns a
 * difference in scale (tails) between chains into a difference in location.
 *
 * Formula: ζ_i = |x_i − median(x)|.
 *
 * @param x - one array per chain
 * @returns the folded draws, one array per chain (NaN everywhere if any draw is NaN)
 * @example fold([[1, 2], [3, 4]]) // [Float64Array [1.5, 0.5], Float64Array [0.5, 1.5]]
 * @see Vehtari et al. (2021) §4.2, doi:10.1214/20-BA1221
 */
export function fold(x: ChainDraws): Float64Array[] {
  checkChainsArgument(x);
  const m = packChains(x);
  const sorted = m.values.slice().sort();
  const center = medianOfSorted(sorted);
  const out = new Float64Array(m.values.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(m.values[i]! - center);
  return unpackChains({ ...m, values: out });
}

/** R's median of an ascending array: the middle value, or the mean of the two middle ones; NaN if
 * empty or if any value is NaN (NaN sorts last). */
export function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(sorted[n - 1]!)) return Number.NaN;
  const half = n >> 1;
  return n % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}
