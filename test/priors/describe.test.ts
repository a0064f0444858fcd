/**
 * describePriors: one readable line per prior, matrices shown as diagonals or in full, defaults marked.
 */
import { describe, expect, it } from "vitest";
import { describePriors, resolvePriors } from "../../src/priors/index";
import { MODELS } from "../samplers/models";

describe("describePriors", () => {
  it("writes the fixture's priors as given, with no default mark", () => {
    const priors = resolvePriors(MODELS.sleep_slope(), {
      beta: { mean: [0, 0], cov: 1e6 },
      sigma2: { shape: 0.001, scale: 0.001 },
      psi: {
        Subject: {
          df: 4,
          scale: [
            [500, 0],
            [0, 25],
          ],
        },
      },
    });
    expect(describePriors(priors)).toEqual([
      "beta ~ N(mean [0, 0], cov diag [1.0e+6, 1.0e+6])",
      "sigma2 ~ InvGamma(shape 0.001, scale 0.001)",
      "Psi[Subject] ~ InvWishart(df 4, scale diag [500, 25])",
    ]);
  });

  it("writes a non-diagonal matrix in full and marks defaults", () => {
    const priors = resolvePriors(MODELS.sleep_slope(), {
      psi: {
        Subject: {
          df: 5,
          scale: [
            [2, 0.5],
            [0.5, 1],
          ],
        },
      },
    });
    const lines = describePriors(priors);
    expect(lines[0]).toMatch(/^beta ~ N\(mean \[.*\], cov \[\[.*\], \[.*\]\]\) {2}\(default\)$/);
    expect(lines[1]).toMatch(/^sigma2 ~ InvGamma\(shape 0\.5, scale [0-9.]+\) {2}\(default\)$/);
    expect(lines[2]).toBe("Psi[Subject] ~ InvWishart(df 5, scale [[2, 0.5], [0.5, 1]])");
  });

  it("says when an uncorrelated factor's Psi is diagonal", () => {
    const lines = describePriors(
      resolvePriors(MODELS.sleep_uncor(), { psi: { Subject: { df: 2, scale: 3 } } }),
    );
    expect(lines[2]).toBe("Psi[Subject] ~ InvWishart(df 2, scale diag [3, 3]), Psi diagonal");
  });
});
