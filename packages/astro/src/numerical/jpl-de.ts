/**
 * Reader of JPL planetary and lunar ephemerides in the binary DE format (e.g. DE430 `lnxp*.430`,
 * or an excerpt of one), and the geocentric Sun and Moon from it as an `Ephemeris`.
 *
 * Layout (JPL "Format of the JPL ephemeris files", ftp://ssd.jpl.nasa.gov/pub/eph/planets/
 * ascii/ascii_format.txt and the Fortran reader testeph.f): fixed-length records of NCOEFF
 * doubles. Record 1: three 84-character title lines, 400 six-character constant names, the start
 * and end Julian dates (TDB) and the record span in days, NCON (int32), AU and EMRAT (doubles),
 * the 12 pointer triplets IPT (offset of the first coefficient, 1-based; coefficients per
 * component; sub-intervals per record) for Mercury … Pluto, Moon (geocentric), Sun and nutations,
 * DENUM (int32), the libration triplet, then the names of constants beyond 400. Record 2: NCON
 * constant values. Records 3…: the start and end dates of the record, then the Chebyshev
 * coefficients. Positions are km, referred to the ICRF, time argument TDB.
 *
 * The byte order is detected from DENUM. Earth = EMB − Moon/(1 + EMRAT), and the Sun is made
 * geocentric by subtracting the Earth (testeph.f PLEPH). Parsers take bytes, never files.
 */

import { AstroError, type ParseIssue, type ParseResult } from '../errors.js';
import type { Vec3 } from '../math/vec3.js';
import type { Ephemeris, EphemerisBody } from './ephemeris.js';

const TITLE_BYTES = 3 * 84;
const NAME_BYTES = 6;
const OFF_SS = TITLE_BYTES + 400 * NAME_BYTES; // 2652
const OFF_NCON = OFF_SS + 24;
const OFF_AU = OFF_NCON + 4;
const OFF_EMRAT = OFF_AU + 8;
const OFF_IPT = OFF_EMRAT + 8;
const OFF_DENUM = OFF_IPT + 12 * 3 * 4;
const OFF_LPT = OFF_DENUM + 4;
const OFF_EXTRA_NAMES = OFF_LPT + 12;

/** IPT indices of the bodies used here. */
const IPT_EMB = 2;
const IPT_MOON = 9;
const IPT_SUN = 10;

/** One body's Chebyshev layout: first coefficient (0-based), coefficients per component, sub-intervals. */
interface BodyLayout {
  readonly offset: number;
  readonly count: number;
  readonly subintervals: number;
}

/** A parsed JPL DE ephemeris (binary). */
export class JplDeEphemeris implements Ephemeris {
  readonly name: string;
  /** DE number (e.g. 430). */
  readonly denum: number;
  /** First and last covered TDB Julian dates. */
  readonly startJd: number;
  readonly endJd: number;
  /** Days per record. */
  readonly recordDays: number;
  /** Astronomical unit, km, and Earth/Moon mass ratio. */
  readonly auKm: number;
  readonly emrat: number;
  /** The header constants by name (e.g. GMS in AU³/day², RE in km). */
  readonly constants: ReadonlyMap<string, number>;
  readonly #coefficients: Float64Array;
  readonly #ncoeff: number;
  readonly #records: number;
  readonly #emb: BodyLayout;
  readonly #moon: BodyLayout;
  readonly #sun: BodyLayout;
  readonly #tmp: Vec3 = [0, 0, 0];

  /** @internal Built by `parseJplDe`. */
  constructor(init: {
    name: string;
    denum: number;
    startJd: number;
    endJd: number;
    recordDays: number;
    auKm: number;
    emrat: number;
    constants: Map<string, number>;
    coefficients: Float64Array;
    ncoeff: number;
    emb: BodyLayout;
    moon: BodyLayout;
    sun: BodyLayout;
  }) {
    this.name = init.name;
    this.denum = init.denum;
    this.startJd = init.startJd;
    this.endJd = init.endJd;
    this.recordDays = init.recordDays;
    this.auKm = init.auKm;
    this.emrat = init.emrat;
    this.constants = init.constants;
    this.#coefficients = init.coefficients;
    this.#ncoeff = init.ncoeff;
    this.#records = init.coefficients.length / init.ncoeff;
    this.#emb = init.emb;
    this.#moon = init.moon;
    this.#sun = init.sun;
  }

