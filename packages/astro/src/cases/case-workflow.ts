/**
 * The case file of a consultation between partners on one event, and its workflow, as pure data
 * and pure functions (no I/O; the store keeps each result as a new immutable version).
 *
 * Workflow (domain.md §7.3, issue 13 item 5):
 *   draft ──share(partners)──▶ shared ──every partner concurs or dissents, with reasons──▶ closed
 * - draft: the owning organisation gathers evidence, indicators, hypotheses, notes, assessments;
 * - shared: with partner organisations (more may be added); owner and partners keep adding
 *   entries and assessments; each partner records its position (concur or dissent, with reasons;
 *   a later position of the same partner supersedes its earlier one, both stay in the versions);
 * - closed: by the owner, once every partner has a position; nothing changes after that.
 * Only parties (the owner and the partners) act on a case; only the owner shares and closes; only
 * partners concur or dissent. Sharing is refused when the case's marking is not releasable to a
 * partner's nation, and so is an entry that would make it so after sharing.
 *
 * The marking of a case is the most restrictive (astro `combineMarkings`) of its requested marking
 * and of every entry's and attachment's marking; the requested marking can only become more
 * restrictive.
 *
 * NO VERDICT. The model has no field that states that an attack took place, who is responsible,
 * or that a treaty article (e.g. Article V) applies. It records evidence, indicators against the
 * taxonomy, alternative hypotheses, each organisation's assessment in ICD 203 words with a
 * separate confidence, and the partners' concurrence or dissent with the case as documented.
 * Characterising an event as an attack is a political decision the partners make in consultation.
 */
import { AstroError } from '../errors.js';
import {
  type ClassificationScheme,
  checkNation,
  checkOrganisation,
  combineMarkings,
  type Marking,
  parseMarking,
} from '../marking/marking.js';
import { alternativeHypothesis, caseIndicator, counterspaceClass } from './case-taxonomy.js';
import { type ConfidenceLevel, isConfidenceLevel, likelihoodTerm } from './icd203.js';

