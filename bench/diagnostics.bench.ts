/**
 * Diagnostics and draws CSV, timed: `npm run bench -- diagnostics`.
 *
 * 1. summarizeDraws on 4 chains × 5,000 draws × 1,000 parameters (AR(1) draws, φ = 0, 0.1, ..., 0.9
 *    across parameters, as a sampler's output mixes well and badly mixing parameters): posterior's
 *    default columns and `bayes-lmm diagnose`'s columns. Median of 5 repeats.
 * 2. The shared sort of one parameter's 20,000 draws: radix argsort (what ChainSet does) against
 *    `Float64Array.prototype.sort` followed by a binary search per draw for its average rank.
 * 3. Autocovariance of one sequence: a direct lag vs all lags by FFT, and the crossover that
 *    `fftPaysOff` encodes.
 * 4. FFT: fft.js (used) against a plain iterative radix-2 transform (the alternative we measured).
 * 5. Draws CSV: write and read 20,000 rows × 1,000 parameters; d3-dsv's parser on a slice for scale.
 *
 * Every figure is the median of repeats (machine load from other processes on these 2 cores varies);
 * the range is shown beside it.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParseRows } from "d3-dsv";
import { autocovarianceDirectKernel, autocovarianceFftKernel } from "../diagnostics/autocovariance";
import { fftKernel, nextPowerOfTwo } from "../diagnostics/fft";
import { argsortKernel, SortWorkspace } from "../diagnostics/sort";
import { DEFAULT_MEASURES, DIAGNOSE_MEASURES, summarizeDraws } from "../diagnostics/summarize";
import { gibbsSync } from "../samplers/gibbs";
import { createDraws } from "../src/draws/draws";
import type { Draws } from "../src/draws/types";
import { lmm } from "../src/model/lmm";
import { readDrawsCsv, writeDrawsCsv } from "../src/node/draws-file";
import { Random } from "../src/random/generator";
import { normal } from "../src/random/normal";
import { normalQuantile } from "../src/stats/distributions";
import { median } from "./timing";

/** Milliseconds of each of `repeats` runs of f (after one warm-up run unless `warm` is false). */
function time(repeats: number, f: () => unknown, warm = true): number[] {
  if (warm) f();
  const out: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    f();
    out.push(performance.now() - t0);
  }
  return out;
}

function fmt(x: number, digits = 3): string {
  return x >= 100 ? x.toFixed(0) : x.toPrecision(digits);
}

function range(ms: readonly number[], scale = 1): string {
  return `${fmt(Math.min(...ms) * scale)}–${fmt(Math.max(...ms) * scale)}`;
}

/** P parameters × C chains × N draws of AR(1) processes, φ = (k mod 10)/10 for parameter k. */
function ar1Draws(P: number, C: number, N: number, seed: number): Draws {
  const d = createDraws(
    Array.from({ length: P }, (_, k) => `theta[${k + 1}]`),
    C,
    N,
  );
  const rng = Random.fromSeed(seed);
  for (let k = 0; k < P; k++) {
    const phi = (k % 10) / 10;
    const scale = Math.sqrt(1 - phi * phi);
    for (let c = 0; c < C; c++) {
      let x = normalQuantile(rng.uniform());
      const start = (k * C + c) * N;
      for (let t = 0; t < N; t++) {
        if (t > 0) x = phi * x + scale * normalQuantile(rng.uniform());
        d.values[start + t] = x;
      }
    }
  }
  return d;
}

/** The iterative radix-2 FFT we measured fft.js against (interleaved complex, in place on a copy). */
function radix2(n: number, re: Float64Array, im: Float64Array): void {
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size >> 1;
    for (let k = 0; k < half; k++) {
      const wr = Math.cos((-2 * Math.PI * k) / size);
      const wi = Math.sin((-2 * Math.PI * k) / size);
      for (let a = k; a < n; a += size) {
        const b = a + half;
        const tr = re[b]! * wr - im[b]! * wi;
        const ti = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
    }
  }
}

const line = (s = ""): void => {
  process.stdout.write(`${s}\n`);
};

