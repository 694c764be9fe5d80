/**
 * Cases another node shared with this node's organisations (exchange/case-items.ts brings them,
 * exchange/case-replicas.ts reads and answers them): list the replicas the caller may read, read one
 * (the owner node's signature and every attachment's SHA-256 verified on each read), and record the
 * caller's organisation's response — an ICD 203 assessment and concur or dissent with reasons —
 * which the next sync carries to the owner node. A replica is read-only: nothing else changes it.
 * A replica the reader may not see answers 404, the same as one that does not exist.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { formatMarking } from '@hoshimi/astro';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import { openReplica, respondOnReplica } from '../exchange/case-replicas.js';
import { ERROR_RESPONSES } from '../http/schemas.js';

const EDIT_AUTH = { auth: { role: 'analyst', scope: 'write' } } as const;
const AUTH_RESPONSES = {
  ...ERROR_RESPONSES,
  401: ERROR_RESPONSES[400],
  403: ERROR_RESPONSES[400],
  409: ERROR_RESPONSES[400],
};
const ReplicaParams = Type.Object({
  partner: Type.String({ pattern: '^[A-Z0-9][A-Z0-9_-]{0,31}$' }),
  id: Type.Integer({ minimum: 1 }),
});

function principalOf(request: FastifyRequest): Principal {
  const p = (request as { principal?: Principal | null }).principal ?? null;
  if (p === null)
    throw new ApiError(401, 'UNAUTHENTICATED', 'case files need an authenticated user or token');
  return p;
}

export async function caseReplicaRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const partnerOf = async (name: string) => {
    const p = await app.store.exchange.getPartner(name);
    if (p === null) throw new ApiError(404, 'NOT_FOUND', `no case of ${name} on this node`, 'params.partner');
    return p;
  };

  app.get(
    '/case-replicas',
    {
      schema: {
        summary: 'Cases partner nodes shared with this node that the caller may read (latest versions)',
        tags: ['cases'],
        response: { 200: Type.Unknown({ description: '{ items: [...] }' }), ...AUTH_RESPONSES },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const list = await app.store.caseExchange().replicas(p.reader);
      return {
        items: list.map(({ bundle: _b, ...r }) => ({ ...r, marking: formatMarking(r.marking) })),
      };
    },
  );

  app.get(
    '/case-replicas/:partner/:id',
    {
      schema: {
        summary: "One partner node's case as received, its signature and attachment hashes verified",
        tags: ['cases'],
        params: ReplicaParams,
        response: {
          200: Type.Unknown({ description: 'the case JSON and its attachments' }),
          ...AUTH_RESPONSES,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const partner = await partnerOf(request.params.partner);
      const o = await openReplica(app.store, partner, p.reader, request.params.id);
      const attachments = (o.export['attachments'] as { contentBase64?: string }[]).map(
        ({ contentBase64: _c, ...a }) => a,
      );
      return {
        owner: partner.name,
        version: o.replica.version,
        receivedAt: o.replica.receivedAt,
        verified: true,
        exportedAt: o.export['exportedAt'],
        case: o.case,
        attachments,
      };
    },
  );

  app.post(
    '/case-replicas/:partner/:id/response',
    {
      config: EDIT_AUTH,
      schema: {
        summary: "Record the caller's organisation's assessment and concur or dissent on a partner's case",
        description:
          'Body: position (concur | dissent), reasons, and optionally assessment {subject {kind, id}, likelihood (ICD 203 term id), confidence, reasons}. Checked by the case workflow; sent to the owner node with the next sync.',
        tags: ['cases'],
        params: ReplicaParams,
        body: Type.Object(
          {
            position: Type.Union([Type.Literal('concur'), Type.Literal('dissent')]),
            reasons: Type.String({ minLength: 1, maxLength: 20_000 }),
            assessment: Type.Optional(Type.Object({}, { additionalProperties: true })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ responseId: Type.Integer() }), ...AUTH_RESPONSES },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if (!p.roles.some((r) => r === 'analyst' || r === 'operator' || r === 'admin'))
        throw new ApiError(
          403,
          'FORBIDDEN',
          'responding to a case needs one of the roles analyst, operator, admin',
        );
      const partner = await partnerOf(request.params.partner);
      const b = request.body;
      const responseId = await respondOnReplica(
        app.store,
        { scheme: app.classificationScheme },
        partner,
        p.reader,
        { username: p.username, organisation: p.reader.organisation },
        request.params.id,
        {
          position: b.position,
          reasons: b.reasons,
          ...(b.assessment === undefined ? {} : { assessment: b.assessment }),
        },
      );
      reply.status(201);
      return { responseId };
    },
  );
}
