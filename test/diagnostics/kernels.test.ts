/**
 * Oracle tests (STYLE.md §12): each fast kernel against a naive, obviously-correct version on seeded
 * random inputs — ties, signed zeros, infinities and NaN included where the kernel accepts them.
 */
import { describe, expect, it } from "vitest";
import {
  autocovariance,
  autocovarianceDirectKernel,
  autocovarianceFftKernel,
  fftPaysOff,
} from "../../diagnostics/autocovariance";
import { ChainSet } from "../../diagnostics/chain-set";
import { EssWorkspace, essKernel } from "../../diagnostics/ess";
import { fftKernel, nextPowerOfTwo } from "../../diagnostics/fft";
import { rhat, rhatKernel } from "../../diagnostics/rhat";
import { argsortKernel, SortWorkspace } from "../../diagnostics/sort";
import {
  averageRanks,
  fold,
  foldOrderKernel,
  normalScore,
  normalScoresKernel,
  normalScoreTable,
  splitChains,
  zScale,
} from "../../diagnostics/transforms";
import { Random } from "../../src/random/generator";
import { ar1Chains, normals } from "./helpers";

/** Values with many ties and the special cases the sort must order. */
function awkwardValues(rng: Random, n: number, specials: boolean): Float64Array {
  const pool = [0, -0, 1, -1, 0.5, 1e-310, -1e-310, 1e300, -1e300, 2, 2, 3];
  if (specials) pool.push(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    if (u < 0.3) x[i] = pool[Math.floor(rng.uniform() * pool.length)]!;
    else if (u < 0.5) x[i] = Math.round(rng.uniform() * 10) - 5;
    else x[i] = (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 20 - 10);
  }
  return x;
}

/** Total order of the radix sort: −0 before +0, NaN last, ties by index (stable). */
function naiveOrder(x: Float64Array): number[] {
  const rank = (v: number): number => (Number.isNaN(v) ? 2 : 0);
  return [...x.keys()].sort((a, b) => {
    const va = x[a]!;
    const vb = x[b]!;
    if (rank(va) !== rank(vb)) return rank(va) - rank(vb);
    if (va < vb) return -1;
    if (va > vb) return 1;
    if (Object.is(va, -0) && Object.is(vb, 0)) return -1;
    if (Object.is(va, 0) && Object.is(vb, -0)) return 1;
    return a - b;
  });
}

function naiveAverageRanks(x: ArrayLike<number>): number[] {
  const n = x.length;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) {
      out.push(Number.NaN);
      continue;
    }
    let less = 0;
    let equal = 0;
    for (let j = 0; j < n; j++) {
      if (x[j]! < v) less++;
      else if (x[j] === v) equal++;
    }
    out.push(less + (equal + 1) / 2);
  }
  return out;
}

function naiveAutocovariance(y: ArrayLike<number>): number[] {
  const N = y.length;
  let m = 0;
  for (let t = 0; t < N; t++) m += y[t]!;
  m /= N;
  return Array.from({ length: N }, (_, k) => {
    let s = 0;
    for (let t = 0; t + k < N; t++) s += (y[t]! - m) * (y[t + k]! - m);
    return s / N;
  });
}

