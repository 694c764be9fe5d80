/**
 * Track-to-object correlation: each track is assigned to the catalog object whose SGP4 prediction
 * explains it (track-model.ts `scoreTrack`: χ² of the residuals against measurement noise plus the
 * element set's age-dependent error), or declared uncorrelated (UCT).
 *
 * Decision: the gate is the `gateProbability` quantile of χ² with the track's number of scalar
 * values as degrees of freedom (chi-square.ts). The best-scoring object is assigned when it passes
 * the gate and the second-best passing object scores at least `ambiguityMargin` more (a likelihood
 * ratio of exp(margin/2)); otherwise the track is a UCT, with reason 'no-candidate' (nothing near the
 * line of sight), 'gate' (the nearest objects do not fit) or 'ambiguous' (two objects fit about
 * equally: docked vehicles, co-located GEO satellites, fresh launch clusters).
 *
 * Fast path (`correlateTracks`), after the catalog screening of conjunction/screen-engine.ts:
 * 1. the catalog is propagated once with batch SGP4 (propagation/sgp4-batch.ts) on a coarse grid of
 *    UTC labels (`gridStepS`), slice by slice in time order, each slice rotated TEME → GCRF;
 * 2. tracks are sorted by the time of their reference measurement (track-model.ts: the direction
 *    nearest to the middle, else the range nearest to it); for each, every object's
 *    position at that time is interpolated by cubic Hermite from the two enclosing slices (positions
 *    and velocities) and tested against the reference measurement: for angles the distance of the
 *    object from the measured line of sight, for a range the difference of distances, for a
 *    position the distance;
 * 3. each object inside that gate gets a second, anisotropic bound (below); those that pass it are
 *    scored exactly (`scoreTrack`, SGP4 per measurement).
 * Soundness of step 2 (every object that would pass the χ² gate is a candidate): χ²(δ̂) ≤ q implies
 * δ̂ᵀC⁻¹δ̂ ≤ q, so |δ̂| ≤ √q·σ_max (σ_max the largest axis of the error model at the object's largest
 * age over the batch; the model grows with |age|), and the reference measurement's own term ≤ q, so
 * its angle residual is ≤ √q·σ_angle (a right-ascension or azimuth residual overstates the angle by
 * 1/cos of the declination or elevation), its range residual ≤ √q·σ_range. The coarse gate is those
 * bounds plus the Hermite interpolation error and the light-time displacement v·ρ/c
 * (INTERPOLATION_MARGIN_KM, the largest speed over c per km of distance). The second bound, for
 * angle and position references, uses the error model's axes instead of its largest one, on the
 * object's SGP4 state at the reference label (one SGP4 call, the state scoreTrack starts from): let
 * d be its distance from the measured line of sight (or measured position), less the light-time
 * displacement |v|ρ/c for angles, e the unit vector across, c = eᵀCe the set's variance along e (C
 * in the object's RTN axes from that state, with the sigmas at the reference age, as scoreTrack) and
 * A the measurement's variance there (ρ_max²σ² for angles, ρ_max the farthest the object can be
 * while its prior term stays ≤ q; σ² for positions).
 * Any offset δ leaves the object at least d + e·δ from the line, so the reference term is at least
 * (d + e·δ)²/A (an angle pair's weighted residual is at least the sine of the angle off the line
 * over its largest sigma), and by Cauchy–Schwarz δᵀC⁻¹δ ≥ (e·δ)²/c; the sum is at least d²/(A + c).
 * An object whose bound exceeds the gate by PRUNE_SAFETY cannot pass it and is not scored, unless
 * every object of the track is pruned or scores Infinity: then the pruned are scored in order of
 * their bound until one is finite, so that a UCT keeps its 'gate' reason. So the fast path and the
 * naive path (`correlateTracksNaive`: every track scored against every object) take the same
 * decisions, which correlation-fast.test.ts checks; only the reported nearest failing object of a
 * UCT may differ (the naive path scores objects the fast one never looks at), and with it the
 * reason of a UCT with no object inside the coarse gate: 'no-candidate' here, 'gate' there. A track made of range
 * rates only cannot be gated and is scored against every object; in a radar track that mixes range
 * rates with ranges and angles the reference is a direction.
 * Limits: an object whose SGP4 fails at a grid time next to the track but not at the measurements
 * (decay during the night) is missed by the fast path; the Hermite error bound assumes the grid step
 * is short against the orbit (with the default 120 s the worst error over the whole 2023 catalog is
 * 0.52 km, correlation-fast.test.ts, against the 2 km allowed); sets propagated far past their
 * decay, whose SGP4 output is no longer a trajectory (positions that do not follow the velocities,
 * 12 of the 2023 catalog), are outside that bound, and fit no track either way.
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { frameTransform, newFrameTransform } from '../frames/frame-graph.js';
import { chiSquareQuantile } from '../math/chi-square.js';
import { createStateBatch, propagateBatch, type StateBatch } from '../propagation/sgp4-batch.js';
import { instantOfUtcLabel, minutesSinceEpoch } from '../sgp4/epoch-time.js';
import { sgp4Init } from '../sgp4/propagate.js';
import type { Satrec } from '../sgp4/satrec.js';
import { sgp4 } from '../sgp4/sgp4.js';
import { SPEED_OF_LIGHT_KM_S } from '../units/index.js';
import { defaultTleErrorModel, type TleErrorModel } from './tle-error.js';
import type { Track } from './track.js';
import {
  type PreparedMeasurement,
  type PreparedTrack,
  prepareTrack,
  type StationGcrfAt,
  type StationVelocityGcrfAt,
  scoreTrack,
  type TrackScore,
} from './track-model.js';

/** Default gate probability: a track of the object passes with this probability. */
export const CORRELATION_GATE_PROBABILITY = 0.9995;
/** Default ambiguity margin: the runner-up must score this much more χ² (likelihood ratio e^4.5 ≈ 90). */
export const CORRELATION_AMBIGUITY_MARGIN = 9;
/** Default grid step of the fast path's catalog propagation, s. */
export const CORRELATION_GRID_STEP_S = 120;
/** Allowance for the cubic Hermite interpolation error on the grid, km (see the module header). */
const INTERPOLATION_MARGIN_KM = 2;
/** Fastest object speed over c: the light-time displacement per km of distance, km/km (12 km/s). */
const LIGHT_TIME_PER_KM = 12 / SPEED_OF_LIGHT_KM_S;

