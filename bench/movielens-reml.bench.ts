/**
 * The MovieLens-1M-shaped design's REML fit (bench/data/movielens.ts: 1,000,209 ratings, 6,040 users
 * × 3,706 movies, `rating ~ 1 + (1 | user) + (1 | movie)`, seeded) beside lme4's on the same data,
 * timed in this run through bench/lme4.R. lme4's fit takes many minutes here: `BENCH_LME4_MOVIELENS=0`
 * prints the committed timing (test/fixtures/large/movielens_lme4.json, labelled) instead, as does a
 * machine without R. One fit each (`BENCH_REPEATS` for more).
 *
 *     npm run bench -- movielens
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lmm } from "../src/model/lmm";
import { fitLmm } from "../src/reml/fit";
import { MOVIELENS_FORMULA, movieLensLike } from "./data/movielens";
import { temporaryCsv, timeLme4 } from "./lme4";
import { median } from "./timing";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures");
const repeats = (fallback: number): number => Number(process.env["BENCH_REPEATS"] ?? fallback);
const ml = movieLensLike(1);
const mlModel = lmm(MOVIELENS_FORMULA, { user: ml.user, movie: ml.movie, rating: ml.rating });
// One fit takes minutes: the code is warm after its first seconds, so no separate warm-up fit.
const mlTimes: number[] = [];
let mlFit: ReturnType<typeof fitLmm> | null = null;
for (let r = 0; r < repeats(1); r++) {
  const t0 = performance.now();
  mlFit = fitLmm(mlModel);
  mlTimes.push((performance.now() - t0) / 1000);
}
let mlLme4: Record<string, number> | null = null;
let mlLme4Label = "";
if (process.env["BENCH_LME4_MOVIELENS"] !== "0") {
  const mlCsv = temporaryCsv({ user: ml.user, movie: ml.movie, rating: ml.rating });
  mlLme4 = timeLme4([
    { name: "movielens", csv: mlCsv.path, formula: MOVIELENS_FORMULA, REML: true, repeats: 1 },
  ]);
  mlCsv.remove();
}
if (mlLme4 === null) {
  const committed = JSON.parse(readFileSync(join(fixtures, "large", "movielens_lme4.json"), "utf8")) as {
    elapsed_seconds: number | null;
    at_least_seconds: number;
  };
  mlLme4 = { movielens: committed.elapsed_seconds ?? committed.at_least_seconds };
  mlLme4Label =
    committed.elapsed_seconds === null ? " or more (committed: unfinished)" : " (committed timing)";
}
const mlLme4Seconds = mlLme4["movielens"]!;
const lines: string[] = [
  `Node ${process.version}; one process, one thread.`,
  "",
  "REML (ours: one fit, no warm-up: it takes minutes; lme4: in this run when R is installed):",
  "",
  "| model | rows | ours | lme4 | ours / lme4 | evaluations (f / g) |",
  "|---|---:|---:|---:|---:|---:|",
  `| MovieLens-1M shape, ${MOVIELENS_FORMULA} | ${mlModel.n.toLocaleString("en")} | ${median(mlTimes).toFixed(1)} s | ${mlLme4Seconds.toFixed(1)} s${mlLme4Label} | ${(median(mlTimes) / mlLme4Seconds).toFixed(2)} | ${mlFit!.optimizer.evaluations} / ${mlFit!.optimizer.gradientEvaluations} |`,
  "",
];
process.stdout.write(`${lines.join("\n")}\n`);
