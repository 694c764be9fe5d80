/**
 * The Gabbard diagram rendered to SVG from the Kosmos 1408 debris sets of 2021-11-17..30 and the
 * parent's last set before the breakup: two rows per object, the axis titles and the legend.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gabbardPoints, parseElements } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { gabbardChartData, gabbardChartSpec, renderSvg } from '../src/index.js';

const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);

function sets(text: string) {
  const r = parseElements(text);
  if (!r.ok) throw new Error('parse failed');
  return r.value.records.map((x) => x.elements);
}

describe('Gabbard chart', () => {
  const events = JSON.parse(readFileSync(join(DATA, 'fragmentation/events.json'), 'utf8'));
  const tle = events.events[0].last_pre_event_tle;
  const parent = sets(`${tle.line1}\n${tle.line2}\n`)[0]!;
  const debris = sets(
    readFileSync(
      join(DATA, 'fragmentation/kosmos1408/cosmos1408_debris_2021-11-30_bismurphy.3le.txt'),
      'utf8',
    ),
  ).filter((e) => e.catalogNumber !== parent.catalogNumber);
  const points = gabbardPoints(debris, parent);

  it('rows: an apogee and a perigee row per object, the parent marked', () => {
    const data = gabbardChartData(points);
    expect(data.rows).toHaveLength(2 * points.length);
    expect(data.fragments).toBe(points.length - 1);
    const parentRows = data.rows.filter((r) => r.series.startsWith('parent'));
    expect(parentRows.map((r) => r.series).sort()).toEqual(['parent apogee', 'parent perigee']);
    // Non-finite points are left out, not drawn at zero.
    const broken = [...points, { ...points[1]!, periodMin: Number.NaN }];
    expect(gabbardChartData(broken).rows).toHaveLength(2 * points.length);
  });

  it('renders with axes and legend', async () => {
    const svg = await renderSvg(gabbardChartSpec(gabbardChartData(points), { title: 'COSMOS 1408' }));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of [
      'COSMOS 1408',
      'period (min)',
      'height (km)',
      'fragment apogee',
      'fragment perigee',
      'parent apogee',
    ]) {
      expect(svg).toContain(text);
    }
  });
});
