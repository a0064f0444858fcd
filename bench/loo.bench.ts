/**
 * Model comparison, timed: `npm run bench -- loo`.
 *
 * 1. The pointwise log-likelihood of sleepstudy `Reaction ~ Days + (Days | Subject)` at 4 × 5,000
 *    draws: per row (180 points, conditional) and per Subject (18 points, marginal: a 2 × 2 Cholesky
 *    per Subject and draw).
 * 2. loo (PSIS with relative efficiencies from the chains), waic and dic on those matrices, and
 *    loo computed point by point from the model (pointwiseLogLik: no S × N matrix stored).
 * 3. Exam `normexam ~ standLRT + sex + (standLRT | school)`, 4,059 rows × 20,000 draws: loo point by
 *    point — the stored matrix would take 650 MB — per row and per school.
 * 4. Chib's marginal likelihood (its reduced run) beside the sampling time of the same model.
 *
 * Medians of 5 repeats (3 for Exam) after a warm-up run (the machine is shared); R's loo 2.5.1 on the same 20,000 × 180 matrix, timed
 * once on this kind of machine for scale, is in the README.
 */
import { readFileSync } from "node:fs";
import { dic } from "../diagnostics/loo/dic";
import { loo } from "../diagnostics/loo/loo";
import { waic } from "../diagnostics/loo/waic";
import { gibbsSync } from "../samplers/gibbs";
import { marginalLikelihood } from "../samplers/marginalLikelihood";
import { parseCsv } from "../src/data/csv";
import { logLikAtMean, logLikMatrix, pointwiseLogLik } from "../src/loglik/pointwise";
import { lmm } from "../src/model/lmm";
import { medianTime } from "./timing";

const rows: string[][] = [];
function report(what: string, ms: number): void {
  rows.push([what, ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`]);
}

const read = (name: string) => parseCsv(readFileSync(`test/fixtures/data/${name}.csv`, "utf8"));
const sleep = lmm("Reaction ~ Days + (Days | Subject)", read("sleepstudy"));
const t0 = performance.now();
const post = gibbsSync(sleep, { iter: 5000, warmup: 1000, chains: 4, seed: 1, randomEffects: "draws" });
const sampleMs = performance.now() - t0;

report(
  "logLikMatrix, rows (180 × 20,000)",
  medianTime(() => logLikMatrix(sleep, post, { by: "rows" }), 5),
);
report(
  "logLikMatrix, Subject marginal (18 × 20,000)",
  medianTime(() => logLikMatrix(sleep, post, { by: "Subject" }), 5),
);
const llRows = logLikMatrix(sleep, post, { by: "rows" });
const llSubject = logLikMatrix(sleep, post, { by: "Subject" });
report(
  "loo, rows (stored matrix)",
  medianTime(() => loo(llRows), 5),
);
report(
  "waic, rows",
  medianTime(() => waic(llRows), 5),
);
report(
  "dic, rows (with logLikAtMean)",
  medianTime(() => dic(llRows, { logLikAtMean: logLikAtMean(sleep, post, { by: "rows" }).total }), 5),
);
report(
  "loo, Subject marginal (stored)",
  medianTime(() => loo(llSubject), 5),
);
report(
  "loo, rows, point by point from the model",
  medianTime(() => loo(pointwiseLogLik(sleep, post, { by: "rows" })), 5),
);

const exam = lmm("normexam ~ standLRT + sex + (standLRT | school)", read("Exam"));
const examPost = gibbsSync(exam, { iter: 5000, warmup: 1000, chains: 4, seed: 1, randomEffects: "draws" });
report(
  "Exam loo, rows (4,059 × 20,000), point by point",
  medianTime(() => loo(pointwiseLogLik(exam, examPost, { by: "rows" })), 3),
);
report(
  "Exam loo, school marginal (65 × 20,000)",
  medianTime(() => loo(pointwiseLogLik(exam, examPost, { by: "school" })), 3),
);

report("sleepstudy: gibbs 4 × (1,000 + 5,000), once", sampleMs);
report(
  "sleepstudy: marginalLikelihood (reduced run 4 × 6,000)",
  medianTime(() => marginalLikelihood(sleep, post), 5),
);

const width = Math.max(...rows.map((r) => r[0]!.length));
console.log(`| ${"what".padEnd(width)} | median |`);
console.log(`|${"-".repeat(width + 2)}|---:|`);
for (const [what, m] of rows) console.log(`| ${what!.padEnd(width)} | ${m} |`);
