/**
 * The subcommands of `bayes-lmm`, in the order `--help` lists them. Each lives in its own file.
 */
import type { Command } from "../command";
import { diagnoseCommand } from "./diagnose";
import { fitCommand } from "./fit";
import { looCommand } from "./loo";
import { modelCommand } from "./model";
import { predictCommand } from "./predict";
import { reportCommand } from "./report";
import { sampleCommand } from "./sample";
import { sqlCommand } from "./sql";

export const commands: readonly Command[] = [
  modelCommand,
  fitCommand,
  sampleCommand,
  diagnoseCommand,
  reportCommand,
  looCommand,
  predictCommand,
  sqlCommand,
];
