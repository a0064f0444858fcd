/**
 * The dense supernode update (src/blocked/kernels.ts `updateFromDescendant`, the kernel that does
 * nearly all the work of a dense remainder such as the MovieLens-shaped design's) in JavaScript
 * against WebAssembly with 128-bit SIMD (src/blocked/wasm/kernels.wat), on the same blocks: a
 * descendant of `rows` rows × 64 columns updating a 64-column target. The WebAssembly timing includes
 * copying the descendant's rows into its memory (as the factorization would); the target stays there.
 * Medians of 9 alternating timings; results checked equal.
 *
 *     npm run bench -- kernels
 */
import { updateFromDescendant } from "../src/blocked/kernels";
import { wasmBuffer, wasmKernels } from "../src/blocked/wasm/instance";
import { Random } from "../src/random/generator";
import { normal } from "../src/random/normal";
import { median } from "./timing";

const kernels = wasmKernels();
const lines = [
  `Node ${process.version}; milliseconds per update, median of 9 alternating timings.`,
  "",
  "| descendant rows × width | multiply-adds | JavaScript ms | WebAssembly SIMD ms | JS / WASM |",
  "|---|---:|---:|---:|---:|",
];
for (const rows of [128, 512, 2048, 3706]) {
  const wd = 64;
  const wt = 64;
  const rng = Random.fromSeed(rows);
  const L = new Float64Array(rows * wd + rows * wt);
  for (let i = 0; i < rows * wd; i++) L[i] = normal(rng);
  const tBase = rows * wd;
  const rel = Int32Array.from({ length: rows }, (_, i) => i);
  const col = Int32Array.from({ length: rows }, (_, i) => i);
  const i2 = wt;
  const js = (): number => {
    updateFromDescendant(L, 0, wd, 0, i2, rows, tBase, wt, rel, col);
    return L[tBase]!;
  };
  const flops = wd * (i2 * rows - (i2 * (i2 - 1)) / 2);
  if (kernels === null) {
    lines.push(
      `| ${rows} × ${wd} | ${flops.toExponential(2)} | ${median(Array.from({ length: 9 }, () => time(js)))} | (no WebAssembly) | |`,
    );
    continue;
  }
  const bytes = 8 * (rows * wd + rows * wt) + 8 * rows;
  const buffer = wasmBuffer(kernels, bytes);
  const mem = new Float64Array(buffer, 0, rows * wd + rows * wt);
  const ints = new Int32Array(buffer, 8 * (rows * wd + rows * wt), 2 * rows);
  ints.set(rel, 0);
  ints.set(col, rows);
  const relAt = 8 * (rows * wd + rows * wt);
  const wasm = (): number => {
    mem.set(L.subarray(0, rows * wd));
    kernels.update(0, wd, 0, i2, rows, 8 * tBase, wt, relAt, relAt + 4 * rows);
    return mem[tBase]!;
  };
  // Same numbers: one update each from a zero target.
  L.fill(0, tBase);
  mem.fill(0, tBase);
  js();
  wasm();
  let diff = 0;
  for (let i = tBase; i < L.length; i++) diff = Math.max(diff, Math.abs(L[i]! - mem[i]!));
  if (diff > 1e-9 * wd) throw new Error(`WebAssembly and JavaScript disagree by ${diff}`);
  const tj: number[] = [];
  const tw: number[] = [];
  for (let r = 0; r < 9; r++) {
    tj.push(time(js));
    tw.push(time(wasm));
  }
  const mj = median(tj);
  const mw = median(tw);
  lines.push(
    `| ${rows} × ${wd} | ${flops.toExponential(2)} | ${mj.toFixed(2)} | ${mw.toFixed(2)} | ${(mj / mw).toFixed(2)} |`,
  );
}
process.stdout.write(`${lines.join("\n")}\n`);

function time(f: () => number): number {
  const t0 = performance.now();
  if (Number.isNaN(f())) throw new Error("NaN");
  return performance.now() - t0;
}
