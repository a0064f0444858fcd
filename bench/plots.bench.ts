/**
 * The pictures: time (median of repeats, warm) and size (bytes, and gzip as a web server or mail
 * would send it) of a trace plot of 4 chains at 2,000 and 5,000 draws — DEPENDENCIES.md's case for the
 * plotting libraries — with and without min–max thinning; the binned KDE against the direct sum;
 * and every picture of the sleepstudy report.
 * `npm run bench -- plots` (or `node --import tsx bench/plots.bench.ts`).
 */
import { gzipSync } from "node:zlib";
import { kernelDensity } from "../diagnostics/plots/kde";
import { tracePlot } from "../diagnostics/plots/trace";
import { buildReport } from "../diagnostics/report/report";
import { gibbsSync } from "../samplers/gibbs";
import { createDraws } from "../src/draws/draws";
import { lmm } from "../src/model/lmm";
import { readCsvFile } from "../src/node/data-file";
import { Random } from "../src/random/generator";
import { normal } from "../src/random/normal";
import { fitLmm } from "../src/reml/fit";
import { medianTime } from "./timing";

const REPEATS = 11;

function ar1(chains: number, iterations: number, seed: number) {
  const d = createDraws(["mu"], chains, iterations);
  const rng = Random.fromSeed(seed);
  for (let c = 0; c < chains; c++) {
    let x = 0;
    for (let t = 0; t < iterations; t++) {
      x = 0.7 * x + normal(rng);
      d.values[c * iterations + t] = x;
    }
  }
  return d;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

console.log("| picture | ms (median) | SVG size | gzip |");
console.log("|---|---:|---:|---:|");
for (const iterations of [2000, 5000]) {
  const d = ar1(4, iterations, 1);
  for (const thin of [true, false]) {
    const svg = tracePlot(d, { thin });
    const ms = medianTime(() => tracePlot(d, { thin }), REPEATS);
    console.log(
      `| trace, 4 × ${iterations} draws, one 420-px panel, ${thin ? "min–max thinned" : "every draw"} | ${ms.toFixed(2)} | ${kb(svg.length)} | ${kb(gzipSync(svg).length)} |`,
    );
  }
}

const rng = Random.fromSeed(2);
const x = Float64Array.from({ length: 20000 }, () => normal(rng));
const binned = medianTime(() => kernelDensity(x), REPEATS);
const est = kernelDensity(x);
const direct = medianTime(() => {
  const out = new Float64Array(est.x.length);
  const h = est.bandwidth;
  for (let g = 0; g < out.length; g++) {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const u = (est.x[g]! - x[i]!) / h;
      s += Math.exp(-0.5 * u * u);
    }
    out[g] = s / (x.length * h * Math.sqrt(2 * Math.PI));
  }
  return out;
}, REPEATS);
console.log(`| KDE of 20,000 draws on 512 points, binned | ${binned.toFixed(2)} | | |`);
console.log(`| KDE of 20,000 draws on 512 points, direct sum | ${direct.toFixed(2)} | | |`);

const model = lmm("Reaction ~ Days + (Days | Subject)", readCsvFile("examples/sleepstudy.csv"));
const fit = fitLmm(model);
const posterior = gibbsSync(model, { iter: 5000, warmup: 1000, chains: 4, seed: 1 });
const report = buildReport({ model, fit, posterior });
const reportMs = medianTime(() => buildReport({ model, fit, posterior }), REPEATS);
for (const [name, svg] of Object.entries(report.pictures))
  console.log(`| sleepstudy report: ${name} | | ${kb(svg.length)} | ${kb(gzipSync(svg).length)} |`);
console.log(
  `| sleepstudy report (4 × 5,000 draws), whole HTML | ${reportMs.toFixed(0)} | ${kb(report.html.length)} | ${kb(gzipSync(report.html).length)} |`,
);
