/**
 * Candidate stage of conjunction screening: finds every pair of points whose distance is at most
 * R_a + R_b and whose radii (distances from the earth's centre) differ by at most P_a + P_b, at
 * one instant (per-point pads R and radial pads P; screen-engine.ts derives both).
 *
 * Method: a sorted cell list swept with monotone pointers (the "sort and sweep" variant of cell lists
 * used in molecular dynamics; cf. Teschner et al., VMV 2003, for the hashed variant this replaces),
 * shaped for objects that crowd into thin shells around the earth. Space is cut into the six
 * pyramids of a cube around the centre (face = the axis of largest |coordinate| and its sign, ties to
 * x then y), each face into columns of C × C km in its two other coordinates (u, v), and each
 * column is ordered by radius:
 *   key = ((face·1024 + cu)·1024 + cv)·2¹⁷ + ρq,  cu, cv = floor(·/C) + 512 clamped to [1, 1022],
 *   ρq = floor((ρ − RHO0_KM)/Q_RHO_KM) clamped to [0, 2¹⁷).
 * Columns are sorted with a two-pass LSD radix sort (12 + 11 bits), radii inside each column by
 * insertion (columns hold a few points). Inside a face a column crosses the shells at most ~55° from
 * their normal, so the points of a column within a radial window are one short contiguous run of
 * keys: most pairs of neighbouring columns are at different altitudes and are skipped without a
 * distance test. Clamping merges far columns (extra tests), never separates neighbours, and the
 * margin column on each side keeps ±1 neighbours inside the face.
 *
 * Roles. A point is 'narrow' (R ≤ C/2 and P ≤ P_cap, the largest P of the narrow points), radially
 * wide ('rwide': R ≤ C/2, P above the caller's cap or unbounded) or 'wide' (R > C/2). A pair of
 * narrow points with distance ≤ R_a + R_b ≤ C lies in the same face in neighbouring columns
 * (|Δcu|, |Δcv| ≤ 1) with |ρq_a − ρq_b| ≤ w_a = floor((P_a + P_cap)/Q) + 1, or in two faces F < G with a within C of
 * G's pyramid (a necessary condition: σ·p_k − |p_j| ≥ −C·√2 for G's axis k, sign σ, and both j ≠ k).
 * - 'half' (all-vs-all): its own column after it in sorted order and the forward columns (0, +1),
 *   (+1, −1), (+1, 0), (+1, +1), each over ρq ∈ [ρq_a − w_a, ρq_a + w_a] (monotone pointers), and
 *   the 3 × 3 columns around it in every higher face within reach (binary search): each pair once.
 * - 'near' (a primary in primaries-vs-all): the 3 × 3 columns around it in its face and in every
 *   other face within reach; two 'near' points keep their pair once (the one earlier in sorted order).
 * - 'rwide': the same columns with the radial window P + max(P, P_cap); of two rwide points the one
 *   with the larger P (then the earlier) keeps the pair.
 * - 'wide': in every face within reach R + R_max, the columns within ceil((R + R_max)/C), with the
 *   radial window P + P_max.
 * - 'none': only looked up (a regular secondary in primaries-vs-all).
 * A pair is found by its higher role (wide > rwide > narrow); two points of the same role keep it once.
 * A pair within both pads is reported only when the points' straight-line motions (velocity v,
 * pad L per point) come within L_a + L_b over |τ| ≤ the caller's horizon. With a primary mask,
 * only pairs with at least one primary are kept (with `exclusive`, exactly one).
 */

export const PROBE_NONE = 0;
export const PROBE_HALF = 1;
export const PROBE_NEAR = 2;
export const PROBE_WIDE = 3;

/** Smallest cell, km: columns cover |u|, |v| ≤ 511·C ≥ 51,100 km before clamping. */
export const MIN_CELL_KM = 100;
/** Radius origin and quantum of the in-column order, km: 2¹⁷ quanta reach 104,304 km. */
export const RHO0_KM = 6000;
export const Q_RHO_KM = 0.75;
const RHO_Q_MAX = 131071;
const RHO_SCALE = 131072;
const COL_U = 1024;
const COL_FACE = 1048576;
const C_OFF = 512;
const C_LO = 1;
const C_HI = 1022;
const SQRT2 = Math.SQRT2;
/**
 * Doubles per sorted point: x, y, z (km), R, ρ, P (km), role, the caller's index, velocity vx, vy,
 * vz (km/s), L (km). Input points have these first and may carry more (the caller's stride).
 */
