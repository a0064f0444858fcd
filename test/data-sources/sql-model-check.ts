/**
 * Shared by the DuckDB and PostgreSQL model tests: every fixture formula (test/model/stats-helpers.ts)
 * built through the database (`sqlModel`) against the model of the CSV rows — the same names, levels
 * and counts, REML fits equal to 1e-10 and, for the same seed, the sampler's draws to 1e-9.
 */
import { expect, it } from "vitest";
import { gibbsSync } from "../../samplers/gibbs";
import { fitLmm } from "../../src/reml/fit";
import { sqlModel } from "../../src/sql/model";
import type { SqlSource } from "../../src/sql/types";
import { drawsDifference, fitDifference, fixtureModel, STATS_CASES } from "../model/stats-helpers";

/**
 * Registers one test per fixture formula.
 *
 * @param engine - the engine's name, for the test titles
 * @param database - the database once opened (a getter: tests register before `beforeAll` runs)
 * @param table - the table holding data set `data`
 */
export function sqlModelTests(
  engine: string,
  database: () => SqlSource,
  table: (data: string) => string,
): void {
  for (const { data, formula } of STATS_CASES)
    it(`${engine}: ${formula} on ${data} fits (1e-10) and samples (1e-9) as the rows do`, async () => {
      const rows = fixtureModel(data, formula);
      const { model } = await sqlModel(database(), formula, { from: table(data) });
      expect(model.n).toBe(rows.n);
      expect(model.dropped).toBe(rows.dropped);
      expect(model.fixedNames).toEqual(rows.fixedNames);
      expect(model.aliased).toEqual(rows.aliased);
      expect(model.terms.map((t) => [t.label, t.group, t.names, t.levels])).toEqual(
        rows.terms.map((t) => [t.label, t.group, t.names, t.levels]),
      );
      expect(fitDifference(fitLmm(rows), fitLmm(model))).toBeLessThan(1e-10);
      if (data === "InstEval") return; // its REML fit is the slow part; the sampler's by-factor sums: test/model
      const options = { iter: 100, warmup: 50, chains: 2, seed: 7, parallel: false as const };
      expect(drawsDifference(gibbsSync(rows, options).values, gibbsSync(model, options).values)).toBeLessThan(
        1e-9,
      );
    }, 120_000);
}
