/**
 * CRD reader (ILRS Consolidated Laser Ranging Data format, versions 1 and 2; see crd-model.ts).
 * Record types are read in either case (`h1` or `H1`). Fields are whitespace separated, as both
 * versions allow. A file must end with H9 and every block with H8; otherwise the file is refused
 * with CRD_UNEXPECTED_END_OF_FILE at its last line.
 *
 * Midnight rollover: data records carry only seconds of day. The day of each record is the day
 * among (session start day − 1, start day, start day + 1) that puts the epoch nearest to the
 * session interval of H4 (inside it when possible): a pass that crosses midnight gets its
 * after-midnight records on the next day, and a calibration taken a second before the start
 * stays on the start day.
 *
 * Error codes: CRD_PARSE_LINE (a field that is not what the record needs), CRD_UNEXPECTED_FORMAT
 * (H1 does not say CRD, or a version other than 1 and 2), CRD_INVALID_RANGE_TYPE (H4 range type
 * outside 0..4), CRD_UNEXPECTED_RECORD (a record where it cannot be, or of an unknown type),
 * CRD_UNEXPECTED_END_OF_FILE.
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import { isValidDate, mjdFromCalendar } from '../math/calendar.js';
import type {
  CrdAngles,
  CrdBlock,
  CrdCalibration,
  CrdDateTime,
  CrdFile,
  CrdFormatHeader,
  CrdLaserConfiguration,
  CrdMeteo,
  CrdOtherConfiguration,
  CrdPredictionHeader,
  CrdRange,
  CrdRangeSupplement,
  CrdRawRecord,
  CrdReadOptions,
  CrdSessionHeader,
  CrdSessionStatistics,
  CrdStationHeader,
  CrdSystemConfiguration,
  CrdTargetHeader,
} from './crd-model.js';
import { FieldReader, RecordError, type RecordLine, splitRecords } from './record-fields.js';

const SECONDS_PER_DAY = 86400;
/** Valid H4 range types: 0 no ranges, 1 one-way, 2 two-way, 3 receive times only, 4 mixed. */
const MAX_RANGE_TYPE = 4;

interface OpenBlock {
  line: number;
  format?: CrdFormatHeader;
  station?: CrdStationHeader;
  target?: CrdTargetHeader;
  session?: CrdSessionHeader;
  prediction?: CrdPredictionHeader;
  systemConfigurations: CrdSystemConfiguration[];
  laserConfigurations: CrdLaserConfiguration[];
  otherConfigurations: CrdOtherConfiguration[];
  ranges: CrdRange[];
  rangeSupplements: CrdRangeSupplement[];
  meteo: CrdMeteo[];
  angles: CrdAngles[];
  calibrations: CrdCalibration[];
  sessionStatistics: CrdSessionStatistics[];
  otherRecords: CrdRawRecord[];
  comments: string[];
}

function newBlock(line: number): OpenBlock {
  return {
    line,
    systemConfigurations: [],
    laserConfigurations: [],
    otherConfigurations: [],
    ranges: [],
    rangeSupplements: [],
    meteo: [],
    angles: [],
    calibrations: [],
    sessionStatistics: [],
    otherRecords: [],
    comments: [],
  };
}