export interface CorrelationOptions {
  /** Leap seconds and EOP for UTC labels and frame changes. */
  readonly ctx: AstroContext;
  /** Station GCRF position, km, at an instant. */
  readonly stationGcrfAt: StationGcrfAt;
  /** Station GCRF velocity, km/s (default: a ±1 s difference of `stationGcrfAt`). */
  readonly stationVelocityGcrfAt?: StationVelocityGcrfAt;
  /** Gate probability; default CORRELATION_GATE_PROBABILITY. */
  readonly gateProbability?: number;
  /** χ² margin between best and runner-up; default CORRELATION_AMBIGUITY_MARGIN. */
  readonly ambiguityMargin?: number;
  /** Element-set error model; default `defaultTleErrorModel`. It must not decrease with |age|. */
  readonly errorModel?: TleErrorModel;
  /** Fast path: grid step of the catalog propagation, s; default CORRELATION_GRID_STEP_S. */
  readonly gridStepS?: number;
  /** SGP4 records of `catalog` (same order), when the caller already has them. */
  readonly records?: readonly Satrec[];
}

/** One object's score against a track. */
export interface CandidateScore extends TrackScore {
  /** Index in the catalog array. */
  readonly index: number;
  readonly catalogNumber: string;
}

export type CorrelationReason = 'assigned' | 'no-candidate' | 'gate' | 'ambiguous';

/** The correlation of one track. */
export interface TrackCorrelation {
  readonly track: Track;
  /** Catalog number of the assigned object; undefined for a UCT. */
  readonly assigned: string | undefined;
  readonly reason: CorrelationReason;
  /** Best-scoring object (assigned, or the nearest that failed). */
  readonly best: CandidateScore | undefined;
  /** Second-best object that passed the gate. */
  readonly runnerUp: CandidateScore | undefined;
  /** χ² gate of this track. */
  readonly gate: number;
  /** Degrees of freedom (scalar values in the track). */
  readonly dof: number;
  /** Objects scored exactly. */
  readonly candidates: number;
  /** One line for reports: why this decision. */
  readonly explanation: string;
}

/** A UCT group: unassigned tracks with the same target label, in time order. */
export interface UctGroup {
  readonly target: string;
  readonly tracks: readonly Track[];
  readonly correlations: readonly TrackCorrelation[];
}

export interface CorrelationResult {
  /** One entry per input track, in input order. */
  readonly tracks: readonly TrackCorrelation[];
  /** Unassigned tracks grouped by their target label. */
  readonly ucts: readonly UctGroup[];
  /** Counts. */
  readonly assigned: number;
  readonly uncorrelated: number;
  /** Exact scores computed (track × object pairs). */
  readonly scored: number;
}

