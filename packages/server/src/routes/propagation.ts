/**
 * Ephemerides: SGP4 from the store's element set of one object as of a time (default now, as
 * `hoshimi propagate --db`), sampled on a grid of UTC labels start, start + step, …, stop (stop
 * included when off the grid, as `hoshimi propagate --from/--to/--step`), in TEME, GCRF, ITRF or geodetic coordinates,
 * as JSON or CCSDS OEM (502.0-B-3 KVN). The frame change is astro's SampleFrameConverter, the one
 * the CLI uses, so both give the same numbers. Samples per request are bounded (MAX_SAMPLES).
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AstroError,
  formatOemKvn,
  formatUtcIso,
  julianFromCalendar,
  minutesSinceEpoch,
  type OemState,
  parseTimeString,
  SAMPLE_FRAMES,
  type SampleFrame,
  SampleFrameConverter,
  sgp4,
  sgp4Init,
  type UtcJulianDate,
  utcLabelAfterEpoch,
} from '@hoshimi/astro';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { storeFor } from '../http/reader-store.js';
import { ERROR_RESPONSES, ErrorBody, IsoTime, Nullable } from '../http/schemas.js';
import { canonicalCatalogNumber } from '../http/views.js';
import { creationDateNow } from './exports.js';
import { ObjectParams, requireObject } from './objects.js';

/** Samples per request: 10,000 (a week at one minute is 10,081 and must be split or coarsened). */
export const MAX_SAMPLES = 10_000;

const EphemerisQuery = Type.Object(
  {
    start: IsoTime,
    stop: IsoTime,
    stepS: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 86400,
        default: 60,
        description: 'step, SI seconds of the UTC clock',
      }),
    ),
    frame: Type.Optional(
      Type.Union(
        SAMPLE_FRAMES.map((f) => Type.Literal(f)),
        {
          default: 'TEME',
          description: 'TEME (no tables), GCRF, ITRF, or GEODETIC (ITRF as latitude, longitude, height)',
        },
      ),
    ),
    asOf: Type.Optional({
      ...IsoTime,
      description: 'which element set: the latest with epoch ≤ asOf (default: now)',
    }),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('oem')], { default: 'json' })),
  },
  { additionalProperties: false },
);

const Sample = Type.Object({
  timeUtc: Type.String(),
  tsinceMin: Type.Number({ description: 'minutes from the element epoch' }),
  position: Type.Union([Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }), Type.Null()], {
    description: 'x, y, z km (GEODETIC: latitude deg, longitude deg, height km); null on an SGP4 error',
  }),
  velocity: Type.Union([Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }), Type.Null()], {
    description: 'vx, vy, vz km/s (GEODETIC: the ITRF velocity)',
  }),
  status: Type.Integer({ description: 'SGP4 error code, 0 = ok' }),
});

const Ephemeris = Type.Object(
  {
    catalogNumber: Type.String(),
    name: Nullable(Type.String()),
    frame: Type.String(),
    elementSet: Type.Object({ id: Type.Integer(), epochUtc: Type.String(), source: Type.String() }),
    samples: Type.Array(Sample),
  },
  { title: 'Ephemeris' },
);

function label(text: string, field: string): UtcJulianDate {
  const r = parseTimeString(text);
  if (!r.ok) throw new ApiError(400, 'BAD_REQUEST', `${field}: not a time: ${text}`, `querystring.${field}`);
  const f = r.value.fields;
  if (f.second >= 60)
    throw new ApiError(
      400,
      'BAD_REQUEST',
      `${field}: ${text} is inside a leap second; give 00:00:00 of the next day`,
      `querystring.${field}`,
    );
  return julianFromCalendar(f.year, f.month, f.day, f.hour, f.minute, f.second);
}

const iso = (l: UtcJulianDate) => `${formatUtcIso(l, 6)}Z`;