/** posterior's `.ess`, transcribed with R's 1-based indexing and a naive autocovariance. */
function naiveEss(chains: readonly ArrayLike<number>[]): { ess: number; capped: boolean } {
  const M = chains.length;
  const N = chains[0]!.length;
  const all = chains.flatMap((c) => [...Array.from(c)]);
  if (
    N < 3 ||
    all.some((v) => !Number.isFinite(v)) ||
    Math.max(...all) - Math.min(...all) < 2.220446049250313e-16
  )
    return { ess: Number.NaN, capped: false };
  const acov = chains.map((c) => naiveAutocovariance(c));
  const acovMeans = Array.from({ length: N }, (_, k) => acov.reduce((s, a) => s + a[k]!, 0) / M);
  const chainMeans = chains.map((c) => Array.from(c).reduce((s, v) => s + v, 0) / N);
  const mm = chainMeans.reduce((s, v) => s + v, 0) / M;
  const varMeans = M > 1 ? chainMeans.reduce((s, v) => s + (v - mm) ** 2, 0) / (M - 1) : 0;
  const meanVar = (acovMeans[0]! * N) / (N - 1);
  let varPlus = (meanVar * (N - 1)) / N;
  if (M > 1) varPlus += varMeans;
  const rho = new Array<number>(N + 2).fill(0); // rho[1..N], 1-based as in R
  let t = 0;
  let even = 1;
  rho[t + 1] = even;
  let odd = 1 - (meanVar - acovMeans[t + 1]!) / varPlus;
  rho[t + 2] = odd;
  while (t < N - 5 && !Number.isNaN(even + odd) && even + odd > 0) {
    t += 2;
    even = 1 - (meanVar - acovMeans[t]!) / varPlus;
    odd = 1 - (meanVar - acovMeans[t + 1]!) / varPlus;
    if (even + odd >= 0) {
      rho[t + 1] = even;
      rho[t + 2] = odd;
    }
  }
  const maxT = t;
  if (even > 0) rho[maxT + 1] = even;
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t + 1]! + rho[t + 2]! > rho[t - 1]! + rho[t]!) {
      rho[t + 1] = (rho[t - 1]! + rho[t]!) / 2;
      rho[t + 2] = rho[t + 1]!;
    }
  }
  // R: sum(rho_hat_t[1:max_t]); 1:0 is c(1, 0), which selects rho[1].
  let sum = 0;
  if (maxT === 0) sum = rho[1]!;
  else for (let k = 1; k <= maxT; k++) sum += rho[k]!;
  let tau = -1 + 2 * sum + rho[maxT + 1]!;
  const bound = 1 / Math.log10(M * N);
  const capped = tau < bound;
  if (capped) tau = bound;
  return { ess: (M * N) / tau, capped };
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe("argsortKernel (radix) against a comparison sort", () => {
  const rng = Random.fromSeed(11);
  it.each([0, 1, 2, 3, 17, 256, 2049, 5000])("n = %i, with ties, ±0, ±Infinity, NaN, subnormals", (n) => {
    for (const specials of [false, true]) {
      const x = awkwardValues(rng, n, specials);
      const order = new Uint32Array(n);
      argsortKernel(n, x, 1, 0, order, 0, new SortWorkspace());
      expect([...order]).toEqual(naiveOrder(x));
    }
  });

  it("orders long and short runs of equal high words by the low word (draws in a narrow range)", () => {
    for (const n of [30, 5000]) {
      // 1 + k·2^-40: the same high word, differing low words; mixed with a few far values.
      const x = Float64Array.from({ length: n }, (_, i) =>
        i % 97 === 0 ? rng.uniform() * 100 : 1 + Math.floor(rng.uniform() * 1e6) * 2 ** -40,
      );
      const order = new Uint32Array(n);
      argsortKernel(n, x, 1, 0, order, 0, new SortWorkspace());
      expect([...order]).toEqual(naiveOrder(x));
    }
  });

  it("honours stride and offset, and a reused workspace", () => {
    const ws = new SortWorkspace();
    const x = awkwardValues(rng, 300, true);
    const order = new Uint32Array(60 + 5);
    argsortKernel(60, x, 5, 2, order, 5, ws);
    const picked = Float64Array.from({ length: 60 }, (_, i) => x[2 + 5 * i]!);
    expect([...order.subarray(5)]).toEqual(naiveOrder(picked));
  });
});

describe("rank transforms against naive versions", () => {
  const rng = Random.fromSeed(12);

  it("averageRanks equals R's rank(ties = 'average') by counting", () => {
    for (const n of [1, 2, 5, 100, 777]) {
      const x = awkwardValues(rng, n, true);
      const got = [...averageRanks(x)];
      const want = naiveAverageRanks(x);
      got.forEach((r, i) => {
        Number.isNaN(want[i]!) ? expect(r).toBeNaN() : expect(r).toBe(want[i]);
      });
    }
  });

  it("foldOrderKernel sorts |x − c| as a comparison sort does", () => {
    for (const n of [1, 2, 9, 500]) {
      const x = awkwardValues(rng, n, false);
      const order = Uint32Array.from(naiveOrder(x));
      const sorted = Float64Array.from(order, (i) => x[i]!);
      const center = sorted[Math.floor(n / 2)]!;
      const foldedSorted = new Float64Array(n);
      const foldOrder = new Uint32Array(n);
      foldOrderKernel(n, sorted, order, center, foldedSorted, foldOrder);
      const want = [...x].map((v) => Math.abs(v - center)).sort((a, b) => a - b);
      expect([...foldedSorted]).toEqual(want);
      expect([...foldOrder].map((i) => Math.abs(x[i]! - center))).toEqual(want);
      expect(new Set(foldOrder).size).toBe(n);
    }
  });

  it("normalScoresKernel with a mask ranks only the included values", () => {
    const n = 301;
    const x = awkwardValues(rng, n, false);
    const include = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.8 ? 1 : 0));
    const order = Uint32Array.from(naiveOrder(x));
    const sorted = Float64Array.from(order, (i) => x[i]!);
    const S = include.reduce((a, b) => a + b, 0);
    const out = new Float64Array(n).fill(-99);
    normalScoresKernel(n, sorted, order, include, S, normalScoreTable(S), null, out);
    const kept = [...x].filter((_, i) => include[i] === 1);
    const ranksOfKept = naiveAverageRanks(kept);
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (include[i] === 1) expect(out[i]).toBe(normalScore(ranksOfKept[k++]!, S));
      else expect(out[i]).toBe(-99);
    }
  });

  it("the ChainSet's shared transforms equal the composition of the public ones (even and odd N)", () => {
    for (const N of [1, 2, 7, 10, 101]) {
      const chains = ar1Chains(N, 3, N, 0.5).map((c) => c.map((v) => Math.round(v * 4) / 4)); // ties
      const set = ChainSet.of(chains);
      const z = set.zSplit();
      const zf = set.zFoldedSplit();
      expect([...z.values]).toEqual(zScale(splitChains(chains)).flatMap((c) => [...c]));
      expect([...zf.values]).toEqual(zScale(splitChains(fold(chains))).flatMap((c) => [...c]));
    }
  });
});

