/**
 * Webhook delivery: one JSON document POSTed to a URL, retried with growing delays on a network
 * failure, a timeout, HTTP 429 or a 5xx answer; any other 4xx is final (the receiver refused it,
 * asking again will not help). At-least-once: a receiver may see a document twice (a reply lost
 * after it was taken), so documents carry an id to deduplicate on.
 */

export interface WebhookOptions {
  /** Delays before the 2nd, 3rd, … attempts, ms (default DEFAULT_RETRY_DELAYS_MS: 4 attempts). */
  readonly retryDelaysMs?: readonly number[];
  /** Time allowed for one attempt, ms (default 10 s). */
  readonly timeoutMs?: number;
}

/** 1 s, 5 s, 30 s: a receiver restarting or briefly overloaded gets time to come back. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 5000, 30000];
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookDelivery {
  readonly ok: boolean;
  readonly attempts: number;
  /** HTTP status of the last answer, or null when none came. */
  readonly status: number | null;
  /** Why the last attempt failed, or null. */
  readonly error: string | null;
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** POSTs `body` as JSON to `url` until it is taken (2xx) or the attempts run out. */
export async function postWebhook(
  url: string,
  body: unknown,
  options: WebhookOptions = {},
): Promise<WebhookDelivery> {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const text = JSON.stringify(body);
  let status: number | null = null;
  let error: string | null = null;
  for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, delays[attempt - 2]));
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'hoshimi-alerts' },
        body: text,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: attempt, status, error: null };
      error = `HTTP ${res.status}`;
      if (!retryable(res.status)) return { ok: false, attempts: attempt, status, error };
    } catch (e) {
      status = null;
      error = (e as Error).message;
    }
  }
  return { ok: false, attempts: delays.length + 1, status, error };
}
