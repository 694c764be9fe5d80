/**
 * The jobs page: the server's background jobs (GET /jobs, newest first, refreshed every few
 * seconds), a form that submits a screening or a detector run (POST /jobs with exactly the
 * parameters the server's schema takes for that kind), and one job followed live over Server-Sent
 * Events (GET /jobs/:id/events): a progress bar with the job's current stage, the stages seen so
 * far, a Cancel button (POST /jobs/:id/cancel) and the result once it ends — for a screening, its
 * conjunction count and a link that opens the conjunctions page on that screening.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { isTerminalJob, type Job, type JobKind, publicApi } from './api.js';
import { type MessageKey, type Translate, useI18n } from './i18n.js';

/** How often the list is asked again (ms): new scheduled jobs and other clients' jobs show up. */
const LIST_REFRESH_MS = 5_000;
/** Stages kept in the live log of one job. */
const MAX_STAGES = 40;
const HOURS_PER_DAY = 24;
const MS_PER_DAY = 86_400_000;
/**
 * The server screens only element sets up to 30 days old by default (astro's
 * DEFAULT_MAX_ELEMENT_AGE_DAYS): with a catalog older than that, "now" finds nothing to screen, and
 * the form offers the catalog's newest epoch instead.
 */
const OLD_CATALOG_DAYS = 30;

/** The kinds this form submits (imports arrive as uploads: `hoshimi` or POST /jobs/import). */
const FORM_KINDS = ['screening', 'maneuvers', 'rpo'] as const satisfies readonly JobKind[];
type FormKind = (typeof FORM_KINDS)[number];

const KIND_KEYS: Record<JobKind, MessageKey> = {
  screening: 'jobKindScreening',
  maneuvers: 'jobKindManeuvers',
  rpo: 'jobKindRpo',
  import: 'jobKindImport',
};

const STATE_KEYS: Record<Job['state'], MessageKey> = {
  queued: 'jobStateQueued',
  running: 'jobStateRunning',
  succeeded: 'jobStateSucceeded',
  failed: 'jobStateFailed',
  cancelled: 'jobStateCancelled',
};

/** ISO UTC to "YYYY-MM-DD hh:mm:ss" (or a dash). */
export function timeText(iso: string | null): string {
  return iso === null ? '—' : iso.slice(0, 19).replace('T', ' ');
}

