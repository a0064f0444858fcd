/**
 * The long check of Chib's marginal likelihood (CI runs it; about a minute): 20 independent runs
 * (4 chains × 5,000 draws and as many in the reduced run, seeds 1..20) of each reference model of
 * test/fixtures/marginal, and the z-scores (ours − reference) / SE:
 *   - Dyestuff and sleepstudy random intercept: against exact quadrature, SE = our MCSE;
 *   - sleepstudy random slope: against bridgesampling on Stan draws, SE = √(MCSE² + bridge SE²).
 * If the MCSE is honest and the estimator unbiased, the z's are about N(0, 1): the script fails when
 * any |z| > 4, when their sd is outside [0.5, 1.8] (the exact references), or their mean is more
 * than 4/√20 from 0.
 *
 *     npx tsx scripts/marginal-likelihood.ts
 */
import { readFileSync } from "node:fs";
import { gibbsSync } from "../samplers/gibbs";
import { marginalLikelihood } from "../samplers/marginalLikelihood";
import { parseCsv } from "../src/data/csv";
import { lmm } from "../src/model/lmm";
import type { PriorSpec } from "../src/priors/types";

interface Reference {
  exact: Record<string, { log_ml: number }>;
  bridge: Record<string, { log_ml: number; se_log_ml: number }>;
}
const reference = JSON.parse(readFileSync("test/fixtures/marginal/reference.json", "utf8")) as Reference;
const cases = [
  {
    name: "dyestuff",
    data: "Dyestuff",
    formula: "Yield ~ 1 + (1 | Batch)",
    ref: reference.exact["dyestuff"]!,
    se: 0,
  },
  {
    name: "sleep_int",
    data: "sleepstudy",
    formula: "Reaction ~ Days + (1 | Subject)",
    ref: reference.exact["sleep_int"]!,
    se: 0,
  },
  {
    name: "sleep_slope",
    data: "sleepstudy",
    formula: "Reaction ~ Days + (Days | Subject)",
    ref: reference.bridge["sleep_slope"]!,
    se: reference.bridge["sleep_slope"]!.se_log_ml,
  },
];
const RUNS = 20;
let failed = false;
console.log("| model | reference | mean of ours | mean MCSE | mean z | sd z | max abs z | seconds per run |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const c of cases) {
  const model = lmm(c.formula, parseCsv(readFileSync(`test/fixtures/data/${c.data}.csv`, "utf8")));
  const priors = (
    JSON.parse(readFileSync(`test/fixtures/posterior/${c.name}_bayes.json`, "utf8")) as {
      priors_cli: PriorSpec;
    }
  ).priors_cli;
  const z: number[] = [];
  const values: number[] = [];
  const ses: number[] = [];
  const t0 = performance.now();
  for (let seed = 1; seed <= RUNS; seed++) {
    const post = gibbsSync(model, {
      iter: 5000,
      warmup: 1000,
      chains: 4,
      seed,
      priors,
      randomEffects: "draws",
    });
    const ml = marginalLikelihood(model, post);
    values.push(ml.logMarginalLikelihood);
    ses.push(ml.mcse);
    z.push((ml.logMarginalLikelihood - c.ref.log_ml) / Math.hypot(ml.mcse, c.se));
  }
  const seconds = (performance.now() - t0) / 1000 / RUNS;
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const sd = (x: number[]) => Math.sqrt(x.reduce((a, b) => a + (b - mean(x)) ** 2, 0) / (x.length - 1));
  const maxZ = Math.max(...z.map(Math.abs));
  console.log(
    `| ${c.name} | ${c.ref.log_ml.toFixed(4)} | ${mean(values).toFixed(4)} | ${mean(ses).toFixed(4)} | ${mean(z).toFixed(2)} | ${sd(z).toFixed(2)} | ${maxZ.toFixed(2)} | ${seconds.toFixed(2)} |`,
  );
  // With the bridge reference, the reference's own error is shared by all 20 z's: only max |z| applies.
  const exact = c.se === 0;
  if (maxZ > 4 || (exact && (sd(z) < 0.5 || sd(z) > 1.8 || Math.abs(mean(z)) > 4 / Math.sqrt(RUNS))))
    failed = true;
}
if (failed) {
  console.log("FAILED: the estimates are not within their Monte Carlo error of the references");
  process.exitCode = 1;
}
