/**
 * Sorting kernel: the stable ascending order of a Float64Array by an LSD radix sort on the IEEE-754
 * bits (six passes of 11 bits; a pass whose digit is the same for every value is skipped). One call
 * gives what the rank-based diagnostics need at once: the sorted values (median, quantiles) and the
 * permutation (average ranks for rank normalization and folding), in O(n).
 *
 * Measured (bench/diagnostics.bench.ts, 20,000 draws): radix argsort ≈ 3× faster than
 * `Float64Array.prototype.sort` followed by a binary search per value for its rank.
 */

const BITS = 11;
const BUCKETS = 1 << BITS;
const MASK = BUCKETS - 1;
const PASSES = 6;

/** Scratch space for {@link argsortKernel}; grows on demand and is reused between calls. */
export class SortWorkspace {
  /** Keys (high and low 32 bits, order-preserving) and indices, twice (source and destination). */
  keyHiA = new Uint32Array(0);
  keyLoA = new Uint32Array(0);
  indexA = new Uint32Array(0);
  keyHiB = new Uint32Array(0);
  keyLoB = new Uint32Array(0);
  indexB = new Uint32Array(0);
  readonly counts = new Uint32Array(PASSES * BUCKETS);
  /** One double and its two 32-bit words, to read a value's bits. */
  readonly word = new Float64Array(1);
  readonly words = new Uint32Array(this.word.buffer);

  /** Makes room for n values. */
  ensure(n: number): void {
    if (this.keyHiA.length >= n) return;
    const size = Math.max(n, this.keyHiA.length * 2);
    this.keyHiA = new Uint32Array(size);
    this.keyLoA = new Uint32Array(size);
    this.indexA = new Uint32Array(size);
    this.keyHiB = new Uint32Array(size);
    this.keyLoB = new Uint32Array(size);
    this.indexB = new Uint32Array(size);
  }
}

/** Little-endian word order of a Float64Array seen as two Uint32 words. */
const HIGH = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 1 : 0;
const LOW = 1 - HIGH;

/**
 * Writes into `order[offsetO + i]` (i < N) the indices 0..N−1 of `x[offsetX + k * strideX]` in
 * ascending order of value, ties in index order (stable). −0 sorts just before +0 (callers compare
 * values with `===` to find ties, so the two tie); NaN sorts last.
 *
 * Allocates nothing once `ws` has room for N; validates nothing.
 *
 * @param N - number of values
 * @param x - values
 * @param strideX - stride of x
 * @param offsetX - index of the first value in x
 * @param order - output permutation
 * @param offsetO - index of the first output slot in order
 * @param ws - scratch space (grown to N here)
 */
export function argsortKernel(
  N: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  order: Uint32Array,
  offsetO: number,
  ws: SortWorkspace,
): void {
  ws.ensure(N);
  let hiA = ws.keyHiA;
  let loA = ws.keyLoA;
  let idxA = ws.indexA;
  let hiB = ws.keyHiB;
  let loB = ws.keyLoB;
  let idxB = ws.indexB;
  const counts = ws.counts;
  const word = ws.word;
  const words = ws.words;
  counts.fill(0);
  for (let i = 0, ix = offsetX; i < N; i++, ix += strideX) {
    const v = x[ix]!;
    let hi: number;
    let lo: number;
    if (Number.isNaN(v)) {
      hi = 0xffffffff;
      lo = 0xffffffff;
    } else {
      word[0] = v;
      hi = words[HIGH]!;
      lo = words[LOW]!;
      if (hi & 0x80000000) {
        hi = ~hi >>> 0;
        lo = ~lo >>> 0;
      } else {
        hi = (hi | 0x80000000) >>> 0;
      }
    }
    hiA[i] = hi;
    loA[i] = lo;
    idxA[i] = i;
    counts[lo & MASK]!++;
    counts[BUCKETS + ((lo >>> 11) & MASK)]!++;
    counts[2 * BUCKETS + ((lo >>> 22) | ((hi & 1) << 10))]!++;
    counts[3 * BUCKETS + ((hi >>> 1) & MASK)]!++;
    counts[4 * BUCKETS + ((hi >>> 12) & MASK)]!++;
    counts[5 * BUCKETS + (hi >>> 23)]!++;
  }
  for (let pass = 0; pass < PASSES; pass++) {
    const base = pass * BUCKETS;
    // Skip a pass whose digit is the same for all values; otherwise turn counts into start offsets.
    let skip = false;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = counts[base + b]!;
      if (c === N) {
        skip = true;
        break;
      }
      counts[base + b] = sum;
      sum += c;
    }
    if (skip) continue;
    if (pass < 3) {
      // Digits 0–2 come from the low word (digit 2 takes one bit of the high word too).
      const shiftLo = pass * BITS;
      const shiftHi = pass === 0 ? BITS : 32 - shiftLo;
      for (let i = 0; i < N; i++) {
        const hi = hiA[i]!;
        const lo = loA[i]!;
        const at = counts[base + (((lo >>> shiftLo) | (hi << shiftHi)) & MASK)]!++;
        hiB[at] = hi;
        loB[at] = lo;
        idxB[at] = idxA[i]!;
      }
    } else {
      const shift = pass * BITS - 32;
      for (let i = 0; i < N; i++) {
        const hi = hiA[i]!;
        const at = counts[base + ((hi >>> shift) & MASK)]!++;
        hiB[at] = hi;
        loB[at] = loA[i]!;
        idxB[at] = idxA[i]!;
      }
    }
    [hiA, hiB] = [hiB, hiA];
    [loA, loB] = [loB, loA];
    [idxA, idxB] = [idxB, idxA];
  }
  for (let i = 0; i < N; i++) order[offsetO + i] = idxA[i]!;
}

/**
 * The ascending order of `values` (stable; NaN last) as indices.
 *
 * @param values - numbers to order
 * @returns a permutation p of 0..n−1 with values[p[0]] ≤ values[p[1]] ≤ ...
 * @example argsort([3, 1, 2]) // Uint32Array [1, 2, 0]
 */
export function argsort(values: ArrayLike<number>): Uint32Array {
  const x = Float64Array.from(values);
  const order = new Uint32Array(x.length);
  argsortKernel(x.length, x, 1, 0, order, 0, new SortWorkspace());
  return order;
}
