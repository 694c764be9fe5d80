/**
 * Case-file model: the taxonomy and ICD 203 data as domain.md §7 gives them, the workflow
 * draft → shared → concur/dissent → closed with every allowed and refused transition, marking
 * of a case as the most restrictive of its entries, validation of untrusted input, and the absence
 * of any verdict field.
 */
import { describe, expect, it } from 'vitest';
import {
  ALTERNATIVE_HYPOTHESES,
  AstroError,
  applyCaseAction,
  type CaseAction,
  type CaseContent,
  COUNTERSPACE_CLASSES,
  caseMarking,
  checkCaseAction,
  DEFAULT_SCHEME,
  ICD203_LIKELIHOODS,
  likelihoodTerm,
  type Marking,
  newCaseContent,
  parseMarking,
} from '../src/index.js';

const S = DEFAULT_SCHEME;
const USSF = { username: 'ana', organisation: 'USSF' };
const JAXA = { username: 'ken', organisation: 'JAXA' };
const OTHER = { username: 'eve', organisation: 'OTHER' };
const AT = '2026-12-07T00:00:00Z';
const OPEN: Marking = {
  classification: 'UNCLASSIFIED',
  releasableTo: 'ALL',
  originator: 'USSF',
  dataMode: 'REAL',
};

function fresh(): CaseContent {
  return newCaseContent({
    title: 'Fragmentation of 49863',
    summary: 'test',
    owner: { organisation: 'USSF', nation: 'USA' },
    openedBy: 'ana',
    source: { kind: 'event', id: '1', type: 'fragmentation' },
    requestedMarking: OPEN,
  });
}

function act(c: CaseContent, a: unknown, actor = USSF): CaseContent {
  const chk = checkCaseAction(S, a, actor.organisation);
  if (!chk.ok) throw new Error(JSON.stringify(chk.issues));
  return applyCaseAction(S, c, chk.value, actor, AT).content;
}

function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AstroError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('case vocabulary (domain.md §7)', () => {
  it('has the seven classes, each with indicators and Japanese labels, and the five standard hypotheses', () => {
    expect(COUNTERSPACE_CLASSES.map((c) => c.id)).toEqual([
      'da-asat',
      'da-test-nondestructive',
      'co-orbital',
      'space-to-ground',
      'electronic-warfare',
      'directed-energy',
      'cyber',
    ]);
    for (const c of COUNTERSPACE_CLASSES) {
      expect(c.indicators.length).toBeGreaterThan(0);
      expect(c.ja).not.toBe('');
    }
    for (const id of [
      'natural-fragmentation',
      'debris-or-meteoroid-impact',
      'space-weather',
      'tle-or-cross-tag-artefact',
      'cooperative-activity',
    ])
      expect(ALTERNATIVE_HYPOTHESES.some((h) => h.id === id)).toBe(true);
  });

  it('ICD 203 ranges are ordered and contiguous (1 % to 99 %), terms found by word or synonym', () => {
    expect(ICD203_LIKELIHOODS[0]?.min).toBe(0.01);
    expect(ICD203_LIKELIHOODS[ICD203_LIKELIHOODS.length - 1]?.max).toBe(0.99);
    for (let k = 1; k < ICD203_LIKELIHOODS.length; k++)
      expect(ICD203_LIKELIHOODS[k]?.min).toBe(ICD203_LIKELIHOODS[k - 1]?.max);
    expect(likelihoodTerm('Roughly even chance')?.id).toBe('roughly-even-chance');
    expect(likelihoodTerm('highly probable')?.id).toBe('very-likely');
    expect(likelihoodTerm('certain')).toBeUndefined();
  });

  it('carries no verdict: no content field names an attack finding or a treaty article', () => {
    let c = fresh();
    c = act(c, { kind: 'share', partners: [{ organisation: 'JAXA', nation: 'JPN' }] });
    c = act(c, { kind: 'respond', position: 'concur', reasons: 'consistent with evidence' }, JAXA);
    c = act(c, { kind: 'close', note: 'done' });
    const keys = JSON.stringify(c).match(/"[A-Za-z_]+":/g) ?? [];
    for (const k of keys) expect(k.toLowerCase()).not.toMatch(/verdict|article|attack|attribution|guilty/);
  });
});

