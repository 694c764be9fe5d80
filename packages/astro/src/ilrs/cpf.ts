/**
 * ILRS CPF (Consolidated Prediction Format, version 1.01 of 2006 and version 2.0 of 2018, ILRS
 * Data Formats and Procedures Working Group): model, reader and writer, and the positions as
 * Instants with ITRF km.
 *
 * A file is the header records H1..H5 closed by H9, then data records: 10 position (direction
 * flag, MJD, seconds of day, leap second flag, x y z in metres, geocentric; frame per H2), 20
 * velocity (m/s), 30 corrections (aberration, m, and relativistic range correction, ns), 40
 * transponder, 50 offset from centre of mass, 60 rotation angle, 70 Earth orientation, `00`
 * comments anywhere, and 99 ends the file. Records 30..70 are kept as their raw fields, attached to
 * the preceding 10 record. Epochs are UTC (CPF §2). The model keeps the file's units (m, m/s).
 *
 * The writer produces fixed-format records that reparse to identical values: every number is
 * written with the format's usual decimals when that text reads back to the same double, and in
 * full otherwise.
 *
 * Error codes: CPF_PARSE_LINE, CPF_UNEXPECTED_FORMAT (H1 does not say CPF, or version not 1/2),
 * CPF_UNEXPECTED_RECORD, CPF_UNEXPECTED_END_OF_FILE (no 99 record).
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import type { Vec3 } from '../math/vec3.js';
import type { Instant } from '../time/instant.js';
import type { TimeContext } from '../time/utc.js';
import { crdEpochInstant } from './crd-measurements.js';
import { FieldReader, RecordError, splitRecords } from './record-fields.js';

/** H1 and H2 (and the optional H3..H5) of a CPF file. */
export interface CpfHeader {
  readonly version: number;
  /** Ephemeris source (3 characters, e.g. CNE, HTS, ESA). */
  readonly source: string;
  readonly productionYear: number;
  readonly productionMonth: number;
  readonly productionDay: number;
  readonly productionHour: number;
  readonly sequenceNumber: number;
  /** Version 2: sub-daily sequence number. */
  readonly subDailySequenceNumber?: number;
  readonly targetName: string;
  /** H1 notes (free text), when present. */
  readonly notes?: string;
  readonly ilrsId: string;
  readonly sic: string;
  readonly noradId: string;
  /** Start and end of the prediction: y m d h m s (UTC). */
  readonly start: readonly [number, number, number, number, number, number];
  readonly end: readonly [number, number, number, number, number, number];
  /** Time between table entries, s. */
  readonly stepS: number;
  /** 1 when compatible with tuned inter-range vectors (TIVs). */
  readonly compatibleWithTivs: number;
  /** 1 passive retroreflector, 2 synchronous transponder, ... */
  readonly targetClass: number;
  /** 0 geocentric true body-fixed (ITRF, default), 1 true of date, 2 mean of J2000. */
  readonly referenceFrame: number;
  readonly rotationalAngleType: number;
  /** 0 none, 1 centre-of-mass correction applied (positions are of the reflector). */
  readonly centerOfMassCorrection: number;
  /** Version 2: target location/dynamics (1 Earth orbit, 2 lunar orbit, ...). */
  readonly targetLocation?: number;
  /** H3, H4: raw fields when present. */
  readonly h3?: readonly string[];
  readonly h4?: readonly string[];
  /** H5: spherical satellite centre-of-mass correction, m. */
  readonly centerOfMassOffsetM?: number;
}

/** One 10 record with its optional 20 velocity and the raw 30..70 records that follow it. */
export interface CpfEntry {
  /** 0 common epoch (instantaneous vector), 1 transmit, 2 receive. */
  readonly directionFlag: number;
  readonly mjd: number;
  readonly secondsOfDay: number;
  /** Leap second flag: 0, or the value of the new leap second on a leap-second day. */
  readonly leapSecond: number;
  readonly positionM: readonly [number, number, number];
  readonly velocityMPerS?: readonly [number, number, number];
  /** Direction flag of the 20 record when present. */
  readonly velocityDirectionFlag?: number;
  /** Records 30, 40, 50, 60, 70 that follow this entry: type and fields after it, as written. */
  readonly extra: readonly { readonly record: string; readonly fields: readonly string[] }[];
}

