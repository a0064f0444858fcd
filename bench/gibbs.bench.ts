/**
 * The Gibbs sampler's speed (issue 4, done-when 4): 4 chains × (1,000 warmup + 5,000 draws) on
 * sleepstudy `Reaction ~ Days + (Days | Subject)` and Exam `normexam ~ standLRT + sex + (standLRT |
 * school)`, with the posterior fixtures' priors: wall time, iterations per second (all chains'
 * iterations, warmup included, over wall time) and the smallest bulk ESS per second over beta, sigma2
 * and Psi — beside MCMCpack's MCMChregress and rstanarm's stan_lmer as timed on this kind of machine
 * (test/fixtures/anchors.json), as ratios. Medians of 7 runs each (after one warm-up run), chains
 * one after another on this thread ("serial") and on as many worker threads as cores ("workers",
 * from dist/ when built; a worker's start-up and its cold first iterations are included).
 *
 *     npm run bench -- gibbs
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { essBulk } from "../diagnostics/ess";
import { gibbs, gibbsSync } from "../samplers/gibbs";
import { parseCsv } from "../src/data/csv";
import { chainsOf } from "../src/draws/draws";
import type { Posterior } from "../src/draws/posterior";
import { lmm } from "../src/model/lmm";
import type { PriorSpec } from "../src/priors/types";
import { median } from "./timing";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(root, "test", "fixtures");
// Worker threads are timed from the built package when there is one (a worker started from the
// TypeScript sources first loads tsx, which a user of the package never pays).
const dist = join(root, "dist", "index.mjs");
const gibbsWorkers: typeof gibbs = existsSync(dist)
  ? ((await import(pathToFileURL(dist).href)) as { gibbs: typeof gibbs }).gibbs
  : gibbs;
const workersFrom = existsSync(dist) ? "workers (dist)" : "workers (sources)";

interface Anchor {
  mcmchregress: { iter_per_second: number; min_ess_per_second: number; seconds: number };
  stan_lmer: { min_ess_per_second: number; seconds: number };
}
const anchors = JSON.parse(readFileSync(join(fixtures, "anchors.json"), "utf8")) as {
  samplers: Record<string, Anchor>;
};

const cases = [
  { name: "sleepstudy", anchor: "sleep_slope", data: "sleepstudy", fixture: "sleep_slope_bayes" },
  { name: "Exam", anchor: "exam", data: "Exam", fixture: "exam_bayes" },
] as const;

const REPEATS = 7;
const options = { iter: 5000, warmup: 1000, chains: 4 } as const;

function minEssBulk(post: Posterior): number {
  let min = Number.POSITIVE_INFINITY;
  for (const name of post.parameters) {
    if (name.startsWith("b[")) continue;
    min = Math.min(min, essBulk(chainsOf(post, name)));
  }
  return min;
}

const rows: string[] = [];
for (const c of cases) {
  const fixture = JSON.parse(readFileSync(join(fixtures, "posterior", `${c.fixture}.json`), "utf8")) as {
    formula: string;
    priors_cli: PriorSpec;
  };
  const model = lmm(fixture.formula, parseCsv(readFileSync(join(fixtures, "data", `${c.data}.csv`), "utf8")));
  const anchor = anchors.samplers[c.anchor]!;
  for (const mode of ["serial", workersFrom] as const) {
    const run = async (seed: number): Promise<Posterior> =>
      mode === "serial"
        ? gibbsSync(model, { ...options, seed, priors: fixture.priors_cli })
        : gibbsWorkers(model, { ...options, seed, priors: fixture.priors_cli, parallel: true });
    await run(0);
    const seconds: number[] = [];
    const ess: number[] = [];
    for (let r = 1; r <= REPEATS; r++) {
      const start = performance.now();
      const post = await run(r);
      seconds.push((performance.now() - start) / 1000);
      ess.push(minEssBulk(post));
    }
    const wall = median(seconds);
    const itPerSecond = (options.chains * (options.iter + options.warmup)) / wall;
    const essPerSecond = median(ess.map((e, k) => e / seconds[k]!));
    rows.push(
      `| ${c.name} (n = ${model.n}) | ${mode} | ${wall.toFixed(3)} | ${Math.round(itPerSecond).toLocaleString("en")} | ${Math.round(
        median(ess),
      ).toLocaleString("en")} | ${Math.round(essPerSecond).toLocaleString("en")} | ${(
        itPerSecond / anchor.mcmchregress.iter_per_second
      ).toFixed(1)}× | ${(essPerSecond / anchor.stan_lmer.min_ess_per_second).toFixed(0)}× |`,
    );
  }
  rows.push(
    `| ${c.name} | MCMChregress (anchor, 1 chain × 21,000) | ${anchor.mcmchregress.seconds} | ${Math.round(
      anchor.mcmchregress.iter_per_second,
    ).toLocaleString("en")} | | ${anchor.mcmchregress.min_ess_per_second.toFixed(1)} | 1× | |`,
    `| ${c.name} | stan_lmer (anchor, 4 × 2,000 on 2 cores) | ${anchor.stan_lmer.seconds} | | | ${anchor.stan_lmer.min_ess_per_second.toFixed(
      1,
    )} | | 1× |`,
  );
}

process.stdout.write(
  [
    `Gibbs sampler, ${options.chains} chains × (${options.warmup} warmup + ${options.iter} draws), fixture priors; median of ${REPEATS} runs (Node ${process.version}).`,
    "",
    "| data | run | wall s | iterations/s | min bulk ESS | min bulk ESS/s | it/s vs MCMChregress | ESS/s vs stan_lmer |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
  ].join("\n"),
);
