/**
 * Options, results and statistics of catalog conjunction screening (screen-catalog.ts).
 * Units: km, km/s, seconds; times are UTC two-part Julian dates (the time base of SGP4 element sets).
 */
import type { UtcJulianDate } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import type { Km, KmPerSec, Seconds } from '../units/index.js';

/** Screening volume in the primary's RTN frame: semi-axes, km. */
export interface ScreeningEllipsoidKm {
  readonly radialKm: number;
  readonly inTrackKm: number;
  readonly crossTrackKm: number;
}

/** Default screening window, days (CelesTrak SOCRATES, CARA: one week). */
export const DEFAULT_SCREENING_DAYS = 7;
/** Default miss-distance threshold, km (SOCRATES). */
export const DEFAULT_SCREENING_THRESHOLD_KM = 5;
/**
 * Default fine step of the candidate grid, s (tuned on the full 2023 catalog, 6 h on one thread,
 * cubic knots: 40 s 5.5 s, 60 s 4.9 s, 80 s 4.6 s, 120 s 7.0 s, longer steps meaning larger cells;
 * with quintic knots 72, 80, 96 and 100 s are equal within the machine's noise).
 */
export const DEFAULT_SCREENING_STEP_S = 80;
/** Default target of the Hermite interpolation error when choosing knot spacing, km. */
export const DEFAULT_INTERPOLATION_TARGET_KM = 0.5;
/**
 * Default maximum age of an element set at the window start, days: older sets are left out (with a
 * warning and a count). A month-old LEO set is already kilometres off in-track.
 */
export const DEFAULT_MAX_ELEMENT_AGE_DAYS = 30;
/** Default number of knot levels: blocks are step·2^levels long (80 s · 2^4 = 21 min: small blocks stay in cache). */
export const DEFAULT_KNOT_LEVELS = 4;

export interface ScreeningOptions {
  /** Window start (UTC). */
  readonly start: UtcJulianDate;
  /** Window length, days; default 7. */
  readonly durationDays?: number;
  /** Miss-distance threshold, km; default 5. Ignored when `ellipsoid` is given. */
  readonly thresholdKm?: number;
  /**
   * Screening ellipsoid in the primary's RTN frame. Screening uses the sphere of its largest
   * semi-axis; an event (reported at its TCA, the minimum of the distance) is kept when the
   * relative position enters the ellipsoid during the encounter, at TCA or before or after it
   * (the ellipsoid's metric has its own minimum, away from TCA when the relative velocity has a
   * component along a short axis).
   */
  readonly ellipsoid?: ScreeningEllipsoidKm;
  /**
   * Catalog numbers of the primaries (primaries-vs-all; one number = one-vs-all). Absent:
   * all-vs-all. Numbers not in the catalog are reported as warnings.
   */
  readonly primaries?: readonly string[];
  /**
   * With `primaries`: screen only pairs of a primary and a non-primary (primaries-vs-others), not
   * pairs of two primaries. For a set screened against another one (a simulated fragment cloud
   * against a catalog's payloads): the set's own members are not each other's concern. Default
   * false (primaries-vs-all).
   */
  readonly excludePrimaryPairs?: boolean;
  /** Fine step of the candidate grid, s; default DEFAULT_SCREENING_STEP_S (80). */
  readonly stepSeconds?: number;
  /** Knot levels: the largest knot spacing is step·2^levels; default DEFAULT_KNOT_LEVELS (4). */
  readonly knotLevels?: number;
  /**
   * Target of the interpolation error bound when choosing an object's knot spacing, km; default
   * DEFAULT_INTERPOLATION_TARGET_KM (0.5).
   */
  readonly interpolationTargetKm?: number;
  /**
   * Element sets older than this at the window start are left out (listed in `losses` as
   * 'element-set-too-old'), days; default DEFAULT_MAX_ELEMENT_AGE_DAYS (30); Infinity keeps all.
   */
  readonly maxElementAgeDays?: number;
}

/**
 * Why an object, or part of its window, was not screened:
 * - 'element-set-too-old': its element set is older than maxElementAgeDays at the window start;
 * - 'sgp4-init-failed': SGP4 initialisation failed (sgp4Code says why);
 * - 'sgp4-error': SGP4 failed at a knot inside the window (sgp4Code 1–5, Vallado's codes);
 * - 'decayed': SGP4 reported decay (code 6) or the state fell below the earth's surface;
 * - 'non-physical-state': the state left [6378, 1e5] km or exceeded 12 km/s;
 * - 'interpolation-bound': knot intervals whose interpolation error bound exceeded the limit
 *   (SGP4's velocity inconsistent with its positions: runaway drag terms of stale sets).
 * Past the first bad time the object is not screened wherever its intervals are unusable.
 */
export type ScreeningLossReason =
  | 'element-set-too-old'
  | 'sgp4-init-failed'
  | 'sgp4-error'
  | 'decayed'
  | 'non-physical-state'
  | 'interpolation-bound';