describe('case workflow', () => {
  it('draft → shared → each partner responds → closed', () => {
    let c = fresh();
    expect(c.state).toBe('draft');
    c = act(c, {
      kind: 'indicator',
      classId: 'da-asat',
      indicatorId: 'fragment-cluster',
      note: 'cluster of 5',
    });
    c = act(c, { kind: 'hypothesis', hypothesisId: 'natural-fragmentation', evidenceFor: 'old stage' });
    c = act(c, {
      kind: 'assessment',
      subject: { kind: 'hypothesis', id: String(c.hypotheses[0]?.id) },
      likelihood: 'unlikely',
      confidence: 'moderate',
      reasons: 'no prior breakups of this type',
    });
    c = act(c, {
      kind: 'share',
      partners: [
        { organisation: 'JAXA', nation: 'JPN' },
        { organisation: 'JSDF', nation: 'JPN' },
      ],
    });
    expect(c.state).toBe('shared');
    c = act(
      c,
      {
        kind: 'assessment',
        subject: { kind: 'class', id: 'da-asat' },
        likelihood: 'likely',
        confidence: 'low',
        reasons: 'r',
      },
      JAXA,
    );
    c = act(c, { kind: 'respond', position: 'concur', reasons: 'agree' }, JAXA);
    // Not every partner has responded yet.
    expect(refused(() => act(c, { kind: 'close', note: 'x' }))).toBe('CASE_RESPONSES_MISSING');
    c = act(
      c,
      { kind: 'respond', position: 'dissent', reasons: 'TLE artefact more likely' },
      { username: 'yu', organisation: 'JSDF' },
    );
    c = act(c, { kind: 'close', note: 'consultation complete' });
    expect(c.state).toBe('closed');
    expect(c.responses.map((r) => `${r.organisation}:${r.position}`)).toEqual([
      'JAXA:concur',
      'JSDF:dissent',
    ]);
    expect(c.assessments.map((a) => a.organisation)).toEqual(['USSF', 'JAXA']);
  });

  it('refuses what the workflow does not allow', () => {
    const draft = fresh();
    // Responding to or closing a draft.
    expect(refused(() => act(draft, { kind: 'close', note: 'x' }))).toBe('CASE_STATE');
    expect(refused(() => act(draft, { kind: 'respond', position: 'concur', reasons: 'x' }))).toBe(
      'CASE_STATE',
    );
    // A non-party acts.
    expect(
      refused(() => applyCaseAction(S, draft, { kind: 'note', note: { id: 1, marking: OPEN } }, OTHER, AT)),
    ).toBe('CASE_NOT_PARTY');
    const shared = act(draft, { kind: 'share', partners: [{ organisation: 'JAXA', nation: 'JPN' }] });
    // A partner shares or closes; the owner responds.
    expect(
      refused(() => act(shared, { kind: 'share', partners: [{ organisation: 'X', nation: 'GBR' }] }, JAXA)),
    ).toBe('CASE_NOT_OWNER');
    expect(refused(() => act(shared, { kind: 'close', note: 'x' }, JAXA))).toBe('CASE_NOT_OWNER');
    expect(refused(() => act(shared, { kind: 'respond', position: 'concur', reasons: 'x' }))).toBe(
      'CASE_NOT_PARTNER',
    );
    // Sharing again with the same partner only.
    expect(
      refused(() => act(shared, { kind: 'share', partners: [{ organisation: 'JAXA', nation: 'JPN' }] })),
    ).toBe('CASE_BAD_INPUT');
    // After closing nothing changes.
    const closed = act(act(shared, { kind: 'respond', position: 'concur', reasons: 'ok' }, JAXA), {
      kind: 'close',
      note: 'done',
    });
    for (const a of [
      { kind: 'indicator', classId: 'cyber', indicatorId: 'ground-segment-compromise' },
      { kind: 'respond', position: 'dissent', reasons: 'late' },
      { kind: 'close', note: 'again' },
    ])
      expect(refused(() => act(closed, a, a.kind === 'respond' ? JAXA : USSF))).toBe('CASE_CLOSED');
  });

  it('refuses to share a case its partner may not receive, and entries that would withhold it afterwards', () => {
    const usOnly = act(fresh(), { kind: 'mark', marking: 'SECRET//REL TO USA' });
    expect(
      refused(() => act(usOnly, { kind: 'share', partners: [{ organisation: 'JAXA', nation: 'JPN' }] })),
    ).toBe('CASE_NOT_RELEASABLE');
    const shared = act(fresh(), { kind: 'share', partners: [{ organisation: 'JAXA', nation: 'JPN' }] });
    expect(
      refused(() =>
        act(shared, {
          kind: 'hypothesis',
          hypothesisId: 'space-weather',
          marking: 'CONFIDENTIAL//REL TO USA',
        }),
      ),
    ).toBe('CASE_NOT_RELEASABLE');
    const ok = act(shared, {
      kind: 'hypothesis',
      hypothesisId: 'space-weather',
      marking: 'CONFIDENTIAL//REL TO JPN, USA',
    });
    expect(ok.hypotheses).toHaveLength(1);
  });
});

