/**
 * Chart specifications of the event views, built in the browser from the API's element sets with
 * @hoshimi/astro and drawn with @hoshimi/plot's Vega-Lite builders (the same ones the CLI renders
 * to SVG): the element history with stored maneuvers marked (maneuver-chart), a pair's relative
 * motion in the target's RTN frame (rpoRelativeSeries → rpo-chart), a fragmentation's Gabbard
 * diagram (gabbardPoints → gabbard-chart) and a reentry's ground track over its window
 * (SGP4 sub-satellite points → ground-track-chart). Rendering only: no physics of its own beyond
 * the sub-satellite point (longitude from GMST, geocentric latitude, which a map at this scale
 * cannot tell from geodetic: they differ by at most 0.2°).
 */
import {
  detectManeuvers,
  type ElementSet,
  gabbardPoints,
  gstimeSgp4,
  parseUtcString,
  RPO_MAX_DAYS,
  rpoRelativeSeries,
  sgp4,
  sgp4Init,
} from '@hoshimi/astro';
import {
  type GroundTrackSample,
  gabbardChartData,
  gabbardChartSpec,
  groundTrackChartSpec,
  type ManeuverChartData,
  maneuverChartData,
  maneuverChartSpec,
  rpoChartData,
  rpoChartSpec,
} from '@hoshimi/plot';
import type { ElementSetJson, EventRow } from './api.js';

const RAD_PER_DEG = Math.PI / 180;
/** rev/day → rad/min. */
const RAD_PER_MIN_PER_REV_PER_DAY = (2 * Math.PI) / 1440;
const UNIX_EPOCH_JD = 2440587.5;
const MS_PER_DAY = 86_400_000;
/** Width of the charts in the 440-px side panel. */
export const PANEL_CHART_WIDTH = 330;
/** The pair chart's panels carry wider axis titles and legends: narrower plots to fit the panel. */
const PAIR_CHART_WIDTH = 270;
/** The maneuver detector needs a few sets on each side of a step to score it. */
export const MIN_SETS_FOR_HISTORY = 3;
/** RPO plot: at most this many samples over the window (the step grows with the window). */
const RPO_MAX_SAMPLES = 1500;
/** Ground track: one sample a minute over the reentry window. */
const TRACK_STEP_MIN = 1;

/** An API time (ISO UTC, with or without the Z) in the form the API's queries accept. */
export function isoZ(text: string): string {
  return text.endsWith('Z') ? text : `${text}Z`;
}

/** Milliseconds since 1970 of an ISO UTC time (sub-millisecond digits dropped). */
export function isoMs(text: string): number {
  return Date.parse(isoZ(text).replace(/(\.\d{3})\d+/, '$1'));
}

/** ISO UTC with Z, `days` after `text`. */
export function isoShift(text: string, days: number): string {
  return new Date(isoMs(text) + days * MS_PER_DAY).toISOString();
}

/** An API element set as astro's ElementSet (degrees → rad, rev/day → rad/min), or null when its epoch is unreadable. */
export function elementSetOf(j: ElementSetJson): ElementSet | null {
  const epoch = parseUtcString(j.epochUtc);
  if (epoch === undefined) return null;
  return {
    catalogNumber: j.catalogNumber,
    ...(j.name === null ? {} : { name: j.name }),
    ...(j.intlDesignator === null ? {} : { intlDesignator: j.intlDesignator }),
    classification: j.classification,
    epoch,
    meanMotionRadPerMin: j.meanMotionRevPerDay * RAD_PER_MIN_PER_REV_PER_DAY,
    eccentricity: j.eccentricity,
    inclinationRad: j.inclinationDeg * RAD_PER_DEG,
    raanRad: j.raanDeg * RAD_PER_DEG,
    argPerigeeRad: j.argPerigeeDeg * RAD_PER_DEG,
    meanAnomalyRad: j.meanAnomalyDeg * RAD_PER_DEG,
    bstar: j.bstar,
    meanMotionDotRevPerDay2: j.meanMotionDotRevPerDay2,
    meanMotionDdotRevPerDay3: j.meanMotionDdotRevPerDay3,
    ephemerisType: 0,
    elementSetNumber: j.elementSetNumber,
    revolutionNumber: j.revolutionNumber,
  };
}

