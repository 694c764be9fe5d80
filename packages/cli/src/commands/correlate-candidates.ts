/**
 * `hoshimi correlate --candidates`: the UCT tracks of a correlation joined into candidate objects
 * by astro's buildUctCandidates (an orbit per track, a state-covariance gate, joint least-squares
 * fits confirmed by their variance factor and a merge test). This file builds the force model and
 * the options from the flags and turns the result into report rows; the method is astro's.
 */
import {
  type AstroContext,
  buildForceModel,
  buildUctCandidates,
  type GroundStation,
  type Instant,
  type Measurement,
  type Sensor,
  stateAndCovarianceIn,
  type Track,
  type UctCandidateResult,
} from '@hoshimi/astro';
import { CliError } from '../errors.js';
import { loadForceModel } from '../force-model-files.js';
import { rmsReport, troposphereOf } from './od.js';

/** One candidate as `hoshimi correlate --json` writes it (report units: km, km/s, m, m/s, arcsec). */
export interface CandidateRow {
  readonly id: string;
  readonly tracks: readonly string[];
  /** The sensors' own target labels of the tracks (they say nothing of the object in operations). */
  readonly targets: readonly string[];
  readonly sensors: readonly string[];
  readonly epoch_utc: string;
  readonly frame: 'GCRF';
  readonly position_km: readonly number[];
  readonly velocity_km_s: readonly number[];
  /** 6×6, km and km/s, scaled by the variance factor when it exceeds 1. */
  readonly covariance: readonly (readonly number[])[];
  /** 1σ of x, y, z (m) and of vx, vy, vz (m/s). */
  readonly sigma_position_m: readonly number[];
  readonly sigma_velocity_m_s: readonly number[];
  readonly measurements: number;
  readonly rejected: number;
  readonly variance_factor: number;
  readonly max_variance_factor: number;
  readonly rms: Record<string, unknown>;
}

/** A UCT track left out of every candidate. */
export interface SingleRow {
  readonly track: string;
  readonly target: string;
  readonly reason: string;
}

export interface CandidateReport {
  readonly candidates: readonly CandidateRow[];
  /**
   * Ids of the candidates whose σ is formal only: SGP4 fits with B* held at 0, whose covariance
   * has no drag uncertainty (text output only).
   */
  readonly formalSigma: ReadonlySet<string>;
  readonly single: readonly SingleRow[];
  readonly jointFits: number;
  readonly forces: string;
}

export interface CandidateInput {
  readonly tracks: readonly Track[];
  readonly ctx: AstroContext;
  readonly stations: ReadonlyMap<string, GroundStation>;
  readonly sensors: ReadonlyMap<string, Sensor>;
  readonly minTracks: number;
  readonly forceModelFile: string | undefined;
  readonly propagator: 'numerical' | 'sgp4';
  readonly iso: (t: Instant) => string;
  readonly warn: (line: string) => void;
}

