/**
 * Linear scales and "nice" axis ticks: the only mapping from data to pixels the pictures use.
 *
 * Ticks are multiples of 1, 2 or 5 × 10^k chosen so that about `count` of them fall in the domain
 * (the rule of Heckbert 1990, "Nice numbers for graph labels", Graphics Gems; d3-scale uses the same).
 */

/** A linear map from a data interval (`domain`) to a pixel interval (`range`), with its ticks. */
export interface LinearScale {
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  /** The pixel position of data value `value`. */
  map(value: number): number;
  /** Nice tick values inside the domain, about `count` of them. */
  ticks(count?: number): number[];
  /** A tick label for `value`, with as many decimals as the tick step needs. */
  format(value: number, count?: number): string;
}

/**
 * The tick step for about `count` ticks over [lo, hi]: 1, 2 or 5 times a power of ten.
 *
 * @example tickStep(0, 100, 5) // 20
 */
export function tickStep(lo: number, hi: number, count: number): number {
  const raw = Math.abs(hi - lo) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  return factor * 10 ** power;
}

/**
 * Nice ticks in [lo, hi]: the multiples of `tickStep(lo, hi, count)`, computed as integer multiples
 * (divided by the inverse step for steps below 1) so that 0.1 + 0.2 noise never shows in a label.
 *
 * @example niceTicks(0, 1, 5) // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo > hi) [lo, hi] = [hi, lo];
  const step = tickStep(lo, hi, count);
  const out: number[] = [];
  if (step >= 1) {
    const first = Math.ceil(lo / step - 1e-9);
    const last = Math.floor(hi / step + 1e-9);
    for (let i = first; i <= last; i++) out.push(i === 0 ? 0 : i * step);
  } else {
    const inverse = Math.round(1 / step);
    const first = Math.ceil(lo * inverse - 1e-9);
    const last = Math.floor(hi * inverse + 1e-9);
    for (let i = first; i <= last; i++) out.push(i === 0 ? 0 : i / inverse);
  }
  return out;
}

/**
 * A tick label: fixed decimals enough for `step`, a true minus sign, exponent notation for very large
 * or very small magnitudes.
 *
 * @example formatTick(-0.5, 0.1) // "−0.5"
 */
export function formatTick(value: number, step: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) < step * 1e-6) value = 0;
  const magnitude = Math.max(Math.abs(value), step);
  let textValue: string;
  if (magnitude >= 1e6 || (step < 1e-4 && value !== 0)) {
    const digits = Math.max(0, Math.min(6, Math.ceil(Math.log10(magnitude / step) - 1e-9)));
    textValue = value.toExponential(digits).replace(/\.?0+e/, "e");
  } else {
    const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
    textValue = value.toFixed(decimals);
  }
  return textValue.replace(/^-/, "\u2212");
}

/**
 * A linear scale. A degenerate domain (lo = hi) is widened to show the value in the middle; a
 * non-finite domain becomes [0, 1].
 *
 * @param domain data interval [lo, hi] (either order).
 * @param range pixel interval; reversed for y axes ([bottom, top]).
 * @param nice extend the domain outward to the nearest ticks (for `count` ticks).
 */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
  nice = false,
  count = 5,
): LinearScale {
  let [lo, hi] = domain;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  if (nice) {
    for (let pass = 0; pass < 2; pass++) {
      const step = tickStep(lo, hi, count);
      lo = Math.floor(lo / step) * step;
      hi = Math.ceil(hi / step) * step;
    }
  }
  const [r0, r1] = range;
  const k = (r1 - r0) / (hi - lo);
  const d0 = lo;
  const dom: readonly [number, number] = [lo, hi];
  return {
    domain: dom,
    range,
    map: (value) => r0 + (value - d0) * k,
    ticks: (n = count) => niceTicks(dom[0], dom[1], n),
    format: (value, n = count) => formatTick(value, tickStep(dom[0], dom[1], n)),
  };
}

/** [min, max] of the finite values of several arrays; [NaN, NaN] when there are none. */
export function extent(...arrays: readonly ArrayLike<number>[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i] as number;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [Number.NaN, Number.NaN];
}

/** [lo, hi] widened by `fraction` of its width on each side (an axis's breathing room). */
export function pad(interval: readonly [number, number], fraction: number): [number, number] {
  const [lo, hi] = interval;
  const w = hi - lo;
  return w > 0 ? [lo - w * fraction, hi + w * fraction] : [lo, hi];
}