interface Settings {
  readonly probability: number;
  readonly margin: number;
  readonly model: TleErrorModel;
}

function settings(options: CorrelationOptions): Settings {
  const probability = options.gateProbability ?? CORRELATION_GATE_PROBABILITY;
  const margin = options.ambiguityMargin ?? CORRELATION_AMBIGUITY_MARGIN;
  if (!(probability > 0 && probability < 1) || !(margin >= 0)) {
    throw new AstroError(
      'CORRELATION_OPTIONS_INVALID',
      `gateProbability must be in (0, 1) and ambiguityMargin ≥ 0, got ${probability} and ${margin}`,
      { gateProbability: probability, ambiguityMargin: margin },
    );
  }
  return { probability, margin, model: options.errorModel ?? defaultTleErrorModel };
}

function recordsOf(catalog: readonly ElementSet[], options: CorrelationOptions): readonly Satrec[] {
  if (options.records !== undefined) {
    if (options.records.length !== catalog.length) {
      throw new AstroError(
        'CORRELATION_RECORDS_MISMATCH',
        `records holds ${options.records.length} entries for a catalog of ${catalog.length}`,
        { records: options.records.length, catalog: catalog.length },
      );
    }
    return options.records;
  }
  return catalog.map((e) => sgp4Init(e));
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '∞');

/** The decision from the scored candidates (any order). */
function decide(
  pt: PreparedTrack,
  scores: readonly CandidateScore[],
  gate: number,
  margin: number,
): TrackCorrelation {
  let best: CandidateScore | undefined;
  let second: CandidateScore | undefined;
  for (const s of scores) {
    if (best === undefined || s.chi2 < best.chi2 || (s.chi2 === best.chi2 && s.index < best.index)) {
      second = best;
      best = s;
    } else if (
      second === undefined ||
      s.chi2 < second.chi2 ||
      (s.chi2 === second.chi2 && s.index < second.index)
    ) {
      second = s;
    }
  }
  const runnerUp = second !== undefined && second.chi2 <= gate ? second : undefined;
  const base = { track: pt.track, gate, dof: pt.dof, candidates: scores.length, best, runnerUp };
  if (best === undefined) {
    return {
      ...base,
      assigned: undefined,
      reason: 'no-candidate',
      explanation: 'no catalog object near the line of sight',
    };
  }
  const head = `${best.catalogNumber} χ² ${fmt(best.chi2)} (gate ${fmt(gate)}, ${pt.dof} values, set ${best.ageDays.toFixed(1)} d old)`;
  if (!(best.chi2 <= gate)) {
    return { ...base, assigned: undefined, reason: 'gate', explanation: `nearest ${head} fails the gate` };
  }
  if (runnerUp !== undefined && runnerUp.chi2 - best.chi2 < margin) {
    return {
      ...base,
      assigned: undefined,
      reason: 'ambiguous',
      explanation: `${head} and ${runnerUp.catalogNumber} χ² ${fmt(runnerUp.chi2)} both fit (margin ${margin})`,
    };
  }
  const tail =
    runnerUp === undefined
      ? 'no other object fits'
      : `runner-up ${runnerUp.catalogNumber} χ² ${fmt(runnerUp.chi2)}`;
  return { ...base, assigned: best.catalogNumber, reason: 'assigned', explanation: `${head}; ${tail}` };
}

/**
 * The result of a run from its per-track decisions (input order) and the exact scores computed:
 * counts and UCT groups. Parallel runs (packages/node correlation-pool.ts) merge their parts with it.
 */
export function summariseCorrelations(
  results: readonly TrackCorrelation[],
  scored: number,
): CorrelationResult {
  const groups = new Map<string, TrackCorrelation[]>();
  let assigned = 0;
  for (const r of results) {
    if (r.assigned !== undefined) {
      assigned++;
      continue;
    }
    let g = groups.get(r.track.target);
    if (g === undefined) {
      g = [];
      groups.set(r.track.target, g);
    }
    g.push(r);
  }
  const ucts: UctGroup[] = [...groups.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([target, list]) => {
      const sorted = list.slice().sort((a, b) => {
        const ta = a.track.measurements[0]?.epoch;
        const tb = b.track.measurements[0]?.epoch;
        return ta !== undefined && tb !== undefined ? ta.compare(tb) : 0;
      });
      return { target, tracks: sorted.map((c) => c.track), correlations: sorted };
    });
  return { tracks: results, ucts, assigned, uncorrelated: results.length - assigned, scored };
}

