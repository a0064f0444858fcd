/**
 * Effective sample size (ESS): the kernel (Geyer's initial monotone sequence over the multi-chain
 * autocorrelation, Vehtari et al. 2021 §3.2) and the estimators composed from it — basic/mean, bulk,
 * tail, quantile, median, sd — exactly as the R package posterior 1.4.0 defines them.
 */
import {
  autocovarianceDirectKernel,
  autocovarianceFftKernel,
  fftPaysOff,
  meanKernel,
} from "./autocovariance";
import { ChainSet, type DrawsInput } from "./chain-set";
import { nextPowerOfTwo } from "./fft";
import { quantileOfSorted } from "./statistics";
import { type ChainMatrix, splitMatrix } from "./transforms";
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

const essWorkspace = new EssWorkspace();

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
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = offsetX; i < offsetX + S; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) return Number.NaN;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max - min < DOUBLE_EPS) return Number.NaN;
  ws.ensure(M, N);
  const { centered, acov, acovMeans, rho, constantChain, chainMeans } = ws;

  // Center each chain; note the chain means and which chains are constant.
  let meanOfMeans = 0;
  for (let c = 0; c < M; c++) {
    const start = offsetX + c * N;
    const m = meanKernel(N, x, start);
    chainMeans[c] = m;
    meanOfMeans += m;
    let lo = x[start]!;
    let hi = lo;
    for (let t = 0; t < N; t++) {
      const v = x[start + t]!;
      centered[c * N + t] = v - m;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    constantChain[c] = hi === lo ? 1 : 0;
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

  // Mean autocovariance at lags [0, ready); extended on demand.
  let ready = 0;
  let byFft = false;
  const need = (lag: number): void => {
    if (lag < ready) return;
    if (!byFft && fftPaysOff(N, lag + 1)) {
      byFft = true;
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
      ready = N;
      return;
    }
    // Blocks of 8 lags: the Geyer scan asks for two more at a time.
    const upto = Math.min(N, lag + 8);
    acovMeans.fill(0, ready, upto);
    for (let c = 0; c < M; c++) {
      if (constantChain[c] === 1) continue;
      autocovarianceDirectKernel(N, centered, c * N, ready, upto, acov, c * N);
      for (let k = ready; k < upto; k++) acovMeans[k] = acovMeans[k]! + acov[c * N + k]!;
    }
    for (let k = ready; k < upto; k++) acovMeans[k] = acovMeans[k]! / M;
    ready = upto;
  };

  need(1);
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
    need(t + 1);
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

/**
 * posterior's `ess_mean` of a transform `m` of `set`'s draws (same chains × iterations): the ESS of
 * its split chains; a cap is recorded as a warning on `set` under `measure`.
 */
export function essMeanOfTransform(set: ChainSet, m: ChainMatrix, measure: string): number {
  return essOf(set, splitMatrix(m), measure);
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
  const set = ChainSet.of(x);
  if (!(prob >= 0 && prob <= 1)) return Number.NaN;
  const measure = `ess_q${formatPercent(prob)}`;
  return set.cached(`ess_quantile:${prob}`, () => {
    if (set.degenerate()) return Number.NaN;
    const p = prob === 1 ? (set.size - 0.5) / set.size : prob;
    const q = quantileOfSorted(set.sorted(), p);
    const indicator = new Float64Array(set.size);
    for (let i = 0; i < indicator.length; i++) indicator[i] = set.values[i]! <= q ? 1 : 0;
    return essMeanOfTransform(
      set,
      { chains: set.chains, iterations: set.iterations, values: indicator },
      measure,
    );
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
    const deviations = set.values.map((v) => Math.abs(v - m));
    return essMeanOfTransform(
      set,
      { chains: set.chains, iterations: set.iterations, values: deviations },
      "ess_sd",
    );
  });
}

/** "5" for 0.05, "97.5" for 0.975: posterior's names (`q5`, `ess_q97.5`). */
export function formatPercent(prob: number): string {
  return String(Number((prob * 100).toPrecision(12)));
}
