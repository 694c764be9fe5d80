/**
 * Orbit determination from satellite laser ranging (SLR) normal points: the measurement model of a
 * two-way laser range for `fitNumericalOrbit`, and `fitSlrOrbit`, the whole fit from parsed
 * measurements and stations (what `hoshimi od --obs X.npt --stations SLRF.snx ecc.snx` needs).
 *
 * The computed range of a normal point (one-way equivalent, as stored in Measurement; Montenbruck &
 * Gill, "Satellite Orbits", §6.2.2; IERS TN 36 §9.2 and §11):
 *   ρ_c = c·(τ_up + τ_down)/2 + Δ_tropo + Δ_Shapiro − Δ_CoM + b_station
 * - Station: ITRF reference point (SINEX position; its velocity applied or not, see
 *   `stationVelocity`), plus the UNE eccentricity rotated with the geodetic axes, plus the degree-2
 *   solid-tide displacement at the time tag (slr-range.ts). Turned to GCRF by the frame graph at
 *   each leg's own instant (the Earth turns by ~3 µrad during the flight).
 * - Light time in GCRF (Newtonian, iterated to 1e-12 s). Transmit-tagged points (CRD epoch event
 *   2): the up leg |r_sat(t_b) − r_sta(t_t)| = c·τ_up with t_b = t_t + τ_up, then the down leg
 *   |r_sta(t_b + τ_down) − r_sat(t_b)| = c·τ_down. Receive-tagged points solve the down leg first,
 *   backwards. The satellite at t_b comes from its state at the time tag by a second-order Taylor
 *   step with the point-mass acceleration (|t_b − t_tag| ≈ 40 ms for LAGEOS; the neglected J₂ term
 *   moves it by ~10⁻⁹ km).
 * - Troposphere: Mendes–Pavlis with the FCUL mapping at the elevation of the up leg, with the
 *   normal point's meteo and wavelength (standard meteo and 532 nm when absent).
 * - Shapiro delay of the Earth, averaged over the two legs. Centre of mass: the retroreflectors are
 *   `centerOfMassKm` closer to the station than the centre of mass (0.251 m for LAGEOS), so it is
 *   subtracted from the computed range (Orekit's harness adds it; with a range bias estimated per
 *   station either sign gives the same orbit and shifts only the biases).
 * - Range bias per station (`range-bias:<station>`, km), estimated as a measurement parameter.
 *
 * Partials: ∂ρ/∂r at the bounce time is the mean of the two legs' unit vectors (light-time
 * coupling, of order v/c, neglected); chained to the state at the time tag with the Taylor step,
 * ∂r(t_b)/∂(r, v)(t_tag) = [I, (t_b − t_tag)·I]. The fit chains them further with the STM.
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import { AstroError } from '../errors.js';
import { type FrameTransform, frameTransform, newFrameTransform } from '../frames/frame-graph.js';
import { itrfToGeodeticArray } from '../frames/geodetic.js';
import type { State } from '../frames/state.js';
import type { Vec3 } from '../math/vec3.js';
import type { Ephemeris } from '../numerical/ephemeris.js';
import type { ForceModel } from '../numerical/force-model.js';
import type { NumericalPropagationOptions } from '../numerical/propagate.js';
import type { GroundStation, Measurement, Meteo } from '../observations/observation.js';
import type { Instant } from '../time/instant.js';
import type { LeastSquaresOptions, LeastSquaresResidual } from './least-squares.js';
import {
  fitNumericalOrbit,
  type NumericalMeasurementModel,
  type NumericalOrbitFit,
  type OdParameter,
} from './numerical-od.js';
import {
  C_KM_S,
  enuAxes,
  mendesPavlisDelayKm,
  shapiroDelayKm,
  solidTideDisplacementKm,
} from './slr-range.js';

/** Centre-of-mass correction of LAGEOS-1 and -2, km (0.251 m; ILRS, Orekit's LAGEOS-2 test). */
export const LAGEOS_CENTER_OF_MASS_KM = 0.251e-3;
/** Default a-priori 1σ of a station range bias, km (see FitSlrOrbitInput). */
export const SLR_BIAS_APRIORI_SIGMA_KM = 1;
/** Default laser wavelength, nm (frequency-doubled Nd:YAG). */
export const DEFAULT_SLR_WAVELENGTH_NM = 532;
/** Earth GM for the light-time Taylor step, km³/s². */
const GM_KM3_S2 = 398600.4418;
const DAYS_PER_JULIAN_YEAR = 365.25;
const LIGHT_TIME_TOLERANCE_S = 1e-12;

