/**
 * A seeded synthetic data set of MovieLens-1M's shape (Harper & Konstan 2015, doi:10.1145/2827872):
 * 1,000,209 ratings of 3,706 movies by 6,040 users, every user with at least 20 ratings, no user
 * rating a movie twice. The real data's marginals are heavy-tailed (users: median 96, mean 166, up
 * to 2,314 ratings; movies: 1 to 3,428); here user activity is 20 + a lognormal share of the rest and
 * movie popularity lognormal (sdlog 1.4), each user's movies drawn without replacement by popularity.
 * Ratings follow the crossed-intercepts model itself, rounded to the 1–5 stars:
 *
 *     rating = round(3.58 + b_user + b_movie + e) clamped to 1..5,
 *     b_user ~ N(0, 0.45²), b_movie ~ N(0, 0.50²), e ~ N(0, 0.90²).
 *
 * The model fitted is `rating ~ 1 + (1 | user) + (1 | movie)` (MixedModels.jl's benchmark of the
 * real data). User u < 3,706 rates movie u first, so every movie has a rating. Same seed, same data (src/random's xoshiro128**).
 */
import { Random } from "../../src/random/generator";
import { normal } from "../../src/random/normal";

export const MOVIELENS_ROWS = 1_000_209;
export const MOVIELENS_USERS = 6_040;
export const MOVIELENS_MOVIES = 3_706;
/** The real data's most active user rated 2,314 movies. */
const MAX_USER_RATINGS = 2_314;
export const MOVIELENS_FORMULA = "rating ~ 1 + (1 | user) + (1 | movie)";

/** The data as columns: user and movie labels (strings, as a CSV would give them) and ratings. */
export interface MovieLensData {
  readonly user: string[];
  readonly movie: string[];
  readonly rating: Float64Array;
}

/**
 * Generates the data set.
 *
 * @param seed - the generator's seed (the benchmark uses 1)
 * @returns 1,000,209 rows
 */
export function movieLensLike(seed = 1): MovieLensData {
  const rng = Random.fromSeed(seed);
  const U = MOVIELENS_USERS;
  const M = MOVIELENS_MOVIES;
  // Users' rating counts: 20 each, the rest shared by lognormal weights (largest remainder rounding).
  const share = Float64Array.from({ length: U }, () => Math.exp(1.1 * normal(rng)));
  const total = share.reduce((s, v) => s + v, 0);
  const rest = MOVIELENS_ROWS - 20 * U;
  const counts = new Int32Array(U);
  let assigned = 0;
  const frac: { u: number; f: number }[] = [];
  for (let u = 0; u < U; u++) {
    const x = (share[u]! / total) * rest;
    counts[u] = 20 + Math.min(Math.floor(x), MAX_USER_RATINGS - 20);
    assigned += counts[u]! - 20;
    frac.push({ u, f: x - Math.floor(x) });
  }
  frac.sort((a, b) => b.f - a.f);
  for (let t = 0; assigned < rest; t = (t + 1) % U) {
    const u = frac[t]!.u;
    if (counts[u]! < MAX_USER_RATINGS) {
      counts[u]!++;
      assigned++;
    }
  }
  // Movie popularity and a cumulative table for sampling.
  const weight = Float64Array.from({ length: M }, () => Math.exp(1.4 * normal(rng)));
  const cumulative = new Float64Array(M);
  let acc = 0;
  for (let j = 0; j < M; j++) {
    acc += weight[j]!;
    cumulative[j] = acc;
  }
  const bUser = Float64Array.from({ length: U }, () => 0.45 * normal(rng));
  const bMovie = Float64Array.from({ length: M }, () => 0.5 * normal(rng));
  const user: string[] = new Array<string>(MOVIELENS_ROWS);
  const movie: string[] = new Array<string>(MOVIELENS_ROWS);
  const rating = new Float64Array(MOVIELENS_ROWS);
  const seen = new Int32Array(M).fill(-1);
  const userLabel = Array.from({ length: U }, (_, u) => `u${u + 1}`);
  const movieLabel = Array.from({ length: M }, (_, j) => `m${j + 1}`);
  let i = 0;
  for (let u = 0; u < U; u++) {
    let left = counts[u]!;
    while (left > 0) {
      const x = rng.uniform() * acc;
      // Every movie is rated: user u rates movie u first (u < 3,706 < 6,040 users).
      const forced = left === counts[u]! && u < M;
      let lo = 0;
      let hi = M - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      // A movie this user has rated: take the next unrated one (keeps the draw bounded for heavy users).
      let j = forced ? u : lo;
      while (seen[j] === u) j = (j + 1) % M;
      seen[j] = u;
      const y = Math.round(3.58 + bUser[u]! + bMovie[j]! + 0.9 * normal(rng));
      user[i] = userLabel[u]!;
      movie[i] = movieLabel[j]!;
      rating[i] = Math.min(5, Math.max(1, y));
      i++;
      left--;
    }
  }
  return { user, movie, rating };
}
