# Times lme4's lmer() fits for the benchmarks (bench/lme4.ts calls it when Rscript and lme4 are
# installed): Rscript lme4.R spec.json out.json, where spec.json lists
# [{ "name", "csv", "formula", "REML", "repeats" }]; writes { name: { "median": seconds, "times": [...] } }.
# Each model is fitted once untimed (warm), then `repeats` times; elapsed seconds per fit.
suppressMessages({ library(lme4); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
spec <- fromJSON(args[1], simplifyDataFrame = FALSE)
out <- list()
for (s in spec) {
  d <- read.csv(s$csv, stringsAsFactors = TRUE)
  f <- as.formula(s$formula)
  invisible(lmer(f, d, REML = s$REML))
  times <- vapply(seq_len(s$repeats), function(i) system.time(lmer(f, d, REML = s$REML))[["elapsed"]], 0)
  out[[s$name]] <- list(median = median(times), times = times)
}
out$meta <- list(R = R.version.string, lme4 = as.character(packageVersion("lme4")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA), args[2])
