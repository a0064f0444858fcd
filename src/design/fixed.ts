/**
 * The fixed-effects design matrix X: R's `model.matrix` of the formula's fixed part on the model
 * frame (./columns.ts), then lme4's rank check (./rank.ts): aliased columns are dropped, with a
 * warning naming them.
 */
import type { FormulaSpec } from "../formula/types";
import { designColumns, fillColumns } from "./columns";
import type { ModelFrame } from "./frame";
import { aliasedColumns } from "./rank";

/** lme4's tolerance for `chkRank.drop.cols` (`lmerControl()$checkControl`), relative to a column's norm. */
export const RANK_TOLERANCE = 1e-7;

/** X and what was dropped from it. */
export interface FixedDesign {
  /** Rows. */
  readonly n: number;
  /** Columns kept. */
  readonly p: number;
  /** n × p, row-major. */
  readonly X: Float64Array;
  /** Names of the kept columns, in order. */
  readonly names: readonly string[];
  /** Names of the columns dropped as linear combinations of earlier ones. */
  readonly aliased: readonly string[];
  /** A warning when columns were dropped (lme4's message), else empty. */
  readonly warnings: readonly string[];
}

/**
 * Builds the fixed-effects design matrix.
 *
 * @param spec - the formula's meaning (`intercept`, `fixed` are read).
 * @param frame - the model frame.
 * @returns X (row-major), its column names, the aliased columns dropped and a warning about them.
 * @throws DataError when a factor coded by treatment contrasts has a single level.
 * @example
 * // y ~ x on x = [1, 2, 3]
 * fixedDesign(spec, frame).X // Float64Array [1, 1, 1, 2, 1, 3], names ["(Intercept)", "x"]
 */
export function fixedDesign(
  spec: Pick<FormulaSpec, "intercept" | "fixed"> & Partial<Pick<FormulaSpec, "expressions">>,
  frame: ModelFrame,
): FixedDesign {
  const n = frame.n;
  const columns = designColumns(spec.intercept, spec.fixed, frame, "the fixed effects", spec.expressions);
  const full = columns.length;
  // Column-major copy for the rank check (which overwrites it).
  const work = new Float64Array(n * full);
  for (let c = 0; c < full; c++) fillColumns(n, [columns[c]!], work, 1, c * n);
  const aliased = aliasedColumns(n, full, work, RANK_TOLERANCE);
  const kept = columns.filter((_, c) => aliased[c] === 0);
  const dropped = columns.filter((_, c) => aliased[c] === 1).map((c) => c.name);
  const p = kept.length;
  const X = new Float64Array(n * p);
  fillColumns(n, kept, X, p, 0);
  const warnings =
    dropped.length === 0
      ? []
      : [
          `fixed-effect model matrix is rank deficient so dropping ${dropped.length} column${dropped.length === 1 ? "" : "s"} / coefficient${dropped.length === 1 ? "" : "s"}: ${dropped.map((d) => `\`${d}\``).join(", ")}`,
        ];
  return { n, p, X, names: kept.map((c) => c.name), aliased: dropped, warnings };
}
