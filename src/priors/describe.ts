/**
 * One line of text per prior, for people: what the CLI's `sample` prints and the report shows.
 *
 *     beta ~ N(mean [298.5, 0], cov diag [5.6e+05, 6.9e+03])  (default)
 *     sigma2 ~ InvGamma(shape 0.5, scale 1586)  (default)
 *     Psi[Subject] ~ InvWishart(df 3, scale diag [317.3, 35.26])  (default)
 *     (phi + 1) / 2 ~ Beta(1, 1)  (default)                  (AR(1) residuals only)
 *
 * A matrix is written as its diagonal when it is diagonal, in full otherwise.
 */

import { checkObjectArgument } from "../validate";
import type { Priors } from "./types";

/** A number to 4 significant digits, without trailing zeros. */
function short(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  const text = a >= 1e5 || a < 1e-3 ? x.toExponential(1) : x.toPrecision(4);
  return text.includes("e") ? text : text.replace(/\.?0+$/, "");
}

/** `diag [a, b]` for a diagonal n × n row-major matrix, `[[a, b], [c, d]]` otherwise. */
function matrix(values: Float64Array, n: number): string {
  let diagonal = true;
  for (let i = 0; i < n && diagonal; i++)
    for (let j = 0; j < n; j++) if (i !== j && values[i * n + j] !== 0) diagonal = false;
  if (diagonal) return `diag [${Array.from({ length: n }, (_, i) => short(values[i * n + i]!)).join(", ")}]`;
  const rows = Array.from(
    { length: n },
    (_, i) => `[${Array.from({ length: n }, (_, j) => short(values[i * n + j]!)).join(", ")}]`,
  );
  return `[${rows.join(", ")}]`;
}

/**
 * Describes resolved priors, one line each: beta, sigma2, then each grouping factor's Psi
 * (an uncorrelated factor's Psi is diagonal; its variances are InvGamma(df/2, scale_ii/2)).
 *
 * @param priors - resolved priors (`resolvePriors(model, spec)` or `posterior.priors`)
 * @returns lines of text, each ending in `(default)` where the documented default was used
 * @example describePriors(resolvePriors(model, { sigma2: { shape: 1, scale: 2 } }))[1]
 *   // "sigma2 ~ InvGamma(shape 1, scale 2)"
 */
export function describePriors(priors: Priors): string[] {
  checkObjectArgument(priors, "priors", "resolved priors (resolvePriors(model, spec))", [
    "beta",
    "sigma2",
    "psi",
  ]);
  const mark = (isDefault: boolean) => (isDefault ? "  (default)" : "");
  const p = priors.beta.mean.length;
  const lines = [
    `beta ~ N(mean [${Array.from(priors.beta.mean, short).join(", ")}], cov ${matrix(priors.beta.cov, p)})${mark(priors.beta.isDefault)}`,
    `sigma2 ~ InvGamma(shape ${short(priors.sigma2.shape)}, scale ${short(priors.sigma2.scale)})${mark(priors.sigma2.isDefault)}`,
  ];
  for (const psi of priors.psi) {
    const structure =
      psi.blocks.length <= 1
        ? ""
        : psi.blocks.every((b) => b.size === 1)
          ? ", Psi diagonal"
          : ", Psi block-diagonal";
    lines.push(
      `Psi[${psi.group}] ~ InvWishart(df ${short(psi.df)}, scale ${matrix(psi.scale, psi.q)})${structure}${mark(psi.isDefault)}`,
    );
  }
  if (priors.phi !== undefined)
    lines.push(
      `(phi + 1) / 2 ~ Beta(${short(priors.phi.a)}, ${short(priors.phi.b)})${mark(priors.phi.isDefault)}`,
    );
  return lines;
}
