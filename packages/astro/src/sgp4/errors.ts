/**
 * SGP4 error codes, exactly Vallado's `satrec.error` values (SGP4.cpp, sgp4init/sgp4 headers).
 * Failure is data: `sgp4()` returns one of these per call and writes NaN into its output.
 */

/** Error code by name. 0 means success. */
export const SGP4_ERROR_CODE = {
  OK: 0,
  MEAN_ELEMENTS: 1,
  MEAN_MOTION: 2,
  PERTURBED_ECCENTRICITY: 3,
  SEMI_LATUS_RECTUM: 4,
  SUB_ORBITAL: 5,
  DECAYED: 6,
} as const;

/** One of Vallado's SGP4 error codes (0 = success). */
export type Sgp4ErrorCode = (typeof SGP4_ERROR_CODE)[keyof typeof SGP4_ERROR_CODE];

/**
 * Name (stable string code) and message of every SGP4 error code, indexed by the numeric code.
 * Messages paraphrase Vallado's return-code table.
 */
export const SGP4_ERRORS = {
  0: { code: 'SGP4_OK', message: 'no error' },
  1: {
    code: 'SGP4_MEAN_ELEMENTS',
    message:
      'mean elements out of range: eccentricity >= 1.0 or < -0.001, or semi-major axis < 0.95 earth radii',
  },
  2: { code: 'SGP4_MEAN_MOTION', message: 'mean motion less than or equal to 0.0' },
  3: { code: 'SGP4_PERTURBED_ECCENTRICITY', message: 'perturbed eccentricity < 0.0 or > 1.0' },
  4: { code: 'SGP4_SEMI_LATUS_RECTUM', message: 'semi-latus rectum < 0.0' },
  5: {
    code: 'SGP4_SUB_ORBITAL',
    message: 'epoch elements are sub-orbital (historic: Vallado no longer raises it, see sgp4init)',
  },
  6: { code: 'SGP4_DECAYED', message: 'satellite has decayed (radius below one earth radius)' },
} as const satisfies Record<Sgp4ErrorCode, { readonly code: string; readonly message: string }>;