export const GRID_STRIDE = 12;
const STRIDE = GRID_STRIDE;
/** Stored roles, ordered by rank (who finds a pair): narrow roles, then rwide, then wide. */
const ROLE_RWIDE = 3;
const ROLE_WIDE = 4;

/** Key offsets of the forward columns (0, +1), (+1, −1), (+1, 0), (+1, +1). */
const FORWARD = Float64Array.from([1, COL_U - 1, COL_U, COL_U + 1], (c) => c * RHO_SCALE);

/** Face index of a point: 0/1 ±x, 2/3 ±y, 4/5 ±z. */
function faceOf(x: number, y: number, z: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const az = Math.abs(z);
  if (ax >= ay && ax >= az) return x >= 0 ? 0 : 1;
  if (ay >= az) return y >= 0 ? 2 : 3;
  return z >= 0 ? 4 : 5;
}

/** Whether point (x, y, z) may be within `reach` km of face f's pyramid (necessary condition). */
function mayReachFace(f: number, x: number, y: number, z: number, reach: number): boolean {
  const sign = (f & 1) === 0 ? 1 : -1;
  const axis = f >> 1;
  const t = sign * (axis === 0 ? x : axis === 1 ? y : z);
  const j1 = Math.abs(axis === 0 ? y : x);
  const j2 = Math.abs(axis === 2 ? y : z);
  const m = -reach * SQRT2;
  return t - j1 >= m && t - j2 >= m;
}

/**
 * False when point (x, y, z) cannot be within `reach` km of any face but its own: another axis k'
 * needs |p_k'| ≥ max|p| − reach·√2, the opposite face max|p| ≤ reach·√2.
 */
function nearFaceEdge(x: number, y: number, z: number, reach: number): boolean {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const az = Math.abs(z);
  const m1 = Math.max(ax, ay, az);
  const m2 = ax === m1 ? Math.max(ay, az) : ay === m1 ? Math.max(ax, az) : Math.max(ax, ay);
  const r = reach * SQRT2;
  return m1 - m2 <= r || m1 <= r;
}

/**
 * Squared closest distance of the straight-line relative motion d + u·τ over |τ| ≤ T (relative
 * position d, km; relative velocity u, km/s; T, s).
 */
export function straightLineMiss2(
  dx: number,
  dy: number,
  dz: number,
  ux: number,
  uy: number,
  uz: number,
  T: number,
): number {
  const u2 = ux * ux + uy * uy + uz * uz;
  let tau = u2 > 0 ? -(dx * ux + dy * uy + dz * uz) / u2 : 0;
  if (tau > T) tau = T;
  else if (tau < -T) tau = -T;
  const lx = dx + ux * tau;
  const ly = dy + uy * tau;
  const lz = dz + uz * tau;
  return lx * lx + ly * ly + lz * lz;
}

function clampColumn(c: number): number {
  return c < C_LO ? C_LO : Math.min(c, C_HI);
}

export class CellGrid {
  private capacity = 0;
  private cols: Uint32Array = new Uint32Array(0);
  private cols2: Uint32Array = new Uint32Array(0);
  private order: Int32Array = new Int32Array(0);
  private order2: Int32Array = new Int32Array(0);
  private rhoQ: Float64Array = new Float64Array(0);
  private readonly hist = new Int32Array(4096);
  /** Sorted keys (sentinel +∞ after the last), radius quanta, and points (STRIDE doubles each). */
  private sKey: Float64Array = new Float64Array(0);
  private sQ: Float64Array = new Float64Array(0);
  private pts: Float64Array = new Float64Array(0);
  /** The points of the last call in sorted order (GRID_STRIDE doubles each, role as classified here). */
  get points(): Float64Array {
    return this.pts;
  }
  private readonly ptr = new Int32Array(4);
  /** First sorted position of each row (face, cu) and one past the last row: narrows binary searches. */
  private readonly rowStart = new Int32Array(6 * COL_U + 1);
  private inv = 0;
  private horizon = 0;
  private rMax = 0;
  private pMax = 0;
  private pCap = 0;
  private prim: Uint8Array | null = null;
  /** Only pairs of a primary and a non-primary (with `prim`). */
  private exclusive = false;
  /** Output pairs, as positions in `points` (the sorted points). */
  pairA: Int32Array = new Int32Array(1024);
  pairB: Int32Array = new Int32Array(1024);
  pairCount = 0;
  /** Points examined by the last call (inside radial windows; for statistics). */
  tests = 0;

