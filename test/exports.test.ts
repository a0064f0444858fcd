/**
 * The package's public API, deliberately: the runtime names each entry exports. A change to an entry
 * point shows up here, in review, instead of slipping out with a release (STYLE.md §14). Types are
 * checked by the compiler; this pins the values.
 */
import { describe, expect, it } from "vitest";
import * as examples from "../src/examples/index";
import * as main from "../src/index";
import * as node from "../src/node/index";

const MAIN = [
  "ArgumentError",
  "ChainSet",
  "CsvStreamReader",
  "CsvTextColumnError",
  "DEFAULT_BETA_SCALE",
  "DEFAULT_MEASURES",
  "DEFAULT_PSI_SCALE_DIVISOR",
  "DataError",
  "DataTable",
  "DrawsCsvReader",
  "FormulaError",
  "LmmError",
  "MEASURES",
  "PriorError",
  "Random",
  "SUMMARY_MEASURES",
  "WARNING_THRESHOLDS",
  "anova",
  "asFactor",
  "autocorrelation",
  "autocorrelationPlot",
  "autocovariance",
  "averageRanks",
  "buildReport",
  "caterpillarPlot",
  "caterpillarRows",
  "chainTasks",
  "chainsOf",
  "compare",
  "comparisonIntervals",
  "confint",
  "createDraws",
  "defaultPriors",
  "densityPlot",
  "describePriors",
  "devianceFunction",
  "doubleLiteral",
  "essBasic",
  "essBulk",
  "essMean",
  "essMedian",
  "essQuantile",
  "essSd",
  "essTail",
  "expandFormula",
  "expressionColumns",
  "expressionSql",
  "fitLmm",
  "fitSummary",
  "fixedDesign",
  "fixef",
  "fold",
  "formatComparison",
  "formatDrawsCsv",
  "formatFormula",
  "formulaSpec",
  "gibbs",
  "gibbsSync",
  "groupedSumsQuery",
  "groupingFactors",
  "hdi",
  "intervalPlot",
  "kernelDensity",
  "lmm",
  "mad",
  "mcseMean",
  "mcseMedian",
  "mcseQuantile",
  "mcseSd",
  "mean",
  "mergeChains",
  "median",
  "ml",
  "modelFrame",
  "modelFromFrame",
  "parameterIndex",
  "parseCsv",
  "parseDrawsCsv",
  "parseFormula",
  "pickMeasures",
  "posteriorToCsv",
  "posteriorToJson",
  "priorsToJson",
  "quantile",
  "quoteIdentifier",
  "quoteString",
  "randomDesign",
  "ranef",
  "ranefByGroup",
  "rankPlot",
  "ranks",
  "readArrowIpc",
  "readCsvStream",
  "readParquet",
  "reml",
  "runChain",
  "remlValues",
  "resolvePriors",
  "rhat",
  "rhatBasic",
  "rhatBulk",
  "rhatTail",
  "sd",
  "shrinkageData",
  "shrinkagePlot",
  "splitChains",
  "summarizeDraws",
  "summarizePosterior",
  "toDataTable",
  "tracePlot",
  "varCorr",
  "variance",
  "zScale",
];

describe("public API", () => {
  it("bayes-lmm exports exactly the curated names", () => {
    expect(Object.keys(main).sort()).toEqual([...MAIN].sort());
  });

  it("bayes-lmm/node exports the file readers and writers and the database connections", () => {
    expect(Object.keys(node).sort()).toEqual(
      [
        "STREAMING_CSV_BYTES",
        "connectPostgres",
        "dataFileFormat",
        "openDuckDb",
        "readArrowFile",
        "readCsvFile",
        "readCsvFileStream",
        "readDataFile",
        "readDrawsCsv",
        "readParquetFile",
        "writeDrawsCsv",
      ].sort(),
    );
  });

  it("bayes-lmm/examples exports the bundled data sets", () => {
    expect(Object.keys(examples).sort()).toEqual(["EXAMPLES", "Penicillin", "sleepstudy"]);
  });

  it("every export is defined (no re-export of a missing name)", () => {
    for (const [name, value] of Object.entries(main)) expect(value, name).toBeDefined();
  });
});
