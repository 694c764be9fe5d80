/**
 * Earth constants. WGS-84 defining and derived parameters from NIMA TR8350.2, "Department of
 * Defense World Geodetic System 1984", 3rd ed. (2000), Tables 3.1 and 3.3; the GMST-1982 rotation
 * rate from Aoki et al. (1982) as used by Vallado, "Fundamentals of Astrodynamics and
 * Applications", 4th ed. (2013), Eq. 3-40, and his `teme2ecef`.
 * Units: km, km³/s², rad/s.
 */

/** WGS-84 semi-major axis (equatorial radius), km (TR8350.2 Table 3.1). */
export const WGS84_A_KM = 6378.137;
/** WGS-84 flattening f = 1/298.257223563 (TR8350.2 Table 3.1). */
export const WGS84_F = 1 / 298.257223563;
/** WGS-84 semi-minor axis b = a(1 − f), km (≈ 6356.752314245 km, TR8350.2 Table 3.3). */
export const WGS84_B_KM = WGS84_A_KM * (1 - WGS84_F);
/** WGS-84 first eccentricity squared e² = f(2 − f) (≈ 0.00669437999014, TR8350.2 Table 3.3). */
export const WGS84_E2 = WGS84_F * (2 - WGS84_F);
/** WGS-84 geocentric gravitational constant GM (with atmosphere), km³/s² (TR8350.2 Table 3.1). */
export const WGS84_GM_KM3_S2 = 398600.4418;
/** WGS-84 nominal mean angular velocity of the Earth, rad/s (TR8350.2 Table 3.1). */
export const WGS84_OMEGA_RAD_S = 7.292115e-5;
/**
 * Earth rotation rate consistent with the GMST-1982 expression (1.00273790934 rev per UT1 day),
 * rad/s, before the length-of-day correction ω(1 − LOD/86400). Vallado (2013) Eq. 3-40 and
 * `teme2ecef` (`7.29211514670698e-05`); AIAA 2006-6753 §C.
 */
export const EARTH_ROTATION_RATE_GMST1982_RAD_S = 7.292115146706979e-5;
