/**
 * lme4's column of the benchmarks: times `lmer()` on the same data in the same run (bench/lme4.R via
 * Rscript) when R with lme4 is installed, else returns null and the caller prints the committed
 * anchors, labelled as such.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** One model for lme4: its data as a CSV file, formula, REML or ML, and how many timed fits. */
export interface Lme4Job {
  readonly name: string;
  readonly csv: string;
  readonly formula: string;
  readonly REML: boolean;
  readonly repeats: number;
}

/** Whether Rscript with lme4 and jsonlite can be run here. */
export function lme4Available(): boolean {
  const r = spawnSync("Rscript", ["-e", "suppressMessages({library(lme4); library(jsonlite)})"], {
    stdio: "ignore",
  });
  return r.status === 0;
}

/**
 * Median seconds per lmer() fit of each job (after one warm fit), or null when R/lme4 is missing or
 * the run fails or takes longer than `timeoutSeconds`.
 */
export function timeLme4(jobs: readonly Lme4Job[], timeoutSeconds = 3600): Record<string, number> | null {
  if (jobs.length === 0 || !lme4Available()) return null;
  const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-lme4-"));
  try {
    const spec = join(dir, "spec.json");
    const out = join(dir, "out.json");
    writeFileSync(spec, JSON.stringify(jobs));
    const r = spawnSync("Rscript", [join(here, "lme4.R"), spec, out], {
      stdio: ["ignore", "ignore", "inherit"],
      timeout: timeoutSeconds * 1000,
    });
    if (r.status !== 0) return null;
    const parsed = JSON.parse(readFileSync(out, "utf8")) as Record<string, { median: number }>;
    const result: Record<string, number> = {};
    for (const job of jobs) if (parsed[job.name] !== undefined) result[job.name] = parsed[job.name]!.median;
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes columns as a CSV file in a fresh temporary folder (for lme4's read.csv); returns its path and a cleanup. */
export function temporaryCsv(columns: Record<string, ArrayLike<number | string>>): {
  path: string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-data-"));
  const names = Object.keys(columns);
  const n = columns[names[0]!]!.length;
  const lines: string[] = [names.join(",")];
  for (let i = 0; i < n; i++) lines.push(names.map((c) => String(columns[c]![i])).join(","));
  const path = join(dir, "data.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
