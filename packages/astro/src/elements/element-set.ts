/**
 * The mean element set shared by every element format (TLE/3LE, CCSDS OMM, CelesTrak GP).
 * Units follow the project rule: radians, minutes for SGP4 rates, catalog numbers as decimal strings.
 * Format-specific units (degrees, rev/day) are converted at the format's edge.
 */

/** Classification marking carried by TLE column 8 / OMM CLASSIFICATION_TYPE. */
export type Classification = string;

/** The epoch as a two-part UTC Julian date, exactly as Vallado's `jdsatepoch + jdsatepochF`. */
export interface UtcJulianDate {
  /** Whole part, a midnight (ends in .5). */
  readonly jd: number;
  /** Day fraction in [0, 1). */
  readonly jdFrac: number;
}

export interface ElementSet {
  /**
   * NORAD catalog number as a decimal string without leading zeros ("5", "25544", "339999",
   * "800000123"): up to 9 digits, never squeezed into five characters. Alpha-5 ("A0000") is decoded.
   */
  readonly catalogNumber: string;
  /** Object name (3LE line 0 or OMM OBJECT_NAME), when known. */
  readonly name?: string;
  /** International designator in COSPAR form "1998-067A" when known. */
  readonly intlDesignator?: string;
  readonly classification: Classification;
  /** Epoch (UTC). */
  readonly epoch: UtcJulianDate;
  /** Kozai mean motion, rad/min (the TLE's rev/day converted). */
  readonly meanMotionRadPerMin: number;
  readonly eccentricity: number;
  readonly inclinationRad: number;
  /** Right ascension of the ascending node, rad. */
  readonly raanRad: number;
  readonly argPerigeeRad: number;
  readonly meanAnomalyRad: number;
  /** SGP4 drag term B*, 1/earth radii. */
  readonly bstar: number;
  /** First derivative of mean motion divided by two, as in the TLE, rev/day² (kept in the format unit: SGP4 ignores it). */
  readonly meanMotionDotRevPerDay2: number;
  /** Second derivative of mean motion divided by six, as in the TLE, rev/day³ (SGP4 ignores it). */
  readonly meanMotionDdotRevPerDay3: number;
  /** Ephemeris type (0 or 4 for SGP4). */
  readonly ephemerisType: number;
  readonly elementSetNumber: number;
  /** Revolution number at epoch. */
  readonly revolutionNumber: number;
  /** SGP4-XP ballistic coefficient BTERM (OMM 3.0), m²/kg; absent for plain SGP4 sets. */
  readonly bterm?: number;
  /** SGP4-XP solar radiation pressure coefficient AGOM (OMM 3.0), m²/kg; absent for plain SGP4 sets. */
  readonly agom?: number;
}
