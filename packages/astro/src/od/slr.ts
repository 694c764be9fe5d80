/**
 * Orbit determination from satellite laser ranging (SLR) normal points: the measurement model of a
 * two-way laser range for `fitNumericalOrbit`, and `fitSlrOrbit`, the whole fit from parsed
 * measurements and stations (what `hoshimi od --obs X.npt --stations SLRF.snx ecc.snx` needs).
 *
 * The computed range of a normal point (one-way equivalent, as stored in Measurement; Montenbruck &
 * Gill, "Satellite Orbits", §6.2.2; IERS TN 36 §9.2 and §11):
 *   ρ_c = c·(τ_up + τ_down)/2 + Δ_tropo + Δ_Shapiro − Δ_CoM + b_station
 * - Light time on both legs in GCRF, the station turned from ITRF by the frame graph at each leg's
 *   own instant, and the Mendes–Pavlis troposphere with the normal point's meteo and wavelength:
 *   `predictMeasurement` (observations/measurement-model.ts), with the measurement's time tag —
 *   transmit for CRD epoch event 2 (up leg solved forward from the transmission, then the down leg).
 *   The satellite near the tag comes from its state at the tag by a second-order Taylor step with
 *   the point-mass acceleration (|t_b − t_tag| ≈ 20–40 ms for LAGEOS; the neglected J₂ term moves
 *   it by ~10⁻⁹ km).
 * - Station: the SINEX reference position moved by its velocity to the time tag (`stationVelocity`,
 *   default true: SINEX positions are at 2010.0 and 2016 data would otherwise carry 0.19–0.44 m of
 *   plate motion; false reproduces Orekit's LAGEOS-2 harness, which uses the 2010.0 positions), the UNE eccentricity (observations/sensor.ts
 *   `stationItrfAt`), plus the solid-tide displacement at the time tag (geodesy/solid-tides.ts,
 *   IERS 2010 step 1 with the permanent deformation, as Orekit's case).
 * - Shapiro delay of the Earth (geodesy/shapiro.ts). Centre of mass: the retroreflectors are
 *   `centerOfMassKm` closer to the station than the centre of mass (0.251 m for LAGEOS), so it is
 *   subtracted from the computed range (Orekit's harness adds it; with a range bias estimated per
 *   station either sign gives the same orbit and shifts only the biases).
 * - Range bias per station (`range-bias:<station>`, km), estimated as a measurement parameter.
 *
 * Partials: ∂ρ/∂r at the bounce time is the mean of the two legs' unit vectors (light-time
 * coupling, of order v/c, neglected); chained to the state at the time tag with the Taylor step,
 * ∂r(t_b)/∂(r, v)(t_tag) = [I, (t_b − t_tag)·I]. The fit chains them further with the STM.
 */

import { WGS84_GM_KM3_S2 } from '../bodies/earth.js';
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import { AstroError } from '../errors.js';
import { frameTransform } from '../frames/frame-graph.js';
import { makeState, type State } from '../frames/state.js';
import { shapiroDelayKm } from '../geodesy/shapiro.js';
import { type SolidTideOptions, solidTideDisplacement } from '../geodesy/solid-tides.js';
import type { Vec3 } from '../math/vec3.js';
import type { Ephemeris } from '../numerical/ephemeris.js';
import type { ForceModel } from '../numerical/force-model.js';
import type { NumericalPropagationOptions } from '../numerical/propagate.js';
import {
  predictMeasurement,
  stationFrameAt,
  type TargetEphemeris,
} from '../observations/measurement-model.js';
import type { GroundStation, Measurement } from '../observations/observation.js';
import { stationItrfAt } from '../observations/sensor.js';
import type { Instant } from '../time/instant.js';
import type { LeastSquaresOptions, LeastSquaresResidual } from './least-squares.js';
import {
  fitNumericalOrbit,
  type NumericalMeasurementModel,
  type NumericalOrbitFit,
  type OdParameter,
} from './numerical-od.js';

/** Default a-priori 1σ of a station range bias, km (see FitSlrOrbitInput). */
export const SLR_BIAS_APRIORI_SIGMA_KM = 1;
/** Default laser wavelength, nm (frequency-doubled Nd:YAG). */
export const DEFAULT_SLR_WAVELENGTH_NM = 532;
/**
 * Earth GM for the Shapiro delay and the light-time Taylor step, km³/s²: the WGS-84 value, equal to
 * the IERS 2010 (Table 1.1, TCG-compatible) GM the Shapiro formula of IERS TN 36 §11 uses; both
 * uses need it only to ~1e-6 relative.
 */
const GM_KM3_S2 = WGS84_GM_KM3_S2;

/** Options of `slrRangeModel`. */
export interface SlrRangeModelOptions {
  /** Leap seconds and EOP for the station's ITRF → GCRF transform. */
  readonly context: AstroContext;
  /** Stations by the name the measurements use (e.g. '7090'). */
  readonly stations: ReadonlyMap<string, GroundStation>;
  /** Sun and Moon for the solid tides (required when `solidTides` is on). */
  readonly ephemeris?: Ephemeris;
  /**
   * Apply the SINEX station velocity from its reference epoch (default true; false: the position at
   * the reference epoch as given, as Orekit's LAGEOS-2 harness does).
   */
  readonly stationVelocity?: boolean;
  /**
   * Solid-tide station displacement (geodesy/solid-tides.ts): true (default) for step 1 of IERS
   * 2010 §7.1.1 with the permanent deformation kept, false for none, or the options of
   * `solidTideDisplacement` (e.g. the step-2 corrections).
   */
  readonly solidTides?: boolean | SolidTideOptions;
  /** Mendes–Pavlis troposphere (default true). */
  readonly troposphere?: boolean;
  /** Shapiro delay (default true). */
  readonly shapiro?: boolean;
  /**
   * Centre-of-mass correction subtracted from the computed range, km (default 0; LAGEOS:
   * `LAGEOS_COM_CORRECTION_KM`, geodesy/center-of-mass.ts).
   */
  readonly centerOfMassKm?: number;
  /** Prefix of the range-bias parameter names (default 'range-bias:'). */
  readonly biasPrefix?: string;
}

