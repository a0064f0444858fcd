/**
 * Summaries of posterior predictive draws (src/predict/posterior.ts), per row, as brms's `predict`
 * and `fitted` summaries give them: Estimate (posterior mean), Est.Error (posterior sd), and the
 * central credible interval's ends (Q2.5, Q97.5 for prob 0.95; R's type-7 quantiles) — through
 * `summarizeDerived`, so the numbers are the doubles every other summary of the package shows.
 */

import { ArgumentError } from "../src/errors";
import type { PredictiveDraws } from "../src/predict/posterior";
import type { RowSummaries } from "./linear-predictor";
import { checkProb, summarizeDerived } from "./posterior-summary";

/** Per-row summaries of predictive draws. */
export interface PredictiveSummary extends RowSummaries {
  /** For each row summarized, its 0-based row in the data given. */
  readonly rows: Int32Array;
  /** Posterior medians. */
  readonly median: Float64Array;
  /** The interval's probability. */
  readonly prob: number;
}

/** Whether `x` looks like predictive draws (the result of `posteriorPredict` and friends). */
function checkPredictiveDraws(x: unknown, argument: string): asserts x is PredictiveDraws {
  const d = x as PredictiveDraws;
  if (
    typeof x !== "object" ||
    x === null ||
    !(d.values instanceof Float64Array) ||
    !Number.isInteger(d.n) ||
    !Number.isInteger(d.chains) ||
    !Number.isInteger(d.iterations) ||
    d.values.length !== d.n * d.chains * d.iterations ||
    !(d.rows instanceof Int32Array) ||
    d.rows.length !== d.n
  )
    throw new ArgumentError(
      argument,
      "must be posterior predictive draws (posteriorPredict(post), posteriorLinpred(post), posteriorEpred(post))",
      typeof x === "object" && x !== null ? Object.keys(x).slice(0, 6).join(", ") : x,
    );
}

/**
 * Per-row posterior summaries of predictive draws: mean (brms's Estimate), sd (Est.Error), the
 * central `prob` interval (Q2.5, Q97.5) and the median.
 *
 * @param draws - from `posteriorPredict`, `posteriorLinpred` or `posteriorEpred`
 * @param prob - credible interval probability @default 0.95
 * @returns one entry per row in each column
 * @throws ArgumentError for anything but predictive draws, or prob outside (0, 1)
 * @example predictiveSummary(posteriorPredict(post, { newdata })).estimate // brms's Estimate column
 */
export function predictiveSummary(draws: PredictiveDraws, prob = 0.95): PredictiveSummary {
  checkPredictiveDraws(draws, "draws");
  checkProb(prob);
  const { n, chains, iterations, values } = draws;
  const names = Array.from({ length: n }, (_, i) => `${draws.kind}[${i + 1}]`);
  const rows = summarizeDerived(
    names,
    chains,
    iterations,
    (i, out) => {
      for (let d = 0; d < out.length; d++) out[d] = values[d * n + i]!;
    },
    prob,
  );
  return {
    rows: Int32Array.from(draws.rows),
    estimate: Float64Array.from(rows, (r) => r.estimate),
    se: Float64Array.from(rows, (r) => r.se),
    lower: Float64Array.from(rows, (r) => r.lower),
    median: Float64Array.from(rows, (r) => r.median),
    upper: Float64Array.from(rows, (r) => r.upper),
    prob,
  };
}

/**
 * The draws of one row, chain-major (`out[c * iterations + t]`): for pictures and checks of a row.
 *
 * @param draws - predictive draws
 * @param i - the 0-based column (row of the prediction)
 * @returns a new array of chains × iterations values
 */
export function rowDraws(draws: PredictiveDraws, i: number): Float64Array {
  checkPredictiveDraws(draws, "draws");
  if (!(Number.isInteger(i) && i >= 0 && i < draws.n))
    throw new ArgumentError("i", `must be a row from 0 to ${draws.n - 1}`, i);
  const D = draws.chains * draws.iterations;
  const out = new Float64Array(D);
  for (let d = 0; d < D; d++) out[d] = draws.values[d * draws.n + i]!;
  return out;
}
