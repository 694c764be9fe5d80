/**
 * CPF reader (see cpf-model.ts for the format). Record types are read in either case.
 *
 * Error codes: CPF_PARSE_LINE (a field that is not what the record needs), CPF_UNEXPECTED_FORMAT
 * (H1 does not say CPF, or a version other than 1 and 2), CPF_UNEXPECTED_RECORD,
 * CPF_UNEXPECTED_END_OF_FILE (no 99 record).
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import type { CpfFile, CpfHeader, CpfReadOptions } from './cpf-model.js';
import { FieldReader, RecordError, splitRecords } from './record-fields.js';

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
