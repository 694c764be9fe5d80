/**
 * Gabbard diagram data (domain research §2.3; Gabbard's plot of apogee and perigee height against
 * period, as NASA's Orbital Debris Quarterly News draws it): one apogee point and one perigee point
 * per object. Fragments of a fresh breakup form an "X" crossing at the parent's period and height.
 * Heights are above the WGS-72 equatorial radius (the element sets' own constants), km; period in
 * minutes from SGP4's recovered mean motion.
 */
import type { ElementSet } from '../elements/element-set.js';
import { orbitShape, SGP4_MU_KM3_S2 } from './orbit-shape.js';

export interface GabbardPoint {
  readonly catalogNumber: string;
  readonly name?: string;
  readonly periodMin: number;
  readonly apogeeKm: number;
  readonly perigeeKm: number;
  /** 'parent' for the parent's (pre-event) set, 'fragment' otherwise. */
  readonly role: 'parent' | 'fragment';
}

/** Gabbard points of the fragments, plus the parent's when given (first). */
export function gabbardPoints(fragments: readonly ElementSet[], parent?: ElementSet): GabbardPoint[] {
  const point = (e: ElementSet, role: GabbardPoint['role']): GabbardPoint => {
    const s = orbitShape(e);
    return {
      catalogNumber: e.catalogNumber,
      ...(e.name === undefined ? {} : { name: e.name }),
      periodMin: s.periodMin,
      apogeeKm: s.apogeeKm,
      perigeeKm: s.perigeeKm,
      role,
    };
  };
  const out: GabbardPoint[] = [];
  if (parent !== undefined) out.push(point(parent, 'parent'));
  for (const f of fragments) {
    if (parent !== undefined && f.catalogNumber === parent.catalogNumber) continue;
    out.push(point(f, 'fragment'));
  }
  return out;
}

/**
 * Along-track Δv implied by a period change from a near-circular parent orbit, km/s:
 * ΔP/P = 3·Δv_T/v (domain research §2.2, from the vis-viva energy equation), v = √(μ/a).
 * Positive: the fragment was thrown forward (longer period).
 */
export function gabbardDeltaVKmS(parentPeriodMin: number, fragmentPeriodMin: number): number {
  const n = (2 * Math.PI) / (parentPeriodMin * 60);
  const a = Math.cbrt(SGP4_MU_KM3_S2 / (n * n));
  const v = Math.sqrt(SGP4_MU_KM3_S2 / a);
  return ((v / 3) * (fragmentPeriodMin - parentPeriodMin)) / parentPeriodMin;
}