/** Joins the UCT tracks into candidates (see the module header). */
export function uctCandidates(input: CandidateInput): CandidateReport {
  const { tracks, ctx, stations, sensors } = input;
  if (tracks.length === 0)
    return { candidates: [], formalSigma: new Set(), single: [], jointFits: 0, forces: '' };
  const first = tracks.reduce(
    (a, t) => (t.measurements[0]!.epoch.compare(a) < 0 ? t.measurements[0]!.epoch : a),
    tracks[0]!.measurements[0]!.epoch,
  );
  const loaded = loadForceModel(input.forceModelFile, first);
  let spec = loaded.spec;
  // A candidate has no element set, so no B*: drag needs an area-to-mass ratio in the model file.
  if (spec.drag?.ballistic.kind === 'from-bstar') {
    if (input.forceModelFile !== undefined)
      throw new CliError(
        'USAGE',
        `--force-model ${input.forceModelFile}: a candidate has no element set, so no B*: give drag.area_to_mass_m2_kg or leave drag out`,
      );
    spec = { ...spec, drag: undefined };
  }
  const built = buildForceModel(spec, {
    field: loaded.field,
    context: ctx,
    ...(loaded.msisCoefficients === undefined ? {} : { msisCoefficients: loaded.msisCoefficients }),
    ...(loaded.spaceWeather === undefined ? {} : { spaceWeather: loaded.spaceWeather }),
  });
  for (const n of built.notes) input.warn(`note: ${n}`);
  const result: UctCandidateResult = buildUctCandidates(tracks, {
    ctx,
    stations,
    forceModels: built.forces,
    propagation: built.options,
    troposphere: (m: Measurement) => troposphereOf(m, sensors.get(m.station), 'tdm'),
    minTracks: input.minTracks,
    jointFit: input.propagator,
  });
  const candidates = result.candidates.map((c): CandidateRow => {
    const out = stateAndCovarianceIn('GCRF', c.epoch, c.state, c.covariance, ctx);
    const sig = (i: number) => Math.sqrt(out.covariance[7 * i]!) * 1000;
    return {
      id: c.id,
      tracks: c.tracks.map((t) => t.id),
      targets: [...new Set(c.tracks.map((t) => t.target))],
      sensors: [...new Set(c.tracks.map((t) => t.station))].sort(),
      epoch_utc: input.iso(c.epoch),
      frame: 'GCRF',
      position_km: out.positionKm,
      velocity_km_s: out.velocityKmS,
      covariance: [0, 1, 2, 3, 4, 5].map((i) => Array.from(out.covariance.subarray(6 * i, 6 * i + 6))),
      sigma_position_m: [0, 1, 2].map(sig),
      sigma_velocity_m_s: [3, 4, 5].map(sig),
      measurements: c.measurements,
      rejected: c.rejected,
      variance_factor: c.varianceFactor,
      max_variance_factor: c.maxVarianceFactor,
      rms: rmsReport(c.solution),
    };
  });
  const formalSigma = new Set(
    result.candidates
      .filter((c) => c.elements !== undefined && !c.solution.parameterNames.includes('bstar'))
      .map((c) => c.id),
  );
  const single = result.single.map((s) => ({ track: s.track.id, target: s.track.target, reason: s.reason }));
  return {
    candidates,
    formalSigma,
    single,
    jointFits: result.jointFits,
    forces: built.description.join('; '),
  };
}

/** The candidates as text: one block per candidate. */
export function candidateText(report: CandidateReport): string {
  const lines: string[] = [];
  // The keys and report units of rmsReport (od.ts): a kind without a report unit keeps its own
  // name and astro's internal unit.
  const fmtOne = (k: string, v: number): string => {
    switch (k) {
      case 'range':
        return `range ${v.toFixed(1)} m`;
      case 'range_rate':
        return `range rate ${v.toFixed(3)} m/s`;
      case 'angles':
        return `angles ${v.toFixed(2)}″`;
      case 'position':
        return `position ${v.toFixed(1)} m`;
      default:
        return `${k} ${v.toPrecision(4)} (internal units)`;
    }
  };
  const fmtRms = (r: Record<string, unknown>) =>
    Object.entries(r)
      .filter(([k, v]) => k !== 'stations' && typeof v === 'number')
      .map(([k, v]) => fmtOne(k, v as number))
      .join(', ');
  for (const c of report.candidates) {
    lines.push(
      `${c.id.padEnd(8)} ${c.tracks.length} tracks (${c.sensors.join(', ')}): ${c.tracks.join(' ')}`,
      `  epoch     ${c.epoch_utc} (GCRF)`,
      `  position  ${c.position_km.map((x) => x.toFixed(3).padStart(12)).join(' ')} km   σ ${c.sigma_position_m.map((x) => x.toFixed(1)).join(' ')} m`,
      `  velocity  ${c.velocity_km_s.map((x) => x.toFixed(6).padStart(12)).join(' ')} km/s σ ${c.sigma_velocity_m_s.map((x) => x.toFixed(3)).join(' ')} m/s`,
      `  fit       ${c.measurements} measurements, ${c.rejected} rejected, variance factor ${c.variance_factor.toFixed(3)} (limit ${c.max_variance_factor.toFixed(3)}); rms ${fmtRms(c.rms)}`,
    );
    if (report.formalSigma.has(c.id))
      lines.push(
        '  note      σ formal only: SGP4 fit with B* held at 0, no drag uncertainty in the covariance',
      );
  }
  for (const s of report.single) lines.push(`single   ${s.track}: ${s.reason}`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
