/**
 * Oracle tests of the sampler's parts against naive dense versions: the compiled cross-products
 * against W'W built densely; the location draw's distribution against the dense Gaussian full
 * conditional N(Q^-1 c, Q^-1) (joint and by-factor blocks); the residual sum of squares against a pass
 * over the rows; the Psi draw against the inverse-Wishart moments; withResponse against compiling.
 */
import { describe, expect, it } from "vitest";
import { compileModel } from "../../samplers/compile";
import { drawLocation, locationScratch } from "../../samplers/drawLocation";
import { drawPsi, psiScratch } from "../../samplers/drawPsi";
import { residualSumOfSquares } from "../../samplers/drawSigma2";
import { withResponse } from "../../samplers/response";
import { allocateState, type ChainState, initializeState, invertSpd } from "../../samplers/state";
import type { SamplerModel } from "../../samplers/types";
import type { LmmModel } from "../../src/model/types";
import { resolvePriors } from "../../src/priors/resolve";
import { Random } from "../../src/random/generator";
import { normal } from "../../src/random/normal";
import { handModel, MODELS } from "./models";

/** Dense W = [Z_1 ... Z_K X] (n × d) with the factor blocks in factor order, then X. */
function denseW(model: LmmModel, compiled: SamplerModel): { W: Float64Array; d: number; offsets: number[] } {
  const offsets: number[] = [];
  let d = 0;
  for (const f of compiled.factors) {
    offsets.push(d);
    d += f.m * f.q;
  }
  offsets.push(d);
  d += model.p;
  const W = new Float64Array(model.n * d);
  for (let i = 0; i < model.n; i++) {
    compiled.factors.forEach((f, k) => {
      for (let a = 0; a < f.q; a++) W[i * d + offsets[k]! + f.refs[i]! * f.q + a] = f.values[i * f.q + a]!;
    });
    for (let t = 0; t < model.p; t++)
      W[i * d + offsets[compiled.factors.length]! + t] = model.X[i * model.p + t]!;
  }
  return { W, d, offsets };
}

function crossprod(n: number, d: number, A: Float64Array, B: Float64Array, db: number): Float64Array {
  const out = new Float64Array(d * db);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < db; b++) out[a * db + b]! += A[i * d + a]! * B[i * db + b]!;
  return out;
}

function denseInverse(d: number, a: Float64Array): Float64Array {
  const out = new Float64Array(d * d);
  if (!invertSpd(d, a, out)) throw new Error("not PD");
  return out;
}

/** A state with random-ish Psi and sigma2 (dispersed start) for `model`. */
function stateFor(compiled: SamplerModel, seed: number): ChainState {
  const state = allocateState(compiled);
  initializeState(compiled, state, Random.fromSeed(seed), undefined, 0);
  return state;
}

