/**
 * The rows a prediction is made for — the model's own rows, or new data through the model's design
 * recipe (src/design/recipe.ts) — and which random-effects terms it includes: what lme4's
 * `predict.merMod` calls `newdata`, `re.form` and `allow.new.levels`, shared by the REML predictions
 * (./predict.ts) and the posterior ones.
 *
 * - `re`: `"all"` (lme4's `re.form = NULL`), `"none"` (`re.form = NA`), or a list of terms, each named
 *   by its label (`Subject`, `Subject.1`: as in `varcorr`; a label names that term alone) or by its
 *   grouping factor when that is no term's label (`cask:batch`... : every term of that factor).
 * - `newLevels`: what a level of an included term's grouping factor not seen in training gets —
 *   `"error"` (lme4's default: a `DataError` naming the term, the level and its row), `"population"`
 *   (lme4's `allow.new.levels = TRUE`: its random effects are 0), or `"sample"` (for posterior
 *   predictions: drawn from N(0, Psi); only where the caller allows it). Levels of terms left out by
 *   `re` are not looked at.
 *
 * Terms left out by `re` are not built on new data unless asked (`keepExcluded`), so their columns,
 * grouping columns included, need not be in it (as in lme4 with `re.form = NA`).
 */
import { type DataInput, toDataTable } from "../data/table";
import { applyRecipe, type DesignRecipe } from "../design/recipe";
import { ArgumentError, DataError } from "../errors";
import type { LmmModel } from "../model/types";
import { checkArrayArgument, checkModelArgument, checkOptionKinds } from "../validate";

/** Which random-effects terms a prediction includes (see the file comment). */
export type ReForm = "all" | "none" | readonly string[];

/** What a new level of an included term gets (see the file comment). */
export type NewLevelsRule = "error" | "population" | "sample";

/** One random-effects term on the prediction rows. */
export interface PredictionTerm {
  /** The term's label, as in `varcorr` (`Subject`, `Subject.1`). */
  readonly label: string;
  readonly group: string;
  readonly names: readonly string[];
  readonly q: number;
  /** Index of the term in the model's terms. */
  readonly index: number;
  /** Whether `re` includes it. */
  readonly included: boolean;
  /** The training levels (refs index them). */
  readonly levels: readonly string[];
  /** Training level of each row (0-based), or -1 for a level not seen in training. */
  readonly refs: Int32Array;
  /** n × q row-major: the term's columns in each row. */
  readonly values: Float64Array;
  /** Levels not seen in training, in order of first appearance (empty on the model's own rows). */
  readonly newLevels: readonly string[];
}

/** The rows a prediction is made for. */
export interface PredictionRows {
  /** Number of rows predicted. */
  readonly n: number;
  /** For each, its 0-based row in the data given (the model's data when there is no newdata). */
  readonly rows: Int32Array;
  /** Rows of the new data dropped for a missing predictor (0 on the model's own rows). */
  readonly dropped: number;
  /** n × p row-major fixed-effects design, the fit's columns. */
  readonly X: Float64Array;
  readonly p: number;
  readonly fixedNames: readonly string[];
  /** The offsets' sum per row, or null. */
  readonly offset: Float64Array | null;
  /**
   * The model's terms on these rows, in the model's order: every included term, and the excluded
   * ones when asked for (`keepExcluded`, or on the model's own rows).
   */
  readonly terms: readonly PredictionTerm[];
  /** Whether the rows are the model's own (no newdata). */
  readonly training: boolean;
}

/** Options of `predictionRows`. */
export interface PredictionRowsOptions {
  /** Which terms to include. @default "all" */
  readonly re?: ReForm;
  /** What a new level of an included term gets. @default "error" */
  readonly newLevels?: NewLevelsRule;
  /** The rules the caller accepts (the REML side: error, population). @default all three */
  readonly allowedNewLevels?: readonly NewLevelsRule[];
  /** Also build the terms `re` leaves out on new data (their columns must then be present). @default false */
  readonly keepExcluded?: boolean;
  /** How the options are named in messages. @default "options" */
  readonly argument?: string;
}

/**
 * Which of a model's terms `re` selects.
 *
 * @param terms - the model's terms (label and group of each)
 * @param re - "all", "none" or a list of labels / grouping factors
 * @param argument - the argument's name in messages
 * @returns one boolean per term
 * @throws ArgumentError for anything else, or a name that is no term's label or grouping factor
 * @example selectTerms([{ label: "Subject", group: "Subject" }], ["Subject"]) // [true]
 */
