/**
 * Orbit class of an element set from SGP4's mean elements, for tests that pick objects by regime:
 * GEO (period 1,400–1,480 min, e < 0.1), MOLNIYA (period 650–790 min, e > 0.5), GTO (perigee below
 * 2,000 km altitude, apogee above 30,000 km), HEO (other e > 0.25), MEO (period 225 min to GEO,
 * e ≤ 0.25), else LEO; BAD when SGP4 cannot initialise the set.
 */
import type { ElementSet } from '../src/elements/element-set.js';
import { sgp4Init } from '../src/sgp4/propagate.js';

export type OrbitClass = 'LEO' | 'MEO' | 'GEO' | 'GTO' | 'MOLNIYA' | 'HEO' | 'BAD';

export function orbitClass(e: ElementSet): OrbitClass {
  const rec = sgp4Init(e);
  if (rec.error !== 0) return 'BAD';
  const a = rec.a * rec.radiusearthkm;
  const period = (2 * Math.PI) / rec.no_unkozai;
  const rp = a * (1 - rec.ecco) - rec.radiusearthkm;
  const ra = a * (1 + rec.ecco) - rec.radiusearthkm;
  if (period > 1400 && period < 1480 && rec.ecco < 0.1) return 'GEO';
  if (period > 650 && period < 790 && rec.ecco > 0.5) return 'MOLNIYA';
  if (rp < 2000 && ra > 30000) return 'GTO';
  if (rec.ecco > 0.25) return 'HEO';
  if (period >= 225) return 'MEO';
  return 'LEO';
}
