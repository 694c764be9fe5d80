/**
 * `hoshimi exchange sync`: one node synchronises with one partner over mutual TLS, both ways.
 * Pull: ask the partner's listener for its bundles after the last one we applied, apply each (the
 * same checks as a push), and ask again until none is left (the last ask also acknowledges).
 * Push: ask the partner which of our bundles it holds (`/exchange/state`), take that as
 * acknowledged, build what is due, and post the rest one by one. Every step is persistent, so an
 * interrupted sync (either node killed, the network cut) resumes from the cursors: nothing is
 * applied twice (a bundle already applied is answered 'duplicate') and nothing is skipped (the
 * stream refuses a gap).
 */
import { Agent, request as httpsRequest } from 'node:https';
import type { ExchangePartner } from '@hoshimi/store';
import { ApiError } from '../errors.js';
import type { ExchangeService } from './exchange-service.js';
import { partnerServerCheck } from './tls-peer.js';

export interface SyncOptions {
  readonly service: ExchangeService;
  readonly partner: string;
  /** This node's client certificate and key, PEM. */
  readonly tls: { readonly cert: string; readonly key: string };
  /** 'both' (default), or one direction. */
  readonly direction?: 'both' | 'pull' | 'push';
  /** Called after each bundle applied (pull) or delivered (push). */
  readonly onBundle?: (event: {
    readonly direction: 'pull' | 'push';
    readonly sequence: number;
    readonly status: 'applied' | 'duplicate';
    readonly items: number;
  }) => void;
  /** Per request, ms (default 120 s). */
  readonly timeoutMs?: number;
}

export interface SyncReport {
  readonly pulled: { readonly bundles: number; readonly inserted: number; readonly duplicates: number };
  readonly pushed: { readonly bundles: number; readonly duplicates: number; readonly items: number };
}

/** Bundles per pull request: small pages keep both nodes busy at once. */
const PULL_PAGE = 2;

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

function client(partner: ExchangePartner, tls: SyncOptions['tls'], timeoutMs: number) {
  if (partner.url === null) {
    throw new ApiError(
      400,
      'EXCHANGE_NO_URL',
      `partner ${partner.name} has no URL (hoshimi exchange partner add --url)`,
    );
  }
  const base = new URL(partner.url);
  if (base.protocol !== 'https:')
    throw new ApiError(400, 'EXCHANGE_NO_URL', `partner URL ${partner.url} is not https`);
  const agent = new Agent({
    keepAlive: true,
    cert: tls.cert,
    key: tls.key,
    ...(partner.tlsCa === null ? {} : { ca: partner.tlsCa }),
    checkServerIdentity: partnerServerCheck(partner),
  });
  const call = (method: string, path: string, body?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        new URL(path, base),
        {
          method,
          agent,
          timeout: timeoutMs,
          headers:
            body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
            } catch {
              resolve({
                status: res.statusCode ?? 0,
                body: { code: 'EXCHANGE_BAD_ANSWER', message: text.slice(0, 200) },
              });
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`no answer from ${partner.name} within ${timeoutMs} ms`)),
      );
      req.on('error', (e) =>
        reject(
          new ApiError(502, 'EXCHANGE_UNREACHABLE', `partner ${partner.name} (${partner.url}): ${e.message}`),
        ),
      );
      req.end(body);
    });
  return { call, close: () => agent.destroy() };
}

function failure(partner: string, a: Answer): ApiError {
  const b = (a.body ?? {}) as { code?: unknown; message?: unknown };
  return new ApiError(
    a.status >= 400 && a.status < 600 ? a.status : 502,
    typeof b.code === 'string' ? b.code : 'EXCHANGE_BAD_ANSWER',
    `partner ${partner}: ${typeof b.message === 'string' ? b.message : `HTTP ${a.status}`}`,
  );
}