/** The name of a station's range-bias parameter. */
export function slrBiasName(station: string, prefix = 'range-bias:'): string {
  return `${prefix}${station}`;
}

/** The station as the model uses it: without its velocity when `stationVelocity` is false. */
function modelStation(st: GroundStation, velocity: boolean): GroundStation {
  if (velocity || st.velocityKmPerYear === undefined) return st;
  const { velocityKmPerYear: _dropped, ...rest } = st;
  return rest;
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
  /** Computed one-way-equivalent range, km (everything included but the range bias). */
  readonly rangeKm: number;
  /** c·(τ_up + τ_down)/2, km. */
  readonly geometricKm: number;
  readonly troposphereKm: number;
  readonly shapiroKm: number;
  /** Solid-tide displacement of the station at the time tag, ITRF km (zeros when off). */
  readonly solidTideKm: Vec3;
  /** Elevation of the first leg at the station, rad. */
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
  cache: Map<string, GroundStation>,
): SlrRangeDetail {
  if (measurement.kind !== 'range' || measurement.path !== 'two-way') {
    throw new AstroError('OD_BAD_INPUT', 'the SLR model computes two-way ranges only', {
      kind: measurement.kind,
      path: measurement.path,
    });
  }
  const name = measurement.station;
  let station = cache.get(name);
  if (station === undefined) {
    const st = options.stations.get(name);
    if (st === undefined) {
      throw new AstroError('OD_BAD_INPUT', `no station '${name}' in the stations given`, {
        station: name,
        known: [...options.stations.keys()].slice(0, 20).join(','),
      });
    }
    station = modelStation(st, options.stationVelocity ?? true);
    cache.set(name, station);
  }
  const ctx = options.context;
  const tag = measurement.epoch;
  const tide: Vec3 = [0, 0, 0];
  const tides = options.solidTides ?? true;
  if (tides !== false) {
    const eph = options.ephemeris;
    if (eph === undefined) {
      throw new AstroError('OD_BAD_INPUT', 'solid tides need an ephemeris of the Sun and the Moon', {});
    }
    const [jd, jf] = tag.ttJulianDate();
    const sun: Vec3 = [0, 0, 0];
    const moon: Vec3 = [0, 0, 0];
    eph.positionKm('SUN', jd, jf, sun);
    eph.positionKm('MOON', jd, jf, moon);
    const m = frameTransform('GCRF', 'ITRF', frameEpochAt(tag, ctx)).rotation;
    const d = solidTideDisplacement(
      stationItrfAt(station, tag),
      mulVec(m, sun, sun),
      mulVec(m, moon, moon),
      tides === true ? {} : tides,
    );
    tide[0] = d[0];
    tide[1] = d[1];
    tide[2] = d[2];
    const r = station.itrfKm;
    station = { ...station, itrfKm: [r[0] + tide[0], r[1] + tide[1], r[2] + tide[2]] };
  }
  // The satellite near the tag: second-order Taylor step with the point-mass acceleration.
  const r0 = state.rKm;
  const v0 = state.vKmS;
  const rr = Math.hypot(r0[0], r0[1], r0[2]);
  const g = -GM_KM3_S2 / (rr * rr * rr);
  const target: TargetEphemeris = (t) => {
    const dt = t.secondsSince(tag);
    const h = 0.5 * g * dt * dt;
    return makeState(
      'GCRF',
      [r0[0] + v0[0] * dt + h * r0[0], r0[1] + v0[1] * dt + h * r0[1], r0[2] + v0[2] * dt + h * r0[2]],
      [v0[0] + g * dt * r0[0], v0[1] + g * dt * r0[1], v0[2] + g * dt * r0[2]],
    );
  };
  const tropo = options.troposphere ?? true;
  const p = predictMeasurement('range', station, target, tag, {
    ctx,
    path: 'two-way',
    timeTag: measurement.timeTag,
    troposphere: tropo ? 'optical' : 'none',
    wavelengthNm: measurement.wavelengthNm ?? DEFAULT_SLR_WAVELENGTH_NM,
    ...(measurement.meteo === undefined ? {} : { meteo: measurement.meteo }),
  });
  const geometric = p.values[0]! - p.troposphere;
  let shapiro = 0;
  if (options.shapiro ?? true) {
    // Both legs are alike to 1e-5 of their length: the first leg's delay stands for their mean.
    const s = stationFrameAt(station, tag, ctx).rKm;
    shapiro = shapiroDelayKm(s, p.targetState.rKm, GM_KM3_S2);
  }
  const dr = p.partials[0]!;
  return {
    rangeKm: p.values[0]! + shapiro - (options.centerOfMassKm ?? 0),
    geometricKm: geometric,
    troposphereKm: p.troposphere,
    shapiroKm: shapiro,
    solidTideKm: tide,
    elevationRad: p.elevationRad,
    bounceOffsetS: p.targetEpoch.secondsSince(tag),
    dRangeDr: [dr[0]!, dr[1]!, dr[2]!],
  };
}

/**
 * The measurement callback of `fitNumericalOrbit` for two-way SLR ranges (module header), with a
 * range bias per station named `slrBiasName(station)` when that parameter is estimated.
 */
export function slrRangeModel(options: SlrRangeModelOptions): NumericalMeasurementModel {
  const cache = new Map<string, GroundStation>();
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
