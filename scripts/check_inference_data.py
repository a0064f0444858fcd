"""Reads InferenceData netCDF4 files with xarray + netCDF4, as an ArviZ user would, and checks every
group's variables, dimensions, coordinates and values against the expected JSON written beside each
file by check-inference-data.ts.

    python3 scripts/check_inference_data.py DIR      (run by scripts/check-inference-data.ts)
"""
import json
import math
import pathlib
import sys

import netCDF4
import numpy as np
import xarray as xr


def check(nc: pathlib.Path) -> int:
    expected = json.loads(nc.with_suffix(".json").read_text())
    problems = 0
    groups = set(netCDF4.Dataset(nc).groups)
    if groups != set(expected["groups"]):
        print(f"{nc.name}: groups {sorted(groups)}, expected {sorted(expected['groups'])}")
        problems += 1
    for name, group in expected["groups"].items():
        ds = xr.open_dataset(nc, group=name, engine="netcdf4")
        for dim, values in group["coords"].items():
            got = [str(v) if isinstance(v, str) else int(v) for v in ds[dim].values.tolist()]
            if got != values:
                print(f"{nc.name}/{name}: coordinate {dim} is {got[:5]}..., expected {values[:5]}...")
                problems += 1
        for var, spec in group["variables"].items():
            if var not in ds:
                print(f"{nc.name}/{name}: no variable {var}")
                problems += 1
                continue
            v = ds[var]
            if list(v.dims) != spec["dims"]:
                print(f"{nc.name}/{name}/{var}: dims {v.dims}, expected {spec['dims']}")
                problems += 1
            for probe in spec["probes"]:
                at = dict(zip(spec["dims"], probe["at"]))
                got = float(v.sel(at).values) if probe.get("by") == "label" else float(v.values[tuple(probe["at"])])
                if not math.isclose(got, probe["value"], rel_tol=0, abs_tol=0):
                    print(f"{nc.name}/{name}/{var}{probe['at']}: {got!r}, expected {probe['value']!r}")
                    problems += 1
            total = float(np.sum(v.values))
            if not math.isclose(total, spec["sum"], rel_tol=1e-12, abs_tol=1e-12):
                print(f"{nc.name}/{name}/{var}: sum {total!r}, expected {spec['sum']!r}")
                problems += 1
        for key, value in group["attrs"].items():
            if ds.attrs.get(key) != value:
                print(f"{nc.name}/{name}: attribute {key} = {ds.attrs.get(key)!r}, expected {value!r}")
                problems += 1
        ds.close()
    print(f"{nc.name}: {len(expected['groups'])} groups read by xarray {xr.__version__} / netCDF4 {netCDF4.__version__}, {'ok' if problems == 0 else f'{problems} problem(s)'}")
    return problems


if __name__ == "__main__":
    folder = pathlib.Path(sys.argv[1])
    failures = sum(check(nc) for nc in sorted(folder.glob("*.nc")))
    sys.exit(1 if failures else 0)
