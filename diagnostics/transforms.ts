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
import { argsortKernel, SortWorkspace } from "./sort";
import { normalQuantile } from "./special";

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
  if (!Array.isArray(x)) throw new ArgumentError(argument, "must be an array with one array of draws per chain", x);
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

/**
 * Where draw i of a packed matrix (chain c = ⌊i/N⌋, iteration t) goes in the split matrix, or −1 for
 * the middle draw that an odd N leaves out. Split chain c holds the first halves, chain M + c the
 * second halves (posterior's `.split_chains` column order).
 */
export function splitPosition(i: number, chains: number, iterations: number): number {
  if (iterations === 1) return i;
  const half = iterations >> 1;
  const t = i % iterations;
  const c = (i - t) / iterations;
  if (t < half) return c * half + t;
  const second = t - (iterations - half);
  return second < 0 ? -1 : (chains + c) * half + second;
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
 * Average ranks (R's `rank(x, ties.method = "average")`) from a precomputed ascending order,
 * written to `out` at the values' own positions. Values with `include[i] === 0` are skipped (ranked
 * among the others as if absent; their `out` is left untouched). NaN values get NaN and take the
 * last places, as R's `rank` with `na.last = TRUE` does.
 *
 * @param N - number of values
 * @param x - the values (offset 0, stride 1)
 * @param order - ascending order of x (e.g. from argsortKernel)
 * @param include - null to rank all values, or 0/1 per value
 * @param out - ranks (1-based), written at out[i] for each included i
 * @returns the number of included values
 */
export function averageRanksKernel(
  N: number,
  x: Float64Array,
  order: Uint32Array,
  include: Uint8Array | null,
  out: Float64Array,
): number {
  let rank = 0;
  let i = 0;
  while (i < N) {
    const first = order[i]!;
    if (include !== null && include[first] === 0) {
      i++;
      continue;
    }
    const v = x[first]!;
    if (v !== v) {
      out[first] = Number.NaN;
      rank++;
      i++;
      continue;
    }
    // The run of ties starting at i (skipping excluded values inside it).
    let j = i + 1;
    let count = 1;
    while (j < N) {
      const k = order[j]!;
      if (x[k] !== v) break;
      if (include === null || include[k] === 1) count++;
      j++;
    }
    const average = rank + (count + 1) / 2;
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
 * The ascending order of the folded values |x_i − center| from the ascending order of x, by merging
 * the part below the center (read backwards) with the part at or above it: O(N), no sort. Writes
 * the folded values to `folded` and their order to `foldOrder`.
 *
 * @param N - number of values (finite)
 * @param x - the values
 * @param order - ascending order of x
 * @param center - the fold point (the median)
 * @param folded - output: |x_i − center| at i
 * @param foldOrder - output: ascending order of folded
 */
export function foldOrderKernel(
  N: number,
  x: Float64Array,
  order: Uint32Array,
  center: number,
  folded: Float64Array,
  foldOrder: Uint32Array,
): void {
  for (let i = 0; i < N; i++) folded[i] = Math.abs(x[i]! - center);
  // First position whose value is at or above the center.
  let split = 0;
  while (split < N && x[order[split]!]! < center) split++;
  let left = split - 1;
  let right = split;
  for (let k = 0; k < N; k++) {
    if (left < 0) foldOrder[k] = order[right++]!;
    else if (right >= N) foldOrder[k] = order[left--]!;
    else {
      const a = order[left]!;
      const b = order[right]!;
      if (folded[a]! <= folded[b]!) {
        foldOrder[k] = a;
        left--;
      } else {
        foldOrder[k] = b;
        right++;
      }
    }
  }
}

/** Cached normal scores Φ⁻¹((r − 3/8)/(S + 1/4)) for ranks r = 1, 1.5, ..., S of one S. */
let scoreTable: { size: number; scores: Float64Array } = { size: -1, scores: new Float64Array(0) };

/**
 * Blom's normal score of a (possibly half-integer, averaged) rank r among S values.
 *
 * Formula: z = Φ⁻¹((r − 3/8) / (S − 2·3/8 + 1)).
 *
 * @param rank - 1-based rank, an integer or an integer + 1/2 (ties averaged)
 * @param size - S, the number of ranked values
 * @returns the normal score; NaN for a NaN rank
 * @example normalScore(1, 1) // 0
 * @see Blom (1958) Statistical Estimates and Transformed Beta-Variables, Wiley
 */
export function normalScore(rank: number, size: number): number {
  if (rank !== rank) return Number.NaN;
  if (scoreTable.size !== size) {
    scoreTable = { size, scores: new Float64Array(2 * size + 1).fill(Number.NaN) };
  }
  const slot = Math.round(2 * rank);
  if (slot !== 2 * rank || slot < 2 || slot > 2 * size) return normalQuantile((rank - 0.375) / (size + 0.25));
  let z = scoreTable.scores[slot]!;
  if (z !== z) {
    z = normalQuantile((rank - 0.375) / (size + 0.25));
    scoreTable.scores[slot] = z;
  }
  return z;
}

/**
 * Average ranks of the pooled values (R's `rank(x, ties.method = "average")`; NaN stays NaN and
 * takes the last places).
 *
 * @param values - any numbers
 * @returns 1-based ranks, ties sharing the mean of their places
 * @example averageRanks([10, 20, 10, 30]) // Float64Array [1.5, 3, 1.5, 4]
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(values);
  const order = new Uint32Array(x.length);
  argsortKernel(x.length, x, 1, 0, order, 0, new SortWorkspace());
  const out = new Float64Array(x.length);
  averageRanksKernel(x.length, x, order, null, out);
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
 * @example zScale([[1, 2], [3, 4]]) // [[-1.0491, -0.2993], [0.2993, 1.0491]] (rounded)
 * @see Vehtari et al. (2021) §4.1, doi:10.1214/20-BA1221
 */
export function zScale(x: ChainDraws): Float64Array[] {
  const m = packChains(x);
  const r = averageRanks(m.values);
  const S = r.length;
  for (let i = 0; i < S; i++) r[i] = normalScore(r[i]!, S);
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
  if (n === 0 || sorted[n - 1] !== sorted[n - 1]) return Number.NaN;
  const half = n >> 1;
  return n % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}