/** Options of `slrRangeModel`. */
export interface SlrRangeModelOptions {
  /** Leap seconds and EOP for the station's ITRF → GCRF transform. */
  readonly context: AstroContext;
  /** Stations by the name the measurements use (e.g. '7090'). */
  readonly stations: ReadonlyMap<string, GroundStation>;
  /** Sun and Moon for the solid tides (required when `solidTides` is on). */
  readonly ephemeris?: Ephemeris;
  /**
   * Apply the SINEX station velocity from its reference epoch (default false: the position at the
   * reference epoch as given, as Orekit's LAGEOS-2 harness does).
   */
  readonly stationVelocity?: boolean;
  /** Solid-tide station displacement (default true). */
  readonly solidTides?: boolean;
  /** Mendes–Pavlis troposphere (default true). */
  readonly troposphere?: boolean;
  /** Shapiro delay (default true). */
  readonly shapiro?: boolean;
  /** Centre-of-mass correction subtracted from the computed range, km (default 0). */
  readonly centerOfMassKm?: number;
  /** Prefix of the range-bias parameter names (default 'range-bias:'). */
  readonly biasPrefix?: string;
}

/** The name of a station's range-bias parameter. */
export function slrBiasName(station: string, prefix = 'range-bias:'): string {
  return `${prefix}${station}`;
}

/** Per-station constants: Earth-fixed position at the reference epoch with the eccentricity. */
interface StationFixed {
  readonly itrfKm: Vec3;
  readonly velocityKmPerS: Vec3 | undefined;
  readonly referenceEpoch: Instant | undefined;
  readonly latRad: number;
  readonly lonRad: number;
  readonly heightM: number;
  /** East, north, up rows in ITRF. */
  readonly enu: number[];
}

function fixStation(st: GroundStation, velocity: boolean): StationFixed {
  const g: Vec3 = [0, 0, 0];
  itrfToGeodeticArray(st.itrfKm, g);
  const enu = enuAxes(g[0], g[1]);
  const r: Vec3 = [st.itrfKm[0], st.itrfKm[1], st.itrfKm[2]];
  const ecc = st.eccentricityUneKm;
  if (ecc !== undefined) {
    const [u, n, e] = ecc;
    for (let k = 0; k < 3; k++) r[k] = r[k]! + e * enu[k]! + n * enu[3 + k]! + u * enu[6 + k]!;
  }
  const v = st.velocityKmPerYear;
  const perS = 1 / (DAYS_PER_JULIAN_YEAR * 86400);
  return {
    itrfKm: r,
    velocityKmPerS: velocity && v !== undefined ? [v[0] * perS, v[1] * perS, v[2] * perS] : undefined,
    referenceEpoch: st.referenceEpoch,
    latRad: g[0],
    lonRad: g[1],
    heightM: g[2] * 1000,
    enu,
  };
}

/** ICAO standard atmosphere at a height, 50 % humidity (when a normal point has no meteo). */
function standardMeteo(heightM: number): Meteo {
  const h = Math.max(-500, Math.min(heightM, 11000));
  return {
    pressureHpa: 1013.25 * (1 - 2.2557e-5 * h) ** 5.2559,
    temperatureK: 288.15 - 0.0065 * h,
    humidityPercent: 50,
  };
}

const mulVec = (m: readonly number[], v: readonly number[], out: Vec3): Vec3 => {
  const x = v[0]!;
  const y = v[1]!;
  const z = v[2]!;
  out[0] = m[0]! * x + m[1]! * y + m[2]! * z;
  out[1] = m[3]! * x + m[4]! * y + m[5]! * z;
  out[2] = m[6]! * x + m[7]! * y + m[8]! * z;
  return out;
};

