/**
 * The subcommands of `bayes-lmm`, in the order `--help` lists them. Each lives in its own file.
 */
import type { Command } from "../command";

export const commands: readonly Command[] = [];