export function elementSetsOf(rows: readonly ElementSetJson[]): ElementSet[] {
  const out: ElementSet[] = [];
  for (const r of rows) {
    const e = elementSetOf(r);
    if (e !== null) out.push(e);
  }
  return out;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Δv of a stored maneuver event, m/s (evidence.dvMS), or NaN when the evidence lacks it. */
export function maneuverDvMS(e: EventRow): number {
  return num(e.evidence['dvMS']) ?? Number.NaN;
}

/**
 * The chart data with its maneuver marks replaced by the stored maneuver events (the detector's
 * records, with their Δv) when there are any in the plotted span; `highlight` (an event id) is
 * marked as 'this event' in the tooltip's kind.
 */
export function withStoredManeuvers(
  data: ManeuverChartData,
  events: readonly EventRow[],
  highlight?: number,
): ManeuverChartData {
  const times = data.series.map((p) => isoMs(p.time));
  if (times.length === 0 || events.length === 0) return data;
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const detections = events
    .filter((e) => e.type === 'maneuver')
    .filter((e) => {
      const t = isoMs(e.timeUtc);
      return t >= lo && t <= hi;
    })
    .map((e) => ({
      time: isoZ(e.timeUtc),
      kind: e.id === highlight ? `${e.kind} ★` : e.kind,
      dv: maneuverDvMS(e),
    }));
  return { ...data, detections };
}

/** Element-history chart of `sets` with the stored maneuvers marked; null when too few sets. */
export function historyWithManeuversSpec(
  sets: readonly ElementSet[],
  events: readonly EventRow[],
  title: string,
  highlight?: number,
): { spec: Record<string, unknown>; marks: number } | null {
  if (sets.length < MIN_SETS_FOR_HISTORY) return null;
  const data = withStoredManeuvers(maneuverChartData(detectManeuvers(sets)), events, highlight);
  return {
    spec: maneuverChartSpec(data, { width: PANEL_CHART_WIDTH, title }),
    marks: data.detections.length,
  };
}

/** The event window in days (at most RPO_MAX_DAYS); a zero-length window becomes one day around the time. */
export function pairWindow(e: EventRow): { startUtc: string; days: number } {
  const days = (isoMs(e.windowEndUtc) - isoMs(e.windowStartUtc)) / MS_PER_DAY;
  if (!(days > 0)) return { startUtc: isoShift(e.timeUtc, -0.5), days: 1 };
  return { startUtc: isoZ(e.windowStartUtc), days: Math.min(days, RPO_MAX_DAYS) };
}

/** The pair's relative motion chart over the event window; null when SGP4 gave no sample. */
export function pairMotionSpec(
  e: EventRow,
  target: readonly ElementSet[],
  chaser: readonly ElementSet[],
  thresholdKm: number,
  title: string,
): Record<string, unknown> | null {
  const w = pairWindow(e);
  const start = parseUtcString(w.startUtc);
  if (start === undefined) return null;
  const stepMin = Math.max(1, (w.days * 1440) / RPO_MAX_SAMPLES);
  const series = rpoRelativeSeries(target, chaser, start, w.days, stepMin);
  const data = rpoChartData(series, thresholdKm, {
    start: isoZ(e.windowStartUtc),
    end: isoZ(e.windowEndUtc),
    label: `${e.type} / ${e.kind}`,
  });
  if (data.samples.length === 0) return null;
  return rpoChartSpec(data, { width: PAIR_CHART_WIDTH, title });
}

/** Gabbard diagram of the fragments (and the parent, when its set is known); null without a fragment. */
export function gabbardSpec(
  fragments: readonly ElementSet[],
  parent: ElementSet | undefined,
  title: string,
): { spec: Record<string, unknown>; fragments: number } | null {
  const data = gabbardChartData(gabbardPoints(fragments, parent));
  if (data.fragments === 0) return null;
  return {
    spec: gabbardChartSpec(data, { width: PANEL_CHART_WIDTH, height: 260, title }),
    fragments: data.fragments,
  };
}

/**
 * Sub-satellite points of `set` over the event's window every TRACK_STEP_MIN (SGP4; samples it
 * cannot propagate — a decayed orbit — are left out), for the reentry view.
 */
export function groundTrack(set: ElementSet | null, e: EventRow): GroundTrackSample[] {
  if (set === null) return [];
  const rec = sgp4Init(set);
  const epochJd = set.epoch.jd + set.epoch.jdFrac;
  const start = isoMs(e.windowStartUtc);
  const end = isoMs(e.windowEndUtc);
  const nominal = isoMs(e.timeUtc);
  const rv = new Float64Array(6);
  const out: GroundTrackSample[] = [];
  for (let ms = start; ms <= end; ms += TRACK_STEP_MIN * 60_000) {
    const jd = UNIX_EPOCH_JD + ms / MS_PER_DAY;
    if (sgp4(rec, (jd - epochJd) * 1440, rv) !== 0) continue;
    const x = rv[0] as number;
    const y = rv[1] as number;
    const z = rv[2] as number;
    out.push({
      lonDeg: (Math.atan2(y, x) - gstimeSgp4(jd)) / RAD_PER_DEG,
      latDeg: Math.atan2(z, Math.hypot(x, y)) / RAD_PER_DEG,
      hoursFromNominal: (ms - nominal) / 3_600_000,
      afterNominal: ms > nominal,
    });
  }
  return out;
}

/** Reentry ground-track chart (the window's track, the predicted point); null without the predicted point. */
export function reentrySpec(
  e: EventRow,
  samples: readonly GroundTrackSample[],
  title: string,
): Record<string, unknown> | null {
  const lat = num(e.evidence['impact_lat_deg']);
  const lon = num(e.evidence['impact_lon_deg']);
  if (lat === null || lon === null) return null;
  return groundTrackChartSpec(
    {
      samples,
      nominal: { lonDeg: lon, latDeg: lat, timeUtc: isoZ(e.timeUtc) },
      windowStartUtc: isoZ(e.windowStartUtc),
      windowEndUtc: isoZ(e.windowEndUtc),
    },
    { width: PANEL_CHART_WIDTH, title },
  );
}
