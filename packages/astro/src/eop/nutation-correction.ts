/**
 * Conversion between the two forms of celestial pole offsets: dX, dY (CIP coordinates, used by the
 * CIO-based IAU 2000/2006 transformation) and δΔψ, δΔε (nutation in longitude and obliquity, used by
 * the equinox-based transformation), after IERS Conventions (2010), IERS TN 36, chapter 5
 * (dX = δΔψ sin εA + (ψA cos ε0 − χA) δΔε, dY = δΔε − (ψA cos ε0 − χA) δΔψ sin εA), with the IAU 2006
 * precession quantities ψA, χA, εA of Capitaine et al. (2003), TN 36 eq. 5.39–5.40. Orekit applies
 * the same relation (IERSConventions nutation correction converter).
 *
 * Both forms are corrections to the IAU 2000A model. They are NOT the IAU 1980 corrections that
 * Vallado's FK5/TEME reductions use (finals.all δΔψ ≈ −50 mas, mostly the 1980 model's own error);
 * those come only from IAU 1980 EOP files.
 */

import { ARCSEC2RAD } from '../units/index.js';

/** Arcseconds to radians. */
const AS2R = ARCSEC2RAD;
/** Obliquity of the ecliptic at J2000.0, IAU 2006: 84381.406″. */
const EPS0_RAD = 84381.406 * AS2R;

/** ψA cos ε0 − χA and sin εA at `t` Julian centuries TT since J2000.0. */
function precessionTerms(t: number): { c: number; sinEpsA: number } {
  const psiA = (5038.481507 + (-1.0790069 + -0.00114045 * t) * t) * t * AS2R;
  const chiA = (10.556403 + (-2.3814292 + -0.00121197 * t) * t) * t * AS2R;
  const epsA = EPS0_RAD + (-46.836769 + (-0.0001831 + 0.0020034 * t) * t) * t * AS2R;
  return { c: psiA * Math.cos(EPS0_RAD) - chiA, sinEpsA: Math.sin(epsA) };
}

/** δΔψ, δΔε (rad, w.r.t. IAU 2000A) from dX, dY (rad) at `tCenturiesTt` since J2000.0. */
export function dXdYToDpsiDeps(
  dXRad: number,
  dYRad: number,
  tCenturiesTt: number,
): { dPsiRad: number; dEpsRad: number } {
  const { c, sinEpsA } = precessionTerms(tCenturiesTt);
  const det = 1 + c * c;
  return { dPsiRad: (dXRad - c * dYRad) / (det * sinEpsA), dEpsRad: (dYRad + c * dXRad) / det };
}

/** dX, dY (rad) from δΔψ, δΔε (rad, w.r.t. IAU 2000A) at `tCenturiesTt` since J2000.0. */
export function dPsiDepsToDxDy(
  dPsiRad: number,
  dEpsRad: number,
  tCenturiesTt: number,
): { dXRad: number; dYRad: number } {
  const { c, sinEpsA } = precessionTerms(tCenturiesTt);
  return { dXRad: dPsiRad * sinEpsA + c * dEpsRad, dYRad: dEpsRad - c * dPsiRad * sinEpsA };
}