/** One evaluation of the SLR range, with its parts (km) for residual reports. */
export interface SlrRangeDetail {
  /** Computed one-way-equivalent range, km (everything included). */
  readonly rangeKm: number;
  /** c·(τ_up + τ_down)/2, km. */
  readonly geometricKm: number;
  readonly troposphereKm: number;
  readonly shapiroKm: number;
  /** Elevation of the up leg at the station, rad. */
  readonly elevationRad: number;
  /** Bounce time minus time tag, s. */
  readonly bounceOffsetS: number;
  /** ∂ρ/∂r at the bounce time (GCRF unit vector average). */
  readonly dRangeDr: Vec3;
}

/**
 * The computed SLR range of `measurement` (kind 'range', two-way) given the satellite's GCRF state
 * at the measurement's time tag, without the range bias. Throws `OD_BAD_INPUT` for an unknown
 * station or another kind, and the context's time and EOP errors.
 */
export function slrRange(
  measurement: Measurement,
  state: State<'GCRF'>,
  options: SlrRangeModelOptions,
): SlrRangeDetail {
  return computeSlrRange(measurement, state, options, new Map());
}

function computeSlrRange(
  measurement: Measurement,
  state: State<'GCRF'>,
  options: SlrRangeModelOptions,
  cache: Map<string, StationFixed>,
): SlrRangeDetail {
  if (measurement.kind !== 'range') {
    throw new AstroError('OD_BAD_INPUT', 'the SLR model computes ranges only', { kind: measurement.kind });
  }
  const name = measurement.station;
  let fixed = cache.get(name);
  if (fixed === undefined) {
    const st = options.stations.get(name);
    if (st === undefined) {
      throw new AstroError('OD_BAD_INPUT', `no station '${name}' in the stations given`, {
        station: name,
        known: [...options.stations.keys()].slice(0, 20).join(','),
      });
    }
    fixed = fixStation(st, options.stationVelocity ?? false);
    cache.set(name, fixed);
  }
  const ctx = options.context;
  const tag = measurement.epoch;
  const tr: FrameTransform = newFrameTransform();
  frameTransform('ITRF', 'GCRF', frameEpochAt(tag, ctx), tr);
  // Earth-fixed station at the time tag.
  const sItrf: Vec3 = [fixed.itrfKm[0], fixed.itrfKm[1], fixed.itrfKm[2]];
  if (fixed.velocityKmPerS !== undefined && fixed.referenceEpoch !== undefined) {
    const dt = tag.secondsSince(fixed.referenceEpoch);
    for (let k = 0; k < 3; k++) sItrf[k] = sItrf[k]! + fixed.velocityKmPerS[k]! * dt;
  }
  if (options.solidTides ?? true) {
    const eph = options.ephemeris;
    if (eph === undefined) {
      throw new AstroError('OD_BAD_INPUT', 'solid tides need an ephemeris of the Sun and the Moon', {});
    }
    const [jd, jf] = tag.ttJulianDate();
    const sun: Vec3 = [0, 0, 0];
    const moon: Vec3 = [0, 0, 0];
    eph.positionKm('SUN', jd, jf, sun);
    eph.positionKm('MOON', jd, jf, moon);
    // GCRF → ITRF is the transpose of the rotation.
    const rt = tr.rotation;
    const tT = [rt[0], rt[3], rt[6], rt[1], rt[4], rt[7], rt[2], rt[5], rt[8]];
    solidTideDisplacementKm(
      [sItrf[0], sItrf[1], sItrf[2]],
      mulVec(tT, sun, sun),
      mulVec(tT, moon, moon),
      sItrf,
    );
  }
  const stationAt = (t: Instant, out: Vec3): Vec3 => {
    const m = frameTransform('ITRF', 'GCRF', frameEpochAt(t, ctx), tr);
    return mulVec(m.rotation, sItrf, out);
  };
  // Satellite at tag + dt (second-order Taylor step).
  const r0 = state.rKm;
  const v0 = state.vKmS;
  const rr = Math.hypot(r0[0], r0[1], r0[2]);
  const g = -GM_KM3_S2 / (rr * rr * rr);
  const satAt = (dt: number, out: Vec3): Vec3 => {
    for (let k = 0; k < 3; k++) out[k] = r0[k]! + v0[k]! * dt + 0.5 * g * r0[k]! * dt * dt;
    return out;
  };
  const sign = measurement.timeTag === 'transmit' ? 1 : -1;
  // First leg: station fixed at the tag, satellite at tag + sign·τ1.
  const s0: Vec3 = [0, 0, 0];
  stationAt(tag, s0);
  const sat: Vec3 = [0, 0, 0];
  let tau1 = Math.hypot(r0[0] - s0[0], r0[1] - s0[1], r0[2] - s0[2]) / C_KM_S;
  for (let i = 0; i < 10; i++) {
    satAt(sign * tau1, sat);
    const next = Math.hypot(sat[0] - s0[0], sat[1] - s0[1], sat[2] - s0[2]) / C_KM_S;
    const done = Math.abs(next - tau1) < LIGHT_TIME_TOLERANCE_S;
    tau1 = next;
    if (done) break;
  }
  satAt(sign * tau1, sat);
  const bounce = tag.plusSeconds(sign * tau1);
  // Second leg: satellite fixed at the bounce, station at bounce + sign·τ2.
  const s2: Vec3 = [0, 0, 0];
  let tau2 = tau1;
  for (let i = 0; i < 10; i++) {
    stationAt(bounce.plusSeconds(sign * tau2), s2);
    const next = Math.hypot(sat[0] - s2[0], sat[1] - s2[1], sat[2] - s2[2]) / C_KM_S;
    const done = Math.abs(next - tau2) < LIGHT_TIME_TOLERANCE_S;
    tau2 = next;
    if (done) break;
  }
  const rho1 = C_KM_S * tau1;
  const rho2 = C_KM_S * tau2;
  const geometric = (rho1 + rho2) / 2;
  const u1: Vec3 = [(sat[0] - s0[0]) / rho1, (sat[1] - s0[1]) / rho1, (sat[2] - s0[2]) / rho1];
  const u2: Vec3 = [(sat[0] - s2[0]) / rho2, (sat[1] - s2[1]) / rho2, (sat[2] - s2[2]) / rho2];
  // Elevation of the first leg: the up axis (ITRF) turned to GCRF at the tag.
  const up: Vec3 = [0, 0, 0];
  frameTransform('ITRF', 'GCRF', frameEpochAt(tag, ctx), tr);
  mulVec(tr.rotation, fixed.enu.slice(6, 9), up);
  const elevation = Math.asin(Math.max(-1, Math.min(1, up[0] * u1[0] + up[1] * u1[1] + up[2] * u1[2])));
  let tropo = 0;
  if (options.troposphere ?? true) {
    const meteo = measurement.meteo ?? standardMeteo(fixed.heightM);
    tropo = mendesPavlisDelayKm(
      elevation,
      fixed.latRad,
      fixed.heightM,
      meteo,
      measurement.wavelengthNm ?? DEFAULT_SLR_WAVELENGTH_NM,
    );
  }
  let shapiro = 0;
  if (options.shapiro ?? true) {
    const rs = Math.hypot(sat[0], sat[1], sat[2]);
    shapiro =
      (shapiroDelayKm(Math.hypot(s0[0], s0[1], s0[2]), rs, rho1) +
        shapiroDelayKm(Math.hypot(s2[0], s2[1], s2[2]), rs, rho2)) /
      2;
  }
  const com = options.centerOfMassKm ?? 0;
  return {
    rangeKm: geometric + tropo + shapiro - com,
    geometricKm: geometric,
    troposphereKm: tropo,
    shapiroKm: shapiro,
    elevationRad: elevation,
    bounceOffsetS: sign * tau1,
    dRangeDr: [(u1[0] + u2[0]) / 2, (u1[1] + u2[1]) / 2, (u1[2] + u2[2]) / 2],
  };
}

