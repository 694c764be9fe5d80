/** Public API of the bodies module: Earth constants (WGS-84 and the GMST-1982 rotation rate). */
export {
  EARTH_ROTATION_RATE_GMST1982_RAD_S,
  WGS84_A_KM,
  WGS84_B_KM,
  WGS84_E2,
  WGS84_F,
  WGS84_GM_KM3_S2,
  WGS84_OMEGA_RAD_S,
} from './earth.js';
