/**
 * The candidate grid (cell-grid.ts) against brute force: every pair with |p_a − p_b| ≤ R_a + R_b
 * and no other, each exactly once, in all-vs-all and primaries mode, with 'wide' points mixed in.
 */
import { describe, expect, it } from 'vitest';
import { CellGrid, PROBE_HALF, PROBE_NEAR, PROBE_NONE, PROBE_WIDE } from '../src/conjunction/cell-grid.js';

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cloud(n: number, seed: number, cellKm: number) {
  const r = rng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  const R = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // A dense LEO-like shell, plus a few far objects and clustered duplicates.
    const rad = i % 50 === 0 ? 20000 + 60000 * r() : 6700 + 800 * r();
    const u = 2 * r() - 1;
    const ph = 2 * Math.PI * r();
    const s = Math.sqrt(1 - u * u);
    x[i] = rad * s * Math.cos(ph);
    y[i] = rad * s * Math.sin(ph);
    z[i] = rad * u;
    if (i % 97 === 1) {
      x[i] = x[i - 1]! + 3;
      y[i] = y[i - 1]!;
      z[i] = z[i - 1]! - 2;
    }
    R[i] = i % 37 === 0 ? cellKm * (0.6 + 1.5 * r()) : (cellKm / 2) * (0.3 + 0.7 * r());
  }
  return { x, y, z, R };
}

function brute(n: number, p: ReturnType<typeof cloud>, prim: Uint8Array | null): Set<string> {
  const out = new Set<string>();
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      if (prim !== null && prim[a] !== 1 && prim[b] !== 1) continue;
      const d = Math.hypot(p.x[a]! - p.x[b]!, p.y[a]! - p.y[b]!, p.z[a]! - p.z[b]!);
      if (d <= p.R[a]! + p.R[b]!) out.add(`${a},${b}`);
    }
  return out;
}

function found(g: CellGrid): string[] {
  const out: string[] = [];
  for (let k = 0; k < g.pairCount; k++) {
    const a = g.pairA[k]!;
    const b = g.pairB[k]!;
    out.push(a < b ? `${a},${b}` : `${b},${a}`);
  }
  return out;
}

describe('CellGrid', () => {
  const n = 3000;
  const cellKm = 160;
  for (const seed of [1, 2, 3]) {
    it(`all-vs-all finds exactly the brute-force pairs once (seed ${seed})`, () => {
      const p = cloud(n, seed, cellKm);
      const probe = Uint8Array.from(p.R, (r) => (r > cellKm / 2 ? PROBE_WIDE : PROBE_HALF));
      const rMax = Math.max(...p.R);
      const g = new CellGrid();
      g.findPairs(n, p.x, p.y, p.z, p.R, probe, cellKm, rMax, null);
      const got = found(g);
      const want = brute(n, p, null);
      expect(want.size).toBeGreaterThan(80);
      expect(new Set(got).size).toBe(got.length);
      expect(new Set(got)).toEqual(want);
    });

    it(`primaries mode finds exactly the pairs with a primary once (seed ${seed})`, () => {
      const p = cloud(n, seed + 10, cellKm);
      const prim = Uint8Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : 0));
      const probe = Uint8Array.from(p.R, (r, i) =>
        r > cellKm / 2 ? PROBE_WIDE : prim[i] === 1 ? PROBE_NEAR : PROBE_NONE,
      );
      const rMax = Math.max(...p.R);
      const g = new CellGrid();
      g.findPairs(n, p.x, p.y, p.z, p.R, probe, cellKm, rMax, prim);
      const got = found(g);
      const want = brute(n, p, prim);
      expect(want.size).toBeGreaterThan(15);
      expect(new Set(got).size).toBe(got.length);
      expect(new Set(got)).toEqual(want);
    });
  }
});
