/**
 * Output formats of `hoshimi propagate`: CSV, JSON and CCSDS OEM 2.0 KVN. Each writer receives one
 * object at a time (its samples in time order) and turns them into text; the command streams the
 * text to the output sink.
 *
 * Precision: times carry microseconds (a millisecond is 7.5 m at LEO speed); CSV and JSON numbers
 * are the shortest text that reads back to the same double (JavaScript's number-to-string), so
 * nothing is rounded away; OEM positions are written to 1e-9 km and velocities to 1e-12 km/s.
 */
import { formatOemKvn, type OemCovariance, type OemState } from '@hoshimi/astro';

export type OutputFrame = 'TEME' | 'GCRF' | 'ITRF' | 'GEODETIC';
export type OutputFormat = 'csv' | 'json' | 'oem';

/** One object's header data. */
export interface ObjectMeta {
  readonly id: string;
  readonly name: string | undefined;
  readonly intlDesignator: string | undefined;
  readonly epochUtc: string;
  /** OEM segment comments replacing the SGP4 one (e.g. the numerical force model). */
  readonly comments?: readonly string[];
  /** Covariance matrices for the OEM (other formats do not carry them). */
  readonly covariances?: readonly OemCovariance[];
}

/**
 * One sample. `a`, `b`, `c` are x, y, z in km, or for GEODETIC latitude and longitude in degrees
 * and altitude in km; `vx`..`vz` km/s (ITRF velocity for GEODETIC). All NaN when status ≠ 0.
 */
export interface Sample {
  tsinceMin: number;
  timeUtc: string;
  a: number;
  b: number;
  c: number;
  vx: number;
  vy: number;
  vz: number;
  status: number;
}

export interface Writer {
  begin(): string;
  object(meta: ObjectMeta, samples: readonly Sample[]): string;
  end(): string;
}

/** Shortest round-trip text of a double; empty for NaN (a failed sample). */
const exact = (v: number): string => (Number.isFinite(v) ? String(v) : '');

function columns(frame: OutputFrame): readonly string[] {
  const pos = frame === 'GEODETIC' ? ['lat_deg', 'lon_deg', 'alt_km'] : ['x_km', 'y_km', 'z_km'];
  return ['id', 'tsince_min', 'time_utc', ...pos, 'vx_km_s', 'vy_km_s', 'vz_km_s', 'status'];
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvWriter(frame: OutputFrame): Writer {
  return {
    begin: () => `${columns(frame).join(',')}\n`,
    object: (meta, samples) => {
      const id = csvField(meta.id);
      let text = '';
      for (const s of samples) {
        text += `${id},${exact(s.tsinceMin)},${s.timeUtc},${exact(s.a)},${exact(s.b)},${exact(s.c)},${exact(s.vx)},${exact(s.vy)},${exact(s.vz)},${s.status}\n`;
      }
      return text;
    },
    end: () => '',
  };
}

/** JSON.stringify of a double (shortest round trip); null for NaN. */
const jsonNumber = (v: number): string => (Number.isFinite(v) ? JSON.stringify(v) : 'null');

/** JSON: `{"frame", "columns", "objects": [{"id", "name", "intl_designator", "epoch_utc", "states": [...]}]}`. */
export function jsonWriter(frame: OutputFrame): Writer {
  const names = columns(frame).slice(1);
  let first = true;
  return {
    begin: () => `{"frame":${JSON.stringify(frame)},"objects":[\n`,
    object: (meta, samples) => {
      const states = samples.map((s) => {
        const values = [
          jsonNumber(s.tsinceMin),
          JSON.stringify(s.timeUtc),
          jsonNumber(s.a),
          jsonNumber(s.b),
          jsonNumber(s.c),
          jsonNumber(s.vx),
          jsonNumber(s.vy),
          jsonNumber(s.vz),
          String(s.status),
        ];
        return `{${names.map((n, i) => `"${n}":${values[i]}`).join(',')}}`;
      });
      const head = JSON.stringify({
        id: meta.id,
        name: meta.name ?? null,
        intl_designator: meta.intlDesignator ?? null,
        epoch_utc: meta.epochUtc,
      }).slice(0, -1);
      const text = `${first ? '' : ',\n'}${head},"states":[${states.join(',')}]}`;
      first = false;
      return text;
    },
    end: () => '\n]}\n',
  };
}

/** CCSDS REF_FRAME names of the output frames. */
const OEM_REF_FRAME: Record<Exclude<OutputFrame, 'GEODETIC'>, string> = {
  TEME: 'TEME',
  GCRF: 'GCRF',
  ITRF: 'ITRF',
};

/**
 * CCSDS OEM 2.0 KVN, one segment per object. OEM has no way to carry a failed sample, so those are
 * left out and counted in a segment COMMENT; an object with no good sample gets no segment.
 */
export function oemWriter(
  frame: Exclude<OutputFrame, 'GEODETIC'>,
  creationDate: string,
  onSkipped: (meta: ObjectMeta) => void,
): Writer {
  let headerDone = false;
  return {
    begin: () => '',
    object: (meta, samples) => {
      const states: OemState[] = samples
        .filter((s) => s.status === 0)
        .map((s) => ({ epoch: s.timeUtc.replace(/Z$/, ''), r: [s.a, s.b, s.c], v: [s.vx, s.vy, s.vz] }));
      if (states.length === 0) {
        onSkipped(meta);
        return '';
      }
      const failed = samples.length - states.length;
      const text = formatOemKvn({
        header: { creationDate, originator: 'HOSHIMI' },
        segments: [
          {
            meta: {
              objectName: meta.name ?? meta.id,
              objectId: meta.intlDesignator ?? meta.id,
              centerName: 'EARTH',
              refFrame: OEM_REF_FRAME[frame],
              timeSystem: 'UTC',
              startTime: states[0]!.epoch,
              stopTime: states[states.length - 1]!.epoch,
              comments: [
                ...(meta.comments ?? [
                  `SGP4 ephemeris of catalog object ${meta.id}, element epoch ${meta.epochUtc}`,
                ]),
                ...(failed > 0
                  ? [`${failed} samples omitted: the propagator reported an error for them`]
                  : []),
              ],
            },
            states,
            ...(meta.covariances === undefined ? {} : { covariances: meta.covariances }),
          },
        ],
      });
      if (headerDone) {
        // Later segments: drop the header (everything before the first META_START).
        return text.slice(text.indexOf('META_START'));
      }
      headerDone = true;
      return text;
    },
    end: () => '',
  };
}
