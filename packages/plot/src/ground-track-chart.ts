/**
 * Reentry ground-track chart: a Vega-Lite specification of the sub-satellite track over the reentry
 * window on an equirectangular longitude/latitude frame (no coastlines: nothing is fetched), with
 * the predicted reentry point and the window's ends marked and the track coloured by the time from
 * the nominal epoch. The track is split where it crosses the antimeridian. Samples after the
 * nominal epoch (the circular continuation of the predictor) are drawn dashed.
 */

/** One track sample: degrees, and hours from the nominal reentry epoch. */
export interface GroundTrackSample {
  readonly lonDeg: number;
  readonly latDeg: number;
  readonly hoursFromNominal: number;
  readonly afterNominal: boolean;
}

export interface GroundTrackChartData {
  readonly samples: readonly GroundTrackSample[];
  /** Predicted reentry point and time (ISO UTC). */
  readonly nominal: { readonly lonDeg: number; readonly latDeg: number; readonly timeUtc: string };
  readonly windowStartUtc: string;
  readonly windowEndUtc: string;
}

export interface GroundTrackChartOptions {
  readonly title?: string;
  /** Width of the map, px (height is half). */
  readonly width?: number;
}

interface Row {
  lon: number;
  lat: number;
  hours: number;
  segment: number;
  index: number;
  part: string;
}

/** Vega-Lite specification (JSON) of the ground track. */
export function groundTrackChartSpec(
  data: GroundTrackChartData,
  options: GroundTrackChartOptions = {},
): Record<string, unknown> {
  const width = options.width ?? 900;
  const rows: Row[] = [];
  let segment = 0;
  let prev: GroundTrackSample | undefined;
  data.samples.forEach((s, index) => {
    const lon = ((((s.lonDeg + 180) % 360) + 360) % 360) - 180;
    if (prev !== undefined) {
      const pl = ((((prev.lonDeg + 180) % 360) + 360) % 360) - 180;
      if (Math.abs(lon - pl) > 180 || prev.afterNominal !== s.afterNominal) segment++;
    }
    rows.push({
      lon,
      lat: s.latDeg,
      hours: s.hoursFromNominal,
      segment,
      index,
      part: s.afterNominal ? 'after nominal (had it stayed in orbit)' : 'predicted trajectory',
    });
    prev = s;
  });
  const first = rows[0];
  const last = rows[rows.length - 1];
  const ends = [
    ...(first === undefined
      ? []
      : [{ lon: first.lon, lat: first.lat, label: `window start ${data.windowStartUtc.slice(0, 16)}Z` }]),
    ...(last === undefined
      ? []
      : [{ lon: last.lon, lat: last.lat, label: `window end ${data.windowEndUtc.slice(0, 16)}Z` }]),
  ];
  const lonScale = { domain: [-180, 180], nice: false };
  const latScale = { domain: [-90, 90], nice: false };
  const x = {
    field: 'lon',
    type: 'quantitative',
    title: 'longitude (deg)',
    scale: lonScale,
    axis: { values: [-180, -120, -60, 0, 60, 120, 180] },
  };
  const y = {
    field: 'lat',
    type: 'quantitative',
    title: 'latitude (deg)',
    scale: latScale,
    axis: { values: [-90, -60, -30, 0, 30, 60, 90] },
  };
  const nominalLon = ((((data.nominal.lonDeg + 180) % 360) + 360) % 360) - 180;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Reentry ground track over the window',
    width,
    height: Math.round(width / 2),
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1, color: '#7f7f7f', interpolate: 'linear' },
        encoding: {
          x,
          y,
          detail: { field: 'segment', type: 'nominal' },
          order: { field: 'index', type: 'quantitative' },
          strokeDash: {
            field: 'part',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['predicted trajectory', 'after nominal (had it stayed in orbit)'],
              range: [
                [1, 0],
                [4, 3],
              ],
            },
            legend: { orient: 'bottom', labelLimit: 400 },
          },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'circle', size: 6, opacity: 0.9 },
        encoding: {
          x,
          y,
          color: {
            field: 'hours',
            type: 'quantitative',
            title: 'hours from nominal',
            scale: { scheme: 'viridis' },
          },
        },
      },
      {
        data: { values: ends },
        mark: { type: 'point', shape: 'triangle-up', size: 90, filled: true, color: '#444' },
        encoding: { x: { ...x }, y: { ...y }, tooltip: [{ field: 'label' }] },
      },
      {
        data: { values: ends },
        mark: { type: 'text', dy: -10, fontSize: 10, align: 'center', color: '#222' },
        encoding: { x: { ...x }, y: { ...y }, text: { field: 'label' } },
      },
      {
        data: {
          values: [
            {
              lon: nominalLon,
              lat: data.nominal.latDeg,
              label: `predicted reentry ${data.nominal.timeUtc.slice(0, 16)}Z`,
            },
          ],
        },
        mark: { type: 'point', shape: 'cross', size: 220, strokeWidth: 3, color: '#d62728' },
        encoding: { x: { ...x }, y: { ...y }, tooltip: [{ field: 'label' }] },
      },
      {
        data: {
          values: [
            {
              lon: nominalLon,
              lat: data.nominal.latDeg,
              label: `predicted reentry ${data.nominal.timeUtc.slice(0, 16)}Z`,
            },
          ],
        },
        mark: { type: 'text', dy: 16, fontSize: 11, fontWeight: 'bold', color: '#d62728' },
        encoding: { x: { ...x }, y: { ...y }, text: { field: 'label' } },
      },
    ],
    config: { font: 'DejaVu Sans, Arial, sans-serif', axis: { titleFontSize: 11, grid: true } },
  };
}
