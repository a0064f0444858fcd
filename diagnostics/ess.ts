/**
 * Effective sample size (ESS): the kernel (Geyer's initial monotone sequence over the multi-chain
 * autocorrelation, Vehtari et al. 2021 §3.2) and the estimators composed from it — basic/mean, bulk,
 * tail, quantile, median, sd — exactly as the R package posterior 1.4.0 defines them.
 */

import { checkNumberArgument } from "../src/validate";
import { autocovarianceDirectKernel, autocovarianceFftKernel, fftPaysOff } from "./autocovariance";
import { ChainSet, type DrawsInput } from "./chain-set";
import { nextPowerOfTwo } from "./fft";
import { quantileOfSorted } from "./statistics";
import { type ChainMatrix, splitLength, splitPositions } from "./transforms";
import { essCapWarning } from "./warnings";

/** R's `.Machine$double.eps`: posterior's tolerance for "constant". */
const DOUBLE_EPS = 2.220446049250313e-16;

/** Scratch space for {@link essKernel}; grows on demand and is reused between calls. */
export class EssWorkspace {
  /** Centered draws, chain-major. */
  centered = new Float64Array(0);
  /** Autocovariances per chain at every lag (filled by FFT), chain-major. */
  acov = new Float64Array(0);
  /** Mean over chains of the autocovariance at each lag. */
  acovMeans = new Float64Array(0);
  /** Autocorrelation estimates ρ̂_t. */
  rho = new Float64Array(0);
  /** 0/1 per chain: whether the chain is constant (its autocovariances are all 0, as posterior). */
  constantChain = new Uint8Array(0);
  /** Mean of each chain. */
  chainMeans = new Float64Array(0);
  /** FFT scratch (interleaved complex). */
  data = new Float64Array(0);
  spectrum = new Float64Array(0);
  /** Whether the last estimate was capped at S·log10(S). */
  capped = false;
  /** Whether the last estimate computed its autocovariances by FFT (else lag by lag). */
  usedFft = false;
  /** Lags of `acovMeans` computed so far for the current estimate. */
  ready = 0;

  ensure(chains: number, iterations: number): void {
    const S = chains * iterations;
    if (this.centered.length < S) {
      this.centered = new Float64Array(S);
      this.acov = new Float64Array(S);
    }
    if (this.acovMeans.length < iterations) {
      this.acovMeans = new Float64Array(iterations);
      this.rho = new Float64Array(iterations);
    }
    if (this.constantChain.length < chains) {
      this.constantChain = new Uint8Array(chains);
      this.chainMeans = new Float64Array(chains);
    }
    const n = nextPowerOfTwo(2 * iterations);
    if (this.data.length < 2 * n) {
      this.data = new Float64Array(2 * n);
      this.spectrum = new Float64Array(2 * n);
    }
  }
}

const essWorkspace = /* @__PURE__ */ new EssWorkspace();

/**
 * Makes `ws.acovMeans[0..lag]` available (mean over the M chains of the autocovariances of
 * `ws.centered`): lag by lag in small blocks while that is cheaper, else every lag at once by FFT.
 */
function extendLags(ws: EssWorkspace, M: number, N: number, lag: number): void {
  const { centered, acov, acovMeans, constantChain } = ws;
  const ready = ws.ready;
  if (lag < ready) return;
  if (!ws.usedFft && fftPaysOff(N, lag + 1)) {
    ws.usedFft = true;
    const n = nextPowerOfTwo(2 * N);
    for (let c = 0; c < M; c += 2) {
      const pair = c + 1 < M;
      autocovarianceFftKernel(
        N,
        centered,
        c * N,
        pair ? centered : null,
        (c + 1) * N,
        acov,
        c * N,
        acov,
        (c + 1) * N,
        ws.data,
        ws.spectrum,
        n,
      );
    }
    for (let k = 0; k < N; k++) {
      let sum = 0;
      for (let c = 0; c < M; c++) sum += constantChain[c] === 1 ? 0 : acov[c * N + k]!;
      acovMeans[k] = sum / M;
    }
    ws.ready = N;
    return;
  }
  // Small blocks (the Geyer scan asks for two more lags at a time; well-mixing chains stop within
  // the first few): lags 0..4 first, then 8 at a time.
  const upto = Math.min(N, lag + (ready === 0 ? 4 : 8));
  acovMeans.fill(0, ready, upto);
  for (let c = 0; c < M; c++) {
    if (constantChain[c] === 1) continue;
    autocovarianceDirectKernel(N, centered, c * N, ready, upto, acov, c * N);
    for (let k = ready; k < upto; k++) acovMeans[k] = acovMeans[k]! + acov[c * N + k]!;
  }
  for (let k = ready; k < upto; k++) acovMeans[k] = acovMeans[k]! / M;
  ws.ready = upto;
}