  private ensure(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(1024, 2 ** Math.ceil(Math.log2(n)));
    this.capacity = cap;
    this.cols = new Uint32Array(cap);
    this.cols2 = new Uint32Array(cap);
    this.order = new Int32Array(cap);
    this.order2 = new Int32Array(cap);
    this.rhoQ = new Float64Array(cap);
    this.sKey = new Float64Array(cap + 1);
    this.sQ = new Float64Array(cap);
    this.pts = new Float64Array(cap * STRIDE);
  }

  /** One LSD radix pass over 12 bits at `shift`, from (src, srcOrd) into (dst, dstOrd). */
  private radixPass(
    n: number,
    shift: number,
    src: Uint32Array,
    srcOrd: Int32Array,
    dst: Uint32Array,
    dstOrd: Int32Array,
  ): void {
    const hist = this.hist;
    hist.fill(0);
    for (let a = 0; a < n; a++) hist[(src[a]! >>> shift) & 4095]!++;
    let sum = 0;
    for (let b = 0; b < 4096; b++) {
      const c = hist[b]!;
      hist[b] = sum;
      sum += c;
    }
    for (let a = 0; a < n; a++) {
      const k = src[a]!;
      const p = hist[(k >>> shift) & 4095]!++;
      dst[p] = k;
      dstOrd[p] = srcOrd[a]!;
    }
  }

