/**
 * CCSDS Orbit Ephemeris Message (OEM) in KVN, CCSDS 502.0-B-2 §5 (ODM 2.0; 502.0-B-3 readers
 * accept version 3.0 and its header CLASSIFICATION / MESSAGE_ID).
 * - `formatOemKvn` writes a version 2.0 OEM: header, then per segment META_START..META_STOP and
 *   data lines `epoch x y z x_dot y_dot z_dot` in km and km/s.
 * - `parseOemKvn` is a minimal reader for round trips and samples: header, metadata, state lines
 *   (6 values, or 9 with accelerations in km/s²), and covariance blocks (§5.2.5: EPOCH, optional
 *   COV_REF_FRAME, the lower triangle of a 6×6 matrix in km², km²/s, km²/s²), read into
 *   `covariances` (and counted in `covarianceCount`).
 * - The writer writes a segment's `covariances` as one COVARIANCE_START..STOP block after its
 *   ephemeris lines, each matrix as 21 lower-triangle values to 16 significant digits.
 * Time strings are taken and returned as written (the caller formats them in the segment's
 * TIME_SYSTEM, to the microsecond or better: a millisecond is 7.5 m at LEO speed); UTC strings are
 * additionally converted to a UTC Julian date pair when readable. Numbers are written to 1e-9 km
 * and 1e-12 km/s by default.
 */
import type { UtcJulianDate } from '../elements/element-set.js';
import { parseUtcString } from '../elements/utc-calendar.js';
import { AstroError, type ParseIssue, type ParseResult } from '../errors.js';
import { type KvnEntry, type KvnPair, parseKvn, parseKvnNumber } from './kvn.js';

export interface OemHeader {
  /** CREATION_DATE, already formatted (e.g. "2024-01-01T00:00:00.000"). */
  readonly creationDate: string;
  readonly originator: string;
  readonly messageId?: string;
  readonly comments?: readonly string[];
}

export interface OemMetadata {
  readonly objectName: string;
  readonly objectId: string;
  /** CENTER_NAME, e.g. 'EARTH'. */
  readonly centerName: string;
  /** REF_FRAME as CCSDS names it: 'TEME', 'GCRF', 'EME2000', 'ITRF2000', 'ITRF-97'... */
  readonly refFrame: string;
  readonly refFrameEpoch?: string;
  /** TIME_SYSTEM, e.g. 'UTC'. */
  readonly timeSystem: string;
  readonly startTime: string;
  readonly stopTime: string;
  readonly useableStartTime?: string;
  readonly useableStopTime?: string;
  readonly interpolation?: string;
  readonly interpolationDegree?: number;
  readonly comments?: readonly string[];
}

/** One ephemeris line: position km, velocity km/s (and acceleration km/s² when given), frame REF_FRAME. */
export interface OemState {
  /** Epoch as written, in the segment's TIME_SYSTEM. */
  readonly epoch: string;
  readonly r: readonly [number, number, number];
  readonly v: readonly [number, number, number];
  readonly a?: readonly [number, number, number];
}

/**
 * One covariance matrix of a COVARIANCE block: 6×6 symmetric, position and velocity, km², km²/s,
 * km²/s², in COV_REF_FRAME (the segment's REF_FRAME when absent; 'RTN', 'RSW', 'TNW' are local
 * orbital frames).
 */
export interface OemCovariance {
  /** EPOCH as written, in the segment's TIME_SYSTEM. */
  readonly epoch: string;
  readonly refFrame?: string;
  /** The full matrix, 36 values row-major (the writer writes its lower triangle). */
  readonly matrix: ArrayLike<number>;
  readonly comments?: readonly string[];
}

export interface OemSegment {
  readonly meta: OemMetadata;
  readonly states: readonly OemState[];
  /** Data-block comments. */
  readonly comments?: readonly string[];
  /** Covariance matrices, written after the ephemeris lines (none when absent or empty). */
  readonly covariances?: readonly OemCovariance[];
}

export interface OemMessage {
  readonly header: OemHeader;
  readonly segments: readonly OemSegment[];
}

export interface OemWriteOptions {
  /** Decimals of positions in km (default 9: micrometres, below SGP4's own float noise). */
  readonly positionDecimals?: number;
  /** Decimals of velocities in km/s (default 12: nanometres per second). */
  readonly velocityDecimals?: number;
}

