/** Vector arithmetic of the in-memory store: unit vectors, one-pass cosine scans, rank fusion. */

/** Unit-length copy; a zero or non-finite vector becomes all zeros so it matches nothing. */
export function unit(vector: ArrayLike<number>): Float32Array {
  const out = vector instanceof Float32Array ? new Float32Array(vector) : Float32Array.from(vector);
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += (out[i] as number) * (out[i] as number);
  const norm = Math.sqrt(sum);
  if (!Number.isFinite(norm) || norm === 0) return out.fill(0);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / norm;
  return out;
}

/** Cosine of the query with every row of a matrix of unit vectors. */
export function scoreRows(options: { matrix: Float32Array; dimensions: number; query: Float32Array }): Float64Array {
  const { matrix, dimensions, query } = options;
  const rows = dimensions > 0 ? matrix.length / dimensions : 0;
  const out = new Float64Array(rows);
  const q = query.length === dimensions ? query : new Float32Array(dimensions);
  // The hot loop of a query: each row is a dot product (see dot) of a view into the matrix.
  for (let r = 0, base = 0; r < rows; r++, base += dimensions) out[r] = dot(matrix.subarray(base, base + dimensions), q);
  return out;
}

/**
 * Dot product, four components a step: the additions run in the same order as one at a time,
 * so the result is the same to the bit, in about two thirds of the time. Indexes are in range
 * by construction (no `?? 0` per component).
 */
export function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let sum = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    sum = sum + (a[i] as number) * (b[i] as number) + (a[i + 1] as number) * (b[i + 1] as number) + (a[i + 2] as number) * (b[i + 2] as number) + (a[i + 3] as number) * (b[i + 3] as number);
  }
  for (; i < n; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/**
 * Indexes of the `k` highest positive scores, best first (ties: lower index first), in
 * O(n log k) with a bounded min-heap instead of sorting all n.
 */
export function topIndexes(scores: Float64Array, k: number): number[] {
  return selectTop({ scores, keys: undefined, k, positiveOnly: true });
}

/** Indexes of the `k` highest scores, whatever their sign, best first (ties: lower index first). */
export function bestIndexes(scores: Float64Array, k: number): number[] {
  return selectTop({ scores, keys: undefined, k, positiveOnly: false });
}

/**
 * The `k` best of n entries (with `positiveOnly`, of those scoring above zero), best first,
 * ties to the lower key (the entry's index when no keys are given): positions into `scores`.
 */
function selectTop(options: { scores: Float64Array; keys: Int32Array | undefined; k: number; positiveOnly: boolean }): number[] {
  const { scores, keys, k, positiveOnly } = options;
  const heap: number[] = [];
  const key = (i: number): number => (keys ? (keys[i] ?? 0) : i);
  // "a is worse than b": lower score, or the same score and a later key.
  const worse = (a: number, b: number): boolean => (scores[a] ?? 0) < (scores[b] ?? 0) || ((scores[a] ?? 0) === (scores[b] ?? 0) && key(a) > key(b));
  const swap = (i: number, j: number): void => {
    const t = heap[i] ?? 0;
    heap[i] = heap[j] ?? 0;
    heap[j] = t;
  };
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l] ?? 0, heap[m] ?? 0)) m = l;
      if (r < heap.length && worse(heap[r] ?? 0, heap[m] ?? 0)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  // Fewer entries than asked for (a small corpus read to a fixed depth): sorting them is cheaper.
  if (scores.length <= k) {
    for (let i = 0; i < scores.length; i++) if (!positiveOnly || (scores[i] ?? 0) > 0) heap.push(i);
    return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  }
  for (let i = 0; i < scores.length; i++) {
    if (positiveOnly && (scores[i] ?? 0) <= 0) continue;
    if (heap.length < k) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c] ?? 0, heap[p] ?? 0)) break;
        swap(c, p);
        c = p;
      }
    } else if (worse(heap[0] ?? 0, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}

/**
 * Reciprocal rank fusion: each ranking gives a row 1/(k + rank) for its `depth` best rows, and
 * rows are ordered by the sum. Ranks, not raw scores, are combined, so cosine values and BM25
 * values (on unrelated scales that shift with the model and the corpus) need no calibration.
 * Ties go to the lower row.
 */
export function fuseRanks(options: { rankings: Float64Array[]; depth: number; k: number }): number[] {
  const { rankings, depth, k } = options;
  return fuseRankedRows({ rankings: rankings.map((scores) => topIndexes(scores, depth)), k });
}

/**
 * topIndexes over scores known for some rows only (the rest count as 0): the `k` best rows,
 * ties to the lower row, none at or below zero.
 */
export function topRows(scores: ReadonlyMap<number, number>, k: number): number[] {
  const rows = Int32Array.from(scores.keys());
  return selectTop({ scores: Float64Array.from(scores.values()), keys: rows, k, positiveOnly: true }).map((i) => rows[i] ?? 0);
}

/** Reciprocal rank fusion of rankings already cut to their depth (rows best first). */
export function fuseRankedRows(options: { rankings: number[][]; k: number }): number[] {
  const { rankings, k } = options;
  const fused = new Map<number, number>();
  for (const rows of rankings) rows.forEach((row, rank) => fused.set(row, (fused.get(row) ?? 0) + 1 / (k + rank + 1)));
  return [...fused].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([row]) => row);
}
