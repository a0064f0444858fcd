/**
 * src/priors: the conjugate priors of the model (parametrizations in ./types), their documented
 * data-scaled defaults (./defaults), and validation of a user's priors.json (./resolve).
 */
export {
  DEFAULT_BETA_SCALE,
  DEFAULT_PSI_SCALE_DIVISOR,
  defaultBetaPrior,
  defaultPriors,
  defaultPsiDf,
  defaultPsiScale,
  defaultSigma2Prior,
} from "./defaults";
export { describePriors } from "./describe";
export { type GroupingFactor, groupingFactors, type PsiBlock, sameGroup } from "./factors";
export { priorsToJson, resolvePriors } from "./resolve";
export type { MatrixSpec, PriorSpec, Priors, PsiPrior } from "./types";