export const CASE_STATES = ['draft', 'shared', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** What a case was opened from: a stored detection event, a stored conjunction, or nothing. */
export interface CaseSource {
  readonly kind: 'event' | 'conjunction' | 'manual';
  /** The event id, or `<screening id>-<n>` for a conjunction; null for a manual case. */
  readonly id: string | null;
  /** Event type (fragmentation, maneuver, …) or 'conjunction'. */
  readonly type: string;
}

/** Who acts: a user of an organisation. */
export interface CaseActor {
  readonly username: string;
  readonly organisation: string;
}

export interface CaseParty {
  readonly organisation: string;
  readonly nation: string;
}

interface Entry {
  /** Id of the entry within its case (1, 2, …). */
  readonly id: number;
  readonly by: string;
  readonly organisation: string;
  /** ISO UTC. */
  readonly at: string;
  readonly marking: Marking;
}

export interface CaseIndicatorEntry extends Entry {
  readonly classId: string;
  readonly indicatorId: string;
  readonly note: string;
  /** Attachment ids or names the indicator rests on. */
  readonly evidence: readonly string[];
}

export interface CaseHypothesisEntry extends Entry {
  readonly hypothesisId: string;
  /** The hypothesis' title (its label, or the analyst's title for `other`). */
  readonly title: string;
  readonly evidenceFor: string;
  readonly evidenceAgainst: string;
}

/** What an assessment is about: an alternative hypothesis entry, or a class of the taxonomy. */
export interface AssessmentSubject {
  readonly kind: 'hypothesis' | 'class';
  /** The hypothesis entry id (as text) or the class id. */
  readonly id: string;
}

/** One organisation's judgement in ICD 203 words, the confidence kept apart. */
export interface CaseAssessmentEntry extends Entry {
  readonly subject: AssessmentSubject;
  /** ICD 203 likelihood term id (icd203.ts). */
  readonly likelihood: string;
  readonly confidence: ConfidenceLevel;
  readonly reasons: string;
}

export interface CaseResponse {
  readonly organisation: string;
  readonly position: 'concur' | 'dissent';
  readonly reasons: string;
  readonly by: string;
  readonly at: string;
}

/** A note or an attachment as the case refers to it (its body is stored beside the version). */
export interface CaseItemRef {
  readonly id: number;
  readonly marking: Marking;
}

/** The content of one version of a case. */
export interface CaseContent {
  readonly title: string;
  readonly summary: string;
  readonly state: CaseState;
  readonly owner: CaseParty;
  readonly openedBy: string;
  readonly source: CaseSource;
  readonly partners: readonly CaseParty[];
  readonly responses: readonly CaseResponse[];
  readonly indicators: readonly CaseIndicatorEntry[];
  readonly hypotheses: readonly CaseHypothesisEntry[];
  readonly assessments: readonly CaseAssessmentEntry[];
  readonly notes: readonly CaseItemRef[];
  readonly attachments: readonly CaseItemRef[];
  /** The marking the owner asked for; the case's marking is never less restrictive. */
  readonly requestedMarking: Marking;
  readonly closure: { readonly by: string; readonly at: string; readonly note: string } | null;
  /** Next entry id. */
  readonly nextEntryId: number;
}

/** A change to a case (validated by checkCaseAction). */
export type CaseAction =
  | {
      readonly kind: 'indicator';
      readonly classId: string;
      readonly indicatorId: string;
      readonly note: string;
      readonly evidence: readonly string[];
      readonly marking?: Marking;
    }
  | {
      readonly kind: 'hypothesis';
      readonly hypothesisId: string;
      readonly title?: string;
      readonly evidenceFor: string;
      readonly evidenceAgainst: string;
      readonly marking?: Marking;
    }
  | {
      readonly kind: 'assessment';
      readonly subject: AssessmentSubject;
      readonly likelihood: string;
      readonly confidence: ConfidenceLevel;
      readonly reasons: string;
      readonly marking?: Marking;
    }
  | { readonly kind: 'note'; readonly note: CaseItemRef }
  | { readonly kind: 'attachments'; readonly attachments: readonly CaseItemRef[] }
  | { readonly kind: 'share'; readonly partners: readonly CaseParty[] }
  | { readonly kind: 'respond'; readonly position: 'concur' | 'dissent'; readonly reasons: string }
  | { readonly kind: 'mark'; readonly marking: Marking }
  | { readonly kind: 'close'; readonly note: string };

export const MAX_TITLE = 200;
export const MAX_TEXT = 20_000;

/** The content of version 1 of a new case (state draft). */
export function newCaseContent(input: {
  readonly title: string;
  readonly summary: string;
  readonly owner: CaseParty;
  readonly openedBy: string;
  readonly source: CaseSource;
  readonly requestedMarking: Marking;
}): CaseContent {
  text('title', input.title, MAX_TITLE);
  optionalText('summary', input.summary, MAX_TEXT);
  checkOrganisation(input.owner.organisation);
  checkNation(input.owner.nation);
  return {
    title: input.title.trim(),
    summary: input.summary.trim(),
    state: 'draft',
    owner: input.owner,
    openedBy: input.openedBy,
    source: input.source,
    partners: [],
    responses: [],
    indicators: [],
    hypotheses: [],
    assessments: [],
    notes: [],
    attachments: [],
    requestedMarking: input.requestedMarking,
    closure: null,
    nextEntryId: 1,
  };
}

/** The marking of a case: the most restrictive of its requested marking and every entry's. */
export function caseMarking(scheme: ClassificationScheme, c: CaseContent): Marking {
  const all: Marking[] = [c.requestedMarking];
  for (const list of [c.indicators, c.hypotheses, c.assessments, c.notes, c.attachments])
    for (const e of list) all.push(e.marking);
  return combineMarkings(scheme, all, c.owner.organisation);
}

const fail = (code: string, message: string, details: Record<string, unknown> = {}): never => {
  throw new AstroError(code, message, details);
};

function isParty(c: CaseContent, organisation: string): boolean {
  return c.owner.organisation === organisation || c.partners.some((p) => p.organisation === organisation);
}

function releasable(m: Marking, nation: string): boolean {
  return m.releasableTo === 'ALL' || m.releasableTo.includes(nation);
}

/** Refuses a case whose marking a partner's nation may not receive. */
function checkReleasable(scheme: ClassificationScheme, c: CaseContent): void {
  const m = caseMarking(scheme, c);
  for (const p of c.partners) {
    if (!releasable(m, p.nation)) {
      fail(
        'CASE_NOT_RELEASABLE',
        `the case would be marked ${m.classification}//REL TO ${m.releasableTo === 'ALL' ? 'ALL' : m.releasableTo.join(', ')}, not releasable to partner ${p.organisation} (${p.nation})`,
        { partner: p.organisation, nation: p.nation },
      );
    }
  }
}

/**
 * Applies one action by `actor` at `at` (ISO UTC) to the content of the latest version and returns
 * the content of the next version with a one-line description of the change. Throws AstroError
 * with a code: CASE_CLOSED, CASE_NOT_PARTY, CASE_NOT_OWNER, CASE_NOT_PARTNER, CASE_STATE,
 * CASE_RESPONSES_MISSING, CASE_NOT_RELEASABLE, CASE_BAD_INPUT.
 */
export function applyCaseAction(
  scheme: ClassificationScheme,
  c: CaseContent,
  action: CaseAction,
  actor: CaseActor,
  at: string,
): { readonly content: CaseContent; readonly change: string } {
  if (c.state === 'closed') fail('CASE_CLOSED', 'the case is closed; nothing changes after closing');
  if (!isParty(c, actor.organisation)) {
    fail(
      'CASE_NOT_PARTY',
      `organisation ${actor.organisation} is neither the owner nor a partner of the case`,
      {
        organisation: actor.organisation,
      },
    );
  }
  const owner = c.owner.organisation === actor.organisation;
  const entry = (m: Marking | undefined) => ({
    id: c.nextEntryId,
    by: actor.username,
    organisation: actor.organisation,
    at,
    marking: m ?? c.requestedMarking,
  });
  let next: CaseContent;
  let change: string;
  switch (action.kind) {
    case 'indicator': {
      next = {
        ...c,
        indicators: [
          ...c.indicators,
          {
            ...entry(action.marking),
            classId: action.classId,
            indicatorId: action.indicatorId,
            note: action.note,
            evidence: [...action.evidence],
          },
        ],
        nextEntryId: c.nextEntryId + 1,
      };
      change = `indicator ${action.classId}/${action.indicatorId} added`;
      break;
    }
    case 'hypothesis': {
      const h = alternativeHypothesis(action.hypothesisId);
      next = {
        ...c,
        hypotheses: [
          ...c.hypotheses,
          {
            ...entry(action.marking),
            hypothesisId: action.hypothesisId,
            title: action.title ?? h?.en ?? action.hypothesisId,
            evidenceFor: action.evidenceFor,
            evidenceAgainst: action.evidenceAgainst,
          },
        ],
        nextEntryId: c.nextEntryId + 1,
      };
      change = `hypothesis ${action.hypothesisId} added`;
      break;
    }
    case 'assessment': {
      if (
        action.subject.kind === 'hypothesis' &&
        !c.hypotheses.some((h) => String(h.id) === action.subject.id)
      ) {
        fail('CASE_BAD_INPUT', `the case has no hypothesis entry ${action.subject.id}`, {
          field: 'subject.id',
        });
      }
      next = {
        ...c,
        assessments: [
          ...c.assessments,
          {
            ...entry(action.marking),
            subject: action.subject,
            likelihood: action.likelihood,
            confidence: action.confidence,
            reasons: action.reasons,
          },
        ],
        nextEntryId: c.nextEntryId + 1,
      };
      change = `assessment by ${actor.organisation} of ${action.subject.kind} ${action.subject.id}`;
      break;
    }
    case 'note':
      next = { ...c, notes: [...c.notes, action.note] };
      change = `note ${action.note.id} added`;
      break;
    case 'attachments':
      next = { ...c, attachments: [...c.attachments, ...action.attachments] };
      change = `${action.attachments.length} attachment(s) added`;
      break;
    case 'mark': {
      const requested = combineMarkings(scheme, [c.requestedMarking, action.marking], c.owner.organisation);
      next = { ...c, requestedMarking: requested };
      change = 'marking made more restrictive';
      break;
    }
    case 'share': {
      if (!owner) fail('CASE_NOT_OWNER', 'only the owning organisation shares the case');
      const known = new Set([c.owner.organisation, ...c.partners.map((p) => p.organisation)]);
      const added = action.partners.filter((p) => !known.has(p.organisation));
      if (added.length === 0)
        fail('CASE_BAD_INPUT', 'share names no organisation that is not already a party', {
          field: 'partners',
        });
      next = { ...c, state: 'shared', partners: [...c.partners, ...added] };
      change = `shared with ${added.map((p) => p.organisation).join(', ')}`;
      break;
    }
    case 'respond': {
      if (c.state !== 'shared')
        fail('CASE_STATE', `a partner responds to a shared case; the case is ${c.state}`);
      if (owner || !c.partners.some((p) => p.organisation === actor.organisation))
        fail('CASE_NOT_PARTNER', 'only a partner organisation concurs or dissents');
      const response: CaseResponse = {
        organisation: actor.organisation,
        position: action.position,
        reasons: action.reasons,
        by: actor.username,
        at,
      };
      next = {
        ...c,
        responses: [...c.responses.filter((r) => r.organisation !== actor.organisation), response],
      };
      change = `${actor.organisation} ${action.position === 'concur' ? 'concurs' : 'dissents'}`;
      break;
    }
    case 'close': {
      if (!owner) fail('CASE_NOT_OWNER', 'only the owning organisation closes the case');
      if (c.state !== 'shared')
        fail('CASE_STATE', 'a case is closed after it was shared and every partner responded; it is a draft');
      const missing = c.partners
        .filter((p) => !c.responses.some((r) => r.organisation === p.organisation))
        .map((p) => p.organisation);
      if (missing.length > 0)
        fail('CASE_RESPONSES_MISSING', `waiting for the position of ${missing.join(', ')}`, { missing });
      next = { ...c, state: 'closed', closure: { by: actor.username, at, note: action.note } };
      change = 'closed';
      break;
    }
  }
  checkReleasable(scheme, next);
  return { content: next, change };
}

// ---------------------------------------------------------------------------------------------
// Validation of untrusted input (HTTP bodies, CLI flags): every field checked, one issue per field.

export interface CaseInputIssue {
  readonly field: string;
  readonly expected: string;
  readonly found: string;
}

export type CaseInputCheck<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly CaseInputIssue[] };

