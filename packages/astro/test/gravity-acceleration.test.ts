/**
 * The spherical-harmonic acceleration model: point-mass and J2 closed forms, the potential summed
 * independently (un-normalised Legendre functions in latitude/longitude), acceleration = gradient of
 * the potential and gradient = Jacobian of the acceleration by finite differences (also at 89.999°
 * and on the z axis), symmetries, the two EGM96 files against each other, and a synthetic 360×360
 * field for stability at high degree.
 */
import { describe, expect, it } from 'vitest';
import {
  coefficientCount,
  coefficientIndex,
  EGM96_MU_KM3_S2,
  EGM96_RADIUS_KM,
  type GravityField,
  j2Of,
  normalizationFactor,
  parseEgm,
  SphericalHarmonicGravity,
} from '../src/gravity/index.js';
import { readRefText } from './reference-data.js';
import { codeOf, unwrap } from './test-support.js';

const egm96 = unwrap(
  parseEgm(readRefText('earth/gravity/EGM96-truncated-21x21'), { tideSystem: 'tide_free' }),
);
const egm96to5 = unwrap(
  parseEgm(readRefText('earth/gravity/egm96_to5.ascii.gz'), { allowMissing: true, tideSystem: 'tide_free' }),
);

/**
 * Closed forms vs the series: the same physics through √3, √5 factors and another order of
 * operations, so a few ulps of |a|. Measured over POINTS: 8.0e-16 (point mass), 6.2e-16 (J2).
 */
const CLOSED_FORM_REL = 1e-15;
/**
 * 4th-order central differences with step 0.1 km: truncation ≈ h⁴·|∂⁵U|/30 ≈ 1e-20 km/s²; rounding
 * ≈ ε·U/h ≈ 1e-16 · 62 km²/s² / 0.1 km = 6e-14 km/s², i.e. ~1e-11 of |a| at LEO.
 * Measured over POINTS: ≤ 8.8e-11 (acceleration), ≤ 3.0e-11 (gradient, relative to its norm).
 */
const FD_REL = 1e-9;
const FD_STEP_KM = 0.1;
/** Independent potential (un-normalised Legendre, trigonometry) to degree 21: cancellation-free sums. */
const INDEPENDENT_REL = 1e-14;
/** Trace-free gradient (Laplace): rounding of sums of ~1e-6 1/s² terms. Measured: 5.4e-16. */
const LAPLACE_REL = 1e-13;

const DEG = Math.PI / 180;

/** Body-fixed position (km) at geocentric latitude, longitude (deg) and radius. */
function at(latDeg: number, lonDeg: number, rKm: number): [number, number, number] {
  const phi = latDeg * DEG;
  const lam = lonDeg * DEG;
  return [rKm * Math.cos(phi) * Math.cos(lam), rKm * Math.cos(phi) * Math.sin(lam), rKm * Math.sin(phi)];
}

const POINTS: Array<[string, [number, number, number]]> = [
  ['LEO equator', at(0, 30, 6778)],
  ['LEO mid-latitude', at(-51.6, 200, 6800)],
  ['LEO 89.999°', at(89.999, 123, 6778)],
  ['LEO −89.999°', at(-89.999, -45, 6900)],
  ['on +z', [0, 0, 6778]],
  ['on −z', [0, 0, -7000]],
  ['near the surface', at(20, -70, 6380)],
  ['GEO', at(0.05, 75, 42164)],
];

