/**
 * Comparing our posterior with a Stan fixture (test/fixtures/posterior/NAME_bayes.json), by the
 * criteria of issue 4: each posterior mean within 4 × sqrt(our MCSE² + Stan's MCSE²) of Stan's, each
 * sd within 7%, the 2.5% and 97.5% quantiles within 0.2 posterior sd. Used by the quick test
 * (test/samplers/fixtures.test.ts) and the long run (scripts/posterior-fixtures.ts).
 */
import { readFileSync } from "node:fs";
import { summarizeDraws } from "../../diagnostics/summarize";
import { gibbsSync } from "../../samplers/gibbs";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import type { LmmModel } from "../../src/model/types";
import type { PriorSpec } from "../../src/priors/types";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

export interface StanRow {
  variable: string;
  mean: number;
  sd: number;
  "2.5%": number;
  "97.5%": number;
  mcse_mean: number;
}

export interface PosteriorFixture {
  model: string;
  data: string;
  formula: string;
  priors_cli: PriorSpec;
  summary: StanRow[];
  map: Record<string, string[]>;
  draws_per_chain: number;
  chains: number;
  stan_seconds: number;
}

export const POSTERIOR_FIXTURES = ["dyestuff", "sleep_int", "sleep_slope", "penicillin", "exam"] as const;

/**
 * Stan posterior sds that are themselves off by more than the 7% tolerance: heavy-tailed variance
 * components (posterior shape below 4, so the sd's estimator has infinite variance), where exact
 * quadrature (test/samplers/exact.test.ts) shows Stan's sd 10–11% low. Their sd is checked against
 * the quadrature instead; their mean and quantiles are still checked against Stan.
 */
export const STAN_SD_UNRELIABLE: Readonly<Record<string, string>> = {
  "Psi[Batch][(Intercept),(Intercept)]": "Dyestuff: Stan sd 1754, exact 1943 (quadrature)",
  "Psi[sample][(Intercept),(Intercept)]": "Penicillin: Stan sd 4.25, exact 4.79 (quadrature)",
};

export interface Comparison {
  parameter: string;
  ours: { mean: number; sd: number; q025: number; q975: number; mcse: number; essBulk: number; rhat: number };
  stan: StanRow;
  /** (ours - Stan) / sqrt(mcse² + mcse_stan²). */
  z: number;
  /** ours sd / Stan sd - 1. */
  sdRatio: number;
  /** (ours - Stan) / Stan sd, for the 2.5% and 97.5% quantiles. */
  q025Error: number;
  q975Error: number;
  meanOk: boolean;
  sdOk: boolean;
  quantilesOk: boolean;
}

/** Reads a fixture and builds its model through the package's own pipeline (`lmm`). */
export function fixtureModel(name: string) {
  const fixture = readJsonFixture<PosteriorFixture>(`posterior/${name}_bayes.json`);
  const dataName = {
    dyestuff: "Dyestuff",
    sleep_int: "sleepstudy",
    sleep_slope: "sleepstudy",
    penicillin: "Penicillin",
    exam: "Exam",
  }[name];
  if (dataName === undefined) throw new Error(`unknown fixture ${name}`);
  const data = parseCsv(readFileSync(dataPath(dataName), "utf8"));
  return { fixture, model: lmm(fixture.formula, data) };
}

/** Runs our sampler with the fixture's priors and compares every mapped parameter. */
export function compareWithFixture(
  name: string,
  iter: number,
  seed: number,
  chains = 4,
): { comparisons: Comparison[]; seconds: number } {
  const { fixture, model } = fixtureModel(name);
  return compareModelWithFixture(fixture, model, iter, seed, chains);
}

/** Runs our sampler on `model` with the fixture's priors and compares every mapped parameter. */
export function compareModelWithFixture(
  fixture: Pick<PosteriorFixture, "model" | "priors_cli" | "summary"> & {
    map: Record<string, string | string[]>;
  },
  model: LmmModel,
  iter: number,
  seed: number,
  chains = 4,
  strategy: "auto" | "joint" | "by-factor" = "auto",
): { comparisons: Comparison[]; seconds: number } {
  const post = gibbsSync(model, { iter, warmup: 1000, chains, seed, priors: fixture.priors_cli, strategy });
  const parameters = fixture.summary.map((row) => {
    const entry = fixture.map[row.variable];
    const mapped = typeof entry === "string" ? [entry] : entry;
    if (mapped === undefined || mapped.length !== 1)
      throw new Error(`fixture ${fixture.model}: no single name for ${row.variable}`);
    return mapped[0]!;
  });
  const table = summarizeDraws(post, ["mean", "sd", "q2.5", "q97.5", "mcse_mean", "ess_bulk", "rhat"], {
    parameters,
  });
  const comparisons = fixture.summary.map((stan, k) => {
    const v = table.rows[k]!.values;
    const ours = {
      mean: v["mean"]!,
      sd: v["sd"]!,
      q025: v["q2.5"]!,
      q975: v["q97.5"]!,
      mcse: v["mcse_mean"]!,
      essBulk: v["ess_bulk"]!,
      rhat: v["rhat"]!,
    };
    const z = (ours.mean - stan.mean) / Math.sqrt(ours.mcse ** 2 + stan.mcse_mean ** 2);
    const sdRatio = ours.sd / stan.sd - 1;
    const q025Error = (ours.q025 - stan["2.5%"]) / stan.sd;
    const q975Error = (ours.q975 - stan["97.5%"]) / stan.sd;
    return {
      parameter: parameters[k]!,
      ours,
      stan,
      z,
      sdRatio,
      q025Error,
      q975Error,
      meanOk: Math.abs(z) < 4,
      sdOk: Math.abs(sdRatio) < 0.07,
      quantilesOk: Math.abs(q025Error) < 0.2 && Math.abs(q975Error) < 0.2,
    };
  });
  return { comparisons, seconds: post.seconds };
}
