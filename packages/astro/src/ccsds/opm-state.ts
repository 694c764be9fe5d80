/**
 * An OPM to and from a state with its covariance, for orbit determination: `opmState` reads the
 * epoch, frame, position, velocity and covariance Hoshimi can use from an OPM (the first guess of
 * `hoshimi od --initial`), `opmFromState` builds the OPM that reports an estimate.
 *
 * What opmState accepts (and refuses with a clear error):
 * - CENTER_NAME = EARTH only (`OPM_UNSUPPORTED_CENTER`): the frames of frames/state.ts are geocentric.
 * - REF_FRAME among frames/state.ts FRAME_NAMES (TEME, PEF, ITRF, TOD, MOD, GCRF, EME2000), plus
 *   ICRF read as GCRF (same axes; with an Earth centre the two differ only by origin, which
 *   CENTER_NAME fixes) and any ITRF realisation (ITRF2000, ITRF-97, ITRF1997, ITRF2014…) read as
 *   ITRF (realisations differ by centimetres, below what an OPM state is used for here).
 *   Anything else: `OPM_UNSUPPORTED_FRAME`. A REF_FRAME_EPOCH different from EPOCH for a frame of
 *   date (TEME, TOD, MOD) is refused too: the graph evaluates frames of date at the state's epoch.
 * - TIME_SYSTEM UTC, TAI, TT, GPS, TDB, UT1 (`OPM_UNSUPPORTED_TIME_SYSTEM` otherwise); UTC needs the
 *   context's leap seconds and UT1 its EOP.
 * - COV_REF_FRAME absent or equal to REF_FRAME: returned as is; RTN (or its CCSDS aliases RSW, RIC)
 *   and NTW (TNW reordered): rotated into REF_FRAME with the block-diagonal rotation diag(Qᵀ, Qᵀ)
 *   of frames/local-orbital.ts, i.e. velocity components read in non-rotating local axes, the
 *   convention of CCSDS 508.0 (CDM) covariances; any other frame: `OPM_UNSUPPORTED_FRAME`.
 */
import { AstroError } from '../errors.js';
import { localOrbitalMatrix } from '../frames/local-orbital.js';
import { FRAME_NAMES, type FrameName, isFrameName } from '../frames/state.js';
import type { Mat3 } from '../math/mat3.js';
import type { Instant } from '../time/instant.js';
import type { TimeScale } from '../time/scales.js';
import { formatTime, parseTimeToInstant } from '../time/time-format.js';
import type { TimeContext } from '../time/utc.js';
import type { Opm, OpmHeader, OpmSpacecraft } from './opm.js';

/** Time systems opmState converts. */
export const OPM_TIME_SYSTEMS: readonly TimeScale[] = ['UTC', 'TAI', 'TT', 'GPS', 'TDB', 'UT1'];

/** What opmState returns: everything in the frame named `frame`, km and km/s. */
export interface OpmStateValue {
  readonly epoch: Instant;
  readonly frame: FrameName;
  readonly position: readonly [number, number, number];
  readonly velocity: readonly [number, number, number];
  /** 6×6 row-major, km², km²/s, km²/s², in `frame`; undefined when the OPM has none. */
  readonly covariance: readonly number[] | undefined;
}

/** The Hoshimi frame of a CCSDS REF_FRAME name, or undefined. */
export function opmFrameName(refFrame: string): FrameName | undefined {
  const f = refFrame.trim().toUpperCase();
  if (isFrameName(f)) return f;
  if (f === 'ICRF') return 'GCRF';
  if (/^ITRF(-?\d{2}|\d{4})?$/.test(f)) return 'ITRF';
  return undefined;
}

const FRAMES_OF_DATE: readonly FrameName[] = ['TEME', 'TOD', 'MOD'];

function unsupported(code: string, message: string, expected: string, found: string): AstroError {
  return new AstroError(code, message, { expected, found });
}

/** Rotates a 6×6 covariance given in local orbital axes (rows of q) into the reference frame. */
function fromLocal(q: Mat3, c: readonly number[]): number[] {
  // M = diag(Qᵀ, Qᵀ); C' = M C Mᵀ.
  const m = new Array<number>(36).fill(0);
  for (let b = 0; b < 2; b++)
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) m[(3 * b + i) * 6 + 3 * b + j] = q[j * 3 + i] as number;
  const tmp = new Array<number>(36).fill(0);
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += (m[i * 6 + k] as number) * (c[k * 6 + j] as number);
      tmp[i * 6 + j] = s;
    }
  const out = new Array<number>(36).fill(0);
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += (tmp[i * 6 + k] as number) * (m[j * 6 + k] as number);
      out[i * 6 + j] = s;
    }
  // Symmetrise the rounding.
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * ((out[i * 6 + j] as number) + (out[j * 6 + i] as number));
      out[i * 6 + j] = v;
      out[j * 6 + i] = v;
    }
  return out;
}

