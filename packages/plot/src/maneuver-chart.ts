/**
 * Maneuver chart: a Vega-Lite specification of one object's element history (semi-major axis,
 * eccentricity, inclination; for GEO also the sub-satellite longitude and the drift rate), with the
 * detected maneuvers marked as rules in every panel and the detector's score against its threshold
 * beneath. Pure functions from data to a JSON specification: the browser console renders the same
 * specification with vega-embed, Node renders it to SVG with `renderSvg`.
 */
import {
  type ElementSet,
  formatUtcIso,
  gstimeSgp4,
  type ManeuverResult,
  sgp4,
  sgp4Init,
} from '@hoshimi/astro';

export interface ManeuverChartPoint {
  readonly time: string;
  readonly panel: string;
  readonly value: number;
}

export interface ManeuverChartData {
  readonly regime: string;
  readonly threshold: number;
  /** One row per element set and panel (panels named with their unit). */
  readonly series: readonly ManeuverChartPoint[];
  /** Pair score (−log10 false-alarm probability) at each pair's middle time. */
  readonly score: readonly { readonly time: string; readonly score: number }[];
  readonly detections: readonly { readonly time: string; readonly kind: string; readonly dv: number }[];
}

/** GEO radius (km) and Earth's sidereal rate (°/day) for the drift rate λ̇ = −1.5·ω·(a − a_GEO)/a_GEO. */
const GEO_A_KM = 42164.17;
const EARTH_DEG_PER_SIDEREAL_DAY = 360.9856;

export const PANEL_A = 'semi-major axis (km)';
export const PANEL_E = 'eccentricity';
export const PANEL_I = 'inclination (°)';
export const PANEL_LON = 'longitude (° east)';
export const PANEL_DRIFT = 'drift rate (°/day)';

const iso = (es: ElementSet, days: number) =>
  `${formatUtcIso({ jd: es.epoch.jd, jdFrac: es.epoch.jdFrac + days }, 3)}Z`;

/** Chart rows from a detector result. */
export function maneuverChartData(res: ManeuverResult): ManeuverChartData {
  const s = res.series;
  const first = res.sets[0];
  const series: ManeuverChartPoint[] = [];
  const score: { time: string; score: number }[] = [];
  const detections: { time: string; kind: string; dv: number }[] = [];
  if (first === undefined) return { regime: res.regime, threshold: res.threshold, series, score, detections };
  const rv = new Float64Array(6);
  for (let k = 0; k < res.sets.length; k++) {
    const time = iso(first, s.timeDays[k] as number);
    const a = s.semiMajorAxisKm[k] as number;
    series.push({ time, panel: PANEL_A, value: a });
    series.push({ time, panel: PANEL_E, value: s.eccentricity[k] as number });
    series.push({ time, panel: PANEL_I, value: s.inclinationDeg[k] as number });
    if (res.regime === 'GEO') {
      const es = res.sets[k] as ElementSet;
      series.push({
        time,
        panel: PANEL_DRIFT,
        value: (-1.5 * EARTH_DEG_PER_SIDEREAL_DAY * (a - GEO_A_KM)) / GEO_A_KM,
      });
      if (sgp4(sgp4Init(es), 0, rv) === 0) {
        const gmst = gstimeSgp4(es.epoch.jd + es.epoch.jdFrac);
        let lon = ((Math.atan2(rv[1] as number, rv[0] as number) - gmst) * 180) / Math.PI;
        lon = ((((lon + 180) % 360) + 360) % 360) - 180;
        series.push({ time, panel: PANEL_LON, value: lon });
      }
    }
  }
  for (let k = 0; k < s.pairScore.length; k++) {
    score.push({ time: iso(first, s.pairTimeDays[k] as number), score: s.pairScore[k] as number });
  }
  for (const d of res.detections) detections.push({ time: iso(first, d.timeDays), kind: d.kind, dv: d.dvMS });
  return { regime: res.regime, threshold: res.threshold, series, score, detections };
}

export interface ManeuverChartOptions {
  readonly title?: string;
  readonly width?: number;
}

const COLOR_DOMAIN = ['element sets', 'detected maneuver', 'score', 'threshold'];
const COLOR_RANGE = ['#1f77b4', '#d62728', '#555555', '#ff7f0e'];

/** Vega-Lite specification (JSON) of the chart. */
export function maneuverChartSpec(
  data: ManeuverChartData,
  options: ManeuverChartOptions = {},
): Record<string, unknown> {
  const width = options.width ?? 900;
  // Above about one set per pixel, point marks only add bytes: draw the lines alone.
  const dense = data.score.length > width;
  const panels =
    data.regime === 'GEO' ? [PANEL_A, PANEL_DRIFT, PANEL_LON, PANEL_E, PANEL_I] : [PANEL_A, PANEL_E, PANEL_I];
  const color = {
    scale: { domain: COLOR_DOMAIN, range: COLOR_RANGE },
    legend: { title: null, orient: 'top' },
  };
  const timeAxis = { field: 'time', type: 'temporal', title: 'time (UTC)' };
  const rules = {
    data: { values: data.detections },
    mark: { type: 'rule', strokeWidth: 1, opacity: 0.7 },
    encoding: {
      x: timeAxis,
      color: { datum: 'detected maneuver', ...color },
      tooltip: [
        { field: 'time', type: 'temporal' },
        { field: 'kind' },
        { field: 'dv', title: 'Δv (m/s)', format: '.3f' },
      ],
    },
  };
  const rows: Record<string, unknown>[] = panels.map((panel) => ({
    width,
    height: 110,
    layer: [
      {
        data: { values: data.series.filter((p) => p.panel === panel) },
        mark: { type: 'line', strokeWidth: 0.8, ...(dense ? {} : { point: { size: 4, filled: true } }) },
        encoding: {
          x: timeAxis,
          y: { field: 'value', type: 'quantitative', title: panel, scale: { zero: false } },
          color: { datum: 'element sets', ...color },
        },
      },
      rules,
    ],
  }));
  rows.push({
    width,
    height: 110,
    layer: [
      {
        data: { values: data.score },
        mark: { type: 'line', strokeWidth: 1 },
        encoding: {
          x: timeAxis,
          y: {
            field: 'score',
            type: 'quantitative',
            title: 'score (−log10 P, log)',
            // Scores run from 0 to tens of thousands (a relocation): a symmetric-log axis with
            // decade ticks keeps the threshold (≈ 3.5) and the quiet bulk readable.
            scale: { type: 'symlog', zero: true },
            axis: { values: [0, 10, 100, 1000, 10000, 100000], format: 'd', labelOverlap: false },
          },
          color: { datum: 'score', ...color },
        },
      },
      {
        data: { values: [{ threshold: data.threshold }] },
        mark: { type: 'rule', strokeDash: [6, 3] },
        encoding: {
          y: { field: 'threshold', type: 'quantitative' },
          color: { datum: 'threshold', ...color },
        },
      },
      rules,
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Element history and detected maneuvers',
    vconcat: rows,
    resolve: { scale: { x: 'shared', color: 'shared' } },
    config: { font: 'DejaVu Sans, Arial, sans-serif', axis: { titleFontSize: 11 } },
  };
}
