/**
 * Reentry prediction: numerical propagation of the last element set's state (SGP4 TEME at epoch →
 * GCRF) with the reentry force model and the estimated ballistic coefficient, until the geodetic
 * height falls through the reentry altitude (DOP853 event detection).
 *
 * Altitudes: the entry interface is 120 km (where drag starts to dominate, domain.md §4.1 step 5);
 * the reported reentry epoch is the crossing of `reentryAltitudeKm`, 80 km by default, the nominal
 * break-up altitude used by ESA and the Aerospace Corporation and written as REENTRY_ALTITUDE in
 * the RDM. 18 SDS TIP messages do not state their altitude convention; the 120 → 80 km descent lasts
 * minutes, far inside any window.
 *
 * Window (CCSDS 508.1-B-1 Annex G; Pardini & Anselmo 2017, domain.md §4.1 step 4): 1σ = 20 % of the
 * remaining time T (prediction epoch = the last set's epoch → nominal reentry). The displayed window
 * is ±20 % of T, widened to ±25 % when T < 48 h (the observed errors grow in the last two days) and
 * to ±30 % when the propagation rested on predicted or held space weather (forecast error
 * dominates, domain.md §4.4).
 *
 * Ground track over the window: geodetic latitude and longitude (WGS-84, through ITRF). Up to the
 * nominal epoch the samples are the propagated trajectory; after it the object has no trajectory,
 * and the track continues on a circular orbit of the reentry altitude in the final orbital plane
 * (point mass + J2), i.e. where the object would pass had it stayed up: the samples a TIP-style
 * ground track over the window shows. Those samples are marked `afterNominal`.
 *
 * Impact point uncertainty: along track, σ = 1σ of the epoch × the ground speed at reentry; across
 * track 20 km (1σ, CCSDS 508.1-B-1 Annex G). Debris dispersion down to the ground is not modelled.
 */

import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { applyFrameTransform, frameTransform } from '../frames/frame-graph.js';
import { itrfToGeodeticArray } from '../frames/geodetic.js';
import { makeState, type State } from '../frames/state.js';
import type { Vec3 } from '../math/vec3.js';
import { EGM96_GM_KM3_S2, J2Gravity, PointMassGravity } from '../numerical/gravity-forces.js';
import { propagateNumerical } from '../numerical/propagate.js';
import type { Instant } from '../time/instant.js';
import {
  type BallisticCoefficientEstimate,
  type BallisticCoefficientOptions,
  estimateBallisticCoefficient,
  sortedHistory,
} from './ballistic-coefficient.js';
import { ElementSetOrbit, gcrfToItrfRotation, heightKmWith } from './element-state.js';
import {
  type ReentryEnvironment,
  type ReentryWarning,
  ReentryWarnings,
  reentryDensity,
  reentryForces,
} from './reentry-environment.js';

/** Entry interface altitude, km. */
export const ENTRY_INTERFACE_KM = 120;
/** Default reentry (nominal break-up) altitude, km. */
export const REENTRY_ALTITUDE_KM = 80;
/** 1σ of the reentry epoch as a fraction of the remaining time (CCSDS 508.1-B-1 Annex G). */
export const REENTRY_SIGMA_FRACTION = 0.2;
/** Window half-width inside 48 h (Pardini & Anselmo 2017: 90 % needs ±25 % in the last days). */
export const REENTRY_LATE_WINDOW_FRACTION = 0.25;
/** Window half-width when space weather was predicted or held (≥ 95 % needs ±30 %). */
export const REENTRY_FORECAST_WINDOW_FRACTION = 0.3;
/** Cross-track 1σ of the impact point, km (CCSDS 508.1-B-1 Annex G). */
export const REENTRY_CROSS_TRACK_SIGMA_KM = 20;

const LATE_S = 48 * 3600;

/** Options of `predictReentry`. */
export interface ReentryOptions extends BallisticCoefficientOptions {
  /** Use this B = C_D·A/m (m²/kg) instead of estimating it. */
  readonly ballisticCoefficientM2Kg?: number;
  /** Reentry altitude, km (default 80). */
  readonly reentryAltitudeKm?: number;
  /** Longest propagation, days (default 120). */
  readonly maxDays?: number;
  /** Most ground-track samples (default 2000; the step is at least 30 s). */
  readonly groundTrackSamples?: number;
}

/** Ground track over the window, columnar. */
export interface ReentryGroundTrack {
  /** Seconds after the nominal reentry epoch (negative before). */
  readonly tFromNominalS: Float64Array;
  readonly latRad: Float64Array;
  readonly lonRad: Float64Array;
  readonly heightKm: Float64Array;
  /** 1 where the sample continues the track after the nominal epoch on a circular orbit. */
  readonly afterNominal: Uint8Array;
}

