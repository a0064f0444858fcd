/**
 * `ChainSet`: one parameter's draws, packed chain-major, with the shared transforms computed once
 * and kept: the ascending order (one radix argsort gives sorted draws, ranks and the folded order),
 * moments, the split chains and their rank-normalized and folded versions. Every diagnostic accepts
 * either plain chains or a ChainSet; `summarizeDraws` makes one ChainSet per parameter so that ten
 * measures share one sort. Results are memoized by name; warnings raised while computing them (the
 * ESS cap) are kept as values in `warnings`.
 */
import { checkChainsArgument } from "../src/validate";
import { stableMean, stableVariance } from "./moments";
import { argsortKernel, SortWorkspace } from "./sort";
import {
  type ChainDraws,
  type ChainMatrix,
  foldOrderKernel,
  medianOfSorted,
  normalScoresKernel,
  normalScoreTable,
  packChains,
  splitLength,
  splitMatrix,
  splitPositions,
} from "./transforms";
import type { DiagnosticWarning } from "./warnings";

/** What every diagnostic accepts: chains (one array each), one flat array (one chain), or a ChainSet. */
export type DrawsInput = ChainDraws | ArrayLike<number> | ChainSet;

/** R's `.Machine$double.eps`: posterior calls draws constant when max − min is below it. */
const DOUBLE_EPS = 2.220446049250313e-16;

/** One sort workspace for the whole module: kernels are synchronous, so calls never overlap. */
const sortWorkspace = /* @__PURE__ */ new SortWorkspace();

/**
 * One parameter's draws (chain-major) and the transforms and results computed from them, kept for
 * reuse. Build with `ChainSet.of(chains, name)`; pass to any diagnostic; read `warnings` afterwards.
 *
 * @example const s = ChainSet.of(chainsOf(draws, "sigma2"), "sigma2"); [rhat(s), essBulk(s), s.warnings]
 */
export class ChainSet implements ChainMatrix {
  readonly chains: number;
  readonly iterations: number;
  /** Chain-major draws: `values[c * iterations + t]`. Treat as read-only: results are memoized. */
  readonly values: Float64Array;
  /** The parameter's name, used in warnings (may be undefined for anonymous draws). */
  readonly parameter: string | undefined;
  private readonly memo = new Map<string, unknown>();
  private readonly raised: DiagnosticWarning[] = [];

  constructor(m: ChainMatrix, parameter?: string) {
    this.chains = m.chains;
    this.iterations = m.iterations;
    this.values = m.values;
    this.parameter = parameter;
  }

  /**
   * A ChainSet of `x`: x itself if it is one; chains (one array each, copied and checked for equal
   * lengths); or one flat array taken as a single chain.
   *
   * @throws ArgumentError if chains differ in length or are not arrays of numbers
   */
  static of(x: DrawsInput, parameter?: string): ChainSet {
    if (x instanceof ChainSet) return x;
    checkChainsArgument(x);
    const first = x.length > 0 ? x[0] : undefined;
    if (typeof first === "object" && first !== null)
      return new ChainSet(packChains(x as ChainDraws), parameter);
    if (x.length === 0)
      return new ChainSet({ chains: 0, iterations: 0, values: new Float64Array(0) }, parameter);
    return new ChainSet(packChains([x as ArrayLike<number>]), parameter);
  }

  /** Total number of draws, chains × iterations. */
  get size(): number {
    return this.values.length;
  }

  /** Warnings raised while computing this parameter's diagnostics (e.g. the ESS cap), each once. */
  get warnings(): readonly DiagnosticWarning[] {
    return this.raised;
  }

  /** Records a warning once (by kind and measure). */
  warn(warning: DiagnosticWarning): void {
    if (!this.raised.some((w) => w.kind === warning.kind && w.measure === warning.measure))
      this.raised.push(warning);
  }

  /** `compute()` the first time, the kept value afterwards. */
  cached<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  /** Whether any draw is NaN or ±Infinity. */
  hasNonFinite(): boolean {
    return this.cached("nonFinite", () => {
      const v = this.values;
      for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return true;
      return false;
    });
  }

  /**
   * Whether all draws are equal to within R's double epsilon, as posterior's `is_constant` (an
   * absolute tolerance) — except draws all of one sign that vary relative to their magnitude:
   * a variance near 1e-298 (y × 1e-150) that does vary is not taken for constant, so that the
   * diagnostics do not depend on the units of the data.
   */
  isConstant(): boolean {
    return this.cached("constant", () => {
      const s = this.sorted();
      if (s.length === 0) return true;
      const lo = s[0]!;
      const hi = s[s.length - 1]!;
      const range = hi - lo;
      if (!(range < DOUBLE_EPS)) return false;
      const oneSign = lo > 0 || hi < 0;
      return !(oneSign && range > DOUBLE_EPS * Math.max(Math.abs(lo), Math.abs(hi)));
    });
  }

