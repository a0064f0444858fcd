/**
 * `bayes-lmm fit --data FILE.csv --formula "..." [--ml] [--compare] [--json]`: REML (default) or ML estimates,
 * lme4's `lmer` (CLI.md). JSON keys, as lme4 names them: `method`, `formula`, `nobs`, `ngroups`,
 * `fixef`, `se`, `vcov`, `sigma`, `theta`, `varcorr`, `logLik`, `AIC`, `BIC`, `REMLcrit` (REML) or
 * `deviance` (ML), `singular`, `ranef` ({ GROUP: { levels, names, values } }); and also
 * `singular_reasons`, `optimizer` (evaluations, convergence) and `warnings`. Without `--json`, the
 * fit is printed as lme4's `summary` prints it. `--compare` also samples the posterior (the sampler's
 * defaults: default priors, 4 chains × (1,000 + 5,000), seed 1) and prints it beside the fit
 * (JSON key `comparison`).
 */
import { compare, formatComparison } from "../../../diagnostics/compare";
import type { LmmModel } from "../../model/types";
import { fitLmm, ranefByGroup } from "../../reml/fit";
import { fitSummary } from "../../reml/summary";
import type { FitMethod, RemlFit } from "../../reml/types";
import type { Command, CommandIO } from "../command";
import {
  DATA_SOURCE_OPTIONS,
  DATA_SOURCE_USAGE,
  dataSource,
  RESIDUAL_OPTIONS,
  RESIDUAL_USAGE,
  readModel,
} from "../inputs";
import { QUIET_OPTION, QUIET_USAGE, sampleWithProgress } from "../sampling";

/** The REML (or ML) fit, with a progress line on a terminal for fits that take a while. */
export function fitWithProgress(model: LmmModel, method: FitMethod, io: CommandIO): RemlFit {
  const progress = io.progress(`fitting by ${method}`, "evaluations");
  try {
    return fitLmm(model, { method, onProgress: (p) => progress.update(p.evaluations) });
  } finally {
    progress.done();
  }
}

/** The JSON document `bayes-lmm fit --json` prints (CLI.md's keys first). */
export function fitJson(fit: RemlFit): Record<string, unknown> {
  const byName = (values: readonly number[]): Record<string, number> =>
    Object.fromEntries(fit.fixedNames.map((n, j) => [n, values[j]!]));
  const ranef = Object.fromEntries(
    Object.entries(ranefByGroup(fit)).map(([g, r]) => [
      g,
      { levels: r.levels, names: r.names, values: r.values },
    ]),
  );
  return {
    method: fit.method,
    formula: fit.formula,
    nobs: fit.nobs,
    ngroups: fit.ngroups,
    fixef: byName(fit.beta),
    se: byName(fit.se),
    vcov: fit.vcov,
    sigma: fit.sigma,
    theta: fit.theta,
    varcorr: fit.varcorr,
    logLik: fit.logLik,
    AIC: fit.AIC,
    BIC: fit.BIC,
    ...(fit.method === "REML" ? { REMLcrit: fit.criterion } : { deviance: fit.criterion }),
    singular: fit.singular,
    ranef,
    singular_reasons: fit.singularReasons,
    optimizer: {
      name: fit.optimizer.name,
      converged: fit.optimizer.converged,
      message: fit.optimizer.message,
      iterations: fit.optimizer.iterations,
      evaluations: fit.optimizer.evaluations,
      gradient_evaluations: fit.optimizer.gradientEvaluations,
      gradient_norm: fit.optimizer.gradientNorm,
      predicted_decrease: fit.optimizer.predictedDecrease,
      seconds: fit.optimizer.seconds,
    },
    warnings: [...fit.model.warnings, ...fit.optimizer.warnings],
    ...(fit.varIdent === undefined
      ? {}
      : {
          varIdent: {
            group: fit.varIdent.group,
            delta: Object.fromEntries(fit.varIdent.levels.map((l, k) => [l, fit.varIdent!.delta[k]!])),
          },
        }),
    ...(fit.ar1 === undefined ? {} : { ar1: { time: fit.ar1.time, group: fit.ar1.group, phi: fit.ar1.phi } }),
  };
}

export const fitCommand: Command = {
  name: "fit",
  summary: "REML or ML estimates (lme4's lmer)",
  usage: `Usage: bayes-lmm fit --data FILE.csv --formula "y ~ x + (x | g)" [--ml] [--compare] [--json]

Fits the linear mixed model by REML (default) or maximum likelihood (--ml), as lme4's lmer does,
and prints the fit as lme4's summary() does: criterion, scaled residuals, variance components,
fixed effects with standard errors, and the optimizer's convergence report.

Flags:
${DATA_SOURCE_USAGE}
  --ml            maximum likelihood instead of REML
${RESIDUAL_USAGE}
  --compare       also sample the posterior (default priors, 4 chains × (1000 + 5000), seed 1;
                  "bayes-lmm sample --compare" sets these) and print it beside the fit
  --json          print one JSON document: method, formula, nobs, ngroups, fixef, se, vcov, sigma,
                  theta, varcorr, logLik, AIC, BIC, REMLcrit (REML) or deviance (ML), singular,
                  ranef { GROUP: { levels, names, values } }, singular_reasons, optimizer, warnings
${QUIET_USAGE}

Example:
  bayes-lmm fit --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)" --ml --json
`,
  options: {
    ...DATA_SOURCE_OPTIONS,
    ...RESIDUAL_OPTIONS,
    ml: { type: "boolean" },
    compare: { type: "boolean" },
    json: { type: "boolean" },
    ...QUIET_OPTION,
  },
  async run(flags, io) {
    dataSource(flags);
    const model = await readModel(flags, io);
    // The fit can still find the data unfit (a perfect fit): bad input, so before the work "starts".
    const fit = fitWithProgress(model, flags["ml"] === true ? "ML" : "REML", io);
    io.startWork();
    // The printed summary has the optimizer's warnings in it; with --json they go to standard error.
    if (flags["json"] === true) for (const w of fit.optimizer.warnings) io.warn(w);
    const comparison =
      flags["compare"] === true ? compare(await sampleWithProgress(model, {}, io), fit) : undefined;
    if (flags["json"] === true) {
      const doc = { ...fitJson(fit), ...(comparison === undefined ? {} : { comparison }) };
      io.stdout(
        `${JSON.stringify(doc, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`,
      );
      return;
    }
    io.stdout(fitSummary(fit));
    if (comparison !== undefined) io.stdout(`\n${formatComparison(comparison)}`);
  },
};
