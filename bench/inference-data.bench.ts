/**
 * InferenceData as netCDF4 (h5wasm): the one-time cost of loading h5wasm, and the time to write the
 * Exam posterior (4 × 5,000 draws of 137 parameters, random effects included) beside the draws CSV of
 * the same draws, and a large one (4 × 5,000 × 1,000 values, 160 MB). Medians of repeats, warm.
 * `npm run bench -- inference` (or `node --import tsx bench/inference-data.bench.ts`).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inferenceData } from "../diagnostics/inference-data";
import { gibbsSync } from "../samplers/gibbs";
import type { InferenceData } from "../src/draws/inference-data";
import { lmm } from "../src/model/lmm";
import { readCsvFile } from "../src/node/data-file";
import { writeDrawsCsv } from "../src/node/draws-file";
import { writeInferenceData } from "../src/node/inference-data-file";
import { median } from "./timing";

const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-bench-idata-"));

async function time(f: () => Promise<unknown> | unknown, repeats: number): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const rows: string[][] = [];
const model = lmm(
  "normexam ~ standLRT + sex + (standLRT | school)",
  readCsvFile("test/fixtures/data/Exam.csv"),
);
const post = gibbsSync(model, { iter: 5000, warmup: 1000, chains: 4, seed: 1 });
const exam = join(dir, "exam.nc");
const t0 = performance.now();
await writeInferenceData(inferenceData(post), exam);
rows.push([
  "first write (loads h5wasm), Exam",
  `${(performance.now() - t0).toFixed(0)} ms`,
  `${(statSync(exam).size / 1e6).toFixed(1)} MB`,
]);
const idata = inferenceData(post);
rows.push([
  "Exam: inferenceData() (groups, lp)",
  `${(await time(() => inferenceData(post), 5)).toFixed(0)} ms`,
  "",
]);
rows.push([
  "Exam: write netCDF4",
  `${(await time(() => writeInferenceData(idata, exam), 7)).toFixed(0)} ms`,
  `${(statSync(exam).size / 1e6).toFixed(1)} MB`,
]);
const csv = join(dir, "exam.csv");
rows.push([
  "Exam: write draws CSV (same draws)",
  `${(await time(() => writeDrawsCsv(post, csv), 7)).toFixed(0)} ms`,
  `${(statSync(csv).size / 1e6).toFixed(1)} MB`,
]);
const big: InferenceData = {
  groups: [
    {
      name: "posterior",
      coords: {
        chain: Int32Array.from({ length: 4 }, (_, i) => i),
        draw: Int32Array.from({ length: 5000 }, (_, i) => i),
        k: Int32Array.from({ length: 1000 }, (_, i) => i),
      },
      variables: [
        {
          name: "x",
          dims: ["chain", "draw", "k"],
          values: Float64Array.from({ length: 4 * 5000 * 1000 }, (_, i) => Math.sin(i)),
        },
      ],
      attrs: {},
    },
  ],
};
const large = join(dir, "large.nc");
const ms = await time(() => writeInferenceData(big, large), 5);
rows.push([
  "4 × 5,000 × 1,000 values: write netCDF4",
  `${ms.toFixed(0)} ms`,
  `${(statSync(large).size / 1e6).toFixed(0)} MB (${(160 / (ms / 1000)).toFixed(0)} MB/s)`,
]);
rmSync(dir, { recursive: true, force: true });
const w = [Math.max(...rows.map((r) => r[0]!.length)), 10, 24];
console.log(`| ${"case".padEnd(w[0]!)} | ${"median".padStart(w[1]!)} | ${"size".padEnd(w[2]!)} |`);
console.log(`|${"-".repeat(w[0]! + 2)}|${"-".repeat(w[1]! + 1)}:|${"-".repeat(w[2]! + 2)}|`);
for (const r of rows)
  console.log(`| ${r[0]!.padEnd(w[0]!)} | ${r[1]!.padStart(w[1]!)} | ${r[2]!.padEnd(w[2]!)} |`);
