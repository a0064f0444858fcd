/**
 * REML/ML fit time beside lme4's, on every lme4 fixture model and star (test/fixtures/large): our
 * `fitLmm` timed in-process, warm (after warm-up fits), median of repeats; lme4's `lmer()` timed in
 * the same run on the same CSV (bench/lme4.R, median after a warm fit) when Rscript and lme4 are
 * installed — else the fixtures' committed `seconds_per_fit`, labelled "anchor". Both sides are
 * timed from a parsed data frame to a fitted model, as `lmer()` is from read.csv's data frame: ours is
 * `lmm(formula, data)` (the model frame, factors, X and Z: lme4's lFormula) plus the fit, everything
 * `reml()`/`ml()` do — cross-products, ordering, optimization, estimates, conditional variances, the
 * convergence check. A fresh model each time, so nothing the first fit caches on a model (the
 * symbolic factorization) is reused. The fit alone is shown beside it.
 *
 *     npm run bench -- reml            all models
 *     npx tsx bench/reml.bench.ts sleep star    models whose name contains a word
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../src/data/csv";
import { lmm } from "../src/model/lmm";
import { fitLmm } from "../src/reml/fit";
import { type Lme4Job, timeLme4 } from "./lme4";
import { median } from "./timing";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "test", "fixtures");

interface Fixture {
  formula: string;
  data: string;
  REML: boolean;
  seconds_per_fit: number;
}

const MODELS = [
  "lme4/dyestuff_reml",
  "lme4/dyestuff_ml",
  "lme4/dyestuff2_reml",
  "lme4/sleep_int_reml",
  "lme4/sleep_slope_reml",
  "lme4/sleep_slope_ml",
  "lme4/sleep_uncor_reml",
  "lme4/penicillin_reml",
  "lme4/penicillin_ml",
  "lme4/pastes_reml",
  "lme4/exam_reml",
  "lme4/exam_ml",
  "lme4/insteval_reml",
  "lme4/insteval_ml",
  "large/star_reml",
];

const wanted = process.argv.slice(2);
const chosen = MODELS.filter((m) => wanted.length === 0 || wanted.some((w) => m.includes(w)));
const rows: {
  name: string;
  n: number;
  ours: number;
  fit: number;
  anchor: number;
  evals: string;
  rss: number;
}[] = [];
const jobs: Lme4Job[] = [];
for (const path of chosen) {
  const name = path.split("/")[1]!;
  const fx = JSON.parse(readFileSync(join(fixtures, `${path}.json`), "utf8")) as Fixture;
  const csv = join(fixtures, "data", `${fx.data}.csv`);
  const data = parseCsv(readFileSync(csv, "utf8"));
  const model = lmm(fx.formula, data);
  const method = fx.REML ? "REML" : "ML";
  const big = model.n > 20_000;
  const huge = model.n > 50_000;
  const warmup = huge ? 1 : big ? 3 : 20;
  const repeats = huge ? 5 : big ? 11 : 51;
  for (let r = 0; r < warmup; r++) fitLmm(lmm(fx.formula, data), { method });
  const times: number[] = [];
  const fitTimes: number[] = [];
  let last = fitLmm(model, { method });
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const fresh = lmm(fx.formula, data);
    const t1 = performance.now();
    last = fitLmm(fresh, { method });
    const t2 = performance.now();
    times.push(t2 - t0);
    fitTimes.push(t2 - t1);
  }
  rows.push({
    name,
    n: model.n,
    ours: median(times),
    fit: median(fitTimes),
    anchor: fx.seconds_per_fit * 1000,
    evals: `${last.optimizer.evaluations} / ${last.optimizer.gradientEvaluations}`,
    rss: process.resourceUsage().maxRSS / 1024,
  });
  jobs.push({ name, csv, formula: fx.formula, REML: fx.REML, repeats: huge ? 3 : big ? 5 : 11 });
}
const lme4 = timeLme4(jobs);
const source =
  lme4 === null ? "anchor (fixture's seconds_per_fit; R/lme4 not found)" : "measured in this run";
const lines = [
  `Node ${process.version}; ours: lmm() + fit from the parsed data, median of repeats in this process (51; star 11; InstEval 5) after warm-up; lme4: lmer() from the data frame, ${source}, median of 11 (star 5, InstEval 3) after one warm fit.`,
  "",
  "| model | nobs | ours (ms) | of which fit (ms) | lme4 (ms) | ours / lme4 | evaluations (f / g) | peak RSS (MB) |",
  "|---|---:|---:|---:|---:|---:|---:|---:|",
];
for (const r of rows) {
  const other = lme4 === null ? r.anchor : lme4[r.name]! * 1000;
  const label = lme4 === null ? " (anchor)" : "";
  lines.push(
    `| ${r.name} | ${r.n} | ${r.ours.toFixed(r.ours < 10 ? 3 : 1)} | ${r.fit.toFixed(r.fit < 10 ? 3 : 1)} | ${other.toFixed(1)}${label} | ${(r.ours / other).toFixed(3)} | ${r.evals} | ${r.rss.toFixed(0)} |`,
  );
}
process.stdout.write(`${lines.join("\n")}\n`);