/**
 * The measurement callback of `fitNumericalOrbit` for two-way SLR ranges (module header), with a
 * range bias per station named `slrBiasName(station)` when that parameter is estimated.
 */
export function slrRangeModel(options: SlrRangeModelOptions): NumericalMeasurementModel {
  const cache = new Map<string, StationFixed>();
  const prefix = options.biasPrefix ?? 'range-bias:';
  return (measurement, state, _epoch, parameters) => {
    const d = computeSlrRange(measurement, state, options, cache);
    const biasName = slrBiasName(measurement.station, prefix);
    const bias = parameters[biasName];
    const dt = d.bounceOffsetS;
    const u = d.dRangeDr;
    return {
      values: [d.rangeKm + (bias ?? 0)],
      dState: [u[0], u[1], u[2], u[0] * dt, u[1] * dt, u[2] * dt],
      ...(bias === undefined ? {} : { dParameters: { [biasName]: [1] } }),
    };
  };
}

/** Input of `fitSlrOrbit`. */
export interface FitSlrOrbitInput {
  /** Two-way range measurements (e.g. `measurementsFromCrd`); other kinds are refused. */
  readonly measurements: readonly Measurement[];
  /** Stations by the name the measurements use (e.g. `sinexStations`). */
  readonly stations: ReadonlyMap<string, GroundStation>;
  readonly context: AstroContext;
  /** Sun and Moon (third-body forces and solid tides). */
  readonly ephemeris: Ephemeris;
  /** The forces of the propagator. */
  readonly forceModels: readonly ForceModel[];
  /** Epoch of the estimated state and the first guess there (GCRF km, km/s). */
  readonly epoch: Instant;
  readonly initialState: State<'GCRF'>;
  readonly options?: {
    /** Estimate a range bias per station (default true). */
    readonly estimateRangeBias?: boolean;
    /**
     * A-priori 1σ of each range bias about 0, km (default SLR_BIAS_APRIORI_SIGMA_KM, 1 km: no
     * real constraint, but it keeps a bias defined when every point of its station is edited out).
     */
    readonly rangeBiasAprioriSigmaKm?: number;
    /**
     * One σ given to every range, km (default: each measurement's own σ). Equal weights (e.g. 20 m
     * as Orekit's LAGEOS-2 case) suit normal points whose bin RMS is far below the model error.
     */
    readonly rangeSigmaKm?: number;
    /** Model options other than context, stations and ephemeris. */
    readonly model?: Omit<SlrRangeModelOptions, 'context' | 'stations' | 'ephemeris'>;
    /** Propagator options (context and ephemeris are set from the input). */
    readonly propagation?: Omit<
      NumericalPropagationOptions,
      'stm' | 'keepDense' | 'events' | 'context' | 'ephemeris'
    >;
    readonly leastSquares?: LeastSquaresOptions;
  };
}