  /**
   * Geocentric Sun or Moon, km, ICRF axes, at the TDB Julian date jd + jdFrac (TT may be passed:
   * |TDB − TT| < 2 ms moves the Moon by < 2 m). Throws `EPHEMERIS_OUT_OF_RANGE` outside the file.
   */
  positionKm(body: EphemerisBody, jd: number, jdFrac: number, out: Vec3): Vec3 {
    const days = jd - this.startJd + jdFrac;
    if (!(days >= 0 && days <= this.endJd - this.startJd)) {
      throw new AstroError('EPHEMERIS_OUT_OF_RANGE', `${this.name}: date outside the ephemeris`, {
        expected: `TDB JD in [${this.startJd}, ${this.endJd}]`,
        found: jd + jdFrac,
      });
    }
    const rec = Math.min(Math.floor(days / this.recordDays), this.#records - 1);
    const x = days - rec * this.recordDays;
    const base = rec * this.#ncoeff;
    if (body === 'MOON') return this.#eval(this.#moon, base, x, out);
    // Sun − Earth, Earth = EMB − Moon/(1 + EMRAT).
    const m = this.#eval(this.#moon, base, x, this.#tmp);
    const k = 1 / (1 + this.emrat);
    const ex = -m[0] * k;
    const ey = -m[1] * k;
    const ez = -m[2] * k;
    this.#eval(this.#emb, base, x, m);
    const e0 = m[0] + ex;
    const e1 = m[1] + ey;
    const e2 = m[2] + ez;
    this.#eval(this.#sun, base, x, out);
    out[0] -= e0;
    out[1] -= e1;
    out[2] -= e2;
    return out;
  }

  /** Chebyshev sum of one body at `x` days into the record starting at coefficient `base`. */
  #eval(b: BodyLayout, base: number, x: number, out: Vec3): Vec3 {
    const span = this.recordDays / b.subintervals;
    const k = Math.min(Math.floor(x / span), b.subintervals - 1);
    const tc = (2 * (x - k * span)) / span - 1;
    const c = this.#coefficients;
    for (let comp = 0; comp < 3; comp++) {
      const o = base + b.offset + (k * 3 + comp) * b.count;
      // Clenshaw recurrence for Σ c_j T_j(tc).
      let b1 = 0;
      let b2 = 0;
      for (let j = b.count - 1; j >= 1; j--) {
        const t = 2 * tc * b1 - b2 + c[o + j]!;
        b2 = b1;
        b1 = t;
      }
      out[comp] = tc * b1 - b2 + c[o]!;
    }
    return out;
  }
}

/** Options of `parseJplDe`. */
export interface JplDeParseOptions {
  /** File name for issues. */
  readonly file?: string;
}

/**
 * Parses a binary JPL DE ephemeris (whole file or excerpt) from its bytes. Issues:
 * `JPL_DE_TRUNCATED` (shorter than two header records and one data record, or not a whole number of
 * records), `JPL_DE_HEADER` (no plausible DE number, pointers or dates in either byte order),
 * `JPL_DE_RECORD` (a data record whose dates do not continue the previous one).
 */