/** Default decimals: full precision, so a comparison with another tool sees the states, not our rounding. */
const DEFAULT_POSITION_DECIMALS = 9;
const DEFAULT_VELOCITY_DECIMALS = 12;

function invalid(message: string, details: Record<string, unknown>): AstroError {
  return new AstroError('OEM_INVALID', message, details);
}

function checkText(value: string, key: string): string {
  if (typeof value !== 'string' || value.trim() === '' || /[\r\n]/.test(value)) {
    throw invalid(`${key} must be a non-empty single-line string, got ${JSON.stringify(value)}`, {
      key,
      value,
    });
  }
  return value.trim();
}

function num(v: number, decimals: number, what: string): string {
  if (!Number.isFinite(v)) throw invalid(`${what} is not a finite number: ${v}`, { what, value: v });
  return v.toFixed(decimals);
}

/**
 * Writes a CCSDS 502.0-B-2 OEM in KVN (CCSDS_OEM_VERS = 2.0). Positions in km, velocities in km/s,
 * in the segment's REF_FRAME. Throws AstroError `OEM_INVALID` for an empty segment, a blank
 * mandatory value, a non-finite number or (UTC only) epochs outside START_TIME..STOP_TIME or out of order.
 */
export function formatOemKvn(message: OemMessage, options: OemWriteOptions = {}): string {
  const pd = options.positionDecimals ?? DEFAULT_POSITION_DECIMALS;
  const vd = options.velocityDecimals ?? DEFAULT_VELOCITY_DECIMALS;
  const out: string[] = [];
  const kv = (k: string, v: string) => out.push(`${k.padEnd(20)} = ${v}`);
  const comments = (list: readonly string[] | undefined) => {
    for (const c of list ?? []) out.push(`COMMENT ${c}`);
  };
  kv('CCSDS_OEM_VERS', '2.0');
  comments(message.header.comments);
  kv('CREATION_DATE', checkText(message.header.creationDate, 'CREATION_DATE'));
  kv('ORIGINATOR', checkText(message.header.originator, 'ORIGINATOR'));
  if (message.header.messageId !== undefined)
    kv('MESSAGE_ID', checkText(message.header.messageId, 'MESSAGE_ID'));
  if (message.segments.length === 0) throw invalid('an OEM needs at least one segment', {});
  message.segments.forEach((seg, si) => {
    const m = seg.meta;
    if (seg.states.length === 0) throw invalid(`segment ${si} has no state`, { segment: si });
    out.push('', 'META_START');
    comments(m.comments);
    kv('OBJECT_NAME', checkText(m.objectName, 'OBJECT_NAME'));
    kv('OBJECT_ID', checkText(m.objectId, 'OBJECT_ID'));
    kv('CENTER_NAME', checkText(m.centerName, 'CENTER_NAME'));
    kv('REF_FRAME', checkText(m.refFrame, 'REF_FRAME'));
    if (m.refFrameEpoch !== undefined) kv('REF_FRAME_EPOCH', checkText(m.refFrameEpoch, 'REF_FRAME_EPOCH'));
    kv('TIME_SYSTEM', checkText(m.timeSystem, 'TIME_SYSTEM'));
    kv('START_TIME', checkText(m.startTime, 'START_TIME'));
    if (m.useableStartTime !== undefined)
      kv('USEABLE_START_TIME', checkText(m.useableStartTime, 'USEABLE_START_TIME'));
    if (m.useableStopTime !== undefined)
      kv('USEABLE_STOP_TIME', checkText(m.useableStopTime, 'USEABLE_STOP_TIME'));
    kv('STOP_TIME', checkText(m.stopTime, 'STOP_TIME'));
    if (m.interpolation !== undefined) kv('INTERPOLATION', checkText(m.interpolation, 'INTERPOLATION'));
    if (m.interpolationDegree !== undefined) kv('INTERPOLATION_DEGREE', String(m.interpolationDegree));
    out.push('META_STOP', '');
    comments(seg.comments);
    const utc = m.timeSystem.trim().toUpperCase() === 'UTC';
    const toDays = (t: string) => {
      const j = utc ? parseUtcString(t) : undefined;
      return j === undefined ? undefined : j.jd - 2451544.5 + j.jdFrac;
    };
    const start = toDays(m.startTime);
    const stop = toDays(m.stopTime);
    let prev: number | undefined;
    seg.states.forEach((s, i) => {
      const epoch = checkText(s.epoch, 'epoch');
      const d = toDays(epoch);
      if (d !== undefined) {
        // One microsecond of slack for epochs written with fewer decimals than START/STOP_TIME.
        const slack = 1e-6 / 86400;
        if ((start !== undefined && d < start - slack) || (stop !== undefined && d > stop + slack)) {
          throw invalid(`segment ${si} state ${i} epoch ${epoch} is outside START_TIME..STOP_TIME`, {
            segment: si,
            index: i,
          });
        }
        if (prev !== undefined && d < prev)
          throw invalid(`segment ${si} state ${i} epoch ${epoch} is before the previous one`, {
            segment: si,
            index: i,
          });
        prev = d;
      }
      const cols = [epoch];
      for (let k = 0; k < 3; k++) cols.push(num(s.r[k] as number, pd, `r[${k}] of state ${i}`));
      for (let k = 0; k < 3; k++) cols.push(num(s.v[k] as number, vd, `v[${k}] of state ${i}`));
      if (s.a !== undefined)
        for (let k = 0; k < 3; k++) cols.push(num(s.a[k] as number, vd + 3, `a[${k}] of state ${i}`));
      out.push(cols.join(' '));
    });
    const covs = seg.covariances ?? [];
    if (covs.length > 0) {
      out.push('', 'COVARIANCE_START');
      covs.forEach((c, ci) => {
        comments(c.comments);
        kv('EPOCH', checkText(c.epoch, 'covariance EPOCH'));
        if (c.refFrame !== undefined) kv('COV_REF_FRAME', checkText(c.refFrame, 'COV_REF_FRAME'));
        if (c.matrix.length !== 36)
          throw invalid(`segment ${si} covariance ${ci} has ${c.matrix.length} values`, {
            segment: si,
            index: ci,
          });
        for (let i = 0; i < 6; i++) {
          const row: string[] = [];
          for (let j = 0; j <= i; j++) {
            const v = c.matrix[6 * i + j] as number;
            if (!Number.isFinite(v))
              throw invalid(`segment ${si} covariance ${ci} (${i + 1},${j + 1}) is not finite: ${v}`, {
                segment: si,
                index: ci,
              });
            row.push(v.toExponential(15));
          }
          out.push(row.join(' '));
        }
        out.push('');
      });
      out.push('COVARIANCE_STOP');
    }
  });
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------------------------

/** A state as read, with the UTC Julian date when TIME_SYSTEM is UTC. */
export interface OemStateRead extends OemState {
  readonly epochUtc?: UtcJulianDate;
  readonly line: number;
}

export interface OemSegmentRead {
  readonly meta: OemMetadata;
  readonly states: readonly OemStateRead[];
  readonly comments: readonly string[];
  /** Number of COVARIANCE_START..STOP blocks. */
  readonly covarianceCount: number;
  /** Every covariance matrix of the segment's blocks, in order (full 6×6, row-major). */
  readonly covariances: readonly OemCovarianceRead[];
  readonly line: number;
}

/** A covariance as read (the matrix made symmetric from its lower triangle). */
export interface OemCovarianceRead {
  readonly epoch: string;
  readonly refFrame?: string;
  readonly matrix: Float64Array;
  readonly line: number;
}

export interface OemFile {
  readonly version: string;
  readonly header: OemHeader & { readonly classification?: string };
  readonly segments: readonly OemSegmentRead[];
}

const HEADER_KEYS = new Set([
  'CCSDS_OEM_VERS',
  'CREATION_DATE',
  'ORIGINATOR',
  'MESSAGE_ID',
  'CLASSIFICATION',
]);
const META_KEYS = new Set([
  'OBJECT_NAME',
  'OBJECT_ID',
  'CENTER_NAME',
  'REF_FRAME',
  'REF_FRAME_EPOCH',
  'TIME_SYSTEM',
  'START_TIME',
  'USEABLE_START_TIME',
  'USEABLE_STOP_TIME',
  'STOP_TIME',
  'INTERPOLATION',
  'INTERPOLATION_DEGREE',
]);

class OemFailure extends Error {
  readonly issue: ParseIssue;
  constructor(issue: ParseIssue) {
    super(issue.message);
    this.issue = issue;
  }
}

/**
 * Reads an OEM in KVN. The first problem rejects the message with an issue naming line, key,
 * expected and found (an OEM is one trajectory: a half-read segment is not kept).
 */
export function parseOemKvn(text: string, options: { readonly file?: string } = {}): ParseResult<OemFile> {
  const kvn = parseKvn(text, options);
  if (!kvn.ok) return kvn;
  try {
    return { ok: true, value: readOem(kvn.value, options.file), warnings: [] };
  } catch (e) {
    if (e instanceof OemFailure) return { ok: false, issues: [e.issue] };
    throw e;
  }
}

function readOem(entries: readonly KvnEntry[], file: string | undefined): OemFile {
  const fail = (code: string, message: string, line: number, extra: Partial<ParseIssue> = {}): never => {
    const base: ParseIssue = { code, message, line, ...extra };
    throw new OemFailure(file === undefined ? base : { ...base, file });
  };
  let i = 0;
  const header = new Map<string, KvnPair>();
  const headerComments: string[] = [];
  const first = entries[0];
  if (first === undefined || first.kind !== 'pair' || first.key !== 'CCSDS_OEM_VERS') {
    fail('OEM_MISSING_KEY', 'an OEM starts with CCSDS_OEM_VERS', first?.line ?? 1, {
      key: 'CCSDS_OEM_VERS',
      expected: 'CCSDS_OEM_VERS = 2.0',
      found: describe(first),
    });
  }
  for (; i < entries.length; i++) {
    const e = entries[i] as KvnEntry;
    if (e.kind === 'marker' && e.key === 'META_START') break;
    if (e.kind === 'comment') headerComments.push(e.text);
    else if (e.kind === 'pair' && HEADER_KEYS.has(e.key)) header.set(e.key, e);
    else
      fail(
        e.kind === 'pair' ? 'OEM_UNKNOWN_KEY' : 'OEM_SYNTAX',
        'unexpected line in the OEM header',
        e.line,
        {
          ...(e.kind === 'pair' ? { key: e.key } : {}),
          expected: 'header keyword or META_START',
          found: describe(e),
        },
      );
  }
  for (const k of ['CREATION_DATE', 'ORIGINATOR']) {
    if (!header.has(k))
      fail('OEM_MISSING_KEY', `mandatory keyword ${k} is missing`, 1, {
        key: k,
        expected: `${k} = ...`,
        found: 'nothing',
      });
  }
  const segments: OemSegmentRead[] = [];
  while (i < entries.length) {
    const startLine = (entries[i] as KvnEntry).line;
    i++; // META_START
    const meta = new Map<string, KvnPair>();
    const metaComments: string[] = [];
    for (; ; i++) {
      const e = entries[i];
      if (e === undefined)
        fail('OEM_SYNTAX', 'META_START without META_STOP', startLine, {
          expected: 'META_STOP',
          found: 'end of file',
        });
      const en = e as KvnEntry;
      if (en.kind === 'marker' && en.key === 'META_STOP') break;
      if (en.kind === 'comment') metaComments.push(en.text);
      else if (en.kind === 'pair' && META_KEYS.has(en.key)) meta.set(en.key, en);
      else
        fail(
          en.kind === 'pair' ? 'OEM_UNKNOWN_KEY' : 'OEM_SYNTAX',
          'unexpected line in OEM metadata',
          en.line,
          {
            ...(en.kind === 'pair' ? { key: en.key } : {}),
            expected: 'a metadata keyword or META_STOP',
            found: describe(en),
          },
        );
    }
    i++;
    for (const k of [
      'OBJECT_NAME',
      'OBJECT_ID',
      'CENTER_NAME',
      'REF_FRAME',
      'TIME_SYSTEM',
      'START_TIME',
      'STOP_TIME',
    ]) {
      if (!meta.has(k))
        fail('OEM_MISSING_KEY', `mandatory metadata keyword ${k} is missing`, startLine, {
          key: k,
          expected: `${k} = ...`,
          found: 'nothing',
        });
    }
    const get = (k: string) => meta.get(k)?.value;
    const degreeText = get('INTERPOLATION_DEGREE');
    const degree = degreeText === undefined ? undefined : parseKvnNumber(degreeText);
    if (degree !== undefined && !Number.isInteger(degree)) {
      const p = meta.get('INTERPOLATION_DEGREE') as KvnPair;
      fail('OEM_NUMBER', 'INTERPOLATION_DEGREE is not an integer', p.line, {
        key: p.key,
        column: p.column,
        expected: 'an integer',
        found: p.value,
      });
    }
    const metaOut: Record<string, unknown> = {
      objectName: get('OBJECT_NAME'),
      objectId: get('OBJECT_ID'),
      centerName: get('CENTER_NAME'),
      refFrame: get('REF_FRAME'),
      timeSystem: get('TIME_SYSTEM'),
      startTime: get('START_TIME'),
      stopTime: get('STOP_TIME'),
      comments: metaComments,
    };
    const optional: [string, string][] = [
      ['refFrameEpoch', 'REF_FRAME_EPOCH'],
      ['useableStartTime', 'USEABLE_START_TIME'],
      ['useableStopTime', 'USEABLE_STOP_TIME'],
      ['interpolation', 'INTERPOLATION'],
    ];
    for (const [field, key] of optional) if (meta.has(key)) metaOut[field] = get(key);
    if (degree !== undefined) metaOut['interpolationDegree'] = degree;
    const metadata = metaOut as unknown as OemMetadata;
    const utc = metadata.timeSystem.toUpperCase() === 'UTC';

    const states: OemStateRead[] = [];
    const dataComments: string[] = [];
    let covarianceCount = 0;
    const covariances: OemCovarianceRead[] = [];
    for (; i < entries.length; i++) {
      const e = entries[i] as KvnEntry;
      if (e.kind === 'marker' && e.key === 'META_START') break;
      if (e.kind === 'comment') {
        dataComments.push(e.text);
      } else if (e.kind === 'raw') {
        if (covarianceCount > 0)
          fail('OEM_SYNTAX', 'ephemeris line after a covariance block', e.line, {
            expected: 'META_START or end of file',
            found: e.text,
          });
        states.push(readStateLine(e.text, e.line, utc, fail));
      } else if (e.kind === 'marker' && e.key === 'COVARIANCE_START') {
        i = readCovariance(entries, i + 1, fail, covariances);
        covarianceCount++;
      } else {
        fail(
          e.kind === 'pair' ? 'OEM_UNKNOWN_KEY' : 'OEM_SYNTAX',
          'keyword inside an ephemeris data block',
          e.line,
          {
            ...(e.kind === 'pair' ? { key: e.key } : {}),
            expected: 'an ephemeris line "epoch x y z vx vy vz"',
            found: describe(e),
          },
        );
      }
    }
    if (states.length === 0)
      fail('OEM_SYNTAX', 'segment without ephemeris lines', startLine, {
        expected: 'at least one ephemeris line',
        found: 'none',
      });
    segments.push({
      meta: metadata,
      states,
      comments: dataComments,
      covarianceCount,
      covariances,
      line: startLine,
    });
  }
  if (segments.length === 0)
    fail('OEM_SYNTAX', 'no segment', 1, { expected: 'META_START', found: 'end of file' });
  const h: Record<string, unknown> = {
    creationDate: header.get('CREATION_DATE')?.value,
    originator: header.get('ORIGINATOR')?.value,
    comments: headerComments,
  };
  if (header.has('MESSAGE_ID')) h['messageId'] = header.get('MESSAGE_ID')?.value;
  if (header.has('CLASSIFICATION')) h['classification'] = header.get('CLASSIFICATION')?.value;
  return {
    version: header.get('CCSDS_OEM_VERS')?.value ?? '',
    header: h as unknown as OemFile['header'],
    segments,
  };
}

type Fail = (code: string, message: string, line: number, extra?: Partial<ParseIssue>) => never;

function describe(e: KvnEntry | undefined): string {
  if (e === undefined) return 'end of file';
  if (e.kind === 'pair') return `${e.key} = ${e.value}`;
  if (e.kind === 'marker') return e.key;
  return e.text;
}

function readStateLine(text: string, line: number, utc: boolean, fail: Fail): OemStateRead {
  const parts = text.split(/\s+/);
  if (parts.length !== 7 && parts.length !== 10) {
    fail('OEM_SYNTAX', `ephemeris line has ${parts.length - 1} numbers`, line, {
      column: 1,
      expected: 'epoch and 6 (or 9) numbers',
      found: text,
    });
  }
  const epoch = parts[0] as string;
  const epochUtc = utc ? parseUtcString(epoch) : undefined;
  if (utc && epochUtc === undefined)
    fail('OEM_EPOCH', 'ephemeris epoch is not a CCSDS time', line, {
      column: 1,
      expected: 'YYYY-MM-DDThh:mm:ss[.d]',
      found: epoch,
    });
  const v: number[] = [];
  let column = epoch.length + 2;
  for (let k = 1; k < parts.length; k++) {
    const x = parseKvnNumber(parts[k] as string);
    if (Number.isNaN(x))
      fail('OEM_NUMBER', `value ${k} of the ephemeris line is not a number`, line, {
        column,
        expected: 'a number',
        found: parts[k] as string,
      });
    v.push(x);
    column += (parts[k] as string).length + 1;
  }
  const state: Record<string, unknown> = { epoch, r: [v[0], v[1], v[2]], v: [v[3], v[4], v[5]], line };
  if (v.length === 9) state['a'] = [v[6], v[7], v[8]];
  if (epochUtc !== undefined) state['epochUtc'] = epochUtc;
  return state as unknown as OemStateRead;
}

/**
 * Reads one covariance block (EPOCH, optional COV_REF_FRAME, 6 rows of 1..6 numbers, repeated) into
 * `into` and returns the index of COVARIANCE_STOP.
 */
function readCovariance(
  entries: readonly KvnEntry[],
  i: number,
  fail: Fail,
  into: OemCovarianceRead[],
): number {
  let row = 0;
  let epoch: KvnPair | undefined;
  let refFrame: string | undefined;
  let matrix = new Float64Array(36);
  for (; i < entries.length; i++) {
    const e = entries[i] as KvnEntry;
    if (e.kind === 'marker' && e.key === 'COVARIANCE_STOP') {
      if (row !== 0)
        fail('OEM_SYNTAX', `covariance matrix has ${row} rows`, e.line, {
          expected: '6 rows',
          found: `${row} rows`,
        });
      return i;
    }
    if (e.kind === 'comment') continue;
    if (e.kind === 'pair' && (e.key === 'EPOCH' || e.key === 'COV_REF_FRAME')) {
      if (row !== 0)
        fail('OEM_SYNTAX', `${e.key} inside a covariance matrix`, e.line, {
          key: e.key,
          expected: `row ${row + 1} of the matrix`,
          found: describe(e),
        });
      if (e.key === 'EPOCH') {
        epoch = e;
        refFrame = undefined;
      } else refFrame = e.value;
      continue;
    }
    if (e.kind !== 'raw') {
      fail(
        e.kind === 'pair' ? 'OEM_UNKNOWN_KEY' : 'OEM_SYNTAX',
        'unexpected line in a covariance block',
        e.line,
        {
          ...(e.kind === 'pair' ? { key: e.key } : {}),
          expected: 'EPOCH, COV_REF_FRAME or a matrix row',
          found: describe(e),
        },
      );
    }
    const parts = (e as { text: string }).text.split(/\s+/);
    if (parts.length !== row + 1)
      fail('OEM_SYNTAX', `covariance row ${row + 1} has ${parts.length} numbers`, e.line, {
        expected: `${row + 1} numbers`,
        found: (e as { text: string }).text,
      });
    if (row === 0 && epoch === undefined)
      fail('OEM_MISSING_KEY', 'covariance matrix without EPOCH', e.line, {
        key: 'EPOCH',
        expected: 'EPOCH = ... before the matrix',
        found: (e as { text: string }).text,
      });
    parts.forEach((p, j) => {
      const x = parseKvnNumber(p);
      if (Number.isNaN(x))
        fail('OEM_NUMBER', 'covariance value is not a number', e.line, { expected: 'a number', found: p });
      matrix[6 * row + j] = x;
      matrix[6 * j + row] = x;
    });
    row = (row + 1) % 6;
    if (row === 0) {
      const ep = epoch as KvnPair;
      into.push({
        epoch: ep.value,
        ...(refFrame === undefined ? {} : { refFrame }),
        matrix,
        line: ep.line,
      });
      matrix = new Float64Array(36);
      epoch = undefined;
    }
  }
  return fail(
    'OEM_SYNTAX',
    'COVARIANCE_START without COVARIANCE_STOP',
    entries[entries.length - 1]?.line ?? 1,
    { expected: 'COVARIANCE_STOP', found: 'end of file' },
  );
}
