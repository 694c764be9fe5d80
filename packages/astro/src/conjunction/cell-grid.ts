/**
 * Candidate stage of conjunction screening: finds every pair of points whose distance is at most
 * R_a + R_b (per-point radii) at one instant.
 *
 * Method: a sorted cell list swept with monotone pointers (the "sort and sweep" variant of cell lists
 * used in molecular dynamics; cf. Teschner et al., VMV 2003, for the hashed variant this replaces).
 * Space is cut into columns of C × C km in x and y, and z is quantised in slabs of Q_Z km:
 *   key = cx·2²² + cy·2¹² + zq,  cx, cy = floor(x/C) + 512 ∈ [0, 1023] (clamped), zq ∈ [0, 4095].
 * Keys are sorted with a three-pass LSD radix sort (11 + 11 + 10 bits). Within a column points are
 * then ordered by zq, and a neighbour column's z-window [zq − w, zq + w] (w = floor(C/Q_Z) + 1) is a
 * contiguous run of keys whose lower bound only grows as the sweep advances, so one pointer per
 * neighbour column finds it with sequential memory access (no hashing, no per-point search).
 * Clamping cx, cy, zq only merges far cells (extra distance tests), never separates neighbours.
 *
 * Probes (C ≥ 2·R of every point that is not 'wide'):
 * - 'half' (all-vs-all): its own column after it in sorted order and the forward columns (0, +1),
 *   (+1, -1), (+1, 0), (+1, +1), each over the z-window: a pair with distance ≤ R_a + R_b ≤ C has
 *   |Δcx|, |Δcy| ≤ 1 and |Δzq| ≤ w, so exactly one of the two finds the other. (Merging the three
 *   (+1, ·) windows into one key run saves loop exits but scans whole columns: measured slower on the
 *   full catalog, 8.5 vs 7.8 s per 6 h at 40 s steps.)
 * - 'near' (a primary in primaries-vs-all): all nine columns around it; two 'near' points keep their
 *   pair once (the one later in sorted order).
 * - 'wide' (a point with R > C/2): every column within n = ceil((R + Rmax)/C), z-window from
 *   R + Rmax, found by binary search; two 'wide' points keep their pair once. 'half' and 'near'
 *   probes skip 'wide' partners, which find the pair themselves.
 * - 'none': only looked up (a regular secondary in primaries-vs-all).
 * With a primary mask, only pairs with at least one primary are kept.
 *
 * Optional radial filter (`radius`, `radialPad`): 'half' probes also require
 * |radius_a − radius_b| ≤ radialPad_a + radialPad_b before a pair is reported. It only removes
 * pairs, so a caller that passes it must guarantee that every pair it needs satisfies it
 * (screen-engine.ts derives the radial pads from the same step bounds as R).
 */

export const PROBE_NONE = 0;
export const PROBE_HALF = 1;
export const PROBE_NEAR = 2;
export const PROBE_WIDE = 3;

/** Smallest cell, km: columns cover |x|, |y| ≤ 512·C ≥ 51,200 km before clamping. */
export const MIN_CELL_KM = 100;
/** z slab, km: 2e5 km over 4096 slabs. */
export const Z_SLAB_KM = 200000 / 4096;
const COL_X = 4194304;
const COL_Y = 4096;
const ZQ_MAX = 4095;
const C_OFF = 512;
const C_MAX = 1023;

export class CellGrid {
  private capacity = 0;
  private keys: Uint32Array = new Uint32Array(0);
  private keys2: Uint32Array = new Uint32Array(0);
  private order: Int32Array = new Int32Array(0);
  private order2: Int32Array = new Int32Array(0);
  private readonly hist = new Int32Array(2048);
  // Sorted copies of the inputs.
  /** Sorted keys as doubles (values ≥ 2³¹ are slow as Uint32 in comparisons with doubles). */
  private sKey: Float64Array = new Float64Array(0);
  private sx: Float64Array = new Float64Array(0);
  private sy: Float64Array = new Float64Array(0);
  private sz: Float64Array = new Float64Array(0);
  private sR: Float64Array = new Float64Array(0);
  private sProbe: Uint8Array = new Uint8Array(0);
  /** Sorted radius and radial pad (radial filter), km. */
  private sRad: Float64Array = new Float64Array(0);
  private sRp: Float64Array = new Float64Array(0);
  private radial = false;
  private readonly ptr = new Int32Array(9);
  /** Output pairs (point indices, as given to `findPairs`). */
  pairA: Int32Array = new Int32Array(1024);
  pairB: Int32Array = new Int32Array(1024);
  pairCount = 0;
  /** Distance tests performed by the last call (for statistics). */
  tests = 0;

