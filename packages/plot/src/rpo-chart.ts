/**
 * RPO chart: a Vega-Lite specification of one pair's relative motion over the search window: the
 * range with the proximity threshold and the finding's episode shaded, the chaser's position in
 * the target's RTN frame against time, and the relative-motion plane (in-track against radial, the
 * view an analyst reads a station-keeping or drifting chaser from). Pure functions from data to a
 * JSON specification, rendered to SVG in Node by `renderSvg` and by vega-embed in the console.
 */
import { formatUtcIso, normaliseJulian, type RpoRelativeSeries } from '@hoshimi/astro';

export interface RpoChartSample {
  readonly time: string;
  readonly range: number;
  readonly radial: number;
  readonly inTrack: number;
  readonly crossTrack: number;
}

export interface RpoChartData {
  readonly samples: readonly RpoChartSample[];
  /** Range threshold drawn as a rule, km (the persistent-proximity range). */
  readonly thresholdKm: number;
  /** The finding's episode, UTC ISO with Z; absent when the chart is of a pair without a finding. */
  readonly episode?: { readonly start: string; readonly end: string; readonly label: string };
}

export interface RpoChartOptions {
  readonly title?: string;
  readonly width?: number;
}

/** Chart rows from a relative series (samples where SGP4 failed for either object are left out). */
export function rpoChartData(
  series: RpoRelativeSeries,
  thresholdKm: number,
  episode?: RpoChartData['episode'],
): RpoChartData {
  const samples: RpoChartSample[] = [];
  for (let k = 0; k < series.timeMin.length; k++) {
    const range = series.rangeKm[k] as number;
    if (Number.isNaN(range)) continue;
    const t = normaliseJulian(series.start.jd, series.start.jdFrac + (series.timeMin[k] as number) / 1440);
    samples.push({
      time: `${formatUtcIso(t, 0)}Z`,
      range,
      radial: series.radialKm[k] as number,
      inTrack: series.inTrackKm[k] as number,
      crossTrack: series.crossTrackKm[k] as number,
    });
  }
  return episode === undefined ? { samples, thresholdKm } : { samples, thresholdKm, episode };
}

const RTN = [
  { field: 'radial', label: 'radial R' },
  { field: 'inTrack', label: 'in-track T' },
  { field: 'crossTrack', label: 'cross-track N' },
] as const;

/** Vega-Lite specification (JSON) of the chart. */
export function rpoChartSpec(data: RpoChartData, options: RpoChartOptions = {}): Record<string, unknown> {
  const width = options.width ?? 900;
  const timeAxis = { field: 'time', type: 'temporal', title: 'time (UTC)' };
  const episodeLayer =
    data.episode === undefined
      ? []
      : [
          {
            data: { values: [data.episode] },
            mark: { type: 'rect', opacity: 0.12, color: '#d62728' },
            encoding: {
              x: { field: 'start', type: 'temporal' },
              x2: { field: 'end' },
              tooltip: [{ field: 'label', title: 'finding' }],
            },
          },
        ];
  const rangePanel = {
    width,
    height: 160,
    layer: [
      ...episodeLayer,
      {
        data: { values: data.samples },
        mark: { type: 'line', strokeWidth: 1 },
        encoding: {
          x: timeAxis,
          y: { field: 'range', type: 'quantitative', title: 'range (km)', scale: { zero: true } },
          color: { datum: 'range', legend: { title: null, orient: 'top' } },
        },
      },
      {
        data: { values: [{ threshold: data.thresholdKm, label: `${data.thresholdKm} km` }] },
        mark: { type: 'rule', strokeDash: [6, 3] },
        encoding: {
          y: { field: 'threshold', type: 'quantitative' },
          color: { datum: 'proximity threshold' },
        },
      },
    ],
  };
  const rtnPanel = {
    width,
    height: 160,
    layer: [
      ...episodeLayer,
      {
        data: { values: data.samples },
        transform: [{ fold: RTN.map((c) => c.field), as: ['component', 'km'] }],
        mark: { type: 'line', strokeWidth: 0.8 },
        encoding: {
          x: timeAxis,
          y: { field: 'km', type: 'quantitative', title: 'chaser in target RTN (km)' },
          color: {
            field: 'component',
            type: 'nominal',
            scale: { domain: RTN.map((c) => c.field), range: ['#1f77b4', '#2ca02c', '#9467bd'] },
            legend: { title: 'RTN component', orient: 'top', labelExpr: RTN_LABEL_EXPR },
          },
        },
      },
    ],
  };
  const planePanel = {
    width: Math.round(width / 2),
    height: Math.round(width / 2),
    title: 'relative motion: in-track against radial (target at the origin)',
    layer: [
      {
        data: { values: data.samples },
        mark: { type: 'circle', size: 5, opacity: 0.9 },
        encoding: {
          x: { field: 'inTrack', type: 'quantitative', title: 'in-track T (km)', scale: { zero: true } },
          y: { field: 'radial', type: 'quantitative', title: 'radial R (km)', scale: { zero: true } },
          order: { field: 'time', type: 'temporal' },
          color: {
            field: 'time',
            type: 'temporal',
            title: 'time (UTC)',
            scale: { scheme: 'viridis' },
            legend: { type: 'gradient', format: '%d %b %H:%M' },
          },
        },
      },
      {
        data: { values: [{ x: 0, y: 0 }] },
        mark: { type: 'point', shape: 'cross', size: 120, color: '#d62728', strokeWidth: 2 },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
    ],
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Relative motion of the pair',
    vconcat: [rangePanel, rtnPanel, planePanel],
    resolve: { scale: { color: 'independent', x: 'independent' } },
    config: { font: 'DejaVu Sans, Arial, sans-serif', axis: { titleFontSize: 11 } },
  };
}

/** Legend labels of the RTN fields. */
const RTN_LABEL_EXPR = `${RTN.map((c) => `datum.label === '${c.field}' ? '${c.label}' : `).join('')}datum.label`;