/**
 * Multi-chain effective sample size of M chains of N draws (posterior's internal `.ess`): no
 * splitting or ranking here — callers pass split and/or rank-normalized chains.
 *
 * Formula (Vehtari et al. 2021, eqs. 10–11): with γ̂_{t} the mean over chains of the biased
 * autocovariance at lag t, W = γ̂_0·N/(N−1), var⁺ = W·(N−1)/N + B/N (B/N the variance of the chain
 * means), ρ̂_t = 1 − (W − γ̂_t)/var⁺; sums P̂_k = ρ̂_{2k} + ρ̂_{2k+1} are kept while positive (Geyer's
 * initial positive sequence) and made monotone (initial monotone sequence); τ̂ = −1 + 2 Σ_{t<2k} ρ̂_t +
 * ρ̂_{2k}; ESS = MN/τ̂, with τ̂ bounded below by 1/log10(MN) (the cap, flagged in `ws.capped`).
 * Lags are computed directly while few are needed and by FFT once that is cheaper.
 *
 * Allocates nothing once `ws` has room; validates nothing.
 *
 * @param M - number of chains
 * @param N - draws per chain
 * @param x - chain-major draws x[offsetX + c·N + t]
 * @param offsetX - index of the first draw
 * @param ws - scratch space; `ws.capped` tells whether the cap applied
 * @returns the ESS; NaN when N < 3, any draw is not finite, or all draws are constant (posterior's NA)
 */
export function essKernel(M: number, N: number, x: Float64Array, offsetX: number, ws: EssWorkspace): number {
  ws.capped = false;
  ws.usedFft = false;
  if (N < 3 || M < 1) return Number.NaN;
  const S = M * N;
  ws.ensure(M, N);
  const { centered, acovMeans, rho, constantChain, chainMeans } = ws;
  // One pass per chain: sum, range; a NaN or infinite draw makes the sum non-finite.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < M; c++) {
    const start = offsetX + c * N;
    let sum = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let t = start; t < start + N; t++) {
      const v = x[t]!;
      sum += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!Number.isFinite(sum)) return Number.NaN; // a non-finite draw (or a sum beyond 1.8e308)
    chainMeans[c] = sum / N;
    constantChain[c] = hi === lo ? 1 : 0;
    if (lo < min) min = lo;
    if (hi > max) max = hi;
  }
  if (max - min < DOUBLE_EPS) return Number.NaN;

  // Chain means with R's second-pass correction; center each chain.
  let meanOfMeans = 0;
  for (let c = 0; c < M; c++) {
    const start = offsetX + c * N;
    let m = chainMeans[c]!;
    let correction = 0;
    for (let t = start; t < start + N; t++) correction += x[t]! - m;
    m += correction / N;
    chainMeans[c] = m;
    meanOfMeans += m;
    const to = c * N - start;
    for (let t = start; t < start + N; t++) centered[to + t] = x[t]! - m;
  }
  let varMeans = 0;
  if (M > 1) {
    meanOfMeans /= M;
    let correction = 0;
    for (let c = 0; c < M; c++) correction += chainMeans[c]! - meanOfMeans;
    meanOfMeans += correction / M;
    for (let c = 0; c < M; c++) {
      const d = chainMeans[c]! - meanOfMeans;
      varMeans += d * d;
    }
    varMeans /= M - 1;
  }

  // Mean autocovariance at lags [0, ws.ready); extended on demand by extendLags.
  ws.ready = 0;
  extendLags(ws, M, N, 1);
  const meanVar = (acovMeans[0]! * N) / (N - 1);
  let varPlus = (meanVar * (N - 1)) / N;
  if (M > 1) varPlus += varMeans;

  // Geyer's initial positive sequence.
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acovMeans[1]!) / varPlus;
  rho[1] = rhoOdd;
  while (t < N - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    if (t + 1 >= ws.ready) extendLags(ws, M, N, t + 1);
    rhoEven = 1 - (meanVar - acovMeans[t]!) / varPlus;
    rhoOdd = 1 - (meanVar - acovMeans[t + 1]!) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    } else {
      rho[t] = 0;
      rho[t + 1] = 0;
    }
  }
  const maxT = t;
  // Used in the improved (antithetic-robust) estimate.
  if (rhoEven > 0) rho[maxT] = rhoEven;

  // Geyer's initial monotone sequence.
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    const previous = rho[t - 2]! + rho[t - 1]!;
    if (rho[t]! + rho[t + 1]! > previous) {
      rho[t] = previous / 2;
      rho[t + 1] = rho[t]!;
    }
  }

  // τ̂ = −1 + 2 Σ_{t<maxT} ρ̂_t + ρ̂_maxT (R's rho[1:max_t] is rho[1] alone when max_t = 0).
  let sum = 0;
  if (maxT === 0) sum = rho[0]!;
  else for (let k = 0; k < maxT; k++) sum += rho[k]!;
  let tau = -1 + 2 * sum + rho[maxT]!;
  const tauBound = 1 / Math.log10(S);
  if (tau < tauBound) {
    ws.capped = true;
    tau = tauBound;
  }
  return S / tau;
}