function accel(model: SphericalHarmonicGravity, p: readonly number[]): Float64Array {
  const a = new Float64Array(3);
  model.acceleration(p[0]!, p[1]!, p[2]!, a);
  return a;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** 4th-order central difference of f along axis j at p. */
function fd4(f: (q: number[]) => number, p: readonly number[], j: number, h: number): number {
  const q = (k: number) => {
    const r = [...p];
    r[j] = r[j]! + k * h;
    return f(r);
  };
  return (8 * (q(1) - q(-1)) - (q(2) - q(-2))) / (12 * h);
}

/** A copy of a field limited to some coefficients (the others 0). */
function withOnly(
  field: GravityField,
  degree: number,
  keep: (n: number, m: number) => boolean,
): GravityField {
  const c = new Float64Array(coefficientCount(degree));
  const s = new Float64Array(coefficientCount(degree));
  c[0] = 1;
  for (let n = 1; n <= degree; n++) {
    for (let m = 0; m <= n; m++) {
      const k = coefficientIndex(n, m);
      if (keep(n, m)) {
        c[k] = field.c[k] ?? 0;
        s[k] = field.s[k] ?? 0;
      }
    }
  }
  return { ...field, degree, order: degree, c, s };
}

/** U = μ/r Σ (R/r)ⁿ Nnm Pnm(sin φ)(C̄ cos mλ + S̄ sin mλ), with un-normalised Pnm (no Condon–Shortley phase). */
function independentPotential(field: GravityField, degree: number, p: readonly number[]): number {
  const [x, y, z] = p as [number, number, number];
  const r = Math.hypot(x, y, z);
  const t = z / r;
  const u = Math.hypot(x, y) / r;
  const lam = Math.atan2(y, x);
  const P: number[][] = [];
  for (let n = 0; n <= degree; n++) P.push(new Array<number>(n + 1).fill(0));
  for (let m = 0; m <= degree; m++) {
    let pmm = 1;
    for (let k = 1; k <= m; k++) pmm *= (2 * k - 1) * u; // (2m − 1)!! uᵐ
    P[m]![m] = pmm;
    if (m + 1 <= degree) P[m + 1]![m] = (2 * m + 1) * t * pmm;
    for (let n = m + 2; n <= degree; n++) {
      P[n]![m] = ((2 * n - 1) * t * P[n - 1]![m]! - (n + m - 1) * P[n - 2]![m]!) / (n - m);
    }
  }
  let sum = 0;
  for (let n = 0; n <= degree; n++) {
    let inner = 0;
    for (let m = 0; m <= n; m++) {
      const k = coefficientIndex(n, m);
      inner +=
        normalizationFactor(n, m) *
        P[n]![m]! *
        ((field.c[k] ?? 0) * Math.cos(m * lam) + (field.s[k] ?? 0) * Math.sin(m * lam));
    }
    sum += (field.radiusKm / r) ** n * inner;
  }
  return (field.muKm3S2 / r) * sum;
}

describe('closed forms', () => {
  it('degree 0 is the point mass −μr/r³ (potential μ/r)', () => {
    const model = new SphericalHarmonicGravity(egm96, 0);
    for (const [, p] of POINTS) {
      const r = norm(p);
      const expected = p.map((c) => (-EGM96_MU_KM3_S2 * c) / r ** 3);
      const a = accel(model, p);
      expect(maxDiff(a, expected)).toBeLessThanOrEqual(norm(expected) * CLOSED_FORM_REL);
      expect(Math.abs(model.potential(...p) - EGM96_MU_KM3_S2 / r)).toBeLessThanOrEqual(
        (EGM96_MU_KM3_S2 / r) * CLOSED_FORM_REL,
      );
    }
  });

  it('degree 2, order 0 is the J2 closed form', () => {
    const model = new SphericalHarmonicGravity(egm96, 2, 0);
    const J2 = j2Of(egm96);
    const R = EGM96_RADIUS_KM;
    const mu = EGM96_MU_KM3_S2;
    for (const [, p] of POINTS) {
      const [x, y, z] = p;
      const r = norm(p);
      const k = (-1.5 * J2 * mu * R * R) / r ** 5;
      const z2 = (5 * z * z) / (r * r);
      const expected = [
        (-mu * x) / r ** 3 + k * x * (1 - z2),
        (-mu * y) / r ** 3 + k * y * (1 - z2),
        (-mu * z) / r ** 3 + k * z * (3 - z2),
      ];
      expect(maxDiff(accel(model, p), expected)).toBeLessThanOrEqual(norm(expected) * CLOSED_FORM_REL);
    }
  });
});

describe('consistency of potential, acceleration and gradient (EGM96 21×21)', () => {
  const model = new SphericalHarmonicGravity(egm96, 21);
  for (const [name, p] of POINTS) {
    it(`acceleration = ∇U and gradient = ∂a/∂r at ${name}`, () => {
      const a = accel(model, p);
      const fd = [0, 1, 2].map((j) => fd4((q) => model.potential(q[0]!, q[1]!, q[2]!), p, j, FD_STEP_KM));
      expect(maxDiff(a, fd)).toBeLessThanOrEqual(norm(a) * FD_REL);

      const a2 = new Float64Array(3);
      const g = new Float64Array(9);
      model.accelerationAndGradient(p[0], p[1], p[2], a2, g);
      expect(maxDiff(a2, a)).toBeLessThanOrEqual(norm(a) * 1e-15);
      const gNorm = norm(g);
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const d = fd4((q) => accel(model, q)[i]!, p, j, FD_STEP_KM);
          expect(Math.abs(g[3 * i + j]! - d)).toBeLessThanOrEqual(gNorm * FD_REL);
        }
      }
      expect(Math.abs(g[0]! + g[4]! + g[8]!)).toBeLessThanOrEqual(gNorm * LAPLACE_REL);
      expect(g[1]).toBe(g[3]);
      expect(g[2]).toBe(g[6]);
    });
  }

  it('the potential equals an independent sum over un-normalised Legendre functions', () => {
    for (const [, p] of POINTS) {
      const u = model.potential(...p);
      expect(Math.abs(u - independentPotential(egm96, 21, p))).toBeLessThanOrEqual(u * INDEPENDENT_REL);
    }
  });

  it('a zonal field has no horizontal acceleration on the z axis', () => {
    const zonal = new SphericalHarmonicGravity(egm96, 21, 0);
    const a = accel(zonal, [0, 0, 6778]);
    expect(a[0]).toBe(0);
    expect(a[1]).toBe(0);
    expect(a[2]!).toBeLessThan(0);
  });
});

