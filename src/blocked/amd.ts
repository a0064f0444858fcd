/**
 * A fill-reducing elimination order: approximate minimum degree on the quotient graph (Amestoy, Davis
 * & Duff 1996), written for this package (no maintained JavaScript implementation exists: see the
 * README's dependency table).
 *
 * The graph is given by its variables (with weights: a level block of q columns is one variable of
 * weight q), their adjacency, and initial *elements* — cliques of variables that an earlier
 * elimination left behind (here: the levels of the first random-effects block, each of which couples
 * every rest column its rows touch). The quotient graph never forms a clique's edges: a variable keeps
 * the list of elements it belongs to, an element the list of its variables, so the Schur complement of
 * a 6,040-level factor crossed with a 3,706-level one costs memory in the number of (user, movie) pairs,
 * not their square.
 *
 * Each step eliminates a variable p of least approximate external degree: its element Lp is the union
 * of its elements (which p absorbs) and its neighbours; every variable i of Lp gets the degree bound
 *     d_i = min(W - k - w_i,  |A_i| + |Lp \ i| + sum_{e in E_i, e != p} |L_e \ Lp|)
 * with |L_e \ Lp| counted for all elements at once (the "w" pass); an element e with |L_e \ Lp| = 0 is
 * absorbed into p (aggressive absorption); a variable whose only neighbour is now p is eliminated with
 * it (mass elimination); variables of Lp with the same elements and neighbours are merged into one
 * supervariable (found by hashing). Ties go to the last variable inserted into a degree list.
 *
 * Storage: every list lives in one of three Int32Array pools (elements' variables, variables'
 * elements, variables' neighbours) as a start and a length, so a step allocates nothing but its
 * hash buckets; a variable's element list is rewritten in place ([p, then its surviving elements
 * in their order]) and moves to the pool's end only when it outgrows its room.
 *
 * @see Amestoy, Davis & Duff (1996) An approximate minimum degree ordering algorithm, SIAM J. Matrix
 *   Anal. Appl. 17(4):886–905, doi:10.1137/S0895479894278952; George & Liu (1989) The evolution of the
 *   minimum degree ordering algorithm, SIAM Review 31(1), doi:10.1137/1031001; Davis (2006) Direct
 *   Methods for Sparse Linear Systems, SIAM, ch. 7.
 */

/** Initial degrees are computed exactly when that costs at most this many list visits (else bounded). */
const EXACT_DEGREE_WORK = 3e7;

/**
 * Approximate minimum degree order of a graph with weighted variables and initial elements.
 *
 * @param n - number of variables
 * @param weight - weight of each variable (> 0; e.g. its number of scalar columns)
 * @param adjPtr - adjacency in compressed form: the neighbours of i are adjIdx[adjPtr[i]..adjPtr[i+1])
 *   (symmetric; self-loops and repeats are ignored)
 * @param adjIdx - see adjPtr
 * @param elemPtr - initial elements: element e's variables are elemIdx[elemPtr[e]..elemPtr[e+1])
 * @param elemIdx - see elemPtr
 * @returns the order: order[k] is the k-th variable eliminated (a permutation of 0..n-1)
 * @example
 * // A path 0 - 1 - 2 - 3 and no elements: an end is eliminated first, then its neighbour: no fill.
 * approximateMinimumDegree(4, new Int32Array([1, 1, 1, 1]), new Int32Array([0, 1, 3, 5, 6]),
 *   new Int32Array([1, 0, 2, 1, 3, 2]), new Int32Array([0]), new Int32Array(0)); // [0, 1, 2, 3]
 */
