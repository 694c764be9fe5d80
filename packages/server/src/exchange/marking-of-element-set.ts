/**
 * THE marking of a stored element set, for the node exchange: the one place that knows where a
 * set's marking is kept. Today it is read from the free-text label of the set's import (a banner
 * line such as `SECRET//REL TO JPN, USA`, astro's parseMarking), the originator from the
 * provenance of a set received from a partner, else the given default (this node's organisation),
 * and the data mode from that provenance (REAL otherwise). A label that does not parse, and the
 * import default 'UNMARKED', mean "no marking": such a set is never released. When the store keeps
 * the marking in columns of its own, this function reads them instead; nothing else changes.
 */
import { type ClassificationScheme, type Marking, parseMarking } from '@hoshimi/astro';

/** What a stored element set's marking is read from (an ExchangeCandidate satisfies it). */
export interface MarkedElementSet {
  readonly label: string;
  readonly source: string;
  readonly received: { readonly originator: string; readonly dataMode: string } | null;
}

/** The set's marking, or null when it has none that parses (never releasable). */
export function markingOfElementSet(
  set: MarkedElementSet,
  scheme: ClassificationScheme,
  defaultOriginator: string,
): Marking | null {
  const label = set.label.trim();
  if (label === '' || label.toUpperCase() === 'UNMARKED') return null;
  try {
    return parseMarking(
      scheme,
      label,
      set.received?.originator ?? defaultOriginator,
      set.received?.dataMode ?? 'REAL',
    );
  } catch {
    return null;
  }
}