  /**
   * Finds all pairs (a, b) of the n points with |p_a − p_b| ≤ R_a + R_b and |ρ_a − ρ_b| ≤ P_a + P_b
   * whose straight-line motions come within L_a + L_b for some |τ| ≤ `horizonS`:
   * min |(p_b − p_a) + (v_b − v_a)·τ| ≤ L_a + L_b.
   * `input` holds `inputStride` ≥ GRID_STRIDE doubles per point: x, y, z, R, ρ (the radius), P (the
   * radial pad), all km, then the role: PROBE_HALF (all-vs-all), PROBE_NEAR / PROBE_NONE (primaries
   * and the others in primaries-vs-all), or PROBE_WIDE for a point whose P should not widen the
   * others' radial windows; then the caller's index of the point, the velocity (km/s) and L (km); the
   * rest is the caller's. Points with R > cellKm/2
   * or an unbounded P are made wide here. With `prim` (1 = primary, by the caller's index), only
   * pairs with a primary are reported, and with `exclusive` too only pairs of a primary and a
   * non-primary. Pairs come out in `pairA`, `pairB` (positions in `points`,
   * the sorted copy), `pairCount` of them.
   */
  findPairs(
    n: number,
    input: Float64Array,
    inputStride: number,
    cellKm: number,
    horizonS: number,
    prim: Uint8Array | null,
    exclusive = false,
  ): void {
    this.ensure(n);
    this.exclusive = exclusive;
    this.horizon = horizonS;
    this.pairCount = 0;
    const cell = Math.max(cellKm, MIN_CELL_KM);
    const inv = 1 / cell;
    const invQ = 1 / Q_RHO_KM;
    const { cols, order, rhoQ } = this;
    for (let a = 0; a < n; a++) {
      const i = a * inputStride;
      const X = input[i]!;
      const Y = input[i + 1]!;
      const Z = input[i + 2]!;
      const f = faceOf(X, Y, Z);
      const axis = f >> 1;
      const u = axis === 0 ? Y : X;
      const v = axis === 2 ? Y : Z;
      const cu = clampColumn(Math.floor(u * inv) + C_OFF);
      const cv = clampColumn(Math.floor(v * inv) + C_OFF);
      cols[a] = f * COL_FACE + cu * COL_U + cv;
      const q = Math.floor((input[i + 4]! - RHO0_KM) * invQ);
      rhoQ[a] = q < 0 ? 0 : Math.min(q, RHO_Q_MAX);
      order[a] = a;
    }
    const { cols2, order2 } = this;
    this.radixPass(n, 0, cols, order, cols2, order2);
    this.radixPass(n, 12, cols2, order2, cols, order);
    // Keys, then the radial order inside each column (insertion: runs of one column are short).
    const sk = this.sKey;
    for (let s = 0; s < n; s++) sk[s] = cols[s]! * RHO_SCALE + rhoQ[order[s]!]!;
    for (let s = 1; s < n; s++) {
      const k = sk[s]!;
      if (k >= sk[s - 1]!) continue;
      const o = order[s]!;
      let t = s - 1;
      while (t >= 0 && sk[t]! > k) {
        sk[t + 1] = sk[t]!;
        order[t + 1] = order[t]!;
        t--;
      }
      sk[t + 1] = k;
      order[t + 1] = o;
    }
    sk[n] = Number.POSITIVE_INFINITY; // sentinel above every key
    const rowStart = this.rowStart;
    for (let r = 0, s = 0; r <= 6 * COL_U; r++) {
      const bound = r * COL_U;
      while (s < n && cols[s]! < bound) s++;
      rowStart[r] = s;
    }
    const { pts, sQ } = this;
    const half = cell / 2;
    let rMax = 0;
    let pMax = 0;
    let pCap = 0;
    // Scatter (sequential reads, random writes: cheaper than the gather).
    const rank = this.order2;
    for (let s = 0; s < n; s++) rank[order[s]!] = s;
    for (let a = 0; a < n; a++) {
      const s = rank[a]!;
      const o = s * STRIDE;
      const i = a * inputStride;
      const r = input[i + 3]!;
      const p = input[i + 5]!;
      let role = input[i + 6]!;
      if (r > half) role = ROLE_WIDE;
      else if (role === PROBE_WIDE || !(p < Number.POSITIVE_INFINITY)) role = ROLE_RWIDE;
      pts[o] = input[i]!;
      pts[o + 1] = input[i + 1]!;
      pts[o + 2] = input[i + 2]!;
      pts[o + 3] = r;
      pts[o + 4] = input[i + 4]!;
      pts[o + 5] = p;
      pts[o + 6] = role;
      pts[o + 7] = input[i + 7]!;
      pts[o + 8] = input[i + 8]!;
      pts[o + 9] = input[i + 9]!;
      pts[o + 10] = input[i + 10]!;
      pts[o + 11] = input[i + 11]!;
      sQ[s] = rhoQ[a]!;
      if (r > rMax) rMax = r;
      if (p > pMax) pMax = p;
      if (role < ROLE_RWIDE && p > pCap) pCap = p;
    }
    this.inv = inv;
    this.rMax = rMax;
    this.pMax = pMax;
    this.pCap = pCap;
    this.prim = prim;
    const wMax = Math.floor(2 * pCap * invQ) + 1;
    this.ptr.fill(0);
    let tests = 0;
    for (let s = 0; s < n; s++) {
      const role = pts[s * STRIDE + 6]!;
      if (role === PROBE_HALF) tests += this.probeHalf(s, wMax, cell);
      else if (role !== PROBE_NONE) tests += this.probeAround(s, role, cell);
    }
    this.tests = tests;
  }

  /**
   * Whether sorted points at offsets o and q, moving in straight lines, come within L_o + L_q of
   * each other for some |τ| ≤ the horizon.
   */
  private approach(o: number, q: number): boolean {
    const pts = this.pts;
    const miss2 = straightLineMiss2(
      pts[q]! - pts[o]!,
      pts[q + 1]! - pts[o + 1]!,
      pts[q + 2]! - pts[o + 2]!,
      pts[q + 8]! - pts[o + 8]!,
      pts[q + 9]! - pts[o + 9]!,
      pts[q + 10]! - pts[o + 10]!,
      this.horizon,
    );
    const ll = pts[o + 11]! + pts[q + 11]!;
    return miss2 <= ll * ll;
  }

  /** Appends a pair, growing the output. */
  private pushPair(a: number, b: number): void {
    let c = this.pairCount;
    if (c === this.pairA.length) this.grow();
    this.pairA[c] = a;
    this.pairB[c] = b;
    this.pairCount = ++c;
  }

