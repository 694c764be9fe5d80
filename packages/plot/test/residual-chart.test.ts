/**
 * The residual chart: rows kept per measurement (non-finite residuals left out), one colour per
 * station in the legend, the axis titles and a rejected point drawn as a cross.
 */
import { describe, expect, it } from 'vitest';
import { renderSvg, residualChartData, residualChartSpec } from '../src/index.js';

describe('residual chart', () => {
  const points = [
    { time: '2016-02-13T01:00:00Z', station: '7090', residual: 0.012, rejected: false },
    { time: '2016-02-13T01:05:00Z', station: '7090', residual: -0.004, rejected: false },
    { time: '2016-02-13T09:00:00Z', station: '7839', residual: 0.02, rejected: false },
    { time: '2016-02-13T09:02:00Z', station: '7839', residual: 0.9, rejected: true },
    { time: '2016-02-13T09:04:00Z', station: '7839', residual: Number.NaN, rejected: false },
  ];

  it('keeps one row per finite residual', () => {
    const data = residualChartData(points, 'range residual (m)');
    expect(data.points).toHaveLength(4);
    expect(data.label).toBe('range residual (m)');
  });

  it('renders the stations, the axes and the rejected marker', async () => {
    const svg = await renderSvg(
      residualChartSpec(residualChartData(points, 'range residual (m)'), { title: 'LAGEOS-2' }),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    for (const t of ['LAGEOS-2', 'range residual (m)', 'time (UTC)', 'station', '7090', '7839', 'rejected']) {
      expect(svg).toContain(`>${t}<`);
    }
    // Four symbols plus the legend symbols; the zero line is one rule.
    expect(svg.split('class="mark-rule role-mark').length - 1).toBe(1);
  });
});
