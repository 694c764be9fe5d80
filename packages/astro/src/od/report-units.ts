/**
 * Residual statistics in the units reports use (the `hoshimi od --json` output of issue 14):
 * range in metres, range rate in m/s, angles in arcseconds, positions in metres; the internal
 * units are km, km/s and rad. Angle pairs are reported as the RMS over both components (for
 * azimuth the residual is not scaled by cos(elevation): it is the measured angle's own error).
 */
import type { ResidualStatistics, StationStatistics } from './least-squares.js';

const ARCSEC_PER_RAD = (180 * 3600) / Math.PI;

/** Factor from the internal unit of a measurement kind to its report unit, and the unit's name. */
export function reportUnitOf(kind: string): { readonly factor: number; readonly unit: string } {
  switch (kind) {
    case 'range':
    case 'position':
      return { factor: 1000, unit: 'm' };
    case 'range-rate':
      return { factor: 1000, unit: 'm/s' };
    case 'azimuth-elevation':
    case 'right-ascension-declination':
      return { factor: ARCSEC_PER_RAD, unit: 'arcsec' };
    default:
      return { factor: 1, unit: 'internal' };
  }
}

/** One group's statistics in report units. */
export interface ReportedStatistics {
  readonly count: number;
  readonly rejected: number;
  /** RMS in `unit` (NaN for a station group that mixes kinds). */
  readonly rms: number;
  readonly mean: number;
  readonly unit: string;
  readonly normalizedRms: number;
}

function convert(kind: string | undefined, s: ResidualStatistics): ReportedStatistics {
  const u = kind === undefined ? { factor: Number.NaN, unit: 'mixed' } : reportUnitOf(kind);
  return {
    count: s.count,
    rejected: s.rejected,
    rms: s.rms * u.factor,
    mean: s.mean * u.factor,
    unit: u.unit,
    normalizedRms: s.normalizedRms,
  };
}

/**
 * The statistics of a least-squares result per kind and per station (with its kinds), in report
 * units. A station's own line keeps only counts and the normalised RMS when it mixes kinds.
 */
export function residualStatisticsInReportUnits(
  byKind: Readonly<Record<string, ResidualStatistics>>,
  byStation: Readonly<Record<string, StationStatistics>>,
): {
  readonly byKind: Record<string, ReportedStatistics>;
  readonly byStation: Record<
    string,
    ReportedStatistics & { readonly byKind: Record<string, ReportedStatistics> }
  >;
} {
  const kinds: Record<string, ReportedStatistics> = {};
  for (const [k, s] of Object.entries(byKind)) kinds[k] = convert(k, s);
  const stations: Record<
    string,
    ReportedStatistics & { readonly byKind: Record<string, ReportedStatistics> }
  > = {};
  for (const [st, s] of Object.entries(byStation)) {
    const inner: Record<string, ReportedStatistics> = {};
    for (const [k, ks] of Object.entries(s.byKind)) inner[k] = convert(k, ks);
    const only = Object.keys(s.byKind);
    stations[st] = { ...convert(only.length === 1 ? only[0] : undefined, s), byKind: inner };
  }
  return { byKind: kinds, byStation: stations };
}
