/**
 * InferenceData as a netCDF4 file (Node): one netCDF group per InferenceData group, each dimension a
 * coordinate variable (an HDF5 dimension scale), each variable a float64 dataset with its dimension
 * scales attached — what ArviZ's `InferenceData.to_netcdf` writes and `arviz.from_netcdf` /
 * `xarray.open_dataset(path, group=...)` read.
 *
 * The HDF5 underneath is written by h5wasm (the HDF Group's C library compiled to WebAssembly),
 * loaded only when a file is written: the main entry and this entry's other functions never load it.
 * Why h5wasm and not a writer of our own: see the README's dependency table.
 */
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { type InferenceData, type InferenceDataExtras, inferenceData } from "../draws/inference-data";
import type { Posterior } from "../draws/posterior";
import { DataError, LmmError } from "../errors";
import {
  checkObjectArgument,
  checkOptionsArgument,
  checkPosteriorArgument,
  checkStringArgument,
} from "../validate";

/** Variables above this many values are written one slice of their first dimension at a time. */
const SLICED = 8_000_000;

type H5 = typeof import("h5wasm");
type H5Group = ReturnType<InstanceType<H5["File"]>["create_group"]>;

let loading: Promise<H5> | undefined;

/** h5wasm's Node build, loaded once, on first use. */
async function h5wasm(): Promise<H5> {
  loading ??= import("h5wasm/node").then(async (m) => {
    const lib = (m as unknown as { default: H5 }).default ?? (m as unknown as H5);
    await lib.ready;
    return lib;
  });
  return loading;
}

function writeGroup(g: H5Group, group: InferenceData["groups"][number]): void {
  const sizes: Record<string, number> = {};
  for (const [dim, values] of Object.entries(group.coords)) {
    sizes[dim] = values.length;
    const scale =
      values instanceof Int32Array
        ? g.create_dataset({
            name: dim,
            data: BigInt64Array.from(values, BigInt),
            shape: [values.length],
            dtype: "<q",
          })
        : g.create_dataset({ name: dim, data: [...values], shape: [values.length] });
    scale.make_scale(dim);
  }
  for (const v of group.variables) {
    const shape = v.dims.map((d) => {
      const n = sizes[d];
      if (n === undefined)
        throw new LmmError(
          "INVALID_ARGUMENT",
          `InferenceData group ${group.name}: no coordinates for dimension ${d}.`,
        );
      return n;
    });
    const total = shape.reduce((a, b) => a * b, 1);
    let ds: ReturnType<H5Group["create_dataset"]>;
    if (total <= SLICED || shape.length < 2)
      ds = g.create_dataset({ name: v.name, data: v.values, shape, dtype: "<d" });
    else {
      const rest = shape.slice(1);
      const per = total / shape[0]!;
      ds = g.create_dataset({
        name: v.name,
        data: new Float64Array(0),
        shape: [0, ...rest],
        maxshape: [null, ...rest],
        // A chunk: one chain, as many draws as make about a million values.
        chunks: [
          1,
          Math.max(1, Math.min(rest[0]!, Math.floor(1_000_000 / (per / rest[0]!)))),
          ...rest.slice(1),
        ],
        dtype: "<d",
      });
      for (let c = 0; c < shape[0]!; c++) {
        ds.resize([c + 1, ...rest]);
        ds.write_slice([[c, c + 1], ...rest.map(() => [] as [])], v.values.subarray(c * per, (c + 1) * per));
      }
    }
    v.dims.forEach((d, k) => {
      ds.attach_scale(k, `/${group.name}/${d}`);
    });
    for (const [key, value] of Object.entries(v.attrs ?? {})) ds.create_attribute(key, value);
  }
  for (const [key, value] of Object.entries(group.attrs)) g.create_attribute(key, value);
}

/**
 * Writes ArviZ's InferenceData as a netCDF4 file: a posterior's groups (`inferenceData(posterior,
 * extras)`), or InferenceData built beforehand. The file appears whole or not at all (it is written
 * beside its final name and renamed).
 *
 * @param data - a posterior, or InferenceData
 * @param path - the file to write (by convention `.nc`)
 * @param extras - for a posterior: groups other parts of the package provide (log-likelihood, ...)
 * @throws DataError (FILE) when the file cannot be written
 * @example await writeInferenceData(post, "fit.nc"); // python: arviz.from_netcdf("fit.nc")
 */
export async function writeInferenceData(
  data: Posterior | InferenceData,
  path: string,
  extras: InferenceDataExtras = {},
): Promise<void> {
  checkObjectArgument(data, "data", "a Posterior or InferenceData");
  if (!("groups" in data && typeof data.groups === "object" && data.groups !== null))
    checkPosteriorArgument(data);
  checkStringArgument(path, "path", "a file name");
  checkOptionsArgument(extras, "extras");
  const idata = "groups" in data ? data : inferenceData(data, extras);
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new DataError("FILE", `cannot write InferenceData file \`${path}\`: no such folder \`${folder}\`.`);
  const lib = await h5wasm();
  const partial = `${path}.partial-${process.pid}`;
  try {
    const file = new lib.File(partial, "w");
    try {
      for (const group of idata.groups) writeGroup(file.create_group(group.name), group);
    } finally {
      file.close();
    }
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    if (error instanceof LmmError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError("FILE", `cannot write InferenceData file \`${path}\`: ${reason}.`);
  }
}