/** Residual statistics of one station, metres. */
export interface SlrStationStatistics {
  readonly station: string;
  readonly count: number;
  readonly rejected: number;
  readonly meanM: number;
  readonly rmsM: number;
  /** Estimated range bias, m (absent when not estimated). */
  readonly biasM?: number;
  readonly biasSigmaM?: number;
}

/** One residual, metres. */
export interface SlrResidual {
  readonly index: number;
  readonly station: string;
  readonly epoch: Instant;
  /** Computed − observed, m. */
  readonly residualM: number;
  readonly rejected: boolean;
}

/** Result of `fitSlrOrbit`. */
export interface SlrOrbitFit {
  readonly epoch: Instant;
  /** Estimated GCRF state at the epoch (km, km/s). */
  readonly state: State<'GCRF'>;
  /** Formal 6×6 covariance (km, km/s), row-major; `scaledCovariance` with the variance factor. */
  readonly covariance: Float64Array;
  readonly scaledCovariance: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** Every measurement's residual, in input order. */
  readonly residuals: readonly SlrResidual[];
  /** Residual statistics of all used ranges (m): count, rejected, mean, RMS, sample std, min, max. */
  readonly statistics: {
    readonly count: number;
    readonly rejected: number;
    readonly meanM: number;
    readonly rmsM: number;
    readonly stdM: number;
    readonly minM: number;
    readonly maxM: number;
  };
  readonly stations: readonly SlrStationStatistics[];
  /** The underlying numerical fit (all parameters, history). */
  readonly fit: NumericalOrbitFit;
}