/** Catalog numbers from free text ("25544, 43013 48274"). */
function catalogNumbers(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** One line saying what a finished job produced. */
export function resultText(job: Job, t: Translate): string {
  const r = job.result;
  if (r === null) return job.error === null ? '—' : `${job.error.code}: ${job.error.message}`;
  switch (job.kind) {
    case 'screening':
      return t('jobResultScreening', {
        count: num(r['conjunctions']) ?? 0,
        objects: num(r['objects']) ?? 0,
        id: num(r['screeningId']) ?? '?',
      });
    case 'maneuvers':
      return t('jobResultManeuvers', {
        analysed: num(r['analysed']) ?? 0,
        events: num(r['events']) ?? 0,
        inserted: num(r['inserted']) ?? 0,
      });
    case 'rpo':
      return t('jobResultRpo', {
        objects: num(r['objects']) ?? 0,
        findings: num(r['findings']) ?? 0,
        alarms: num(r['alarms']) ?? 0,
      });
    case 'import':
      return t('jobResultImport', {
        read: num(r['read']) ?? 0,
        inserted: num(r['inserted']) ?? 0,
        rejected: num(r['rejected']) ?? 0,
      });
  }
}

function ProgressBar(props: { job: Job; testId?: string }) {
  const f = props.job.progress.fraction;
  const done = props.job.state === 'succeeded';
  const value = done ? 1 : f;
  return value === null ? (
    <progress class="job-progress" data-testid={props.testId} />
  ) : (
    <progress
      class="job-progress"
      data-testid={props.testId}
      data-fraction={value.toFixed(3)}
      value={value}
      max={1}
    />
  );
}

function percent(job: Job): string {
  if (job.state === 'succeeded') return '100 %';
  const f = job.progress.fraction;
  return f === null ? '…' : `${Math.round(f * 100)} %`;
}

/** The form: one kind at a time, its parameters as the server's schema names them. */
function JobForm(props: { onSubmitted: (job: Job) => void; catalogEpochUtc: string | null }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<FormKind>('screening');
  const [objects, setObjects] = useState('');
  const [length, setLength] = useState('1');
  const [unit, setUnit] = useState<'hours' | 'days'>('days');
  const [threshold, setThreshold] = useState('5');
  const [asOf, setAsOf] = useState('');
  const [from, setFrom] = useState('');
  const [maxAge, setMaxAge] = useState('');
  const [workers, setWorkers] = useState('');
  const [pfa, setPfa] = useState('0.001');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: Event) => {
    e.preventDefault();
    const params: Record<string, unknown> = {};
    const ids = catalogNumbers(objects);
    const days = Number(length) / (unit === 'hours' ? HOURS_PER_DAY : 1);
    if (kind === 'screening' || kind === 'rpo') {
      if (asOf.trim() !== '') params['asOf'] = asOf.trim();
      if (from.trim() !== '') params['from'] = from.trim();
      params['days'] = days;
    }
    if (kind === 'screening') {
      params['thresholdKm'] = Number(threshold);
      if (ids.length > 0) params['primaries'] = ids;
      if (maxAge.trim() !== '') params['maxElementAgeDays'] = Number(maxAge);
      if (workers.trim() !== '') params['workers'] = Number(workers);
    } else if (kind === 'rpo') {
      if (ids.length > 0) params['catalogNumbers'] = ids;
    } else {
      params['catalogNumbers'] = ids;
      params['falseAlarmProbability'] = Number(pfa);
    }
    setBusy(true);
    setError(null);
    publicApi.submitJob(kind, params).then(
      (job) => {
        setBusy(false);
        props.onSubmitted(job);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err instanceof Error ? err.message : String(err));
      },
    );
  };

  // Every input's id is its data-testid.
  const field = (label: MessageKey, id: string, input: JSX.Element, hint?: MessageKey) => (
    <div class="form-row">
      <label for={id}>{t(label)}</label>
      {input}
      {hint === undefined ? null : <small>{t(hint)}</small>}
    </div>
  );
  const value = (set: (v: string) => void) => (e: Event) => set((e.currentTarget as HTMLInputElement).value);
  const epochMs = props.catalogEpochUtc === null ? Number.NaN : Date.parse(props.catalogEpochUtc);
  const catalogTime =
    Number.isFinite(epochMs) && Date.now() - epochMs > OLD_CATALOG_DAYS * MS_PER_DAY
      ? new Date(epochMs).toISOString().replace(/\.\d+Z$/, 'Z')
      : null;

  return (
    <form class="job-form" data-testid="job-form" onSubmit={submit}>
      <h3>{t('jobFormTitle')}</h3>
      {field(
        'jobFormKind',
        'job-kind',
        <select
          id="job-kind"
          data-testid="job-kind"
          value={kind}
          onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as FormKind)}
        >
          {FORM_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(KIND_KEYS[k])}
            </option>
          ))}
        </select>,
      )}
      {field(
        kind === 'screening' ? 'jobFormPrimaries' : 'jobFormObjects',
        'job-objects',
        <input
          id="job-objects"
          data-testid="job-objects"
          value={objects}
          placeholder="25544, 43013"
          onInput={value(setObjects)}
        />,
        kind === 'screening' ? 'jobFormPrimariesHint' : kind === 'rpo' ? 'jobFormRpoObjectsHint' : undefined,
      )}
      {kind === 'maneuvers' ? (
        field(
          'jobFormFalseAlarm',
          'job-pfa',
          <input
            id="job-pfa"
            data-testid="job-pfa"
            value={pfa}
            inputMode="decimal"
            onInput={value(setPfa)}
          />,
        )
      ) : (
        <>
          {field(
            'jobFormWindow',
            'job-window',
            <span class="inline">
              <input
                id="job-window"
                data-testid="job-window"
                value={length}
                inputMode="decimal"
                size={6}
                onInput={value(setLength)}
              />
              <select
                data-testid="job-window-unit"
                value={unit}
                onChange={(e) => setUnit((e.currentTarget as HTMLSelectElement).value as 'hours' | 'days')}
              >
                <option value="hours">{t('jobFormHours')}</option>
                <option value="days">{t('jobFormDays')}</option>
              </select>
            </span>,
            kind === 'rpo' ? 'jobFormRpoWindowHint' : undefined,
          )}
          {kind === 'screening'
            ? field(
                'jobFormThreshold',
                'job-threshold',
                <input
                  id="job-threshold"
                  data-testid="job-threshold"
                  value={threshold}
                  inputMode="decimal"
                  onInput={value(setThreshold)}
                />,
              )
            : null}
          {field(
            'jobFormAsOf',
            'job-as-of',
            <input
              id="job-as-of"
              data-testid="job-as-of"
              value={asOf}
              placeholder="2023-10-10T00:00:00Z"
              onInput={value(setAsOf)}
            />,
            'jobFormAsOfHint',
          )}
          {catalogTime === null ? null : (
            <p class="form-note">
              {t('jobFormOldCatalog', { time: catalogTime.replace('T', ' ') })}{' '}
              <button type="button" data-testid="job-use-catalog-time" onClick={() => setAsOf(catalogTime)}>
                {t('jobFormUseCatalogTime')}
              </button>
            </p>
          )}
          {field(
            'jobFormFrom',
            'job-from',
            <input
              id="job-from"
              data-testid="job-from"
              value={from}
              placeholder="—"
              onInput={value(setFrom)}
            />,
            'jobFormFromHint',
          )}
          {kind === 'screening' ? (
            <>
              {field(
                'jobFormMaxAge',
                'job-max-age',
                <input
                  id="job-max-age"
                  data-testid="job-max-age"
                  value={maxAge}
                  placeholder="—"
                  onInput={value(setMaxAge)}
                />,
              )}
              {field(
                'jobFormWorkers',
                'job-workers',
                <input
                  id="job-workers"
                  data-testid="job-workers"
                  value={workers}
                  placeholder="—"
                  onInput={value(setWorkers)}
                />,
              )}
            </>
          ) : null}
        </>
      )}
      <p>
        <button type="submit" data-testid="job-submit" disabled={busy}>
          {t('jobFormSubmit')}
        </button>
      </p>
      {error === null ? null : (
        <p class="error" data-testid="job-form-error">
          {error}
        </p>
      )}
    </form>
  );
}

