/**
 * Paths and readers for the reference fixtures in test/fixtures (see its README for provenance).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");

/** Reads and parses a JSON fixture, e.g. `readJsonFixture("lme4/sleep_slope_reml.json")`. */
export function readJsonFixture<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, relativePath), "utf8")) as T;
}

/** The path of a data set, e.g. `dataPath("sleepstudy")`. */
export function dataPath(name: string): string {
  return join(FIXTURES, "data", `${name}.csv`);
}

/** The lme4 fixture names (`sleep_slope_reml`, ...), each a file lme4/NAME.json. */
export const LME4_MODELS = [
  "dyestuff_reml",
  "dyestuff_ml",
  "dyestuff2_reml",
  "dyestuff2_ml",
  "sleep_int_reml",
  "sleep_int_ml",
  "sleep_slope_reml",
  "sleep_slope_ml",
  "sleep_uncor_reml",
  "sleep_uncor_ml",
  "penicillin_reml",
  "penicillin_ml",
  "pastes_reml",
  "pastes_ml",
  "exam_reml",
  "exam_ml",
  "insteval_reml",
  "insteval_ml",
] as const;

/** Which data file each lme4 fixture was fitted to. */
export function lme4DataName(model: string): string {
  const d = readJsonFixture<{ data: string }>(`lme4/${model}.json`);
  return d.data;
}
