/**
 * Security markings on every record Hoshimi keeps or derives: a classification level from a
 * configurable ordered list, a releasability list of nations (ISO 3166-1 alpha-3 trigraphs, as in
 * the banner line `SECRET//REL TO USA, JPN`), the originating organisation, and a data mode as
 * CCSDS messages carry it (REAL, TEST, SIMULATED, EXERCISE; cf. the OCM/OMM `DATA_MODE` and the
 * "dataMode" of the Unified Data Library).
 *
 * Rules (one place for every reader, the store and the node exchange call these):
 * - a reader sees a record when the reader's clearance is at least the record's level, and the
 *   record is releasable to the reader's nation (or to ALL), or the reader belongs to the
 *   originating organisation;
 * - a product derived from several records takes the most restrictive marking of its inputs: the
 *   highest level, the intersection of the releasability lists (ALL is the identity), and the least
 *   real data mode (REAL < TEST < SIMULATED < EXERCISE: anything built on exercise data is exercise
 *   data). The deriving organisation becomes the originator.
 */
import { AstroError } from '../errors.js';

/** Data modes, from real to least real; a derived product takes the last of its inputs'. */
export const DATA_MODES = ['REAL', 'TEST', 'SIMULATED', 'EXERCISE'] as const;
export type DataMode = (typeof DATA_MODES)[number];

/** The default ordered list of classification levels, lowest first (a deployment may set its own). */
export const DEFAULT_CLASSIFICATION_LEVELS = [
  'UNCLASSIFIED',
  'RESTRICTED',
  'CONFIDENTIAL',
  'SECRET',
] as const;

/** Releasable to every nation (public release), or to the listed nations only. */
export type ReleaseList = 'ALL' | readonly string[];

export interface Marking {
  /** One of the scheme's levels. */
  readonly classification: string;
  /** Sorted, unique nation trigraphs, or ALL. An empty list: the originating organisation only. */
  readonly releasableTo: ReleaseList;
  /** Code of the originating organisation (e.g. 'JSPOC', 'JAXA'). */
  readonly originator: string;
  readonly dataMode: DataMode;
}

/** Who reads: an organisation of a nation, with a clearance (a level of the scheme). */
export interface Reader {
  readonly organisation: string;
  readonly nation: string;
  readonly clearance: string;
}

/** An ordered list of classification levels, lowest first. */
export interface ClassificationScheme {
  readonly levels: readonly string[];
}

const LEVEL = /^[A-Z][A-Z0-9 -]{0,31}$/;
const NATION = /^[A-Z]{3}$/;
const ORGANISATION = /^[A-Z0-9][A-Z0-9_.-]{0,31}$/;

/** Checks and builds a scheme: at least one level, each upper-case text up to 32 characters, unique. */
export function classificationScheme(levels: readonly string[]): ClassificationScheme {
  if (levels.length === 0)
    throw new AstroError('MARKING_SCHEME', 'a classification scheme needs at least one level');
  const seen = new Set<string>();
  for (const l of levels) {
    if (!LEVEL.test(l) || l.includes('//')) {
      throw new AstroError(
        'MARKING_SCHEME',
        `classification level ${JSON.stringify(l)} is not upper-case letters, digits, spaces or hyphens (1–32)`,
        { level: l },
      );
    }
    if (seen.has(l))
      throw new AstroError('MARKING_SCHEME', `classification level ${l} is listed twice`, { level: l });
    seen.add(l);
  }
  return { levels: [...levels] };
}

export const DEFAULT_SCHEME: ClassificationScheme = classificationScheme(DEFAULT_CLASSIFICATION_LEVELS);

/** Rank of a level in the scheme (0 = lowest); refuses a level the scheme does not list. */
export function levelRank(scheme: ClassificationScheme, level: string): number {
  const k = scheme.levels.indexOf(level);
  if (k < 0) {
    throw new AstroError(
      'MARKING_LEVEL',
      `classification ${JSON.stringify(level)} is not one of ${scheme.levels.join(', ')}`,
      { level, levels: scheme.levels },
    );
  }
  return k;
}

/** Checks a nation trigraph (ISO 3166-1 alpha-3, upper case). */
export function checkNation(nation: string): string {
  if (!NATION.test(nation)) {
    throw new AstroError(
      'MARKING_NATION',
      `nation ${JSON.stringify(nation)} is not an ISO 3166 trigraph such as USA or JPN`,
      {
        nation,
      },
    );
  }
  return nation;
}

/** Checks an organisation code (upper case, digits, `_ . -`, up to 32 characters). */
export function checkOrganisation(code: string): string {
  if (!ORGANISATION.test(code)) {
    throw new AstroError(
      'MARKING_ORGANISATION',
      `organisation ${JSON.stringify(code)} is not an upper-case code of up to 32 letters, digits, _ . -`,
      { organisation: code },
    );
  }
  return code;
}

