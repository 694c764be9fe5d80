/**
 * Visibility of a target from a sensor, and pass prediction.
 *
 * Visibility at one instant (geometric: no light time, no refraction, which move rise/set by well
 * under a second for LEO): elevation within [min, max], range within [min, max], azimuth in a
 * sector, direction inside the field of regard; for optical sensors also the site in darkness
 * (geometric Sun elevation below the threshold), the target sunlit (not in the Earth's shadow, the
 * cylindrical or conical model of numerical/radiation-pressure.ts), the Moon at least the avoidance
 * angle from the line of sight, and, when the target's standard magnitude is given, the visual
 * magnitude of a diffuse sphere no fainter than the sensor's limit:
 *   m = m_std + 5 log10(ρ / 1000 km) − 2.5 log10(F(φ)/F(90°)), F(φ) = ((π − φ) cos φ + sin φ)/π,
 * φ the solar phase angle (standard magnitude at 1000 km and 90° phase, the usual convention of
 * visual satellite observers). Sun and Moon come from the analytic series (numerical/ephemeris.ts)
 * unless an Ephemeris is given.
 *
 * Passes: the intervals where the geometric elevation exceeds the sensor's minimum. The station
 * frame comes from StationFrameCache (the exact rotation every 600 s, the sidereal rotation in
 * between; < 1 m, see measurement-model.ts), so a scan costs about one target evaluation per
 * sample. The elevation is sampled at a coarse step chosen from the orbit period (period/100,
 * clamped to [5, 300] s); sign changes are refined by bisection to `toleranceS` (default 1 s), and
 * local maxima between samples by golden-section search (the culmination to tolerance/20), so a
 * grazing pass shorter than the step is still found when its culmination rises above the limit.
 * Inside each pass the full constraint set is sampled every `visibilityStepS` (default 10 s) and
 * its transitions are bisected to the tolerance: a visibility window shorter than that step can be
 * missed (a stated limit; lower the step for narrow fields of regard).
 */
import { WGS84_GM_KM3_S2 } from '../bodies/earth.js';
import type { AstroContext } from '../context/astro-context.js';
import type { FrameOptions } from '../frames/frame-graph.js';
import type { Vec3 } from '../math/vec3.js';
import { ANALYTIC_EPHEMERIS, type Ephemeris } from '../numerical/ephemeris.js';
import { conicalShadowFraction, cylindricalShadowFraction } from '../numerical/radiation-pressure.js';
import type { Instant } from '../time/instant.js';
import {
  azElRange,
  type StationFrame,
  StationFrameCache,
  stationFrameAt,
  type TargetEphemeris,
} from './measurement-model.js';
import { angleBetweenAzEl, type Sensor, withinGeometricLimits } from './sensor.js';

/** Options of visibility and pass prediction. */
export interface VisibilityOptions {
  readonly ctx: AstroContext;
  /** Sun and Moon (default: the analytic series). */
  readonly ephemeris?: Ephemeris;
  /** Earth shadow model for "target sunlit" (default 'cylindrical'). */
  readonly shadow?: 'cylindrical' | 'conical';
  /** Standard visual magnitude of the target (1000 km, 90° phase), for max_visual_magnitude. */
  readonly standardMagnitude?: number;
  readonly frameOptions?: FrameOptions;
}

/** What a sensor sees of a target at one instant. */
export interface VisibilitySample {
  readonly azimuthRad: number;
  readonly elevationRad: number;
  readonly rangeKm: number;
  /** Elevation, range, azimuth and field-of-regard limits hold. */
  readonly geometric: boolean;
  /** Lighting constraints hold (always true for radar and laser). */
  readonly lighting: boolean;
  /** Visual magnitude (optical, when the standard magnitude is known). */
  readonly magnitude?: number;
  readonly visible: boolean;
}

