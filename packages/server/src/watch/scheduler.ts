/**
 * The watch-list scheduler: on every tick, each enabled watch list with a schedule whose last run
 * is `everyHours` old (or that never ran) gets a screening job through the JobRunner (requestedBy
 * `schedule:<id>`): its assets as primaries against the catalog as of now (the freshest element
 * set of every object), over the next `days` days. When such a job succeeds, the screening's
 * events of the list's assets become alerts (alerts.ts), and each new or changed alert is POSTed
 * to the list's webhook (webhook.ts).
 *
 * The clock is injected and `tick()` is public, so tests drive time without waiting; the server
 * calls `tick()` from a timer every `tickMs`. A job submitted before a restart and never finished
 * is failed by the runner on restart (SERVER_RESTARTED); the next tick after `everyHours` submits
 * a new one.
 */
import type { CatalogStore, StoredWatchList } from '@hoshimi/store';
import { isTerminal } from '../jobs/in-process-runner.js';
import type { JobRecord, JobRunner } from '../jobs/job-types.js';
import { type AlertChange, alertsFromScreening } from './alerts.js';
import { postWebhook, type WebhookDelivery, type WebhookOptions } from './webhook.js';

const MS_PER_HOUR = 3_600_000;
const MAX_KEPT_OUTCOMES = 1000;
/** Screening threshold at least this (km): events a little outside the miss threshold can hold a Pc above minPc. */
export const MIN_SCREENING_THRESHOLD_KM = 5;

export interface WatchSchedulerOptions {
  readonly store: CatalogStore;
  readonly runner: JobRunner;
  /** Clock (default the system clock). */
  readonly now?: () => Date;
  /** Timer period when started, ms (default 60 s). */
  readonly tickMs?: number;
  readonly webhook?: WebhookOptions;
  /** Worker threads of scheduled screenings (default the runner's default). */
  readonly workers?: number;
  /** Told about failures that have no client to go to (a failed webhook, a failed job). */
  readonly log?: (message: string) => void;
}

/** What one list's run produced (also what a manual run returns once its job ends). */
export interface WatchRunOutcome {
  readonly listId: number;
  readonly job: JobRecord;
  readonly alerts: readonly AlertChange[];
  readonly deliveries: readonly WebhookDelivery[];
}

export class WatchScheduler {
  readonly #store: CatalogStore;
  readonly #runner: JobRunner;
  readonly #now: () => Date;
  readonly #tickMs: number;
  readonly #webhook: WebhookOptions;
  readonly #workers: number | undefined;
  readonly #log: (message: string) => void;
  #timer: NodeJS.Timeout | undefined;
  /** Outcomes of jobs still being followed (resolve when the alerts are recorded and sent). */
  readonly #pending = new Map<string, Promise<WatchRunOutcome>>();
  #ticking: Promise<JobRecord[]> | undefined;

  constructor(options: WatchSchedulerOptions) {
    this.#store = options.store;
    this.#runner = options.runner;
    this.#now = options.now ?? (() => new Date());
    this.#tickMs = options.tickMs ?? 60_000;
    this.#webhook = options.webhook ?? {};
    this.#workers = options.workers;
    this.#log = options.log ?? (() => undefined);
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.tick().catch((e: unknown) => this.#log(`watch scheduler: ${(e as Error).message}`));
    }, this.#tickMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for the followed jobs' alerts to be recorded. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.allSettled([...this.#pending.values()]);
  }

