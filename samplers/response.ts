/**
 * A compiled model with another response: the parts that depend on y (ytilde and its
 * cross-products u, g, yy) recomputed for a new y, everything else shared. The least-squares shift
 * beta0 is kept, so a chain state stays valid across the change — what the Geweke (2004)
 * successive-conditional simulator needs (scripts/calibration.ts), and simulation-based calibration.
 */
import { restEntries } from "./compile";
import type { SamplerModel } from "./types";

/**
 * The compiled model with response `y` (and `offset`, or null).
 *
 * @param model - a compiled model
 * @param y - the new response, length n
 * @param offset - the offset per row, or null
 * @returns a new SamplerModel sharing everything that does not depend on y
 * @example withResponse(compiled, simulatedY, null).yy // ytilde'ytilde of the new response
 */
export function withResponse(
  model: SamplerModel,
  y: Float64Array,
  offset: Float64Array | null,
): SamplerModel {
  const { n, p, X } = model;
  const ytilde = new Float64Array(n);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    let v = y[i]! - (offset === null ? 0 : offset[i]!);
    for (let t = 0; t < p; t++) v -= X[i * p + t]! * model.beta0[t]!;
    ytilde[i] = v;
    yy += v * v;
  }
  const u = new Float64Array(model.u.length);
  const g = new Float64Array(model.g.length);
  if (model.strategy === "joint") {
    const block = model.blocks[0]!;
    const L = model.factors[block.lead]!;
    const cols = new Int32Array(block.dRest);
    const vals = new Float64Array(block.dRest);
    for (let i = 0; i < n; i++) {
      const yi = ytilde[i]!;
      const j = L.refs[i]!;
      for (let a = 0; a < L.q; a++) u[j * L.q + a]! += L.values[i * L.q + a]! * yi;
      const h = restEntries(
        i,
        model.factors,
        block.restFactors,
        block.restOffsets,
        p,
        X,
        block.betaOffset,
        cols,
        vals,
      );
      for (let e = 0; e < h; e++) g[cols[e]!]! += vals[e]! * yi;
    }
  }
  return { ...model, ytilde, u, g, yy };
}
