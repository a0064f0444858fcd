/**
 * Messages between the main thread and a sampler worker (./parallel and ./worker).
 */
import type { ChainResult, ChainSettings } from "./chain";
import type { InitialValues, SamplerModel } from "./types";

/** What a worker is given (its `workerData`). */
export interface WorkerInput {
  readonly model: SamplerModel;
  readonly settings: ChainSettings;
  /** The chains this worker runs, one after another. */
  readonly chains: readonly number[];
  /** Their starting values, aligned with `chains`. */
  readonly inits: readonly (InitialValues | undefined)[];
  readonly progressEvery: number;
}

/** What a worker posts back. */
export type WorkerMessage =
  | { readonly type: "progress"; readonly chain: number; readonly iteration: number }
  | { readonly type: "result"; readonly result: ChainResult }
  | { readonly type: "error"; readonly code: string; readonly message: string };