/** Pulls then pushes (see the module header). */
export async function syncWithPartner(options: SyncOptions): Promise<SyncReport> {
  const { service } = options;
  const name = options.partner;
  const partner = await service.partner(name);
  const http = client(partner, options.tls, options.timeoutMs ?? 120_000);
  const direction = options.direction ?? 'both';
  const pulled = { bundles: 0, inserted: 0, duplicates: 0 };
  const pushed = { bundles: 0, duplicates: 0, items: 0 };
  try {
    if (direction !== 'push') {
      // Fetch the next page while this one is applied (the partner builds it meanwhile); each
      // request acknowledges only what is applied, so a crash here loses nothing.
      const page = async (after: number, ack: number): Promise<unknown[]> => {
        const a = await http.call('GET', `/exchange/bundles?after=${after}&ack=${ack}&limit=${PULL_PAGE}`);
        if (a.status !== 200) throw failure(name, a);
        const list = (a.body as { bundles?: unknown }).bundles;
        if (!Array.isArray(list))
          throw new ApiError(502, 'EXCHANGE_BAD_ANSWER', `partner ${name}: no bundles list`);
        return list;
      };
      let applied = (await service.partner(name)).incoming.seq;
      let acked = applied; // the acknowledgement carried by the request in flight
      let next = page(applied, acked);
      for (;;) {
        const list = await next;
        if (list.length === 0) {
          if (acked === applied) break; // nothing left, and everything applied is acknowledged
          acked = applied;
          next = page(applied, acked);
          continue;
        }
        const last = (list[list.length - 1] as { sequence?: unknown }).sequence;
        const ahead =
          typeof last === 'number' && Number.isSafeInteger(last) && last > applied ? last : applied;
        acked = applied;
        next = page(ahead, acked);
        next.catch(() => undefined); // awaited on the next turn; a failure while applying wins
        for (const bundle of list) {
          const r = await service.receive(name, bundle);
          applied = Math.max(applied, r.lastSequence);
          pulled.bundles++;
          pulled.inserted += r.inserted;
          if (r.status === 'duplicate') pulled.duplicates++;
          const items = (bundle as { items?: unknown[] }).items?.length ?? 0;
          options.onBundle?.({ direction: 'pull', sequence: r.sequence, status: r.status, items });
        }
        if (applied !== ahead) {
          // The page did not end where it said: ask again from what is applied.
          await next.catch(() => undefined);
          acked = applied;
          next = page(applied, acked);
        }
      }
    }
    if (direction !== 'pull') {
      const state = await http.call('GET', '/exchange/state');
      if (state.status !== 200) throw failure(name, state);
      let held = Number((state.body as { lastSequence?: unknown }).lastSequence ?? 0);
      await service.store.exchange.acknowledge(name, held);
      // The next bundle is built while the partner applies this one.
      await service.buildOutbox(name, held + 1);
      for (;;) {
        const [e] = await service.store.exchange.outbox(name, held, 1);
        if (e === undefined) break;
        if (e.body === null) {
          throw new ApiError(
            409,
            'EXCHANGE_GONE',
            `bundle ${e.seq} for ${name} was acknowledged and dropped, yet the partner holds only ${held}`,
          );
        }
        service.checkBeforeSending(await service.partner(name), e.body);
        const posted = http.call('POST', '/exchange/bundles', e.body);
        const ahead = service.buildOutbox(name, e.seq + 1);
        ahead.catch(() => undefined); // awaited below; a failed POST wins
        const a = await posted;
        if (a.status !== 200) throw failure(name, a);
        const r = a.body as { status: 'applied' | 'duplicate'; lastSequence: number };
        pushed.bundles++;
        pushed.items += e.itemCount;
        if (r.status === 'duplicate') pushed.duplicates++;
        held = e.seq;
        await service.store.exchange.acknowledge(name, held);
        options.onBundle?.({ direction: 'push', sequence: e.seq, status: r.status, items: e.itemCount });
        await ahead;
      }
    }
  } finally {
    http.close();
  }
  return { pulled, pushed };
}