function scoreOne(
  pt: PreparedTrack,
  index: number,
  catalog: readonly ElementSet[],
  records: readonly Satrec[],
  model: TleErrorModel,
): CandidateScore {
  const elements = catalog[index] as ElementSet;
  const s = scoreTrack(pt, records[index] as Satrec, elements, model);
  return { ...s, index, catalogNumber: elements.catalogNumber };
}

/**
 * Reference correlation: every track scored exactly against every object whose SGP4 record
 * initialised. Quadratic in tracks × objects; the peer of `correlateTracks` on subsets.
 */
export function correlateTracksNaive(
  tracks: readonly Track[],
  catalog: readonly ElementSet[],
  options: CorrelationOptions,
): CorrelationResult {
  const cfg = settings(options);
  const records = recordsOf(catalog, options);
  const results: TrackCorrelation[] = [];
  let scored = 0;
  for (const track of tracks) {
    const pt = prepareTrack(track, options.ctx, options.stationGcrfAt, options.stationVelocityGcrfAt);
    const gate = gateQuantile(cfg.probability, pt.dof);
    const scores: CandidateScore[] = [];
    for (let i = 0; i < catalog.length; i++) {
      if ((records[i] as Satrec).error !== 0) continue;
      const s = scoreOne(pt, i, catalog, records, cfg.model);
      scored++;
      if (Number.isFinite(s.chi2)) scores.push(s);
    }
    results.push(decide(pt, scores, gate, cfg.margin));
  }
  return summariseCorrelations(results, scored);
}

/** The reference measurement's gate geometry in GCRF. */
interface Gate {
  /** 0 angles (unit line of sight), 1 range, 2 position, 3 none (range rate). */
  readonly kind: number;
  readonly sx: number;
  readonly sy: number;
  readonly sz: number;
  /** Line of sight (angles) or position (position). */
  readonly ux: number;
  readonly uy: number;
  readonly uz: number;
  /** Range, km (range). */
  readonly range: number;
  /** √q times the largest sigma of the reference measurement (rad for angles, km otherwise). */
  readonly slack: number;
  /** The largest sigma of the reference measurement (rad for angles, km otherwise). */
  readonly sigma: number;
  /** √q. */
  readonly k: number;
}

function gateOf(pt: PreparedTrack, q: number): Gate {
  const pm = pt.measurements[pt.refIndex] as PreparedMeasurement;
  const m = pm.measurement;
  const k = Math.sqrt(q);
  const sigma = Math.max(...m.sigmas);
  const slack = k * sigma;
  const s = pm.station;
  const g = pm.g;
  const base = { sx: s[0]!, sy: s[1]!, sz: s[2]!, slack, sigma, k, range: 0, ux: 0, uy: 0, uz: 0 };
  if (m.kind === 'right-ascension-declination' || m.kind === 'azimuth-elevation') {
    const a = m.values[0]!;
    const b = m.values[1]!;
    // Unit vector in the measurement frame, then Gᵀ back to GCRF.
    const c = Math.cos(b);
    const q0 = m.kind === 'azimuth-elevation' ? c * Math.sin(a) : c * Math.cos(a);
    const q1 = m.kind === 'azimuth-elevation' ? c * Math.cos(a) : c * Math.sin(a);
    const q2 = Math.sin(b);
    return {
      ...base,
      kind: 0,
      ux: g[0]! * q0 + g[3]! * q1 + g[6]! * q2,
      uy: g[1]! * q0 + g[4]! * q1 + g[7]! * q2,
      uz: g[2]! * q0 + g[5]! * q1 + g[8]! * q2,
    };
  }
  if (m.kind === 'range') return { ...base, kind: 1, range: m.values[0]! };
  if (m.kind === 'position') {
    const [q0, q1, q2] = [m.values[0]!, m.values[1]!, m.values[2]!];
    return {
      ...base,
      kind: 2,
      ux: g[0]! * q0 + g[3]! * q1 + g[6]! * q2,
      uy: g[1]! * q0 + g[4]! * q1 + g[7]! * q2,
      uz: g[2]! * q0 + g[5]! * q1 + g[8]! * q2,
    };
  }
  return { ...base, kind: 3 };
}

/** Slices per propagated block of the fast path (consecutive blocks share their edge slice). */
const BLOCK_SLICES = 16;

/**
 * The catalog on the coarse grid, one block of BLOCK_SLICES slices at a time: `slices[j]` holds the
 * GCRF positions and velocities of every object at slice j of the block (slice-major, so that the
 * gate reads six sequential columns per slice).
 */