/** Whether a text is one of the data modes. */
export function isDataMode(text: string): text is DataMode {
  return (DATA_MODES as readonly string[]).includes(text);
}

/** Builds a checked marking (level in the scheme, trigraphs sorted and unique, codes checked). */
export function marking(
  scheme: ClassificationScheme,
  fields: {
    readonly classification: string;
    readonly releasableTo: ReleaseList;
    readonly originator: string;
    readonly dataMode?: string;
  },
): Marking {
  levelRank(scheme, fields.classification);
  const mode = fields.dataMode ?? 'REAL';
  if (!isDataMode(mode)) {
    throw new AstroError(
      'MARKING_DATA_MODE',
      `data mode ${JSON.stringify(mode)} is not one of ${DATA_MODES.join(', ')}`,
      {
        dataMode: mode,
      },
    );
  }
  return {
    classification: fields.classification,
    releasableTo: fields.releasableTo === 'ALL' ? 'ALL' : normaliseNations(fields.releasableTo),
    originator: checkOrganisation(fields.originator),
    dataMode: mode,
  };
}

function normaliseNations(list: readonly string[]): string[] {
  return [...new Set(list.map(checkNation))].sort();
}

/**
 * Reads a banner line: `LEVEL` (releasable to all), `LEVEL//REL TO USA, JPN` or
 * `LEVEL//REL TO ALL`; spaces around separators are optional. The originator and the data mode are
 * not part of the banner and are given beside it.
 */
export function parseMarking(
  scheme: ClassificationScheme,
  banner: string,
  originator: string,
  dataMode = 'REAL',
): Marking {
  const text = banner.trim().toUpperCase();
  const [level = '', ...controls] = text.split('//').map((s) => s.trim());
  if (controls.length > 1) {
    throw new AstroError(
      'MARKING_FORMAT',
      `marking ${JSON.stringify(banner)}: expected LEVEL or LEVEL//REL TO A, B with one //`,
      { marking: banner },
    );
  }
  let release: ReleaseList = 'ALL';
  const control = controls[0];
  if (control !== undefined) {
    const m = /^REL TO (.+)$/.exec(control);
    if (m === null) {
      throw new AstroError('MARKING_FORMAT', `marking ${JSON.stringify(banner)}: expected REL TO after //`, {
        marking: banner,
      });
    }
    const nations = m[1]!.split(',').map((s) => s.trim());
    release = nations.length === 1 && nations[0] === 'ALL' ? 'ALL' : nations;
  }
  return marking(scheme, { classification: level, releasableTo: release, originator, dataMode });
}

/** The banner line of a marking: `LEVEL` when releasable to all, else `LEVEL//REL TO A, B`. */
export function formatMarking(m: Marking): string {
  if (m.releasableTo === 'ALL') return m.classification;
  return `${m.classification}//REL TO ${m.releasableTo.join(', ')}`;
}

/** Whether the reader may see a record of this marking (see the module comment). */
export function canRead(scheme: ClassificationScheme, reader: Reader, m: Marking): boolean {
  if (levelRank(scheme, m.classification) > levelRank(scheme, reader.clearance)) return false;
  if (m.originator === reader.organisation) return true;
  return m.releasableTo === 'ALL' || m.releasableTo.includes(reader.nation);
}

/**
 * Whether a node may send a record of this marking to a partner nation accredited up to
 * `maxClassification`: releasable to that nation (or ALL) and not above its accreditation.
 */
export function canReleaseTo(
  scheme: ClassificationScheme,
  m: Marking,
  partner: { readonly nation: string; readonly maxClassification: string },
): boolean {
  if (levelRank(scheme, m.classification) > levelRank(scheme, partner.maxClassification)) return false;
  return m.releasableTo === 'ALL' || m.releasableTo.includes(partner.nation);
}

/**
 * The marking of a product derived from `inputs` by `originator`: the most restrictive of the inputs
 * (highest level, intersection of releasability, least real data mode). Refuses an empty input list:
 * a product of nothing has no marking to inherit.
 */
export function combineMarkings(
  scheme: ClassificationScheme,
  inputs: readonly Marking[],
  originator: string,
): Marking {
  if (inputs.length === 0) {
    throw new AstroError('MARKING_NO_INPUTS', 'a derived marking needs at least one input marking');
  }
  let rank = 0;
  let release: readonly string[] | undefined; // undefined: ALL so far
  let mode = 0;
  for (const m of inputs) {
    rank = Math.max(rank, levelRank(scheme, m.classification));
    mode = Math.max(mode, DATA_MODES.indexOf(m.dataMode));
    const list = m.releasableTo;
    if (list !== 'ALL') release = release === undefined ? [...list] : release.filter((n) => list.includes(n));
  }
  return {
    classification: scheme.levels[rank]!,
    releasableTo: release ?? 'ALL',
    originator: checkOrganisation(originator),
    dataMode: DATA_MODES[mode]!,
  };
}
