/**
 * SINEX (Solution INdependent EXchange format, version 2.02, IERS/IGS) station blocks, as the ILRS
 * publishes them: SITE/ID (names, DOMES, CDP-SOD), SOLUTION/EPOCHS (validity of each solution
 * number of a site), SOLUTION/ESTIMATE (STAX/STAY/STAZ in m and VELX/VELY/VELZ in m/y at a
 * `YY:DOY:SSSSS` reference epoch) and SITE/ECCENTRICITY (UNE offsets in m with validity periods).
 * Other blocks are skipped. Lines starting with `*` are comments; `%=SNX` starts the file.
 *
 * Epochs `YY:DOY:SSSSS`: YY ≤ 50 is 20YY, otherwise 19YY; `00:000:00000` is an open bound. They are
 * read as UTC days (the few-second difference to GPS time, which some SINEX producers use, does not
 * matter for validity periods of days to years).
 *
 * `sinexStations(sinex, epoch)` builds the shared GroundStation records: for each site the solution
 * whose SOLUTION/EPOCHS interval contains the epoch (a site with several solutions has a
 * discontinuity between them; outside every interval, the nearest solution in time), the
 * eccentricity whose period contains it; keyed by the 4-character
 * site code (the ILRS CDP pad id, e.g. 7090) and by any station names given (e.g. YARL, from the CRD
 * H2 records: see crdStationNames).
 *
 * Site positions must be in m and velocities in m/y (the units SINEX uses); other units are refused.
 * A site code with several point codes (A, B...) gives the station of the first one met.
 *
 * Error codes: SINEX_PARSE_LINE (a field that is not what the block needs), SINEX_UNEXPECTED_LINE.
 */
