/**
 * The admin API (role admin, token scope admin; policy.ts): organisations, users and API tokens.
 * A token's secret is in the answer to its creation only; the store keeps its SHA-256. Password
 * hashes never leave the store. Inputs are checked by auth/identity-service.ts, the same rules as
 * the `hoshimi org|user|token` commands.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  addOrganisation,
  addUser,
  changeUser,
  issueToken,
  MAX_PASSWORD_LENGTH,
  MAX_TOKEN_DAYS,
  MIN_PASSWORD_LENGTH,
  revokeToken,
  USERNAME_PATTERN,
} from '../auth/identity-service.js';
import { SCOPES } from '../auth/policy.js';
import { ROLES } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import { ErrorBody } from '../http/schemas.js';

const Organisation = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nation: Type.String({ description: 'ISO 3166-1 alpha-3 trigraph' }),
  maxClearance: Type.String({ description: "the highest clearance of the organisation's users" }),
  createdAt: Type.String(),
});

const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  organisation: Type.String(),
  roles: Type.Array(Type.String()),
  clearance: Type.String(),
  disabled: Type.Boolean(),
  hasPassword: Type.Boolean({ description: 'whether the user can log in to the console' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Token = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  userId: Type.Integer(),
  username: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Scope = Type.Union(SCOPES.map((s) => Type.Literal(s)));
const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/admin/organisations',
    {
      schema: {
        summary: 'Organisations (partners)',
        tags: ['admin'],
        response: { 200: Type.Object({ items: Type.Array(Organisation) }), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async () => ({ items: await app.store.identity.listOrganisations() }),
  );

  app.post(
    '/admin/organisations',
    {
      schema: {
        summary: 'Add an organisation',
        tags: ['admin'],
        body: Type.Object(
          {
            code: Type.String({ minLength: 1, maxLength: 32 }),
            name: Type.String({ minLength: 1, maxLength: 200 }),
            nation: Type.String({ minLength: 3, maxLength: 3 }),
            maxClearance: Type.String({ minLength: 1, maxLength: 32 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Organisation, ...ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body as { code: string; name: string; nation: string; maxClearance: string };
      return reply.status(201).send(await addOrganisation(app.store, body, app.classificationScheme));
    },
  );

  app.get(
    '/admin/users',
    {
      schema: {
        summary: 'Users',
        tags: ['admin'],
        response: { 200: Type.Object({ items: Type.Array(User) }), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async () => ({ items: await app.store.identity.listUsers() }),
  );

  app.post(
    '/admin/users',
    {
      schema: {
        summary: 'Add a user (with a password for the console, or without for token use only)',
        tags: ['admin'],
        body: Type.Object(
          {
            username: Type.String({ pattern: USERNAME_PATTERN }),
            organisation: Type.String({ minLength: 1, maxLength: 32 }),
            roles: Type.Array(Role, { minItems: 1, maxItems: ROLES.length }),
            clearance: Type.String({ minLength: 1, maxLength: 32 }),
            password: Type.Optional(Password),
          },
          { additionalProperties: false },
        ),
        response: { 201: User, ...ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body as {
        username: string;
        organisation: string;
        roles: string[];
        clearance: string;
        password?: string;
      };
      return reply.status(201).send(await addUser(app.store, body, app.classificationScheme));
    },
  );

  app.put(
    '/admin/users/:id',
    {
      schema: {
        summary: "Change a user's roles, clearance, password, or disable them (ends their sessions)",
        tags: ['admin'],
        params: IdParams,
        body: Type.Object(
          {
            roles: Type.Optional(Type.Array(Role, { minItems: 1, maxItems: ROLES.length })),
            clearance: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
            disabled: Type.Optional(Type.Boolean()),
            password: Type.Optional(Password),
          },
          { additionalProperties: false },
        ),
        response: { 200: User, ...ERRORS },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      return changeUser(app.store, id, request.body as Record<string, never>, app.classificationScheme);
    },
  );

  app.get(
    '/admin/tokens',
    {
      schema: {
        summary: 'API tokens (never their secrets)',
        tags: ['admin'],
        querystring: Type.Object(
          { username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Token) }), ...ERRORS },
      },
    },
    async (request) => {
      const { username } = request.query as { username?: string };
      if (username === undefined) return { items: await app.store.identity.listTokens() };
      const user = await app.store.identity.getUserByName(username);
      if (user === null) throw new ApiError(404, 'NOT_FOUND', `no user ${username}`, 'username');
      return { items: await app.store.identity.listTokens(user.id) };
    },
  );

  app.post(
    '/admin/tokens',
    {
      schema: {
        summary: 'Create an API token (its secret is in this answer only)',
        tags: ['admin'],
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            name: Type.String({ minLength: 1, maxLength: 100 }),
            scopes: Type.Array(Scope, { minItems: 1, maxItems: SCOPES.length }),
            days: Type.Number({ exclusiveMinimum: 0, maximum: MAX_TOKEN_DAYS, default: 30 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            token: Token,
            secret: Type.String({ description: 'send as Authorization: Bearer <secret>; shown once' }),
          }),
          ...ERRORS,
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { username: string; name: string; scopes: string[]; days: number };
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(await issueToken(app.store, body));
    },
  );

  app.delete(
    '/admin/tokens/:id',
    {
      schema: {
        summary: 'Revoke an API token',
        tags: ['admin'],
        params: IdParams,
        response: { 200: Token, ...ERRORS },
      },
    },
    async (request) => revokeToken(app.store, (request.params as { id: number }).id),
  );
}
