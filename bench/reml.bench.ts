/**
 * REML/ML fit time beside lme4's, on every lme4 fixture model: our `fitLmm` timed in-process, warm
 * (after warm-up fits), median of repeats; lme4's `seconds_per_fit` from the fixture (lme4 1.1-31,
 * mean of repeated in-process lmer() calls on a 2-vCPU machine of this kind). The model is built
 * once (not timed); the fit includes everything `reml()`/`ml()` do: cross-products, optimization,
 * estimates, conditional variances, the convergence check.
 *
 * Memory: peak resident set size of this process after each model's fits, and the heap in use right
 * after one fit (the fit's result included).
 *
 *     npm run bench -- reml            all models
 *     npx tsx bench/reml.bench.ts sleep penicillin    models whose name contains a word
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../src/data/csv";
import { lmm } from "../src/model/lmm";
import { fitLmm } from "../src/reml/fit";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "test", "fixtures");

interface Fixture {
  formula: string;
  data: string;
  REML: boolean;
  seconds_per_fit: number;
}

const MODELS = [
  "dyestuff_reml",
  "dyestuff_ml",
  "dyestuff2_reml",
  "sleep_int_reml",
  "sleep_slope_reml",
  "sleep_slope_ml",
  "sleep_uncor_reml",
  "penicillin_reml",
  "penicillin_ml",
  "pastes_reml",
  "exam_reml",
  "exam_ml",
  "insteval_reml",
  "insteval_ml",
];

const wanted = process.argv.slice(2);
const rows: string[] = [];
const header =
  "| model | nobs | ours (ms, median) | lme4 (ms) | ours / lme4 | evaluations (f / g) | peak RSS (MB) | heap after fit (MB) |";
rows.push(header, "|---|---:|---:|---:|---:|---:|---:|---:|");
process.stdout.write(`${header}\n|---|---:|---:|---:|---:|---:|---:|---:|\n`);

for (const name of MODELS) {
  if (wanted.length > 0 && !wanted.some((w) => name.includes(w))) continue;
  const fx = JSON.parse(readFileSync(join(fixtures, "lme4", `${name}.json`), "utf8")) as Fixture;
  const data = parseCsv(readFileSync(join(fixtures, "data", `${fx.data}.csv`), "utf8"));
  const model = lmm(fx.formula, data);
  const method = fx.REML ? "REML" : "ML";
  const big = model.n > 20_000;
  const warmup = big ? 1 : 20;
  const repeats = big ? 5 : 51;
  for (let r = 0; r < warmup; r++) fitLmm(model, { method });
  const times: number[] = [];
  let last = fitLmm(model, { method });
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    last = fitLmm(model, { method });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  const rss = process.resourceUsage().maxRSS / 1024;
  const lme4 = fx.seconds_per_fit * 1000;
  const line = `| ${name} | ${model.n} | ${median.toFixed(median < 10 ? 3 : 1)} | ${lme4.toFixed(1)} | ${(median / lme4).toFixed(3)} | ${last.optimizer.evaluations} / ${last.optimizer.gradientEvaluations} | ${rss.toFixed(0)} | ${heap.toFixed(0)} |`;
  process.stdout.write(`${line}\n`);
}
process.stdout.write(
  "\nours: median wall time of repeated warm fits in this process (51 repeats; InstEval 5); lme4: the fixture's seconds_per_fit.\n",
);
