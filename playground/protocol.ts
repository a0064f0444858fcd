/**
 * Messages between the playground page and its fit worker (./fit-worker): the page sends the CSV text
 * and the formula, the worker answers with the model and its REML fit (plain data: they cross by
 * structured clone), or an error the page shows.
 */
import type { LmmModel, RemlFit } from "bayes-lmm";

export interface FitRequest {
  readonly csv: string;
  readonly formula: string;
}

export type FitReply =
  | { readonly type: "fit"; readonly model: LmmModel; readonly fit: RemlFit; readonly seconds: number }
  | { readonly type: "error"; readonly message: string };
