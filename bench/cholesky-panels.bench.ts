/**
 * Why REML keeps its own Cholesky (src/reml/dense.ts `potrfPanels`) beside src/linalg's `potrf`: the
 * two on the same matrices, timed alternately (median of 7 after a warm-up), including the input copy.
 *
 * - Dense matrices, the structure `restStructure` gives a dense block (64-column panels, every row
 *   listed): `potrfPanels` is then a dense blocked Cholesky, the same work as `potrf`.
 * - The rest block S of a fixture's blocked factor (the Schur complement after the first term, at
 *   theta = 1): `potrfPanels` follows its fill-reducing order and panels and skips the rows that stay
 *   zero; `potrf` factors it densely (same order, same factor).
 *
 *     npm run bench -- cholesky
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../src/data/csv";
import { potrf } from "../src/linalg/potrf";
import { lmm } from "../src/model/lmm";
import { Random } from "../src/random/generator";
import { normal } from "../src/random/normal";
import { potrfPanels } from "../src/reml/dense";
import { factorize, factorWorkspace } from "../src/reml/factor";
import { restStructure } from "../src/reml/ordering";
import { buildSystem } from "../src/reml/system";
import { initialTheta, modelThetaLayout } from "../src/reml/theta";
import { median } from "./timing";

const REPEATS = 7;
const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures");

interface Structure {
  panelStart: Int32Array;
  panelRowPtr: Int32Array;
  panelRows: Int32Array;
}

function randomSpd(n: number): Float64Array {
  const rng = Random.fromSeed(n);
  const b = Float64Array.from({ length: n * n }, () => normal(rng));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  return a;
}

/** S = L L' (lower triangle) from a fixture's factor at theta = 1: the rest block before factoring. */
function restBlock(name: string): { S: Float64Array; n: number; st: Structure } {
  const fx = JSON.parse(readFileSync(join(fixtures, "lme4", `${name}.json`), "utf8")) as {
    formula: string;
    data: string;
  };
  const model = lmm(fx.formula, parseCsv(readFileSync(join(fixtures, "data", `${fx.data}.csv`), "utf8")));
  const sys = buildSystem(model);
  const layout = modelThetaLayout(model);
  const ws = factorWorkspace(sys, layout);
  if (!factorize(sys, layout, initialTheta(layout), ws)) throw new Error(`${name}: not positive definite`);
  const n = sys.nr;
  const L = ws.S;
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += L[i * n + k]! * L[j * n + k]!;
      S[i * n + j] = s;
    }
  return { S, n, st: { panelStart: sys.panelStart, panelRowPtr: sys.panelRowPtr, panelRows: sys.panelRows } };
}

function timePair(a: () => number, b: () => number): [number, number] {
  let sink = a() + b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    let t0 = performance.now();
    sink += a();
    ta.push(performance.now() - t0);
    t0 = performance.now();
    sink += b();
    tb.push(performance.now() - t0);
  }
  if (Number.isNaN(sink)) throw new Error("NaN");
  return [median(ta), median(tb)];
}

const lines = [
  `Node ${process.version}; milliseconds per factorization, median of ${REPEATS} alternating timings (input copy included).`,
  "",
  "| matrix | n | potrf (src/linalg, dense) ms | potrfPanels (src/reml) ms | potrf / potrfPanels |",
  "|---|---:|---:|---:|---:|",
];
const cases: { what: string; S: Float64Array; n: number; st: Structure }[] = [];
for (const n of [300, 1159])
  cases.push({
    what: "dense, random SPD (restStructure of n dense rows: 64-column panels, every row)",
    S: randomSpd(n),
    n,
    st: restStructure(new Int32Array(0), [], n),
  });
for (const name of ["penicillin_reml", "insteval_reml"]) {
  const r = restBlock(name);
  cases.push({ what: `${name.replace("_reml", "")} rest block at theta = 1 (its panels)`, ...r });
}
for (const c of cases) {
  const work = new Float64Array(c.n * c.n);
  const [dense, panels] = timePair(
    () => {
      work.set(c.S);
      return potrf(c.n, work, c.n, 1, 0) + work[c.n * c.n - 1]!;
    },
    () => {
      work.set(c.S);
      return potrfPanels(work, c.n, c.st.panelStart, c.st.panelRowPtr, c.st.panelRows) + work[c.n * c.n - 1]!;
    },
  );
  lines.push(
    `| ${c.what} | ${c.n} | ${dense.toPrecision(3)} | ${panels.toPrecision(3)} | ${(dense / panels).toFixed(2)} |`,
  );
}
process.stdout.write(`${lines.join("\n")}\n`);