/** Visual magnitude of a diffuse sphere at range `rangeKm` and solar phase angle `phaseRad`. */
export function diffuseSphereMagnitude(standardMagnitude: number, rangeKm: number, phaseRad: number): number {
  const f = ((Math.PI - phaseRad) * Math.cos(phaseRad) + Math.sin(phaseRad)) / Math.PI;
  const f90 = 1 / Math.PI;
  return standardMagnitude + 5 * Math.log10(rangeKm / 1000) - 2.5 * Math.log10(Math.max(f, 1e-12) / f90);
}

function bodyGcrf(eph: Ephemeris, body: 'SUN' | 'MOON', t: Instant): Vec3 {
  const [jd, frac] = t.ttJulianDate();
  return eph.positionKm(body, jd, frac, [0, 0, 0]);
}

/** Visibility of the target's GCRF position `rKm` from the sensor at `t`. */
export function visibilityAt(
  sensor: Sensor,
  rKm: readonly number[],
  t: Instant,
  options: VisibilityOptions,
  sf: StationFrame = stationFrameAt(sensor, t, options.ctx, options.frameOptions),
): VisibilitySample {
  const los: Vec3 = [rKm[0]! - sf.rKm[0], rKm[1]! - sf.rKm[1], rKm[2]! - sf.rKm[2]];
  const [az, el, rho] = azElRange(sf, los);
  const geometric = withinGeometricLimits(sensor, az, el, rho);
  let lighting = true;
  let magnitude: number | undefined;
  const l = sensor.lighting;
  if (l !== undefined && geometric) {
    const eph = options.ephemeris ?? ANALYTIC_EPHEMERIS;
    const sun = bodyGcrf(eph, 'SUN', t);
    const sunLos: Vec3 = [sun[0] - sf.rKm[0], sun[1] - sf.rKm[1], sun[2] - sf.rKm[2]];
    const sunEl = azElRange(sf, sunLos)[1];
    if (sunEl > l.maxSunElevationRad) lighting = false;
    const r: Vec3 = [rKm[0]!, rKm[1]!, rKm[2]!];
    if (lighting && l.requireTargetSunlit) {
      const nu =
        options.shadow === 'conical' ? conicalShadowFraction(r, sun) : cylindricalShadowFraction(r, sun);
      if (nu <= 0) lighting = false;
    }
    if (lighting && l.moonAvoidanceRad > 0) {
      const moon = bodyGcrf(eph, 'MOON', t);
      const [maz, mel] = azElRange(sf, [moon[0] - sf.rKm[0], moon[1] - sf.rKm[1], moon[2] - sf.rKm[2]]);
      if (angleBetweenAzEl(az, el, maz, mel) < l.moonAvoidanceRad) lighting = false;
    }
    if (options.standardMagnitude !== undefined) {
      // Phase angle at the target between the Sun and the observer.
      const ts: Vec3 = [sun[0] - r[0], sun[1] - r[1], sun[2] - r[2]];
      const cosPhase =
        -(ts[0] * los[0] + ts[1] * los[1] + ts[2] * los[2]) / (Math.hypot(ts[0], ts[1], ts[2]) * rho);
      magnitude = diffuseSphereMagnitude(
        options.standardMagnitude,
        rho,
        Math.acos(Math.max(-1, Math.min(1, cosPhase))),
      );
      if (l.maxVisualMagnitude !== undefined && magnitude > l.maxVisualMagnitude) lighting = false;
    }
  }
  return {
    azimuthRad: az,
    elevationRad: el,
    rangeKm: rho,
    geometric,
    lighting,
    ...(magnitude === undefined ? {} : { magnitude }),
    visible: geometric && lighting,
  };
}

/** An interval of time. */
export interface TimeInterval {
  readonly start: Instant;
  readonly end: Instant;
}

