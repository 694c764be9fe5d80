/**
 * The first guess of an orbit determination from measurements alone, and from a CPF: the
 * measurements split into tracks (one station's pass), initial orbit determination tried on one
 * track at a time (over a long arc the two-body methods meet the perturbations and Gibbs's
 * coplanarity test fails; over one pass they give the start least squares needs), the arc grown
 * from that track to the whole data, and the state of a CPF at the point nearest an instant, its
 * velocity (when the file has none) from the derivative of the Lagrange polynomial through the
 * points around it (the barycentric-free form of Berrut & Trefethen, "Barycentric Lagrange
 * Interpolation", SIAM Review 46(3), 2004, eq. 9.4, evaluated at a node).
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import { AstroError } from '../errors.js';
import { transform } from '../frames/frame-graph.js';
import { makeState, type State } from '../frames/state.js';
import type { CpfPositions } from '../ilrs/cpf-positions.js';
import { iodFromMeasurements } from '../iod/iod-from-measurements.js';
import { stationFrameAt } from '../observations/measurement-model.js';
import type { GroundStation, Measurement } from '../observations/observation.js';
import type { Instant } from '../time/instant.js';

/** Largest gap between two measurements of one track (one station's pass), s. */
export const TRACK_GAP_S = 300;

/** Shortest first arc of the arc growth, s. */
export const ARC_GROWTH_MIN_S = 600;

/** Number of CPF points the Lagrange derivative runs through (8th order). */
export const CPF_LAGRANGE_POINTS = 9;

/** The measurements (sorted by epoch) split into tracks: one station, no gap above `maxGapS`. */
export function tracksOf(ms: readonly Measurement[], maxGapS: number = TRACK_GAP_S): Measurement[][] {
  const open = new Map<string, Measurement[]>();
  const tracks: Measurement[][] = [];
  for (const m of ms) {
    const t = open.get(m.station);
    if (t !== undefined && m.epoch.secondsSince(t[t.length - 1]!.epoch) <= maxGapS) t.push(m);
    else {
      const nt = [m];
      open.set(m.station, nt);
      tracks.push(nt);
    }
  }
  return tracks;
}

/** A GCRF state from initial orbit determination on one track. */
export interface TrackIod {
  readonly epoch: Instant;
  readonly state: State<'GCRF'>;
  /** Station and size of the track it came from. */
  readonly station: string;
  readonly trackSize: number;
  readonly method: string;
  readonly note: string;
  /** Why the earlier tracks gave none, one line each. */
  readonly failures: readonly string[];
}

/**
 * Initial orbit determination on one track at a time, first track first; the first success is the
 * result. Throws `OD_NO_FIRST_GUESS` (details: failures) when no track gives one.
 */
export function iodTrackByTrack(
  ms: readonly Measurement[],
  stations: ReadonlyMap<string, GroundStation>,
  ctx: AstroContext,
): TrackIod {
  const frameOf = (name: string, t: Instant) => {
    const st = stations.get(name);
    if (st === undefined)
      throw new AstroError('OD_UNKNOWN_STATION', `station ${name} is not among the stations given`, {
        station: name,
      });
    return stationFrameAt(st, t, ctx);
  };
  const options = {
    stationFrameAt: (st: string, t: Instant) => {
      const e = frameOf(st, t).enuFromGcrf;
      return {
        eastUnit: [e[0]!, e[1]!, e[2]!] as [number, number, number],
        northUnit: [e[3]!, e[4]!, e[5]!] as [number, number, number],
        upUnit: [e[6]!, e[7]!, e[8]!] as [number, number, number],
      };
    },
  };
  const failures: string[] = [];
  for (const track of tracksOf(ms)) {
    let iod: ReturnType<typeof iodFromMeasurements>;
    try {
      iod = iodFromMeasurements(track, (st, t) => frameOf(st, t).rKm, options);
    } catch (err) {
      if (!(err instanceof AstroError)) throw err;
      failures.push(`${track[0]!.station} track of ${track.length}: [${err.code}] ${err.message}`);
      continue;
    }
    const s = makeState(iod.frame as 'GCRF' | 'EME2000', iod.positionKm, iod.velocityKmS);
    const state =
      iod.frame === 'GCRF' ? (s as State<'GCRF'>) : transform(s, 'GCRF', frameEpochAt(iod.epoch, ctx));
    return {
      epoch: iod.epoch,
      state,
      station: track[0]!.station,
      trackSize: track.length,
      method: iod.method,
      note: iod.note,
      failures,
    };
  }
  throw new AstroError(
    'OD_NO_FIRST_GUESS',
    `initial orbit determination failed on every track (${failures.slice(0, 3).join('; ')})`,
    { failures },
  );
}