describe("FFT and autocovariance against definitions", () => {
  const rng = Random.fromSeed(13);

  it("fftKernel (fft.js) equals the naive DFT: forward, and inverse divided by n", () => {
    for (const n of [2, 4, 8, 64, 512]) {
      const re = normals(rng, n);
      const im = normals(rng, n);
      const input = new Float64Array(2 * n);
      for (let k = 0; k < n; k++) {
        input[2 * k] = re[k]!;
        input[2 * k + 1] = im[k]!;
      }
      for (const inverse of [false, true]) {
        const out = new Float64Array(2 * n);
        fftKernel(n, out, input, inverse);
        const sign = inverse ? 1 : -1;
        for (let j = 0; j < n; j++) {
          let sr = 0;
          let si = 0;
          for (let k = 0; k < n; k++) {
            const a = (sign * 2 * Math.PI * j * k) / n;
            sr += re[k]! * Math.cos(a) - im[k]! * Math.sin(a);
            si += re[k]! * Math.sin(a) + im[k]! * Math.cos(a);
          }
          const scale = inverse ? n : 1;
          expect(Math.abs(out[2 * j]! - sr / scale)).toBeLessThan(1e-10 * n);
          expect(Math.abs(out[2 * j + 1]! - si / scale)).toBeLessThan(1e-10 * n);
        }
      }
    }
    expect([nextPowerOfTwo(1), nextPowerOfTwo(2), nextPowerOfTwo(5), nextPowerOfTwo(1024)]).toEqual([
      2, 2, 8, 1024,
    ]);
  });

  it("direct and FFT (one sequence or a packed pair) autocovariances equal the definition", () => {
    for (const N of [1, 2, 3, 5, 64, 333, 1000]) {
      const a = normals(rng, N);
      const b = normals(rng, N).map((v, t) => v + (t % 7)); // not centered, on purpose: centered below
      const center = (y: Float64Array) => {
        const m = y.reduce((s, v) => s + v, 0) / y.length;
        return y.map((v) => v - m);
      };
      const ya = center(a);
      const yb = center(b);
      const wantA = naiveAutocovariance(a);
      const wantB = naiveAutocovariance(b);
      const direct = new Float64Array(N);
      autocovarianceDirectKernel(N, ya, 0, 0, N, direct, 0);
      const n = nextPowerOfTwo(2 * N);
      const fa = new Float64Array(N);
      const fb = new Float64Array(N);
      // Scratch longer than needed, as a reused workspace is.
      const scratch = () => new Float64Array(2 * n + 6);
      autocovarianceFftKernel(N, ya, 0, yb, 0, fa, 0, fb, 0, scratch(), scratch(), n);
      const single = new Float64Array(N);
      autocovarianceFftKernel(N, yb, 0, null, 0, single, 0, single, 0, scratch(), scratch(), n);
      const scale = wantA[0]! + wantB[0]!;
      for (let k = 0; k < N; k++) {
        expect(Math.abs(direct[k]! - wantA[k]!)).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(fa[k]! - wantA[k]!)).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(fb[k]! - wantB[k]!)).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(single[k]! - wantB[k]!)).toBeLessThanOrEqual(1e-12 * scale);
      }
    }
  });

  it("autocovariance (the public function, either path) equals the definition; constant → 0; non-finite → NaN", () => {
    const x = normals(rng, 4000);
    expect(fftPaysOff(4000, 4000)).toBe(true);
    expect(fftPaysOff(4000, 10)).toBe(false);
    const want = naiveAutocovariance(x);
    const all = autocovariance(x);
    const few = autocovariance(x, 9);
    expect(few.length).toBe(10);
    for (let k = 0; k < 4000; k++) expect(Math.abs(all[k]! - want[k]!)).toBeLessThan(1e-12);
    for (let k = 0; k < 10; k++) expect(Math.abs(few[k]! - want[k]!)).toBeLessThan(1e-12);
    expect([...autocovariance([2, 2, 2])]).toEqual([0, 0, 0]);
    expect([...autocovariance([1, Number.NaN, 2])].every(Number.isNaN)).toBe(true);
    expect(autocovariance([]).length).toBe(0);
  });
});