export async function propagationRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/objects/:catalogNumber/ephemeris',
    {
      schema: {
        summary: 'Ephemeris of one object (SGP4)',
        description: `SGP4 from the object's element set as of \`asOf\` (default: now) over [start, stop] every stepS seconds, in TEME, GCRF, ITRF or GEODETIC, as JSON or CCSDS OEM (KVN). At most ${MAX_SAMPLES} samples.`,
        tags: ['propagation'],
        params: ObjectParams,
        querystring: EphemerisQuery,
        response: {
          200: Type.Union([Ephemeris, Type.String({ description: 'CCSDS OEM (KVN) when format=oem' })]),
          ...ERROR_RESPONSES,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const frame = (q.frame ?? 'TEME') as SampleFrame;
      const format = q.format ?? 'json';
      const stepS = q.stepS ?? 60;
      if (format === 'oem' && frame === 'GEODETIC')
        throw new ApiError(
          400,
          'BAD_REQUEST',
          'an OEM needs a Cartesian frame, not GEODETIC',
          'querystring.frame',
        );
      const start = label(q.start, 'start');
      const stop = label(q.stop, 'stop');
      const spanMin = minutesSinceEpoch(start, stop.jd, stop.jdFrac);
      if (spanMin < 0)
        throw new ApiError(
          400,
          'BAD_REQUEST',
          `stop (${q.stop}) is before start (${q.start})`,
          'querystring.stop',
        );
      const stepMin = stepS / 60;
      const onGrid = Math.floor(spanMin / stepMin + 1e-9) + 1;
      if (onGrid > MAX_SAMPLES)
        throw new ApiError(
          400,
          'TOO_MANY_SAMPLES',
          `${onGrid} samples asked for; at most ${MAX_SAMPLES} per request: shorten the window or lengthen stepS`,
          'querystring.stepS',
        );
      const gridMin: number[] = [];
      for (let k = 0; k < onGrid; k++) gridMin.push((k * stepS) / 60);
      if (Math.abs(gridMin[gridMin.length - 1]! - spanMin) * 60 > 1e-6) gridMin.push(spanMin);

      const cn = canonicalCatalogNumber(request.params.catalogNumber);
      const status = await requireObject(storeFor(app, request), cn, q.asOf);
      const set = status.latest;
      if (set === null)
        throw new ApiError(
          404,
          'NO_ELEMENTS',
          `object ${cn} has no element set as of ${q.asOf ?? 'now'}`,
          'querystring.asOf',
        );
      const ctx = frame === 'TEME' ? undefined : app.astroContext();
      if (frame !== 'TEME' && ctx === undefined)
        throw new ApiError(
          503,
          'TABLES_MISSING',
          `${frame} needs leap seconds and EOP, which this server has not loaded`,
          'querystring.frame',
        );
      const converter = new SampleFrameConverter(frame, ctx);
      const satrec = sgp4Init(set.elements);
      const offset = minutesSinceEpoch(set.elements.epoch, start.jd, start.jdFrac);
      const teme = new Float64Array(6);
      const out = new Float64Array(6);
      const samples: {
        timeUtc: string;
        tsinceMin: number;
        position: number[] | null;
        velocity: number[] | null;
        status: number;
      }[] = [];
      for (const m of gridMin) {
        const l = utcLabelAfterEpoch(start, m);
        const tsinceMin = offset + m;
        const code = sgp4(satrec, tsinceMin, teme);
        if (code !== 0) {
          samples.push({ timeUtc: iso(l), tsinceMin, position: null, velocity: null, status: code });
          continue;
        }
        try {
          converter.convert(
            converter.prepare(l),
            teme[0]!,
            teme[1]!,
            teme[2]!,
            teme[3]!,
            teme[4]!,
            teme[5]!,
            out,
          );
        } catch (e) {
          if (e instanceof AstroError)
            throw new ApiError(400, 'DATA_RANGE', `${iso(l)}: [${e.code}] ${e.message}`, 'querystring.start');
          throw e;
        }
        samples.push({
          timeUtc: iso(l),
          tsinceMin,
          position: [out[0]!, out[1]!, out[2]!],
          velocity: [out[3]!, out[4]!, out[5]!],
          status: 0,
        });
      }
      const name = set.elements.name ?? status.object.name ?? null;
      if (format === 'json') {
        return {
          catalogNumber: cn,
          name,
          frame,
          elementSet: { id: set.id, epochUtc: set.epochUtc, source: set.source },
          samples,
        };
      }
      const states: OemState[] = samples
        .filter((s) => s.status === 0)
        .map((s) => ({
          epoch: s.timeUtc.replace(/Z$/, ''),
          r: s.position as unknown as [number, number, number],
          v: s.velocity as unknown as [number, number, number],
        }));
      if (states.length === 0)
        throw new ApiError(
          404,
          'NO_STATES',
          `SGP4 reports an error at every time of the window (first code ${samples[0]?.status})`,
          'querystring.start',
        );
      const failed = samples.length - states.length;
      const text = formatOemKvn({
        header: { creationDate: creationDateNow(), originator: 'HOSHIMI' },
        segments: [
          {
            meta: {
              objectName: name ?? cn,
              objectId: set.elements.intlDesignator ?? status.object.intlDesignator ?? cn,
              centerName: 'EARTH',
              refFrame: frame,
              timeSystem: 'UTC',
              startTime: states[0]!.epoch,
              stopTime: states[states.length - 1]!.epoch,
              comments: [
                `SGP4 ephemeris of catalog object ${cn}, element epoch ${set.epochUtc} (store element set ${set.id})`,
                ...(failed > 0
                  ? [`${failed} samples omitted: the propagator reported an error for them`]
                  : []),
              ],
            },
            states,
          },
        ],
      });
      reply.header('content-type', 'text/plain; charset=utf-8');
      return text;
    },
  );
}
