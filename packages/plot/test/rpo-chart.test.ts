/**
 * The RPO chart rendered to SVG from a real pair of the 2023-10-09 catalog (Luch (Olymp) next to
 * Intelsat 37e): the three panels with their axis titles, the threshold rule, the episode band, and
 * one row per sample where SGP4 gave both states.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseTleText, parseUtcString, rpoRelativeSeries } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { renderSvg, rpoChartData, rpoChartSpec } from '../src/index.js';

const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);

function sets(...numbers: string[]) {
  const r = parseTleText(
    gunzipSync(readFileSync(join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz'))).toString('utf8'),
  );
  if (!r.ok) throw new Error('parse failed');
  return numbers.map((n) => r.value.records.map((x) => x.elements).filter((e) => e.catalogNumber === n));
}

describe('RPO chart', () => {
  const pair = sets('42950', '40258');
  const target = pair[0]!;
  const chaser = pair[1]!;
  const start = parseUtcString('2023-10-09T00:00:00Z')!;
  const series = rpoRelativeSeries(target, chaser, start, 3);

  it('rows: one per sample, times in UTC, the range and RTN components', () => {
    const episode = {
      start: '2023-10-09T01:00:00Z',
      end: '2023-10-12T00:00:00Z',
      label: 'persistent-proximity',
    };
    const data = rpoChartData(series, 50, episode);
    expect(data.samples).toHaveLength(series.timeMin.length);
    expect(data.samples[0]!.time).toBe('2023-10-09T00:00:00Z');
    expect(data.samples[12]!.time).toBe('2023-10-09T01:00:00Z');
    expect(data.samples[5]!.range).toBe(series.rangeKm[5]);
    expect(data.episode).toEqual(episode);
    // A failed sample (NaN) is left out, not drawn as zero.
    const broken = { ...series, rangeKm: series.rangeKm.map((r, k) => (k === 3 ? Number.NaN : r)) };
    expect(rpoChartData(broken, 50).samples).toHaveLength(series.timeMin.length - 1);
  });

  it('renders the three panels with axes, the threshold and the episode', async () => {
    const episode = {
      start: '2023-10-09T01:00:00Z',
      end: '2023-10-12T00:00:00Z',
      label: 'persistent-proximity',
    };
    const svg = await renderSvg(rpoChartSpec(rpoChartData(series, 50, episode), { title: 'LUCH / IS-37E' }));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const title of [
      'LUCH / IS-37E',
      'range (km)',
      'time (UTC)',
      'chaser in target RTN (km)',
      'in-track T (km)',
      'radial R (km)',
      'proximity threshold',
      'radial R',
      'in-track T',
      'cross-track N',
    ]) {
      expect(svg).toContain(`>${title}<`);
    }
    // The episode band in both time panels; without an episode there is none.
    expect(svg.split('class="mark-rect role-mark').length - 1).toBe(2);
    const plain = await renderSvg(rpoChartSpec(rpoChartData(series, 50)));
    expect(plain.split('class="mark-rect role-mark').length - 1).toBe(0);
  });
});
