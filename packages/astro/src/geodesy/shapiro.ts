/**
 * Relativistic (Shapiro) delay of a laser range in the Earth's gravity field: the path lengthening
 * of a light signal between two points at geocentric distances r1, r2 and separation ρ,
 * IERS Conventions 2010 (Petit & Luzum, IERS TN 36), Eq. 11.17 with γ = 1 and the Earth as the only
 * body (the Sun's term is left out, as in Orekit's ShapiroRangeModifier used by the LAGEOS-2 case):
 *
 *   Δρ = (2·GM/c²) · ln( (r1 + r2 + ρ) / (r1 + r2 − ρ) )
 *
 * For a two-way range (the half round-trip distance of SLR normal points) the correction is the
 * mean of the uplink and downlink delays, as Orekit applies it. For LAGEOS-2 it is 5.8 mm at the
 * zenith, 8.8 mm at 20° and 9.9 mm at 10° elevation (2·GM/c² = 8.87 mm).
 */

import type { ReadonlyVec3 } from '../math/vec3.js';
import { SPEED_OF_LIGHT_KM_S } from '../units/index.js';

/**
 * One-way Shapiro path lengthening between an emitter and a receiver, km. Both positions are
 * geocentric in the same frame (km); `gmKm3S2` the Earth's GM.
 */
export function shapiroDelayKm(emitterKm: ReadonlyVec3, receiverKm: ReadonlyVec3, gmKm3S2: number): number {
  const r1 = Math.hypot(emitterKm[0], emitterKm[1], emitterKm[2]);
  const r2 = Math.hypot(receiverKm[0], receiverKm[1], receiverKm[2]);
  const d = Math.hypot(
    receiverKm[0] - emitterKm[0],
    receiverKm[1] - emitterKm[1],
    receiverKm[2] - emitterKm[2],
  );
  const s = r1 + r2;
  return ((2 * gmKm3S2) / (SPEED_OF_LIGHT_KM_S * SPEED_OF_LIGHT_KM_S)) * Math.log((s + d) / (s - d));
}

/**
 * Shapiro correction of a two-way range (half the round-trip path), km, to ADD to the geometric
 * range: the mean of the uplink (station at transmit → satellite at bounce) and downlink
 * (satellite → station at reception) delays. Positions geocentric, same frame, km.
 */
export function twoWayShapiroRangeKm(
  stationAtTransmitKm: ReadonlyVec3,
  satelliteAtBounceKm: ReadonlyVec3,
  stationAtReceptionKm: ReadonlyVec3,
  gmKm3S2: number,
): number {
  return (
    0.5 *
    (shapiroDelayKm(stationAtTransmitKm, satelliteAtBounceKm, gmKm3S2) +
      shapiroDelayKm(satelliteAtBounceKm, stationAtReceptionKm, gmKm3S2))
  );
}