/** A parsed CPF file. */
export interface CpfFile {
  readonly header: CpfHeader;
  readonly entries: readonly CpfEntry[];
  /** Every `00` comment, text without the record type. */
  readonly comments: readonly string[];
}

/** Options of the CPF reader. */
export interface CpfReadOptions {
  readonly fileName?: string;
}

type Date6 = [number, number, number, number, number, number];
type CpfH1 = Pick<
  CpfHeader,
  | 'version'
  | 'source'
  | 'productionYear'
  | 'productionMonth'
  | 'productionDay'
  | 'productionHour'
  | 'sequenceNumber'
  | 'subDailySequenceNumber'
  | 'targetName'
  | 'notes'
>;
type CpfH2 = Pick<
  CpfHeader,
  | 'ilrsId'
  | 'sic'
  | 'noradId'
  | 'start'
  | 'end'
  | 'stepS'
  | 'compatibleWithTivs'
  | 'targetClass'
  | 'referenceFrame'
  | 'rotationalAngleType'
  | 'centerOfMassCorrection'
  | 'targetLocation'
>;
type CpfExtraHeader = Pick<CpfHeader, 'h3' | 'h4' | 'centerOfMassOffsetM'>;

interface MutableEntry {
  directionFlag: number;
  mjd: number;
  secondsOfDay: number;
  leapSecond: number;
  positionM: [number, number, number];
  velocityMPerS?: [number, number, number];
  velocityDirectionFlag?: number;
  extra: { record: string; fields: string[] }[];
}