/** One pass of a target over a sensor. */
export interface Pass {
  /** Elevation rises through the minimum (or the window start, `riseClipped`). */
  readonly rise: Instant;
  readonly culmination: Instant;
  /** Elevation sets through the minimum (or the window end, `setClipped`). */
  readonly set: Instant;
  readonly riseClipped: boolean;
  readonly setClipped: boolean;
  readonly maxElevationRad: number;
  /** Sub-intervals where every constraint holds (elevation, range, azimuth, lighting). */
  readonly visible: readonly TimeInterval[];
}

/** Options of predictPasses. */
export interface PassOptions extends VisibilityOptions {
  /** Coarse step, s (default from the orbit period: period/100 within [5, 300] s). */
  readonly stepS?: number;
  /** Step of the constraint scan inside a pass, s (default 10). */
  readonly visibilityStepS?: number;
  /** Root-finding accuracy, s (default 1). */
  readonly toleranceS?: number;
}

/** Coarse step from the osculating two-body period of the target at `t`. */
export function coarseStepS(target: TargetEphemeris, t: Instant): number {
  const x = target(t);
  const r = Math.hypot(...x.rKm);
  const v2 = x.vKmS[0] ** 2 + x.vKmS[1] ** 2 + x.vKmS[2] ** 2;
  const mu = WGS84_GM_KM3_S2;
  const a = 1 / (2 / r - v2 / mu);
  if (!(a > 0)) return 60;
  const period = 2 * Math.PI * Math.sqrt((a * a * a) / mu);
  return Math.max(5, Math.min(300, period / 100));
}

/**
 * Passes of `target` over `sensor` between `from` and `to`, in time order. Throws the context's
 * time and EOP errors.
 */
