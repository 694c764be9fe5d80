/**
 * The covariance-realism chart from d² samples that do follow χ²(6) (sums of six squared seeded
 * normals): every trial counted once, the density correct against the closed form and integrating
 * to one, and the SVG with both panels, their axis titles and the overlay.
 */
import { chiSquareCdf, seededRandom } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import {
  chiSquareDensity,
  covarianceRealismChartData,
  covarianceRealismChartSpec,
  renderSvg,
} from '../src/index.js';

function chiSquareSamples(n: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  return Float64Array.from({ length: n }, () => {
    let s = 0;
    for (let j = 0; j < 6; j++) s += rnd.normal() ** 2;
    return s;
  });
}

describe('covariance-realism chart', () => {
  const leo = chiSquareSamples(300, 1);
  const geo = chiSquareSamples(200, 2);
  const data = covarianceRealismChartData([
    { regime: 'LEO radar', d2: leo },
    { regime: 'GEO optical', d2: geo },
  ]);

  it('counts every trial once and overlays the χ²(6) density', () => {
    const count = (r: string) => data.bins.filter((b) => b.regime === r).reduce((s, b) => s + b.count, 0);
    expect(count('LEO radar')).toBe(300);
    expect(count('GEO optical')).toBe(200);
    // χ²(6) density: x² e^(−x/2) / 16; at x = 4 that is e^−2.
    expect(chiSquareDensity(4, 6)).toBeCloseTo(Math.exp(-2), 14);
    // χ²(3) density at 1: e^(−1/2) / √(2π).
    expect(chiSquareDensity(1, 3)).toBeCloseTo(Math.exp(-0.5) / Math.sqrt(2 * Math.PI), 14);
    // The density integrates to the CDF (trapezoid over [0, 25] in 0.01 steps).
    let integral = 0;
    for (let x = 0; x < 25; x += 0.01)
      integral += 0.005 * (chiSquareDensity(x, 6) + chiSquareDensity(x + 0.01, 6));
    expect(integral).toBeCloseTo(chiSquareCdf(25, 6), 5);
    expect(data.bound95).toBeCloseTo(12.5916, 3);
  });

  it('renders both panels with axes, the density and the 95 % bound', async () => {
    const svg = await renderSvg(covarianceRealismChartSpec(data));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const t of [
      'LEO radar (300 trials)',
      'GEO optical (200 trials)',
      'Mahalanobis distance squared d²',
      'trials per bin',
      'χ²(6) density',
      'χ²(6) 95 % bound',
    ]) {
      expect(svg).toContain(`>${t}<`);
    }
    // Two density curves and two bound rules, one per panel.
    expect(svg.split('class="mark-line role-mark').length - 1).toBe(2);
    expect(svg.split('class="mark-rule role-mark').length - 1).toBe(2);
  });
});