export function selectTerms(
  terms: readonly { readonly label: string; readonly group: string }[],
  re: ReForm | undefined,
  argument = "options.re",
): boolean[] {
  checkArrayArgument(terms, "terms", "the model's random-effects terms (model.terms)");
  terms.forEach((t, k) => {
    if (typeof t.label !== "string" || typeof t.group !== "string")
      throw new ArgumentError(`terms[${k}]`, "must have a `label` and a `group` (strings)", t);
  });
  if (typeof argument !== "string") throw new ArgumentError("argument", "must be a string", argument);
  if (re === undefined || re === "all") return terms.map(() => true);
  if (re === "none") return terms.map(() => false);
  if (!Array.isArray(re) || !re.every((r) => typeof r === "string"))
    throw new ArgumentError(
      argument,
      'must be "all", "none" or an array of random-effects terms (labels or grouping factors)',
      re,
    );
  const included = terms.map(() => false);
  for (const name of re) {
    // A term's label names that term alone (`Subject` of `(1 | Subject) + (0 + Days | Subject)` is the
    // first, `Subject.1` the second); a grouping factor that is no label names all its terms.
    const byLabel = terms.findIndex((t) => t.label === name);
    let found = byLabel >= 0;
    if (found) included[byLabel] = true;
    else
      terms.forEach((t, k) => {
        if (t.group === name) {
          included[k] = true;
          found = true;
        }
      });
    if (!found) {
      const known = [...new Set(terms.flatMap((t) => [t.label, t.group]))];
      throw new ArgumentError(
        argument,
        `must name random-effects terms of the model (${known.map((k) => `\`${k}\``).join(", ")})`,
        name,
      );
    }
  }
  return included;
}

/**
 * The rows to predict for: the model's own rows (newdata undefined) or new data through the model's
 * recipe, with the terms `re` includes and new levels checked against `newLevels`.
 *
 * @param model - the fitted model (built by `lmm`, so it has a recipe, when newdata is given)
 * @param newdata - new rows, or undefined for the model's own
 * @param options - re, newLevels, allowed rules, keepExcluded
 * @returns the design on the rows
 * @throws ArgumentError for a bad option or a model without a recipe; DataError for a new level of an
 *   included term under "error" (naming the term, the level and the row), and those of `applyRecipe`
 * @example
 * predictionRows(model, [{ Days: 3, Subject: "999" }], { newLevels: "population" }).terms[0].refs // Int32Array [-1]
 */
export function predictionRows(
  model: LmmModel,
  newdata: DataInput | undefined,
  options: PredictionRowsOptions = {},
): PredictionRows {
  checkModelArgument(model);
  checkOptionKinds(options, {
    newLevels: "string",
    allowedNewLevels: "names",
    keepExcluded: "boolean",
    argument: "string",
  });
  const argument = options.argument ?? "options";
  const included = selectTerms(model.terms, options.re, `${argument}.re`);
  const rule = options.newLevels ?? "error";
  const allowed = options.allowedNewLevels ?? ["error", "population", "sample"];
  if (!allowed.includes(rule))
    throw new ArgumentError(
      `${argument}.newLevels`,
      `must be ${allowed.map((a) => `"${a}"`).join(" or ")}`,
      options.newLevels,
    );
  if (newdata === undefined) {
    return {
      n: model.n,
      rows: Int32Array.from({ length: model.n }, (_, i) => model.rows?.[i] ?? i),
      dropped: 0,
      X: model.X,
      p: model.p,
      fixedNames: model.fixedNames,
      offset: model.offset,
      terms: model.terms.map((t, k) => predictionTerm(t, k, included[k]!, [])),
      training: true,
    };
  }
  const recipe = model.recipe;
  if (recipe === undefined)
    throw new ArgumentError(
      "model",
      "must be built by lmm(formula, data) to predict for new data (it has no design recipe)",
      model.formula,
    );
  const keep = model.terms.map((_, k) => included[k]! || options.keepExcluded === true);
  const ownRecipe: DesignRecipe = { ...recipe, random: recipe.random.filter((_, k) => keep[k]) };
  const table = toDataTable(newdata);
  const design = applyRecipe(ownRecipe, table);
  const indices = model.terms.map((_, k) => k).filter((k) => keep[k]);
  const terms = design.terms.map((t, j) =>
    predictionTerm(t, indices[j]!, included[indices[j]!]!, t.newLevels),
  );
  if (rule === "error")
    for (const t of terms) {
      if (!t.included || t.newLevels.length === 0) continue;
      const i = t.refs.indexOf(-1);
      const row = design.rows[i]! + 1;
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The grouping factor \`${t.group}\` of the random-effects term \`${t.label}\` has the level \`${t.newLevels[0]}\` in row ${row}, which the model was not fitted with${
          t.newLevels.length > 1 ? ` (and ${t.newLevels.length - 1} more new levels)` : ""
        }; predict for it at the population level with newLevels "population" (lme4's allow.new.levels = TRUE), or leave the term out with re.`,
        { column: t.group, row },
      );
    }
  return {
    n: design.n,
    rows: design.rows,
    dropped: design.dropped,
    X: design.X,
    p: design.p,
    fixedNames: design.fixedNames,
    offset: design.offset,
    terms,
    training: false,
  };
}

/** A term's prediction view: its columns and levels on the rows, where it sits and whether `re` includes it. */
function predictionTerm(
  term: Pick<PredictionTerm, "label" | "group" | "names" | "q" | "levels" | "refs" | "values">,
  index: number,
  included: boolean,
  newLevels: readonly string[],
): PredictionTerm {
  const { label, group, names, q, levels, refs, values } = term;
  return { label, group, names, q, index, included, levels, refs, values, newLevels };
}