class GridBlock {
  readonly slices: StateBatch[];
  private readonly states: StateBatch;
  private current = -1;
  private readonly offsetMin: Float64Array;
  private readonly gridMin: Float64Array;
  private readonly rot = newFrameTransform();

  constructor(
    private readonly catalog: readonly ElementSet[],
    private readonly records: readonly Satrec[],
    private readonly jd0: number,
    private readonly frac0: number,
    private readonly step: number,
    private readonly ctx: AstroContext,
  ) {
    this.states = createStateBatch(catalog.length * BLOCK_SLICES);
    this.slices = Array.from({ length: BLOCK_SLICES }, () => createStateBatch(catalog.length));
    this.offsetMin = new Float64Array(catalog.length);
    this.gridMin = new Float64Array(BLOCK_SLICES);
    for (let j = 0; j < BLOCK_SLICES; j++) this.gridMin[j] = (j * step) / 60;
  }

  /** Makes slices k and k + 1 available; returns the block column of slice k. */
  load(k: number): number {
    const b = Math.floor(k / (BLOCK_SLICES - 1));
    const first = b * (BLOCK_SLICES - 1);
    if (b !== this.current) {
      this.fill(first);
      this.current = b;
    }
    return k - first;
  }

  private fill(firstSlice: number): void {
    const n = this.catalog.length;
    const w = BLOCK_SLICES;
    const frac = this.frac0 + (firstSlice * this.step) / 86400;
    for (let i = 0; i < n; i++)
      this.offsetMin[i] = minutesSinceEpoch((this.catalog[i] as ElementSet).epoch, this.jd0, frac);
    propagateBatch(this.records as Satrec[], this.offsetMin, this.gridMin, this.states);
    const { x, y, z, vx, vy, vz } = this.states;
    for (let j = 0; j < w; j++) {
      const label = { jd: this.jd0, jdFrac: frac + (j * this.step) / 86400 };
      frameTransform('TEME', 'GCRF', frameEpochAt(instantOfUtcLabel(label, this.ctx), this.ctx), this.rot);
      const m = this.rot.rotation;
      const d = this.rot.rotationRate;
      const out = this.slices[j] as StateBatch;
      for (let i = 0, a = j; i < n; i++, a += w) {
        const px = x[a]!;
        const py = y[a]!;
        const pz = z[a]!;
        const qx = vx[a]!;
        const qy = vy[a]!;
        const qz = vz[a]!;
        out.x[i] = m[0] * px + m[1] * py + m[2] * pz;
        out.y[i] = m[3] * px + m[4] * py + m[5] * pz;
        out.z[i] = m[6] * px + m[7] * py + m[8] * pz;
        out.vx[i] = m[0] * qx + m[1] * qy + m[2] * qz + d[0] * px + d[1] * py + d[2] * pz;
        out.vy[i] = m[3] * qx + m[4] * qy + m[5] * qz + d[3] * px + d[4] * py + d[5] * pz;
        out.vz[i] = m[6] * qx + m[7] * qy + m[8] * qz + d[6] * px + d[7] * py + d[8] * pz;
      }
    }
  }
}

/**
 * The coarse gate (module header) of every object at fraction `u` between slices A and B (cubic
 * Hermite on positions and velocities); pushes the indices that pass to `out`.
 */
