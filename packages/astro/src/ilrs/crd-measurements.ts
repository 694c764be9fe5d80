/**
 * CRD range records → the shared Measurement records (observations/observation.ts).
 *
 * - Records: normal points (11 records of H4 data type 1 sessions) by default, full-rate records
 *   (10 records of data type 0 sessions) with `records: 'full-rate'`. Sampled engineering
 *   sessions (data type 2) and blocks whose H4 range type is 0 (no ranges) or 3 (receive times
 *   only) give no measurement.
 * - Value: two-way ranges are stored as the one-way equivalent TOF·c/2 (km); one-way ranges
 *   (H4 range type 1, or epoch events 5 and 6) as TOF·c. No correction is applied here: the
 *   H4 flags (troposphere, centre of mass, system delay applied) stay in the CrdBlock.
 * - Epoch: the block's UTC day (resolved across midnight by the reader) + seconds of day, converted
 *   with the leap-second table of the context. The station epoch time scale of H2 must be a UTC
 *   realisation: 3 UTC(USNO), 4 UTC(GPS), 7 UTC(BIPM) or 10 UTC(station time scale) (CRD v2.01
 *   §2.2 H2); other values are refused with CRD_UNSUPPORTED_TIME_SCALE, since their offset to UTC
 *   is not in the file. The nanosecond-level differences between UTC realisations are ignored.
 * - Time tag, from the record's epoch event (CRD v2.01 record 10/11 field 5):
 *     0 ground receive time (two-way)                      → 'receive', two-way
 *     2 ground transmit time (two-way)                     → 'transmit', two-way
 *     5 ground transmit, spacecraft receive (one-way)      → 'transmit', one-way
 *     6 spacecraft transmit, ground receive (one-way)      → 'receive', one-way
 *     1 spacecraft bounce time, 3/4 spacecraft receive/transmit times, 7 other: refused with
 *       CRD_UNSUPPORTED_EPOCH_EVENT (the Measurement record has no bounce or on-board time tag).
 * - Sigma: a normal point's bin RMS (ps) as a one-way distance, RMS·c/2 — the single-shot
 *   scatter, deliberately not divided by √N, since normal-point errors are dominated by
 *   systematics at the mm level. For full-rate records, or when the RMS is absent (`na`, negative
 *   or zero), the session statistics (50) RMS of the same configuration is used, and failing that
 *   `defaultSigmaKm` (DEFAULT_SLR_SIGMA_KM, 1 cm).
 * - Meteo: the 20 record of the block nearest in time (not interpolated); pressure mbar = hPa; none
 *   when the nearest is more than `meteoMaxGapS` away (default 1 h, as the TDM reader).
 * - Skipped: `crdMeasurements` also reports every block that gives no measurement (range type 0
 *   or 3, a data type other than the records asked for, no record of the wanted kind) and the
 *   blocks whose records got no meteo because of the gap, with block index, line and reason;
 *   `measurementsFromCrd` returns the measurements alone.
 * - Wavelength: the C0 transmit wavelength of the record's system configuration id (else the
 *   block's first C0), nm.
 * - Station: the CDP pad id of H2 (e.g. 7090) by default, the station name (YARL) with
 *   `station: 'name'`. Target: the NORAD number of H3 by default (the ILRS id when it is `na`),
 *   or `target: 'ilrs' | 'name'`.
 */
import { AstroError } from '../errors.js';
import type { Measurement, Meteo } from '../observations/observation.js';
import type { TimeContext } from '../time/utc.js';
import { SPEED_OF_LIGHT_KM_S } from '../units/index.js';
import type { CrdBlock, CrdFile, CrdMeteo, CrdRange } from './crd-model.js';
import { utcDaySecondsInstant } from './day-seconds.js';

/** Default one-sigma of an SLR range when the file gives no RMS: 1 cm (typical NP accuracy). */
export const DEFAULT_SLR_SIGMA_KM = 1e-5;

/** CRD H2 station epoch time scales that are realisations of UTC (CRD v2.01 §2.2). */
export const CRD_UTC_TIME_SCALES: readonly number[] = [3, 4, 7, 10];

const PS = 1e-12;
const SECONDS_PER_DAY = 86400;