/** A reentry prediction. */
export interface ReentryPrediction {
  readonly catalogNumber: string;
  readonly objectName: string | undefined;
  readonly intlDesignator: string | undefined;
  /** The last element set's epoch: the prediction's information time. */
  readonly elementEpoch: Instant;
  readonly ballistic: BallisticCoefficientEstimate;
  readonly reentryAltitudeKm: number;
  /** Crossing of the reentry altitude (the nominal reentry epoch). */
  readonly reentryEpoch: Instant;
  /** Crossing of the 120 km entry interface. */
  readonly interfaceEpoch: Instant | undefined;
  /** Nominal reentry − element epoch, s. */
  readonly remainingS: number;
  /** 1σ of the epoch, s. */
  readonly sigmaS: number;
  /** Window half-width as a fraction of the remaining time (0.20, 0.25 or 0.30). */
  readonly windowFraction: number;
  readonly windowStart: Instant;
  readonly windowEnd: Instant;
  /** Sub-point at the nominal epoch (WGS-84) and the height of the event, km. */
  readonly impactLatRad: number;
  readonly impactLonRad: number;
  /** Ground speed at reentry, km/s; along-track 1σ and window extent, km. */
  readonly groundSpeedKmS: number;
  readonly alongTrackSigmaKm: number;
  readonly alongTrackWindowKm: number;
  readonly crossTrackSigmaKm: number;
  /** Direction of the track at reentry. */
  readonly direction: 'ascending' | 'descending';
  /** GCRF state at the nominal epoch. */
  readonly finalState: State<'GCRF'>;
  readonly groundTrack: ReentryGroundTrack;
  /** True when predicted or held space weather was used. */
  readonly forecastSpaceWeather: boolean;
  readonly warnings: readonly ReentryWarning[];
}

/**
 * Predicts the reentry of one object from its element-set history (see the module header).
 * Throws `REENTRY_NOT_WITHIN_HORIZON` when the object stays above the reentry altitude for
 * `maxDays`, the estimator's errors, and `REENTRY_SPACE_WEATHER_BEYOND_TABLE` (refusal mode).
 */