  private ensure(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(1024, 2 ** Math.ceil(Math.log2(n)));
    this.capacity = cap;
    this.keys = new Uint32Array(cap + 1);
    this.keys2 = new Uint32Array(cap + 1);
    this.order = new Int32Array(cap);
    this.order2 = new Int32Array(cap);
    this.sKey = new Float64Array(cap + 1);
    this.sx = new Float64Array(cap);
    this.sy = new Float64Array(cap);
    this.sz = new Float64Array(cap);
    this.sR = new Float64Array(cap);
    this.sProbe = new Uint8Array(cap);
    this.sRad = new Float64Array(cap);
    this.sRp = new Float64Array(cap);
  }

  /** One LSD radix pass over `bits` bits at `shift`, from (keys, order) into (keys2, order2). */
  private radixPass(
    n: number,
    shift: number,
    bits: number,
    src: Uint32Array,
    srcOrd: Int32Array,
    dst: Uint32Array,
    dstOrd: Int32Array,
  ): void {
    const hist = this.hist;
    const mask = (1 << bits) - 1;
    hist.fill(0);
    for (let a = 0; a < n; a++) hist[(src[a]! >>> shift) & mask]!++;
    let sum = 0;
    for (let b = 0; b <= mask; b++) {
      const c = hist[b]!;
      hist[b] = sum;
      sum += c;
    }
    for (let a = 0; a < n; a++) {
      const k = src[a]!;
      const p = hist[(k >>> shift) & mask]!++;
      dst[p] = k;
      dstOrd[p] = srcOrd[a]!;
    }
  }