/** NTW (CCSDS) covariance with TNW rows reordered: CCSDS TNW lists T, N, W. */
function localCovariance(
  name: string,
  r: readonly [number, number, number],
  v: readonly [number, number, number],
  c: readonly number[],
): number[] | undefined {
  const q = [0, 0, 0, 0, 0, 0, 0, 0, 0] as Mat3;
  if (name === 'RTN' || name === 'RSW' || name === 'RIC')
    return fromLocal(localOrbitalMatrix('RTN', r, v, q), c);
  if (name === 'NTW') return fromLocal(localOrbitalMatrix('NTW', r, v, q), c);
  if (name === 'TNW') {
    // Rows of NTW are N, T, W; TNW axes are T, N, W.
    const ntw = localOrbitalMatrix('NTW', r, v, q);
    const tnw = [ntw[3], ntw[4], ntw[5], ntw[0], ntw[1], ntw[2], ntw[6], ntw[7], ntw[8]] as Mat3;
    return fromLocal(tnw, c);
  }
  return undefined;
}

/**
 * The state of an OPM as Hoshimi uses it: epoch as an Instant (read in TIME_SYSTEM with `ctx`),
 * frame, position km, velocity km/s, covariance in that frame. Throws AstroError
 * `OPM_UNSUPPORTED_CENTER`, `OPM_UNSUPPORTED_FRAME`, `OPM_UNSUPPORTED_TIME_SYSTEM` or
 * `OPM_BAD_EPOCH` (see the module header).
 */
export function opmState(opm: Opm, ctx: TimeContext): OpmStateValue {
  const md = opm.metadata;
  if (md.centerName.trim().toUpperCase() !== 'EARTH') {
    throw unsupported(
      'OPM_UNSUPPORTED_CENTER',
      `CENTER_NAME ${md.centerName} is not supported: Hoshimi's frames are geocentric`,
      'EARTH',
      md.centerName,
    );
  }
  const frame = opmFrameName(md.refFrame);
  if (frame === undefined) {
    throw unsupported(
      'OPM_UNSUPPORTED_FRAME',
      `REF_FRAME ${md.refFrame} is not a frame Hoshimi can transform`,
      [...FRAME_NAMES, 'ICRF', 'ITRF*'].join(', '),
      md.refFrame,
    );
  }
  const scale = md.timeSystem.trim().toUpperCase() as TimeScale;
  if (!OPM_TIME_SYSTEMS.includes(scale)) {
    throw unsupported(
      'OPM_UNSUPPORTED_TIME_SYSTEM',
      `TIME_SYSTEM ${md.timeSystem} has no conversion in Hoshimi`,
      OPM_TIME_SYSTEMS.join(', '),
      md.timeSystem,
    );
  }
  const read = (text: string, key: string): Instant => {
    const t = parseTimeToInstant(text, ctx, { scale });
    if (!t.ok) {
      const first = t.issues[0];
      throw new AstroError(
        'OPM_BAD_EPOCH',
        `${key} ${text} cannot be read in ${scale}: ${first?.message ?? ''}`,
        {
          key,
          found: text,
          cause: first?.code,
        },
      );
    }
    return t.value;
  };
  const epoch = read(opm.stateVector.epoch, 'EPOCH');
  if (md.refFrameEpoch !== undefined && FRAMES_OF_DATE.includes(frame)) {
    const fe = read(md.refFrameEpoch, 'REF_FRAME_EPOCH');
    if (fe.s !== epoch.s || Math.abs(fe.f - epoch.f) > 1e-9) {
      throw unsupported(
        'OPM_UNSUPPORTED_FRAME',
        `${md.refFrame} of REF_FRAME_EPOCH ${md.refFrameEpoch} differs from the ${md.refFrame} of EPOCH, which is the only one the frame graph evaluates`,
        `REF_FRAME_EPOCH = EPOCH (${opm.stateVector.epoch}) or absent`,
        md.refFrameEpoch,
      );
    }
  }
  const position = opm.stateVector.positionKm;
  const velocity = opm.stateVector.velocityKmS;
  let covariance: readonly number[] | undefined;
  const cov = opm.covariance;
  if (cov !== undefined) {
    const cf = cov.refFrame?.trim().toUpperCase();
    if (cf === undefined || cf === md.refFrame.trim().toUpperCase() || opmFrameName(cf) === frame) {
      covariance = [...cov.matrix];
    } else {
      covariance = localCovariance(cf, position, velocity, cov.matrix);
      if (covariance === undefined) {
        throw unsupported(
          'OPM_UNSUPPORTED_FRAME',
          `COV_REF_FRAME ${cov.refFrame} is neither REF_FRAME (${md.refFrame}) nor a local orbital frame`,
          `${md.refFrame}, RTN, RSW, RIC, NTW or TNW`,
          cov.refFrame ?? '',
        );
      }
    }
  }
  return { epoch, frame, position: [...position], velocity: [...velocity], covariance };
}