import type { ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import { mjdFromCalendar } from '../math/calendar.js';
import type { Vec3 } from '../math/vec3.js';
import type { GroundStation } from '../observations/observation.js';
import type { Instant } from '../time/instant.js';
import { mjdIn } from '../time/scales.js';
import { instantFromUtcDaySeconds, type TimeContext } from '../time/utc.js';
import { FieldReader, RecordError, type RecordLine, splitRecords } from './record-fields.js';

/** A SINEX epoch `YY:DOY:SSSSS`; `open` for `00:000:00000`. */
export interface SinexEpoch {
  readonly year: number;
  readonly dayOfYear: number;
  readonly secondsOfDay: number;
  /** The epoch as a (UTC) MJD with fraction; ±Infinity for an open bound. */
  readonly mjd: number;
}

export interface SinexSite {
  readonly code: string;
  readonly pointCode: string;
  readonly domes: string;
  readonly technique: string;
  readonly description: string;
  /** ILRS CDP-SOD of the line (code, system number, occupancy), when present. */
  readonly cdpSod?: string;
  readonly line: number;
}

export interface SinexSolutionEpochs {
  readonly code: string;
  readonly pointCode: string;
  readonly solution: string;
  readonly start: SinexEpoch;
  readonly end: SinexEpoch;
  readonly mean: SinexEpoch;
  readonly line: number;
}

export interface SinexEstimate {
  readonly index: number;
  /** Parameter type: STAX, STAY, STAZ, VELX, VELY, VELZ... */
  readonly type: string;
  readonly code: string;
  readonly pointCode: string;
  readonly solution: string;
  readonly referenceEpoch: SinexEpoch;
  readonly unit: string;
  readonly value: number;
  readonly stdDev: number;
  readonly line: number;
}

export interface SinexEccentricity {
  readonly code: string;
  readonly pointCode: string;
  readonly solution: string;
  readonly start: SinexEpoch;
  readonly end: SinexEpoch;
  /** Reference system of the offsets: UNE (up, north, east) or XYZ. */
  readonly system: string;
  /** The three offsets, m, in the order of `system`. */
  readonly offsetM: readonly [number, number, number];
  readonly cdpSod?: string;
  readonly line: number;
}

export interface SinexFile {
  readonly version: string;
  readonly sites: readonly SinexSite[];
  readonly solutionEpochs: readonly SinexSolutionEpochs[];
  readonly estimates: readonly SinexEstimate[];
  readonly eccentricities: readonly SinexEccentricity[];
}

export interface SinexReadOptions {
  readonly fileName?: string;
}

function epochField(r: FieldReader, i: number, name: string, open: 'start' | 'end'): SinexEpoch {
  const t = r.str(i, name);
  const m = /^(\d{2}):(\d{3}):(\d{5})$/.exec(t);
  if (m === null) return r.fail(i, `${name} as YY:DOY:SSSSS`, `SINEX ${name} is not an epoch`);
  const yy = Number(m[1]);
  const doy = Number(m[2]);
  const sod = Number(m[3]);
  const year = yy <= 50 ? 2000 + yy : 1900 + yy;
  if (yy === 0 && doy === 0 && sod === 0) {
    return { year, dayOfYear: 0, secondsOfDay: 0, mjd: open === 'start' ? -Infinity : Infinity };
  }
  const lastDay = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 366 : 365;
  // DOY 0 means "the end of the previous year" in some files; accept it as such.
  if (doy > lastDay || sod > 86400) r.fail(i, `${name} with day of year ≤ ${lastDay} and seconds ≤ 86400`);
  return {
    year,
    dayOfYear: doy,
    secondsOfDay: sod,
    mjd: mjdFromCalendar(year, 1, 1) + doy - 1 + sod / 86400,
  };
}

/** Parses the station blocks of a SINEX file. */
export function parseSinex(text: string, options: SinexReadOptions = {}): ParseResult<SinexFile> {
  const file = options.fileName;
  const records = splitRecords(text);
  const sites: SinexSite[] = [];
  const solutionEpochs: SinexSolutionEpochs[] = [];
  const estimates: SinexEstimate[] = [];
  const eccentricities: SinexEccentricity[] = [];
  let version = '';
  let block: string | undefined;
  const first = records[0];
  if (first === undefined || !first.raw.startsWith('%=SNX')) {
    return {
      ok: false,
      issues: [
        lineIssue(
          file,
          first?.line ?? 1,
          1,
          'SINEX_UNEXPECTED_LINE',
          'not a SINEX file',
          '%=SNX header line',
          first?.raw ?? '',
        ),
      ],
    };
  }
  version = first.fields[1]?.text ?? '';
  try {
    for (const rec of records.slice(1)) {
      const raw = rec.raw;
      if (raw.startsWith('*') || raw.startsWith('%ENDSNX')) continue;
      if (raw.startsWith('+')) {
        if (block !== undefined) {
          return {
            ok: false,
            issues: [unexpectedLine(file, rec, `block ${raw.trim()} opened inside ${block}`, `-${block}`)],
          };
        }
        block = raw.slice(1).trim();
        continue;
      }
      if (raw.startsWith('-')) {
        if (raw.slice(1).trim() !== block) {
          return {
            ok: false,
            issues: [unexpectedLine(file, rec, 'block end does not match its start', `-${block ?? ''}`)],
          };
        }
        block = undefined;
        continue;
      }
      if (block === undefined) {
        return {
          ok: false,
          issues: [unexpectedLine(file, rec, 'data line outside any block', '+BLOCK, -BLOCK or *comment')],
        };
      }
      const r = new FieldReader(rec, file, 'SINEX_PARSE_LINE', `SINEX ${block}`);
      switch (block) {
        case 'SITE/ID': {
          const last = rec.fields[rec.fields.length - 1]?.text ?? '';
          sites.push({
            code: raw.slice(1, 5).trim(),
            pointCode: raw.slice(6, 8).trim(),
            domes: raw.slice(9, 18).trim(),
            technique: raw.slice(19, 20).trim(),
            description: raw.slice(21, 43).trim(),
            ...(/^\d{8}$/.test(last) ? { cdpSod: last } : {}),
            line: rec.line,
          });
          if (raw.slice(1, 5).trim() === '') r.fail(0, 'a site code in columns 2-5');
          break;
        }
        case 'SOLUTION/EPOCHS':
          if (r.count < 7) r.fail(r.count, 'CODE PT SOLN T START END MEAN');
          solutionEpochs.push({
            code: r.str(0, 'site code'),
            pointCode: r.str(1, 'point code'),
            solution: r.str(2, 'solution number'),
            start: epochField(r, 4, 'data start', 'start'),
            end: epochField(r, 5, 'data end', 'end'),
            mean: epochField(r, 6, 'mean epoch', 'start'),
            line: rec.line,
          });
          break;
        case 'SOLUTION/ESTIMATE':
          if (r.count < 9) r.fail(r.count, 'INDEX TYPE CODE PT SOLN REF_EPOCH UNIT S VALUE [STD_DEV]');
          {
            const type = r.str(1, 'parameter type');
            const unit = r.str(6, 'unit');
            if (/^STA[XYZ]$/.test(type) && unit !== 'm') r.fail(6, `unit m for ${type}`);
            if (/^VEL[XYZ]$/.test(type) && unit !== 'm/y') r.fail(6, `unit m/y for ${type}`);
          }
          estimates.push({
            index: r.int(0, 'index'),
            type: r.str(1, 'parameter type'),
            code: r.str(2, 'site code'),
            pointCode: r.str(3, 'point code'),
            solution: r.str(4, 'solution number'),
            referenceEpoch: epochField(r, 5, 'reference epoch', 'start'),
            unit: r.str(6, 'unit'),
            value: r.num(8, 'estimated value'),
            stdDev: r.num(9, 'standard deviation', true),
            line: rec.line,
          });
          break;
        case 'SITE/ECCENTRICITY': {
          // Columns (SINEX 2.02): the offsets are F8.4 fields after column 46, but large values
          // fill the separating blank (e.g. `-0.6140-516.4230-565.4650`), so they are read as
          // three 9-column fields from column 46; anything after column 72 is the ILRS CDP-SOD.
          if (r.count < 7) r.fail(r.count, 'CODE PT SOLN T START END AXE UP NORTH EAST');
          const system = r.str(6, 'reference system');
          if (system !== 'UNE' && system !== 'XYZ') r.fail(6, 'UNE or XYZ');
          const tail = raw.slice(72).trim();
          const sod = tail === '' ? undefined : tail;
          eccentricities.push({
            code: r.str(0, 'site code'),
            pointCode: r.str(1, 'point code'),
            solution: r.str(2, 'solution number'),
            start: epochField(r, 4, 'start', 'start'),
            end: epochField(r, 5, 'end', 'end'),
            system,
            offsetM: [
              r.numAt(45, 54, 'first offset (m)'),
              r.numAt(54, 63, 'second offset (m)'),
              r.numAt(63, 72, 'third offset (m)'),
            ],
            ...(sod === undefined ? {} : { cdpSod: sod }),
            line: rec.line,
          });
          break;
        }
        default:
          break;
      }
    }
  } catch (e) {
    if (e instanceof RecordError) return { ok: false, issues: [e.issue] };
    throw e;
  }
  return { ok: true, value: { version, sites, solutionEpochs, estimates, eccentricities }, warnings: [] };
}

function unexpectedLine(file: string | undefined, rec: RecordLine, message: string, expected: string) {
  return lineIssue(file, rec.line, 1, 'SINEX_UNEXPECTED_LINE', message, expected, rec.raw.trim());
}

/** Options of sinexStations. */
export interface SinexStationOptions {
  /** Leap seconds, to turn the SINEX reference epoch and `epoch` into UTC days. */
  readonly context: TimeContext;
  /** Eccentricity file(s) (SITE/ECCENTRICITY), when not in the coordinate file itself. */
  readonly eccentricities?: SinexFile;
  /** Station names to add as keys: site code → name (e.g. '7090' → 'YARL'). */
  readonly names?: ReadonlyMap<string, string>;
}

function within(e: { start: SinexEpoch; end: SinexEpoch }, mjd: number): boolean {
  // An end written as a second of day 86399 covers the whole last second.
  return mjd >= e.start.mjd && mjd < e.end.mjd + 1 / 86400;
}

/** Days from `mjd` to the interval [start, end] of `e` (0 inside). */
function intervalDistance(e: { start: SinexEpoch; end: SinexEpoch }, mjd: number): number {
  if (within(e, mjd)) return 0;
  return mjd < e.start.mjd ? e.start.mjd - mjd : mjd - e.end.mjd;
}

function epochInstant(e: SinexEpoch, context: TimeContext): Instant {
  const mjd = mjdFromCalendar(e.year, 1, 1) + e.dayOfYear - 1;
  return instantFromUtcDaySeconds(
    mjd,
    Math.min(e.secondsOfDay, 86399),
    e.secondsOfDay === 86400 ? 1 : 0,
    context.leapSeconds,
  );
}

/**
 * Ground stations valid at `epoch`, keyed by site code and by the names of `options.names`.
 * A site without all of STAX/STAY/STAZ in its chosen solution is left out.
 * The eccentricity (UNE only) is the one whose period contains the epoch; XYZ eccentricities are
 * not converted and are left out.
 */
export function sinexStations(
  sinex: SinexFile,
  epoch: Instant,
  options: SinexStationOptions,
): Map<string, GroundStation> {
  const mjd = mjdIn(epoch, 'UTC', options.context);
  const bySite = new Map<string, Map<string, Partial<Record<string, SinexEstimate>>>>();
  for (const e of sinex.estimates) {
    const key = `${e.code} ${e.pointCode}`;
    let sols = bySite.get(key);
    if (sols === undefined) bySite.set(key, (sols = new Map()));
    let params = sols.get(e.solution);
    if (params === undefined) sols.set(e.solution, (params = {}));
    params[e.type] = e;
  }
  const eccSource = options.eccentricities ?? sinex;
  const out = new Map<string, GroundStation>();
  for (const [key, sols] of bySite) {
    const [code = '', point = ''] = key.split(' ');
    // The solution whose SOLUTION/EPOCHS interval contains the epoch, else the nearest one
    // (a lone solution is used at any epoch; no SOLUTION/EPOCHS line counts as always valid).
    let chosen: Partial<Record<string, SinexEstimate>> | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const [soln, params] of sols) {
      const ep = sinex.solutionEpochs.find(
        (s) => s.code === code && s.pointCode === point && s.solution === soln,
      );
      const distance = ep === undefined ? 0 : intervalDistance(ep, mjd);
      if (distance < bestDistance) {
        bestDistance = distance;
        chosen = params;
      }
    }
    if (chosen === undefined) continue;
    const x = chosen['STAX'];
    const y = chosen['STAY'];
    const z = chosen['STAZ'];
    if (x === undefined || y === undefined || z === undefined) continue;
    const vx = chosen['VELX'];
    const vy = chosen['VELY'];
    const vz = chosen['VELZ'];
    const ecc = eccSource.eccentricities.find(
      (e) => e.code === code && e.pointCode === point && e.system === 'UNE' && within(e, mjd),
    );
    const station: GroundStation = {
      name: code,
      itrfKm: [x.value / 1000, y.value / 1000, z.value / 1000] as Vec3,
      ...(vx !== undefined && vy !== undefined && vz !== undefined
        ? { velocityKmPerYear: [vx.value / 1000, vy.value / 1000, vz.value / 1000] as Vec3 }
        : {}),
      referenceEpoch: epochInstant(x.referenceEpoch, options.context),
      ...(ecc === undefined
        ? {}
        : {
            eccentricityUneKm: [ecc.offsetM[0] / 1000, ecc.offsetM[1] / 1000, ecc.offsetM[2] / 1000] as Vec3,
          }),
    };
    if (!out.has(code)) out.set(code, station);
    const name = options.names?.get(code);
    if (name !== undefined && !out.has(name)) out.set(name, { ...station, name });
  }
  return out;
}
