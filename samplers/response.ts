/**
 * A compiled model with another response: the parts that depend on y (ytilde and its
 * cross-products Z'ytilde, X'ytilde, ytilde'ytilde) recomputed for a new y, everything else shared.
 * The least-squares shift beta0 is kept, so a chain state stays valid across the change — what the
 * Geweke (2004) successive-conditional simulator needs (scripts/calibration.ts), and simulation-based
 * calibration.
 */
import { type CrossProducts, responseProducts } from "../src/blocked/crossproducts";
import { ar1ResponseComponents } from "./ar1";
import { residualRowWeights, stratumProducts } from "./residual";
import type { SamplerModel } from "./types";

/**
 * The compiled model with response `y` (and `offset`, or null).
 *
 * @param model - a compiled model
 * @param y - the new response, length n
 * @param offset - the offset per row, or null
 * @returns a new SamplerModel sharing everything that does not depend on y
 * @example withResponse(compiled, simulatedY, null).crossProducts.yy // ytilde'ytilde of the new response
 */
export function withResponse(
  model: SamplerModel,
  y: Float64Array,
  offset: Float64Array | null,
): SamplerModel {
  const { n, p, X } = model;
  const ytilde = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = y[i]! - (offset === null ? 0 : offset[i]!);
    for (let t = 0; t < p; t++) v -= X[i * p + t]! * model.beta0[t]!;
    ytilde[i] = v;
  }
  const r = responseProducts(model.factors, X, p, ytilde, residualRowWeights(model.residual));
  const crossProducts: CrossProducts = { ...model.crossProducts, zy: r.zy, xy: r.xy, yy: r.yy };
  const blocks = model.blocks.map((block) => ({
    ...block,
    crossProducts: {
      ...block.crossProducts,
      zy: Array.from(block.factors, (k) => r.zy[k]!),
      xy: r.xy,
      yy: r.yy,
    },
  }));
  const residual =
    model.residual.kind === "varIdent"
      ? {
          ...model.residual,
          strata: stratumProducts(
            model.residual.refs,
            model.residual.levels.length,
            model.residual.weights,
            model.factors,
            X,
            p,
            ytilde,
          ),
        }
      : model.residual.kind === "ar1"
        ? {
            ...model.residual,
            components: ar1ResponseComponents(model.residual, model.factors, X, p, ytilde),
          }
        : model.residual;
  return { ...model, ytilde, crossProducts, blocks, residual };
}