/** Parses a CPF file (text). Never throws on bad input. */
export function parseCpf(text: string, options: CpfReadOptions = {}): ParseResult<CpfFile> {
  const file = options.fileName;
  const records = splitRecords(text);
  const comments: string[] = [];
  const entries: MutableEntry[] = [];
  let h1: CpfH1 | undefined;
  let h2: CpfH2 | undefined;
  let extraHeader: CpfExtraHeader = {};
  let header: CpfHeader | undefined;
  let headerDone = false;
  let ended = false;
  const unexpected = (
    line: number,
    raw: string,
    message: string,
    expected: string,
  ): ParseResult<CpfFile> => ({
    ok: false,
    issues: [lineIssue(file, line, 1, 'CPF_UNEXPECTED_RECORD', message, expected, raw.trim())],
  });
  try {
    for (const rec of records) {
      const type = (rec.fields[0]?.text ?? '').toUpperCase();
      if (ended) return unexpected(rec.line, rec.raw, 'record after the 99 end of file', 'nothing');
      if (type === '00') {
        comments.push(rec.raw.replace(/^\s*00\s?/, '').trim());
        continue;
      }
      const r = new FieldReader(rec, file, 'CPF_PARSE_LINE', `CPF record ${type}`);
      if (type.startsWith('H')) {
        if (headerDone)
          return unexpected(rec.line, rec.raw, `header record ${type} after H9`, 'data records 10..70 or 99');
        if (type === 'H1') {
          const format = r.str(1, 'format');
          if (format.toUpperCase() !== 'CPF') {
            return {
              ok: false,
              issues: [
                lineIssue(
                  file,
                  rec.line,
                  rec.fields[1]?.column ?? 1,
                  'CPF_UNEXPECTED_FORMAT',
                  'H1 does not announce a CPF file',
                  'CPF',
                  format,
                ),
              ],
            };
          }
          const version = r.int(2, 'version');
          if (version !== 1 && version !== 2) r.fail(2, 'CPF version 1 or 2', 'unsupported CPF version');
          let i = 9;
          const sub = version === 2 ? r.int(i++, 'sub-daily sequence number') : undefined;
          const targetName = r.str(i++, 'target name');
          const notes = r.rest(i).join(' ');
          h1 = {
            version,
            source: r.str(3, 'ephemeris source'),
            productionYear: r.int(4, 'production year'),
            productionMonth: r.int(5, 'production month'),
            productionDay: r.int(6, 'production day'),
            productionHour: r.int(7, 'production hour'),
            sequenceNumber: r.int(8, 'ephemeris sequence number'),
            ...(sub === undefined ? {} : { subDailySequenceNumber: sub }),
            targetName,
            ...(notes === '' ? {} : { notes }),
          };
        } else if (type === 'H2') {
          if (h1 === undefined) return unexpected(rec.line, rec.raw, 'H2 before H1', 'H1');
          const date = (i: number, what: string): Date6 => [
            r.int(i, `${what} year`),
            r.int(i + 1, `${what} month`),
            r.int(i + 2, `${what} day`),
            r.int(i + 3, `${what} hour`),
            r.int(i + 4, `${what} minute`),
            r.int(i + 5, `${what} second`),
          ];
          const location = h1.version === 2 && r.count > 22 ? r.int(22, 'target location') : undefined;
          h2 = {
            ilrsId: r.str(1, 'ILRS id'),
            sic: r.str(2, 'SIC'),
            noradId: r.str(3, 'NORAD id'),
            start: date(4, 'start'),
            end: date(10, 'end'),
            stepS: r.int(16, 'time between entries (s)'),
            compatibleWithTivs: r.int(17, 'TIV compatibility'),
            targetClass: r.int(18, 'target class'),
            referenceFrame: r.int(19, 'reference frame'),
            rotationalAngleType: r.int(20, 'rotational angle type'),
            centerOfMassCorrection: r.int(21, 'centre-of-mass correction'),
            ...(location === undefined ? {} : { targetLocation: location }),
          };
        } else if (type === 'H3') {
          extraHeader = { ...extraHeader, h3: r.rest(1) };
        } else if (type === 'H4') {
          extraHeader = { ...extraHeader, h4: r.rest(1) };
        } else if (type === 'H5') {
          extraHeader = { ...extraHeader, centerOfMassOffsetM: r.num(1, 'centre-of-mass correction (m)') };
        } else if (type === 'H9') {
          if (h1 === undefined || h2 === undefined)
            return unexpected(rec.line, rec.raw, 'H9 before H1 and H2', h1 === undefined ? 'H1' : 'H2');
          header = { ...h1, ...h2, ...extraHeader };
          headerDone = true;
        } else {
          return unexpected(rec.line, rec.raw, `unknown CPF header record ${type}`, 'H1..H5 or H9');
        }
        continue;
      }
      if (!headerDone)
        return unexpected(rec.line, rec.raw, `data record ${type} before the H9 end of header`, 'H1..H9');
      if (type === '99') {
        ended = true;
        continue;
      }
      if (type === '10') {
        entries.push({
          directionFlag: r.int(1, 'direction flag'),
          mjd: r.int(2, 'MJD'),
          secondsOfDay: r.num(3, 'seconds of day'),
          leapSecond: r.int(4, 'leap second flag'),
          positionM: [r.num(5, 'x (m)'), r.num(6, 'y (m)'), r.num(7, 'z (m)')],
          extra: [],
        });
        continue;
      }
      const last = entries[entries.length - 1];
      if (last === undefined)
        return unexpected(rec.line, rec.raw, `record ${type} before the first 10 record`, '10');
      if (type === '20') {
        last.velocityDirectionFlag = r.int(1, 'direction flag');
        last.velocityMPerS = [r.num(2, 'vx (m/s)'), r.num(3, 'vy (m/s)'), r.num(4, 'vz (m/s)')];
      } else if (['30', '40', '50', '60', '70'].includes(type)) {
        for (let i = 1; i < r.count; i++) {
          const t = r.str(i, 'field');
          // Numeric-looking fields must be numbers; a 50 record carries a target name.
          if (/^[+-]?[\d.]/.test(t)) r.num(i, `field ${i}`);
        }
        last.extra.push({ record: type, fields: r.rest(1) });
      } else {
        return unexpected(
          rec.line,
          rec.raw,
          `unknown CPF record type ${type}`,
          '00, 10, 20, 30, 40, 50, 60, 70 or 99',
        );
      }
    }
  } catch (e) {
    if (e instanceof RecordError) return { ok: false, issues: [e.issue] };
    throw e;
  }
  if (!ended || header === undefined) {
    const last = records[records.length - 1];
    const issue: ParseIssue = lineIssue(
      file,
      last?.line ?? 1,
      1,
      'CPF_UNEXPECTED_END_OF_FILE',
      'the file ends without its 99 record',
      '99',
      last?.raw.trim() ?? '',
    );
    return { ok: false, issues: [issue] };
  }
  return {
    ok: true,
    value: { header, entries, comments },
    warnings: [],
  };
}

/** `v` with `decimals` decimals when that reads back identical, else in full. */
function fmt(v: number, decimals: number, width = 0): string {
  let s = v.toFixed(decimals);
  if (Number(s) !== v) s = String(v);
  return s.padStart(width);
}

