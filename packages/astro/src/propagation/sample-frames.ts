/**
 * Frame change of SGP4 samples: TEME states (km, km/s) at UTC labels (the element-set time
 * convention of sgp4/epoch-time.ts) into TEME, GCRF, ITRF or geodetic coordinates. Shared by every
 * producer of ephemerides (the CLI's `propagate`, the server, the console).
 *
 * TEME needs no table: the label itself is the sample's time. Every other frame needs the instant
 * of the label (leap-second table) and the Earth orientation at it (EOP, or the documented
 * no-EOP fallback of context/frame-epoch-at.ts). Table problems surface as the AstroErrors of
 * those modules (`TIME_OUT_OF_RANGE`, `EOP_OUT_OF_RANGE`), thrown by `prepare`, so that a caller
 * can refuse one record and keep the others.
 */
import type { AstroContext } from '../context/astro-context.js';
import { type FrameEpochInfo, frameEpochAt } from '../context/frame-epoch-at.js';
import type { UtcJulianDate } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import {
  applyFrameTransform,
  type FrameTransform,
  frameTransform,
  newFrameTransform,
} from '../frames/frame-graph.js';
import { itrfToGeodeticArray } from '../frames/geodetic.js';
import { instantOfUtcLabel } from '../sgp4/epoch-time.js';
import { RAD2DEG } from '../units/index.js';

/** Output frames of samples; GEODETIC is ITRF as latitude, longitude (deg) and height (km). */
export type SampleFrame = 'TEME' | 'GCRF' | 'ITRF' | 'GEODETIC';

export const SAMPLE_FRAMES: readonly SampleFrame[] = ['TEME', 'GCRF', 'ITRF', 'GEODETIC'];

/** The frame change at one label, made by `SampleFrameConverter.prepare`. */
export interface PreparedFrame {
  /** TEME → target rotation (absent for TEME output). */
  readonly transform: FrameTransform | undefined;
  /** What the frame epoch was built from (absent for TEME output: no table was consulted). */
  readonly info: FrameEpochInfo | undefined;
}

const TEME_ONLY: PreparedFrame = { transform: undefined, info: undefined };

/**
 * Converts TEME samples to `frame`. Output of `convert` in a 6-element array: x, y, z (km) and
 * vx, vy, vz (km/s) in the target frame; for GEODETIC latitude and longitude in degrees, height
 * above the WGS-84 ellipsoid in km, and the ITRF velocity (km/s).
 */
export class SampleFrameConverter {
  readonly frame: SampleFrame;
  private readonly ctx: AstroContext | undefined;
  private readonly target: 'GCRF' | 'ITRF' | undefined;
  private readonly r: [number, number, number] = [0, 0, 0];
  private readonly v: [number, number, number] = [0, 0, 0];
  private readonly geo: [number, number, number] = [0, 0, 0];

  /** `ctx` may be omitted for TEME output only (AstroError `CONTEXT_REQUIRED` otherwise). */
  constructor(frame: SampleFrame, ctx?: AstroContext) {
    this.frame = frame;
    this.ctx = ctx;
    this.target = frame === 'TEME' ? undefined : frame === 'GCRF' ? 'GCRF' : 'ITRF';
    if (this.target !== undefined && ctx === undefined) {
      throw new AstroError(
        'CONTEXT_REQUIRED',
        `${frame} output needs leap seconds (and EOP): pass a context`,
        {
          frame,
        },
      );
    }
  }

  /** True when `prepare` consults the leap-second and EOP tables (every frame but TEME). */
  get needsTables(): boolean {
    return this.target !== undefined;
  }

  /**
   * The frame change at a UTC label. Throws the time and EOP errors of the context (see the module
   * header). `into` is reused when given (one allocation per object instead of per sample).
   */
  prepare(label: UtcJulianDate, into?: FrameTransform): PreparedFrame {
    if (this.target === undefined) return TEME_ONLY;
    const ctx = this.ctx as AstroContext;
    const info = frameEpochAt(instantOfUtcLabel(label, ctx), ctx);
    return { transform: frameTransform('TEME', this.target, info, into ?? newFrameTransform()), info };
  }

  /** Converts one TEME state with a prepared frame change into `out` (see the class comment). */
  convert(
    prepared: PreparedFrame,
    xKm: number,
    yKm: number,
    zKm: number,
    vxKmS: number,
    vyKmS: number,
    vzKmS: number,
    out: Float64Array | number[],
  ): void {
    const r = this.r;
    const v = this.v;
    r[0] = xKm;
    r[1] = yKm;
    r[2] = zKm;
    v[0] = vxKmS;
    v[1] = vyKmS;
    v[2] = vzKmS;
    if (prepared.transform !== undefined) applyFrameTransform(prepared.transform, r, v, r, v);
    if (this.frame === 'GEODETIC') {
      itrfToGeodeticArray(r, this.geo);
      out[0] = this.geo[0] * RAD2DEG;
      out[1] = this.geo[1] * RAD2DEG;
      out[2] = this.geo[2];
    } else {
      out[0] = r[0];
      out[1] = r[1];
      out[2] = r[2];
    }
    out[3] = v[0];
    out[4] = v[1];
    out[5] = v[2];
  }
}
