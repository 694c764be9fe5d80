/**
 * Shared readers for the Pc validation suites: CARA unit-test inputs (JSON), the Alfano 2009
 * cases (CSV, m and m/s), and small helpers. Everything comes from ../shared/data through
 * reference-data.ts; metres are converted to km here, at the edge.
 */
import type { Mat3, ReadonlyMat3 } from '../src/math/mat3.js';
import type { Vec3 } from '../src/math/vec3.js';
import type { PcConjunction } from '../src/pc/encounter-plane.js';
import { erfDiff } from '../src/pc/special.js';
import { readRefText } from './reference-data.js';

export const M_PER_KM = 1000;

/** |a − b| / |b| (or |a| when b = 0). */
export function relErr(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}

/** Row-major Mat3 from the top-left 3×3 block of a nested array, scaled. */
export function mat3From(rows: readonly (readonly number[])[], scale = 1): Mat3 {
  const m: number[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) m.push(rows[i]![j]! * scale);
  return m as Mat3;
}

export function vec3From(v: readonly number[], scale = 1): Vec3 {
  return [v[0]! * scale, v[1]! * scale, v[2]! * scale];
}

/** One conjunction of cara-unit-test-expected.json `shared_inputs`. */
export interface CaraSharedInput {
  readonly units: string;
  readonly r1: number[];
  readonly v1: number[];
  readonly cov1: number[][];
  readonly r2: number[];
  readonly v2: number[];
  readonly cov2: number[][];
  readonly HBR?: number;
  readonly HBR_list?: (number | string)[];
  readonly expected_Pc_list?: number[];
}

export interface CaraUnitTests {
  readonly shared_inputs: Record<string, CaraSharedInput>;
  readonly alfano2009_2D: {
    readonly relTol: number;
    readonly cases: { case: number; HBR_m: number; expected_Pc: number | null }[];
  };
  readonly tests: Record<string, unknown>[];
}

export function loadCaraUnitTests(): CaraUnitTests {
  return JSON.parse(readRefText('pc-cases/cara/cara-unit-test-expected.json')) as CaraUnitTests;
}

/** True when a CARA input is in metres (its `units` string starts with "m,"). */
export function isMetres(input: CaraSharedInput): boolean {
  return input.units.startsWith('m,');
}

/** A CARA shared input as a km conjunction, plus its HBR in km (if any). */
export function conjunctionFromCara(input: CaraSharedInput): { conj: PcConjunction; hbrKm: number } {
  const s = isMetres(input) ? 1 / M_PER_KM : 1;
  const c = s * s;
  return {
    conj: {
      r1Km: vec3From(input.r1, s),
      v1KmS: vec3From(input.v1, s),
      cov1Km2: mat3From(input.cov1, c),
      r2Km: vec3From(input.r2, s),
      v2KmS: vec3From(input.v2, s),
      cov2Km2: mat3From(input.cov2, c),
    },
    hbrKm: (input.HBR ?? Number.NaN) * s,
  };
}

/** One Alfano (2009) case at TCA, in km and km². */
export interface AlfanoCase {
  readonly conj: PcConjunction;
  /** The 6×6 covariances' position blocks are used; velocity blocks are ignored by 2-D Pc. */
  readonly cov1Full: readonly number[][];
  readonly cov2Full: readonly number[][];
}

/** Reads pc-cases/cara/alfano2009/CaseNN_at_TCA.csv (m, m/s, m²) into km units. */
export function loadAlfanoCase(n: number): AlfanoCase {
  const text = readRefText(`pc-cases/cara/alfano2009/Case${String(n).padStart(2, '0')}_at_TCA.csv`);
  const rows: number[][] = [];
  for (const line of text.split(/\r?\n/)) {
    const cells = line.split(',').filter((c) => c.trim() !== '');
    if (cells.length === 0) continue;
    const nums = cells.map(Number);
    if (nums.some((x) => Number.isNaN(x))) continue;
    rows.push(nums);
  }
  if (rows.length !== 16) throw new Error(`Alfano case ${n}: expected 16 numeric rows, found ${rows.length}`);
  const s = 1 / M_PER_KM;
  const cov1 = rows.slice(2, 8);
  const cov2 = rows.slice(10, 16);
  return {
    conj: {
      r1Km: vec3From(rows[0]!, s),
      v1KmS: vec3From(rows[1]!, s),
      cov1Km2: mat3From(cov1, s * s),
      r2Km: vec3From(rows[8]!, s),
      v2KmS: vec3From(rows[9]!, s),
      cov2Km2: mat3From(cov2, s * s),
    },
    cov1Full: cov1,
    cov2Full: cov2,
  };
}

/** Parses a simple CSV with a header row into records of strings. */
export function parseCsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const rec: Record<string, string> = {};
    header.forEach((h, i) => {
      rec[h] = (cells[i] ?? '').trim();
    });
    return rec;
  });
}

/** Symmetric 3×3 (row-major) from its six upper terms. */
export function symMat3(
  xx: number,
  yy: number,
  zz: number,
  xy: number,
  xz: number,
  yz: number,
): ReadonlyMat3 {
  return [xx, xy, xz, xy, yy, yz, xz, yz, zz];
}

/**
 * Slow, obviously-correct reference for the circle Pc in principal axes: the same single integral
 * (x = xm + R·sin θ, erf along z) summed over `panels` equal θ-panels of 8-point Gauss–Legendre,
 * no adaptivity and no break points.
 */
export function bruteForceCirclePc(
  xm: number,
  zm: number,
  sx: number,
  sz: number,
  r: number,
  panels = 20000,
): number {
  if (sz > sx) return bruteForceCirclePc(zm, xm, sz, sx, r, panels);
  const gx = [0.18343464249564978, 0.525532409916329, 0.7966664774136267, 0.9602898564975362];
  const gw = [0.36268378337836166, 0.3137066458778869, 0.22238103445337443, 0.10122853629037706];
  const dx = Math.SQRT2 * sx;
  const dz = Math.SQRT2 * sz;
  const f = (t: number): number => {
    const c = Math.cos(t);
    const u = (xm + r * Math.sin(t)) / dx;
    return c * Math.exp(-u * u) * erfDiff((zm + r * c) / dz, (zm - r * c) / dz);
  };
  const h = Math.PI / panels;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const mid = -Math.PI / 2 + (p + 0.5) * h;
    for (let i = 0; i < 4; i++) sum += gw[i]! * (f(mid - 0.5 * h * gx[i]!) + f(mid + 0.5 * h * gx[i]!));
  }
  return (0.5 * h * sum * r) / (sx * Math.sqrt(8 * Math.PI));
}
