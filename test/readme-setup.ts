/**
 * The shared setup of the README's code blocks (test/readme-blocks.ts says how blocks use it): a
 * block may use these names without defining them. Add a name here when a new README section needs
 * one (and say what it is); keep it cheap — it is built once per test run.
 */
import { readFileSync } from "node:fs";
import { Penicillin as penicillinCsv, sleepstudy } from "../src/examples/index";
import { gibbsSync, lmm, type PriorSpec, parseCsv, reml } from "../src/index";

/** lme4's sleepstudy as a DataTable (examples/sleepstudy.csv). */
export const data = parseCsv(sleepstudy);
/** lme4's Penicillin (crossed plate × sample) as a DataTable. */
export const penicillin = parseCsv(penicillinCsv);
/** `Reaction ~ Days + (Days | Subject)` on sleepstudy. */
export const model = lmm("Reaction ~ Days + (Days | Subject)", data);
/** Its REML fit. */
export const fit = reml(model);
/** Its posterior: 4 chains × (1,000 warmup + 1,000), seed 1, default priors. */
export const post = gibbsSync(model, { iter: 1000, seed: 1 });
/** sleepstudy with a column `w` of precision weights 1 / (1 + Days / 3) (the README's weights section). */
export const sleepWeighted = parseCsv(
  sleepstudy
    .trimEnd()
    .split("\n")
    .map((line, i) => {
      if (i === 0) return `${line},w`;
      const days = Number(line.split(",")[1]);
      return `${line},${1 / (1 + days / 3)}`;
    })
    .join("\n"),
);
/** nlme's Orthodont (distance by age of 27 children, Sex) as a DataTable (the README's varIdent section). */
export const orthodontData = parseCsv(
  readFileSync(new URL("fixtures/data/Orthodont.csv", import.meta.url), "utf8"),
);
/** The posterior's draws (a Posterior is a Draws). */
export const draws = post;
/** The priors.json of the README's "Priors and their defaults", for `model`. */
export const priors: PriorSpec = {
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
};
