/**
 * TDM ↔ the shared Measurement record (observations/observation.ts).
 *
 * `measurementsFromTdm` turns the tracking data of a TDM (CCSDS 503.0-B-2) into measurements:
 * - RANGE → 'range', km. RANGE_UNITS km as written; s (light seconds) × c, the same quantity in
 *   another unit (as Orekit converts them); RU (range units) only through the caller's
 *   `rangeUnitsToKm`, because the RU ↔ km relation is mission-specific (transmit frequency and
 *   transponder ratio, agreed in an ICD), otherwise skipped. RANGE_MODULUS is kept in the model
 *   but not applied: the values are taken as the unambiguous range the originator resolved.
 * - DOPPLER_INSTANTANEOUS → 'range-rate', km/s (positive when the range grows).
 * - ANGLE_1/ANGLE_2 → 'azimuth-elevation' (ANGLE_TYPE = AZEL) or 'right-ascension-declination'
 *   (RADEC, REFERENCE_FRAME EME2000 → EME2000, ICRF/GCRF → GCRF), degrees → radians, paired by
 *   epoch within a segment; a lone angle is reported as skipped. XEYN/XSYE angles are skipped.
 * - CORRECTION_RANGE, CORRECTION_DOPPLER and CORRECTION_ANGLE_1/2 are added to the values when
 *   CORRECTIONS_APPLIED is NO or absent (§3.3: the corrections are to be added to the data).
 * - PATH gives the path: `a,b` is one-way (b receives), `a,b,a` is two-way. TIMETAG_REF gives the
 *   time tag (RECEIVE when absent).
 * - PRESSURE (hPa), TEMPERATURE (K) and RHUMIDITY (%) at one epoch for a station make a Meteo
 *   record; each measurement of that station gets the nearest one within `meteoMaxGapS`; meteo
 *   records no measurement uses are reported in `skipped`.
 *
 * Station and target rule: the station is the participant at the END of the path (the receiver,
 * whose clock tags the data), the target the participant before it on the path. With a `stations`
 * list, the end of the path must be one of its names; a path ending at a spacecraft (uplink only)
 * is skipped. Relay paths (more than two legs, or two legs that do not return to the start) and
 * MODE = SINGLE_DIFF data are skipped. A segment whose path gives no station (no PATH, a relay,
 * SINGLE_DIFF) gives its meteo to PARTICIPANT_1.
 *
 * Everything that does not become a measurement (frequencies, phase counts, clock data,
 * unpaired angles, RU ranges…) is counted in `skipped` with the reason and the first line.
 *
 * `tdmFromMeasurements` writes measurements as a TDM 2.0: one segment per station, target, kind,
 * path, time tag and frame; UTC epochs with nanosecond digits; range in km, range rate as
 * DOPPLER_INSTANTANEOUS, angles in degrees; meteo as PRESSURE/TEMPERATURE/RHUMIDITY records.
 * Sigmas are not part of a TDM and are not written. Position measurements have no TDM form.
 */
import { AstroError } from '../errors.js';
import type { FrameName } from '../frames/state.js';
import type { Measurement, Meteo } from '../observations/observation.js';
import type { Instant } from '../time/instant.js';
import { formatTime, parseTimeString, parseTimeToInstant } from '../time/time-format.js';
import type { TimeContext } from '../time/utc.js';
import { DEG2RAD, SPEED_OF_LIGHT_KM_S } from '../units/index.js';
import {
  TDM_TIME_SYSTEMS,
  type Tdm,
  type TdmObservation,
  type TdmSegment,
  type TdmTimeSystem,
  tdmMetaNumber,
  tdmMetaPath,
  tdmMetaString,
  tdmParticipant,
} from './tdm.js';

/** Default largest time between a measurement and the meteo record given to it, s (half-hourly weather files). */
export const TDM_METEO_MAX_GAP_S = 3600;

/** Epochs closer than this are the same epoch when angles are paired, s. */
const SAME_EPOCH_S = 1e-6;

/** Options of `measurementsFromTdm`. */
export interface TdmMeasurementOptions {
  /** Leap seconds (and EOP for UT1) to read the epochs. */
  readonly context: TimeContext;
  /** File name put in each measurement's `source`. */
  readonly file?: string;
  /** Participant names that are ground stations; when given, the end of a path must be one. */
  readonly stations?: readonly string[];
  /** One-sigma noise to put on the measurements (a TDM carries none); NaN when not given. */
  readonly sigmas?: {
    readonly rangeKm?: number;
    readonly rangeRateKmS?: number;
    readonly angleRad?: number;
  };
  /** Converts a RANGE in range units (RU) to km; return undefined to skip it. */
  readonly rangeUnitsToKm?: (
    ru: number,
    segment: TdmSegment,
    observation: TdmObservation,
  ) => number | undefined;
  /** Largest time between a measurement and its meteo record, s (default TDM_METEO_MAX_GAP_S). */
  readonly meteoMaxGapS?: number;
}