/** Input of opmFromState. */
export interface OpmFromStateInput {
  readonly epoch: Instant;
  /** The frame of position, velocity and covariance (written as REF_FRAME). */
  readonly frame: FrameName;
  readonly positionKm: readonly [number, number, number];
  readonly velocityKmS: readonly [number, number, number];
  /** 6×6 row-major, km², km²/s, km²/s², in `frame`; must be symmetric. */
  readonly covariance6x6?: ArrayLike<number>;
  readonly objectName: string;
  readonly objectId: string;
  /** CREATION_DATE (UTC string), ORIGINATOR, optional MESSAGE_ID, CLASSIFICATION and comments. */
  readonly header: {
    readonly creationDate: string;
    readonly originator: string;
    readonly messageId?: string;
    readonly classification?: string;
    readonly comments?: readonly string[];
  };
  readonly spacecraft?: Omit<OpmSpacecraft, 'comments'> & { readonly comments?: readonly string[] };
  /** TIME_SYSTEM of EPOCH (default UTC). */
  readonly timeSystem?: TimeScale;
  /** Decimals of the EPOCH seconds (default 6: a microsecond is 7.5 mm at LEO speed). */
  readonly epochDecimals?: number;
  readonly comments?: readonly string[];
}

/** Covariance symmetry tolerance, relative to the largest |term| (float round-off of a product). */
const SYMMETRY_TOLERANCE = 1e-12;

/**
 * An OPM (version 3.0) of a state and its optional covariance, centre EARTH. The epoch is written
 * in `timeSystem` with `ctx`. Throws AstroError `OPM_INVALID` for a non-finite value or a
 * covariance that is not 36 values or not symmetric.
 */
export function opmFromState(input: OpmFromStateInput, ctx: TimeContext): Opm {
  const timeSystem = input.timeSystem ?? 'UTC';
  const epoch = formatTime(input.epoch, ctx, {
    scale: timeSystem,
    style: 'ccsds-a',
    decimals: input.epochDecimals ?? 6,
  });
  for (const x of [...input.positionKm, ...input.velocityKmS]) {
    if (!Number.isFinite(x)) throw new AstroError('OPM_INVALID', 'the state is not finite', { found: x });
  }
  let covariance: Opm['covariance'];
  if (input.covariance6x6 !== undefined) {
    const c = Array.from(input.covariance6x6);
    if (c.length !== 36 || c.some((x) => !Number.isFinite(x))) {
      throw new AstroError('OPM_INVALID', 'the covariance must be 36 finite values (6×6 row-major)', {
        found: c.length,
      });
    }
    const big = Math.max(...c.map(Math.abs));
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < i; j++) {
        const a = c[i * 6 + j] as number;
        const b = c[j * 6 + i] as number;
        if (Math.abs(a - b) > SYMMETRY_TOLERANCE * big) {
          throw new AstroError('OPM_INVALID', 'the covariance is not symmetric', {
            row: i,
            column: j,
            found: [a, b],
          });
        }
      }
    // The lower triangle is what the message carries; the model holds its symmetric completion.
    const sym = c.slice();
    for (let i = 0; i < 6; i++) for (let j = 0; j < i; j++) sym[j * 6 + i] = c[i * 6 + j] as number;
    covariance = { refFrame: input.frame, matrix: sym, comments: [] };
  }
  const h = input.header;
  const header: OpmHeader = {
    version: '3.0',
    ...(h.classification === undefined ? {} : { classification: h.classification }),
    creationDate: h.creationDate,
    originator: h.originator,
    ...(h.messageId === undefined ? {} : { messageId: h.messageId }),
    comments: h.comments ?? [],
  };
  const sc = input.spacecraft;
  return {
    header,
    metadata: {
      objectName: input.objectName,
      objectId: input.objectId,
      centerName: 'EARTH',
      refFrame: input.frame,
      timeSystem,
      comments: input.comments ?? [],
    },
    stateVector: {
      epoch,
      positionKm: [...input.positionKm],
      velocityKmS: [...input.velocityKmS],
      comments: [],
    },
    ...(sc === undefined ? {} : { spacecraft: { ...sc, comments: sc.comments ?? [] } }),
    ...(covariance === undefined ? {} : { covariance }),
    maneuvers: [],
    userDefined: [],
  };
}