/** Writes a CPF file that parseCpf reads back to identical values (comments after H9). */
export function writeCpf(cpf: CpfFile): string {
  const h = cpf.header;
  const lines: string[] = [];
  const h1 = [
    'H1 CPF',
    String(h.version).padStart(2),
    h.source.padStart(4),
    String(h.productionYear),
    String(h.productionMonth).padStart(2),
    String(h.productionDay).padStart(2),
    String(h.productionHour).padStart(2),
    String(h.sequenceNumber).padStart(5),
  ];
  if (h.version === 2) h1.push(String(h.subDailySequenceNumber ?? 1).padStart(2));
  h1.push(h.targetName);
  if (h.notes !== undefined) h1.push(h.notes);
  lines.push(h1.join(' '));
  const d6 = (d: readonly number[]): string => d.map((x, i) => String(x).padStart(i === 0 ? 4 : 2)).join(' ');
  const h2 = [
    'H2',
    h.ilrsId.padStart(8),
    h.sic.padStart(4),
    h.noradId.padStart(8),
    d6(h.start),
    d6(h.end),
    String(h.stepS).padStart(5),
    String(h.compatibleWithTivs),
    String(h.targetClass),
    String(h.referenceFrame).padStart(2),
    String(h.rotationalAngleType),
    String(h.centerOfMassCorrection),
  ];
  if (h.targetLocation !== undefined) h2.push(String(h.targetLocation));
  lines.push(h2.join(' '));
  if (h.h3 !== undefined) lines.push(['H3', ...h.h3].join(' '));
  if (h.h4 !== undefined) lines.push(['H4', ...h.h4].join(' '));
  if (h.centerOfMassOffsetM !== undefined) lines.push(`H5 ${fmt(h.centerOfMassOffsetM, 4)}`);
  lines.push('H9');
  for (const c of cpf.comments) lines.push(`00 ${c}`);
  for (const e of cpf.entries) {
    const [x, y, z] = e.positionM;
    lines.push(
      `10 ${e.directionFlag} ${e.mjd} ${fmt(e.secondsOfDay, 6, 13)} ${String(e.leapSecond).padStart(2)} ${fmt(x, 3, 17)} ${fmt(y, 3, 17)} ${fmt(z, 3, 17)}`,
    );
    if (e.velocityMPerS !== undefined) {
      const [vx, vy, vz] = e.velocityMPerS;
      lines.push(`20 ${e.velocityDirectionFlag ?? 0} ${fmt(vx, 6, 15)} ${fmt(vy, 6, 15)} ${fmt(vz, 6, 15)}`);
    }
    for (const x of e.extra) lines.push([x.record, ...x.fields].join(' '));
  }
  lines.push('99');
  return `${lines.join('\n')}\n`;
}

/** Positions of a CPF file as instants and ITRF (or the H2 frame) km. */
export interface CpfPositions {
  /** H2 reference frame: 0 ITRF (geocentric true body-fixed), 1 true of date, 2 J2000. */
  readonly referenceFrame: number;
  readonly epochs: readonly Instant[];
  readonly positionsKm: readonly Vec3[];
  /** Velocities, km/s, when every entry has a 20 record. */
  readonly velocitiesKmPerS?: readonly Vec3[];
}

/**
 * The entries of a CPF file as instants (UTC MJD + seconds of day through the leap-second table
 * of `context`; a second of day past the end of the day rolls into the next) and positions in km.
 */
export function cpfPositions(cpf: CpfFile, context: TimeContext): CpfPositions {
  const epochs: Instant[] = [];
  const positionsKm: Vec3[] = [];
  const velocities: Vec3[] = [];
  for (const e of cpf.entries) {
    epochs.push(crdEpochInstant(e.mjd, e.secondsOfDay, context));
    positionsKm.push([e.positionM[0] / 1000, e.positionM[1] / 1000, e.positionM[2] / 1000]);
    if (e.velocityMPerS !== undefined) {
      velocities.push([e.velocityMPerS[0] / 1000, e.velocityMPerS[1] / 1000, e.velocityMPerS[2] / 1000]);
    }
  }
  return {
    referenceFrame: cpf.header.referenceFrame,
    epochs,
    positionsKm,
    ...(velocities.length === cpf.entries.length && velocities.length > 0
      ? { velocitiesKmPerS: velocities }
      : {}),
  };
}