/** Data records of one keyword of one segment that did not become measurements, and why. */
export interface TdmSkipped {
  /** Index of the segment (0-based). */
  readonly segment: number;
  readonly keyword: string;
  readonly count: number;
  /** Line of the first such record, when read from a file. */
  readonly line?: number;
  readonly reason: string;
}

/** The measurements of a TDM and what was left out. */
export interface TdmMeasurements {
  readonly measurements: Measurement[];
  readonly skipped: TdmSkipped[];
}

interface Geometry {
  readonly station: string;
  readonly target: string;
  readonly path: 'one-way' | 'two-way';
}

function geometry(seg: TdmSegment, stations: readonly string[] | undefined): Geometry | string {
  const m = seg.metadata;
  if (tdmMetaString(m, 'MODE') === 'SINGLE_DIFF')
    return 'MODE = SINGLE_DIFF: differenced data are not a Measurement kind';
  const p = tdmMetaPath(m, 'PATH');
  if (p === undefined) return 'no PATH: the station and the target are unknown';
  const name = (i: number | undefined): string => (i === undefined ? '' : (tdmParticipant(m, i) ?? ''));
  let g: Geometry;
  if (p.length === 2) g = { station: name(p[1]), target: name(p[0]), path: 'one-way' };
  else if (p.length === 3 && p[0] === p[2]) g = { station: name(p[2]), target: name(p[1]), path: 'two-way' };
  else return `PATH = ${p.join(',')}: relay and multi-leg paths are not converted`;
  if (stations !== undefined && !stations.includes(g.station)) {
    return `PATH = ${p.join(',')} ends at ${g.station}, which is not a ground station (uplink only)`;
  }
  return g;
}

function frameOf(referenceFrame: string | undefined): FrameName | undefined {
  if (referenceFrame === 'EME2000') return 'EME2000';
  if (referenceFrame === 'ICRF' || referenceFrame === 'GCRF') return 'GCRF';
  return undefined;
}

interface MeteoPoint {
  readonly epoch: Instant;
  readonly meteo: Meteo;
  readonly segment: number;
  readonly obs: readonly TdmObservation[];
}

/**
 * The measurements of a TDM (see the module header for the rules) and the records left out.
 * Throws only for bad options; every per-record problem is reported in `skipped`.
 */