/** Options of measurementsFromCrd. */
export interface CrdMeasurementOptions {
  /** Leap seconds for the UTC epochs. */
  readonly context: TimeContext;
  /** Which range records: 'normal-points' (11, default) or 'full-rate' (10). */
  readonly records?: 'normal-points' | 'full-rate';
  /** Station label: CDP pad id (default, e.g. '7090') or the H2 station name ('YARL'). */
  readonly station?: 'code' | 'name';
  /** Target label: NORAD number (default; ILRS id when absent), ILRS id or the H3 name. */
  readonly target?: 'norad' | 'ilrs' | 'name';
  /** Sigma when no RMS is available, km (default DEFAULT_SLR_SIGMA_KM). */
  readonly defaultSigmaKm?: number;
  /** File name for `source`. */
  readonly fileName?: string;
  /** Largest time from a record to the meteo record attached to it, s (default 3600). */
  readonly meteoMaxGapS?: number;
}

/** Default `meteoMaxGapS`: 1 h, as the TDM reader's. */
export const CRD_METEO_MAX_GAP_S = 3600;

/** A CRD block (or part of one) that `crdMeasurements` did not convert as a whole. */
export interface CrdSkippedBlock {
  /** Index of the block in `CrdFile.blocks`. */
  readonly block: number;
  /** Line of the block's first header record. */
  readonly line: number;
  /**
   * 'range-type': H4 range type 0 (no ranges) or 3 (receive times only); 'data-type': a session of
   * another data type than the records asked for; 'no-records': no record of the wanted kind;
   * 'meteo-gap': records measured but given no meteo (nearest 20 record beyond `meteoMaxGapS`).
   */
  readonly reason: 'range-type' | 'data-type' | 'no-records' | 'meteo-gap';
  /** Range records concerned (all the block's records, or those without meteo). */
  readonly records: number;
  readonly message: string;
}

/** Result of `crdMeasurements`. */
export interface CrdMeasurements {
  readonly measurements: Measurement[];
  readonly skipped: readonly CrdSkippedBlock[];
}

/** The CRD record time tag mapping described in the module header, or undefined when refused. */
export function crdEpochEventTimeTag(
  epochEvent: number,
): { timeTag: 'receive' | 'transmit'; path: 'one-way' | 'two-way' } | undefined {
  switch (epochEvent) {
    case 0:
      return { timeTag: 'receive', path: 'two-way' };
    case 2:
      return { timeTag: 'transmit', path: 'two-way' };
    case 5:
      return { timeTag: 'transmit', path: 'one-way' };
    case 6:
      return { timeTag: 'receive', path: 'one-way' };
    default:
      return undefined;
  }
}

function nearestMeteo(meteo: readonly CrdMeteo[], r: CrdRange, maxGapS: number): Meteo | undefined {
  let best: CrdMeteo | undefined;
  let bestDt = Number.POSITIVE_INFINITY;
  const t = r.mjd * SECONDS_PER_DAY + r.secondsOfDay;
  for (const m of meteo) {
    const dt = Math.abs(m.mjd * SECONDS_PER_DAY + m.secondsOfDay - t);
    if (dt < bestDt) {
      bestDt = dt;
      best = m;
    }
  }
  if (best === undefined || bestDt > maxGapS) return undefined;
  return {
    pressureHpa: best.pressureMbar,
    temperatureK: best.temperatureK,
    humidityPercent: best.humidityPercent,
  };
}

function wavelengthOf(block: CrdBlock, configId: string): number | undefined {
  const c = block.systemConfigurations.find((s) => s.systemId === configId) ?? block.systemConfigurations[0];
  return c === undefined || !(c.wavelengthNm > 0) ? undefined : c.wavelengthNm;
}

function sigmaOf(block: CrdBlock, r: CrdRange, defaultKm: number, oneWayFactor: number): number {
  const rms = r.binRmsPs;
  if (rms !== undefined && rms > 0) return rms * PS * SPEED_OF_LIGHT_KM_S * oneWayFactor;
  const stats =
    block.sessionStatistics.find((s) => s.systemConfigurationId === r.systemConfigurationId) ??
    block.sessionStatistics[0];
  if (stats !== undefined && stats.rmsPs > 0) return stats.rmsPs * PS * SPEED_OF_LIGHT_KM_S * oneWayFactor;
  return defaultKm;
}

/**
 * The range measurements of a parsed CRD file (see the module header for every convention).
 * Throws AstroError CRD_UNSUPPORTED_TIME_SCALE or CRD_UNSUPPORTED_EPOCH_EVENT (details: line).
 * `crdMeasurements` also tells which blocks gave nothing and why.
 */
export function measurementsFromCrd(crd: CrdFile, options: CrdMeasurementOptions): Measurement[] {
  return crdMeasurements(crd, options).measurements;
}

