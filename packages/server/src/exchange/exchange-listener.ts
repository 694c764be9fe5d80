/**
 * The exchange listener: a separate HTTPS server with mutual TLS (Node's https through Fastify's
 * `https` option: requestCert and rejectUnauthorized, so a client without a certificate that
 * chains to a trusted CA is refused during the handshake, before any HTTP), serving only the
 * exchange routes to an authenticated partner (tls-peer.ts):
 *
 * - `GET /exchange/bundles?after=SEQ&limit=N&ack=ACK`: the partner pulls our stream to it and gets
 *   the bundles after SEQ: `{ bundles: [...], more }`; it holds every bundle up to ACK (default
 *   SEQ; lower when it fetches ahead while applying): an acknowledgement.
 * - `POST /exchange/bundles`: the partner pushes one bundle of its stream to us; the answer is
 *   `{ status: 'applied' | 'duplicate', sequence, lastSequence, inserted }`, or an error
 *   `{ code, message }`: BUNDLE_FORMAT, BUNDLE_UNKNOWN_KEY, BUNDLE_SIGNATURE (tampered),
 *   EXCHANGE_REPLAYED, EXCHANGE_OUT_OF_ORDER, EXCHANGE_BROKEN_CHAIN, EXCHANGE_NOT_RELEASABLE, …
 * - `GET /exchange/state`: the last sequence and hash we hold of the partner's stream to us.
 *
 * Trusted CAs: the given ones (`--tls-ca`) and every partner's pinned CA, read when the listener
 * starts (a partner added later is trusted after a restart).
 */
import type { TLSSocket } from 'node:tls';
import type { ExchangePartner } from '@hoshimi/store';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { ApiError, registerErrorHandlers } from '../errors.js';
import type { ExchangeService } from './exchange-service.js';
import { peerPartner } from './tls-peer.js';

export interface ExchangeTls {
  /** This node's certificate and key, PEM. */
  readonly cert: string;
  readonly key: string;
  /** CAs whose certificates are accepted from clients (PEM texts), besides the partners' own. */
  readonly ca: readonly string[];
}

/** Largest bundle accepted, bytes (a 2,000-set bundle of OMM KVN is about 3.5 MB). */
export const EXCHANGE_BODY_LIMIT = 256 * 1024 * 1024;
/** Bundles per pull answer at most. */
const MAX_PULL = 8;

declare module 'fastify' {
  interface FastifyRequest {
    /** The partner at the other end of the TLS connection (exchange listener only). */
    exchangePartner?: ExchangePartner;
  }
}

/** Builds the exchange listener (not listening yet). */
export async function buildExchangeListener(options: {
  readonly service: ExchangeService;
  readonly tls: ExchangeTls;
  readonly logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
}): Promise<FastifyInstance> {
  const { service, tls } = options;
  const partners = await service.store.exchange.listPartners();
  const ca = [...tls.ca, ...partners.flatMap((p) => (p.tlsCa === null ? [] : [p.tlsCa]))];
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: EXCHANGE_BODY_LIMIT,
    https: {
      cert: tls.cert,
      key: tls.key,
      ca,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
  });

  registerErrorHandlers(app);

  app.addHook('onRequest', async (request) => {
    const partner = peerPartner(request.raw.socket as TLSSocket, await service.store.exchange.listPartners());
    if (partner === null) {
      throw new ApiError(
        403,
        'EXCHANGE_UNKNOWN_PEER',
        'the client certificate is not pinned for any partner',
      );
    }
    request.exchangePartner = partner;
  });

  const partnerOf = (r: { exchangePartner?: ExchangePartner }): ExchangePartner => {
    if (r.exchangePartner === undefined) throw new ApiError(403, 'EXCHANGE_UNKNOWN_PEER', 'no partner');
    return r.exchangePartner;
  };
  const intParam = (v: unknown, name: string, dflt: number, min: number, max: number): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (typeof v !== 'string' || !/^\d{1,15}$/.test(v) || n < min || n > max)
      throw new ApiError(400, 'BAD_REQUEST', `${name}: expected an integer ${min}..${max}`, name);
    return n;
  };

  app.get('/exchange/bundles', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const after = intParam(q['after'], 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(q['limit'], 'limit', MAX_PULL, 1, MAX_PULL);
    const ack = intParam(q['ack'], 'ack', after, 0, after);
    const r = await service.bundlesAfter(partnerOf(request).name, after, limit, ack);
    // The bundles go out as stored, byte for byte (their hashes are over their canonical text).
    reply.type('application/json').send(`{"bundles":[${r.bundles.join(',')}],"more":${r.more}}`);
  });

  app.post('/exchange/bundles', async (request) => service.receive(partnerOf(request).name, request.body));

  app.get('/exchange/state', async (request) => {
    const p = await service.partner(partnerOf(request).name);
    return {
      node: service.identity.organisation,
      partner: p.name,
      lastSequence: p.incoming.seq,
      lastHash: p.incoming.hash,
    };
  });
  return app;
}
