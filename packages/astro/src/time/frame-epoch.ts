/**
 * Everything a frame transformation needs to know about "when", already in the right time scales
 * and with the Earth orientation parameters interpolated. Built from an Instant and a context by
 * the time module; consumed by the frames module, which therefore needs no tables of its own.
 */
export interface FrameEpoch {
  /** TT as a two-part Julian date (days). */
  readonly jdTt: number;
  readonly jdTtFrac: number;
  /** UT1 as a two-part Julian date (days). */
  readonly jdUt1: number;
  readonly jdUt1Frac: number;
  /** Polar motion, rad. */
  readonly xpRad: number;
  readonly ypRad: number;
  /** Excess length of day, s. */
  readonly lodS: number;
  /** IAU-1980 nutation corrections δΔψ and δΔε, rad (0 when unknown). */
  readonly dPsiRad: number;
  readonly dEpsRad: number;
}