function gateObjects(
  sa: StateBatch,
  sb: StateBatch,
  u: number,
  step: number,
  gate: Gate,
  sigmaMax: Float64Array,
  usable: Uint8Array,
  out: number[],
): void {
  const h00 = (1 + 2 * u) * (1 - u) * (1 - u);
  const h10 = u * (1 - u) * (1 - u) * step;
  const h01 = u * u * (3 - 2 * u);
  const h11 = u * u * (u - 1) * step;
  const ax = sa.x;
  const ay = sa.y;
  const az = sa.z;
  const avx = sa.vx;
  const avy = sa.vy;
  const avz = sa.vz;
  const bx = sb.x;
  const by = sb.y;
  const bz = sb.z;
  const bvx = sb.vx;
  const bvy = sb.vy;
  const bvz = sb.vz;
  const kind = gate.kind;
  const sx = gate.sx;
  const sy = gate.sy;
  const sz = gate.sz;
  const ux = gate.ux;
  const uy = gate.uy;
  const uz = gate.uz;
  const slack = gate.slack;
  const range = gate.range;
  const kk = gate.k;
  const n = sigmaMax.length;
  for (let i = 0; i < n; i++) {
    const px = h00 * ax[i]! + h10 * avx[i]! + h01 * bx[i]! + h11 * bvx[i]!;
    const py = h00 * ay[i]! + h10 * avy[i]! + h01 * by[i]! + h11 * bvy[i]!;
    const pz = h00 * az[i]! + h10 * avz[i]! + h01 * bz[i]! + h11 * bvz[i]!;
    const rx = px - sx;
    const ry = py - sy;
    const rz = pz - sz;
    const rho2 = rx * rx + ry * ry + rz * rz;
    // NaN (SGP4 failure at a grid time) fails every comparison below and is never a candidate.
    let pass: boolean;
    if (kind === 0) {
      const rho = Math.sqrt(rho2);
      const lim = kk * sigmaMax[i]! + INTERPOLATION_MARGIN_KM + LIGHT_TIME_PER_KM * rho;
      const dd = rx * ux + ry * uy + rz * uz;
      const allowed = lim + (rho + lim) * slack;
      pass = rho2 - dd * dd <= allowed * allowed && (dd >= 0 || rho <= lim);
    } else if (kind === 1) {
      const rho = Math.sqrt(rho2);
      const lim = kk * sigmaMax[i]! + INTERPOLATION_MARGIN_KM + LIGHT_TIME_PER_KM * rho + slack;
      pass = Math.abs(rho - range) <= lim;
    } else {
      const lim = kk * sigmaMax[i]! + INTERPOLATION_MARGIN_KM + slack;
      const ex = px - ux;
      const ey = py - uy;
      const ez = pz - uz;
      pass = ex * ex + ey * ey + ez * ez <= lim * lim;
    }
    if (pass && usable[i] === 1) out.push(i);
  }
}

/**
 * The second bound is compared with the gate times this factor. The bound is exact arithmetic on
 * the same SGP4 state, RTN axes and error-model sigmas as `scoreTrack` (correlation-fast.test.ts
 * checks bound ≤ χ² on every track × object pair of its subset); the factor only keeps rounding
 * from ever deciding.
 */
const PRUNE_SAFETY = 1.1;
/** Over c, with 1 % for the light-time point's own distance, per km of distance and km/s of speed. */
const LIGHT_TIME_FACTOR = 1.01 / SPEED_OF_LIGHT_KM_S;
const boundSgp = new Float64Array(6);

/**
 * A lower bound of the χ² that `scoreTrack` gives the track against this element set (module
 * header), for angle and position references; 0 for the others (never pruned), Infinity when SGP4
 * fails at the reference time (scoreTrack scores Infinity then too). `q` is the gate: the bound
 * only has to hold for objects whose χ² could pass it.
 */