/** `measurementsFromCrd` with the report of the blocks skipped (and of records left without meteo). */
export function crdMeasurements(crd: CrdFile, options: CrdMeasurementOptions): CrdMeasurements {
  const wanted = options.records === 'full-rate' ? '10' : '11';
  const wantedType = wanted === '11' ? 1 : 0;
  const defaultSigma = options.defaultSigmaKm ?? DEFAULT_SLR_SIGMA_KM;
  const maxGapS = options.meteoMaxGapS ?? CRD_METEO_MAX_GAP_S;
  const out: Measurement[] = [];
  const skipped: CrdSkippedBlock[] = [];
  for (const [index, block] of crd.blocks.entries()) {
    const rangeType = block.session.rangeType;
    const skip = (reason: CrdSkippedBlock['reason'], records: number, message: string): void => {
      skipped.push({ block: index, line: block.line, reason, records, message });
    };
    if (rangeType === 0 || rangeType === 3) {
      skip('range-type', block.ranges.length, `H4 range type ${rangeType}: no range to convert`);
      continue;
    }
    // Normal points come from normal-point sessions (H4 data type 1), full-rate records from
    // full-rate sessions (0); sampled engineering (quicklook, 2) sessions are not measurements.
    if (block.session.dataType !== wantedType) {
      skip(
        'data-type',
        block.ranges.length,
        `H4 data type ${block.session.dataType}, ${wanted === '11' ? 'normal points (1)' : 'full rate (0)'} asked for`,
      );
      continue;
    }
    const ranges = block.ranges.filter((r) => r.record === wanted);
    if (ranges.length === 0) {
      skip('no-records', block.ranges.length, `no ${wanted} record in the block`);
      continue;
    }
    if (!CRD_UTC_TIME_SCALES.includes(block.station.epochTimeScale)) {
      throw new AstroError(
        'CRD_UNSUPPORTED_TIME_SCALE',
        `CRD station epoch time scale ${block.station.epochTimeScale} is not a UTC realisation (3, 4, 7 or 10)`,
        { file: options.fileName, line: block.line, timeScale: block.station.epochTimeScale },
      );
    }
    const station = options.station === 'name' ? block.station.name : block.station.systemId;
    const norad = block.target.noradId;
    const target =
      options.target === 'ilrs'
        ? block.target.ilrsId
        : options.target === 'name'
          ? block.target.name
          : norad.toLowerCase() === 'na' || norad === ''
            ? block.target.ilrsId
            : String(Number.parseInt(norad, 10));
    let noMeteo = 0;
    for (const r of ranges) {
      const tag = crdEpochEventTimeTag(r.epochEvent);
      if (tag === undefined) {
        throw new AstroError(
          'CRD_UNSUPPORTED_EPOCH_EVENT',
          `CRD epoch event ${r.epochEvent} (spacecraft time tag) cannot be represented as a ground time tag`,
          { file: options.fileName, line: r.line, epochEvent: r.epochEvent },
        );
      }
      const path = rangeType === 1 ? 'one-way' : tag.path;
      const factor = path === 'two-way' ? 0.5 : 1;
      const meteo = nearestMeteo(block.meteo, r, maxGapS);
      if (meteo === undefined && block.meteo.length > 0) noMeteo++;
      const wavelengthNm = wavelengthOf(block, r.systemConfigurationId);
      out.push({
        kind: 'range',
        epoch: utcDaySecondsInstant(r.mjd, r.secondsOfDay, options.context),
        timeTag: tag.timeTag,
        station,
        target,
        values: [r.timeOfFlightS * SPEED_OF_LIGHT_KM_S * factor],
        sigmas: [sigmaOf(block, r, defaultSigma, factor)],
        path,
        ...(meteo === undefined ? {} : { meteo }),
        ...(wavelengthNm === undefined ? {} : { wavelengthNm }),
        source: { file: options.fileName ?? '', line: r.line },
      });
    }
    if (noMeteo > 0) {
      skip(
        'meteo-gap',
        noMeteo,
        `${noMeteo} records more than ${maxGapS} s from any meteo record: no meteo attached`,
      );
    }
  }
  return { measurements: out, skipped };
}

/** The stations of a CRD file: CDP pad id → H2 station name (e.g. '7090' → 'YARL'). */
export function crdStationNames(crd: CrdFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of crd.blocks) out.set(b.station.systemId, b.station.name);
  return out;
}
