/**
 * The checks every received bundle item shares, whatever it carries (OMM, CDM, case): the payload
 * matches its SHA-256, and the stated marking reads against this node's scheme and is releasable to
 * this node's nation. Each failure is an ApiError with the exchange's codes; nothing is stored.
 */
import { canReleaseTo, formatMarking, type Marking, parseMarking } from '@hoshimi/astro';
import { ApiError } from '../errors.js';
import { sha256Hex } from './bundle.js';
import type { NodeIdentity } from './node-identity.js';

function refuse(status: number, code: string, message: string): never {
  throw new ApiError(status, code, message);
}

/** The item's payload text, refused unless it matches `payloadSha256` (EXCHANGE_ITEM_HASH). */
export function checkedPayload(payload: string, item: Record<string, unknown>, i: number): string {
  if (sha256Hex(payload) !== item['payloadSha256'])
    refuse(422, 'EXCHANGE_ITEM_HASH', `item ${i}: the payload does not match its SHA-256`);
  return payload;
}

/**
 * The item's marking read against this node's scheme, refused (EXCHANGE_NOT_RELEASABLE) when it
 * does not read or is not releasable to this node's nation.
 */
export function receivedMarking(
  identity: NodeIdentity,
  stated: { readonly banner: string; readonly originator: string; readonly dataMode: string },
  i: number,
): Marking {
  let marking: Marking;
  try {
    marking = parseMarking(identity.scheme, stated.banner, stated.originator, stated.dataMode);
  } catch (e) {
    refuse(422, 'EXCHANGE_NOT_RELEASABLE', `item ${i}: marking: ${(e as Error).message}`);
  }
  const top = identity.scheme.levels[identity.scheme.levels.length - 1] ?? '';
  if (!canReleaseTo(identity.scheme, marking, { nation: identity.nation, maxClassification: top }))
    refuse(
      422,
      'EXCHANGE_NOT_RELEASABLE',
      `item ${i}: ${formatMarking(marking)} is not releasable to ${identity.nation}: refused, nothing stored`,
    );
  return marking;
}
