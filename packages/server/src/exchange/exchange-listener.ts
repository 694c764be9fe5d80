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
 * Trusted CAs: the given ones (`--tls-ca`) and every partner's pinned CA. The partners' CAs are
 * read again every `trustRefreshMs` (and on `refreshTrust()`), and the TLS context is replaced when
 * they changed, so a partner added or changed by another process (`hoshimi exchange partner`) is
 * trusted, and a removed CA distrusted, without a restart; connections already open keep theirs.
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
/** How often the partners' CAs are read again, ms (a partner added elsewhere waits this long at most). */
export const TRUST_REFRESH_MS = 5000;

declare module 'fastify' {
  interface FastifyRequest {
    /** The partner at the other end of the TLS connection (exchange listener only). */
    exchangePartner?: ExchangePartner;
  }
  interface FastifyInstance {
    /** Reads the partners' CAs again and replaces the TLS context if they changed (exchange listener only). */
    refreshTrust?: () => Promise<boolean>;
  }
}

/** Builds the exchange listener (not listening yet). */
export async function buildExchangeListener(options: {
  readonly service: ExchangeService;
  readonly tls: ExchangeTls;
  readonly logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** Interval of the partners' CA refresh, ms (default TRUST_REFRESH_MS; 0: only on refreshTrust()). */
  readonly trustRefreshMs?: number;
}): Promise<FastifyInstance> {
  const { service, tls } = options;
  const trustedCas = async (): Promise<string[]> => {
    const partners = await service.store.exchange.listPartners();
    return [...tls.ca, ...partners.flatMap((p) => (p.tlsCa === null ? [] : [p.tlsCa]))];
  };
  let ca = await trustedCas();
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

  const refreshTrust = async (): Promise<boolean> => {
    const next = await trustedCas();
    if (next.length === ca.length && next.every((c, i) => c === ca[i])) return false;
    ca = next;
    app.server.setSecureContext({ cert: tls.cert, key: tls.key, ca, minVersion: 'TLSv1.2' });
    app.log.info({ cas: ca.length }, 'exchange listener: trusted CAs changed');
    return true;
  };
  app.decorate('refreshTrust', refreshTrust);
  const refreshMs = options.trustRefreshMs ?? TRUST_REFRESH_MS;
  let timer: NodeJS.Timeout | undefined;
  if (refreshMs > 0) {
    app.addHook('onListen', async () => {
      timer = setInterval(() => {
        refreshTrust().catch((e: unknown) =>
          app.log.error({ err: e }, 'exchange listener: CA refresh failed'),
        );
      }, refreshMs);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  }

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
