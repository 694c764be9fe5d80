/**
 * The reentry ground-track chart: a synthetic track that crosses the antimeridian twice and the
 * nominal epoch once, so that the line splits into segments there; the predicted point and the
 * window's ends are marked; the SVG renders with its labels.
 */
import { describe, expect, it } from 'vitest';
import { groundTrackChartSpec, renderSvg } from '../src/index.js';

/** A sinusoidal track (inclination 41°) over 3 h, sampled every minute, nominal in the middle. */
function track() {
  const samples = [];
  for (let k = 0; k <= 180; k++) {
    const u = (2 * Math.PI * k) / 90; // one revolution per 90 min
    samples.push({
      lonDeg: 120 + k * 4 - 360 * Math.floor((120 + k * 4 + 180) / 360),
      latDeg: 41 * Math.sin(u),
      hoursFromNominal: (k - 90) / 60,
      afterNominal: k > 90,
    });
  }
  return samples;
}

describe('ground-track chart', () => {
  const samples = track();
  const spec = groundTrackChartSpec({
    samples,
    nominal: { lonDeg: samples[90]!.lonDeg, latDeg: samples[90]!.latDeg, timeUtc: '2021-05-09T04:15:09Z' },
    windowStartUtc: '2021-05-09T02:45:00Z',
    windowEndUtc: '2021-05-09T05:45:00Z',
  }) as { layer: { data: { values: Record<string, unknown>[] } }[] };

  it('splits the line at the antimeridian and at the nominal epoch', () => {
    const rows = spec.layer[0]!.data.values as { segment: number; lon: number }[];
    expect(rows).toHaveLength(samples.length);
    // Longitude runs 120° → 840°: antimeridian crossings at 180° and 540°, and the nominal split.
    const segments = new Set(rows.map((r) => r.segment));
    expect(segments.size).toBe(4);
    for (let k = 1; k < rows.length; k++) {
      if (rows[k]!.segment === rows[k - 1]!.segment)
        expect(Math.abs(rows[k]!.lon - rows[k - 1]!.lon)).toBeLessThan(180);
    }
    expect(rows.every((r) => r.lon >= -180 && r.lon < 180)).toBe(true);
  });

  it('renders the predicted point and the window ends', async () => {
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('predicted reentry 2021-05-09T04:15');
    expect(svg).toContain('window start 2021-05-09T02:45');
    expect(svg).toContain('window end 2021-05-09T05:45');
    expect(svg).toContain('>longitude (deg)<');
  });
});
