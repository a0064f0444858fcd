/**
 * A one-factor data set far larger than one wants in a Node process, fitted through DuckDB: the
 * Parquet file (scripts/make-large-parquet.ts: y ~ x + (x | g), rows in level order, 50 rows a level by
 * default) is aggregated by DuckDB where it lies into sums per level (src/sql/model.ts), then REML and
 * 4 chains × (1,000 warmup + 1,000) draws run on the model from those sums. Printed: each stage's time
 * (median of BENCH_STATS_RUNS runs, one by default at full size), the process's peak resident memory
 * (DuckDB, workers and all: one process), the sampler's progress about every tenth of its iterations
 * (seconds per chain-iteration so far), the smallest bulk and tail ESS and the largest R-hat of the
 * recorded parameters (beta, sigma2, Psi), and optionally lme4's lmer() time on the first
 * BENCH_STATS_LME4_ROWS rows beside our REML on the same rows.
 *
 *     npm run bench -- stats-scale                                  # 1,000,000 rows, 20,000 levels (~1 min)
 *     BENCH_STATS_ROWS=100000000 BENCH_STATS_LEVELS=2000000 BENCH_STATS_FILE=/big/disk/big.parquet \
 *       BENCH_STATS_LME4=1 BENCH_STATS_LME4_ROWS=10000000 npm run bench -- stats-scale   # the issue's run
 *
 * BENCH_STATS_FILE is kept (and reused when it exists: generating 100,000,000 rows takes minutes);
 * without it the file goes to a temporary folder and is deleted. BENCH_STATS_ITER and
 * BENCH_STATS_WARMUP set the draws and warmup iterations per chain (1,000 each); BENCH_STATS_PARALLEL=false
 * runs the chains on this thread, one after another.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { essBulk, essTail } from "../diagnostics/ess";
import { rhat } from "../diagnostics/rhat";
import { gibbs } from "../samplers/gibbs";
import { chainsOf } from "../src/draws/draws";
import { duckDbFileModel } from "../src/node/sql-file";
import { reml } from "../src/reml/fit";
import { median } from "./timing";

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const rows = Number(env["BENCH_STATS_ROWS"] ?? 1_000_000);
const levels = Number(env["BENCH_STATS_LEVELS"] ?? Math.round(rows / 50));
const runs = Number(env["BENCH_STATS_RUNS"] ?? (rows > 10_000_000 ? 1 : 3));
const iter = Number(env["BENCH_STATS_ITER"] ?? 1000);
const warmup = Number(env["BENCH_STATS_WARMUP"] ?? 1000);
// BENCH_STATS_PARALLEL=false runs the chains one after another on this thread (one copy of the model).
const parallel = env["BENCH_STATS_PARALLEL"] === "false" ? false : ("auto" as const);
const lme4 = env["BENCH_STATS_LME4"] === "1";
const lme4Rows = Number(env["BENCH_STATS_LME4_ROWS"] ?? Math.round(rows / 10));
const formula = "y ~ x + (x | g)";
const scratch = mkdtempSync(join(tmpdir(), "bayes-lmm-stats-scale-"));
const file = env["BENCH_STATS_FILE"] ?? join(scratch, "big.parquet");
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function generate(path: string, n: number, m: number): number {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      join(here, "..", "scripts", "make-large-parquet.ts"),
      "--out",
      path,
      "--rows",
      String(n),
      "--levels",
      String(m),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (r.status !== 0) throw new Error("make-large-parquet failed");
  return performance.now() - t0;
}

try {
  const generated = existsSync(file) ? undefined : generate(file, rows, levels);
  console.log(
    `data: ${rows.toLocaleString("en-US")} rows, ${levels.toLocaleString("en-US")} levels, Parquet ${gib(statSync(file).size)}${generated === undefined ? " (reused)" : `, written in ${sec(generated)}`}`,
  );
  const duckdb = { threads: "2", memory_limit: "2GB", preserve_insertion_order: "false" };
  const times = { aggregate: [] as number[], reml: [] as number[], sample: [] as number[] };
  let summary = "";
  // Each stage is printed as it ends, with the process's peak resident memory so far.
  const peak = () => gib(process.resourceUsage().maxRSS * 1024);
  for (let run = 0; run < runs; run++) {
    let t0 = performance.now();
    const { model } = await duckDbFileModel(file, formula, { duckdb });
    times.aggregate.push(performance.now() - t0);
    console.log(`run ${run + 1}: DuckDB sums ${sec(times.aggregate[run]!)} (peak ${peak()})`);
    t0 = performance.now();
    // The fit is summarized and let go before sampling: the two never hold memory at once.
    const fitSummary = ((fit) =>
      `REML sds ${fit.varcorr
        .filter((v) => v.var2 === null)
        .map((v) => v.sdcor.toFixed(4))
        .join(", ")}, beta ${fit.beta.map((b) => b.toFixed(4)).join(", ")}`)(reml(model));
    times.reml.push(performance.now() - t0);
    console.log(`run ${run + 1}: REML ${sec(times.reml[run]!)} (peak ${peak()})`);
    t0 = performance.now();
    // Progress about every tenth of the run: iterations done (all chains), seconds per chain-iteration.
    const grand = 4 * (warmup + iter);
    let next = 0;
    const post = await gibbs(model, {
      iter,
      warmup,
      chains: 4,
      seed: 1,
      parallel,
      onProgress: ({ done }) => {
        if (done < next) return;
        next = done + Math.max(1, Math.round(grand / 10));
        const s = (performance.now() - t0) / 1000;
        console.log(
          `  ${done} / ${grand} chain-iterations, ${s.toFixed(0)} s, ${(s / Math.max(done, 1)).toFixed(3)} s each (peak ${peak()})`,
        );
      },
    });
    times.sample.push(performance.now() - t0);
    console.log(`run ${run + 1}: sampling ${sec(times.sample[run]!)} (peak ${peak()})`);
    // Convergence of the recorded core parameters (beta, sigma2, Psi): min bulk/tail ESS, max R-hat.
    let minBulk = Infinity;
    let minTail = Infinity;
    let maxRhat = 0;
    for (const name of post.parameters) {
      const chains = chainsOf(post, name);
      minBulk = Math.min(minBulk, essBulk(chains));
      minTail = Math.min(minTail, essTail(chains));
      maxRhat = Math.max(maxRhat, rhat(chains));
    }
    summary = `n ${model.n}, cells ${model.statistics!.count}; ${fitSummary}; sampler ${post.settings.strategy}, ${post.chains} × ${post.iterations}, parallel ${String(parallel)}; ${post.parameters.length} parameters: min ESS bulk ${minBulk.toFixed(0)}, tail ${minTail.toFixed(0)}, max R-hat ${maxRhat.toFixed(4)}`;
  }
  console.log(summary);
  console.log(`\n| stage (${runs === 1 ? "one run" : `median of ${runs} runs`}) | seconds |\n|---|---:|`);
  console.log(`| DuckDB: read Parquet, sums per level | ${(median(times.aggregate) / 1000).toFixed(1)} |`);
  console.log(`| REML from the sums | ${(median(times.reml) / 1000).toFixed(1)} |`);
  console.log(
    `| 4 chains × (${warmup} warmup + ${iter}) draws | ${(median(times.sample) / 1000).toFixed(1)} |`,
  );
  console.log(`\npeak resident memory of the process: ${gib(process.resourceUsage().maxRSS * 1024)}`);

  if (lme4) {
    // The first lme4Rows rows (whole levels: rows are in level order) as CSV for R, and ours on them.
    const csv = join(scratch, "subset.csv");
    const { openDuckDb } = await import("../src/node/duckdb");
    const { quoteString } = await import("../src/sql/quote");
    const db = await openDuckDb({ config: duckdb });
    const subset = `SELECT * FROM read_parquet(${quoteString(file)}) LIMIT ${lme4Rows}`;
    await db.query(`COPY (${subset}) TO ${quoteString(csv)} (HEADER, FORMAT CSV)`);
    await db.close();
    const ours: number[] = [];
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      const { model } = await duckDbFileModel(csv, formula, { duckdb });
      reml(model);
      ours.push(performance.now() - t0);
    }
    const spec = join(scratch, "spec.json");
    const out = join(scratch, "out.json");
    writeFileSync(spec, JSON.stringify({ csv, formula }));
    const r = spawnSync("Rscript", [join(here, "stats-scale-lme4.R"), spec, out], { stdio: "inherit" });
    if (r.status !== 0) console.log("lme4: Rscript failed (R and lme4 installed?)");
    else {
      const doc = JSON.parse((await import("node:fs")).readFileSync(out, "utf8")) as {
        read: number;
        lmer: number[];
        meta: { R: string; lme4: string };
      };
      // (jsonlite writes a one-element vector as a number.)
      doc.lmer = Array.isArray(doc.lmer) ? doc.lmer : [doc.lmer as unknown as number];
      const lmer = median(doc.lmer);
      const mine = median(ours) / 1000;
      console.log(
        `\nlme4 on the first ${lme4Rows.toLocaleString("en-US")} rows (${doc.meta.lme4}, ${doc.meta.R}): lmer() ${lmer.toFixed(1)} s (${doc.lmer.length === 1 ? "one fit" : `median of ${doc.lmer.length}`}; fread ${doc.read.toFixed(1)} s); ours, DuckDB sums of the same CSV + REML: ${mine.toFixed(1)} s (median of 3) — ratio ${(lmer / mine).toFixed(1)}×`,
      );
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
