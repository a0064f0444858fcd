/**
 * Thinning a long series for a line picture without changing what the eye sees.
 *
 * A trace of 5,000 draws drawn 480 pixels wide puts about ten draws in each pixel column; all that
 * shows of them is the column's vertical extent. Min–max decimation keeps, for each pixel column, the
 * draw with the smallest and the one with the largest value, in the order they occur, so every column
 * spans exactly the range it spans with all draws (the M4 aggregation of Jugel, Jerzak, Hackenbroich &
 * Markl 2014, "M4: a visualization-oriented time series data aggregation", PVLDB 7(10):797-808,
 * doi:10.14778/2732951.2732953, without its first/last points, which only move the connecting segments
 * between neighbouring columns by less than a column's range). At most 2 points per column per chain:
 * 4 chains × 5,000 draws in a 480-pixel panel become at most 3,840 points instead of 20,000.
 */

/**
 * The indices to draw of `values[0 .. n-1]` shown in `columns` pixel columns: all of them when
 * n ≤ 2·columns, else per column the index of the minimum and of the maximum, in increasing order.
 * Non-finite values are never chosen.
 *
 * @param values the series.
 * @param columns number of pixel columns (≥ 1).
 * @returns increasing indices into `values`.
 * @example minMaxIndices(Float64Array.of(0, 5, 1, 4, 2, 3), 1) // Int32Array [0, 1]
 */
export function minMaxIndices(values: ArrayLike<number>, columns: number): Int32Array {
  const n = values.length;
  const buckets = Math.max(1, Math.floor(columns));
  if (n <= 2 * buckets) {
    const all = new Int32Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(values[i] as number)) all[k++] = i;
    return all.slice(0, k);
  }
  const out = new Int32Array(2 * buckets);
  let k = 0;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let iMin = -1;
    let iMax = -1;
    let vMin = Number.POSITIVE_INFINITY;
    let vMax = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v)) continue;
      if (v < vMin) {
        vMin = v;
        iMin = i;
      }
      if (v > vMax) {
        vMax = v;
        iMax = i;
      }
    }
    if (iMin < 0) continue;
    if (iMin === iMax) out[k++] = iMin;
    else if (iMin < iMax) {
      out[k++] = iMin;
      out[k++] = iMax;
    } else {
      out[k++] = iMax;
      out[k++] = iMin;
    }
  }
  return out.slice(0, k);
}
