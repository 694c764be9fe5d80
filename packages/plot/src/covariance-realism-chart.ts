/**
 * Covariance-realism chart: histograms of the squared Mahalanobis distances d² of Monte Carlo
 * orbit fits against their own covariance, one panel per regime, with the χ²(k) density the d²
 * follow when the covariance is realistic (scaled to counts: N·bin width·f(x)), and the χ²(k) 95 %
 * quantile as a rule. Pure functions from data to a Vega-Lite specification, rendered to SVG by
 * `renderSvg` in Node and by vega-embed in the console.
 */
import { chiSquareQuantile } from '@hoshimi/astro';

export interface CovarianceRealismBin {
  readonly regime: string;
  /** Bin edges (d²). */
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

export interface CovarianceRealismCurvePoint {
  readonly regime: string;
  readonly x: number;
  /** Expected count density N·Δ·f(x) of χ²(k). */
  readonly expected: number;
}

export interface CovarianceRealismChartData {
  readonly bins: readonly CovarianceRealismBin[];
  readonly curve: readonly CovarianceRealismCurvePoint[];
  /** Degrees of freedom. */
  readonly dimension: number;
  /** χ²(k) 95 % quantile. */
  readonly bound95: number;
  /** Trials per regime, in regime order. */
  readonly trials: Readonly<Record<string, number>>;
}

export interface CovarianceRealismChartOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
}

/** ln Γ(k/2) for a positive integer k (exact recursion from Γ(1) = 1 and Γ(1/2) = √π). */
function lnGammaHalf(k: number): number {
  let x = k % 2 === 0 ? 1 : 0.5;
  let s = k % 2 === 0 ? 0 : 0.5 * Math.log(Math.PI);
  while (x < k / 2) {
    s += Math.log(x);
    x += 1;
  }
  return s;
}

/** Density of χ²(k) at x > 0. */
export function chiSquareDensity(x: number, k: number): number {
  if (x <= 0) return 0;
  return Math.exp((k / 2 - 1) * Math.log(x) - x / 2 - (k / 2) * Math.LN2 - lnGammaHalf(k));
}

/**
 * Histogram rows and the expected χ²(k) curve for each regime's d² (bins of `binWidth` from 0 to
 * `maxD2`; values beyond fall in the last bin, so no trial is dropped from the counts).
 */
export function covarianceRealismChartData(
  regimes: readonly { readonly regime: string; readonly d2: ArrayLike<number> }[],
  dimension = 6,
  binWidth = 1,
  maxD2 = 25,
): CovarianceRealismChartData {
  const nBins = Math.ceil(maxD2 / binWidth);
  const bins: CovarianceRealismBin[] = [];
  const curve: CovarianceRealismCurvePoint[] = [];
  const trials: Record<string, number> = {};
  for (const { regime, d2 } of regimes) {
    const counts = new Array<number>(nBins).fill(0);
    for (let i = 0; i < d2.length; i++) {
      const v = d2[i] as number;
      if (!Number.isFinite(v)) continue;
      counts[Math.min(nBins - 1, Math.max(0, Math.floor(v / binWidth)))]! += 1;
    }
    counts.forEach((count, j) => {
      bins.push({ regime, from: j * binWidth, to: (j + 1) * binWidth, count });
    });
    trials[regime] = d2.length;
    for (let j = 1; j <= 200; j++) {
      const x = (j / 200) * maxD2;
      curve.push({ regime, x, expected: d2.length * binWidth * chiSquareDensity(x, dimension) });
    }
  }
  return { bins, curve, dimension, bound95: chiSquareQuantile(0.95, dimension), trials };
}

/** Vega-Lite specification (JSON) of the chart: one panel per regime, side by side. */
export function covarianceRealismChartSpec(
  data: CovarianceRealismChartData,
  options: CovarianceRealismChartOptions = {},
): Record<string, unknown> {
  const regimes = Object.keys(data.trials);
  const k = data.dimension;
  const panels = regimes.map((regime) => ({
    width: options.width ?? 420,
    height: options.height ?? 300,
    title: `${regime} (${data.trials[regime]} trials)`,
    layer: [
      {
        data: { values: data.bins.filter((b) => b.regime === regime) },
        mark: { type: 'rect', opacity: 0.75, stroke: '#ffffff', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'from', type: 'quantitative', title: 'Mahalanobis distance squared d²' },
          x2: { field: 'to' },
          y: { field: 'count', type: 'quantitative', title: 'trials per bin', scale: { domainMin: 0 } },
          y2: { datum: 0 },
          color: { datum: 'fits', legend: { title: null, orient: 'top' } },
        },
      },
      {
        data: { values: data.curve.filter((c) => c.regime === regime) },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'expected', type: 'quantitative' },
          color: { datum: `χ²(${k}) density` },
        },
      },
      {
        data: { values: [{ bound: data.bound95 }] },
        mark: { type: 'rule', strokeDash: [6, 3] },
        encoding: {
          x: { field: 'bound', type: 'quantitative' },
          color: { datum: `χ²(${k}) 95 % bound` },
        },
      },
    ],
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? `Covariance realism: d² of the fits against χ²(${k})`,
    hconcat: panels,
    resolve: { scale: { y: 'independent' } },
    config: {
      font: 'DejaVu Sans, Arial, sans-serif',
      axis: { titleFontSize: 11 },
      range: { category: ['#9ecae1', '#d62728', '#333333'] },
    },
  };
}
