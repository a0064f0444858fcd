# lme4's time for bench/stats-scale.bench.ts: Rscript stats-scale-lme4.R spec.json out.json, spec
# { "csv", "formula" }; reads the CSV with data.table::fread (timed apart), fits lmer(formula, REML)
# and writes { "read": seconds, "lmer": [seconds per fit], "meta" }. One fit when it takes over a
# minute (a 10,000,000-row fit is not repeated), else three.
suppressMessages({ library(lme4); library(jsonlite); library(data.table) })
args <- commandArgs(trailingOnly = TRUE)
spec <- fromJSON(args[1])
read <- system.time(d <- as.data.frame(fread(spec$csv)))[["elapsed"]]
d$g <- factor(d$g)
f <- as.formula(spec$formula)
times <- c(system.time(fit <- lmer(f, d, REML = TRUE))[["elapsed"]])
if (times[1] < 60) for (i in 1:2) times <- c(times, system.time(lmer(f, d, REML = TRUE))[["elapsed"]])
print(VarCorr(fit))
out <- list(read = read, lmer = I(times),
            meta = list(R = R.version.string, lme4 = as.character(packageVersion("lme4"))))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA), args[2])
