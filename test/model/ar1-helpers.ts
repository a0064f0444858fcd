/**
 * Helpers of the AR(1) tests: a small data set with gaps and unsorted times, R(phi) built densely from
 * its definition, a dense SPD inverse, the model's per-row vectors of the statistics layout.
 */
import { statisticsLayout } from "../../src/model/stats";
import type { LmmModel } from "../../src/model/types";

/** A small data set: 3 subjects in 2 sites, times with a gap and rows not sorted by time. */
export function smallData(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const times: Record<string, number[]> = { a: [3, 1, 2, 6], b: [0, 2, 1], c: [5, 7, 4, 8, 6] };
  let k = 0;
  for (const [subject, ts] of Object.entries(times))
    for (const t of ts) {
      k++;
      rows.push({
        subject,
        site: subject === "c" ? "s2" : "s1",
        t,
        x: Math.sin(k * 1.7) + t / 3,
        y: Math.cos(k * 0.9) * 2 + t * 0.5 + (subject === "b" ? 1 : 0),
      });
    }
  return rows;
}

/** The dense correlation matrix R(phi) by model row, from its definition. */
export function denseR(model: LmmModel, times: number[], groups: string[], phi: number): number[][] {
  const n = model.n;
  const R = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let s = 0; s < n; s++)
    for (let t = 0; t < n; t++)
      if (groups[s] === groups[t]) R[s]![t] = phi ** Math.abs(times[s]! - times[t]!);
  return R;
}

/** Cholesky-based inverse and log determinant of a symmetric positive-definite matrix. */
export function invertSpd(A: number[][]): { inverse: number[][]; logDet: number } {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let logDet = 0;
  for (let j = 0; j < n; j++) {
    let s = A[j]![j]!;
    for (let k = 0; k < j; k++) s -= L[j]![k]! ** 2;
    L[j]![j] = Math.sqrt(s);
    logDet += Math.log(s);
    for (let i = j + 1; i < n; i++) {
      let t = A[i]![j]!;
      for (let k = 0; k < j; k++) t -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = t / L[j]![j]!;
    }
  }
  const inverse = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    // Solve L L' x = e_c.
    const z = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i]![k]! * z[k]!;
      z[i] = s / L[i]![i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let k = i + 1; k < n; k++) s -= L[k]![i]! * inverse[k]![c]!;
      inverse[i]![c] = s / L[i]![i]!;
    }
  }
  return { inverse, logDet };
}

/** The model's per-row vectors v of the statistics layout (1, z, x, y − offset). */
export function rowVectors(model: LmmModel): number[][] {
  const layout = statisticsLayout(model.terms, model.p);
  return Array.from({ length: model.n }, (_, i) => {
    const v = new Array<number>(layout.d).fill(0);
    v[0] = 1;
    model.terms.forEach((t, k) => {
      for (let r = 0; r < t.q; r++) v[layout.termOffset[k]! + r] = t.values[i * t.q + r]!;
    });
    for (let j = 0; j < model.p; j++) v[layout.xOffset + j] = model.X[i * model.p + j]!;
    v[layout.yIndex] = model.y[i]! - (model.offset?.[i] ?? 0);
    return v;
  });
}
