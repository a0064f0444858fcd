/**
 * Same seed, same draws across the sampler's redesign as a list of Gibbs steps (issue 15): the draws
 * of one-factor, crossed (joint and by-factor), nested, Exam and InstEval runs equal, to the bit, the
 * ones recorded before it (test/fixtures/golden/draws.json, made by scripts/golden-draws.ts).
 */
import { describe, expect, it } from "vitest";
import { readJsonFixture } from "../helpers/fixtures";
import { type GoldenRecord, goldenCases, goldenRecord } from "./golden-cases";

describe("draws unchanged for the same seed", () => {
  const recorded = readJsonFixture<Record<string, GoldenRecord>>("golden/draws.json");
  for (const c of goldenCases())
    it(c.name, () => {
      expect(goldenRecord(c)).toEqual(recorded[c.name]);
    }, 60_000);
});