describe("essKernel against posterior's .ess transcribed literally", () => {
  const cases: [string, Float64Array[]][] = [
    ["iid, 4 × 1000", ar1Chains(21, 4, 1000, 0)],
    ["AR(0.5), 2 × 301 (odd)", ar1Chains(22, 2, 301, 0.5)],
    ["AR(0.99), 4 × 3000 (many lags: the FFT path)", ar1Chains(23, 4, 3000, 0.99)],
    ["AR(−0.9), 3 × 500 (antithetic: the cap)", ar1Chains(24, 3, 500, -0.9)],
    ["one chain of 3", [Float64Array.of(1, 2, 4)]],
    ["one chain of 6", [Float64Array.of(1, 5, 2, 8, 3, 1)]],
    ["chains constant at different values", [new Float64Array(10).fill(1), new Float64Array(10).fill(2)]],
  ];

  it.each(cases)("%s", (label, chains) => {
    const M = chains.length;
    const N = chains[0]!.length;
    const packed = new Float64Array(M * N);
    chains.forEach((c, i) => {
      packed.set(c, i * N);
    });
    const ws = new EssWorkspace();
    const got = essKernel(M, N, packed, 0, ws);
    const want = naiveEss(chains);
    expect(relative(got, want.ess)).toBeLessThan(1e-9);
    expect(ws.capped).toBe(want.capped);
    expect(ws.usedFft).toBe(label.includes("FFT"));
  });

  it("the antithetic case is capped at S·log10(S), the others are not", () => {
    expect(naiveEss(ar1Chains(24, 3, 500, -0.9)).capped).toBe(true);
    expect(naiveEss(ar1Chains(21, 4, 1000, 0)).capped).toBe(false);
  });

  it("returns NaN for N < 3, non-finite or constant draws, without touching the cap flag", () => {
    const ws = new EssWorkspace();
    expect(essKernel(2, 2, Float64Array.of(1, 2, 3, 4), 0, ws)).toBeNaN();
    expect(essKernel(1, 4, Float64Array.of(1, 2, Number.POSITIVE_INFINITY, 4), 0, ws)).toBeNaN();
    expect(essKernel(1, 4, Float64Array.of(1, 2, Number.NaN, 4), 0, ws)).toBeNaN();
    expect(essKernel(2, 3, new Float64Array(6).fill(0.1), 0, ws)).toBeNaN();
    expect(ws.capped).toBe(false);
  });
});

describe("rhatKernel against its formula", () => {
  it("equals √((B/W + N − 1)/N) computed naively", () => {
    const chains = ar1Chains(31, 5, 40, 0.3).map((c, i) => c.map((v) => v + i * 0.1));
    const N = 40;
    const means = chains.map((c) => c.reduce((s, v) => s + v, 0) / N);
    const vars = chains.map((c, i) => c.reduce((s, v) => s + (v - means[i]!) ** 2, 0) / (N - 1));
    const mm = means.reduce((s, v) => s + v, 0) / means.length;
    const B = (N * means.reduce((s, v) => s + (v - mm) ** 2, 0)) / (means.length - 1);
    const W = vars.reduce((s, v) => s + v, 0) / vars.length;
    const packed = new Float64Array(5 * N);
    chains.forEach((c, i) => {
      packed.set(c, i * N);
    });
    expect(relative(rhatKernel(5, N, packed, 0), Math.sqrt((B / W + N - 1) / N))).toBeLessThan(1e-13);
  });

  it("rhat is large for chains stuck in different places and near 1 for mixed ones", () => {
    const mixed = ar1Chains(32, 4, 1000, 0.2);
    const stuck = mixed.map((c, i) => c.map((v) => v + 3 * i));
    expect(rhat(mixed)).toBeLessThan(1.01);
    expect(rhat(stuck)).toBeGreaterThan(1.5);
  });
});