/** Parses a CRD file (text). Never throws on bad input: the result carries the first issue. */
export function parseCrd(text: string, options: CrdReadOptions = {}): ParseResult<CrdFile> {
  const file = options.fileName;
  const records = splitRecords(text);
  const blocks: CrdBlock[] = [];
  const comments: string[] = [];
  let open: OpenBlock | undefined;
  // Headers carried over to a following block that omits them.
  let lastFormat: CrdFormatHeader | undefined;
  let lastStation: CrdStationHeader | undefined;
  let lastTarget: CrdTargetHeader | undefined;
  let ended = false;
  const issue = (rec: RecordLine, code: string, message: string, expected?: string): ParseIssue =>
    lineIssue(file, rec.line, 1, code, message, expected, rec.raw.trim());

  try {
    for (const rec of records) {
      const type = (rec.fields[0]?.text ?? '').toUpperCase();
      if (ended) {
        return {
          ok: false,
          issues: [issue(rec, 'CRD_UNEXPECTED_RECORD', 'record after the H9 end of file', 'nothing')],
        };
      }
      if (type === '00') {
        const comment = rec.raw.replace(/^\s*00\s?/, '').trim();
        comments.push(comment);
        open?.comments.push(comment);
        continue;
      }
      const r = new FieldReader(rec, file, 'CRD_PARSE_LINE', `CRD record ${type}`);
      if (type === 'H9') {
        if (open !== undefined) {
          return {
            ok: false,
            issues: [issue(rec, 'CRD_UNEXPECTED_RECORD', 'H9 before the H8 that ends the block', 'H8')],
          };
        }
        ended = true;
        continue;
      }
      if (type === 'H1' || type === 'H2' || type === 'H3' || type === 'H4' || type === 'H5') {
        if (open === undefined) open = newBlock(rec.line);
        else if (open.session !== undefined && type !== 'H5') {
          return {
            ok: false,
            issues: [
              issue(rec, 'CRD_UNEXPECTED_RECORD', `${type} inside a data block that has not ended`, 'H8'),
            ],
          };
        }
        if (type === 'H1') {
          const format = r.str(1, 'format').toUpperCase();
          if (format !== 'CRD') {
            return {
              ok: false,
              issues: [
                lineIssue(
                  file,
                  rec.line,
                  r.rec.fields[1]?.column ?? 1,
                  'CRD_UNEXPECTED_FORMAT',
                  'H1 does not announce a CRD file',
                  'CRD',
                  r.str(1, 'format'),
                ),
              ],
            };
          }
          const version = r.int(2, 'version');
          if (version !== 1 && version !== 2) r.fail(2, 'CRD version 1 or 2', 'unsupported CRD version');
          open.format = {
            version,
            productionYear: r.int(3, 'production year'),
            productionMonth: r.int(4, 'production month'),
            productionDay: r.int(5, 'production day'),
            productionHour: r.int(6, 'production hour'),
          };
          lastFormat = open.format;
        } else if (type === 'H2') {
          const v2 = (open.format ?? lastFormat)?.version === 2;
          const network = v2 ? r.rest(6).join(' ') : '';
          open.station = {
            name: r.str(1, 'station name'),
            systemId: r.str(2, 'system identifier (CDP pad id)'),
            systemNumber: r.int(3, 'system number'),
            occupancy: r.int(4, 'occupancy sequence number'),
            epochTimeScale: r.int(5, 'station epoch time scale'),
            ...(v2 && network !== '' ? { network } : {}),
          };
          lastStation = open.station;
        } else if (type === 'H3') {
          const location = r.count > 7 ? r.int(7, 'target location', true) : Number.NaN;
          open.target = {
            name: r.str(1, 'target name'),
            ilrsId: r.str(2, 'ILRS satellite id'),
            sic: r.str(3, 'SIC'),
            noradId: r.str(4, 'NORAD id'),
            spacecraftEpochTimeScale: r.int(5, 'spacecraft epoch time scale'),
            targetClass: r.int(6, 'target type'),
            ...(Number.isNaN(location) ? {} : { targetLocation: location }),
          };
          lastTarget = open.target;
        } else if (type === 'H4') {
          open.session = readSession(r);
        } else {
          open.prediction = {
            predictionType: r.int(1, 'prediction type'),
            yearOfCentury: r.int(2, 'year of century'),
            dateAndTime: r.str(3, 'date and time'),
            provider: r.str(4, 'prediction provider'),
            sequenceNumber: r.int(5, 'sequence number'),
          };
        }
        continue;
      }
      if (type === 'H8') {
        if (open?.session === undefined) {
          return {
            ok: false,
            issues: [issue(rec, 'CRD_UNEXPECTED_RECORD', 'H8 without an open data block', 'H1..H4')],
          };
        }
        const format = open.format ?? lastFormat;
        const station = open.station ?? lastStation;
        const target = open.target ?? lastTarget;
        if (format === undefined || station === undefined || target === undefined) {
          const missing = format === undefined ? 'H1' : station === undefined ? 'H2' : 'H3';
          return {
            ok: false,
            issues: [issue(rec, 'CRD_UNEXPECTED_RECORD', `data block without ${missing}`, missing)],
          };
        }
        const { line, prediction, session, ...rest } = open;
        blocks.push({
          line,
          format,
          station,
          target,
          session,
          ...(prediction === undefined ? {} : { prediction }),
          systemConfigurations: rest.systemConfigurations,
          laserConfigurations: rest.laserConfigurations,
          otherConfigurations: rest.otherConfigurations,
          ranges: rest.ranges,
          rangeSupplements: rest.rangeSupplements,
          meteo: rest.meteo,
          angles: rest.angles,
          calibrations: rest.calibrations,
          sessionStatistics: rest.sessionStatistics,
          otherRecords: rest.otherRecords,
          comments: rest.comments,
        });
        open = undefined;
        continue;
      }
      if (open?.session === undefined) {
        return {
          ok: false,
          issues: [
            issue(
              rec,
              'CRD_UNEXPECTED_RECORD',
              `record ${type} before the H4 session header of its block`,
              'H1..H4',
            ),
          ],
        };
      }
      readDataRecord(type, r, open, open.session, (open.format ?? lastFormat)?.version ?? 1);
    }
  } catch (e) {
    if (e instanceof RecordError) return { ok: false, issues: [e.issue] };
    throw e;
  }
  if (!ended || open !== undefined) {
    const last = records[records.length - 1];
    // The end of the text: its last line (a final newline does not start another line).
    const line = text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0);
    return {
      ok: false,
      issues: [
        lineIssue(
          file,
          line,
          1,
          'CRD_UNEXPECTED_END_OF_FILE',
          open !== undefined ? 'the file ends inside a data block' : 'the file ends without its H9 record',
          open !== undefined ? 'H8 then H9' : 'H9',
          last?.raw.trim() ?? '',
        ),
      ],
    };
  }
  return { ok: true, value: { blocks, comments }, warnings: [] };
}

