/**
 * @hoshimi/plot: charts as Vega-Lite specifications built from data (the web console renders the
 * same specifications), and an SVG renderer for Node.
 */

export {
  type CovarianceRealismBin,
  type CovarianceRealismChartData,
  type CovarianceRealismChartOptions,
  type CovarianceRealismCurvePoint,
  chiSquareDensity,
  covarianceRealismChartData,
  covarianceRealismChartSpec,
} from './covariance-realism-chart.js';
export {
  type GabbardChartData,
  type GabbardChartOptions,
  type GabbardChartRow,
  gabbardChartData,
  gabbardChartSpec,
} from './gabbard-chart.js';
export {
  type GroundTrackChartData,
  type GroundTrackChartOptions,
  type GroundTrackSample,
  groundTrackChartSpec,
} from './ground-track-chart.js';
export {
  type ManeuverChartData,
  type ManeuverChartOptions,
  type ManeuverChartPoint,
  maneuverChartData,
  maneuverChartSpec,
  PANEL_A,
  PANEL_DRIFT,
  PANEL_E,
  PANEL_I,
  PANEL_LON,
} from './maneuver-chart.js';
export { renderSvg } from './render.js';
export {
  type ResidualChartData,
  type ResidualChartOptions,
  type ResidualChartPoint,
  residualChartData,
  residualChartSpec,
} from './residual-chart.js';
export {
  type RpoChartData,
  type RpoChartOptions,
  type RpoChartSample,
  rpoChartData,
  rpoChartSpec,
} from './rpo-chart.js';