  /**
   * Finds all pairs (a, b) of the n points with |p_a − p_b| ≤ R_a + R_b, given the cell size
   * `cellKm` ≥ 2·max R of every point that is not 'wide' and `rMaxKm` = max R of all points. With
   * `prim` (1 = primary per point), only pairs with a primary are reported. With `radius` and
   * `radialPad`, 'half' probes also drop pairs with |radius_a − radius_b| > radialPad_a + radialPad_b.
   */
  findPairs(
    n: number,
    x: Float64Array,
    y: Float64Array,
    z: Float64Array,
    R: Float64Array,
    probe: Uint8Array,
    cellKm: number,
    rMaxKm: number,
    prim: Uint8Array | null,
    radius: Float64Array | null = null,
    radialPad: Float64Array | null = null,
  ): void {
    this.ensure(n);
    this.pairCount = 0;
    let tests = 0;
    const cell = Math.max(cellKm, MIN_CELL_KM);
    const inv = 1 / cell;
    const invZ = 1 / Z_SLAB_KM;
    const keys = this.keys;
    const order = this.order;
    for (let a = 0; a < n; a++) {
      let cx = Math.floor(x[a]! * inv) + C_OFF;
      let cy = Math.floor(y[a]! * inv) + C_OFF;
      let zq = Math.floor(z[a]! * invZ) + 2048;
      cx = cx < 0 ? 0 : Math.min(cx, C_MAX);
      cy = cy < 0 ? 0 : Math.min(cy, C_MAX);
      zq = zq < 0 ? 0 : Math.min(zq, ZQ_MAX);
      keys[a] = cx * COL_X + cy * COL_Y + zq;
      order[a] = a;
    }
    this.radixPass(n, 0, 11, keys, order, this.keys2, this.order2);
    this.radixPass(n, 11, 11, this.keys2, this.order2, keys, order);
    this.radixPass(n, 22, 10, keys, order, this.keys2, this.order2);
    const sk = this.sKey;
    sk[n] = Number.POSITIVE_INFINITY; // sentinel above every key
    const so = this.order2;
    const k2 = this.keys2;
    const { sx, sy, sz, sR, sProbe: sp } = this;
    for (let s = 0; s < n; s++) {
      const a = so[s]!;
      sk[s] = k2[s]!;
      sx[s] = x[a]!;
      sy[s] = y[a]!;
      sz[s] = z[a]!;
      sR[s] = R[a]!;
      sp[s] = probe[a]!;
    }
    this.radial = radius !== null && radialPad !== null;
    if (radius !== null && radialPad !== null) {
      const { sRad, sRp } = this;
      for (let s = 0; s < n; s++) {
        const a = so[s]!;
        sRad[s] = radius[a]!;
        sRp[s] = radialPad[a]!;
      }
    }
    const w = Math.floor(cell * invZ) + 1;
    this.ptr.fill(0);
    const sProbe = this.sProbe;
    for (let s = 0; s < n; s++) {
      const pr = sProbe[s]!;
      if (pr === PROBE_HALF) tests += this.radial ? this.probeHalfRadial(s, w) : this.probeHalf(s, w);
      else if (pr === PROBE_NEAR) tests += this.probeNear(s, w, prim);
      else if (pr === PROBE_WIDE) tests += this.probeWide(s, n, inv, invZ, rMaxKm, prim);
    }
    this.tests = tests;
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

  /** 'half' probe of sorted point s; returns the number of distance tests. */
  private probeHalf(s: number, w: number): number {
    const sk = this.sKey;
    const { sx, sy, sz, sR, sProbe } = this;
    const so = this.order2;
    const ptr = this.ptr;
    const key = sk[s]!;
    const zq = key % COL_Y;
    const col = key - zq;
    const zlo = zq > w ? zq - w : 0;
    const zhi = Math.min(zq + w, ZQ_MAX);
    const xa = sx[s]!;
    const ya = sy[s]!;
    const za = sz[s]!;
    const ra = sR[s]!;
    let tests = 0;
    // Own column after s, up to the z-window's top.
    const hi0 = col + zhi;
    for (let m = s + 1; sk[m]! <= hi0; m++) {
      if (sProbe[m] === PROBE_WIDE) continue;
      tests++;
      const dx = sx[m]! - xa;
      const dy = sy[m]! - ya;
      const dz = sz[m]! - za;
      const rr = ra + sR[m]!;
      if (dx * dx + dy * dy + dz * dz <= rr * rr) this.pushPair(so[s]!, so[m]!);
    }
    // Column (0, +1) over the z-window.
    {
      const lo = col + COL_Y + zlo;
      const hi = col + COL_Y + zhi;
      let p = ptr[1]!;
      while (sk[p]! < lo) p++;
      ptr[1] = p;
      for (let m = p; sk[m]! <= hi; m++) {
        if (sProbe[m] === PROBE_WIDE) continue;
        tests++;
        const dx = sx[m]! - xa;
        const dy = sy[m]! - ya;
        const dz = sz[m]! - za;
        const rr = ra + sR[m]!;
        if (dx * dx + dy * dy + dz * dz <= rr * rr) this.pushPair(so[s]!, so[m]!);
      }
    }
    // Columns (+1, -1), (+1, 0), (+1, +1), each over the z-window.
    for (let k = 2; k < 5; k++) {
      const off = COL_X + (k - 3) * COL_Y;
      const lo = col + off + zlo;
      const hi = col + off + zhi;
      let p = ptr[k]!;
      while (sk[p]! < lo) p++;
      ptr[k] = p;
      for (let m = p; sk[m]! <= hi; m++) {
        if (sProbe[m] === PROBE_WIDE) continue;
        tests++;
        const dx = sx[m]! - xa;
        const dy = sy[m]! - ya;
        const dz = sz[m]! - za;
        const rr = ra + sR[m]!;
        if (dx * dx + dy * dy + dz * dz <= rr * rr) this.pushPair(so[s]!, so[m]!);
      }
    }
    return tests;
  }

  /** 'half' probe with the radial filter (same neighbourhood as probeHalf). */
  private probeHalfRadial(s: number, w: number): number {
    const sk = this.sKey;
    const { sx, sy, sz, sR, sProbe, sRad, sRp } = this;
    const so = this.order2;
    const ptr = this.ptr;
    const key = sk[s]!;
    const zq = key % COL_Y;
    const col = key - zq;
    const zlo = zq > w ? zq - w : 0;
    const zhi = Math.min(zq + w, ZQ_MAX);
    const xa = sx[s]!;
    const ya = sy[s]!;
    const za = sz[s]!;
    const ra = sR[s]!;
    const rada = sRad[s]!;
    const rpa = sRp[s]!;
    let tests = 0;
    // Own column after s, up to the z-window's top.
    const hi0 = col + zhi;
    for (let m = s + 1; sk[m]! <= hi0; m++) {
      if (sProbe[m] === PROBE_WIDE) continue;
      tests++;
      const dx = sx[m]! - xa;
      const dy = sy[m]! - ya;
      const dz = sz[m]! - za;
      const rr = ra + sR[m]!;
      if (Math.abs(sRad[m]! - rada) <= sRp[m]! + rpa && dx * dx + dy * dy + dz * dz <= rr * rr) {
        this.pushPair(so[s]!, so[m]!);
      }
    }
    // Column (0, +1) over the z-window.
    {
      const lo = col + COL_Y + zlo;
      const hi = col + COL_Y + zhi;
      let p = ptr[1]!;
      while (sk[p]! < lo) p++;
      ptr[1] = p;
      for (let m = p; sk[m]! <= hi; m++) {
        if (sProbe[m] === PROBE_WIDE) continue;
        tests++;
        const dx = sx[m]! - xa;
        const dy = sy[m]! - ya;
        const dz = sz[m]! - za;
        const rr = ra + sR[m]!;
        if (Math.abs(sRad[m]! - rada) <= sRp[m]! + rpa && dx * dx + dy * dy + dz * dz <= rr * rr) {
          this.pushPair(so[s]!, so[m]!);
        }
      }
    }
    // Columns (+1, -1), (+1, 0), (+1, +1), each over the z-window.
    for (let k = 2; k < 5; k++) {
      const off = COL_X + (k - 3) * COL_Y;
      const lo = col + off + zlo;
      const hi = col + off + zhi;
      let p = ptr[k]!;
      while (sk[p]! < lo) p++;
      ptr[k] = p;
      for (let m = p; sk[m]! <= hi; m++) {
        if (sProbe[m] === PROBE_WIDE) continue;
        tests++;
        const dx = sx[m]! - xa;
        const dy = sy[m]! - ya;
        const dz = sz[m]! - za;
        const rr = ra + sR[m]!;
        if (Math.abs(sRad[m]! - rada) <= sRp[m]! + rpa && dx * dx + dy * dy + dz * dz <= rr * rr) {
          this.pushPair(so[s]!, so[m]!);
        }
      }
    }
    return tests;
  }

  /** 'near' probe of sorted point s (primaries mode). */
  private probeNear(s: number, w: number, prim: Uint8Array | null): number {
    const sk = this.sKey;
    const { sx, sy, sz, sR, sProbe } = this;
    const so = this.order2;
    const ptr = this.ptr;
    const key = sk[s]!;
    const zq = key % COL_Y;
    const col = key - zq;
    const zlo = zq > w ? zq - w : 0;
    const zhi = Math.min(zq + w, ZQ_MAX);
    const xa = sx[s]!;
    const ya = sy[s]!;
    const za = sz[s]!;
    const ra = sR[s]!;
    const aPrim = prim === null || prim[so[s]!] === 1;
    let tests = 0;
    for (let k = 0; k < 9; k++) {
      const off = ((k / 3) | 0) * COL_X + (k % 3) * COL_Y - COL_X - COL_Y;
      const lo = col + off + zlo;
      const hi = col + off + zhi;
      if (lo < 0) continue;
      let p = ptr[k]!;
      while (sk[p]! < lo) p++;
      ptr[k] = p;
      for (let m = p; sk[m]! <= hi; m++) {
        const pm = sProbe[m]!;
        if (m === s || pm === PROBE_WIDE || (pm === PROBE_NEAR && m < s)) continue;
        tests++;
        const dx = sx[m]! - xa;
        const dy = sy[m]! - ya;
        const dz = sz[m]! - za;
        const rr = ra + sR[m]!;
        if (dx * dx + dy * dy + dz * dz <= rr * rr) {
          const b = so[m]!;
          if (aPrim || prim![b] === 1) this.pushPair(so[s]!, b);
        }
      }
    }
    return tests;
  }

  /** 'wide' probe of sorted point s: binary search per column. */
  private probeWide(
    s: number,
    n: number,
    inv: number,
    invZ: number,
    rMaxKm: number,
    prim: Uint8Array | null,
  ): number {
    const sk = this.sKey;
    const { sx, sy, sz, sR, sProbe } = this;
    const so = this.order2;
    const key = sk[s]!;
    const zq = key % COL_Y;
    const xa = sx[s]!;
    const ya = sy[s]!;
    const za = sz[s]!;
    const ra = sR[s]!;
    const reach = ra + rMaxKm;
    const rings = Math.ceil(reach * inv);
    const wz = Math.floor(reach * invZ) + 1;
    const zlo = zq > wz ? zq - wz : 0;
    const zhi = Math.min(zq + wz, ZQ_MAX);
    const cx = Math.floor(key / COL_X);
    const cy = Math.floor(key / COL_Y) % (C_MAX + 1);
    const aPrim = prim === null || prim[so[s]!] === 1;
    let tests = 0;
    for (let ix = Math.max(0, cx - rings); ix <= Math.min(C_MAX, cx + rings); ix++) {
      for (let iy = Math.max(0, cy - rings); iy <= Math.min(C_MAX, cy + rings); iy++) {
        const base = ix * COL_X + iy * COL_Y;
        const lo = base + zlo;
        const hi = base + zhi;
        let l = 0;
        let h = n;
        while (l < h) {
          const mid = (l + h) >> 1;
          if (sk[mid]! < lo) l = mid + 1;
          else h = mid;
        }
        for (let m = l; sk[m]! <= hi; m++) {
          if (m === s || (sProbe[m] === PROBE_WIDE && m < s)) continue;
          tests++;
          const dx = sx[m]! - xa;
          const dy = sy[m]! - ya;
          const dz = sz[m]! - za;
          const rr = ra + sR[m]!;
          if (dx * dx + dy * dy + dz * dz <= rr * rr) {
            const b = so[m]!;
            if (aPrim || prim![b] === 1) this.pushPair(so[s]!, b);
          }
        }
      }
    }
    return tests;
  }
}
