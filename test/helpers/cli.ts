/**
 * Runs the command line in-process (no build needed) and captures what it writes.
 */
import { runCli } from "../../src/cli/run";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTTY: false,
  });
  return { status, stdout, stderr };
}