  private grow(): void {
    const na = new Int32Array(this.pairA.length * 2);
    na.set(this.pairA);
    this.pairA = na;
    const nb = new Int32Array(this.pairB.length * 2);
    nb.set(this.pairB);
    this.pairB = nb;
  }

  /** 'half' probe of sorted point s; returns the number of points examined. */
  private probeHalf(s: number, wMax: number, cell: number): number {
    const { pts, sKey: sk, ptr } = this;
    const o = s * STRIDE;
    const xa = pts[o]!;
    const ya = pts[o + 1]!;
    const za = pts[o + 2]!;
    const ra = pts[o + 3]!;
    const rhoA = pts[o + 4]!;
    const pa = pts[o + 5]!;
    const qa = this.sQ[s]!;
    const key = sk[s]!;
    const colBase = key - qa;
    const w = Math.floor((pa + this.pCap) / Q_RHO_KM) + 1;
    const qHi = Math.min(qa + w, RHO_Q_MAX);
    const qLo = qa > wMax ? qa - wMax : 0;
    let tests = 0;
    // Own column after s, up to the radial window's top.
    const hi0 = colBase + qHi;
    for (let m = s + 1; sk[m]! <= hi0; m++) {
      const q = m * STRIDE;
      tests++;
      const dr = pts[q + 4]! - rhoA;
      const pp = pa + pts[q + 5]!;
      if (dr > pp || dr < -pp || pts[q + 6]! >= ROLE_RWIDE) continue;
      const dx = pts[q]! - xa;
      const dy = pts[q + 1]! - ya;
      const dz = pts[q + 2]! - za;
      const rr = ra + pts[q + 3]!;
      if (dx * dx + dy * dy + dz * dz <= rr * rr && this.approach(o, q)) this.pushPair(s, m);
    }
    // The forward columns of the face, each over the radial window.
    for (let k = 0; k < 4; k++) {
      const base = colBase + FORWARD[k]!;
      const lo = base + qLo;
      const hi = base + qHi;
      let m = ptr[k]!;
      while (sk[m]! < lo) m++;
      ptr[k] = m;
      // The pointer's bound is the widest window (monotone); skip to this point's own.
      const loOwn = base + qa - w;
      while (sk[m]! < loOwn) m++;
      for (; sk[m]! <= hi; m++) {
        const q = m * STRIDE;
        tests++;
        const dr = pts[q + 4]! - rhoA;
        const pp = pa + pts[q + 5]!;
        if (dr > pp || dr < -pp || pts[q + 6]! >= ROLE_RWIDE) continue;
        const dx = pts[q]! - xa;
        const dy = pts[q + 1]! - ya;
        const dz = pts[q + 2]! - za;
        const rr = ra + pts[q + 3]!;
        if (dx * dx + dy * dy + dz * dz <= rr * rr && this.approach(o, q)) this.pushPair(s, m);
      }
    }
    // Higher faces within reach (none unless the second largest |coordinate| is within C·√2 of
    // the largest: see mayReachFace).
    if (!nearFaceEdge(xa, ya, za, cell)) return tests;
    const face = Math.floor(colBase / (COL_FACE * RHO_SCALE));
    for (let f = face + 1; f < 6; f++) {
      if (!mayReachFace(f, xa, ya, za, cell)) continue;
      tests += this.scanFace(s, f, 1, qa - w, qa + w);
    }
    return tests;
  }

  /** Probe of a 'near', 'rwide' or 'wide' point: the columns within reach in every face it may reach. */
  private probeAround(s: number, role: number, cell: number): number {
    const pts = this.pts;
    const o = s * STRIDE;
    const xa = pts[o]!;
    const ya = pts[o + 1]!;
    const za = pts[o + 2]!;
    const pa = pts[o + 5]!;
    const qa = this.sQ[s]!;
    const wide = role === ROLE_WIDE;
    const reach = wide ? pts[o + 3]! + this.rMax : cell;
    const rings = wide ? Math.ceil(reach * this.inv) : 1;
    // Partners' radial pads: narrow ≤ P_cap; rwide ≤ P_a (the larger P finds the pair); any for 'wide'.
    const pPartner =
      role === ROLE_WIDE ? this.pMax : role === ROLE_RWIDE ? Math.max(pa, this.pCap) : this.pCap;
    const w = Math.floor((pa + pPartner) / Q_RHO_KM) + 1;
    const qLo = qa - w;
    const qHi = qa + w;
    const face = faceOf(xa, ya, za);
    let tests = 0;
    for (let f = 0; f < 6; f++) {
      if (f !== face && !mayReachFace(f, xa, ya, za, reach)) continue;
      tests += this.scanFace(s, f, rings, qLo, qHi);
    }
    return tests;
  }