export function measurementsFromTdm(tdm: Tdm, options: TdmMeasurementOptions): TdmMeasurements {
  const file = options.file ?? 'TDM';
  const sig = options.sigmas ?? {};
  const rangeSigma = sig.rangeKm ?? Number.NaN;
  const rateSigma = sig.rangeRateKmS ?? Number.NaN;
  const angleSigma = sig.angleRad ?? Number.NaN;
  const maxGap = options.meteoMaxGapS ?? TDM_METEO_MAX_GAP_S;
  if (!(maxGap >= 0))
    throw new AstroError('TDM_BAD_OPTION', 'meteoMaxGapS must be ≥ 0', { meteoMaxGapS: maxGap });
  const measurements: Measurement[] = [];
  const skippedMap = new Map<
    string,
    { segment: number; keyword: string; count: number; line?: number; reason: string }
  >();
  const skip = (segment: number, o: TdmObservation, reason: string): void => {
    const k = `${segment}\u0000${o.keyword}\u0000${reason}`;
    const s = skippedMap.get(k);
    if (s === undefined) {
      skippedMap.set(k, {
        segment,
        keyword: o.keyword,
        count: 1,
        ...(o.line === undefined ? {} : { line: o.line }),
        reason,
      });
    } else s.count++;
  };
  const meteoByStation = new Map<string, MeteoPoint[]>();

  tdm.segments.forEach((seg, si) => {
    const m = seg.metadata;
    const geo = geometry(seg, options.stations);
    const ts = tdmMetaString(m, 'TIME_SYSTEM');
    if (ts === undefined || !(TDM_TIME_SYSTEMS as readonly string[]).includes(ts)) {
      for (const o of seg.observations) skip(si, o, `TIME_SYSTEM ${ts ?? '(none)'} is not implemented`);
      return;
    }
    const timeSystem = ts as TdmTimeSystem;
    const timeTag = tdmMetaString(m, 'TIMETAG_REF') === 'TRANSMIT' ? 'transmit' : 'receive';
    const applyCorrections = tdmMetaString(m, 'CORRECTIONS_APPLIED') !== 'YES';
    const corr = (key: string): number => (applyCorrections ? (tdmMetaNumber(m, key) ?? 0) : 0);
    const rangeUnits = tdmMetaString(m, 'RANGE_UNITS') ?? 'km';
    const angleType = tdmMetaString(m, 'ANGLE_TYPE');
    const refFrame = tdmMetaString(m, 'REFERENCE_FRAME');
    const meteoStation = typeof geo === 'string' ? tdmParticipant(m, 1) : geo.station;
    const source = (o: TdmObservation): { source?: { file: string; line: number } } =>
      o.line === undefined ? {} : { source: { file, line: o.line } };

    const epochs = new Map<string, Instant | string>();
    const epochOf = (o: TdmObservation): Instant | undefined => {
      let t = epochs.get(o.epoch);
      if (t === undefined) {
        const r = parseTimeToInstant(o.epoch, options.context, { scale: timeSystem });
        t = r.ok
          ? r.value
          : `epochs in ${timeSystem} cannot be converted (${r.issues[0]?.code ?? ''}: ${r.issues[0]?.message ?? ''})`;
        epochs.set(o.epoch, t);
      }
      if (typeof t === 'string') {
        skip(si, o, t);
        return undefined;
      }
      return t;
    };

    const angles1: { o: TdmObservation; t: Instant }[] = [];
    const angles2: { o: TdmObservation; t: Instant }[] = [];
    const meteoParts = new Map<
      string,
      { t: Instant; p?: number; T?: number; h?: number; obs: TdmObservation[] }
    >();

    for (const o of seg.observations) {
      const k = o.keyword;
      if (k === 'PRESSURE' || k === 'TEMPERATURE' || k === 'RHUMIDITY') {
        if (meteoStation === undefined) {
          skip(si, o, 'meteo without a station (no PATH and no PARTICIPANT_1)');
          continue;
        }
        const t = epochOf(o);
        if (t === undefined) continue;
        const rec = meteoParts.get(o.epoch) ?? { t, obs: [] };
        if (k === 'PRESSURE') rec.p = o.value;
        else if (k === 'TEMPERATURE') rec.T = o.value;
        else rec.h = o.value;
        rec.obs.push(o);
        meteoParts.set(o.epoch, rec);
        continue;
      }
      const isMeasurement =
        k === 'RANGE' || k === 'DOPPLER_INSTANTANEOUS' || k === 'ANGLE_1' || k === 'ANGLE_2';
      if (!isMeasurement) {
        skip(
          si,
          o,
          k === 'DOPPLER_INTEGRATED'
            ? 'integrated Doppler (mean range rate over the count interval) is not converted'
            : `${k} is not a Measurement kind (kept in the TDM model)`,
        );
        continue;
      }
      if (typeof geo === 'string') {
        skip(si, o, geo);
        continue;
      }
      if (k === 'ANGLE_1' || k === 'ANGLE_2') {
        if (angleType !== 'AZEL' && angleType !== 'RADEC') {
          skip(
            si,
            o,
            angleType === undefined
              ? 'angles without ANGLE_TYPE'
              : `ANGLE_TYPE = ${angleType} is not converted (AZEL and RADEC are)`,
          );
          continue;
        }
        if (angleType === 'RADEC' && frameOf(refFrame) === undefined) {
          skip(
            si,
            o,
            `RADEC in REFERENCE_FRAME ${refFrame ?? '(none)'}: only EME2000, ICRF and GCRF are converted`,
          );
          continue;
        }
        const t = epochOf(o);
        if (t !== undefined) (k === 'ANGLE_1' ? angles1 : angles2).push({ o, t });
        continue;
      }
      const t = epochOf(o);
      if (t === undefined) continue;
      if (k === 'RANGE') {
        const v = o.value + corr('CORRECTION_RANGE');
        let km: number | undefined;
        if (rangeUnits === 'km') km = v;
        else if (rangeUnits === 's') km = v * SPEED_OF_LIGHT_KM_S;
        else if (options.rangeUnitsToKm !== undefined) km = options.rangeUnitsToKm(v, seg, o);
        if (km === undefined || !Number.isFinite(km)) {
          skip(
            si,
            o,
            rangeUnits === 'RU'
              ? 'RANGE_UNITS = RU: range units are mission-specific (transmit frequency, transponder ratio); give rangeUnitsToKm'
              : 'the range converter returned no value',
          );
          continue;
        }
        measurements.push({
          kind: 'range',
          epoch: t,
          timeTag,
          station: geo.station,
          target: geo.target,
          values: [km],
          sigmas: [rangeSigma],
          path: geo.path,
          ...source(o),
        });
      } else {
        measurements.push({
          kind: 'range-rate',
          epoch: t,
          timeTag,
          station: geo.station,
          target: geo.target,
          values: [o.value + corr('CORRECTION_DOPPLER')],
          sigmas: [rateSigma],
          path: geo.path,
          ...source(o),
        });
      }
    }

    // Pair ANGLE_1 with the ANGLE_2 of the same epoch: both sorted by time, one merge pass.
    if (typeof geo !== 'string') {
      const byTime = (a: { t: Instant }, b: { t: Instant }): number => a.t.compare(b.t);
      angles1.sort(byTime);
      angles2.sort(byTime);
      const radec = angleType === 'RADEC';
      const frame = radec ? frameOf(refFrame) : undefined;
      let j = 0;
      for (const a of angles1) {
        while (j < angles2.length && angles2[j]!.t.secondsSince(a.t) < -SAME_EPOCH_S) {
          skip(si, angles2[j]!.o, 'ANGLE_2 without an ANGLE_1 at the same epoch');
          j++;
        }
        const b = angles2[j];
        if (b === undefined || b.t.secondsSince(a.t) > SAME_EPOCH_S) {
          skip(si, a.o, 'ANGLE_1 without an ANGLE_2 at the same epoch');
          continue;
        }
        j++;
        measurements.push({
          kind: radec ? 'right-ascension-declination' : 'azimuth-elevation',
          epoch: a.t,
          timeTag,
          station: geo.station,
          target: geo.target,
          values: [
            (a.o.value + corr('CORRECTION_ANGLE_1')) * DEG2RAD,
            (b.o.value + corr('CORRECTION_ANGLE_2')) * DEG2RAD,
          ],
          sigmas: [angleSigma, angleSigma],
          path: geo.path,
          ...(frame === undefined ? {} : { frame }),
          ...source(a.o),
        });
      }
      for (; j < angles2.length; j++) skip(si, angles2[j]!.o, 'ANGLE_2 without an ANGLE_1 at the same epoch');
    }

    for (const rec of meteoParts.values()) {
      if (rec.p === undefined || rec.T === undefined || rec.h === undefined || meteoStation === undefined) {
        for (const o of rec.obs)
          skip(si, o, 'incomplete meteo: PRESSURE, TEMPERATURE and RHUMIDITY are needed at one epoch');
        continue;
      }
      const list = meteoByStation.get(meteoStation) ?? [];
      list.push({
        epoch: rec.t,
        meteo: { pressureHpa: rec.p, temperatureK: rec.T, humidityPercent: rec.h },
        segment: si,
        obs: rec.obs,
      });
      meteoByStation.set(meteoStation, list);
    }
  });

  for (const list of meteoByStation.values()) list.sort((a, b) => a.epoch.compare(b.epoch));
  const usedMeteo = new Set<MeteoPoint>();
  const out = measurements.map((ms) => {
    const list = meteoByStation.get(ms.station);
    if (list === undefined) return ms;
    // First meteo record at or after the measurement; the nearest is it or the one before.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.epoch.compare(ms.epoch) < 0) lo = mid + 1;
      else hi = mid;
    }
    let best: MeteoPoint | undefined;
    let bestGap = Number.POSITIVE_INFINITY;
    for (const p of [list[lo - 1], list[lo]]) {
      if (p === undefined) continue;
      const gap = Math.abs(p.epoch.secondsSince(ms.epoch));
      if (gap < bestGap) {
        bestGap = gap;
        best = p;
      }
    }
    if (best === undefined || bestGap > maxGap) return ms;
    usedMeteo.add(best);
    return { ...ms, meteo: best.meteo };
  });
  for (const list of meteoByStation.values()) {
    for (const p of list) {
      if (usedMeteo.has(p)) continue;
      for (const o of p.obs)
        skip(p.segment, o, 'meteo with no measurement of its station within meteoMaxGapS');
    }
  }
  out.sort((a, b) => a.epoch.compare(b.epoch));
  return { measurements: out, skipped: [...skippedMap.values()] };
}

