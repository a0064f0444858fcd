/**
 * Fitted examples shared by the shrinkage, comparison and report tests: sleepstudy `(Days | Subject)`
 * and Penicillin (crossed), REML-fitted and sampled briefly (the tests check structure and joins,
 * not posterior accuracy — the sampler's own tests do that).
 */
import { gibbsSync } from "../../samplers/gibbs";
import type { Posterior } from "../../src/draws/posterior";
import { lmm } from "../../src/model/lmm";
import type { LmmModel } from "../../src/model/types";
import { readCsvFile } from "../../src/node/data-file";
import { fitLmm } from "../../src/reml/fit";
import type { RemlFit } from "../../src/reml/types";
import { dataPath } from "../helpers/fixtures";

export interface Fitted {
  readonly model: LmmModel;
  readonly fit: RemlFit;
  readonly posterior: Posterior;
}

const cache = new Map<string, Fitted>();

function fitted(data: string, formula: string): Fitted {
  const key = `${data}|${formula}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const model = lmm(formula, readCsvFile(dataPath(data)));
  const fit = fitLmm(model);
  const posterior = gibbsSync(model, { iter: 600, warmup: 200, chains: 2, seed: 3 });
  const out = { model, fit, posterior };
  cache.set(key, out);
  return out;
}

export const sleepstudy = (): Fitted => fitted("sleepstudy", "Reaction ~ Days + (Days | Subject)");
export const penicillin = (): Fitted => fitted("Penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)");