describe("compiled cross-products equal the dense ones", () => {
  for (const name of [
    "sleep_slope",
    "penicillin",
    "pastes",
    "sleep_uncor",
    "sleep_quad",
    "dyestuff_nofixed",
  ] as const)
    it(name, () => {
      const model = MODELS[name]();
      const compiled = compileModel(model, resolvePriors(model), "joint");
      const cp = compiled.crossProducts;
      const { W, d, offsets } = denseW(model, compiled);
      const WtW = crossprod(model.n, d, W, W, d);
      const Wty = crossprod(model.n, d, W, compiled.ytilde, 1);
      const close = (a: number, b: number) =>
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b)));
      const K = compiled.factors.length;
      const xo = offsets[K]!;
      compiled.factors.forEach((f, k) => {
        for (let l = 0; l < f.m; l++)
          for (let a = 0; a < f.q; a++) {
            const ra = offsets[k]! + l * f.q + a;
            close(cp.zy[k]![l * f.q + a]!, Wty[ra]!);
            for (let b = 0; b < f.q; b++)
              close(cp.zz[k]![l * f.q * f.q + a * f.q + b]!, WtW[ra * d + offsets[k]! + l * f.q + b]!);
            for (let t = 0; t < model.p; t++)
              close(cp.zx[k]![(l * f.q + a) * model.p + t]!, WtW[ra * d + xo + t]!);
          }
      });
      // Every coupling entry, and zero wherever no entry is listed.
      for (const pair of cp.pairs) {
        const fa = compiled.factors[pair.a]!;
        const fb = compiled.factors[pair.b]!;
        const listed = new Set<number>();
        for (let i = 0; i < fa.m; i++)
          for (let e = pair.ptr[i]!; e < pair.ptr[i + 1]!; e++) {
            const l = pair.idx[e]!;
            listed.add(i * fb.m + l);
            for (let a = 0; a < fa.q; a++)
              for (let b = 0; b < fb.q; b++)
                close(
                  pair.val[(e * fa.q + a) * fb.q + b]!,
                  WtW[(offsets[pair.a]! + i * fa.q + a) * d + offsets[pair.b]! + l * fb.q + b]!,
                );
          }
        for (let i = 0; i < fa.m; i++)
          for (let l = 0; l < fb.m; l++)
            if (!listed.has(i * fb.m + l))
              expect(WtW[(offsets[pair.a]! + i * fa.q) * d + offsets[pair.b]! + l * fb.q]).toBe(0);
      }
      for (let a = 0; a < model.p; a++) {
        close(cp.xy[a]!, Wty[xo + a]!);
        for (let b = 0; b < model.p; b++) close(cp.xx[a * model.p + b]!, WtW[(xo + a) * d + xo + b]!);
      }
      let yy = 0;
      for (const v of compiled.ytilde) yy += v * v;
      close(cp.yy, yy);
    });

  it("withResponse(compiled, y) reproduces the compiled response cross-products", () => {
    const model = MODELS.penicillin();
    const compiled = compileModel(model, resolvePriors(model), "joint");
    const again = withResponse(compiled, model.y, null);
    compiled.crossProducts.zy.forEach((zy, k) => {
      for (let t = 0; t < zy.length; t++) expect(again.crossProducts.zy[k]![t]).toBeCloseTo(zy[t]!, 9);
    });
    for (let t = 0; t < model.p; t++)
      expect(again.crossProducts.xy[t]).toBeCloseTo(compiled.crossProducts.xy[t]!, 9);
    expect(again.crossProducts.yy / compiled.crossProducts.yy).toBeCloseTo(1, 12);
    expect(again.blocks[0]!.crossProducts.yy).toBe(again.crossProducts.yy);
  });
});

/** The residual sum of squares at the state's values, by a pass over the rows. */
function directRss(model: LmmModel, compiled: SamplerModel, state: ChainState): number {
  let direct = 0;
  for (let i = 0; i < model.n; i++) {
    let fit = 0;
    for (let t = 0; t < model.p; t++)
      fit += model.X[i * model.p + t]! * (compiled.beta0[t]! + state.delta[t]!);
    compiled.factors.forEach((f, k) => {
      for (let a = 0; a < f.q; a++) fit += f.values[i * f.q + a]! * state.b[k]![f.refs[i]! * f.q + a]!;
    });
    direct += (model.y[i]! - (model.offset === null ? 0 : model.offset[i]!) - fit) ** 2;
  }
  return direct;
}

/**
 * The location draw's full conditional, densely: theta = (b_1..b_K, delta) with precision
 * Q = W'W/sigma2 + blockdiag(I ⊗ Psi_k^-1, Sigma^-1) and canonical mean c = W'(ytilde - fixed)/sigma2
 * + (0, Sigma^-1 (mu - beta0)). `free` selects the coordinates drawn (the rest are held at the state's).
 */