export function chi2LowerBound(
  pt: PreparedTrack,
  q: number,
  record: Satrec,
  elements: ElementSet,
  errorModel: TleErrorModel,
): number {
  const pm = pt.measurements[pt.refIndex] as PreparedMeasurement;
  const kind = pm.measurement.kind;
  const angles = kind === 'right-ascension-declination' || kind === 'azimuth-elevation';
  if (!angles && kind !== 'position') return 0;
  const gate = gateOf(pt, q);
  const ageDays = minutesSinceEpoch(elements.epoch, pm.labelJd, pm.labelFrac) / 1440;
  if (sgp4(record, ageDays * 1440, boundSgp) !== 0) return Number.POSITIVE_INFINITY;
  // The GCRF state at the reference label, as scoreTrack computes it.
  const t = pt.temeToGcrf;
  const b = boundSgp;
  const px = t[0]! * b[0]! + t[1]! * b[1]! + t[2]! * b[2]!;
  const py = t[3]! * b[0]! + t[4]! * b[1]! + t[5]! * b[2]!;
  const pz = t[6]! * b[0]! + t[7]! * b[1]! + t[8]! * b[2]!;
  const vx = t[0]! * b[3]! + t[1]! * b[4]! + t[2]! * b[5]!;
  const vy = t[3]! * b[3]! + t[4]! * b[4]! + t[5]! * b[5]!;
  const vz = t[6]! * b[3]! + t[7]! * b[4]! + t[8]! * b[5]!;
  const sigmaRtn = errorModel(elements, ageDays);
  const sigmaMax = Math.max(sigmaRtn[0], sigmaRtn[1], sigmaRtn[2]);
  let wx: number;
  let wy: number;
  let wz: number;
  let variance: number;
  let margin = 0;
  if (angles) {
    const rx = px - gate.sx;
    const ry = py - gate.sy;
    const rz = pz - gate.sz;
    const rho = Math.sqrt(rx * rx + ry * ry + rz * rz);
    // scoreTrack moves the object by v·τ for the light time; a position needs no light path.
    margin = LIGHT_TIME_FACTOR * Math.sqrt(vx * vx + vy * vy + vz * vz) * rho;
    const dd = rx * gate.ux + ry * gate.uy + rz * gate.uz;
    wx = rx - dd * gate.ux;
    wy = ry - dd * gate.uy;
    wz = rz - dd * gate.uz;
    const rhoMax = rho + margin + gate.k * sigmaMax;
    variance = rhoMax * rhoMax * gate.sigma * gate.sigma;
  } else {
    wx = px - gate.ux;
    wy = py - gate.uy;
    wz = pz - gate.uz;
    variance = gate.sigma * gate.sigma;
  }
  const d = Math.sqrt(wx * wx + wy * wy + wz * wz);
  const dm = d - margin;
  if (!(dm > 0)) return 0;
  const ex = wx / d;
  const ey = wy / d;
  const ez = wz / d;
  // RTN axes as scoreTrack's: R = r/|r|, N = r×v/|r×v|, T = N×R.
  const rn = Math.sqrt(px * px + py * py + pz * pz);
  let nx = py * vz - pz * vy;
  let ny = pz * vx - px * vz;
  let nz = px * vy - py * vx;
  const nn = Math.sqrt(nx * nx + ny * ny + nz * nz);
  if (!(rn > 0 && nn > 0)) return 0;
  nx /= nn;
  ny /= nn;
  nz /= nn;
  const eR = (ex * px + ey * py + ez * pz) / rn;
  const eN = ex * nx + ey * ny + ez * nz;
  const tx = (ny * pz - nz * py) / rn;
  const ty = (nz * px - nx * pz) / rn;
  const tz = (nx * py - ny * px) / rn;
  const eT = ex * tx + ey * ty + ez * tz;
  const c =
    sigmaRtn[0] * sigmaRtn[0] * eR * eR +
    sigmaRtn[1] * sigmaRtn[1] * eT * eT +
    sigmaRtn[2] * sigmaRtn[2] * eN * eN;
  const bound = (dm * dm) / (variance + c);
  return Number.isFinite(bound) ? bound : 0;
}

/** Seconds of a UTC label after the grid origin label. */
function labelSeconds(jd: number, frac: number, jd0: number, frac0: number): number {
  return (jd - jd0 + (frac - frac0)) * 86400;
}

/**
 * Fast correlation (see the module header): same decisions as `correlateTracksNaive`, with exact
 * scoring only for the objects inside each track's coarse gate.
 */
