/**
 * DIC, the deviance information criterion (Spiegelhalter, Best, Carlin & van der Linde 2002), from
 * the draws of a pointwise log-likelihood. With the deviance D(θ) = −2 Σ_i log p(y_i | θ) and D̄ its
 * posterior mean:
 *     plug-in:   p_D = D̄ − D(θ̄),      DIC = D̄ + p_D   (needs log p(y | θ̄), the log-likelihood at
 *                the posterior mean, which depends on the parametrization: src/loglik's
 *                `logLikAtMean` gives it for the model's own (beta, b, sigma2, Psi));
 *     variance:  p_V = var(D) / 2,      DIC = D̄ + p_V   (Gelman, Carlin, Stern & Rubin 2004; BDA3
 *                §7.2: p_DIC,alt = 2 var(log p(y | θ)); a function of the draws alone).
 * elpd_dic = −DIC / 2 is on the scale of elpd_loo. p_D can be negative when the posterior mean is a
 * poor summary (a skewed posterior); p_V cannot.
 *
 * References: Spiegelhalter, Best, Carlin & van der Linde (2002) Bayesian measures of model
 * complexity and fit, JRSS B 64(4):583–639, doi:10.1111/1467-9868.00353. Gelman, Hwang & Vehtari
 * (2014) Understanding predictive information criteria for Bayesian models, Stat. Comput.
 * 24:997–1016, doi:10.1007/s11222-013-9416-2.
 */
import { ArgumentError } from "../../src/errors";
import { checkOptionsArgument } from "../../src/validate";
import { checkFinite, type LogLikInput, pointReader, sampleVariance } from "./pointwise";

/** The result of {@link dic}. */
export interface DicResult {
  readonly kind: "dic";
  /** "plug-in" when logLikAtMean was given, else "variance". */
  readonly method: "plug-in" | "variance";
  readonly dic: number;
  /** The effective number of parameters used (p_D for plug-in, p_V for variance). */
  readonly p_dic: number;
  readonly elpd_dic: number;
  /** Posterior mean deviance D̄. */
  readonly dbar: number;
  /** D(θ̄) (plug-in only, else NaN). */
  readonly dhat: number;
  /** p_D (plug-in only, else NaN) and p_V = var(D)/2 (always). */
  readonly p_d: number;
  readonly p_v: number;
}

/**
 * DIC of a pointwise log-likelihood.
 *
 * @param logLik - S draws × N points (Draws, one parameter per point) or a pointwise function
 * @param options - `logLikAtMean`: log p(y | θ̄) (the sum over points) for the plug-in DIC
 * @returns DIC, p_DIC (p_D or p_V), elpd_dic, D̄, D(θ̄), p_D, p_V
 * @throws ArgumentError for non-finite values or a non-finite logLikAtMean
 * @example dic(ll, { logLikAtMean: logLikAtMean(model, post).total }).p_dic // ≈ the number of effective parameters
 * @see Spiegelhalter et al. (2002), doi:10.1111/1467-9868.00353
 */
export function dic(logLik: LogLikInput, options: { readonly logLikAtMean?: number } = {}): DicResult {
  checkOptionsArgument(options);
  const reader = pointReader(logLik, "logLik");
  const S = reader.draws;
  const total = new Float64Array(S);
  const buffer = new Float64Array(S);
  for (let i = 0; i < reader.points; i++) {
    const ll = reader.read(i, buffer);
    checkFinite(ll, i, reader.names);
    for (let s = 0; s < S; s++) total[s] = total[s]! + ll[s]!;
  }
  let mean = 0;
  for (let s = 0; s < S; s++) mean += total[s]!;
  mean /= S;
  const dbar = -2 * mean;
  const pV = (4 * sampleVariance(total, 0, S)) / 2;
  const at = options.logLikAtMean;
  if (at !== undefined && !Number.isFinite(at))
    throw new ArgumentError("options.logLikAtMean", "must be a finite number", at);
  const dhat = at === undefined ? Number.NaN : -2 * at;
  const pD = dbar - dhat;
  const method = at === undefined ? "variance" : "plug-in";
  const p = method === "plug-in" ? pD : pV;
  const value = dbar + p;
  return { kind: "dic", method, dic: value, p_dic: p, elpd_dic: -value / 2, dbar, dhat, p_d: pD, p_v: pV };
}