  /**
   * Scans the columns within `rings` of point s's (u, v) in face f over ρq ∈ [qLo, qHi] (binary
   * search), keeping the pairs this point's role is responsible for.
   */
  private scanFace(s: number, f: number, rings: number, qLo: number, qHi: number): number {
    const { pts, sKey: sk, prim, exclusive } = this;
    const o = s * STRIDE;
    const xa = pts[o]!;
    const ya = pts[o + 1]!;
    const za = pts[o + 2]!;
    const ra = pts[o + 3]!;
    const rhoA = pts[o + 4]!;
    const pa = pts[o + 5]!;
    const role = pts[o + 6]!;
    const ia = pts[o + 7]!;
    const aPrim = prim === null || prim[ia] === 1;
    const rankA = role >= ROLE_RWIDE ? role : 0;
    const axis = f >> 1;
    const cu = Math.floor((axis === 0 ? ya : xa) * this.inv) + C_OFF;
    const cv = Math.floor((axis === 2 ? ya : za) * this.inv) + C_OFF;
    const uLo = clampColumn(cu - rings);
    const uHi = clampColumn(cu + rings);
    const vLo = clampColumn(cv - rings);
    const vHi = clampColumn(cv + rings);
    const lo0 = qLo < 0 ? 0 : Math.min(qLo, RHO_Q_MAX);
    const hi0 = qHi < 0 ? 0 : Math.min(qHi, RHO_Q_MAX);
    let tests = 0;
    const rowStart = this.rowStart;
    for (let iu = uLo; iu <= uHi; iu++) {
      const row = f * COL_U + iu;
      const rowEnd = rowStart[row + 1]!;
      let l = rowStart[row]!;
      if (l === rowEnd) continue;
      for (let iv = vLo; iv <= vHi; iv++) {
        const base = (f * COL_FACE + iu * COL_U + iv) * RHO_SCALE;
        const lo = base + lo0;
        const hi = base + hi0;
        // Gallop from the previous column's start (the next column is usually near), then bisect.
        let h = l;
        if (l < rowEnd && sk[l]! < lo) {
          let step = 1;
          while (l + step < rowEnd && sk[l + step]! < lo) {
            l += step;
            step *= 2;
          }
          h = Math.min(l + step, rowEnd);
          l++;
        }
        while (l < h) {
          const mid = (l + h) >> 1;
          if (sk[mid]! < lo) l = mid + 1;
          else h = mid;
        }
        for (let m = l; sk[m]! <= hi; m++) {
          if (m === s) continue;
          const q = m * STRIDE;
          // Primaries-vs-others: two primaries (or two others) are never a pair; skip them before
          // any test (a fragment cloud's members crowd each other's cells).
          const bPrim = prim !== null && prim[pts[q + 7]!] === 1;
          if (exclusive && aPrim === bPrim) continue;
          const pm = pts[q + 6]!;
          const rankM = pm >= ROLE_RWIDE ? pm : 0;
          // The higher role finds the pair; two rwide points: the larger P; otherwise equal roles
          // (other than a plain secondary) the earlier point.
          const pb = pts[q + 5]!;
          if (rankM > rankA) continue;
          if (rankM === rankA && pm !== PROBE_NONE) {
            if (pm === ROLE_RWIDE ? pb > pa || (pb === pa && m < s) : m < s) continue;
          }
          tests++;
          const dr = pts[q + 4]! - rhoA;
          const pp = pa + pb;
          if (dr > pp || dr < -pp) continue;
          const dx = pts[q]! - xa;
          const dy = pts[q + 1]! - ya;
          const dz = pts[q + 2]! - za;
          const rr = ra + pts[q + 3]!;
          if (dx * dx + dy * dy + dz * dz <= rr * rr) {
            if ((aPrim || bPrim) && this.approach(o, q)) this.pushPair(s, m);
          }
        }
      }
    }
    return tests;
  }
}
