/**
 * Markings: banner lines read and written, who may read what, what may be released to a partner,
 * and the most restrictive marking of a derived product.
 */
import { describe, expect, it } from 'vitest';
import { AstroError } from '../src/errors.js';
import {
  canRead,
  canReleaseTo,
  classificationScheme,
  combineMarkings,
  DEFAULT_SCHEME,
  formatMarking,
  type Marking,
  marking,
  parseMarking,
} from '../src/marking/marking.js';

const S = DEFAULT_SCHEME;
const usOnly = parseMarking(S, 'CONFIDENTIAL//REL TO USA', 'USSF');
const bilateral = parseMarking(S, 'SECRET//REL TO USA, JPN', 'USSF');
const open = parseMarking(S, 'UNCLASSIFIED', 'JAXA');
const jpReader = { organisation: 'JASDF', nation: 'JPN', clearance: 'SECRET' };
const usReader = { organisation: 'NASA', nation: 'USA', clearance: 'CONFIDENTIAL' };

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof AstroError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('banner lines', () => {
  it('reads and writes LEVEL and LEVEL//REL TO lists, sorting and de-duplicating nations', () => {
    expect(parseMarking(S, 'secret // rel to JPN,USA, JPN', 'USSF')).toEqual({
      classification: 'SECRET',
      releasableTo: ['JPN', 'USA'],
      originator: 'USSF',
      dataMode: 'REAL',
    });
    expect(formatMarking(bilateral)).toBe('SECRET//REL TO JPN, USA');
    expect(formatMarking(open)).toBe('UNCLASSIFIED');
    expect(parseMarking(S, 'UNCLASSIFIED//REL TO ALL', 'JAXA').releasableTo).toBe('ALL');
    for (const m of [usOnly, bilateral, open]) {
      expect(parseMarking(S, formatMarking(m), m.originator, m.dataMode)).toEqual(m);
    }
  });

  it('refuses unknown levels, malformed nations, controls and data modes with a code', () => {
    expect(codeOf(() => parseMarking(S, 'TOP SECRET', 'USSF'))).toBe('MARKING_LEVEL');
    expect(codeOf(() => parseMarking(S, 'SECRET//REL TO US', 'USSF'))).toBe('MARKING_NATION');
    expect(codeOf(() => parseMarking(S, 'SECRET//NOFORN', 'USSF'))).toBe('MARKING_FORMAT');
    expect(codeOf(() => parseMarking(S, 'SECRET//REL TO USA//X', 'USSF'))).toBe('MARKING_FORMAT');
    expect(codeOf(() => parseMarking(S, 'SECRET', 'USSF', 'LIVE'))).toBe('MARKING_DATA_MODE');
    expect(codeOf(() => parseMarking(S, 'SECRET', 'us sf'))).toBe('MARKING_ORGANISATION');
    expect(codeOf(() => classificationScheme([]))).toBe('MARKING_SCHEME');
    expect(codeOf(() => classificationScheme(['A', 'A']))).toBe('MARKING_SCHEME');
  });
});

describe('reading and release', () => {
  it('needs the clearance and the nation on the list, or the originating organisation', () => {
    expect(canRead(S, jpReader, bilateral)).toBe(true);
    expect(canRead(S, jpReader, usOnly)).toBe(false);
    expect(canRead(S, usReader, usOnly)).toBe(true);
    // Cleared below the record's level: refused whatever the list.
    expect(canRead(S, usReader, bilateral)).toBe(false);
    expect(canRead(S, { ...jpReader, clearance: 'UNCLASSIFIED' }, open)).toBe(true);
    // The originator reads its own record released to no nation, within its clearance.
    const own = marking(S, { classification: 'RESTRICTED', releasableTo: [], originator: 'JASDF' });
    expect(canRead(S, jpReader, own)).toBe(true);
    expect(canRead(S, { ...jpReader, organisation: 'JAXA' }, own)).toBe(false);
  });

  it('releases to a partner only what its nation is on and its accreditation covers', () => {
    const jpn = { nation: 'JPN', maxClassification: 'SECRET' };
    expect(canReleaseTo(S, bilateral, jpn)).toBe(true);
    expect(canReleaseTo(S, usOnly, jpn)).toBe(false);
    expect(canReleaseTo(S, open, jpn)).toBe(true);
    expect(canReleaseTo(S, bilateral, { ...jpn, maxClassification: 'CONFIDENTIAL' })).toBe(false);
  });
});

describe('derived products', () => {
  it('take the highest level, the intersection of the lists and the least real mode', () => {
    // A conjunction between a USA-only set and a public one is USA-only.
    expect(combineMarkings(S, [usOnly, open], 'USSF')).toEqual({
      classification: 'CONFIDENTIAL',
      releasableTo: ['USA'],
      originator: 'USSF',
      dataMode: 'REAL',
    });
    const exercise: Marking = { ...open, dataMode: 'EXERCISE' };
    const both = combineMarkings(S, [bilateral, exercise, { ...usOnly, dataMode: 'TEST' }], 'USSF');
    expect(both).toMatchObject({ classification: 'SECRET', releasableTo: ['USA'], dataMode: 'EXERCISE' });
    expect(combineMarkings(S, [open, open], 'JAXA').releasableTo).toBe('ALL');
    const jpOnly = parseMarking(S, 'RESTRICTED//REL TO JPN', 'JAXA');
    expect(combineMarkings(S, [jpOnly, usOnly], 'JAXA').releasableTo).toEqual([]);
    expect(codeOf(() => combineMarkings(S, [], 'JAXA'))).toBe('MARKING_NO_INPUTS');
  });

  it('follows a deployment-defined scheme', () => {
    const scheme = classificationScheme(['OPEN', 'PARTNER', 'NATIONAL']);
    const a = parseMarking(scheme, 'PARTNER//REL TO USA, JPN', 'JAXA');
    const b = parseMarking(scheme, 'NATIONAL//REL TO JPN', 'JAXA');
    expect(combineMarkings(scheme, [a, b], 'JAXA')).toMatchObject({
      classification: 'NATIONAL',
      releasableTo: ['JPN'],
    });
    expect(codeOf(() => parseMarking(scheme, 'SECRET', 'JAXA'))).toBe('MARKING_LEVEL');
  });
});