  /** Submits the screenings that are due now; returns their jobs. One tick at a time. */
  tick(): Promise<JobRecord[]> {
    if (this.#ticking !== undefined) return this.#ticking;
    this.#ticking = this.#tick().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  async #tick(): Promise<JobRecord[]> {
    const now = this.#now();
    const jobs: JobRecord[] = [];
    for (const list of await this.#store.listWatchLists()) {
      if (!list.enabled || list.schedule === null || list.assets.length === 0) continue;
      const last = list.lastRunAt === null ? null : Date.parse(list.lastRunAt);
      if (last !== null && now.getTime() - last < list.schedule.everyHours * MS_PER_HOUR) continue;
      jobs.push(await this.runNow(list, now));
    }
    return jobs;
  }

  /** Submits a list's screening now (the schedule's run, or a manual one) and follows its job. */
  async runNow(list: StoredWatchList, now = this.#now()): Promise<JobRecord> {
    const at = now.toISOString();
    const job = await this.#runner.submit({
      kind: 'screening',
      params: {
        asOf: at,
        from: at,
        days: list.schedule?.days ?? 7,
        thresholdKm: Math.max(MIN_SCREENING_THRESHOLD_KM, list.thresholds.maxMissKm),
        primaries: [...list.assets],
        ...(this.#workers === undefined ? {} : { workers: this.#workers }),
      },
      requestedBy: `schedule:${list.id}`,
    });
    await this.#store.markWatchListRun(list.id, at);
    this.#pending.set(job.id, this.#follow(list.id, job));
    // Outcomes are kept for the latest runs only.
    for (const key of this.#pending.keys()) {
      if (this.#pending.size <= MAX_KEPT_OUTCOMES) break;
      this.#pending.delete(key);
    }
    return job;
  }

  /** The outcome of a followed job (null when this scheduler does not follow it). */
  outcome(jobId: string): Promise<WatchRunOutcome> | null {
    return this.#pending.get(jobId) ?? null;
  }

  #follow(listId: number, submitted: JobRecord): Promise<WatchRunOutcome> {
    return new Promise<JobRecord>((resolve) => {
      let done = false;
      const unsubscribe = this.#runner.subscribe(submitted.id, (job) => {
        if (!done && isTerminal(job.state)) {
          done = true;
          unsubscribe();
          resolve(job);
        }
      });
      // It may have ended before the subscription.
      void this.#runner.get(submitted.id).then((job) => {
        if (!done && job !== null && isTerminal(job.state)) {
          done = true;
          unsubscribe();
          resolve(job);
        }
      });
    }).then(async (job) => {
      try {
        return await this.#alerts(listId, job);
      } catch (e) {
        this.#log(`watch list ${listId}: alerts of job ${job.id} failed: ${(e as Error).message}`);
        return { listId, job, alerts: [], deliveries: [] };
      }
    });
  }

  async #alerts(listId: number, job: JobRecord): Promise<WatchRunOutcome> {
    const list = await this.#store.getWatchList(listId);
    const screeningId = job.result?.['screeningId'];
    if (job.state !== 'succeeded' || list === null || typeof screeningId !== 'number') {
      if (job.state === 'failed')
        this.#log(`watch list ${listId}: screening job ${job.id} failed: ${job.error?.message}`);
      return { listId, job, alerts: [], deliveries: [] };
    }
    const screening = await this.#store.conjunctions({ screeningId });
    const existing = await this.#store.listAlerts({ watchListId: listId, limit: 1_000_000 });
    const alerts = await alertsFromScreening(
      this.#store,
      list,
      screeningId,
      screening?.conjunctions ?? [],
      existing.alerts,
      this.#now().toISOString(),
    );
    const deliveries: WebhookDelivery[] = [];
    if (list.webhookUrl !== null) {
      for (const a of alerts) {
        const d = await postWebhook(
          list.webhookUrl,
          {
            type: 'hoshimi.alert',
            id: `${a.alert.id}:${a.alert.history.length}`,
            change: a.change,
            watchList: { id: list.id, name: list.name },
            alert: a.alert,
          },
          this.#webhook,
        );
        if (!d.ok)
          this.#log(
            `watch list ${listId}: webhook for alert ${a.alert.id} failed after ${d.attempts} attempts: ${d.error}`,
          );
        deliveries.push(d);
      }
    }
    return { listId, job, alerts, deliveries };
  }
}