/** The outcome of growArc: the state, how many partial fits ran, and why growth stopped early. */
export interface ArcGrowth {
  readonly state: State<'GCRF'>;
  readonly fits: number;
  /** Set when a partial fit failed (the growth stops there and the whole arc goes on). */
  readonly stoppedBecause?: string;
}

/**
 * From a first guess that fits one track, the fit over the whole arc may not converge (a one-pass
 * IOD velocity is poor, and its error grows along the arc). The arc is grown instead: the
 * measurements within L of the first are fitted, L starting at the first track's length (at least
 * ARC_GROWTH_MIN_S) and tripled each time, each fit starting from the previous one, until L covers
 * the arc. `fitOn` fits a subset from a start; an AstroError from it ends the growth.
 */
export function growArc(
  ms: readonly Measurement[],
  start: State<'GCRF'>,
  fitOn: (subset: readonly Measurement[], start: State<'GCRF'>) => State<'GCRF'>,
): ArcGrowth {
  if (ms.length === 0) return { state: start, fits: 0 };
  const t0 = ms[0]!.epoch;
  const total = ms[ms.length - 1]!.epoch.secondsSince(t0);
  const first = tracksOf(ms)[0]!;
  let span = Math.max(ARC_GROWTH_MIN_S, first[first.length - 1]!.epoch.secondsSince(first[0]!.epoch));
  let state = start;
  let fits = 0;
  while (span < total) {
    const subset = ms.filter((m) => m.epoch.secondsSince(t0) <= span);
    try {
      state = fitOn(subset, state);
      fits++;
    } catch (e) {
      if (!(e instanceof AstroError)) throw e;
      return {
        state,
        fits,
        stoppedBecause: `the fit over the first ${(span / 60).toFixed(0)} min failed ([${e.code}] ${e.message})`,
      };
    }
    span *= 3;
  }
  return { state, fits };
}

/**
 * Weights w_j of the derivative at node k of the Lagrange polynomial through nodes x_j:
 * p'(x_k) = Σ w_j f(x_j).
 */
export function lagrangeDerivativeWeightsAtNode(nodes: readonly number[], k: number): number[] {
  const xk = nodes[k]!;
  return nodes.map((xj, j) => {
    if (j === k) return nodes.reduce((acc, xm, m) => (m === k ? acc : acc + 1 / (xk - xm)), 0);
    let w = 1 / (xj - xk);
    nodes.forEach((xm, m) => {
      if (m !== j && m !== k) w *= (xk - xm) / (xj - xm);
    });
    return w;
  });
}

/**
 * The GCRF state of an ITRF CPF at its point nearest `near`: the velocity from the file, else the
 * derivative of the Lagrange polynomial through up to CPF_LAGRANGE_POINTS points around it (8th
 * order: far below a metre per second at CPF spacings of minutes, where a 2-point difference errs
 * by metres per second). Throws `CPF_INVALID` for a CPF of one point and `CPF_FRAME_UNSUPPORTED`
 * for a frame other than 0 (ITRF).
 */
export function cpfStateNear(
  cpf: CpfPositions,
  near: Instant,
  ctx: AstroContext,
): { epoch: Instant; state: State<'GCRF'> } {
  if (cpf.referenceFrame !== 0)
    throw new AstroError(
      'CPF_FRAME_UNSUPPORTED',
      `CPF reference frame ${cpf.referenceFrame}; only 0 (ITRF) is read`,
      { referenceFrame: cpf.referenceFrame },
    );
  if (cpf.epochs.length < 2) throw new AstroError('CPF_INVALID', 'a CPF with one point gives no velocity');
  let k = 0;
  for (let i = 1; i < cpf.epochs.length; i++) {
    if (Math.abs(cpf.epochs[i]!.secondsSince(near)) < Math.abs(cpf.epochs[k]!.secondsSince(near))) k = i;
  }
  const count = Math.min(CPF_LAGRANGE_POINTS, cpf.epochs.length);
  const half = Math.floor((CPF_LAGRANGE_POINTS - 1) / 2);
  const first = Math.max(0, Math.min(k - half, cpf.epochs.length - count));
  const nodes = cpf.epochs.slice(first, first + count).map((t) => t.secondsSince(cpf.epochs[k]!));
  const weights = lagrangeDerivativeWeightsAtNode(nodes, k - first);
  const r = cpf.positionsKm[k]!;
  const v =
    cpf.velocitiesKmPerS?.[k] ??
    ([0, 1, 2].map((c) => weights.reduce((acc, w, j) => acc + w * cpf.positionsKm[first + j]![c]!, 0)) as [
      number,
      number,
      number,
    ]);
  const epoch = cpf.epochs[k]!;
  const state = transform(
    makeState('ITRF', [r[0], r[1], r[2]], [v[0], v[1], v[2]]),
    'GCRF',
    frameEpochAt(epoch, ctx),
  );
  return { epoch, state };
}