/** One object left out of (part of) the screening. */
export interface ScreeningObjectLoss {
  readonly catalogNumber: string;
  readonly name?: string;
  /** Index of the element set in the screened input. */
  readonly index: number;
  readonly reason: ScreeningLossReason;
  /** First time not screened (UTC), and in seconds from the window start (0: the whole window). */
  readonly firstBadTime: UtcJulianDate;
  readonly firstBadSecondsFromStart: number;
  /** SGP4 error code (Vallado: 1 eccentricity, 2 mean motion, 3 perturbed e, 4 semi-latus rectum, 6 decay), or null. */
  readonly sgp4Code: number | null;
  /** Knot intervals lost (0 when the whole object was left out). */
  readonly lostIntervals: number;
  /** Age of the element set at the window start, days (negative: epoch after the start). */
  readonly elementAgeDays: number;
}

/** Why a TCA refinement failed (refine-tca.ts status). */
export type RefineFailureReason = 'sgp4-error' | 'not-converged' | 'not-a-minimum';

/** A candidate minimum whose SGP4 refinement failed: a possible conjunction not assessed. */
export interface ScreeningRefineLoss {
  readonly primary: { readonly catalogNumber: string; readonly index: number };
  readonly secondary: { readonly catalogNumber: string; readonly index: number };
  /** The candidate's time (UTC), and in seconds from the window start. */
  readonly time: UtcJulianDate;
  readonly secondsFromStart: number;
  readonly reason: RefineFailureReason;
}

/** Everything screening left out, so that an all-clear never rests on silently missing data. */
export interface ScreeningLosses {
  /** By input index, then reason. */
  readonly objects: readonly ScreeningObjectLoss[];
  /** By time. */
  readonly refinements: readonly ScreeningRefineLoss[];
}

/** One object of a conjunction. */
export interface ConjunctionObject {
  readonly catalogNumber: string;
  readonly name?: string;
  /** Index of the element set in the screened input. */
  readonly index: number;
  /** Age of the element set at TCA, days (TCA − epoch). */
  readonly elementAgeDays: number;
  /** TEME position (km) and velocity (km/s) at TCA, from SGP4. */
  readonly rKm: readonly [number, number, number];
  readonly vKmS: readonly [number, number, number];
}

/** Miss vector (secondary − primary) in the primary's RTN frame, km. */
export interface MissRtnKm {
  readonly radial: Km;
  readonly inTrack: Km;
  readonly crossTrack: Km;
}

export interface Conjunction {
  /** The primary (a listed primary, else the lower catalog number). */
  readonly primary: ConjunctionObject;
  readonly secondary: ConjunctionObject;
  /** Time of closest approach (UTC). */
  readonly tca: UtcJulianDate;
  /** TCA in seconds from the window start. */
  readonly tcaSecondsFromStart: Seconds;
  readonly missKm: Km;
  readonly relativeSpeedKmS: KmPerSec;
  readonly missRtnKm: MissRtnKm;
  /** Probability of collision, filled in by the caller (pc module); null here. */
  readonly pc: number | null;
  /** How `pc` was computed (method, covariance source), filled in by the caller; null here. */
  readonly pcMethod: string | null;
}

/** Counters of one screening run, for diagnostics and benchmarks. */
export interface ScreeningStats {
  /** Objects in the input. */
  objects: number;
  /** Objects screened (after SGP4 initialisation and, with primaries, the perigee/apogee filter). */
  screened: number;
  /** Objects whose SGP4 initialisation failed (excluded). */
  initFailed: number;
  /** Objects whose element set is older than maxElementAgeDays at the window start (excluded). */
  tooOld: number;
  /** Objects whose element-set epoch is after the window start (screened, propagated backwards). */
  newerThanStart: number;
  /** Age at the window start of the oldest element set screened, days (NaN when none). */
  oldestAgeDays: number;
  /** Objects dropped by the perigee/apogee filter (primaries mode). */
  rangeFiltered: number;
  /** Grid steps and object-steps. */
  steps: number;
  objectSteps: number;
  /** SGP4 knot propagations. */
  knots: number;
  /**
   * Points examined in the grid (inside radial windows), pairs the grid reports (within the padded
   * spheres, radial pads and straight-line pads), pairs passing the linear test.
   */
  gridTests: number;
  padPairs: number;
  linearPairs: number;
  /** Pair-steps of slow pairs, searched on SGP4 itself. */
  slowPairs: number;
  /** Interpolated local minima refined with SGP4, and refinements that failed (SGP4 error, no convergence). */
  candidates: number;
  refineFailed: number;
  /** Knot intervals rejected as non-physical (interpolation bound above EPS_MAX_KM). */
  rejectedIntervals: number;
  /** Conjunctions before and after merging duplicates. */
  rawEvents: number;
  events: number;
}

export function emptyScreeningStats(): ScreeningStats {
  return {
    objects: 0,
    screened: 0,
    initFailed: 0,
    tooOld: 0,
    newerThanStart: 0,
    oldestAgeDays: Number.NaN,
    rangeFiltered: 0,
    steps: 0,
    objectSteps: 0,
    knots: 0,
    gridTests: 0,
    padPairs: 0,
    linearPairs: 0,
    slowPairs: 0,
    candidates: 0,
    refineFailed: 0,
    rejectedIntervals: 0,
    rawEvents: 0,
    events: 0,
  };
}

