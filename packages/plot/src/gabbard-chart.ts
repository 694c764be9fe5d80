/**
 * Gabbard diagram: apogee and perigee height (km) against orbital period (minutes), one point pair
 * per fragment, the parent's pair marked apart (domain research §2.3; the diagram of NASA's Orbital
 * Debris Quarterly News). Pure functions from data to a Vega-Lite specification, rendered to SVG by
 * `renderSvg` in Node and by vega-embed in the console.
 */
import type { GabbardPoint } from '@hoshimi/astro';

export interface GabbardChartRow {
  readonly id: string;
  readonly period: number;
  readonly height: number;
  /** 'fragment apogee', 'fragment perigee', 'parent apogee', 'parent perigee'. */
  readonly series: string;
}

export interface GabbardChartData {
  readonly rows: readonly GabbardChartRow[];
  readonly fragments: number;
}

/** Rows from Gabbard points (non-finite values left out). */
export function gabbardChartData(points: readonly GabbardPoint[]): GabbardChartData {
  const rows: GabbardChartRow[] = [];
  let fragments = 0;
  for (const p of points) {
    if (!(Number.isFinite(p.periodMin) && Number.isFinite(p.apogeeKm) && Number.isFinite(p.perigeeKm)))
      continue;
    if (p.role === 'fragment') fragments++;
    rows.push({ id: p.catalogNumber, period: p.periodMin, height: p.apogeeKm, series: `${p.role} apogee` });
    rows.push({ id: p.catalogNumber, period: p.periodMin, height: p.perigeeKm, series: `${p.role} perigee` });
  }
  return { rows, fragments };
}

export interface GabbardChartOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
}

const DOMAIN = ['fragment apogee', 'fragment perigee', 'parent apogee', 'parent perigee'];
const RANGE = ['#d62728', '#1f77b4', '#000000', '#000000'];
const SHAPES = ['circle', 'circle', 'triangle-up', 'triangle-down'];

/** Vega-Lite specification (JSON) of the diagram. */
export function gabbardChartSpec(
  data: GabbardChartData,
  options: GabbardChartOptions = {},
): Record<string, unknown> {
  const legend = { title: null, orient: 'top' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? `Gabbard diagram (${data.fragments} fragments)`,
    width: options.width ?? 700,
    height: options.height ?? 450,
    data: { values: data.rows },
    mark: { type: 'point', filled: true, opacity: 0.75 },
    encoding: {
      x: { field: 'period', type: 'quantitative', title: 'period (min)', scale: { zero: false } },
      y: { field: 'height', type: 'quantitative', title: 'height (km)', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', scale: { domain: DOMAIN, range: RANGE }, legend },
      shape: { field: 'series', type: 'nominal', scale: { domain: DOMAIN, range: SHAPES }, legend },
      size: { condition: { test: "indexof(datum.series, 'parent') === 0", value: 90 }, value: 12 },
      tooltip: [
        { field: 'id', title: 'object' },
        { field: 'series' },
        { field: 'period', format: '.2f', title: 'period (min)' },
        { field: 'height', format: '.1f', title: 'height (km)' },
      ],
    },
    config: { font: 'DejaVu Sans, Arial, sans-serif', axis: { titleFontSize: 11 } },
  };
}