export function approximateMinimumDegree(
  n: number,
  weight: Int32Array,
  adjPtr: Int32Array,
  adjIdx: Int32Array,
  elemPtr: Int32Array,
  elemIdx: Int32Array,
): Int32Array {
  const ne = elemPtr.length - 1;
  const ids = n + ne;
  const nv = Int32Array.from(weight.subarray(0, n));
  let total = 0;
  for (let i = 0; i < n; i++) total += nv[i]!;
  const live = new Uint8Array(ids); // 1: a live element
  const mark = new Int32Array(ids).fill(-1);
  let stamp = 0;

  // Variables of each element: eLen[e] entries of the pool from eStart[e]; an element made by an
  // elimination is appended (the pool grows), an absorbed one's entries are left behind.
  const eStart = new Int32Array(ids);
  const eLen = new Int32Array(ids);
  const eSize = new Int32Array(ids);
  let ePool = new Int32Array(Math.max(16, 2 * elemIdx.length));
  let eTop = 0;
  const reserveElements = (extra: number): void => {
    if (eTop + extra <= ePool.length) return;
    const grown = new Int32Array(Math.max(2 * ePool.length, eTop + extra));
    grown.set(ePool.subarray(0, eTop));
    ePool = grown;
  };
  // Neighbours of each variable: vaLen[i] entries from vaStart[i]; pruning only shortens a list.
  const vaStart = new Int32Array(n);
  const vaLen = new Int32Array(n);
  const vaPool = new Int32Array(adjPtr[n]!);
  for (let i = 0; i < n; i++) {
    stamp++;
    mark[i] = stamp;
    const s0 = adjPtr[i]!;
    let len = 0;
    for (let t = adjPtr[i]!; t < adjPtr[i + 1]!; t++) {
      const j = adjIdx[t]!;
      if (mark[j] !== stamp) {
        mark[j] = stamp;
        vaPool[s0 + len++] = j;
      }
    }
    vaStart[i] = s0;
    vaLen[i] = len;
  }
  // Elements of each variable: veLen[i] entries from veStart[i], room for veCap[i]; a list that
  // outgrows its room moves to the pool's end.
  const veCount = new Int32Array(n);
  for (let e = 0; e < ne; e++) {
    const id = n + e;
    stamp++;
    const s0 = eTop;
    let size = 0;
    for (let t = elemPtr[e]!; t < elemPtr[e + 1]!; t++) {
      const i = elemIdx[t]!;
      if (mark[i] !== stamp) {
        mark[i] = stamp;
        ePool[eTop++] = i;
        size += nv[i]!;
      }
    }
    if (eTop - s0 < 2) {
      eTop = s0; // a single variable: no coupling
      continue;
    }
    live[id] = 1;
    eStart[id] = s0;
    eLen[id] = eTop - s0;
    eSize[id] = size;
    for (let t = s0; t < eTop; t++) veCount[ePool[t]!]!++;
  }
  const veStart = new Int32Array(n);
  const veLen = new Int32Array(n);
  const veCap = new Int32Array(n);
  let veTop = 0;
  for (let i = 0; i < n; i++) {
    veStart[i] = veTop;
    veCap[i] = veCount[i]! + 4;
    veTop += veCap[i]!;
  }
  let vePool = new Int32Array(Math.max(16, 2 * veTop));
  for (let id = n; id < ids; id++) {
    if (live[id] === 0) continue;
    for (let t = eStart[id]!; t < eStart[id]! + eLen[id]!; t++) {
      const i = ePool[t]!;
      vePool[veStart[i]! + veLen[i]!++] = id;
    }
  }

  // Initial degrees: exact when cheap, else the sum bound.
  const degree = new Int32Array(n);
  let work = 0;
  for (let i = 0; i < n; i++)
    for (let t = veStart[i]!; t < veStart[i]! + veLen[i]!; t++) work += eLen[vePool[t]!]!;
  for (let i = 0; i < n; i++) {
    let d = 0;
    const va = vaStart[i]!;
    const vaEnd = va + vaLen[i]!;
    const ve = veStart[i]!;
    const veEnd = ve + veLen[i]!;
    if (work <= EXACT_DEGREE_WORK) {
      stamp++;
      mark[i] = stamp;
      for (let t = va; t < vaEnd; t++) {
        const j = vaPool[t]!;
        if (mark[j] !== stamp) {
          mark[j] = stamp;
          d += nv[j]!;
        }
      }
      for (let t = ve; t < veEnd; t++) {
        const e = vePool[t]!;
        const end = eStart[e]! + eLen[e]!;
        for (let u = eStart[e]!; u < end; u++) {
          const j = ePool[u]!;
          if (mark[j] !== stamp) {
            mark[j] = stamp;
            d += nv[j]!;
          }
        }
      }
    } else {
      for (let t = va; t < vaEnd; t++) d += nv[vaPool[t]!]!;
      for (let t = ve; t < veEnd; t++) d += eSize[vePool[t]!]! - nv[i]!;
    }
    degree[i] = Math.min(d, total - nv[i]!);
  }

  // Degree lists.
  const head = new Int32Array(total + 1).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const inList = new Uint8Array(n);
  let minDegree = total;
  const insert = (i: number): void => {
    const d = degree[i]!;
    next[i] = head[d]!;
    prev[i] = -1;
    if (head[d]! >= 0) prev[head[d]!] = i;
    head[d] = i;
    inList[i] = 1;
    if (d < minDegree) minDegree = d;
  };
  const remove = (i: number): void => {
    if (inList[i] === 0) return;
    inList[i] = 0;
    if (prev[i]! >= 0) next[prev[i]!] = next[i]!;
    else head[degree[i]!] = next[i]!;
    if (next[i]! >= 0) prev[next[i]!] = prev[i]!;
  };
  for (let i = n - 1; i >= 0; i--) insert(i);

  // Supervariable chains: members merged into a principal variable, output right after it.
  const chainNext = new Int32Array(n).fill(-1);
  const chainLast = new Int32Array(n);
  for (let i = 0; i < n; i++) chainLast[i] = i;
  const order = new Int32Array(n);
  let out = 0;
  const emit = (i: number): void => {
    for (let v = i; v >= 0; v = chainNext[v]!) order[out++] = v;
  };

  const w = new Int32Array(ids);
  const wMark = new Int32Array(ids).fill(-1);
  let wStamp = 0;
  const Lp = new Int32Array(n);
  let eliminated = 0;
  while (eliminated < total) {
    while (head[minDegree]! < 0) minDegree++;
    const p = head[minDegree]!;
    remove(p);
    // Lp: p's elements (absorbed) and neighbours.
    stamp++;
    mark[p] = stamp;
    let nL = 0;
    for (let t = veStart[p]!; t < veStart[p]! + veLen[p]!; t++) {
      const e = vePool[t]!;
      if (live[e] === 0) continue;
      const end = eStart[e]! + eLen[e]!;
      for (let u = eStart[e]!; u < end; u++) {
        const i = ePool[u]!;
        if (nv[i]! > 0 && mark[i] !== stamp) {
          mark[i] = stamp;
          Lp[nL++] = i;
        }
      }
      live[e] = 0;
    }
    for (let t = vaStart[p]!; t < vaStart[p]! + vaLen[p]!; t++) {
      const j = vaPool[t]!;
      if (nv[j]! > 0 && mark[j] !== stamp) {
        mark[j] = stamp;
        Lp[nL++] = j;
      }
    }
    emit(p);
    eliminated += nv[p]!;
    nv[p] = 0;
    veLen[p] = 0;
    vaLen[p] = 0;
    for (let t = 0; t < nL; t++) remove(Lp[t]!);
    // |L_e \ Lp| for every element meeting Lp.
    wStamp++;
    for (let t = 0; t < nL; t++) {
      const i = Lp[t]!;
      const nvi = nv[i]!;
      for (let u = veStart[i]!; u < veStart[i]! + veLen[i]!; u++) {
        const e = vePool[u]!;
        if (live[e] === 0) continue;
        if (wMark[e] !== wStamp) {
          wMark[e] = wStamp;
          w[e] = eSize[e]!;
        }
        w[e]! -= nvi;
      }
    }
    // New element lists ([p, the live elements not absorbed], in their order), pruned adjacency,
    // degrees; mass elimination.
    const hash = new Map<number, number[]>();
    let kept = 0;
    for (let t = 0; t < nL; t++) {
      const i = Lp[t]!;
      let external = 0;
      let h = p;
      const ve = veStart[i]!;
      let nE = 0;
      for (let u = ve; u < ve + veLen[i]!; u++) {
        const e = vePool[u]!;
        if (live[e] === 0) continue;
        if (w[e] === 0) {
          live[e] = 0; // L_e ⊆ Lp: absorbed into p
          continue;
        }
        vePool[ve + nE++] = e;
        external += w[e]!;
        h += e;
      }
      // p in front: shift, or move the list to the pool's end when it has no room.
      if (nE + 1 > veCap[i]!) {
        const cap = 2 * (nE + 1);
        if (veTop + cap > vePool.length) {
          const grown = new Int32Array(Math.max(2 * vePool.length, veTop + cap));
          grown.set(vePool.subarray(0, veTop));
          vePool = grown;
        }
        vePool.copyWithin(veTop + 1, ve, ve + nE);
        veStart[i] = veTop;
        veCap[i] = cap;
        veTop += cap;
      } else vePool.copyWithin(ve + 1, ve, ve + nE);
      vePool[veStart[i]!] = p;
      veLen[i] = nE + 1;
      const va = vaStart[i]!;
      let nA = 0;
      for (let u = va; u < va + vaLen[i]!; u++) {
        const j = vaPool[u]!;
        if (nv[j]! > 0 && mark[j] !== stamp) {
          vaPool[va + nA++] = j;
          external += nv[j]!;
          h += j;
        }
      }
      vaLen[i] = nA;
      if (nE === 0 && nA === 0) {
        // Only p is left as a neighbour: eliminate i with p.
        emit(i);
        eliminated += nv[i]!;
        nv[i] = 0;
        continue;
      }
      degree[i] = external; // external part; Lp's share added below
      Lp[kept++] = i;
      const key = h % 1000003;
      const bucket = hash.get(key);
      if (bucket === undefined) hash.set(key, [i]);
      else bucket.push(i);
    }
    // Supervariables: same elements and neighbours.
    for (const bucket of hash.values()) {
      if (bucket.length < 2) continue;
      for (let a = 0; a < bucket.length; a++) {
        const i = bucket[a]!;
        if (nv[i] === 0) continue;
        stamp++;
        for (let u = veStart[i]!; u < veStart[i]! + veLen[i]!; u++) mark[vePool[u]!] = stamp;
        for (let u = vaStart[i]!; u < vaStart[i]! + vaLen[i]!; u++) mark[vaPool[u]!] = stamp;
        for (let b = a + 1; b < bucket.length; b++) {
          const j = bucket[b]!;
          if (nv[j] === 0) continue;
          if (veLen[j] !== veLen[i] || vaLen[j] !== vaLen[i]) continue;
          let same = true;
          for (let u = veStart[j]!; u < veStart[j]! + veLen[j]!; u++)
            if (mark[vePool[u]!] !== stamp) same = false;
          for (let u = vaStart[j]!; u < vaStart[j]! + vaLen[j]!; u++)
            if (mark[vaPool[u]!] !== stamp) same = false;
          if (!same) continue;
          nv[i]! += nv[j]!;
          nv[j] = 0;
          chainNext[chainLast[i]!] = j;
          chainLast[i] = chainLast[j]!;
          veLen[j] = 0;
          vaLen[j] = 0;
        }
      }
    }
    // The new element and the degrees of its variables.
    reserveElements(kept);
    const s0 = eTop;
    let size = 0;
    for (let t = 0; t < kept; t++) {
      const i = Lp[t]!;
      if (nv[i] === 0) continue;
      ePool[eTop++] = i;
      size += nv[i]!;
    }
    live[p] = eTop > s0 ? 1 : 0;
    eStart[p] = s0;
    eLen[p] = eTop - s0;
    eSize[p] = size;
    for (let t = s0; t < eTop; t++) {
      const i = ePool[t]!;
      degree[i] = Math.min(total - eliminated - nv[i]!, degree[i]! + size - nv[i]!);
      insert(i);
    }
  }
  return order;
}