/** The header of a TDM written from measurements. */
export interface TdmWriteHeader {
  readonly originator: string;
  /** CREATION_DATE, a UTC time string (CCSDS ASCII A or B). */
  readonly creationDate: string;
  readonly messageId?: string;
  readonly comments?: readonly string[];
}

/** Decimals of the seconds of written epochs (1 ns). */
const EPOCH_DECIMALS = 9;

function number(v: number): string {
  return String(v);
}

/**
 * A TDM 2.0 holding the measurements (see the module header). Epochs in UTC through `context`.
 * Throws `TDM_UNSUPPORTED_KIND` for position measurements and for right ascension/declination in a
 * frame other than GCRF or EME2000, `TDM_BAD_EPOCH` for a creation date that is not a CCSDS time.
 */
export function tdmFromMeasurements(
  measurements: readonly Measurement[],
  header: TdmWriteHeader,
  context: TimeContext,
): Tdm {
  if (!parseTimeString(header.creationDate).ok) {
    throw new AstroError('TDM_BAD_EPOCH', 'CREATION_DATE is not a CCSDS time', {
      found: header.creationDate,
    });
  }
  interface Group {
    readonly first: Measurement;
    readonly list: Measurement[];
  }
  const groups = new Map<string, Group>();
  for (const ms of measurements) {
    if (ms.kind === 'position') {
      throw new AstroError('TDM_UNSUPPORTED_KIND', 'a TDM has no position measurements', {
        station: ms.station,
        target: ms.target,
      });
    }
    if (ms.kind === 'right-ascension-declination' && ms.frame !== 'GCRF' && ms.frame !== 'EME2000') {
      throw new AstroError('TDM_UNSUPPORTED_KIND', 'right ascension/declination must be in GCRF or EME2000', {
        frame: ms.frame,
      });
    }
    const key = [ms.station, ms.target, ms.kind, ms.path, ms.timeTag, ms.frame ?? ''].join('\u0000');
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { first: ms, list: [ms] });
    else g.list.push(ms);
  }
  const fmt = (t: Instant): string =>
    formatTime(t, context, { scale: 'UTC', style: 'ccsds-a', decimals: EPOCH_DECIMALS });
  const segments: TdmSegment[] = [];
  for (const { first, list } of groups.values()) {
    const sorted = [...list].sort((a, b) => a.epoch.compare(b.epoch));
    const values: Record<string, string | number | readonly number[]> = {
      TIME_SYSTEM: 'UTC',
      START_TIME: fmt(sorted[0]!.epoch),
      STOP_TIME: fmt(sorted[sorted.length - 1]!.epoch),
      PARTICIPANT_1: first.station,
      PARTICIPANT_2: first.target,
      MODE: 'SEQUENTIAL',
      PATH: first.path === 'two-way' ? [1, 2, 1] : [2, 1],
      TIMETAG_REF: first.timeTag === 'transmit' ? 'TRANSMIT' : 'RECEIVE',
    };
    if (first.kind === 'range') values['RANGE_UNITS'] = 'km';
    if (first.kind === 'azimuth-elevation') values['ANGLE_TYPE'] = 'AZEL';
    if (first.kind === 'right-ascension-declination') {
      values['ANGLE_TYPE'] = 'RADEC';
      values['REFERENCE_FRAME'] = first.frame === 'EME2000' ? 'EME2000' : 'GCRF';
    }
    const observations: TdmObservation[] = [];
    const obs = (keyword: string, epoch: string, value: number): void => {
      observations.push({ keyword, epoch, value: Number(number(value)), text: number(value) });
    };
    const meteoDone = new Set<string>();
    for (const ms of sorted) {
      const e = fmt(ms.epoch);
      if (ms.kind === 'range') obs('RANGE', e, ms.values[0]!);
      else if (ms.kind === 'range-rate') obs('DOPPLER_INSTANTANEOUS', e, ms.values[0]!);
      else {
        obs('ANGLE_1', e, ms.values[0]! / DEG2RAD);
        obs('ANGLE_2', e, ms.values[1]! / DEG2RAD);
      }
      if (ms.meteo !== undefined && !meteoDone.has(e)) {
        meteoDone.add(e);
        obs('PRESSURE', e, ms.meteo.pressureHpa);
        obs('TEMPERATURE', e, ms.meteo.temperatureK);
        obs('RHUMIDITY', e, ms.meteo.humidityPercent);
      }
    }
    segments.push({ metadata: { comments: [], values }, dataComments: [], observations });
  }
  return {
    header: {
      version: '2.0',
      comments: header.comments ?? [],
      creationDate: header.creationDate,
      originator: header.originator,
      ...(header.messageId === undefined ? {} : { messageId: header.messageId }),
    },
    segments,
  };
}
