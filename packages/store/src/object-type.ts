/**
 * Object types when no SATCAT record is known, read from the object's name as Space-Track and
 * CelesTrak write names:
 * - a name that ends in " DEB" or contains " DEB " (e.g. "COSMOS 1408 DEB", "FENGYUN 1C DEB") → DEBRIS;
 * - a name that contains " R/B" (e.g. "SL-16 R/B", "CZ-4C R/B(2)") → ROCKET BODY;
 * - anything else (including payload names, which carry no marker) → UNKNOWN.
 * Matching is on the upper-cased, trimmed name. A SATCAT upsert (`upsertObjects`) overrides this
 * rule for the object, and later imports no longer change its type.
 */
import type { ObjectType } from './catalog-store.js';

/** Object type implied by a name (see the module header for the rule). */
export function objectTypeFromName(name: string | null | undefined): ObjectType {
  if (name === null || name === undefined) return 'UNKNOWN';
  const n = ` ${name.trim().toUpperCase()} `;
  if (n.includes(' DEB ')) return 'DEBRIS';
  if (n.includes(' R/B')) return 'ROCKET BODY';
  return 'UNKNOWN';
}