/** Adds the counters of `b` into `a` (objects and screened are per run, not summed). */
export function addScreeningStats(a: ScreeningStats, b: ScreeningStats): void {
  a.steps += b.steps;
  a.objectSteps += b.objectSteps;
  a.knots += b.knots;
  a.gridTests += b.gridTests;
  a.padPairs += b.padPairs;
  a.linearPairs += b.linearPairs;
  a.slowPairs += b.slowPairs;
  a.candidates += b.candidates;
  a.refineFailed += b.refineFailed;
  a.rejectedIntervals += b.rejectedIntervals;
  a.rawEvents += b.rawEvents;
}

export interface ScreeningResult {
  /** Conjunctions sorted by TCA. */
  readonly conjunctions: readonly Conjunction[];
  readonly stats: ScreeningStats;
  /** Non-fatal problems (unknown primaries, stale element sets), each with a string code. */
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  /** Objects, windows and candidates left out, each listed. */
  readonly losses: ScreeningLosses;
}

/** Options with defaults applied and validated. */
export interface ResolvedScreeningOptions {
  readonly start: UtcJulianDate;
  readonly windowSec: number;
  readonly thresholdKm: number;
  /** Radius of the screening sphere: the threshold or the ellipsoid's largest semi-axis. */
  readonly screenKm: number;
  readonly ellipsoid: ScreeningEllipsoidKm | null;
  readonly primaries: readonly string[] | null;
  readonly excludePrimaryPairs: boolean;
  readonly stepSec: number;
  readonly knotLevels: number;
  readonly interpolationTargetKm: number;
  readonly maxElementAgeDays: number;
}

function positive(name: string, v: number, max: number): number {
  if (!(Number.isFinite(v) && v > 0 && v <= max)) {
    throw new AstroError('SCREENING_OPTION', `screening option ${name} must be in (0, ${max}], got ${v}`, {
      key: name,
      expected: `(0, ${max}]`,
      found: v,
    });
  }
  return v;
}

/** Applies defaults and validates (`SCREENING_OPTION` errors name the key). */
export function resolveScreeningOptions(o: ScreeningOptions): ResolvedScreeningOptions {
  if (!(Number.isFinite(o.start?.jd) && Number.isFinite(o.start?.jdFrac))) {
    throw new AstroError('SCREENING_OPTION', 'screening option start must be a UTC two-part Julian date', {
      key: 'start',
      expected: '{ jd, jdFrac }',
      found: String(o.start),
    });
  }
  const days = positive('durationDays', o.durationDays ?? DEFAULT_SCREENING_DAYS, 366);
  const thresholdKm = positive('thresholdKm', o.thresholdKm ?? DEFAULT_SCREENING_THRESHOLD_KM, 1000);
  let ellipsoid: ScreeningEllipsoidKm | null = null;
  if (o.ellipsoid !== undefined) {
    positive('ellipsoid.radialKm', o.ellipsoid.radialKm, 1000);
    positive('ellipsoid.inTrackKm', o.ellipsoid.inTrackKm, 1000);
    positive('ellipsoid.crossTrackKm', o.ellipsoid.crossTrackKm, 1000);
    ellipsoid = { ...o.ellipsoid };
  }
  const screenKm =
    ellipsoid === null
      ? thresholdKm
      : Math.max(ellipsoid.radialKm, ellipsoid.inTrackKm, ellipsoid.crossTrackKm);
  const stepSec = positive('stepSeconds', o.stepSeconds ?? DEFAULT_SCREENING_STEP_S, 600);
  const knotLevels = o.knotLevels ?? DEFAULT_KNOT_LEVELS;
  if (!(Number.isInteger(knotLevels) && knotLevels >= 0 && knotLevels <= 12)) {
    throw new AstroError(
      'SCREENING_OPTION',
      `screening option knotLevels must be an integer in [0, 12], got ${knotLevels}`,
      {
        key: 'knotLevels',
        expected: '0..12',
        found: knotLevels,
      },
    );
  }
  const interpolationTargetKm = positive(
    'interpolationTargetKm',
    o.interpolationTargetKm ?? DEFAULT_INTERPOLATION_TARGET_KM,
    10,
  );
  const maxAge = o.maxElementAgeDays ?? DEFAULT_MAX_ELEMENT_AGE_DAYS;
  const maxElementAgeDays =
    maxAge === Number.POSITIVE_INFINITY ? maxAge : positive('maxElementAgeDays', maxAge, 36525);
  return {
    start: { jd: o.start.jd, jdFrac: o.start.jdFrac },
    windowSec: days * 86400,
    thresholdKm,
    screenKm,
    ellipsoid,
    primaries: o.primaries === undefined ? null : [...o.primaries],
    excludePrimaryPairs: o.primaries !== undefined && o.excludePrimaryPairs === true,
    stepSec,
    knotLevels,
    interpolationTargetKm,
    maxElementAgeDays,
  };
}