function text(field: string, v: unknown, max: number): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
    throw new AstroError('CASE_BAD_INPUT', `${field}: expected text of 1 to ${max} characters`, {
      field,
      expected: `text of 1 to ${max} characters`,
      found: show(v),
    });
  }
  return v.trim();
}

function optionalText(field: string, v: unknown, max: number): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string' || v.length > max) {
    throw new AstroError('CASE_BAD_INPUT', `${field}: expected text of up to ${max} characters`, {
      field,
      expected: `text of up to ${max} characters`,
      found: show(v),
    });
  }
  return v.trim();
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : typeof v;
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function record(v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new AstroError('CASE_BAD_INPUT', 'expected a JSON object', {
      field: '',
      expected: 'object',
      found: show(v),
    });
  }
  return v as Record<string, unknown>;
}

function only(o: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k))
      throw new AstroError('CASE_BAD_INPUT', `${k}: not a field of this action`, {
        field: k,
        expected: keys.join(', '),
        found: k,
      });
  }
}

/** A marking given as a banner (`SECRET//REL TO JPN, USA`) and an optional data mode. */
function markingOf(
  scheme: ClassificationScheme,
  o: Record<string, unknown>,
  originator: string,
): Marking | undefined {
  const banner = o['marking'];
  if (banner === undefined) return undefined;
  if (typeof banner !== 'string' || banner.length > 200)
    throw new AstroError('CASE_BAD_INPUT', 'marking: expected a banner such as SECRET//REL TO JPN, USA', {
      field: 'marking',
      expected: 'banner text',
      found: show(banner),
    });
  const mode = o['dataMode'];
  if (mode !== undefined && typeof mode !== 'string')
    throw new AstroError('CASE_BAD_INPUT', 'dataMode: expected REAL, TEST, SIMULATED or EXERCISE', {
      field: 'dataMode',
      expected: 'REAL, TEST, SIMULATED or EXERCISE',
      found: show(mode),
    });
  try {
    return parseMarking(scheme, banner, originator, mode ?? 'REAL');
  } catch (e) {
    throw new AstroError('CASE_BAD_INPUT', `marking: ${(e as Error).message}`, {
      field: 'marking',
      expected: 'banner such as SECRET//REL TO JPN, USA',
      found: show(banner),
    });
  }
}