/**
 * Fits an orbit to SLR normal points: the state at `epoch` and (by default) one range bias per
 * station, with `slrRangeModel`. Throws `OD_BAD_INPUT` for measurements that are not two-way
 * ranges or name unknown stations, and the errors of `fitNumericalOrbit`.
 */
export function fitSlrOrbit(input: FitSlrOrbitInput): SlrOrbitFit {
  const o = input.options ?? {};
  const sigma = o.rangeSigmaKm;
  const measurements = input.measurements.map((m, i) => {
    if (m.kind !== 'range' || m.path !== 'two-way') {
      throw new AstroError('OD_BAD_INPUT', `measurement ${i} is not a two-way range`, {
        index: i,
        kind: m.kind,
        path: m.path,
      });
    }
    if (!input.stations.has(m.station)) {
      throw new AstroError('OD_BAD_INPUT', `measurement ${i}: no station '${m.station}'`, {
        index: i,
        station: m.station,
      });
    }
    return sigma === undefined ? m : { ...m, sigmas: [sigma] };
  });
  const prefix = o.model?.biasPrefix ?? 'range-bias:';
  const stationNames = [...new Set(measurements.map((m) => m.station))];
  const biases: OdParameter[] =
    (o.estimateRangeBias ?? true)
      ? stationNames.map((s) => ({
          name: slrBiasName(s, prefix),
          value: 0,
          aprioriSigma: o.rangeBiasAprioriSigmaKm ?? SLR_BIAS_APRIORI_SIGMA_KM,
        }))
      : [];
  const model = slrRangeModel({
    ...o.model,
    context: input.context,
    stations: input.stations,
    ephemeris: input.ephemeris,
  });
  const fit = fitNumericalOrbit({
    epoch: input.epoch,
    initialState: input.initialState,
    measurements,
    forceModels: input.forceModels,
    measurementParameters: biases,
    measurementModel: model,
    options: {
      propagation: { ...o.propagation, context: input.context, ephemeris: input.ephemeris },
      ...(o.leastSquares === undefined ? {} : { leastSquares: o.leastSquares }),
    },
  });
  const sol = fit.solution;
  const residuals: SlrResidual[] = sol.residuals.map((r: LeastSquaresResidual) => ({
    index: r.index,
    station: r.station,
    epoch: measurements[r.index]!.epoch,
    residualM: r.residuals[0]! * 1000,
    rejected: r.rejected,
  }));
  const stats = (rs: readonly SlrResidual[]) => {
    const used = rs.filter((r) => !r.rejected).map((r) => r.residualM);
    const n = used.length;
    const mean = used.reduce((a, b) => a + b, 0) / n;
    const rms = Math.sqrt(used.reduce((a, b) => a + b * b, 0) / n);
    const std = Math.sqrt(used.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(n - 1, 1));
    return {
      count: n,
      rejected: rs.length - n,
      meanM: mean,
      rmsM: rms,
      stdM: std,
      minM: Math.min(...used),
      maxM: Math.max(...used),
    };
  };
  const stations: SlrStationStatistics[] = stationNames.map((s) => {
    const st = stats(residuals.filter((r) => r.station === s));
    const b = fit.parameters[slrBiasName(s, prefix)];
    const bs = fit.sigmas[slrBiasName(s, prefix)];
    return {
      station: s,
      count: st.count,
      rejected: st.rejected,
      meanM: st.meanM,
      rmsM: st.rmsM,
      ...(b === undefined ? {} : { biasM: b * 1000 }),
      ...(bs === undefined ? {} : { biasSigmaM: bs * 1000 }),
    };
  });
  return {
    epoch: fit.epoch,
    state: fit.state,
    covariance: fit.covariance,
    scaledCovariance: fit.scaledCovariance,
    iterations: sol.iterations,
    converged: sol.converged,
    residuals,
    statistics: stats(residuals),
    stations,
    fit,
  };
}
