/**
 * The candidate grid (cell-grid.ts) against brute force: every pair with |p_a − p_b| ≤ R_a + R_b,
 * |ρ_a − ρ_b| ≤ P_a + P_b and a straight-line approach within L_a + L_b and no other, each exactly once, in all-vs-all and primaries mode,
 * with 'wide' points (large R), radially wide points (large or unbounded P) and duplicates mixed in.
 */
import { describe, expect, it } from 'vitest';
import {
  CellGrid,
  GRID_STRIDE,
  PROBE_HALF,
  PROBE_NEAR,
  PROBE_NONE,
  PROBE_WIDE,
} from '../src/conjunction/cell-grid.js';

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
  const rho = new Float64Array(n);
  const P = new Float64Array(n);
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  const vz = new Float64Array(n);
  const L = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // A dense LEO-like shell, plus a few far objects and clustered duplicates.
    const rad = i % 50 === 0 ? 20000 + 60000 * r() : i % 3 === 0 ? 6700 + 800 * r() : 6950 + 20 * r();
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
    rho[i] = Math.hypot(x[i]!, y[i]!, z[i]!);
    // Radial pads: mostly narrow, some radially wide, a few unbounded.
    P[i] = i % 23 === 0 ? 30 + 200 * r() : i % 211 === 5 ? Number.POSITIVE_INFINITY : 2 + 8 * r();
    // Velocities of a few km/s and linear pads: the straight-line test matters within the horizon.
    vx[i] = 8 * (r() - 0.5);
    vy[i] = 8 * (r() - 0.5);
    vz[i] = 8 * (r() - 0.5);
    L[i] = 10 + 90 * r();
  }
  return { x, y, z, R, rho, P, vx, vy, vz, L };
}

function brute(n: number, p: ReturnType<typeof cloud>, prim: Uint8Array | null): Set<string> {
  const out = new Set<string>();
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      if (prim !== null && prim[a] !== 1 && prim[b] !== 1) continue;
      const d = Math.hypot(p.x[a]! - p.x[b]!, p.y[a]! - p.y[b]!, p.z[a]! - p.z[b]!);
      const radial = Math.abs(p.rho[a]! - p.rho[b]!) <= p.P[a]! + p.P[b]!;
      if (!(d <= p.R[a]! + p.R[b]! && radial)) continue;
      // Straight-line closest approach within the horizon: sampled, and at the clamped stationary point.
      let closest = Number.POSITIVE_INFINITY;
      const ux = p.vx[b]! - p.vx[a]!;
      const uy = p.vy[b]! - p.vy[a]!;
      const uz = p.vz[b]! - p.vz[a]!;
      const tStar = -((p.x[b]! - p.x[a]!) * ux + (p.y[b]! - p.y[a]!) * uy + (p.z[b]! - p.z[a]!) * uz);
      const times = [Math.max(-HORIZON_S, Math.min(HORIZON_S, tStar / (ux * ux + uy * uy + uz * uz)))];
      for (let k = -200; k <= 200; k++) times.push((k / 200) * HORIZON_S);
      for (const t of times) {
        const c = Math.hypot(
          p.x[b]! - p.x[a]! + ux * t,
          p.y[b]! - p.y[a]! + uy * t,
          p.z[b]! - p.z[a]! + uz * t,
        );
        closest = Math.min(closest, c);
      }
      const linear = closest <= p.L[a]! + p.L[b]! + 1e-9;
      if (linear) out.add(`${a},${b}`);
    }
  return out;
}

/** The grid's input, with one extra double per point (a caller's own field, ignored). */
const STRIDE = GRID_STRIDE + 1;
/** Horizon of the straight-line test, s. */
const HORIZON_S = 20;
function points(p: ReturnType<typeof cloud>, probe: Uint8Array): Float64Array {
  const out = new Float64Array(probe.length * STRIDE);
  probe.forEach((role, i) => {
    const fields = [p.x[i]!, p.y[i]!, p.z[i]!, p.R[i]!, p.rho[i]!, p.P[i]!, role, i];
    out.set([...fields, p.vx[i]!, p.vy[i]!, p.vz[i]!, p.L[i]!, Number.NaN], i * STRIDE);
  });
  return out;
}

function found(g: CellGrid): string[] {
  const out: string[] = [];
  const pts = g.points;
  for (let k = 0; k < g.pairCount; k++) {
    const a = pts[g.pairA[k]! * GRID_STRIDE + 7]!;
    const b = pts[g.pairB[k]! * GRID_STRIDE + 7]!;
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
      const probe = Uint8Array.from(p.R, (r, i) =>
        r > cellKm / 2 || p.P[i]! > 12 ? PROBE_WIDE : PROBE_HALF,
      );
      const g = new CellGrid();
      g.findPairs(n, points(p, probe), STRIDE, cellKm, HORIZON_S, null);
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
        r > cellKm / 2 || p.P[i]! > 12 ? PROBE_WIDE : prim[i] === 1 ? PROBE_NEAR : PROBE_NONE,
      );
      const g = new CellGrid();
      g.findPairs(n, points(p, probe), STRIDE, cellKm, HORIZON_S, prim);
      const got = found(g);
      const want = brute(n, p, prim);
      expect(want.size).toBeGreaterThan(15);
      expect(new Set(got).size).toBe(got.length);
      expect(new Set(got)).toEqual(want);
    });

    it(`exclusive primaries mode finds exactly the pairs of a primary and a non-primary once (seed ${seed})`, () => {
      const p = cloud(n, seed + 10, cellKm);
      // Many primaries, so that pairs of two primaries exist and must be left out.
      const prim = Uint8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
      const probe = Uint8Array.from(p.R, (r, i) =>
        r > cellKm / 2 || p.P[i]! > 12 ? PROBE_WIDE : prim[i] === 1 ? PROBE_NEAR : PROBE_NONE,
      );
      const g = new CellGrid();
      g.findPairs(n, points(p, probe), STRIDE, cellKm, HORIZON_S, prim, true);
      const got = found(g);
      const all = brute(n, p, prim);
      const want = new Set(
        [...all].filter((k) => {
          const [a, b] = k.split(',').map(Number);
          return prim[a!] !== prim[b!];
        }),
      );
      expect(all.size - want.size).toBeGreaterThan(3);
      expect(want.size).toBeGreaterThan(15);
      expect(new Set(got).size).toBe(got.length);
      expect(new Set(got)).toEqual(want);
    });
  }
});