export function correlateTracks(
  tracks: readonly Track[],
  catalog: readonly ElementSet[],
  options: CorrelationOptions,
): CorrelationResult {
  const cfg = settings(options);
  const records = recordsOf(catalog, options);
  const step = options.gridStepS ?? CORRELATION_GRID_STEP_S;
  if (!(step > 0)) {
    throw new AstroError('CORRELATION_OPTIONS_INVALID', `gridStepS must be positive, got ${step}`, {
      gridStepS: step,
    });
  }
  const n = catalog.length;
  const prepared = tracks.map((t) =>
    prepareTrack(t, options.ctx, options.stationGcrfAt, options.stationVelocityGcrfAt),
  );
  const results: (TrackCorrelation | undefined)[] = new Array(tracks.length).fill(undefined);
  if (tracks.length === 0) return summariseCorrelations([], 0);
  // Grid origin: the earliest reference label, floored to a whole step of its UTC day.
  const refs = prepared.map((pt) => pt.measurements[pt.refIndex] as PreparedMeasurement);
  let first = 0;
  for (let i = 1; i < refs.length; i++) {
    const a = refs[i] as PreparedMeasurement;
    const b = refs[first] as PreparedMeasurement;
    if (a.labelJd - b.labelJd + (a.labelFrac - b.labelFrac) < 0) first = i;
  }
  const r0 = refs[first] as PreparedMeasurement;
  const jd0 = r0.labelJd;
  const frac0 = Math.floor((r0.labelFrac * 86400) / step) * (step / 86400);
  const tRef = refs.map((r) => labelSeconds(r.labelJd, r.labelFrac, jd0, frac0));
  const order = tRef.map((_, i) => i).sort((a, b) => (tRef[a] as number) - (tRef[b] as number));
  // All measurements' label range, for the largest age of each set.
  let tMin = Number.POSITIVE_INFINITY;
  let tMax = Number.NEGATIVE_INFINITY;
  for (const pt of prepared) {
    for (const pm of pt.measurements) {
      const t = labelSeconds(pm.labelJd, pm.labelFrac, jd0, frac0);
      if (t < tMin) tMin = t;
      if (t > tMax) tMax = t;
    }
  }
  // Per object: the largest axis sigma of the error model at its largest age over the batch, km.
  const sigmaMax = new Float64Array(n);
  const usable = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = catalog[i] as ElementSet;
    const ageA = minutesSinceEpoch(e.epoch, jd0, frac0 + tMin / 86400) / 1440;
    const ageB = minutesSinceEpoch(e.epoch, jd0, frac0 + tMax / 86400) / 1440;
    const sg = cfg.model(e, Math.max(Math.abs(ageA), Math.abs(ageB)));
    sigmaMax[i] = Math.max(sg[0], sg[1], sg[2]);
    usable[i] = (records[i] as Satrec).error === 0 ? 1 : 0;
  }
  const block = new GridBlock(catalog, records, jd0, frac0, step, options.ctx);
  let scored = 0;
  const candidates: number[] = [];
  const coarse: number[] = [];
  for (const ti of order) {
    const pt = prepared[ti] as PreparedTrack;
    const q = gateQuantile(cfg.probability, pt.dof);
    const gate = gateOf(pt, q);
    candidates.length = 0;
    const pruned: { readonly index: number; readonly bound: number }[] = [];
    if (gate.kind === 3) {
      for (let i = 0; i < n; i++) if (usable[i] === 1) candidates.push(i);
    } else {
      const t = tRef[ti] as number;
      const k = Math.floor(t / step);
      const j = block.load(k);
      const sa = block.slices[j] as StateBatch;
      const sb = block.slices[j + 1] as StateBatch;
      const u = t / step - k;
      gateObjects(sa, sb, u, step, gate, sigmaMax, usable, coarse);
      for (const i of coarse) {
        const bound = chi2LowerBound(pt, q, records[i] as Satrec, catalog[i] as ElementSet, cfg.model);
        if (bound > q * PRUNE_SAFETY) pruned.push({ index: i, bound });
        else candidates.push(i);
      }
      coarse.length = 0;
    }
    const scores: CandidateScore[] = [];
    for (const i of candidates) {
      const s = scoreOne(pt, i, catalog, records, cfg.model);
      scored++;
      if (Number.isFinite(s.chi2)) scores.push(s);
    }
    if (scores.length === 0 && pruned.length > 0) {
      // Every object inside the coarse gate was pruned (or failed): the nearest finite one is
      // still scored, so that the UCT reports it and keeps the reason 'gate'.
      pruned.sort((a, b) => a.bound - b.bound || a.index - b.index);
      for (const p of pruned) {
        const s = scoreOne(pt, p.index, catalog, records, cfg.model);
        scored++;
        if (Number.isFinite(s.chi2)) {
          scores.push(s);
          break;
        }
      }
    }
    results[ti] = decide(pt, scores, q, cfg.margin);
  }
  return summariseCorrelations(results as TrackCorrelation[], scored);
}

/** An initial orbit determination for a group of UCT tracks (the iod module provides the solvers). */
export type UctOrbitSolver<T> = (tracks: readonly Track[]) => T | undefined;

/** A UCT group and the candidate orbit found for it (undefined when the solver found none). */
export interface UctCandidate<T> {
  readonly group: UctGroup;
  readonly orbit: T | undefined;
}

/**
 * Hands each UCT group to an initial-orbit solver (Gauss/Gooding for angles, Gibbs/Herrick–Gibbs
 * for positions): UCTs become candidate objects, which least-squares OD refines once enough tracks
 * gather. Groups are processed in order; a solver that throws stops the run with its error.
 */
export function initialOrbitsForUcts<T>(
  groups: readonly UctGroup[],
  solve: UctOrbitSolver<T>,
): UctCandidate<T>[] {
  return groups.map((group) => ({ group, orbit: solve(group.tracks) }));
}

const gateQuantiles = new Map<string, number>();
/** The chi-square gate for `dof` values at `probability` (cached: a bisection per call is slow). */
function gateQuantile(probability: number, dof: number): number {
  const key = `${probability}/${dof}`;
  let q = gateQuantiles.get(key);
  if (q === undefined) {
    q = chiSquareQuantile(probability, dof);
    gateQuantiles.set(key, q);
  }
  return q;
}