// 1. summarizeDraws ------------------------------------------------------------------------------
{
  const P = 1000;
  const draws = ar1Draws(P, 4, 5000, 1);
  line("### summarizeDraws: 4 chains × 5,000 draws × 1,000 parameters");
  line();
  line("| columns | median (s) | range (s) | per parameter (ms) | repeats |");
  line("|---|---:|---:|---:|---:|");
  for (const [label, measures] of [
    ["posterior's default (mean, median, sd, mad, q5, q95, rhat, ess_bulk, ess_tail)", DEFAULT_MEASURES],
    [
      "`bayes-lmm diagnose` (mean, sd, median, q5, q95, rhat, ess_bulk, ess_tail, mcse_mean, mcse_sd)",
      [...DIAGNOSE_MEASURES],
    ],
  ] as const) {
    const ms = time(5, () => summarizeDraws(draws, measures), false);
    line(`| ${label} | ${fmt(median(ms) / 1000)} | ${range(ms, 1 / 1000)} | ${fmt(median(ms) / P)} | 5 |`);
  }
  line();
}

// 1b. Beside the sampling time of a model that size ---------------------------------------------
// y ~ x + (x | g) with 500 groups × 10 rows: 2 + 3 + 1 + 1,000 random effects = 1,006 parameters.
{
  const rng = Random.fromSeed(7);
  const rows: { y: number; x: number; g: string }[] = [];
  for (let j = 0; j < 500; j++) {
    const a = 2 * normal(rng);
    const b = normal(rng);
    for (let t = 0; t < 10; t++) rows.push({ x: t, g: `g${j}`, y: 1 + 0.5 * t + a + b * t + normal(rng) });
  }
  const model = lmm("y ~ x + (x | g)", rows);
  const sampling: number[] = [];
  const summarizing: number[] = [];
  let parameters = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const posterior = gibbsSync(model, { iter: 5000, warmup: 1000, chains: 4, seed: r + 1 });
    const t1 = performance.now();
    summarizeDraws(posterior);
    sampling.push(t1 - t0);
    summarizing.push(performance.now() - t1);
    parameters = posterior.parameters.length;
  }
  line(
    `### Beside sampling: y ~ x + (x | g), 500 groups × 10 rows, ${parameters} parameters, 4 × (1,000 + 5,000)`,
  );
  line();
  line("| step | median (s) | range (s) | repeats |");
  line("|---|---:|---:|---:|");
  line(`| gibbsSync (serial) | ${fmt(median(sampling) / 1000)} | ${range(sampling, 1 / 1000)} | 3 |`);
  line(
    `| summarizeDraws, posterior's default columns | ${fmt(median(summarizing) / 1000)} | ${range(summarizing, 1 / 1000)} | 3 |`,
  );
  line();
}

// 2. The shared sort -----------------------------------------------------------------------------
{
  const S = 20_000;
  const rng = Random.fromSeed(2);
  const x = Float64Array.from({ length: S }, () => normalQuantile(rng.uniform()));
  const order = new Uint32Array(S);
  const ws = new SortWorkspace();
  const ranks = new Float64Array(S);
  const radix = time(50, () => argsortKernel(S, x, 1, 0, order, 0, ws));
  const native = time(50, () => {
    const sorted = x.slice().sort();
    for (let i = 0; i < S; i++) {
      const v = x[i]!;
      let lo = 0;
      let hi = S;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if (sorted[m]! < v) lo = m + 1;
        else hi = m;
      }
      let up = lo;
      while (up < S && sorted[up] === v) up++;
      ranks[i] = (lo + 1 + up) / 2;
    }
  });
  line("### Sorted draws and ranks of one parameter (20,000 draws)");
  line();
  line("| method | median (ms) | range (ms) |");
  line("|---|---:|---:|");
  line(`| radix argsort (ChainSet.order) | ${fmt(median(radix))} | ${range(radix)} |`);
  line(`| Float64Array.sort + binary search per draw | ${fmt(median(native))} | ${range(native)} |`);
  line();
}

