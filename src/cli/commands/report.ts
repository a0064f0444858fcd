/**
 * `bayes-lmm report`: fits the model by REML and by the Gibbs sampler and writes one self-contained
 * HTML file (CLI.md) — the model, a data summary, the posterior beside the REML fit, the convergence
 * summary with its warnings, and every picture as inline SVG.
 *
 *     bayes-lmm report --data FILE.csv --formula "..." [sample flags] --out report.html [--plots DIR] [--ml]
 */
import { basename, join } from "node:path";
import { formatComparison } from "../../../diagnostics/compare";
import { buildReport } from "../../../diagnostics/report/report";
import { makeFolder, writeFileAtomic } from "../../node/atomic";
import { resolvePriors } from "../../priors/resolve";
import { type Command, optionalString, plural, requiredString } from "../command";
import { readModel } from "../inputs";
import { checkOutputFile, checkOutputFolder } from "../output";
import {
  checkSamplingSize,
  gibbsOptions,
  QUIET_OPTION,
  QUIET_USAGE,
  SAMPLING_OPTIONS,
  SAMPLING_USAGE,
  sampleWithProgress,
  samplingFlags,
} from "../sampling";
import { fitWithProgress } from "./fit";

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
${QUIET_USAGE}

Example:
  bayes-lmm report --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)" \\
    --out report.html --plots pictures/ --iter 2000
`,
  options: {
    data: { type: "string" },
    formula: { type: "string" },
    out: { type: "string" },
    plots: { type: "string" },
    ml: { type: "boolean" },
    ...SAMPLING_OPTIONS,
    ...QUIET_OPTION,
  },
  async run(flags, io) {
    const dataPath = requiredString(flags, "data");
    requiredString(flags, "formula");
    const out = requiredString(flags, "out");
    const plotsDir = optionalString(flags, "plots");
    const sampling = samplingFlags(flags);
    checkOutputFile(out, "report");
    if (plotsDir !== undefined) checkOutputFolder(plotsDir, "pictures folder");
    const model = await readModel(flags, io);
    resolvePriors(model, sampling.priors);
    checkSamplingSize(model, sampling);
    const fit = fitWithProgress(model, flags["ml"] === true ? "ML" : "REML", io);
    io.startWork();
    const posterior = await sampleWithProgress(model, gibbsOptions(sampling), io);
    const progress = io.progress("drawing the pictures and the report");
    progress.show();
    const report = buildReport({ model, fit, posterior, dataName: basename(dataPath) });
    progress.done();
    for (const w of report.summary.warnings) io.warn(w.message);
    writeFileAtomic(out, [report.html], "report");
    const pictures = Object.entries(report.pictures);
    if (plotsDir !== undefined) {
      makeFolder(plotsDir, "pictures folder");
      for (const [name, svg] of pictures) writeFileAtomic(join(plotsDir, `${name}.svg`), [svg], "picture");
    }
    io.stdout(formatComparison(report.comparison));
    io.stdout(
      `\nwrote ${out}${plotsDir === undefined ? "" : ` and ${plural(pictures.length, "picture")} in ${plotsDir}`}\n`,
    );
  },
};
