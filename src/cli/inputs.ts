/**
 * What every command that fits reads: the data file and the model the formula makes of it, with
 * their warnings passed on (held until the work starts; see run.ts).
 */
import { checkComputable } from "../limits";
import { lmm } from "../model/lmm";
import type { LmmModel } from "../model/types";
import { readDataFile } from "../node/data-file";
import type { CommandIO, FlagValues } from "./command";
import { optionalString, requiredString } from "./command";

/**
 * `--weights COLUMN`: precision weights (lme4's `weights =`); `--var-ident COLUMN`: a residual
 * variance per level of a column (nlme's varIdent) — the residual models of the commands that fit.
 */
export const RESIDUAL_OPTIONS = { weights: { type: "string" }, "var-ident": { type: "string" } } as const;
export const RESIDUAL_USAGE = `  --weights COLUMN  precision weights (lme4's weights =): row i's residual variance is sigma2 / w_i
  --var-ident COLUMN
                    a residual variance per level of COLUMN (nlme's varIdent(form = ~ 1 | COLUMN))`;

/**
 * Reads `--data` (CSV, Parquet or Arrow IPC) and builds the model of `--formula` (with the
 * `--weights` column's precision weights and the `--var-ident` column's strata when the command takes
 * those flags), passing their warnings
 * to `io.warn`.
 *
 * @param checkNumbers - also refuse data that double precision cannot fit (src/limits.ts), as every
 *   fit does: before the work starts rather than in the middle of it
 */
export async function readModel(flags: FlagValues, io: CommandIO, checkNumbers = true): Promise<LmmModel> {
  const dataPath = requiredString(flags, "data");
  const formula = requiredString(flags, "formula");
  const table = await readDataFile(dataPath);
  for (const w of table.warnings) io.warn(w);
  const weights = optionalString(flags, "weights");
  const varIdent = optionalString(flags, "var-ident");
  const model = lmm(formula, table, {
    ...(weights === undefined ? {} : { weights }),
    ...(varIdent === undefined ? {} : { varIdent }),
  });
  for (const w of model.warnings) io.warn(w);
  if (checkNumbers) checkComputable(model);
  return model;
}