const withMarking = <T extends object>(value: T, m: Marking | undefined): T =>
  m === undefined ? value : { ...value, marking: m };

/**
 * Checks an action as received (JSON): `{kind, ...fields}`; kinds indicator, hypothesis,
 * assessment, share, respond (position concur|dissent), mark, close. Notes and attachments are
 * checked by the store (their bodies live there). `originator` is the actor's organisation (the
 * originator of any marking given); partners are `{organisation, nation}`.
 */
export function checkCaseAction(
  scheme: ClassificationScheme,
  value: unknown,
  originator: string,
): CaseInputCheck<CaseAction> {
  try {
    return { ok: true, value: parseAction(scheme, value, originator) };
  } catch (e) {
    if (e instanceof AstroError) {
      const d = e.details as { field?: string; expected?: string; found?: string };
      return {
        ok: false,
        issues: [{ field: d.field ?? '', expected: d.expected ?? e.message, found: d.found ?? '' }],
      };
    }
    throw e;
  }
}

function parseAction(scheme: ClassificationScheme, value: unknown, originator: string): CaseAction {
  const o = record(value);
  const kind = o['kind'];
  switch (kind) {
    case 'indicator': {
      only(o, ['kind', 'classId', 'indicatorId', 'note', 'evidence', 'marking', 'dataMode']);
      const classId = text('classId', o['classId'], 64);
      if (counterspaceClass(classId) === undefined)
        throw new AstroError('CASE_BAD_INPUT', `classId: unknown class ${classId}`, {
          field: 'classId',
          expected: 'a class of COUNTERSPACE_CLASSES',
          found: show(classId),
        });
      const indicatorId = text('indicatorId', o['indicatorId'], 64);
      if (caseIndicator(classId, indicatorId) === undefined)
        throw new AstroError('CASE_BAD_INPUT', `indicatorId: ${classId} has no indicator ${indicatorId}`, {
          field: 'indicatorId',
          expected: `an indicator of ${classId}`,
          found: show(indicatorId),
        });
      const ev = o['evidence'] ?? [];
      if (!Array.isArray(ev) || ev.length > 100 || !ev.every((x) => typeof x === 'string' && x.length <= 200))
        throw new AstroError('CASE_BAD_INPUT', 'evidence: expected up to 100 references (text)', {
          field: 'evidence',
          expected: 'array of text',
          found: show(ev),
        });
      return withMarking(
        {
          kind,
          classId,
          indicatorId,
          note: optionalText('note', o['note'], MAX_TEXT),
          evidence: ev as string[],
        },
        markingOf(scheme, o, originator),
      );
    }
    case 'hypothesis': {
      only(o, ['kind', 'hypothesisId', 'title', 'evidenceFor', 'evidenceAgainst', 'marking', 'dataMode']);
      const hypothesisId = text('hypothesisId', o['hypothesisId'], 64);
      if (alternativeHypothesis(hypothesisId) === undefined)
        throw new AstroError('CASE_BAD_INPUT', `hypothesisId: unknown hypothesis ${hypothesisId}`, {
          field: 'hypothesisId',
          expected: 'a hypothesis of ALTERNATIVE_HYPOTHESES',
          found: show(hypothesisId),
        });
      const title =
        hypothesisId === 'other'
          ? text('title', o['title'], MAX_TITLE)
          : o['title'] === undefined
            ? undefined
            : text('title', o['title'], MAX_TITLE);
      const base = {
        kind,
        hypothesisId,
        evidenceFor: optionalText('evidenceFor', o['evidenceFor'], MAX_TEXT),
        evidenceAgainst: optionalText('evidenceAgainst', o['evidenceAgainst'], MAX_TEXT),
      } as const;
      return withMarking(title === undefined ? base : { ...base, title }, markingOf(scheme, o, originator));
    }
    case 'assessment': {
      only(o, ['kind', 'subject', 'likelihood', 'confidence', 'reasons', 'marking', 'dataMode']);
      const s = record(o['subject']);
      const sk = s['kind'];
      if (sk !== 'hypothesis' && sk !== 'class')
        throw new AstroError('CASE_BAD_INPUT', 'subject.kind: expected hypothesis or class', {
          field: 'subject.kind',
          expected: 'hypothesis or class',
          found: show(sk),
        });
      const sid = typeof s['id'] === 'number' ? String(s['id']) : text('subject.id', s['id'], 64);
      if (sk === 'class' && counterspaceClass(sid) === undefined)
        throw new AstroError('CASE_BAD_INPUT', `subject.id: unknown class ${sid}`, {
          field: 'subject.id',
          expected: 'a class of COUNTERSPACE_CLASSES',
          found: show(sid),
        });
      const lt = likelihoodTerm(text('likelihood', o['likelihood'], 64));
      if (lt === undefined)
        throw new AstroError('CASE_BAD_INPUT', 'likelihood: expected an ICD 203 term', {
          field: 'likelihood',
          expected: 'an ICD 203 term (almost no chance … almost certain)',
          found: show(o['likelihood']),
        });
      const conf = o['confidence'];
      if (typeof conf !== 'string' || !isConfidenceLevel(conf))
        throw new AstroError('CASE_BAD_INPUT', 'confidence: expected low, moderate or high', {
          field: 'confidence',
          expected: 'low, moderate or high',
          found: show(conf),
        });
      return withMarking(
        {
          kind,
          subject: { kind: sk, id: sid },
          likelihood: lt.id,
          confidence: conf,
          reasons: text('reasons', o['reasons'], MAX_TEXT),
        },
        markingOf(scheme, o, originator),
      );
    }
    case 'share': {
      only(o, ['kind', 'partners']);
      const list = o['partners'];
      if (!Array.isArray(list) || list.length === 0 || list.length > 32)
        throw new AstroError('CASE_BAD_INPUT', 'partners: expected 1 to 32 {organisation, nation}', {
          field: 'partners',
          expected: '1 to 32 {organisation, nation}',
          found: show(list),
        });
      const partners = list.map((p, k) => {
        const r = record(p);
        try {
          return {
            organisation: checkOrganisation(String(r['organisation'])),
            nation: checkNation(String(r['nation'])),
          };
        } catch (e) {
          throw new AstroError('CASE_BAD_INPUT', `partners.${k}: ${(e as Error).message}`, {
            field: `partners.${k}`,
            expected: '{organisation: upper-case code, nation: trigraph}',
            found: show(JSON.stringify(p)),
          });
        }
      });
      return { kind, partners };
    }
    case 'respond': {
      only(o, ['kind', 'position', 'reasons']);
      const position = o['position'];
      if (position !== 'concur' && position !== 'dissent')
        throw new AstroError('CASE_BAD_INPUT', 'position: expected concur or dissent', {
          field: 'position',
          expected: 'concur or dissent',
          found: show(position),
        });
      return { kind, position, reasons: text('reasons', o['reasons'], MAX_TEXT) };
    }
    case 'mark': {
      only(o, ['kind', 'marking', 'dataMode']);
      const m = markingOf(scheme, o, originator);
      if (m === undefined)
        throw new AstroError('CASE_BAD_INPUT', 'marking: required', {
          field: 'marking',
          expected: 'banner',
          found: 'nothing',
        });
      return { kind, marking: m };
    }
    case 'close': {
      only(o, ['kind', 'note']);
      return { kind, note: text('note', o['note'], MAX_TEXT) };
    }
    default:
      throw new AstroError('CASE_BAD_INPUT', 'kind: unknown action', {
        field: 'kind',
        expected: 'indicator, hypothesis, assessment, share, respond, mark or close',
        found: show(kind),
      });
  }
}

/** Checks note text and its marking as received. */
export function checkCaseNote(
  scheme: ClassificationScheme,
  value: unknown,
  originator: string,
): CaseInputCheck<{ readonly text: string; readonly marking?: Marking }> {
  try {
    const o = record(value);
    only(o, ['text', 'marking', 'dataMode']);
    return {
      ok: true,
      value: withMarking({ text: text('text', o['text'], MAX_TEXT) }, markingOf(scheme, o, originator)),
    };
  } catch (e) {
    if (!(e instanceof AstroError)) throw e;
    const d = e.details as { field?: string; expected?: string; found?: string };
    return {
      ok: false,
      issues: [{ field: d.field ?? '', expected: d.expected ?? e.message, found: d.found ?? '' }],
    };
  }
}
