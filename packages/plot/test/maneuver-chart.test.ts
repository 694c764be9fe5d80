/**
 * The maneuver chart rendered to SVG from a real history (Sentinel-6A, dpshorten benchmark): axis
 * titles with units, the legend, one rule per detection in every panel, and the series themselves.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { detectManeuvers, parseTleText } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import {
  maneuverChartData,
  maneuverChartSpec,
  PANEL_A,
  PANEL_DRIFT,
  PANEL_E,
  PANEL_I,
  renderSvg,
} from '../src/index.js';

const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
const BENCH = join(DATA, 'history/dpshorten-benchmark/processed_files');

function load(name: string) {
  const r = parseTleText(readFileSync(join(BENCH, `${name}.tle`), 'utf8'));
  if (!r.ok) throw new Error('parse failed');
  return r.value.records.map((x) => x.elements);
}

/** The contents of the SVG groups of one mark type (vega writes `class="mark-TYPE role-mark ..."`). */
function markGroups(svg: string, type: string): string[] {
  return svg.split(`class="mark-${type} role-mark`).slice(1);
}

describe('maneuver chart', () => {
  it('renders a LEO history with axes, legend, detection rules and the series', async () => {
    const res = detectManeuvers(load('Sentinel-6A'));
    expect(res.detections.length).toBeGreaterThan(3);
    const data = maneuverChartData(res);
    expect(data.series.filter((p) => p.panel === PANEL_A)).toHaveLength(res.sets.length);
    const svg = await renderSvg(maneuverChartSpec(data, { title: 'Sentinel-6A' }));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const title of [PANEL_A, PANEL_E, PANEL_I, 'time (UTC)', 'score (−log10 P, log)', 'Sentinel-6A']) {
      expect(svg).toContain(`>${title}<`);
    }
    for (const legend of ['element sets', 'detected maneuver', 'score', 'threshold'])
      expect(svg).toContain(`>${legend}<`);
    // Rules: the detections in each of the 3 element panels and the score panel, plus one threshold.
    const ruleLines = markGroups(svg, 'rule')
      .map((g) => g.split('</g>')[0] ?? '')
      .reduce((n, g) => n + (g.match(/<line /g)?.length ?? 0), 0);
    expect(ruleLines).toBe(4 * res.detections.length + 1);
    // Lines: one path per panel (3 element panels + score).
    expect(markGroups(svg, 'line')).toHaveLength(4);
  });

  it('adds longitude and drift-rate panels for a GEO history', async () => {
    const res = detectManeuvers(load('Fengyun-2H'));
    expect(res.regime).toBe('GEO');
    const data = maneuverChartData(res);
    // Fengyun-2H stays near 79.5° E in its station-kept period.
    const lon = data.series.filter((p) => p.panel === 'longitude (° east)').map((p) => p.value);
    const med = [...lon].sort((a, b) => a - b)[lon.length >> 1] as number;
    expect(med).toBeGreaterThan(70);
    expect(med).toBeLessThan(110);
    const svg = await renderSvg(maneuverChartSpec(data));
    expect(svg).toContain(`>${PANEL_DRIFT}<`);
    expect(svg).toContain('>longitude (° east)<');
  });
});
