/**
 * Resolving a user's prior (`PriorSpec`, the priors.json form of CLI.md, or anything parsed from
 * JSON) against a model: every part left out takes its default, every part given is validated, and
 * any problem is a `PriorError` naming the field (`psi.Subject.scale`, `sigma2.shape`, ...).
 */
import { PriorError } from "../errors";
import { potrf } from "../linalg/potrf";
import type { LmmModel } from "../model/types";
import { checkModelArgument, checkObjectArgument } from "../validate";
import { defaultPriors } from "./defaults";
import { type GroupingFactor, groupingFactors, sameGroup } from "./factors";
import type { Priors, PsiPrior } from "./types";

type Json = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function checkKeys(obj: Json, field: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj))
    if (!allowed.includes(key))
      throw new PriorError(
        field === "" ? key : `${field}.${key}`,
        `is not a prior setting (expected ${allowed.map((a) => `\`${a}\``).join(", ")})`,
        obj[key],
      );
}

function positiveNumber(v: unknown, field: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || !(v > 0))
    throw new PriorError(field, "must be a positive number", v);
  return v;
}

/** A p-vector from a number (repeated) or an array of p finite numbers. */
function vector(v: unknown, p: number, field: string): Float64Array {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new PriorError(field, "must be a finite number", v);
    return new Float64Array(p).fill(v);
  }
  if (!Array.isArray(v) && !(v instanceof Float64Array))
    throw new PriorError(field, `must be a number or an array of ${p} numbers`, v);
  const arr = v as ArrayLike<unknown>;
  if (arr.length !== p)
    throw new PriorError(field, `must have ${p} entries (one per column), not ${arr.length}`, v);
  const out = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const x = arr[i];
    if (typeof x !== "number" || !Number.isFinite(x))
      throw new PriorError(`${field}[${i}]`, "must be a finite number", x);
    out[i] = x;
  }
  return out;
}

/** A q × q symmetric matrix from c > 0 (c I) or an array of q rows of q finite numbers. */
function symmetricMatrix(v: unknown, q: number, field: string): Float64Array {
  const out = new Float64Array(q * q);
  if (typeof v === "number") {
    positiveNumber(v, field);
    for (let i = 0; i < q; i++) out[i * q + i] = v;
    return out;
  }
  if (!Array.isArray(v))
    throw new PriorError(field, `must be a positive number or a ${q} × ${q} matrix (an array of rows)`, v);
  if (v.length !== q) throw new PriorError(field, `must be a ${q} × ${q} matrix, not ${v.length} rows`, v);
  for (let i = 0; i < q; i++) {
    const row: unknown = v[i];
    if (!Array.isArray(row) || row.length !== q)
      throw new PriorError(`${field}[${i}]`, `must be a row of ${q} numbers`, row);
    for (let j = 0; j < q; j++) {
      const x: unknown = row[j];
      if (typeof x !== "number" || !Number.isFinite(x))
        throw new PriorError(`${field}[${i}][${j}]`, "must be a finite number", x);
      out[i * q + j] = x;
    }
  }
  let largest = 0;
  for (let k = 0; k < q * q; k++) largest = Math.max(largest, Math.abs(out[k]!));
  for (let i = 0; i < q; i++)
    for (let j = 0; j < i; j++)
      if (Math.abs(out[i * q + j]! - out[j * q + i]!) > 1e-10 * largest)
        throw new PriorError(field, `must be symmetric, but [${i}][${j}] and [${j}][${i}] differ`, v);
  return out;
}

/** Throws a PriorError unless the `size` × `size` block at (start, start) of `a` (q × q) is positive definite. */
function checkPositiveDefinite(a: Float64Array, q: number, start: number, size: number, field: string): void {
  const block = a.slice();
  const failed = potrf(size, block, q, 1, start * q + start);
  if (failed !== 0)
    throw new PriorError(
      field,
      `must be positive definite (its Cholesky factorization fails at column ${start + failed})`,
      Array.from({ length: q }, (_, r) => Array.from(a.subarray(r * q, r * q + q))),
    );
}

function resolvePsi(entry: unknown, factor: GroupingFactor, fallback: PsiPrior, field: string): PsiPrior {
  if (!isObject(entry)) throw new PriorError(field, "must be an object { df, scale }", entry);
  checkKeys(entry, field, ["df", "scale"]);
  const largest = Math.max(...factor.blocks.map((b) => b.size));
  let df = fallback.df;
  if (entry["df"] !== undefined) {
    const v = entry["df"];
    if (typeof v !== "number" || !Number.isFinite(v) || !(v > largest - 1))
      throw new PriorError(
        `${field}.df`,
        `must be a number greater than q - 1 = ${largest - 1} (q = ${largest}, ${factor.blocks.length > 1 ? "the largest block's size" : `Psi is ${largest} × ${largest}`})`,
        v,
      );
    df = v;
  }
  let scale = fallback.scale;
  if (entry["scale"] !== undefined) {
    scale = symmetricMatrix(entry["scale"], factor.q, `${field}.scale`);
    // Only the diagonal blocks are used: zero the rest so that what is stored is what is used.
    const inBlock = new Int32Array(factor.q).fill(-1);
    factor.blocks.forEach((b, k) => {
      for (let r = 0; r < b.size; r++) inBlock[b.start + r] = k;
    });
    for (let i = 0; i < factor.q; i++)
      for (let j = 0; j < factor.q; j++) if (inBlock[i] !== inBlock[j]) scale[i * factor.q + j] = 0;
    for (const b of factor.blocks) checkPositiveDefinite(scale, factor.q, b.start, b.size, `${field}.scale`);
  }
  const isDefault = entry["df"] === undefined && entry["scale"] === undefined;
  return { ...fallback, df, scale, isDefault };
}

/**
 * Resolves a prior specification against a model.
 *
 * @param model - the model
 * @param spec - a `PriorSpec` or a value parsed from priors.json; `undefined` for all defaults
 * @returns every hyperparameter, defaults where `spec` says nothing (see ./defaults)
 * @throws PriorError naming the field: unknown keys or grouping factors, wrong sizes, non-positive
 *   shape/scale/variance, a covariance or scale matrix that is not symmetric positive definite, df
 *   not greater than q - 1
 * @example
 * resolvePriors(model, { sigma2: { shape: 0.001, scale: 0.001 } }).sigma2; // { shape: 0.001, scale: 0.001, isDefault: false }
 */
export function resolvePriors(model: LmmModel, spec?: unknown): Priors {
  checkModelArgument(model);
  const factors = groupingFactors(model);
  const defaults = defaultPriors(model, factors);
  if (spec === undefined || spec === null) return defaults;
  if (!isObject(spec)) throw new PriorError("priors", "must be an object { beta, sigma2, psi }", spec);
  checkKeys(spec, "", ["beta", "sigma2", "psi", "phi"]);
  const p = model.p;

  let beta = defaults.beta;
  if (spec["beta"] !== undefined) {
    const b = spec["beta"];
    if (!isObject(b)) throw new PriorError("beta", "must be an object { mean, cov }", b);
    checkKeys(b, "beta", ["mean", "cov"]);
    const mean = b["mean"] === undefined ? defaults.beta.mean : vector(b["mean"], p, "beta.mean");
    let cov = defaults.beta.cov;
    if (b["cov"] !== undefined) {
      cov = symmetricMatrix(b["cov"], p, "beta.cov");
      checkPositiveDefinite(cov, p, 0, p, "beta.cov");
    }
    beta = {
      names: model.fixedNames,
      mean,
      cov,
      isDefault: b["mean"] === undefined && b["cov"] === undefined,
    };
  }

  let sigma2 = defaults.sigma2;
  if (spec["sigma2"] !== undefined) {
    const s = spec["sigma2"];
    if (!isObject(s)) throw new PriorError("sigma2", "must be an object { shape, scale }", s);
    checkKeys(s, "sigma2", ["shape", "scale"]);
    sigma2 = {
      shape: s["shape"] === undefined ? defaults.sigma2.shape : positiveNumber(s["shape"], "sigma2.shape"),
      scale: s["scale"] === undefined ? defaults.sigma2.scale : positiveNumber(s["scale"], "sigma2.scale"),
      isDefault: s["shape"] === undefined && s["scale"] === undefined,
    };
  }

  let psi = defaults.psi;
  if (spec["psi"] !== undefined) {
    const given = spec["psi"];
    if (!isObject(given)) throw new PriorError("psi", "must be an object { GROUP: { df, scale } }", given);
    const known = factors.map((f) => f.group);
    const used = new Set<string>();
    for (const key of Object.keys(given)) {
      const match = known.find((g) => sameGroup(g, key));
      if (match === undefined)
        throw new PriorError(
          `psi.${key}`,
          `must name a grouping factor of the model (${known.map((g) => `\`${g}\``).join(", ") || "none"})`,
          given[key],
        );
      if (used.has(match))
        throw new PriorError(`psi.${key}`, `repeats grouping factor \`${match}\``, given[key]);
      used.add(match);
    }
    psi = factors.map((factor, k) => {
      const key = Object.keys(given).find((g) => sameGroup(g, factor.group));
      if (key === undefined) return defaults.psi[k]!;
      return resolvePsi(given[key], factor, defaults.psi[k]!, `psi.${key}`);
    });
  }
  let phi = defaults.phi;
  if (spec["phi"] !== undefined) {
    const s = spec["phi"];
    if (phi === undefined)
      throw new PriorError(
        "phi",
        "is the prior of the AR(1) correlation, but the model has no AR(1) residuals (`ar1`, --ar1)",
        s,
      );
    if (!isObject(s))
      throw new PriorError("phi", "must be an object { a, b } ((phi + 1) / 2 ~ Beta(a, b))", s);
    checkKeys(s, "phi", ["a", "b"]);
    phi = {
      a: s["a"] === undefined ? phi.a : positiveNumber(s["a"], "phi.a"),
      b: s["b"] === undefined ? phi.b : positiveNumber(s["b"], "phi.b"),
      isDefault: s["a"] === undefined && s["b"] === undefined,
    };
  }
  return phi === undefined ? { beta, sigma2, psi } : { beta, sigma2, psi, phi };
}

