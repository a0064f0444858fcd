/**
 * `bayes-lmm report`: fits the model by REML and by the Gibbs sampler and writes one self-contained
 * HTML file (CLI.md) — the model, a data summary, the posterior beside the REML fit, the convergence
 * summary with its warnings, and every picture as inline SVG.
 *
 *     bayes-lmm report --data FILE.csv --formula "..." [sample flags] --out report.html [--plots DIR] [--ml]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { formatComparison } from "../../../diagnostics/compare";
import { buildReport } from "../../../diagnostics/report/report";
import { gibbs } from "../../../samplers/gibbs";
import { lmm } from "../../model/lmm";
import { readDataFile } from "../../node/data-file";
import { fitLmm } from "../../reml/fit";
import { type Command, optionalString, requiredString } from "../command";
import {
  checkOutputFolder,
  gibbsOptions,
  SAMPLING_OPTIONS,
  SAMPLING_USAGE,
  samplingFlags,
} from "../sampling";

export const reportCommand: Command = {
  name: "report",
  summary: "write a one-file HTML report: posterior beside REML, diagnostics, pictures",
  usage: `Usage: bayes-lmm report --data FILE.csv --formula "y ~ x + (x | g)" --out report.html [flags]

Fits the model by REML and samples its posterior, then writes one self-contained HTML file (inline
SVG and CSS, no script, no external request): the model, a data summary, the posterior beside the
REML fit, the convergence summary with its warnings, trace, rank, density, autocorrelation,
caterpillar and shrinkage plots. Prints the comparison table as text.

Flags:
  --data FILE       CSV file with a header row, or Parquet or Arrow IPC
  --formula TEXT    lme4 model formula
  --out FILE        the HTML file to write
  --plots DIR       also write every picture as DIR/NAME.svg (the folder is created)
  --ml              compare with the ML fit instead of REML
${SAMPLING_USAGE}
`,
  options: {
    data: { type: "string" },
    formula: { type: "string" },
    out: { type: "string" },
    plots: { type: "string" },
    ml: { type: "boolean" },
    ...SAMPLING_OPTIONS,
  },
  async run(flags, io) {
    const dataPath = requiredString(flags, "data");
    const formula = requiredString(flags, "formula");
    const out = requiredString(flags, "out");
    const plotsDir = optionalString(flags, "plots");
    const sampling = samplingFlags(flags);
    checkOutputFolder(out, "report");
    if (plotsDir !== undefined) checkOutputFolder(plotsDir, "pictures into");
    const model = lmm(formula, await readDataFile(dataPath));
    for (const w of model.warnings) io.stderr(`bayes-lmm: warning: ${w}\n`);
    const fit = fitLmm(model, { method: flags["ml"] === true ? "ML" : "REML" });
    const posterior = await gibbs(model, gibbsOptions(sampling));
    const report = buildReport({ model, fit, posterior, dataName: basename(dataPath) });
    for (const w of report.summary.warnings) io.stderr(`bayes-lmm: warning: ${w.message}\n`);
    writeFileSync(out, report.html);
    if (plotsDir !== undefined) {
      mkdirSync(plotsDir, { recursive: true });
      for (const [name, svg] of Object.entries(report.pictures))
        writeFileSync(join(plotsDir, `${name}.svg`), svg);
    }
    io.stdout(formatComparison(report.comparison));
    io.stdout(
      `\nwrote ${out}${plotsDir === undefined ? "" : ` and ${Object.keys(report.pictures).length} pictures in ${plotsDir}`}\n`,
    );
  },
};
