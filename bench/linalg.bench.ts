/**
 * Cholesky factorization: our `potrf` (src/linalg) against ml-matrix 6.15.1's CholeskyDecomposition,
 * at the sizes the package meets (2–10: random-effect blocks and fixed effects; 50–300: the dense
 * block of a crossed design). Both sides include copying the input (potrf works in place; ml-matrix
 * copies in its constructor). Each size: enough factorizations for ~50 ms, timed 9 times after a
 * warm-up, alternating ours and theirs; the table gives medians and the ratio. Run: `npm run bench -- linalg`.
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { potrf } from "../src/linalg/potrf";
import { Random } from "../src/random/generator";
import { normal } from "../src/random/normal";
import { median } from "./timing";

const REPEATS = 9;

function spd(n: number): Float64Array {
  const rng = Random.fromSeed(n);
  const b = new Float64Array(n * n);
  for (let i = 0; i < b.length; i++) b[i] = normal(rng);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
      a[i * n + j] = s / n + (i === j ? 1 : 0);
      a[j * n + i] = a[i * n + j]!;
    }
  return a;
}

/**
 * Median microseconds per call of two competitors, timed alternately (a, b, a, b, ...) after a warm-up
 * so that changes in machine load hit both alike. Each `run(reps)` performs `reps` calls.
 */
function timePair(reps: number, a: (reps: number) => number, b: (reps: number) => number): [number, number] {
  let sink = a(reps) + b(reps);
  const ua: number[] = [];
  const ub: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    let t0 = performance.now();
    sink += a(reps);
    ua.push(((performance.now() - t0) * 1000) / reps);
    t0 = performance.now();
    sink += b(reps);
    ub.push(((performance.now() - t0) * 1000) / reps);
  }
  if (Number.isNaN(sink)) throw new Error("NaN");
  return [median(ua), median(ub)];
}

const lines = [
  `Node ${process.version}; median of ${REPEATS} timings, microseconds per factorization (including the input copy).`,
  "",
  "| n | potrf (ours) µs | ml-matrix µs | ml-matrix / ours |",
  "|---:|---:|---:|---:|",
];
for (const n of [2, 4, 10, 50, 300]) {
  const a = spd(n);
  const work = new Float64Array(n * n);
  const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
  const m = new Matrix(rows);
  const flops = n ** 3 / 3;
  const reps = Math.max(3, Math.round(2e7 / (flops + 20 * n * n + 200)));
  const [ours, theirs] = timePair(
    reps,
    (k) => {
      let s = 0;
      for (let r = 0; r < k; r++) {
        work.set(a);
        s += potrf(n, work, n, 1, 0) + work[n * n - 1]!;
      }
      return s;
    },
    (k) => {
      let s = 0;
      for (let r = 0; r < k; r++) s += new CholeskyDecomposition(m).lowerTriangularMatrix.get(n - 1, n - 1);
      return s;
    },
  );
  lines.push(`| ${n} | ${ours.toPrecision(3)} | ${theirs.toPrecision(3)} | ${(theirs / ours).toFixed(1)} |`);
}
process.stdout.write(`${lines.join("\n")}\n`);
