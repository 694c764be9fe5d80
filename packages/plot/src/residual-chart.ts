/**
 * Residual chart of an orbit fit: residuals (observed − computed) against time, one colour per
 * station, rejected measurements drawn as crosses. Pure functions from data to a Vega-Lite
 * specification, rendered to SVG by `renderSvg` in Node and by vega-embed in the console.
 */

export interface ResidualChartPoint {
  /** UTC ISO time with Z. */
  readonly time: string;
  readonly station: string;
  /** Residual in the chart's unit (e.g. metres). */
  readonly residual: number;
  readonly rejected: boolean;
}

export interface ResidualChartData {
  readonly points: readonly ResidualChartPoint[];
  /** Axis label of the residual, with its unit, e.g. 'range residual (m)'. */
  readonly label: string;
}

export interface ResidualChartOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
}

/** Chart rows (non-finite residuals left out). */
export function residualChartData(points: readonly ResidualChartPoint[], label: string): ResidualChartData {
  return { points: points.filter((p) => Number.isFinite(p.residual)), label };
}

/** Vega-Lite specification (JSON) of the chart. */
export function residualChartSpec(
  data: ResidualChartData,
  options: ResidualChartOptions = {},
): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Residuals',
    width: options.width ?? 800,
    height: options.height ?? 320,
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: '#888888' },
        encoding: { y: { field: 'zero', type: 'quantitative' } },
      },
      {
        data: { values: data.points },
        mark: { type: 'point', filled: true, size: 40 },
        encoding: {
          x: {
            field: 'time',
            type: 'temporal',
            title: 'time (UTC)',
            scale: { type: 'utc' },
            axis: { format: '%d %b %H:%M', labelAngle: 0 },
          },
          y: { field: 'residual', type: 'quantitative', title: data.label },
          color: { field: 'station', type: 'nominal', title: 'station', legend: { orient: 'top' } },
          shape: {
            field: 'rejected',
            type: 'nominal',
            title: 'rejected',
            scale: { domain: [false, true], range: ['circle', 'cross'] },
            legend: { orient: 'top' },
          },
          tooltip: [
            {
              field: 'time',
              type: 'temporal',
              timeUnit: 'utcyearmonthdatehoursminutesseconds',
              title: 'time (UTC)',
            },
            { field: 'station', type: 'nominal' },
            { field: 'residual', type: 'quantitative', format: '.4f' },
          ],
        },
      },
    ],
    config: { font: 'DejaVu Sans, Arial, sans-serif', axis: { titleFontSize: 11 } },
  };
}