function dateTime(r: FieldReader, i: number, what: string): CrdDateTime {
  const year = r.int(i, `${what} year`);
  const month = r.int(i + 1, `${what} month`);
  const day = r.int(i + 2, `${what} day`);
  const hour = r.int(i + 3, `${what} hour`);
  const minute = r.int(i + 4, `${what} minute`);
  const second = r.int(i + 5, `${what} second`);
  if (!isValidDate(year, month, day)) r.fail(i, 'a valid calendar date', `${what} date is not a valid date`);
  if (hour > 23 || minute > 59 || second > 60)
    r.fail(i + 3, 'a time of day', `${what} time is not a valid time`);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    mjd: mjdFromCalendar(year, month, day),
    secondsOfDay: hour * 3600 + minute * 60 + second,
  };
}

function readSession(r: FieldReader): CrdSessionHeader {
  const dataType = r.int(1, 'data type');
  if (dataType < 0 || dataType > 2) r.fail(1, 'data type 0, 1 or 2');
  const start = dateTime(r, 2, 'start');
  // Some files write the end as -1 -1 -1 -1 -1 -1 (unknown).
  const end = r.int(8, 'end year') < 0 ? undefined : dateTime(r, 8, 'end');
  const flag = (i: number, name: string): boolean => r.int(i, name) === 1;
  const rangeType = r.int(20, 'range type');
  if (rangeType < 0 || rangeType > MAX_RANGE_TYPE) {
    throw new RecordError(
      lineIssue(
        r.file,
        r.rec.line,
        r.rec.fields[20]?.column ?? 1,
        'CRD_INVALID_RANGE_TYPE',
        'H4 range type indicator is not valid',
        'range type 0 (no ranges), 1 (one-way), 2 (two-way), 3 (receive times only) or 4 (mixed)',
        r.str(20, 'range type'),
      ),
    );
  }
  return {
    dataType,
    start,
    ...(end === undefined ? {} : { end }),
    dataReleaseFlag: r.int(14, 'data release flag'),
    troposphericRefractionApplied: flag(15, 'tropospheric refraction correction applied'),
    centerOfMassCorrectionApplied: flag(16, 'centre-of-mass correction applied'),
    receiveAmplitudeCorrectionApplied: flag(17, 'receive amplitude correction applied'),
    stationSystemDelayApplied: flag(18, 'station system delay applied'),
    spacecraftSystemDelayApplied: flag(19, 'spacecraft system delay applied'),
    rangeType,
    dataQualityAlert: r.int(21, 'data quality alert indicator', true),
  };
}