/** One job followed over Server-Sent Events until it ends. */
function JobDetail(props: { id: string; onChange: (job: Job) => void; onScreening: (id: number) => void }) {
  const { t } = useI18n();
  const [job, setJob] = useState<Job | null>(null);
  const [stages, setStages] = useState<string[]>([]);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const { id, onChange } = props;

  useEffect(() => {
    setJob(null);
    setStages([]);
    setCancelError(null);
    const source = new EventSource(publicApi.jobEventsUrl(id));
    const receive = (e: MessageEvent<string>) => {
      const next = JSON.parse(e.data) as Job;
      setJob(next);
      onChange(next);
      // A stage: the progress message, or the state when the message is empty.
      const line = `${percent(next)} · ${next.progress.message || next.state}`;
      setStages((s) => (s[s.length - 1] === line ? s : [...s, line].slice(-MAX_STAGES)));
      // The server ends the stream after the final state; closing here stops EventSource reconnecting.
      if (isTerminalJob(next.state)) source.close();
    };
    source.addEventListener('state', receive);
    source.addEventListener('progress', receive);
    return () => source.close();
  }, [id, onChange]);

  if (job === null) return <p data-testid="job-detail">{t('objectLoading')}</p>;
  const screeningId = job.kind === 'screening' ? num(job.result?.['screeningId']) : undefined;
  const cancel = () => {
    setCancelError(null);
    publicApi.cancelJob(job.id).then(
      (j) => {
        // The answer may arrive after the stream's final state (a running job is cancelled at its
        // next checkpoint): never let it take an ended job back to running.
        setJob((cur) => (cur !== null && isTerminalJob(cur.state) && !isTerminalJob(j.state) ? cur : j));
        if (isTerminalJob(j.state)) onChange(j);
      },
      (err: unknown) => setCancelError(err instanceof Error ? err.message : String(err)),
    );
  };
  return (
    <div class="job-detail" data-testid="job-detail" data-state={job.state}>
      <h3>{t('jobDetailTitle', { id: job.id, kind: t(KIND_KEYS[job.kind]) })}</h3>
      <p>
        <span class={`job-state job-state-${job.state}`} data-testid="job-state">
          {t(STATE_KEYS[job.state])}
        </span>{' '}
        <ProgressBar job={job} testId="job-progress" /> <span data-testid="job-percent">{percent(job)}</span>
      </p>
      <p data-testid="job-message">{job.progress.message}</p>
      {isTerminalJob(job.state) ? null : (
        <p>
          <button type="button" data-testid="job-cancel" onClick={cancel}>
            {t('jobCancel')}
          </button>
          {cancelError === null ? null : <span class="error"> {cancelError}</span>}
        </p>
      )}
      <table class="facts">
        <tbody>
          <tr>
            <th>{t('jobCreated')}</th>
            <td>{timeText(job.createdAt)}</td>
          </tr>
          <tr>
            <th>{t('jobStarted')}</th>
            <td>{timeText(job.startedAt)}</td>
          </tr>
          <tr>
            <th>{t('jobFinished')}</th>
            <td>{timeText(job.finishedAt)}</td>
          </tr>
          <tr>
            <th>{t('jobRequestedBy')}</th>
            <td>{job.requestedBy}</td>
          </tr>
          <tr>
            <th>{t('jobParams')}</th>
            <td>
              <code>{JSON.stringify(job.params)}</code>
            </td>
          </tr>
        </tbody>
      </table>
      {isTerminalJob(job.state) ? (
        <div class={job.state === 'succeeded' ? 'job-result' : 'job-result error'} data-testid="job-result">
          <strong>{t('jobResult')}</strong> {resultText(job, t)}
          {screeningId === undefined ? null : (
            <p>
              <button
                type="button"
                data-testid="job-open-conjunctions"
                onClick={() => props.onScreening(screeningId)}
              >
                {t('jobOpenConjunctions', { id: screeningId })}
              </button>
            </p>
          )}
        </div>
      ) : null}
      <details open>
        <summary>{t('jobStages')}</summary>
        <ol class="job-stages" data-testid="job-stages">
          {stages.map((s, k) => (
            <li key={k}>{s}</li>
          ))}
        </ol>
      </details>
    </div>
  );
}

