/**
 * THE marking of a stored element set, for the node exchange: the one place that decides under
 * which marking a set may leave this node. The marking is the store's (the v9 marking columns, set
 * at import with `--marking`, or received with the set from a partner); the import's label must
 * state the same marking as a banner line. A set whose import stated no marking (the label is the
 * import default 'UNMARKED'), or whose label is not a banner of this node's scheme, or says another
 * classification or releasability than the columns, is never released, although the store gives it
 * a default marking for reads inside this node: what leaves a node must have been marked by
 * someone, consistently, never by a default.
 */
import { type ClassificationScheme, type Marking, parseMarking } from '@hoshimi/astro';

/** What a stored element set's marking is read from (an ExchangeCandidate satisfies it). */
export interface MarkedElementSet {
  readonly label: string;
  readonly marking: Marking;
}

/** The set's marking, or null when its import did not state it as a banner that agrees (never releasable). */
export function markingOfElementSet(set: MarkedElementSet, scheme: ClassificationScheme): Marking | null {
  const label = set.label.trim();
  if (label === '' || label.toUpperCase() === 'UNMARKED') return null;
  let stated: Marking;
  try {
    stated = parseMarking(scheme, label, set.marking.originator, set.marking.dataMode);
  } catch {
    return null;
  }
  const m = set.marking;
  const sameRelease =
    stated.releasableTo === 'ALL' || m.releasableTo === 'ALL'
      ? stated.releasableTo === m.releasableTo
      : stated.releasableTo.join(',') === m.releasableTo.join(',');
  return stated.classification === m.classification && sameRelease ? m : null;
}
