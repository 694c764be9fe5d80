/**
 * Case files for consultation (astro cases/, store case-store.ts): list, open from a stored event
 * or conjunction (evidence attaches itself), read any version, add indicators, hypotheses, notes and
 * assessments, share with partner organisations, concur or dissent, close; export as a signed
 * bundle and as a self-contained printable HTML report (English and Japanese labels).
 *
 * Who: the actor is `request.principal` (set by authentication); without one the routes answer
 * 401. Roles: a viewer reads; an analyst, operator or admin opens and edits cases, assesses,
 * shares, responds and closes (the organisation rules — only the owner shares and closes, only a
 * partner concurs or dissents — are astro's workflow). Everything read passes the reader's marking
 * filter; a case the reader may not see answers 404, the same as a case that does not exist.
 *
 * The system gathers evidence; it never issues a verdict: no route writes or returns a field that
 * states that an attack took place or that a treaty article applies.
 */
import type { KeyObject } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CASE_STATES,
  type CaseAction,
  type CaseActor,
  type CaseInputIssue,
  checkCaseAction,
  checkCaseNote,
  DEFAULT_SCHEME,
  formatMarking as formatBanner,
  parseMarking,
  type Reader,
} from '@hoshimi/astro';
import { StoreError } from '@hoshimi/store';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal, Role } from '../auth/principal.js';
import { caseReportHtml } from '../cases/case-report.js';
import {
  CaseServiceError,
  caseJson,
  exportCase,
  openCaseFromConjunction,
  openCaseFromEvent,
} from '../cases/case-service.js';
import { CASE_SIGNING_KEY_ENV, resolveCaseSigningKey } from '../cases/case-signing.js';
import { ApiError } from '../errors.js';
import { ERROR_RESPONSES } from '../http/schemas.js';

export interface CaseRouteOptions {
  /** Ed25519 private key that signs case exports, whatever else is set (cases/case-signing.ts). */
  readonly signingKey?: KeyObject;
  /**
   * The node's exchange identity key (exchange/node-identity.ts): signs case exports unless
   * `$HOSHIMI_CASE_SIGNING_KEY` names another; without either, a key made for this process.
   */
  readonly nodeKey?: KeyObject;
}

/** Roles that edit cases (a viewer only reads). */
const EDITORS: readonly Role[] = ['analyst', 'operator', 'admin'];

const CaseId = Type.Object({ id: Type.Integer({ minimum: 1 }) });
/** Changes to cases need an analyst (or above) with a write-scoped token (auth/policy.ts). */
const EDIT_AUTH = { auth: { role: 'analyst', scope: 'write' } } as const;
const AnyBody = Type.Object({}, { additionalProperties: true });
const VersionAnswer = Type.Object({ id: Type.Integer(), version: Type.Integer() });
const AUTH_RESPONSES = {
  ...ERROR_RESPONSES,
  401: ERROR_RESPONSES[400],
  403: ERROR_RESPONSES[400],
  409: ERROR_RESPONSES[400],
};

function principalOf(request: FastifyRequest): Principal {
  const p = (request as { principal?: Principal | null }).principal ?? null;
  if (p === null)
    throw new ApiError(401, 'UNAUTHENTICATED', 'case files need an authenticated user or token');
  return p;
}

function requireRole(p: Principal, roles: readonly Role[], what: string): void {
  if (!p.roles.some((r) => roles.includes(r)))
    throw new ApiError(403, 'FORBIDDEN', `${what} needs one of the roles ${roles.join(', ')}`);
}

const actorOf = (p: Principal): CaseActor => ({ username: p.username, organisation: p.reader.organisation });

function badInput(issues: readonly CaseInputIssue[]): never {
  const i = issues[0];
  throw new ApiError(
    400,
    'BAD_REQUEST',
    i === undefined ? 'invalid case input' : `${i.field || 'body'}: expected ${i.expected}, found ${i.found}`,
    i?.field === undefined || i.field === '' ? 'body' : `body.${i.field}`,
  );
}

