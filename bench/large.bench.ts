/**
 * Large crossed designs (issue 14): REML beside lme4, and the posterior's cost to every bulk and tail
 * ESS ≥ 400.
 *
 * - InstEval (73,421 ratings; s × d × dept:service = 2,972 × 1,128 × 28 levels): the posterior, 4
 *   chains on worker threads, beside lme4's REML fit of the same model timed in this run.
 * - A MovieLens-1M-shaped design (bench/data/movielens.ts: 1,000,209 ratings, 6,040 users × 3,706
 *   movies, crossed intercepts, seeded): the posterior (4 chains; its REML fit beside lme4's:
 *   bench/movielens-reml.bench.ts).
 *
 * ESS is R posterior's bulk and tail ESS over every parameter — beta, sigma2, Psi and every random
 * effect — after the warmup; the wall time is the whole `gibbs()` call (compiling, workers, chains).
 * Medians over `BENCH_REPEATS` runs (default 3 for InstEval, 1 for the MovieLens design; seeds 1..).
 * lme4 is timed through bench/lme4.R when Rscript is installed, else the anchor is printed.
 *
 *     npm run bench -- large
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { essBulk, essTail } from "../diagnostics/ess";
import { gibbs } from "../samplers/gibbs";
import { parseCsv } from "../src/data/csv";
import { chainsOf } from "../src/draws/draws";
import type { Posterior } from "../src/draws/posterior";
import { lmm } from "../src/model/lmm";
import type { LmmModel } from "../src/model/types";
import { MOVIELENS_FORMULA, movieLensLike } from "./data/movielens";
import { timeLme4 } from "./lme4";
import { median } from "./timing";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(root, "test", "fixtures");
const dist = join(root, "dist", "index.mjs");
const gibbsWorkers: typeof gibbs = existsSync(dist)
  ? ((await import(pathToFileURL(dist).href)) as { gibbs: typeof gibbs }).gibbs
  : gibbs;
const repeats = (fallback: number): number => Number(process.env["BENCH_REPEATS"] ?? fallback);

/** The smallest bulk and tail ESS over every parameter, with the parameters that have them. */
function smallestEss(post: Posterior): { bulk: number; bulkName: string; tail: number; tailName: string } {
  let bulk = Number.POSITIVE_INFINITY;
  let tail = Number.POSITIVE_INFINITY;
  let bulkName = "";
  let tailName = "";
  for (const name of post.parameters) {
    const chains = chainsOf(post, name);
    const b = essBulk(chains);
    const t = essTail(chains);
    if (b < bulk) [bulk, bulkName] = [b, name];
    if (t < tail) [tail, tailName] = [t, name];
  }
  return { bulk, bulkName, tail, tailName };
}

async function posteriorRuns(model: LmmModel, warmup: number, iter: number, runs: number): Promise<string> {
  const seconds: number[] = [];
  const ess: ReturnType<typeof smallestEss>[] = [];
  for (let r = 1; r <= runs; r++) {
    const t0 = performance.now();
    const post = await gibbsWorkers(model, { iter, warmup, chains: 4, seed: r, parallel: true });
    seconds.push((performance.now() - t0) / 1000);
    ess.push(smallestEss(post));
  }
  const worst = ess.reduce((a, b) => (Math.min(b.bulk, b.tail) < Math.min(a.bulk, a.tail) ? b : a));
  return `${median(seconds).toFixed(1)} s | 4 × (${warmup} + ${iter}) | ${Math.round(median(ess.map((e) => e.bulk)))} (lowest run ${Math.round(
    Math.min(...ess.map((e) => e.bulk)),
  )}, ${worst.bulkName}) | ${Math.round(median(ess.map((e) => e.tail)))} (lowest run ${Math.round(
    Math.min(...ess.map((e) => e.tail)),
  )}, ${worst.tailName})`;
}

const lines: string[] = [`Node ${process.version}; 2 worker threads for the chains.`, ""];

// InstEval.
const instFixture = JSON.parse(readFileSync(join(fixtures, "lme4", "insteval_reml.json"), "utf8")) as {
  formula: string;
  seconds_per_fit: number;
};
const instCsv = join(fixtures, "data", "InstEval.csv");
const inst = lmm(instFixture.formula, parseCsv(readFileSync(instCsv, "utf8")));
const instPosterior = await posteriorRuns(inst, 200, 600, repeats(3));
const instLme4 = timeLme4([
  { name: "insteval", csv: instCsv, formula: instFixture.formula, REML: true, repeats: 3 },
]);
const instLme4Text =
  instLme4 === null
    ? `${instFixture.seconds_per_fit.toFixed(1)} s (anchor)`
    : `${instLme4["insteval"]!.toFixed(1)} s`;

// MovieLens-shaped design.
const ml = movieLensLike(1);
const mlModel = lmm(MOVIELENS_FORMULA, { user: ml.user, movie: ml.movie, rating: ml.rating });
const mlPosterior = await posteriorRuns(mlModel, 150, 300, repeats(1));

lines.push(
  "Posterior, 4 chains, every parameter (random effects included); median over runs:",
  "",
  "| model | wall time | iterations | min bulk ESS | min tail ESS |",
  "|---|---:|---:|---:|---:|",
  `| InstEval (lme4 REML: ${instLme4Text}) | ${instPosterior} |`,
  `| MovieLens-1M shape | ${mlPosterior} |`,
);
process.stdout.write(`${lines.join("\n")}\n`);