export function predictReentry(
  history: readonly ElementSet[],
  env: ReentryEnvironment,
  options: ReentryOptions = {},
): ReentryPrediction {
  const sets = sortedHistory(history);
  const last = sets[sets.length - 1]!;
  const warnings = new ReentryWarnings();
  let ballistic: BallisticCoefficientEstimate;
  if (options.ballisticCoefficientM2Kg !== undefined) {
    const b = options.ballisticCoefficientM2Kg;
    if (!(b > 0) || !Number.isFinite(b)) {
      throw new AstroError(
        'REENTRY_BAD_INPUT',
        'the ballistic coefficient must be a positive number (m²/kg)',
        {
          expected: '> 0',
          found: b,
        },
      );
    }
    ballistic = { bM2Kg: b, spreadM2Kg: undefined, method: 'pairs', pairs: [], warnings: [] };
  } else {
    ballistic = estimateBallisticCoefficient(sets, env, options);
  }
  for (const w of ballistic.warnings) warnings.add(w.code, w.message);
  const altKm = options.reentryAltitudeKm ?? REENTRY_ALTITUDE_KM;
  const orbit = new ElementSetOrbit(last, env.context);
  const epoch = orbit.epoch;
  const rot = gcrfToItrfRotation(epoch, env.context);
  const scratch: Vec3 = [0, 0, 0];
  const maxS = (options.maxDays ?? 120) * 86400;
  const run = propagateNumerical(
    { epoch, state: orbit.stateAt(0) },
    reentryForces(env, ballistic.bM2Kg, reentryDensity(env, warnings)),
    [maxS],
    {
      context: env.context,
      relTol: options.relTol ?? 1e-10,
      absTolKm: 1e-6,
      absTolKmS: 1e-9,
      maxStepS: 600,
      events: [
        {
          name: 'interface',
          g: (_t, y) => heightKmWith(rot, y[0]!, y[1]!, y[2]!, scratch) - ENTRY_INTERFACE_KM,
          direction: -1,
        },
        {
          name: 'reentry',
          g: (_t, y) => heightKmWith(rot, y[0]!, y[1]!, y[2]!, scratch) - altKm,
          direction: -1,
          terminal: true,
        },
      ],
    },
  );
  const hit = run.events.find((e) => e.name === 'reentry');
  if (hit === undefined || run.trajectory === undefined) {
    throw new AstroError(
      'REENTRY_NOT_WITHIN_HORIZON',
      `object ${last.catalogNumber} stays above ${altKm} km for ${(maxS / 86400).toFixed(0)} days`,
      { expected: `reentry within ${options.maxDays ?? 120} days`, found: 'none' },
    );
  }
  const iface = run.events.find((e) => e.name === 'interface' && e.tS <= hit.tS);
  const remainingS = hit.tS;
  const forecast = warnings.has('SPACE_WEATHER_PREDICTED') || warnings.has('SPACE_WEATHER_HELD');
  const windowFraction = forecast
    ? REENTRY_FORECAST_WINDOW_FRACTION
    : remainingS < LATE_S
      ? REENTRY_LATE_WINDOW_FRACTION
      : REENTRY_SIGMA_FRACTION;
  const half = windowFraction * remainingS;
  const sigmaS = REENTRY_SIGMA_FRACTION * remainingS;
  const reentryEpoch = epoch.plusSeconds(remainingS);

  // Ground track.
  const nMax = options.groundTrackSamples ?? 2000;
  const stepS = Math.max(30, (2 * half) / nMax);
  const n = Math.floor((2 * half) / stepS) + 1;
  const track: ReentryGroundTrack = {
    tFromNominalS: new Float64Array(n),
    latRad: new Float64Array(n),
    lonRad: new Float64Array(n),
    heightKm: new Float64Array(n),
    afterNominal: new Uint8Array(n),
  };
  const after = circularContinuation(hit.state, reentryEpoch, half, stepS, env);
  const r: Vec3 = [0, 0, 0];
  const v: Vec3 = [0, 0, 0];
  const g: Vec3 = [0, 0, 0];
  for (let k = 0; k < n; k++) {
    const dt = -half + k * stepS;
    track.tFromNominalS[k] = dt;
    let s: State<'GCRF'>;
    if (dt <= 0) {
      s = run.trajectory.stateAt(remainingS + dt);
    } else {
      s = after(dt);
      track.afterNominal[k] = 1;
    }
    const ft = frameTransform('GCRF', 'ITRF', frameEpochAt(reentryEpoch.plusSeconds(dt), env.context));
    applyFrameTransform(ft, s.rKm, s.vKmS, r, v);
    itrfToGeodeticArray(r, g);
    track.latRad[k] = g[0];
    track.lonRad[k] = g[1];
    track.heightKm[k] = g[2];
  }
  const ftEnd = frameTransform('GCRF', 'ITRF', frameEpochAt(reentryEpoch, env.context));
  applyFrameTransform(ftEnd, hit.state.rKm, hit.state.vKmS, r, v);
  itrfToGeodeticArray(r, g);
  const rn = Math.hypot(r[0], r[1], r[2]);
  // Ground speed: horizontal Earth-fixed velocity scaled to the surface.
  const vr = (v[0] * r[0] + v[1] * r[1] + v[2] * r[2]) / rn;
  const vh = Math.sqrt(Math.max(0, v[0] ** 2 + v[1] ** 2 + v[2] ** 2 - vr * vr));
  const groundSpeed = (vh * (rn - g[2])) / rn;
  return {
    catalogNumber: last.catalogNumber,
    objectName: last.name,
    intlDesignator: last.intlDesignator,
    elementEpoch: epoch,
    ballistic,
    reentryAltitudeKm: altKm,
    reentryEpoch,
    interfaceEpoch: iface === undefined ? undefined : epoch.plusSeconds(iface.tS),
    remainingS,
    sigmaS,
    windowFraction,
    windowStart: reentryEpoch.plusSeconds(-half),
    windowEnd: reentryEpoch.plusSeconds(half),
    impactLatRad: g[0],
    impactLonRad: g[1],
    groundSpeedKmS: groundSpeed,
    alongTrackSigmaKm: groundSpeed * sigmaS,
    alongTrackWindowKm: groundSpeed * 2 * half,
    crossTrackSigmaKm: REENTRY_CROSS_TRACK_SIGMA_KM,
    direction: v[2] >= 0 ? 'ascending' : 'descending',
    finalState: hit.state,
    groundTrack: track,
    forecastSpaceWeather: forecast,
    warnings: warnings.list,
  };
}

/** States after the nominal epoch on a circular orbit of the same radius and plane (point mass + J2). */
function circularContinuation(
  s: State<'GCRF'>,
  t0: Instant,
  spanS: number,
  stepS: number,
  env: ReentryEnvironment,
): (dtS: number) => State<'GCRF'> {
  const [x, y, z] = s.rKm;
  const rn = Math.hypot(x, y, z);
  const u: Vec3 = [x / rn, y / rn, z / rn];
  const vr = s.vKmS[0] * u[0] + s.vKmS[1] * u[1] + s.vKmS[2] * u[2];
  const h: Vec3 = [s.vKmS[0] - vr * u[0], s.vKmS[1] - vr * u[1], s.vKmS[2] - vr * u[2]];
  const hn = Math.hypot(h[0], h[1], h[2]);
  const vc = Math.sqrt(EGM96_GM_KM3_S2 / rn);
  const start = makeState('GCRF', [x, y, z], [(h[0] / hn) * vc, (h[1] / hn) * vc, (h[2] / hn) * vc]);
  const end = Math.max(spanS, stepS);
  const run = propagateNumerical(
    { epoch: t0, state: start },
    [new PointMassGravity(), new J2Gravity()],
    [end],
    {
      context: env.context,
      relTol: 1e-10,
      absTolKm: 1e-6,
      absTolKmS: 1e-9,
    },
  );
  const traj = run.trajectory!;
  return (dtS: number) => traj.stateAt(Math.min(dtS, end));
}
