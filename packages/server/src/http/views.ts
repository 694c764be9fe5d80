/** JSON views of store records for the API (radians → degrees, rad/min → rev/day at this edge). */
import type { ObjectStatus, StoredElementSet } from '@hoshimi/store';
import type { ElementSetJson, ObjectSummary } from './schemas.js';

const DEG_PER_RAD = 180 / Math.PI;
/** rad/min → rev/day: 1440 min/day over 2π rad/rev. */
const REV_PER_DAY_PER_RAD_PER_MIN = 1440 / (2 * Math.PI);

export function elementSetJson(s: StoredElementSet): ElementSetJson {
  const e = s.elements;
  return {
    id: s.id,
    catalogNumber: s.catalogNumber,
    epochUtc: s.epochUtc,
    name: e.name ?? null,
    intlDesignator: e.intlDesignator ?? null,
    classification: e.classification,
    meanMotionRevPerDay: e.meanMotionRadPerMin * REV_PER_DAY_PER_RAD_PER_MIN,
    eccentricity: e.eccentricity,
    inclinationDeg: e.inclinationRad * DEG_PER_RAD,
    raanDeg: e.raanRad * DEG_PER_RAD,
    argPerigeeDeg: e.argPerigeeRad * DEG_PER_RAD,
    meanAnomalyDeg: e.meanAnomalyRad * DEG_PER_RAD,
    bstar: e.bstar,
    meanMotionDotRevPerDay2: e.meanMotionDotRevPerDay2,
    meanMotionDdotRevPerDay3: e.meanMotionDdotRevPerDay3,
    elementSetNumber: e.elementSetNumber,
    revolutionNumber: e.revolutionNumber,
    source: s.source,
    label: s.label,
    format: s.format,
    ingestId: s.ingestId,
    ingestedAt: s.ingestedAt,
  };
}

export function objectSummary(s: ObjectStatus): ObjectSummary {
  const o = s.object;
  return {
    catalogNumber: o.catalogNumber,
    name: o.name,
    intlDesignator: o.intlDesignator,
    objectType: o.objectType,
    ownerCode: o.ownerCode ?? null,
    launchDate: o.launchDate,
    decayDate: o.decayDate,
    decayed: s.decayed,
    stale: s.stale,
    latestEpochUtc: s.latest?.epochUtc ?? null,
    ageDays: s.ageDays,
  };
}

/** "00005" → "5". */
export function canonicalCatalogNumber(text: string): string {
  return String(Number(text));
}
