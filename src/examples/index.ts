/**
 * bayes-lmm/examples — the bundled example data sets (the package's examples/*.csv) as CSV text, so
 * that an example runs the same in Node (import or require) and in a browser, with no file to find:
 *
 *     import { lmm, parseCsv } from "bayes-lmm";
 *     import { sleepstudy } from "bayes-lmm/examples";
 *     const model = lmm("Reaction ~ Days + (Days | Subject)", parseCsv(sleepstudy));
 */
import { Penicillin, sleepstudy } from "./data";

export { Penicillin, sleepstudy };

/** A bundled data set, with the model it is the classic example of. */
export interface ExampleDataSet {
  /** Its name (lme4's). */
  readonly name: string;
  /** What it is, in a line. */
  readonly title: string;
  /** The classic model for it, as an lme4 formula. */
  readonly formula: string;
  /** The data, as CSV text (read it with `parseCsv`). */
  readonly csv: string;
}

/** Every bundled data set (examples/README.md says where each comes from). */
export const EXAMPLES: readonly ExampleDataSet[] = [
  {
    name: "sleepstudy",
    title: "Reaction times of 18 subjects over 10 days of sleep deprivation (Belenky et al. 2003)",
    formula: "Reaction ~ Days + (Days | Subject)",
    csv: sleepstudy,
  },
  {
    name: "Penicillin",
    title: "Penicillin assay diameters on 24 plates × 6 samples (crossed; Davies & Goldsmith 1972)",
    formula: "diameter ~ 1 + (1 | plate) + (1 | sample)",
    csv: Penicillin,
  },
];