function denseConditional(
  model: LmmModel,
  compiled: SamplerModel,
  state: ChainState,
  free: (k: number) => boolean,
) {
  const { W, d, offsets } = denseW(model, compiled);
  const theta = new Float64Array(d);
  compiled.factors.forEach((_, k) => {
    theta.set(state.b[k]!, offsets[k]!);
  });
  theta.set(state.delta, offsets[compiled.factors.length]!);
  const K = compiled.factors.length;
  const blockOf = (c: number) => {
    for (let k = K; k >= 0; k--) if (c >= offsets[k]!) return k;
    return 0;
  };
  const freeCols = Array.from({ length: d }, (_, c) => c).filter((c) => free(blockOf(c)));
  const df = freeCols.length;
  // working response: ytilde minus the fixed coordinates' fit
  const r = Float64Array.from(compiled.ytilde);
  for (let i = 0; i < model.n; i++)
    for (let c = 0; c < d; c++) if (!free(blockOf(c))) r[i]! -= W[i * d + c]! * theta[c]!;
  const Q = new Float64Array(df * df);
  const cvec = new Float64Array(df);
  const s = 1 / state.sigma2;
  freeCols.forEach((ca, a) => {
    for (let i = 0; i < model.n; i++) cvec[a]! += W[i * d + ca]! * r[i]! * s;
    freeCols.forEach((cb, b) => {
      let v = 0;
      for (let i = 0; i < model.n; i++) v += W[i * d + ca]! * W[i * d + cb]!;
      Q[a * df + b] = v * s;
    });
  });
  freeCols.forEach((ca, a) => {
    const k = blockOf(ca);
    freeCols.forEach((cb, b) => {
      if (blockOf(cb) !== k) return;
      if (k < K) {
        const f = compiled.factors[k]!;
        const la = Math.floor((ca - offsets[k]!) / f.q);
        const lb = Math.floor((cb - offsets[k]!) / f.q);
        if (la === lb)
          Q[a * df + b]! +=
            state.precision[k]![((ca - offsets[k]!) % f.q) * f.q + ((cb - offsets[k]!) % f.q)]!;
      } else Q[a * df + b]! += compiled.betaPrecision[(ca - offsets[K]!) * model.p + (cb - offsets[K]!)]!;
    });
    if (k === K) cvec[a]! += compiled.betaPrecisionMean[ca - offsets[K]!]!;
  });
  const cov = denseInverse(df, Q);
  const mean = new Float64Array(df);
  for (let a = 0; a < df; a++) for (let b = 0; b < df; b++) mean[a]! += cov[a * df + b]! * cvec[b]!;
  const read = (st: ChainState) =>
    freeCols.map((c) => {
      const k = blockOf(c);
      return k < K ? st.b[k]![c - offsets[k]!]! : st.delta[c - offsets[K]!]!;
    });
  return { mean, cov, df, read };
}

function checkDraws(
  draws: number[][],
  target: { mean: Float64Array; cov: Float64Array; df: number },
  label: string,
): void {
  const n = draws.length;
  for (let a = 0; a < target.df; a++) {
    let m = 0;
    for (const x of draws) m += x[a]! / n;
    let v = 0;
    for (const x of draws) v += (x[a]! - m) ** 2 / (n - 1);
    const sd = Math.sqrt(target.cov[a * target.df + a]!);
    // mean within 4.5 standard errors; variance within 6% (sd of a variance estimate: sqrt(2/n) = 1%)
    expect(Math.abs(m - target.mean[a]!), `${label} coordinate ${a} mean`).toBeLessThan(
      (4.5 * sd) / Math.sqrt(n),
    );
    expect(Math.abs(v / sd ** 2 - 1), `${label} coordinate ${a} variance`).toBeLessThan(0.06);
  }
}

describe("location draw: its distribution is the dense Gaussian full conditional", () => {
  const N = 20_000;
  for (const name of ["sleep_slope", "penicillin", "sleep_uncor", "sleep_quad", "dyestuff_nofixed"] as const)
    it(`${name}, joint`, () => {
      const model = MODELS[name]();
      const compiled = compileModel(model, resolvePriors(model), "joint");
      const state = stateFor(compiled, 3);
      const target = denseConditional(model, compiled, state, () => true);
      const rng = Random.fromSeed(99);
      const draws: number[][] = [];
      const scratch = locationScratch(compiled, 0);
      for (let t = 0; t < N; t++) {
        drawLocation(compiled, 0, state, scratch, rng, compiled.blocks[0]!.crossProducts);
        draws.push(target.read(state));
      }
      checkDraws(draws, target, name);
    });

  it("penicillin, by-factor block of factor 1 (b_1 and beta given b_0)", async () => {
    const { drawByFactor, byFactorScratch } = await import("../../samplers/drawByFactor");
    const model = MODELS.penicillin();
    const compiled = compileModel(model, resolvePriors(model), "by-factor");
    const state = stateFor(compiled, 4);
    const rng = Random.fromSeed(7);
    for (let j = 0; j < state.b[0]!.length; j++) state.b[0]![j] = normal(rng);
    const target = denseConditional(model, compiled, state, (k) => k !== 0);
    const scratch = byFactorScratch(compiled, 1);
    const draws: number[][] = [];
    for (let t = 0; t < N; t++) {
      drawByFactor(compiled, 1, state, scratch, rng);
      draws.push(target.read(state));
    }
    checkDraws(draws, target, "by-factor");
    // the residual sum of squares read off the block's factor is the rows' one
    expect(residualSumOfSquares(compiled, state) / directRss(model, compiled, state)).toBeCloseTo(1, 9);
  });
});

