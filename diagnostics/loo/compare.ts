/**
 * Comparing models by their expected log pointwise predictive density, as the R package loo 2.5.1's
 * `loo_compare()`: models ordered by elpd (best first); for each, the difference from the best
 *     elpd_diff = Σ_i (elpd_i(model) − elpd_i(best)),   se_diff = √N · sd_i(elpd_i(model) − elpd_i(best)),
 * the standard error of a paired difference, which is what makes the comparison sharper than the two
 * models' own SEs (Vehtari, Gelman & Gabry 2017, §5).
 */
import { ArgumentError } from "../../src/errors";
import type { LooResult } from "./loo";
import { sampleVariance } from "./pointwise";
import type { WaicResult } from "./waic";

/** One row of {@link looCompare}'s table (loo's `compare.loo` matrix). */
export interface LooCompareRow {
  readonly model: string;
  readonly elpd_diff: number;
  readonly se_diff: number;
  /** The model's own estimates: elpd_loo, se_elpd_loo, p_loo, ... (or the WAIC ones). */
  readonly estimates: Readonly<Record<string, number>>;
}

function estimatesOf(x: LooResult | WaicResult): Record<string, number> {
  return x.kind === "loo"
    ? {
        elpd_loo: x.elpd_loo,
        se_elpd_loo: x.se_elpd_loo,
        p_loo: x.p_loo,
        se_p_loo: x.se_p_loo,
        looic: x.looic,
        se_looic: x.se_looic,
      }
    : {
        elpd_waic: x.elpd_waic,
        se_elpd_waic: x.se_elpd_waic,
        p_waic: x.p_waic,
        se_p_waic: x.se_p_waic,
        waic: x.waic,
        se_waic: x.se_waic,
      };
}

function pointwiseElpd(x: LooResult | WaicResult): Float64Array {
  return x.kind === "loo" ? x.pointwise.elpd_loo : x.pointwise.elpd_waic;
}

/**
 * loo's `loo_compare`: the models ordered by elpd, best first, each with elpd_diff and se_diff from
 * the best (0 and 0 for the best itself).
 *
 * @param models - two or more `loo` (or two or more `waic`) results on the same points, by name
 *   (`{ m1: loo(ll1), m2: loo(ll2) }`) or as an array (named model1, model2, ...)
 * @returns one row per model, best first
 * @throws ArgumentError for fewer than two models, mixed loo and waic results, different numbers of
 *   points, or different point names (different data)
 * @example looCompare({ intercept: loo(ll1), slope: loo(ll2) })[1].elpd_diff // ≤ 0
 * @see Vehtari, Gelman & Gabry (2017) Stat. Comput. 27:1413–1432, doi:10.1007/s11222-016-9696-4
 */
export function looCompare(
  models: Readonly<Record<string, LooResult | WaicResult>> | readonly (LooResult | WaicResult)[],
): LooCompareRow[] {
  if (typeof models !== "object" || models === null)
    throw new ArgumentError("models", "must be an array or an object of loo or waic results", models);
  const entries: [string, LooResult | WaicResult][] = Array.isArray(models)
    ? models.map((m, k) => [`model${k + 1}`, m] as [string, LooResult | WaicResult])
    : Object.entries(models as Readonly<Record<string, LooResult | WaicResult>>);
  if (entries.length < 2) throw new ArgumentError("models", "must hold at least two models", entries.length);
  const [firstName, first] = entries[0]!;
  for (const [name, m] of entries) {
    if (m === null || typeof m !== "object" || (m.kind !== "loo" && m.kind !== "waic"))
      throw new ArgumentError(`models.${name}`, "must be the result of loo() or waic()", m);
    if (m.kind !== first.kind)
      throw new ArgumentError(
        `models.${name}`,
        `must be a ${first.kind} result like \`${firstName}\``,
        m.kind,
      );
    if (m.points !== first.points)
      throw new ArgumentError(
        `models.${name}`,
        `must have as many points as \`${firstName}\` (${first.points}): models are compared on the same data`,
        m.points,
      );
    const differs = m.names.findIndex((n, i) => n !== first.names[i]);
    if (differs >= 0)
      throw new ArgumentError(
        `models.${name}`,
        `must have the same points as \`${firstName}\` (point ${differs + 1} is \`${m.names[differs]}\` there, \`${first.names[differs]}\` here): models are compared on the same data`,
        m.names[differs],
      );
  }
  const elpd = entries.map(([, m]) => (m.kind === "loo" ? m.elpd_loo : m.elpd_waic));
  const order = entries.map((_, k) => k).sort((a, b) => elpd[b]! - elpd[a]! || a - b);
  const best = pointwiseElpd(entries[order[0]!]![1]);
  const N = best.length;
  const diffs = new Float64Array(N);
  return order.map((k) => {
    const [name, m] = entries[k]!;
    const pt = pointwiseElpd(m);
    let sum = 0;
    for (let i = 0; i < N; i++) {
      diffs[i] = pt[i]! - best[i]!;
      sum += diffs[i]!;
    }
    const sd = Math.sqrt(sampleVariance(diffs, 0, N));
    return { model: name, elpd_diff: sum, se_diff: Math.sqrt(N) * sd, estimates: estimatesOf(m) };
  });
}
