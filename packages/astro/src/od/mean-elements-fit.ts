/**
 * SGP4 mean elements that follow a numerical trajectory, so that an orbit determined with the
 * numerical propagator enters the catalog as an element set like any other: the trajectory sampled
 * once a minute over a span (at most MEAN_FIT_MAX_POINTS points), the single-state inverse SGP4
 * (sgp4/state-fit.ts) at the epoch as the start, then the SGP4 differential correction (sgp4-fit.ts,
 * Vallado & Crawford 2008 "SGP4 orbit determination") to the positions and velocities, B* kept.
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { transform } from '../frames/frame-graph.js';
import type { State } from '../frames/state.js';
import type { ForceModel } from '../numerical/force-model.js';
import { type NumericalPropagationOptions, propagateNumerical } from '../numerical/propagate.js';
import { utcLabelOfInstant } from '../sgp4/epoch-time.js';
import { fitSgp4ElementsToState } from '../sgp4/state-fit.js';
import type { Instant } from '../time/instant.js';
import { fitSgp4 } from './sgp4-fit.js';

/** Most points of the trajectory the mean elements are fitted to (one a minute below it). */
export const MEAN_FIT_MAX_POINTS = 500;

/** Fewest points of the trajectory the mean elements are fitted to. */
export const MEAN_FIT_MIN_POINTS = 10;

/** An element set to fill with fitted mean elements: identity from a label, zero rates and B*. */
export function blankElements(label: string, epoch: ElementSet['epoch']): ElementSet {
  return {
    catalogNumber: /^\d{1,9}$/.test(label) ? String(Number(label)) : '99999',
    name: `HOSHIMI OD ${label}`,
    classification: 'U',
    epoch,
    meanMotionRadPerMin: 0,
    eccentricity: 0,
    inclinationRad: 0,
    raanRad: 0,
    argPerigeeRad: 0,
    meanAnomalyRad: 0,
    bstar: 0,
    meanMotionDotRevPerDay2: 0,
    meanMotionDdotRevPerDay3: 0,
    ephemerisType: 0,
    elementSetNumber: 1,
    revolutionNumber: 0,
  };
}

/** Input of fitMeanElementsToTrajectory. */
export interface MeanElementsFitInput {
  readonly epoch: Instant;
  readonly state: State<'GCRF'>;
  readonly forces: readonly ForceModel[];
  readonly options?: NumericalPropagationOptions;
  /** Span to follow, s from the epoch (the epoch is always inside it). */
  readonly fromS: number;
  readonly toS: number;
  /** Identity, B* and rates of the element set (its epoch is replaced by `epoch`). */
  readonly template: ElementSet;
  readonly context: AstroContext;
}

/** The fitted mean elements, or why SGP4 cannot follow the trajectory. */
export type MeanElementsFit =
  | {
      readonly ok: true;
      readonly elements: ElementSet;
      readonly points: number;
      readonly positionRmsKm: number;
    }
  | { readonly ok: false; readonly reason: string };

/** SGP4 mean elements following a numerical trajectory over [fromS, toS] around the epoch. */
export function fitMeanElementsToTrajectory(input: MeanElementsFitInput): MeanElementsFit {
  const { epoch, state, context: ctx } = input;
  const t0 = Math.min(0, input.fromS);
  const t1 = Math.max(0, input.toS);
  const n = Math.max(MEAN_FIT_MIN_POINTS, Math.min(MEAN_FIT_MAX_POINTS, Math.ceil((t1 - t0) / 60)));
  const times = Array.from({ length: n + 1 }, (_, i) => t0 + ((t1 - t0) * i) / n);
  const points: {
    epoch: Instant;
    frame: 'GCRF';
    rKm: [number, number, number];
    vKmS: [number, number, number];
  }[] = [];
  try {
    for (const grid of [times.filter((t) => t >= 0), times.filter((t) => t < 0).reverse()]) {
      if (grid.length === 0) continue;
      const p = propagateNumerical({ epoch, state }, input.forces, grid, input.options);
      grid.forEach((t, i) => {
        const s = p.states[i]!;
        points.push({ epoch: epoch.plusSeconds(t), frame: 'GCRF', rKm: [...s.rKm], vKmS: [...s.vKmS] });
      });
    }
    const teme = transform(state, 'TEME', frameEpochAt(epoch, ctx));
    const start = fitSgp4ElementsToState(teme.rKm, teme.vKmS, {
      ...input.template,
      epoch: utcLabelOfInstant(epoch, ctx),
    });
    if (!start.ok) return { ok: false, reason: start.reason };
    const fit = fitSgp4({ initial: start.elements, points, context: ctx, fitBstar: false });
    return { ok: true, elements: fit.elements, points: points.length, positionRmsKm: fit.positionRmsKm };
  } catch (e) {
    if (!(e instanceof AstroError)) throw e;
    return { ok: false, reason: `[${e.code}] ${e.message}` };
  }
}
