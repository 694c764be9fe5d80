/**
 * Geodesy models for precise tracking: solid-tide station displacement (IERS 2010 §7.1.1), the
 * Shapiro range delay, and the centre-of-mass corrections of geodetic laser-ranging satellites.
 */
export {
  CENTER_OF_MASS_CORRECTIONS,
  type CenterOfMassCorrection,
  centerOfMassCorrection,
  LAGEOS_COM_CORRECTION_KM,
} from './center-of-mass.js';
export { shapiroDelayKm, twoWayShapiroRangeKm } from './shapiro.js';
export {
  LOVE_H2,
  LOVE_H3,
  MOON_EARTH_MASS_RATIO,
  permanentTideDisplacement,
  SHIDA_L2,
  SHIDA_L3,
  type SolidTideOptions,
  SUN_EARTH_MASS_RATIO,
  solidTideDisplacement,
  TIDE_EARTH_RADIUS_KM,
} from './solid-tides.js';