describe('the two EGM96 files agree', () => {
  it('degree 4: identical accelerations', () => {
    const a = new SphericalHarmonicGravity(egm96, 4);
    const b = new SphericalHarmonicGravity(egm96to5, 4);
    for (const [, p] of POINTS) expect(accel(b, p)).toEqual(accel(a, p));
  });

  it('degree 5: they differ by the (5,3) term only, which egm96_to5 lacks', () => {
    const full = new SphericalHarmonicGravity(egm96, 5);
    const to5 = new SphericalHarmonicGravity(egm96to5, 5);
    const only53 = new SphericalHarmonicGravity(
      withOnly(egm96, 5, (n, m) => n === 5 && m === 3),
      5,
    );
    const point = new SphericalHarmonicGravity(egm96, 0);
    for (const [, p] of POINTS) {
      const d = accel(full, p).map((v, i) => v - accel(to5, p)[i]!);
      const t = accel(only53, p).map((v, i) => v - accel(point, p)[i]!);
      // The (5,3) acceleration is ~1e-9 of the total: compare at the rounding of the total.
      const tol = norm(accel(full, p)) * 4e-16;
      expect(maxDiff(d, t)).toBeLessThanOrEqual(tol);
      // A tesseral term vanishes on the z axis; elsewhere it is far above the tolerance.
      if (Math.hypot(p[0], p[1]) > 1) expect(norm(t)).toBeGreaterThan(1000 * tol);
    }
  });
});