export function JobsView(props: { onScreening: (id: number) => void; catalogEpochUtc: string | null }) {
  const { t } = useI18n();
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const refresh = useCallback(() => {
    publicApi.jobs().then(
      (r) => {
        setJobs(r.items);
        setListError(null);
      },
      (err: unknown) => setListError(err instanceof Error ? err.message : String(err)),
    );
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, LIST_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  // The followed job's record replaces its row at once (the list itself refreshes on its timer).
  const onChange = useCallback((job: Job) => {
    setJobs((list) => {
      if (list === null) return [job];
      const k = list.findIndex((j) => j.id === job.id);
      if (k < 0) return [job, ...list];
      const next = [...list];
      next[k] = job;
      return next;
    });
  }, []);

  return (
    <div data-testid="jobs-view">
      <JobForm
        catalogEpochUtc={props.catalogEpochUtc}
        onSubmitted={(job) => {
          onChange(job);
          setSelected(job.id);
        }}
      />
      {selected === null ? null : (
        <JobDetail id={selected} onChange={onChange} onScreening={props.onScreening} />
      )}
      <h3>
        {t('jobListTitle')}{' '}
        <button type="button" class="refresh-button" data-testid="jobs-refresh" onClick={refresh}>
          {t('refresh')}
        </button>
      </h3>
      {listError === null ? null : <p class="error">{listError}</p>}
      {jobs === null ? (
        <p>{t('objectLoading')}</p>
      ) : jobs.length === 0 ? (
        <p>{t('jobNone')}</p>
      ) : (
        <div class="scroll">
          <table class="list" data-testid="job-list">
            <thead>
              <tr>
                <th>{t('jobColKind')}</th>
                <th>{t('jobColState')}</th>
                <th>{t('jobColProgress')}</th>
                <th>{t('jobColTimes')}</th>
                <th>{t('jobColResult')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr
                  key={j.id}
                  class={j.id === selected ? 'clickable selected' : 'clickable'}
                  data-testid="job-row"
                  data-job-id={j.id}
                  data-state={j.state}
                  onClick={() => setSelected(j.id)}
                >
                  <td>
                    {t(KIND_KEYS[j.kind])}
                    <br />
                    <small>{j.requestedBy}</small>
                  </td>
                  <td>{t(STATE_KEYS[j.state])}</td>
                  <td>
                    <ProgressBar job={j} /> {percent(j)}
                  </td>
                  <td>
                    <small>
                      {timeText(j.startedAt)}
                      <br />
                      {timeText(j.finishedAt)}
                    </small>
                  </td>
                  <td>{isTerminalJob(j.state) ? resultText(j, t) : j.progress.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