export function parseJplDe(bytes: Uint8Array, options: JplDeParseOptions = {}): ParseResult<JplDeEphemeris> {
  const file = options.file;
  const where = file === undefined ? {} : { file };
  const issue = (
    code: string,
    message: string,
    expected: string,
    found: string,
  ): ParseResult<JplDeEphemeris> => ({
    ok: false,
    issues: [{ ...where, code, message, expected, found } satisfies ParseIssue],
  });
  if (bytes.length < OFF_EXTRA_NAMES) {
    return issue(
      'JPL_DE_TRUNCATED',
      'file shorter than the DE header record',
      `≥ ${OFF_EXTRA_NAMES} bytes`,
      `${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le = true;
  const plausible = (d: number): boolean => d >= 100 && d <= 10000;
  if (!plausible(view.getInt32(OFF_DENUM, true))) {
    if (plausible(view.getInt32(OFF_DENUM, false))) le = false;
    else {
      return issue(
        'JPL_DE_HEADER',
        'no DE number in the header (neither byte order)',
        'DENUM in 100..10000 at byte 2840',
        `${view.getInt32(OFF_DENUM, true)}`,
      );
    }
  }
  const i32 = (o: number): number => view.getInt32(o, le);
  const f64 = (o: number): number => view.getFloat64(o, le);
  const denum = i32(OFF_DENUM);
  const startJd = f64(OFF_SS);
  const endJd = f64(OFF_SS + 8);
  const recordDays = f64(OFF_SS + 16);
  const ncon = i32(OFF_NCON);
  const auKm = f64(OFF_AU);
  const emrat = f64(OFF_EMRAT);
  const ipt: BodyLayout[] = [];
  let ncoeff = 2;
  for (let b = 0; b < 13; b++) {
    const o = b < 12 ? OFF_IPT + b * 12 : OFF_LPT;
    const offset = i32(o);
    const count = i32(o + 4);
    const sub = i32(o + 8);
    const comps = b === 11 ? 2 : 3;
    if (count > 0 && sub > 0) ncoeff = Math.max(ncoeff, offset - 1 + count * sub * comps);
    ipt.push({ offset: offset - 1, count, subintervals: sub });
  }
  const layoutOk = [IPT_EMB, IPT_MOON, IPT_SUN].every((b) => {
    const l = ipt[b]!;
    return l.offset >= 2 && l.count >= 1 && l.subintervals >= 1;
  });
  if (!layoutOk || !(endJd > startJd) || !(recordDays > 0) || !(ncon >= 0 && ncon < 100000) || !(emrat > 0)) {
    return issue(
      'JPL_DE_HEADER',
      'implausible DE header (dates, pointers, NCON or EMRAT)',
      'start < end JD, record span > 0, Moon/Sun/EMB pointers ≥ 3, EMRAT > 0',
      `start ${startJd}, end ${endJd}, span ${recordDays}, NCON ${ncon}, EMRAT ${emrat}`,
    );
  }
  const recordBytes = ncoeff * 8;
  const dataRecords = Math.floor(bytes.length / recordBytes) - 2;
  if (dataRecords < 1 || bytes.length % recordBytes !== 0) {
    return issue(
      'JPL_DE_TRUNCATED',
      'file is not two header records plus whole data records',
      `a multiple of ${recordBytes} bytes, ≥ ${3 * recordBytes}`,
      `${bytes.length} bytes`,
    );
  }
  const decoder = { decode: latin1 };
  const title = decoder.decode(bytes.subarray(0, 84)).trim();
  const names: string[] = [];
  for (let i = 0; i < ncon; i++) {
    const o = i < 400 ? TITLE_BYTES + i * NAME_BYTES : OFF_EXTRA_NAMES + (i - 400) * NAME_BYTES;
    names.push(decoder.decode(bytes.subarray(o, o + NAME_BYTES)).trim());
  }
  const constants = new Map<string, number>();
  for (let i = 0; i < ncon; i++) constants.set(names[i]!, f64(recordBytes + i * 8));
  const coefficients = new Float64Array(dataRecords * ncoeff);
  for (let r = 0; r < dataRecords; r++) {
    const o = (r + 2) * recordBytes;
    for (let j = 0; j < ncoeff; j++) coefficients[r * ncoeff + j] = f64(o + j * 8);
    const r0 = coefficients[r * ncoeff]!;
    const r1 = coefficients[r * ncoeff + 1]!;
    const expected0 = startJd + r * recordDays;
    if (Math.abs(r0 - expected0) > 1e-6 || Math.abs(r1 - r0 - recordDays) > 1e-6) {
      return issue(
        'JPL_DE_RECORD',
        `data record ${r + 1} does not continue the previous one`,
        `JD ${expected0} .. ${expected0 + recordDays}`,
        `JD ${r0} .. ${r1}`,
      );
    }
  }
  const coveredEnd = Math.min(endJd, startJd + dataRecords * recordDays);
  return {
    ok: true,
    value: new JplDeEphemeris({
      name: `JPL DE${denum} (${title})`,
      denum,
      startJd,
      endJd: coveredEnd,
      recordDays,
      auKm,
      emrat,
      constants,
      coefficients,
      ncoeff,
      emb: ipt[IPT_EMB]!,
      moon: ipt[IPT_MOON]!,
      sun: ipt[IPT_SUN]!,
    }),
    warnings:
      coveredEnd < endJd
        ? [
            {
              ...where,
              code: 'JPL_DE_SHORT',
              message: 'the data records end before the header end date',
              expected: `records to JD ${endJd}`,
              found: `records to JD ${coveredEnd}`,
            },
          ]
        : [],
  };
}

/** Bytes as Latin-1 text (header titles and constant names are ASCII). */
function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
