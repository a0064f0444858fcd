/**
 * bayes-lmm — the package's one curated entry point (named exports only; test/exports.test.ts
 * snapshots the list, so API changes are deliberate).
 */

export { autocorrelation, autocovariance } from "../diagnostics/autocovariance";
export { type BayesR2, type BayesR2Options, bayesR2 } from "../diagnostics/bayes-r2";
export { ChainSet, type DrawsInput } from "../diagnostics/chain-set";
export type { CoefGroup } from "../diagnostics/coef";
export {
  type Comparison,
  type ComparisonKind,
  type ComparisonRow,
  compare,
  formatComparison,
  remlValues,
} from "../diagnostics/compare";
export { essBasic, essBulk, essMean, essMedian, essQuantile, essSd, essTail } from "../diagnostics/ess";
export { inferenceData } from "../diagnostics/inference-data";
export { type LinearPredictor, linearPredictor, type RowSummaries } from "../diagnostics/linear-predictor";
export { logJointDensity } from "../diagnostics/log-density";
// Model comparison (issue 11): pointwise log-likelihood, PSIS-LOO, WAIC, DIC, marginal likelihood.
export { type LooCompareRow, looCompare } from "../diagnostics/loo/compare";
export { type DicResult, dic } from "../diagnostics/loo/dic";
export {
  type ELooOptions,
  eLoo,
  type LogWeightsInput,
  type LooPitInput,
  looPit,
} from "../diagnostics/loo/eloo";
export {
  khatThreshold,
  type LooEstimate,
  type LooOptions,
  type LooResult,
  loo,
  type ParetoKTableRow,
  paretoKTable,
} from "../diagnostics/loo/loo";
export type { LogLikInput, PointwiseLogLik } from "../diagnostics/loo/pointwise";
export { type PsisResult, psis, type RelativeEffOption } from "../diagnostics/loo/psis";
export { relativeEff } from "../diagnostics/loo/relativeEff";
export { type WaicResult, waic } from "../diagnostics/loo/waic";
export { mcseMean, mcseMedian, mcseQuantile, mcseSd } from "../diagnostics/mcse";
export { type AutocorrelationPlotOptions, autocorrelationPlot } from "../diagnostics/plots/autocorrelation";
export {
  type CaterpillarPlotOptions,
  type CaterpillarRow,
  caterpillarPlot,
  caterpillarRows,
} from "../diagnostics/plots/caterpillar";
export { type DensityPlotOptions, densityPlot } from "../diagnostics/plots/density";
export {
  comparisonIntervals,
  type IntervalPlotOptions,
  type IntervalRow,
  intervalPlot,
} from "../diagnostics/plots/intervals";
export { type DensityEstimate, type KernelDensityOptions, kernelDensity } from "../diagnostics/plots/kde";
export {
  type CheckedReplicates,
  groupLabels,
  replicates,
  resolveStatistic,
  STATISTICS,
  type StatisticCheck,
  type StatisticInput,
  statisticCheck,
  type TestStatistic,
} from "../diagnostics/plots/ppc";
export { type PpcDensOverlayOptions, ppcDensOverlay } from "../diagnostics/plots/ppc-density";
export { type PpcIntervalsOptions, ppcIntervals } from "../diagnostics/plots/ppc-intervals";
export { type PpcResidualsOptions, ppcResiduals } from "../diagnostics/plots/ppc-residuals";
export {
  type PpcStatGroupedOptions,
  type PpcStatOptions,
  ppcStat,
  ppcStatGrouped,
} from "../diagnostics/plots/ppc-stat";
export { type RankPlotOptions, rankPlot } from "../diagnostics/plots/rank";
export {
  type ShrinkageFactor,
  type ShrinkageLevel,
  type ShrinkagePlotOptions,
  shrinkageData,
  shrinkagePlot,
} from "../diagnostics/plots/shrinkage";
export { type TracePlotOptions, tracePlot } from "../diagnostics/plots/trace";
export {
  type CredibleInterval,
  type PosteriorRow,
  type PosteriorSummary,
  type PosteriorSummaryRow,
  type PosteriorVarCorrRow,
  type RanefGroup,
  SUMMARY_MEASURES,
  summarizePosterior,
  summarizeQuantities,
} from "../diagnostics/posterior-summary";
export { type PredictiveSummary, predictiveSummary, rowDraws } from "../diagnostics/predictive-summary";
export { buildReport, type Report, type ReportInput, type ReportOptions } from "../diagnostics/report/report";
export { rhat, rhatBasic, rhatBulk, rhatTail } from "../diagnostics/rhat";
export { hdi, mad, mean, median, quantile, sd, variance } from "../diagnostics/statistics";
export {
  DEFAULT_MEASURES,
  type DrawsSummary,
  MEASURES,
  type Measure,
  type Measures,
  pickMeasures,
  type SummarizeOptions,
  type SummaryRow,
  summarizeDraws,
} from "../diagnostics/summarize";
export { averageRanks, type ChainDraws, fold, ranks, splitChains, zScale } from "../diagnostics/transforms";
export {
  coef,
  confint,
  type FixefRow,
  fitted,
  fixef,
  formula,
  isPosterior,
  isRemlFit,
  type LmmResult,
  type LogLik,
  logLik,
  nobs,
  ranef,
  residuals,
  summary,
  varCorr,
} from "../diagnostics/vocabulary";
export {
  type DiagnosticWarning,
  type DiagnosticWarningKind,
  WARNING_THRESHOLDS,
} from "../diagnostics/warnings";
export { AbortedError } from "../samplers/aborted";
export {
  type ChainTask,
  type ChainTaskResult,
  chainTasks,
  mergeChains,
  type RunChainOptions,
  runChain,
} from "../samplers/chains";
export {
  checkpointFromJson,
  checkpointToJson,
  type RunIdentity,
  type SamplerCheckpoint,
} from "../samplers/checkpoint";
export { gibbs, gibbsSync } from "../samplers/gibbs";
export {
  type BayesFactor,
  bayesFactor,
  type MarginalLikelihood,
  type MarginalLikelihoodOptions,
  marginalLikelihood,
} from "../samplers/marginalLikelihood";
export type { GibbsOptions } from "../samplers/options";
export type { GibbsProgress, InitialValues } from "../samplers/types";
export type { TargetCheck, UntilOptions } from "../samplers/until";
export { type ReadArrowOptions, readArrowIpc } from "./data/arrow";
export type { StringOrder } from "./data/collate";
export { parseCsv } from "./data/csv";
export {
  type CsvByteStream,
  type CsvStreamOptions,
  CsvStreamReader,
  CsvTextColumnError,
  readCsvStream,
} from "./data/csv-stream";
export {
  asFactor,
  type ColumnOptions,
  type ContrastKind,
  type FactorVariable,
  type FrameVariable,
  type MatrixVariable,
  type NumericVariable,
} from "./data/frame";
export {
  type ParquetByteRanges,
  type ParquetSource,
  type ReadParquetOptions,
  readParquet,
} from "./data/parquet";
export { type DataInput, DataTable, toDataTable } from "./data/table";
export type {
  ArrowLikeTable,
  ArrowLikeVector,
  Column,
  InvalidColumn,
  LogicalColumn,
  NumericColumn,
  StringColumn,
} from "./data/types";
export { contrastMatrix } from "./design/contrasts";
export { type FixedDesign, fixedDesign } from "./design/fixed";
export {
  type FrameOptions,
  type FrameSpec,
  type ModelFrame,
  modelFrame,
  type VariableRecipe,
} from "./design/frame";
export { FORMULA_FUNCTIONS } from "./design/functions";
export { deparsePredvar, type Predvar } from "./design/predvar";
export { type RandomDesign, randomDesign } from "./design/random";
export {
  type ApplyOptions,
  applyRecipe,
  type DesignRecipe,
  type NewDesign,
  type NewRandomTerm,
  type RandomTermRecipe,
} from "./design/recipe";
export { DrawsCsvReader, formatDrawsCsv, parseDrawsCsv } from "./draws/csv";
export { chainsOf, createDraws, parameterIndex } from "./draws/draws";
export type {
  InferenceData,
  InferenceDataExtras,
  InferenceGroup,
  InferenceVariable,
  PointwiseDraws,
} from "./draws/inference-data";
export {
  betaName,
  formatParameterName,
  isPopulationParameter,
  isVariance,
  type ParameterKind,
  type ParameterName,
  parseParameterName,
  psiName,
  randomEffectName,
} from "./draws/names";
export {
  type Posterior,
  type PosteriorFactor,
  type PosteriorSettings,
  pooledDraws,
  posteriorToCsv,
  posteriorToJson,
  type RandomEffectsSummary,
  type SamplingTarget,
  type TargetMeasure,
} from "./draws/posterior";
export type { Draws } from "./draws/types";
export {
  ArgumentError,
  DataError,
  FormulaError,
  LmmError,
  type LmmErrorCode,
  PriorError,
} from "./errors";
export { expandFormula, formatFormula, formulaSpec, parseFormula } from "./formula";
export type { ExpandOptions } from "./formula/expand";
export type {
  BinaryOperator,
  CallArgument,
  FormulaNode,
  FormulaSpec,
  FormulaTree,
  RandomTermSpec,
  TermSpec,
} from "./formula/types";
export {
  logLikAtMean,
  logLikMatrix,
  type ModelLogLik,
  pointwiseLogLik,
  predictiveCdf,
} from "./loglik/pointwise";
export {
  defaultUnit,
  type LeaveOutOptions,
  type LeaveOutUnit,
  type LogLikForm,
  leaveOutUnit,
} from "./loglik/unit";
export { modelFromFrame } from "./model/build";
export { type LmmOptions, lmm } from "./model/lmm";
export { hasRows, requireRows, statisticsOfRows, withoutRows } from "./model/stats";
export type { LmmModel, ModelStatistics, RandomEffectsTerm } from "./model/types";
// Prediction, simulation and the bootstrap of REML/ML fits (issue 10).
export { type BootstrapOptions, type BootstrapResult, bootstrap } from "./predict/bootstrap";
export {
  type NewLevelsRule,
  type PredictionRows,
  type PredictionRowsOptions,
  type PredictionTerm,
  predictionRows,
  type ReForm,
  selectTerms,
} from "./predict/newdata";
export {
  type PosteriorPredictionOptions,
  type PredictiveDraws,
  type PredictiveEvaluator,
  type PredictiveKind,
  posteriorEpred,
  posteriorLinpred,
  posteriorPredict,
  predictiveEvaluator,
} from "./predict/posterior";
export { type PredictInterval, type Prediction, type PredictOptions, predict } from "./predict/predict";
export type { ResidualOptions } from "./predict/residuals";
export { type SimulateOptions, simulate } from "./predict/simulate";
export {
  DEFAULT_BETA_SCALE,
  DEFAULT_PSI_SCALE_DIVISOR,
  defaultPriors,
  describePriors,
  type GroupingFactor,
  groupingFactors,
  type MatrixSpec,
  type PriorSpec,
  type Priors,
  type PsiPrior,
  priorsToJson,
  resolvePriors,
} from "./priors/index";
export { Random, type RandomState } from "./random/generator";
export { type AnovaRow, type AnovaTable, anova } from "./reml/anova";
export type { ConfidenceInterval, ConfintMethod, ConfintOptions } from "./reml/confint";
export {
  type DevianceFunction,
  devianceFunction,
  fitAtTheta,
  fitLmm,
  type GroupRanef,
  ml,
  ranefByGroup,
  reml,
} from "./reml/fit";
export { sdcorParameters } from "./reml/profile";
export { type NakagawaR2, r2 } from "./reml/r2";
export { fitSummary } from "./reml/summary";
export type {
  FitMethod,
  FitOptions,
  OptimizerReport,
  RanefTerm,
  RemlFit,
  VarCorrRow as RemlVarCorrRow,
} from "./reml/types";
export { expressionColumns, expressionSql, type SqlExpression } from "./sql/expression";
export {
  type GroupedSumsQuery,
  type GroupedSumsSpec,
  groupedSumsQuery,
  type SqlFrom,
} from "./sql/grouped-sums";
export {
  modelFromSums,
  type SqlDesign,
  type SqlDesignOptions,
  type SqlLevel,
  type SqlModelOptions,
  sqlDesign,
  sqlModel,
} from "./sql/model";
export { doubleLiteral, quoteIdentifier, quoteString } from "./sql/quote";
export type { SqlDialect, SqlSource, SqlValue } from "./sql/types";