  /** posterior's `should_return_NA`: no draws, a non-finite draw, or all draws constant. */
  degenerate(): boolean {
    return this.size === 0 || this.hasNonFinite() || this.isConstant();
  }

  /** Ascending order of all draws (stable; NaN last). */
  order(): Uint32Array {
    return this.cached("order", () => {
      const order = new Uint32Array(this.size);
      argsortKernel(this.size, this.values, 1, 0, order, 0, sortWorkspace);
      return order;
    });
  }

  /** All draws pooled, ascending (NaN last). */
  sorted(): Float64Array {
    return this.cached("sorted", () => {
      const order = this.order();
      const out = new Float64Array(this.size);
      for (let i = 0; i < out.length; i++) out[i] = this.values[order[i]!]!;
      return out;
    });
  }

  /** Mean of all draws (R's two-pass mean; scaled where the sum would overflow: ./moments). */
  mean(): number {
    return this.cached("mean", () => stableMean(this.size, this.values, 0));
  }

  /** Sample variance of all draws (denominator S − 1; NaN for fewer than 2 draws). */
  variance(): number {
    const { scale, value } = this.scaledVariance();
    return scale === 1 ? value : scale * scale * value;
  }

  /** Sample standard deviation of all draws: finite whenever the draws are, even if the variance is not. */
  sd(): number {
    const { scale, value } = this.scaledVariance();
    return scale * Math.sqrt(value);
  }

  /** The variance as scale² · value (./moments). */
  private scaledVariance(): { scale: number; value: number } {
    return this.cached("variance", () => stableVariance(this.size, this.values, 0, this.mean()));
  }

  /** Median of all draws (NaN if any is NaN). */
  median(): number {
    return this.cached("median", () => medianOfSorted(this.sorted()));
  }

  /** The split chains (2M chains of ⌊N/2⌋ draws). */
  split(): ChainMatrix {
    return this.cached("split", () => splitMatrix(this));
  }

  /** 0/1 per draw: 0 for the middle draw of each chain that splitting drops (odd N), else null. */
  private splitInclude(): Uint8Array | null {
    const N = this.iterations;
    if (N <= 1 || N % 2 === 0) return null;
    return this.cached("splitInclude", () => {
      const include = new Uint8Array(this.size).fill(1);
      for (let c = 0; c < this.chains; c++) include[c * N + (N >> 1)] = 0;
      return include;
    });
  }

  /** Rank normalization of the split chains: `zScale(splitChains(x))`. */
  zSplit(): ChainMatrix {
    return this.cached("zSplit", () => this.normalScoresOfSplit(this.sorted(), this.order()));
  }

  /**
   * The folded draws |x_i − median(x)| in ascending order and that order (indices of draws), by an
   * O(S) merge around the median (no second sort). All NaN (identity order) when the median is NaN.
   */
  folded(): { readonly sorted: Float64Array; readonly order: Uint32Array } {
    return this.cached("folded", () => {
      const S = this.size;
      const center = this.median();
      const sorted = new Float64Array(S);
      const order = new Uint32Array(S);
      if (!Number.isNaN(center)) foldOrderKernel(S, this.sorted(), this.order(), center, sorted, order);
      else {
        sorted.fill(Number.NaN);
        for (let i = 0; i < S; i++) order[i] = i;
      }
      return { sorted, order };
    });
  }

  /** Rank normalization of the folded split chains: `zScale(splitChains(fold(x)))`. */
  zFoldedSplit(): ChainMatrix {
    return this.cached("zFoldedSplit", () => {
      const { sorted, order } = this.folded();
      return this.normalScoresOfSplit(sorted, order);
    });
  }

  /** Normal scores of values given ascending (`sorted`, `order`), ranked among the split set, in split layout. */
  private normalScoresOfSplit(sorted: Float64Array, order: Uint32Array): ChainMatrix {
    const M = this.chains;
    const N = this.iterations;
    const half = splitLength(N);
    const M2 = N <= 1 ? M : 2 * M;
    const S = M2 * half;
    const out = new Float64Array(S);
    const position = N <= 1 ? null : splitPositions(M, N);
    normalScoresKernel(this.size, sorted, order, this.splitInclude(), S, normalScoreTable(S), position, out);
    return { chains: M2, iterations: half, values: out };
  }
}
