/**
 * The one-factor location draw (samplers/drawOneFactor.ts) against the general blocked factor's
 * (samplers/drawLocation.ts through src/blocked, `locationScratch(..., { general: true })`): from the
 * same state and the same generator, the same random effects, fixed effects and residual sum of
 * squares to the bit, over several draws — q = 1, 2, 3, no fixed effects, precision weights, and the
 * by-factor blocks of a crossed design (one factor drawn given the other) — and the same typed errors.
 */
import { describe, expect, it } from "vitest";
import { compileModel } from "../../samplers/compile";
import { byFactorScratch, drawByFactor } from "../../samplers/drawByFactor";
import { drawLocation, locationScratch } from "../../samplers/drawLocation";
import { isOneFactorBlock } from "../../samplers/drawOneFactor";
import { allocateState, type ChainState, initializeState } from "../../samplers/state";
import type { SamplerModel } from "../../samplers/types";
import { parseCsv } from "../../src/data/csv";
import { LmmError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { resolvePriors } from "../../src/priors/resolve";
import { Random } from "../../src/random/generator";
import { MODELS } from "./models";

function stateFor(compiled: SamplerModel, seed: number): ChainState {
  const state = allocateState(compiled);
  initializeState(compiled, state, Random.fromSeed(seed), undefined, 0);
  return state;
}

function snapshot(state: ChainState): { b: Float64Array[]; delta: Float64Array; rss: number } {
  return { b: state.b.map((b) => b.slice()), delta: state.delta.slice(), rss: state.rss };
}

/** Draws `count` times from the same start with the one-factor and the general scratch. */
function compareJoint(compiled: SamplerModel, count: number): void {
  expect(isOneFactorBlock(compiled.blocks[0]!)).toBe(true);
  const a = stateFor(compiled, 7);
  const g = stateFor(compiled, 7);
  const fast = locationScratch(compiled, 0);
  const general = locationScratch(compiled, 0, { general: true });
  expect(fast.oneFactor).not.toBeNull();
  expect(general.oneFactor).toBeNull();
  const ra = Random.fromSeed(11);
  const rg = Random.fromSeed(11);
  const cp = compiled.blocks[0]!.crossProducts;
  for (let t = 0; t < count; t++) {
    // Move Psi and sigma2 a little between draws, so that T changes as in a chain.
    for (const s of [a, g]) {
      s.sigma2 *= 1 + 0.1 * Math.sin(t);
      for (const psi of s.psi) for (let i = 0; i < psi.length; i++) psi[i]! *= 1 + 0.05 * Math.cos(t + i);
    }
    drawLocation(compiled, 0, a, fast, ra, cp);
    drawLocation(compiled, 0, g, general, rg, cp);
    expect(snapshot(a)).toEqual(snapshot(g));
  }
  expect(ra.state()).toEqual(rg.state());
}

describe("one-factor location draw: the general blocked path's draws, to the bit", () => {
  for (const name of [
    "dyestuff",
    "sleep_int",
    "sleep_slope",
    "sleep_uncor",
    "sleep_quad",
    "dyestuff_nofixed",
  ] as const)
    it(name, () => {
      const model = MODELS[name]();
      compareJoint(compileModel(model, resolvePriors(model)), 6);
    });

  it("precision weights", () => {
    const rows = Array.from({ length: 60 }, (_, i) => {
      const g = i % 6;
      const x = (i * 7) % 10;
      return `${g},${x},${(3 + 0.5 * x + Math.sin(i) + g * 0.3).toFixed(4)},${(1 + (i % 3)).toString()}`;
    });
    const data = parseCsv(`g,x,y,w\n${rows.join("\n")}\n`);
    const model = lmm("y ~ x + (x | g)", data, { weights: "w" });
    compareJoint(compileModel(model, resolvePriors(model)), 6);
  });

  it("by-factor blocks of a crossed design (each factor given the other)", () => {
    const model = MODELS.penicillin();
    const compiled = compileModel(model, resolvePriors(model), "by-factor");
    expect(compiled.blocks.every(isOneFactorBlock)).toBe(true);
    const a = stateFor(compiled, 3);
    const g = stateFor(compiled, 3);
    const ra = Random.fromSeed(5);
    const rg = Random.fromSeed(5);
    const fast = compiled.blocks.map((_, i) => byFactorScratch(compiled, i));
    const general = compiled.blocks.map((_, i) => ({
      ...byFactorScratch(compiled, i),
      location: locationScratch(compiled, i, { general: true }),
    }));
    for (let t = 0; t < 4; t++)
      for (let i = 0; i < compiled.blocks.length; i++) {
        drawByFactor(compiled, i, a, fast[i]!, ra);
        drawByFactor(compiled, i, g, general[i]!, rg);
        expect(snapshot(a)).toEqual(snapshot(g));
      }
  });

  it("a precision that is not positive definite: the same typed error", () => {
    const model = MODELS.sleep_slope();
    const compiled = compileModel(model, resolvePriors(model));
    const messages = [false, true].map((general) => {
      const state = stateFor(compiled, 1);
      state.sigma2 = Number.NaN;
      try {
        drawLocation(
          compiled,
          0,
          state,
          locationScratch(compiled, 0, { general }),
          Random.fromSeed(1),
          compiled.blocks[0]!.crossProducts,
        );
      } catch (e) {
        expect(e).toBeInstanceOf(LmmError);
        return (e as Error).message;
      }
      return "no error";
    });
    expect(messages[0]).toMatch(/not numerically positive definite/);
    expect(messages[0]).toBe(messages[1]);
  });
});