describe('symmetries', () => {
  it('a zonal field is symmetric about the z axis', () => {
    const zonal = new SphericalHarmonicGravity(egm96, 21, 0);
    const p = at(37, 10, 7000);
    const a = accel(zonal, p);
    const alpha = 1.234;
    const [c, s] = [Math.cos(alpha), Math.sin(alpha)];
    const b = accel(zonal, [c * p[0] - s * p[1], s * p[0] + c * p[1], p[2]]);
    expect(maxDiff(b, [c * a[0]! - s * a[1]!, s * a[0]! + c * a[1]!, a[2]!])).toBeLessThanOrEqual(
      norm(a) * 1e-15,
    );
  });

  it('even zonals are mirror-symmetric about the equator; odd zonals flip', () => {
    const even = new SphericalHarmonicGravity(
      withOnly(egm96, 20, (n, m) => m === 0 && n % 2 === 0),
      20,
    );
    const odd = withOnly(egm96, 21, (n, m) => m === 0 && n % 2 === 1);
    const oddModel = new SphericalHarmonicGravity(odd, 21);
    const point = new SphericalHarmonicGravity(egm96, 0);
    const p = at(33, -20, 6900);
    const q: [number, number, number] = [p[0], p[1], -p[2]];
    const ae = accel(even, p);
    const be = accel(even, q);
    expect(maxDiff(be, [ae[0]!, ae[1]!, -ae[2]!])).toBeLessThanOrEqual(norm(ae) * 1e-15);
    // Odd zonal part U′(x, y, −z) = −U′(x, y, z): a′(q) = (−a′x, −a′y, a′z)(p).
    const ao = accel(oddModel, p).map((v, i) => v - accel(point, p)[i]!);
    const bo = accel(oddModel, q).map((v, i) => v - accel(point, q)[i]!);
    expect(maxDiff(bo, [-ao[0]!, -ao[1]!, ao[2]!])).toBeLessThanOrEqual(norm(accel(oddModel, p)) * 1e-15);
  });

  it('turning the field by α in longitude turns the acceleration by α', () => {
    const alpha = 0.7;
    const c = new Float64Array(egm96.c.length);
    const s = new Float64Array(egm96.s.length);
    for (let n = 0; n <= 21; n++) {
      for (let m = 0; m <= n; m++) {
        const k = coefficientIndex(n, m);
        const [cm, sm] = [Math.cos(m * alpha), Math.sin(m * alpha)];
        c[k] = egm96.c[k]! * cm - egm96.s[k]! * sm;
        s[k] = egm96.c[k]! * sm + egm96.s[k]! * cm;
      }
    }
    const turned = new SphericalHarmonicGravity({ ...egm96, c, s }, 21);
    const model = new SphericalHarmonicGravity(egm96, 21);
    const [ca, sa] = [Math.cos(alpha), Math.sin(alpha)];
    for (const [, p] of POINTS) {
      // U′(p) = U(Rz(−α) p), so a′(p) = Rz(α) a(Rz(−α) p).
      const a = accel(model, [ca * p[0] + sa * p[1], -sa * p[0] + ca * p[1], p[2]]);
      const expected = [ca * a[0]! - sa * a[1]!, sa * a[0]! + ca * a[1]!, a[2]!];
      expect(maxDiff(accel(turned, p), expected)).toBeLessThanOrEqual(norm(a) * 1e-14);
    }
  });

  it('order truncation equals dropping the tesseral coefficients', () => {
    const a = new SphericalHarmonicGravity(egm96, 21, 4);
    const b = new SphericalHarmonicGravity(
      withOnly(egm96, 21, (_n, m) => m <= 4),
      21,
    );
    for (const [, p] of POINTS)
      expect(maxDiff(accel(a, p), accel(b, p))).toBeLessThanOrEqual(norm(accel(a, p)) * 1e-15);
  });
});

describe('high degree (synthetic 360×360 field with Kaula-rule magnitudes)', () => {
  const N = 360;
  const c = new Float64Array(coefficientCount(N));
  const s = new Float64Array(coefficientCount(N));
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  c[0] = 1;
  for (let n = 2; n <= N; n++) {
    for (let m = 0; m <= n; m++) {
      const k = coefficientIndex(n, m);
      c[k] = (2e-5 / (n * n)) * rand();
      s[k] = m === 0 ? 0 : (2e-5 / (n * n)) * rand();
    }
  }
  const field: GravityField = { ...egm96, degree: N, order: N, c, s };
  const model = new SphericalHarmonicGravity(field, N);

  for (const [name, p] of [
    ['89.999°', at(89.999, 10, 6578)],
    ['on +z', [0, 0, 6578]],
    ['mid-latitude', at(45, 45, 6578)],
  ] as Array<[string, [number, number, number]]>) {
    it(`is finite and consistent with its potential at ${name}`, () => {
      const a = accel(model, p);
      expect(a.every(Number.isFinite)).toBe(true);
      const fd = [0, 1, 2].map((j) => fd4((q) => model.potential(q[0]!, q[1]!, q[2]!), p, j, FD_STEP_KM));
      expect(maxDiff(a, fd)).toBeLessThanOrEqual(norm(a) * FD_REL);
      const g = new Float64Array(9);
      model.accelerationAndGradient(p[0], p[1], p[2], new Float64Array(3), g);
      expect(g.every(Number.isFinite)).toBe(true);
      expect(Math.abs(g[0]! + g[4]! + g[8]!)).toBeLessThanOrEqual(norm(g) * LAPLACE_REL);
    });
  }
});

describe('input checks', () => {
  it('refuses a degree above the field or an order above the degree', () => {
    expect(codeOf(() => new SphericalHarmonicGravity(egm96, 22))).toBe('GRAVITY_BAD_DEGREE');
    expect(codeOf(() => new SphericalHarmonicGravity(egm96, 4, 5))).toBe('GRAVITY_BAD_DEGREE');
    expect(codeOf(() => new SphericalHarmonicGravity(egm96, 2.5))).toBe('GRAVITY_BAD_DEGREE');
  });

  it('gives NaN at the origin', () => {
    const a = accel(new SphericalHarmonicGravity(egm96, 4), [0, 0, 0]);
    expect(a.every(Number.isNaN)).toBe(true);
  });
});