/** Store and service refusals as API errors. */
function apiErrorOf(e: unknown): unknown {
  if (e instanceof CaseServiceError) return new ApiError(e.status, e.code, e.message);
  if (e instanceof StoreError) {
    if (e.code === 'STORE_NOT_FOUND') return new ApiError(404, 'NOT_FOUND', e.message);
    if (e.code === 'STORE_CASE_REFUSED') {
      const code = String(e.details['code'] ?? 'CASE_REFUSED');
      const status =
        code === 'CASE_BAD_INPUT'
          ? 400
          : code === 'CASE_NOT_PARTY' || code === 'CASE_NOT_OWNER' || code === 'CASE_NOT_PARTNER'
            ? 403
            : 409;
      return new ApiError(status, code, e.message);
    }
    if (e.code === 'STORE_BAD_CASE') return new ApiError(400, 'BAD_REQUEST', e.message);
  }
  return e;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw apiErrorOf(e);
  }
}

export async function caseRoutes(base: FastifyInstance, options: CaseRouteOptions = {}): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const signing = resolveCaseSigningKey({
    signingKey: options.signingKey,
    env: process.env[CASE_SIGNING_KEY_ENV],
    nodeKey: options.nodeKey,
  });
  const key = signing.privateKey;
  const signingKeyAnswer = {
    publicKey: signing.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: signing.keyId,
    source: signing.source,
    ephemeral: signing.source === 'ephemeral',
  };
  const cases = () => app.store.cases();

  app.get(
    '/cases',
    {
      schema: {
        summary: 'Case files the caller may read',
        tags: ['cases'],
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(CASE_STATES.map((s) => Type.Literal(s)))),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown({ description: 'see the case JSON' }), ...AUTH_RESPONSES },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const list = await cases().listCases(p.reader, {
        ...(request.query.state === undefined ? {} : { state: request.query.state }),
        limit: request.query.limit ?? 200,
      });
      return { items: list.map((c) => ({ ...c, marking: formatBanner(c.marking) })) };
    },
  );

  app.get(
    '/cases/signing-key',
    {
      schema: {
        summary: 'Public key that verifies this server’s case exports, and where it comes from',
        description:
          'source: node (the node’s exchange identity key, the one partners already trust), environment ($HOSHIMI_CASE_SIGNING_KEY), configured, or ephemeral (made at start-up: exports signed with it cannot be verified after a restart).',
        tags: ['cases'],
        response: {
          200: Type.Object({
            publicKey: Type.String({ description: 'SPKI PEM' }),
            keyId: Type.String({ description: 'SHA-256 of the SPKI key, as bundles carry it' }),
            source: Type.Union([
              Type.Literal('node'),
              Type.Literal('environment'),
              Type.Literal('configured'),
              Type.Literal('ephemeral'),
            ]),
            ephemeral: Type.Boolean({ description: 'true: a key made at start-up for this process only' }),
          }),
          ...AUTH_RESPONSES,
        },
      },
    },
    async (request) => {
      principalOf(request);
      return signingKeyAnswer;
    },
  );

  app.post(
    '/cases',
    {
      config: EDIT_AUTH,
      schema: {
        summary: 'Open a case from a stored event or conjunction',
        description:
          'Body: eventId (integer) or conjunctionId (<screening id>-<n>), optional title, marking (banner) and dataMode. The evidence attaches itself: the record with detector, version, score and threshold; element-history summaries with sources and data ages; related events; the charts.',
        tags: ['cases'],
        body: Type.Object(
          {
            eventId: Type.Optional(Type.Integer({ minimum: 1 })),
            conjunctionId: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}-[0-9]{1,9}$' })),
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            marking: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            dataMode: Type.Optional(Type.String({ maxLength: 16 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: VersionAnswer, ...AUTH_RESPONSES },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      requireRole(p, EDITORS, 'opening a case');
      const b = request.body;
      if ((b.eventId === undefined) === (b.conjunctionId === undefined))
        throw new ApiError(400, 'BAD_REQUEST', 'give exactly one of eventId and conjunctionId', 'body');
      let marking: ReturnType<typeof parseMarking> | undefined;
      if (b.marking !== undefined) {
        try {
          marking = parseMarking(DEFAULT_SCHEME, b.marking, p.reader.organisation, b.dataMode ?? 'REAL');
        } catch (e) {
          throw new ApiError(400, 'BAD_REQUEST', `marking: ${(e as Error).message}`, 'body.marking');
        }
      }
      const o = {
        actor: actorOf(p),
        owner: { organisation: p.reader.organisation, nation: p.reader.nation },
        reader: p.reader,
        ...(marking === undefined ? {} : { marking }),
        ...(b.title === undefined ? {} : { title: b.title }),
      };
      const id = await guarded(() =>
        b.eventId !== undefined
          ? openCaseFromEvent(app.store, b.eventId, o)
          : openCaseFromConjunction(app.store, b.conjunctionId as string, o),
      );
      reply.status(201);
      return { id, version: 1 };
    },
  );

  app.get(
    '/cases/:id',
    {
      schema: {
        summary: 'One case at its latest version, or at ?version=n',
        tags: ['cases'],
        params: CaseId,
        querystring: Type.Object(
          { version: Type.Optional(Type.Integer({ minimum: 1 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown({ description: 'see the case JSON' }), ...AUTH_RESPONSES },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const c = await cases().getCase(p.reader, request.params.id, request.query.version);
      if (c === null) throw new ApiError(404, 'NOT_FOUND', `no case ${request.params.id}`, 'params.id');
      return caseJson(c);
    },
  );

  app.get(
    '/cases/:id/history',
    {
      schema: {
        summary: 'Every version of a case: who changed what, when',
        tags: ['cases'],
        params: CaseId,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                version: Type.Integer(),
                createdAt: Type.String(),
                actor: Type.String(),
                change: Type.String(),
              }),
            ),
          }),
          ...AUTH_RESPONSES,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const h = await cases().caseHistory(p.reader, request.params.id);
      if (h.length === 0) throw new ApiError(404, 'NOT_FOUND', `no case ${request.params.id}`, 'params.id');
      return { items: [...h] };
    },
  );

  app.get(
    '/cases/:id/attachments/:attachmentId',
    {
      schema: {
        summary: 'One attachment of a case, with its media type and SHA-256 (ETag)',
        tags: ['cases'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), attachmentId: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.String({ description: 'the attachment, in its media type' }),
          ...AUTH_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const a = await cases().caseAttachment(p.reader, request.params.id, request.params.attachmentId);
      if (a === null) throw new ApiError(404, 'NOT_FOUND', 'no such attachment', 'params.attachmentId');
      reply.type(a.mediaType).header('etag', `"${a.sha256}"`).header('x-marking', formatBanner(a.marking));
      // Bytes as stored (Fastify sends a Buffer unserialised; the schema types the body as text).
      return reply.send(Buffer.from(a.content) as unknown as string);
    },
  );

  /** A POST that turns its body into one workflow action. */
  function actionRoute(
    path: string,
    summary: string,
    toAction: (body: Record<string, unknown>) => Record<string, unknown>,
  ): void {
    app.post(
      `/cases/:id/${path}`,
      {
        config: EDIT_AUTH,
        schema: {
          summary,
          tags: ['cases'],
          params: CaseId,
          body: AnyBody,
          response: { 200: VersionAnswer, ...AUTH_RESPONSES },
        },
      },
      async (request) => {
        const p = principalOf(request);
        requireRole(p, EDITORS, summary.toLowerCase());
        const check = checkCaseAction(
          DEFAULT_SCHEME,
          toAction(request.body as Record<string, unknown>),
          p.reader.organisation,
        );
        if (!check.ok) badInput(check.issues);
        const version = await guarded(() =>
          cases().applyCaseAction(request.params.id, check.value as CaseAction, actorOf(p), p.reader),
        );
        return { id: request.params.id, version };
      },
    );
  }

  actionRoute('indicators', 'Add an indicator from the taxonomy', (b) => ({ ...b, kind: 'indicator' }));
  actionRoute('hypotheses', 'Add an alternative hypothesis', (b) => ({ ...b, kind: 'hypothesis' }));
  actionRoute(
    'assessments',
    "Add the caller organisation's assessment (ICD 203 likelihood, confidence, reasons)",
    (b) => ({
      ...b,
      kind: 'assessment',
    }),
  );
  actionRoute('share', 'Share the case with partner organisations', (b) => ({ ...b, kind: 'share' }));
  actionRoute('concur', 'Record the partner organisation’s concurrence, with reasons', (b) => ({
    ...b,
    kind: 'respond',
    position: 'concur',
  }));
  actionRoute('dissent', 'Record the partner organisation’s dissent, with reasons', (b) => ({
    ...b,
    kind: 'respond',
    position: 'dissent',
  }));
  actionRoute('close', 'Close the case (owner; every partner has responded)', (b) => ({
    ...b,
    kind: 'close',
  }));
  actionRoute('marking', 'Make the case marking more restrictive', (b) => ({ ...b, kind: 'mark' }));

  app.post(
    '/cases/:id/notes',
    {
      config: EDIT_AUTH,
      schema: {
        summary: 'Add a note (text, optional marking banner and dataMode)',
        tags: ['cases'],
        params: CaseId,
        body: AnyBody,
        response: { 200: VersionAnswer, ...AUTH_RESPONSES },
      },
    },
    async (request) => {
      const p = principalOf(request);
      requireRole(p, EDITORS, 'adding a note');
      const check = checkCaseNote(DEFAULT_SCHEME, request.body, p.reader.organisation);
      if (!check.ok) badInput(check.issues);
      const version = await guarded(() =>
        cases().addCaseNote(request.params.id, check.value, actorOf(p), p.reader),
      );
      return { id: request.params.id, version };
    },
  );

  app.get(
    '/cases/:id/export',
    {
      schema: {
        summary: 'The case as a signed bundle (Ed25519 over canonical JSON; key at /cases/signing-key)',
        tags: ['cases', 'exports'],
        params: CaseId,
        querystring: Type.Object(
          { version: Type.Optional(Type.Integer({ minimum: 1 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Unknown({
            description:
              'signed bundle: format, keyId, kind hoshimi-case/1, case, history, attachments, signature',
          }),
          ...AUTH_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const b = await exportCase(
        app.store,
        p.reader,
        request.params.id,
        key,
        p.username,
        request.query.version,
      );
      if (b === null) throw new ApiError(404, 'NOT_FOUND', `no case ${request.params.id}`, 'params.id');
      reply.header('content-disposition', `attachment; filename="case-${request.params.id}.json"`);
      return b;
    },
  );

  app.get(
    '/cases/:id/report',
    {
      schema: {
        summary: 'The case as a self-contained printable HTML report (English and Japanese labels)',
        tags: ['cases', 'exports'],
        params: CaseId,
        querystring: Type.Object(
          {
            lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('ja')], { default: 'en' })),
            version: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.String({ description: 'self-contained HTML' }), ...AUTH_RESPONSES },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const html = await caseReportHtml(
        app.store,
        p.reader as Reader,
        request.params.id,
        request.query.lang ?? 'en',
        request.query.version,
      );
      if (html === null) throw new ApiError(404, 'NOT_FOUND', `no case ${request.params.id}`, 'params.id');
      reply.type('text/html; charset=utf-8');
      return html;
    },
  );
}