describe("by-factor block with a small factor riding along (large lead + small factor + beta)", () => {
  it("Exam: (standLRT | school) leads (130 effects), (1 | intake) rides: the step is the dense joint conditional", async () => {
    const { drawByFactor, byFactorScratch } = await import("../../samplers/drawByFactor");
    const model = handModel(
      "Exam",
      "normexam ~ standLRT + (standLRT | school) + (1 | intake)",
      "normexam",
      ["1", "standLRT"],
      [
        { group: ["school"], intercept: true, slopes: ["standLRT"] },
        { group: ["intake"], intercept: true, slopes: [] },
      ],
    );
    const compiled = compileModel(model, resolvePriors(model), "by-factor");
    expect(compiled.blocks).toHaveLength(1);
    expect(Array.from(compiled.blocks[0]!.factors).map((k) => compiled.factors[k]!.group)).toEqual([
      "school",
      "intake",
    ]);
    const state = stateFor(compiled, 9);
    const target = denseConditional(model, compiled, state, () => true);
    const rng = Random.fromSeed(10);
    const draws: number[][] = [];
    const scratch = byFactorScratch(compiled, 0);
    for (let t = 0; t < 8000; t++) {
      drawByFactor(compiled, 0, state, scratch, rng);
      draws.push(target.read(state));
    }
    checkDraws(draws, target, "exam by-factor");
    expect(residualSumOfSquares(compiled, state) / directRss(model, compiled, state)).toBeCloseTo(1, 9);
  });
});

describe("residual sum of squares from cross-products equals a pass over the rows", () => {
  for (const name of [
    "sleep_slope",
    "penicillin",
    "pastes",
    "exam",
    "sleep_quad",
    "dyestuff_nofixed",
  ] as const)
    it(name, () => {
      const model = MODELS[name]();
      const compiled = compileModel(model, resolvePriors(model), "joint");
      const state = stateFor(compiled, 5);
      drawLocation(
        compiled,
        0,
        state,
        locationScratch(compiled, 0),
        Random.fromSeed(1),
        compiled.blocks[0]!.crossProducts,
      );
      let direct = 0;
      for (let i = 0; i < model.n; i++) {
        let fit = 0;
        for (let t = 0; t < model.p; t++)
          fit += model.X[i * model.p + t]! * (compiled.beta0[t]! + state.delta[t]!);
        compiled.factors.forEach((f, k) => {
          for (let a = 0; a < f.q; a++) fit += f.values[i * f.q + a]! * state.b[k]![f.refs[i]! * f.q + a]!;
        });
        direct += (model.y[i]! - fit) ** 2;
      }
      expect(residualSumOfSquares(compiled, state) / direct).toBeCloseTo(1, 9);
    });
});

describe("Psi draw: inverse-Wishart(df + m, scale + sum b b') moments", () => {
  it("q = 2 block: mean (B / (nu - q - 1)) and the precision is Psi's inverse", () => {
    const model = MODELS.sleep_slope();
    const compiled = compileModel(
      model,
      resolvePriors(model, {
        psi: {
          Subject: {
            df: 4,
            scale: [
              [3, 1],
              [1, 2],
            ],
          },
        },
      }),
    );
    const state = stateFor(compiled, 6);
    const rng = Random.fromSeed(8);
    const b = state.b[0]!;
    for (let k = 0; k < b.length; k++) b[k] = normal(rng) * (k % 2 === 0 ? 3 : 1);
    const B = [3, 1, 1, 2];
    for (let j = 0; j < 18; j++)
      for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) B[r * 2 + c]! += b[j * 2 + r]! * b[j * 2 + c]!;
    const nu = 4 + 18;
    const expected = B.map((v) => v / (nu - 2 - 1));
    const N = 40_000;
    const sum = [0, 0, 0, 0];
    const scratch = psiScratch(compiled, 0);
    for (let t = 0; t < N; t++) {
      drawPsi(compiled, 0, state, scratch, rng);
      for (let k = 0; k < 4; k++) sum[k]! += state.psi[0]![k]! / N;
      if (t < 50) {
        const psi = state.psi[0]!;
        const prec = state.precision[0]!;
        // psi × prec = I
        expect(psi[0]! * prec[0]! + psi[1]! * prec[2]!).toBeCloseTo(1, 9);
        expect(psi[0]! * prec[1]! + psi[1]! * prec[3]!).toBeCloseTo(0, 9);
      }
    }
    // Var(Psi_ij) for nu' = 22, q = 2 gives sd of the mean below 0.4% of the diagonal: 2% tolerance.
    for (let k = 0; k < 4; k++)
      expect(Math.abs(sum[k]! - expected[k]!)).toBeLessThan(0.02 * Math.sqrt(expected[0]! * expected[3]!));
  });
});