/** Runs the kernel on a packed matrix and records a cap warning on `set` under `measure`. */
function essOf(set: ChainSet, m: ChainMatrix, measure: string): number {
  const ess = essKernel(m.chains, m.iterations, m.values, 0, essWorkspace);
  if (essWorkspace.capped) set.warn(essCapWarning(set.parameter, measure, ess));
  return ess;
}

/** Scratch for a transform of one parameter's draws in split layout (reused: the kernel reads it at once). */
let scratch = /* @__PURE__ */ new Float64Array(0);

/**
 * A scratch matrix in the split layout of `set` (2M chains of ⌊N/2⌋ draws, or `set`'s own shape when
 * N ≤ 1) and where each draw goes in it (`positions`, −1 for a dropped middle draw; null: in place).
 * Fill it with a transform of the draws and pass it to {@link essOfSplitScratch} before the next call.
 */
export function splitScratch(set: ChainSet): {
  readonly matrix: ChainMatrix;
  readonly positions: Int32Array | null;
} {
  const N = set.iterations;
  const half = splitLength(N);
  const chains = N <= 1 ? set.chains : 2 * set.chains;
  if (scratch.length < chains * half) scratch = new Float64Array(Math.max(chains * half, 2 * scratch.length));
  return {
    matrix: { chains, iterations: half, values: scratch.subarray(0, chains * half) },
    positions: N <= 1 ? null : splitPositions(set.chains, N),
  };
}

/**
 * posterior's `ess_mean` of a transform of `set`'s draws, written in split layout by {@link splitScratch};
 * a cap is recorded as a warning on `set` under `measure`.
 */
export function essOfSplitScratch(set: ChainSet, m: ChainMatrix, measure: string): number {
  return essOf(set, m, measure);
}

/**
 * Basic ESS: of the split chains (or the chains as they are with `split = false`), no ranking —
 * the ESS for the mean when the draws have finite variance.
 *
 * Formula: ESS(splitChains(x)) with the kernel of {@link essKernel}.
 *
 * @param x - one array per chain (or a ChainSet)
 * @param split - whether to split each chain in half first (default true)
 * @returns the ESS; NaN for fewer than 3 draws per (split) chain, non-finite or constant draws
 * @example essBasic([[1, 3, 2, 5, 4, 6], [2, 1, 4, 3, 6, 5]]) // 6
 * @see Vehtari et al. (2021) §3.2, doi:10.1214/20-BA1221; Geyer (1992), doi:10.1214/ss/1177011137
 */
export function essBasic(x: DrawsInput, split = true): number {
  const set = ChainSet.of(x);
  return set.cached(split ? "ess_basic" : "ess_basic_unsplit", () =>
    essOf(set, split ? set.split() : set, split ? "ess_basic" : "ess_basic(split = FALSE)"),
  );
}

/**
 * ESS for the mean (posterior's `ess_mean`): the basic ESS of the split chains.
 *
 * Formula: ESS(splitChains(x)).
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns the ESS; NaN as {@link essBasic}
 * @example essMean([[1, 3, 2, 5, 4, 6], [2, 1, 4, 3, 6, 5]]) // 6
 * @see Gelman et al. (2013) Bayesian Data Analysis, 3rd ed., §11.5, doi:10.1201/b16018
 */
export function essMean(x: DrawsInput): number {
  return essBasic(x, true);
}