describe('case marking', () => {
  it('is the most restrictive of the requested marking and every entry, and is never loosened', () => {
    let c = fresh();
    expect(caseMarking(S, c)).toMatchObject({ classification: 'UNCLASSIFIED', releasableTo: 'ALL' });
    c = act(c, {
      kind: 'indicator',
      classId: 'co-orbital',
      indicatorId: 'persistent-proximity',
      marking: 'CONFIDENTIAL//REL TO JPN, USA',
    });
    c = act(c, {
      kind: 'hypothesis',
      hypothesisId: 'cooperative-activity',
      marking: 'RESTRICTED//REL TO USA, JPN, GBR',
      dataMode: 'EXERCISE',
    });
    const m = caseMarking(S, c);
    expect(m.classification).toBe('CONFIDENTIAL');
    expect(m.releasableTo).toEqual(['JPN', 'USA']);
    expect(m.dataMode).toBe('EXERCISE');
    // Asking for a looser marking changes nothing.
    c = act(c, { kind: 'mark', marking: 'UNCLASSIFIED' });
    expect(caseMarking(S, c).classification).toBe('CONFIDENTIAL');
    c = act(c, { kind: 'mark', marking: 'SECRET//REL TO USA, JPN' });
    expect(caseMarking(S, c)).toMatchObject({ classification: 'SECRET', releasableTo: ['JPN', 'USA'] });
    expect(parseMarking(S, 'SECRET//REL TO JPN, USA', 'USSF').releasableTo).toEqual(['JPN', 'USA']);
  });
});

describe('case input validation', () => {
  const bad = (v: unknown) => {
    const r = checkCaseAction(S, v, 'USSF');
    return r.ok ? 'ok' : r.issues[0]?.field;
  };
  it('names the field of each bad input', () => {
    expect(bad(null)).toBe('');
    expect(bad({ kind: 'verdict' })).toBe('kind');
    expect(bad({ kind: 'indicator', classId: 'laser', indicatorId: 'x' })).toBe('classId');
    expect(bad({ kind: 'indicator', classId: 'cyber', indicatorId: 'fragment-cluster' })).toBe('indicatorId');
    expect(
      bad({ kind: 'indicator', classId: 'cyber', indicatorId: 'ground-segment-compromise', extra: 1 }),
    ).toBe('extra');
    expect(bad({ kind: 'hypothesis', hypothesisId: 'other' })).toBe('title');
    expect(
      bad({
        kind: 'assessment',
        subject: { kind: 'class', id: 'cyber' },
        likelihood: 'probably',
        confidence: 'high',
        reasons: 'r',
      }),
    ).toBe('likelihood');
    expect(
      bad({
        kind: 'assessment',
        subject: { kind: 'class', id: 'cyber' },
        likelihood: 'likely',
        confidence: 'certain',
        reasons: 'r',
      }),
    ).toBe('confidence');
    expect(
      bad({
        kind: 'assessment',
        subject: { kind: 'class', id: 'cyber' },
        likelihood: 'likely',
        confidence: 'high',
        reasons: '',
      }),
    ).toBe('reasons');
    expect(bad({ kind: 'share', partners: [{ organisation: 'jaxa', nation: 'JPN' }] })).toBe('partners.0');
    expect(bad({ kind: 'respond', position: 'abstain', reasons: 'x' })).toBe('position');
    expect(bad({ kind: 'respond', position: 'dissent' })).toBe('reasons');
    expect(bad({ kind: 'mark', marking: 'TOP SECRET' })).toBe('marking');
    expect(bad({ kind: 'close', note: 'x'.repeat(20_001) })).toBe('note');
    expect(bad({ kind: 'close', note: 'ok' })).toBe('ok');
  });

  it('a refused action leaves the content it was given unchanged', () => {
    const c = fresh();
    const before = JSON.stringify(c);
    const a: CaseAction = { kind: 'close', note: 'x' };
    expect(refused(() => applyCaseAction(S, c, a, USSF, AT))).toBe('CASE_STATE');
    expect(JSON.stringify(c)).toBe(before);
  });
});