/**
 * A resolved prior in the priors.json form of CLI.md (for JSON output and reports).
 *
 * @example priorsToJson(resolvePriors(model)).sigma2 // { shape: 0.5, scale: ... }
 */
export function priorsToJson(priors: Priors): {
  beta: { mean: number[]; cov: number[][] };
  sigma2: { shape: number; scale: number };
  psi: Record<string, { df: number; scale: number[][] }>;
  phi?: { a: number; b: number };
} {
  checkObjectArgument(priors, "priors", "resolved priors (resolvePriors(model, spec))", [
    "beta",
    "sigma2",
    "psi",
  ]);
  const rows = (a: Float64Array, q: number): number[][] =>
    Array.from({ length: q }, (_, i) => Array.from(a.subarray(i * q, i * q + q)));
  const psi: Record<string, { df: number; scale: number[][] }> = {};
  for (const entry of priors.psi) psi[entry.group] = { df: entry.df, scale: rows(entry.scale, entry.q) };
  return {
    beta: { mean: Array.from(priors.beta.mean), cov: rows(priors.beta.cov, priors.beta.mean.length) },
    sigma2: { shape: priors.sigma2.shape, scale: priors.sigma2.scale },
    psi,
    ...(priors.phi === undefined ? {} : { phi: { a: priors.phi.a, b: priors.phi.b } }),
  };
}