/**
 * Bulk ESS: the ESS of the rank-normalized split chains, a measure of sampling efficiency in the
 * bulk of the distribution that works without finite moments.
 *
 * Formula: ESS(zScale(splitChains(x))).
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns the ESS; NaN for constant draws, NaN draws or fewer than 3 draws per split chain
 * @example essBulk(x) // 3772.35 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Vehtari et al. (2021) §4.1, doi:10.1214/20-BA1221
 */
export function essBulk(x: DrawsInput): number {
  const set = ChainSet.of(x);
  return set.cached("ess_bulk", () => essOf(set, set.zSplit(), "ess_bulk"));
}

/**
 * ESS of a quantile: the ESS of the indicator I(x ≤ q̂_p) of the split chains.
 *
 * Formula: ESS(splitChains(1[x ≤ quantile(x, p)])), quantile of type 7; p = 1 is taken as
 * (S − 1/2)/S as in posterior.
 *
 * @param x - one array per chain (or a ChainSet)
 * @param prob - the probability p in [0, 1]
 * @returns the ESS; NaN for non-finite or constant draws, fewer than 3 draws per split chain, p outside [0, 1], or a constant indicator
 * @example essQuantile(x, 0.05) // 3385.19 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Vehtari et al. (2021) §4.3, doi:10.1214/20-BA1221
 */
export function essQuantile(x: DrawsInput, prob: number): number {
  checkNumberArgument(prob, "prob", "a probability", false);
  const set = ChainSet.of(x);
  if (!(prob >= 0 && prob <= 1)) return Number.NaN;
  const measure = `ess_q${formatPercent(prob)}`;
  return set.cached(`ess_quantile:${prob}`, () => {
    if (set.degenerate()) return Number.NaN;
    const p = prob === 1 ? (set.size - 0.5) / set.size : prob;
    const q = quantileOfSorted(set.sorted(), p);
    const { matrix, positions } = splitScratch(set);
    const out = matrix.values;
    const x = set.values;
    for (let i = 0; i < x.length; i++) {
      const at = positions === null ? i : positions[i]!;
      if (at >= 0) out[at] = x[i]! <= q ? 1 : 0;
    }
    return essOfSplitScratch(set, matrix, measure);
  });
}

/**
 * ESS of the median: {@link essQuantile} at 1/2.
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns the ESS; NaN as essQuantile
 * @example essMedian(x) // 3803.92 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Vehtari et al. (2021) §4.3, doi:10.1214/20-BA1221
 */
export function essMedian(x: DrawsInput): number {
  return essQuantile(x, 0.5);
}

/**
 * Tail ESS: the smaller of the ESS of the 5% and 95% quantiles.
 *
 * Formula: min(essQuantile(x, 0.05), essQuantile(x, 0.95)).
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns the ESS; NaN as essQuantile
 * @example essTail(x) // 3385.19 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Vehtari et al. (2021) §4.3, doi:10.1214/20-BA1221
 */
export function essTail(x: DrawsInput): number {
  const set = ChainSet.of(x);
  return set.cached("ess_tail", () => Math.min(essQuantile(set, 0.05), essQuantile(set, 0.95)));
}

/**
 * ESS for the standard deviation (posterior 1.4.0's `ess_sd`): the ESS of the absolute deviations
 * from the mean.
 *
 * Formula: ESS(splitChains(|x − x̄|)).
 *
 * @param x - one array per chain (or a ChainSet)
 * @returns the ESS; NaN for non-finite or constant draws, or fewer than 3 draws per split chain
 * @example essSd(x) // 4004.94 for the iid_normal fixture (4 chains of 1000 N(0, 1) draws)
 * @see Vehtari et al. (2021) §3.2, doi:10.1214/20-BA1221
 */
export function essSd(x: DrawsInput): number {
  const set = ChainSet.of(x);
  return set.cached("ess_sd", () => {
    const m = set.mean();
    const { matrix, positions } = splitScratch(set);
    const out = matrix.values;
    const x = set.values;
    for (let i = 0; i < x.length; i++) {
      const at = positions === null ? i : positions[i]!;
      if (at >= 0) out[at] = Math.abs(x[i]! - m);
    }
    return essOfSplitScratch(set, matrix, "ess_sd");
  });
}

/** "5" for 0.05, "97.5" for 0.975: posterior's names (`q5`, `ess_q97.5`). */
export function formatPercent(prob: number): string {
  return String(Number((prob * 100).toPrecision(12)));
}
