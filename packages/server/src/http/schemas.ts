/**
 * TypeBox schemas shared by the API routes: the formats every input is checked against at the edge
 * (catalog numbers, ISO-8601 UTC times, paging), the error body, and the element-set and object
 * shapes the catalog routes answer with. Units follow the field names (km, deg, rev/day, days).
 */
import {
  type Static,
  type TInteger,
  type TNumber,
  type TSchema,
  type TString,
  type TUnsafe,
  Type,
} from '@sinclair/typebox';

/**
 * `T | null` as a JSON Schema type list (`type: ['string', 'null']`, valid in OpenAPI 3.1) rather
 * than `anyOf`: the response serializer writes a type list directly, while `anyOf` costs it a
 * validation per value.
 */
export function Nullable<T extends TString | TNumber | TInteger>(schema: T): TUnsafe<T['static'] | null> {
  return Type.Unsafe<T['static'] | null>({ ...schema, type: [schema.type, 'null'] });
}

/** A NORAD catalog number: 1 to 9 decimal digits (leading zeros allowed, "00005" is 5). */
export const CatalogNumber = Type.String({
  pattern: '^[0-9]{1,9}$',
  description: 'NORAD catalog number, 1 to 9 decimal digits',
  examples: ['25544'],
});

/**
 * Free text from a client (a search, a name, a label): 1 to `max` characters, no control characters
 * (a NUL would end the pattern early in SQLite's LIKE and match everything).
 */
export function PlainText(max: number, description: string) {
  return Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]+$', description });
}

/** An ISO-8601 UTC time with `Z` (seconds required, any decimals). */
export const IsoTime = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$',
  description: 'ISO-8601 UTC time with Z, e.g. 2023-10-09T12:00:00Z',
  examples: ['2023-10-09T12:00:00Z'],
});

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'stable error code, e.g. BAD_REQUEST, NOT_FOUND' }),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'the offending input, e.g. querystring.limit' })),
  },
  { $id: 'ErrorBody', title: 'Error' },
);

/** The error responses every route may give (400 bad input, 404 missing resource). */
export const ERROR_RESPONSES = {
  400: ErrorBody,
  404: ErrorBody,
} as const;

/** Paging parameters of every list: `limit` and an opaque `cursor` (or a plain `offset`). */
export function pagingQuery(maxLimit: number, defaultLimit: number) {
  return {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: maxLimit, default: defaultLimit, description: 'items per page' }),
    ),
    cursor: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,64}$',
        description: 'opaque cursor from the previous page (`page.next`)',
      }),
    ),
    offset: Type.Optional(Type.Integer({ minimum: 0, description: 'items to skip (instead of a cursor)' })),
  };
}

export const PageInfo = Type.Object({
  limit: Type.Integer(),
  offset: Type.Integer(),
  total: Type.Integer({ description: 'items matching the query' }),
  next: Nullable(Type.String({ description: 'cursor of the next page, null at the end' })),
});

/** `{ items, page }`: one page of a list. */
export function Page<T extends TSchema>(item: T, title: string) {
  return Type.Object({ items: Type.Array(item), page: PageInfo }, { title });
}

/** One element set as the API shows it: SGP4 mean elements in the units of an OMM. */
export const ElementSetJson = Type.Object(
  {
    id: Type.Integer({ description: 'store id of the element set' }),
    catalogNumber: Type.String(),
    epochUtc: Type.String({ description: 'epoch, ISO UTC with microseconds' }),
    name: Nullable(Type.String()),
    intlDesignator: Nullable(Type.String()),
    classification: Type.String(),
    meanMotionRevPerDay: Type.Number(),
    eccentricity: Type.Number(),
    inclinationDeg: Type.Number(),
    raanDeg: Type.Number(),
    argPerigeeDeg: Type.Number(),
    meanAnomalyDeg: Type.Number(),
    bstar: Type.Number({ description: 'B*, 1/earth radii' }),
    meanMotionDotRevPerDay2: Type.Number(),
    meanMotionDdotRevPerDay3: Type.Number(),
    elementSetNumber: Type.Integer(),
    revolutionNumber: Type.Integer(),
    source: Type.String(),
    label: Type.String({ description: 'releasability label' }),
    format: Type.String({ description: 'format it was read from' }),
    ingestId: Type.Integer(),
    ingestedAt: Type.String(),
  },
  { title: 'ElementSet' },
);
export type ElementSetJson = Static<typeof ElementSetJson>;

export const ObjectSummary = Type.Object(
  {
    catalogNumber: Type.String(),
    name: Nullable(Type.String()),
    intlDesignator: Nullable(Type.String()),
    objectType: Type.String(),
    ownerCode: Nullable(Type.String()),
    launchDate: Nullable(Type.String()),
    decayDate: Nullable(Type.String()),
    decayed: Type.Boolean(),
    stale: Type.Boolean(),
    latestEpochUtc: Nullable(
      Type.String({
        description: 'epoch of the latest element set as of the query time',
      }),
    ),
    ageDays: Nullable(Type.Number({ description: 'its age at the query time, days' })),
  },
  { title: 'ObjectSummary' },
);
export type ObjectSummary = Static<typeof ObjectSummary>;

export const OBJECT_TYPE_VALUES = ['PAYLOAD', 'ROCKET BODY', 'DEBRIS', 'UNKNOWN'] as const;
export const ObjectTypeParam = Type.Union(
  OBJECT_TYPE_VALUES.map((t) => Type.Literal(t)),
  { description: 'SATCAT object type' },
);