// 3. Autocovariance: direct vs FFT ---------------------------------------------------------------
{
  line("### Autocovariance of one sequence: one lag directly vs all lags by FFT");
  line();
  line(
    "| N | FFT length | direct, per lag (µs) | FFT, per sequence (µs) | crossover (lags) | 2·n·log2(n)/N |",
  );
  line("|---:|---:|---:|---:|---:|---:|");
  const rng = Random.fromSeed(3);
  for (const N of [500, 2500, 10_000]) {
    const y = Float64Array.from({ length: 2 * N }, () => normalQuantile(rng.uniform()));
    const n = nextPowerOfTwo(2 * N);
    const data = new Float64Array(2 * n);
    const spectrum = new Float64Array(2 * n);
    const acov = new Float64Array(2 * N);
    const reps = Math.max(5, Math.floor(3e6 / (n * Math.log2(n))));
    const fft = time(9, () => {
      for (let r = 0; r < reps; r++)
        autocovarianceFftKernel(N, y, 0, y, N, acov, 0, acov, N, data, spectrum, n);
    }).map((ms) => (ms * 1000) / reps / 2);
    const L = 64;
    const direct = time(9, () => {
      for (let r = 0; r < reps; r++) autocovarianceDirectKernel(N, y, 0, 0, L, acov, 0);
    }).map((ms) => (ms * 1000) / reps / L);
    line(
      `| ${N} | ${n} | ${fmt(median(direct))} | ${fmt(median(fft))} | ${fmt(median(fft) / median(direct))} | ${fmt((2 * n * Math.log2(n)) / N)} |`,
    );
  }
  line();
}

// 4. FFT -----------------------------------------------------------------------------------------
{
  line("### Complex FFT of n values");
  line();
  line("| n | fft.js (µs) | radix-2 reference (µs) | ratio |");
  line("|---:|---:|---:|---:|");
  const rng = Random.fromSeed(4);
  for (const n of [1024, 8192, 32_768]) {
    const input = Float64Array.from({ length: 2 * n }, () => rng.uniform());
    const output = new Float64Array(2 * n);
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    const reps = Math.max(5, Math.floor(2e6 / (n * Math.log2(n))));
    const lib = time(9, () => {
      for (let r = 0; r < reps; r++) fftKernel(n, output, input, false);
    }).map((ms) => (ms * 1000) / reps);
    const ref = time(9, () => {
      for (let r = 0; r < reps; r++) {
        for (let i = 0; i < n; i++) {
          re[i] = input[2 * i]!;
          im[i] = input[2 * i + 1]!;
        }
        radix2(n, re, im);
      }
    }).map((ms) => (ms * 1000) / reps);
    line(`| ${n} | ${fmt(median(lib))} | ${fmt(median(ref))} | ${fmt(median(ref) / median(lib), 2)} |`);
  }
  line();
}

// 5. Draws CSV -----------------------------------------------------------------------------------
{
  const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-bench-"));
  try {
    const draws = ar1Draws(1000, 4, 5000, 5);
    const path = join(dir, "draws.csv");
    const write = time(3, () => writeDrawsCsv(draws, path), false);
    const bytes = statSync(path).size;
    const read = time(3, () => readDrawsCsv(path), false);
    // d3-dsv (already a dependency, for data files) on the first 2,000 rows, as text → rows → numbers.
    const small = createDraws(draws.parameters, 1, 2000);
    for (let k = 0; k < 1000; k++)
      small.values.set(draws.values.subarray(k * 20_000, k * 20_000 + 2000), k * 2000);
    const smallPath = join(dir, "small.csv");
    writeDrawsCsv(small, smallPath);
    const d3 = time(3, () => {
      const rows = csvParseRows(readFileSync(smallPath, "utf8"));
      let sum = 0;
      for (let r = 1; r < rows.length; r++) for (const field of rows[r]!) sum += Number(field);
      return sum;
    });
    const ours = time(3, () => readDrawsCsv(smallPath));
    line("### Draws CSV (posterior's draws_df layout), 20,000 rows × 1,000 parameters");
    line();
    line(`File: ${(bytes / 1e6).toFixed(0)} MB (shortest round-trip numbers, 16–17 digits mostly).`);
    line();
    line("| operation | median (s) | range (s) | MB/s |");
    line("|---|---:|---:|---:|");
    line(
      `| writeDrawsCsv | ${fmt(median(write) / 1000)} | ${range(write, 1 / 1000)} | ${fmt(bytes / 1e3 / median(write))} |`,
    );
    line(
      `| readDrawsCsv | ${fmt(median(read) / 1000)} | ${range(read, 1 / 1000)} | ${fmt(bytes / 1e3 / median(read))} |`,
    );
    const smallBytes = statSync(smallPath).size;
    line(
      `| readDrawsCsv, first 2,000 rows | ${fmt(median(ours) / 1000)} | ${range(ours, 1 / 1000)} | ${fmt(smallBytes / 1e3 / median(ours))} |`,
    );
    line(
      `| d3-dsv csvParseRows + Number, same 2,000 rows | ${fmt(median(d3) / 1000)} | ${range(d3, 1 / 1000)} | ${fmt(smallBytes / 1e3 / median(d3))} |`,
    );
    line();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