/** The day of a seconds-of-day epoch: the one nearest to the session interval (see header). */
function resolveDay(session: CrdSessionHeader, sod: number): number {
  const start = session.start.secondsOfDay;
  const e = session.end ?? session.start;
  const end = e.secondsOfDay + (e.mjd - session.start.mjd) * SECONDS_PER_DAY;
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of [0, 1, -1]) {
    const t = sod + k * SECONDS_PER_DAY;
    const distance = t < start ? start - t : t > end ? t - end : 0;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = k;
    }
  }
  return session.start.mjd + best;
}

function readDataRecord(
  type: string,
  r: FieldReader,
  b: OpenBlock,
  session: CrdSessionHeader,
  version: number,
): void {
  const line = r.rec.line;
  const epoch = (): { line: number; mjd: number; secondsOfDay: number } => {
    const sod = r.num(1, 'seconds of day');
    if (sod < 0 || sod > SECONDS_PER_DAY + 1) r.fail(1, 'seconds of day in [0, 86401)');
    return { line, mjd: resolveDay(session, sod), secondsOfDay: sod };
  };
  switch (type) {
    case 'C0':
      b.systemConfigurations.push({
        line,
        detailType: r.int(1, 'detail type'),
        wavelengthNm: r.num(2, 'transmit wavelength (nm)'),
        systemId: r.str(3, 'system configuration id'),
        components: r.rest(4),
      });
      return;
    case 'C1':
      b.laserConfigurations.push({
        line,
        laserId: r.str(2, 'laser configuration id'),
        laserType: r.str(3, 'laser type'),
        primaryWavelengthNm: r.num(4, 'primary wavelength (nm)'),
        nominalFireRateHz: r.num(5, 'nominal fire rate (Hz)', true),
        pulseEnergyMj: r.num(6, 'pulse energy (mJ)', true),
        pulseWidthPs: r.num(7, 'pulse width (ps)', true),
        beamDivergenceArcsec: r.num(8, 'beam divergence (arcsec)', true),
        pulsesInOutgoingSemiTrain: r.int(9, 'pulses in outgoing semi-train', true),
      });
      return;
    case 'C2':
    case 'C3':
    case 'C4':
    case 'C5':
    case 'C6':
    case 'C7':
      r.int(1, 'detail type');
      b.otherConfigurations.push({ line, type, id: r.str(2, 'configuration id'), fields: r.rest(1) });
      return;
    case '10':
    case '11': {
      const e = epoch();
      const timeOfFlightS = r.num(2, 'time of flight (s)');
      const systemConfigurationId = r.str(3, 'system configuration id');
      const epochEvent = r.int(4, 'epoch event');
      if (epochEvent < 0 || epochEvent > 7) r.fail(4, 'epoch event 0..7');
      if (type === '10') {
        b.ranges.push({
          ...e,
          record: '10',
          timeOfFlightS,
          systemConfigurationId,
          epochEvent,
          filterFlag: r.int(5, 'filter flag'),
          detectorChannel: r.int(6, 'detector channel'),
          stopNumber: r.int(7, 'stop number'),
          receiveAmplitude: r.num(8, 'receive amplitude', true),
          transmitAmplitude: r.num(9, 'transmit amplitude', true),
        });
      } else {
        const snr = version === 2 ? r.num(13, 'signal to noise ratio', true) : Number.NaN;
        b.ranges.push({
          ...e,
          record: '11',
          timeOfFlightS,
          systemConfigurationId,
          epochEvent,
          windowLengthS: r.num(5, 'normal point window length (s)'),
          numberOfRawRanges: r.int(6, 'number of raw ranges'),
          binRmsPs: r.num(7, 'bin RMS (ps)', true),
          binSkew: r.num(8, 'bin skew', true),
          binKurtosis: r.num(9, 'bin kurtosis', true),
          binPeakMinusMeanPs: r.num(10, 'bin peak − mean (ps)', true),
          returnRatePercent: r.num(11, 'return rate (%)', true),
          detectorChannel: r.int(12, 'detector channel'),
          ...(Number.isNaN(snr) ? {} : { snr }),
        });
      }
      return;
    }
    case '12': {
      const rate = r.num(7, 'range rate (m/s)', true);
      b.rangeSupplements.push({
        ...epoch(),
        systemConfigurationId: r.str(2, 'system configuration id'),
        troposphericRefractionCorrectionPs: r.num(3, 'tropospheric refraction correction (ps)', true),
        centerOfMassCorrectionM: r.num(4, 'centre-of-mass correction (m)', true),
        ndFilterValue: r.num(5, 'ND filter value', true),
        timeBiasAppliedS: r.num(6, 'time bias applied (s)', true),
        ...(Number.isNaN(rate) ? {} : { rangeRateMPerS: rate }),
      });
      return;
    }
    case '20':
      b.meteo.push({
        ...epoch(),
        pressureMbar: r.num(2, 'surface pressure (mbar)'),
        temperatureK: r.num(3, 'surface temperature (K)'),
        humidityPercent: r.num(4, 'relative humidity (%)'),
        originOfValues: r.int(5, 'origin of values'),
      });
      return;
    case '30':
      b.angles.push({
        ...epoch(),
        azimuthDeg: r.num(2, 'azimuth (deg)'),
        elevationDeg: r.num(3, 'elevation (deg)'),
        directionFlag: r.int(4, 'direction flag'),
        originIndicator: r.int(5, 'angle origin indicator'),
        refractionCorrected: r.int(6, 'refraction corrected flag') === 1,
        azimuthRateDegPerS: r.num(7, 'azimuth rate (deg/s)', true),
        elevationRateDegPerS: r.num(8, 'elevation rate (deg/s)', true),
      });
      return;
    case '40':
    case '41': {
      const span = r.int(16, 'span', true);
      const rate = r.num(17, 'return rate (%)', true);
      b.calibrations.push({
        ...epoch(),
        record: type,
        typeOfData: r.int(2, 'type of data'),
        systemConfigurationId: r.str(3, 'system configuration id'),
        pointsRecorded: r.int(4, 'number of points recorded', true),
        pointsUsed: r.int(5, 'number of points used', true),
        oneWayTargetDistanceM: r.num(6, 'one-way target distance (m)', true),
        systemDelayPs: r.num(7, 'calibration system delay (ps)'),
        delayShiftPs: r.num(8, 'calibration delay shift (ps)', true),
        rmsPs: r.num(9, 'RMS (ps)', true),
        skew: r.num(10, 'skew', true),
        kurtosis: r.num(11, 'kurtosis', true),
        peakMinusMeanPs: r.num(12, 'peak − mean (ps)', true),
        typeIndicator: r.int(13, 'calibration type indicator'),
        shiftTypeIndicator: r.int(14, 'calibration shift type indicator'),
        detectorChannel: r.int(15, 'detector channel'),
        ...(Number.isNaN(span) ? {} : { span }),
        ...(Number.isNaN(rate) ? {} : { returnRatePercent: rate }),
      });
      return;
    }
    case '50':
      b.sessionStatistics.push({
        line,
        systemConfigurationId: r.str(1, 'system configuration id'),
        rmsPs: r.num(2, 'session RMS (ps)', true),
        skew: r.num(3, 'session skew', true),
        kurtosis: r.num(4, 'session kurtosis', true),
        peakMinusMeanPs: r.num(5, 'session peak − mean (ps)', true),
        dataQuality: r.int(6, 'data quality assessment indicator'),
      });
      return;
    case '21':
    case '42':
      r.num(1, 'seconds of day');
      b.otherRecords.push({ line, record: type, fields: r.rest(1) });
      return;
    case '60':
      b.otherRecords.push({ line, record: type, fields: r.rest(1) });
      return;
    default:
      if (/^9\d$/.test(type)) {
        b.otherRecords.push({ line, record: type, fields: r.rest(1) });
        return;
      }
      throw new RecordError(
        lineIssue(
          r.file,
          line,
          1,
          'CRD_UNEXPECTED_RECORD',
          `unknown CRD record type ${type}`,
          'H1..H9, C0..C7, 00, 10..60 or 9x',
          r.rec.raw.trim(),
        ),
      );
  }
}
