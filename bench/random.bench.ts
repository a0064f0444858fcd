/**
 * Random variates per second: our generator and samplers (src/random) against pure-rand 8.4.2 and
 * stdlib's single-package samplers, and the polar normal we measured against the ziggurat.
 * Each case is its own loop (so no call site is shared between cases), timed 9 times round-robin
 * after a warm-up; the table gives the median and the range. Run: `npm run bench -- random`.
 */
import stdlibGamma from "@stdlib/random-base-gamma";
import stdlibNormal from "@stdlib/random-base-normal";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { gamma, gammaInto } from "../src/random/gamma";
import { Random } from "../src/random/generator";
import { normal } from "../src/random/normal";
import { inverseWishart } from "../src/random/wishart";

const N = 2_000_000;
const REPEATS = 9;

interface Case {
  readonly what: string;
  readonly how: string;
  readonly draws: number;
  readonly loop: () => number;
  readonly perSecond: number[];
}

const cases: Case[] = [];

function add(what: string, how: string, draws: number, loop: () => number): void {
  cases.push({ what, how, draws, loop, perSecond: [] });
}

/**
 * Warm every case up, then time them round-robin: repeat r of every case runs before repeat r + 1 of
 * any, so a change in machine load (other processes on these 2 cores) hits all cases alike.
 */
function runAll(): void {
  let sink = 0;
  for (const c of cases) sink += c.loop();
  for (let r = 0; r < REPEATS; r++)
    for (const c of cases) {
      const t0 = performance.now();
      sink += c.loop();
      c.perSecond.push(c.draws / ((performance.now() - t0) / 1000));
    }
  if (Number.isNaN(sink)) throw new Error("NaN sink");
  for (const c of cases) c.perSecond.sort((a, b) => a - b);
}

/** The Marsaglia polar method with the second value cached: the alternative the ziggurat replaced. */
function polarFactory(rng: Random): () => number {
  let spare = Number.NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const s = spare;
      spare = Number.NaN;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * rng.uniform() - 1;
      v = 2 * rng.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    return u * f;
  };
}

const rng = Random.fromSeed(1);
const pr = xoroshiro128plus(1);

add("32-bit integers", "ours: xoshiro128**", N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += rng.nextUint32();
  return s;
});
add("32-bit integers", "pure-rand xoroshiro128+ next()", N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += pr.next();
  return s;
});
add("uniform doubles", "ours: uniform(), 53 bits in (0,1)", N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += rng.uniform();
  return s;
});
add("uniform doubles", "pure-rand uniformFloat64 (low bits)", N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += uniformFloat64(pr);
  return s;
});
add("uniform doubles", "pure-rand next(), top 27+26 bits", N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += ((pr.next() >>> 5) * 67108864 + (pr.next() >>> 6)) * 2 ** -53;
  return s;
});
add("standard normals", "ours: ziggurat", N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += normal(rng);
  return s;
});
const polar = polarFactory(rng);
add("standard normals", "polar method on our uniform()", N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += polar();
  return s;
});
const sn = stdlibNormal.factory(0, 1, { seed: 1 });
add("standard normals", "@stdlib/random-base-normal 0.2.2", N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += sn();
  return s;
});
for (const shape of [0.5, 2.5, 50]) {
  add(`Gamma(${shape})`, "ours: Marsaglia–Tsang", N, () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += gamma(rng, shape);
    return s;
  });
  const slot = new Float64Array(1);
  add(`Gamma(${shape})`, "ours: gammaInto (into a Float64Array)", N, () => {
    let s = 0;
    for (let i = 0; i < N; i++) {
      gammaInto(rng, shape, slot, 0);
      s += slot[0]!;
    }
    return s;
  });
  const sg = stdlibGamma.factory(shape, 1, { seed: 1 });
  add(`Gamma(${shape})`, "@stdlib/random-base-gamma 0.2.2", N, () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += sg();
    return s;
  });
}
{
  const q = 3;
  const C = new Float64Array([1.4, 0, 0, 0.4, 0.9, 0, -0.2, 0.3, 0.6]);
  const out = new Float64Array(q * q);
  const work = new Float64Array(2 * q * q);
  const M = N / 20;
  add("InvWishart, q = 3", "ours: Bartlett", M, () => {
    let s = 0;
    for (let i = 0; i < M; i++) s += inverseWishart(rng, q, 10, C, q, 1, 0, out, q, 1, 0, work, 0)[0]!;
    return s;
  });
}

runAll();
const fmt = (v: number) => (v / 1e6).toFixed(1);
const lines = [
  `Node ${process.version}, ${N.toLocaleString("en")} draws per timing, ${REPEATS} timings: median (min–max), millions per second.`,
  "",
  "| draws | generator | M/s median | range |",
  "|---|---|---:|---:|",
  ...cases.map((r) => {
    const med = r.perSecond[Math.floor(r.perSecond.length / 2)]!;
    return `| ${r.what} | ${r.how} | ${fmt(med)} | ${fmt(r.perSecond[0]!)}–${fmt(r.perSecond[r.perSecond.length - 1]!)} |`;
  }),
];
process.stdout.write(`${lines.join("\n")}\n`);