export function predictPasses(
  sensor: Sensor,
  target: TargetEphemeris,
  from: Instant,
  to: Instant,
  options: PassOptions,
): Pass[] {
  const span = to.secondsSince(from);
  if (!(span > 0)) return [];
  const tol = options.toleranceS ?? 1;
  const step = options.stepS ?? coarseStepS(target, from);
  const minEl = sensor.minElevationRad;
  const frames = new StationFrameCache(sensor, options.ctx, 600, options.frameOptions);
  const elev = (dt: number): number => {
    const t = from.plusSeconds(dt);
    const sf = frames.at(t);
    const r = target(t).rKm;
    return azElRange(sf, [r[0] - sf.rKm[0], r[1] - sf.rKm[1], r[2] - sf.rKm[2]])[1];
  };
  const g = (dt: number): number => elev(dt) - minEl;

  const n = Math.max(1, Math.ceil(span / step));
  const ts: number[] = [];
  const gs: number[] = [];
  for (let i = 0; i <= n; i++) {
    const dt = Math.min(span, i * step);
    ts.push(dt);
    gs.push(g(dt));
  }
  // Refine local maxima that stay below zero at the samples but may cross it in between.
  const crossings: { dt: number; rising: boolean }[] = [];
  const bisect = (a: number, b: number, ga: number): number => {
    let lo = a;
    let hi = b;
    let glo = ga;
    while (hi - lo > tol / 2) {
      const mid = 0.5 * (lo + hi);
      const gm = g(mid);
      if (gm > 0 === glo > 0) {
        lo = mid;
        glo = gm;
      } else hi = mid;
    }
    return 0.5 * (lo + hi);
  };
  for (let i = 0; i < n; i++) {
    const a = ts[i]!;
    const b = ts[i + 1]!;
    const ga = gs[i]!;
    const gb = gs[i + 1]!;
    if (ga > 0 !== gb > 0) {
      crossings.push({ dt: bisect(a, b, ga), rising: gb > 0 });
    }
  }
  // Hidden peaks: a sample that is a local maximum, below zero, with both neighbours below zero.
  for (let k = 0; k <= n; k++) {
    const gk = gs[k]!;
    const gPrev = k > 0 ? gs[k - 1]! : Number.NEGATIVE_INFINITY;
    const gNext = k < n ? gs[k + 1]! : Number.NEGATIVE_INFINITY;
    if (gk > 0 || gPrev > 0 || gNext > 0 || gk < gPrev || gk < gNext) continue;
    const lo = k > 0 ? ts[k - 1]! : ts[k]!;
    const hi = k < n ? ts[k + 1]! : ts[k]!;
    if (!(hi > lo)) continue;
    const [tm, gm] = goldenMax(g, lo, hi, tol / 2);
    if (gm > 0 && tm > lo && tm < hi) {
      crossings.push({ dt: bisect(lo, tm, g(lo)), rising: true });
      crossings.push({ dt: bisect(tm, hi, gm), rising: false });
    }
  }
  crossings.sort((p, q) => p.dt - q.dt);

  // Intervals of positive g.
  const intervals: [number, number, boolean, boolean][] = [];
  let start: number | undefined = gs[0]! > 0 ? 0 : undefined;
  let clippedStart = gs[0]! > 0;
  for (const c of crossings) {
    if (c.rising) {
      start = c.dt;
      clippedStart = false;
    } else if (start !== undefined) {
      intervals.push([start, c.dt, clippedStart, false]);
      start = undefined;
    }
  }
  if (start !== undefined) intervals.push([start, span, clippedStart, true]);

  const visStep = options.visibilityStepS ?? 10;
  const passes: Pass[] = [];
  for (const [a, b, rc, sc] of intervals) {
    const [tm, gm] = goldenMax(g, a, b, tol / 20);
    const visibleAt = (dt: number): boolean => {
      const t = from.plusSeconds(dt);
      return visibilityAt(sensor, target(t).rKm, t, options, frames.at(t)).visible;
    };
    const visible: TimeInterval[] = [];
    let prevT = a;
    let prevV = visibleAt(a);
    let vStart: number | undefined = prevV ? a : undefined;
    const m = Math.max(1, Math.ceil((b - a) / visStep));
    for (let k = 1; k <= m; k++) {
      const t = k === m ? b : a + k * visStep;
      const v = visibleAt(t);
      if (v !== prevV) {
        let lo = prevT;
        let hi = t;
        while (hi - lo > tol / 2) {
          const mid = 0.5 * (lo + hi);
          if (visibleAt(mid) === prevV) lo = mid;
          else hi = mid;
        }
        const edge = 0.5 * (lo + hi);
        if (v) vStart = edge;
        else if (vStart !== undefined) {
          visible.push({ start: from.plusSeconds(vStart), end: from.plusSeconds(edge) });
          vStart = undefined;
        }
      }
      prevT = t;
      prevV = v;
    }
    if (vStart !== undefined) visible.push({ start: from.plusSeconds(vStart), end: from.plusSeconds(b) });
    passes.push({
      rise: from.plusSeconds(a),
      culmination: from.plusSeconds(tm),
      set: from.plusSeconds(b),
      riseClipped: rc,
      setClipped: sc,
      maxElevationRad: gm + minEl,
      visible,
    });
  }
  return passes;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Golden-section search for the maximum of f on [a, b] to `tol`; returns [x, f(x)]. */
function goldenMax(f: (x: number) => number, a: number, b: number, tol: number): [number, number] {
  let lo = a;
  let hi = b;
  let x1 = hi - GOLDEN * (hi - lo);
  let x2 = lo + GOLDEN * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  while (hi - lo > tol) {
    if (f1 < f2) {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + GOLDEN * (hi - lo);
      f2 = f(x2);
    } else {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - GOLDEN * (hi - lo);
      f1 = f(x1);
    }
  }
  const xm = 0.5 * (lo + hi);
  const fm = f(xm);
  // The ends may be higher (a pass clipped by the window).
  const fa = f(a);
  const fb = f(b);
  if (fa >= fm && fa >= fb) return [a, fa];
  if (fb >= fm) return [b, fb];
  return [xm, fm];
}
