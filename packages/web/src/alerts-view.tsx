/**
 * The alerts page: the watch lists (GET /watch-lists: assets, screening schedule, thresholds on
 * miss distance and Pc, last run; a list can be screened now with POST /watch-lists/:id/run) and
 * their alerts (GET /alerts, newest change first, filtered by state and list), refreshed every few
 * seconds. One alert opens with its numbers, its history (new, changed, acknowledged: when, by whom,
 * with which screening) and an Acknowledge form (POST /alerts/:id/acknowledge, who and a note).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { type Alert, type AlertState, publicApi, type WatchList } from './api.js';
import { type MessageKey, useI18n } from './i18n.js';
import { timeText } from './jobs-view.js';

/** How often lists and alerts are asked again (ms): a scheduled run's alerts show up by themselves. */
const REFRESH_MS = 5_000;
const ANALYST_KEY = 'hoshimi.analyst';

const CHANGE_KEYS: Record<Alert['history'][number]['change'], MessageKey> = {
  new: 'alertChangeNew',
  changed: 'alertChangeChanged',
  acknowledged: 'alertChangeAcknowledged',
};

function pcText(pc: number | null): string {
  return pc === null ? '—' : pc === 0 ? '0' : pc.toExponential(1);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function WatchLists(props: { lists: readonly WatchList[]; onRun: () => void }) {
  const { t } = useI18n();
  const [ran, setRan] = useState<Record<number, string>>({});
  const run = (list: WatchList) => {
    publicApi.runWatchList(list.id).then(
      (job) => {
        setRan((r) => ({ ...r, [list.id]: t('watchRunSubmitted', { id: job.id }) }));
        props.onRun();
      },
      (err: unknown) => setRan((r) => ({ ...r, [list.id]: errorText(err) })),
    );
  };
  if (props.lists.length === 0) return <p>{t('watchNone')}</p>;
  // Cards rather than a table: the side panel is narrow, and a list's assets can be many.
  return (
    <div data-testid="watch-lists">
      {props.lists.map((l) => (
        <div key={l.id} class="watch-list" data-testid="watch-list-row">
          <div class="watch-list-head">
            <strong>{l.name}</strong>
            {l.enabled ? null : <small> ({t('watchDisabled')})</small>}
            <span class="spacer" />
            <button type="button" data-testid="watch-run" onClick={() => run(l)}>
              {t('watchRun')}
            </button>
          </div>
          {ran[l.id] === undefined ? null : <small>{ran[l.id]}</small>}
          <table class="facts">
            <tbody>
              <tr>
                <th>{t('watchColAssets')}</th>
                <td title={l.assets.join(', ')}>
                  {l.assets.slice(0, 12).join(', ')}
                  {l.assets.length > 12 ? ` … (${l.assets.length})` : ''}
                </td>
              </tr>
              <tr>
                <th>{t('watchColSchedule')}</th>
                <td>
                  {l.schedule === null
                    ? t('watchManual')
                    : t('watchSchedule', {
                        hours: shortNumber(l.schedule.everyHours),
                        days: shortNumber(l.schedule.days),
                      })}
                </td>
              </tr>
              <tr>
                <th>{t('watchColThresholds')}</th>
                <td>
                  {t('watchMiss', { km: l.thresholds.maxMissKm })}
                  {l.thresholds.minPc === null
                    ? null
                    : ` ${t('watchPc', { pc: l.thresholds.minPc.toExponential(0) })}`}
                </td>
              </tr>
              <tr>
                <th>{t('watchColLastRun')}</th>
                <td>{timeText(l.lastRunAt)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

/** A number in at most three significant digits (0.0833 days, 8 h). */
function shortNumber(x: number): string {
  return String(Number(x.toPrecision(3)));
}

function AlertDetail(props: {
  alert: Alert;
  listName: string;
  onChange: (alert: Alert) => void;
  onScreening: (id: number) => void;
}) {
  const { t } = useI18n();
  const a = props.alert;
  const [by, setBy] = useState(() => globalThis.localStorage?.getItem(ANALYST_KEY) ?? '');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const acknowledge = (e: Event) => {
    e.preventDefault();
    const who = by.trim();
    if (who === '') {
      setError(t('alertAckNeedsName'));
      return;
    }
    localStorage.setItem(ANALYST_KEY, who);
    setError(null);
    publicApi.acknowledgeAlert(a.id, who, note.trim()).then(
      (next) => {
        setNote('');
        props.onChange(next);
      },
      (err: unknown) => setError(errorText(err)),
    );
  };
  return (
    <div class="alert-detail" data-testid="alert-detail" data-state={a.state}>
      <h3>{t('alertDetailTitle', { id: a.id, asset: a.assetId, other: a.otherId })}</h3>
      <table class="facts">
        <tbody>
          <tr>
            <th>{t('alertColList')}</th>
            <td>{props.listName}</td>
          </tr>
          <tr>
            <th>{t('alertColState')}</th>
            <td data-testid="alert-state">{t(a.state === 'open' ? 'alertOpen' : 'alertAcknowledged')}</td>
          </tr>
          <tr>
            <th>{t('colTca')}</th>
            <td>{a.tcaUtc}</td>
          </tr>
          <tr>
            <th>{t('colMiss')}</th>
            <td>{a.missKm.toFixed(3)}</td>
          </tr>
          <tr>
            <th>{t('colPc')}</th>
            <td>{pcText(a.pc)}</td>
          </tr>
          <tr>
            <th>{t('alertCreated')}</th>
            <td>{timeText(a.createdAt)}</td>
          </tr>
          <tr>
            <th>{t('alertUpdated')}</th>
            <td>{timeText(a.updatedAt)}</td>
          </tr>
          {a.acknowledgedBy === null ? null : (
            <tr>
              <th>{t('alertAcknowledgedBy')}</th>
              <td data-testid="alert-acknowledged-by">
                {a.acknowledgedBy} · {timeText(a.acknowledgedAt)}
                {a.acknowledgementNote === null ? null : ` · ${a.acknowledgementNote}`}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p>
        <button
          type="button"
          data-testid="alert-open-screening"
          onClick={() => props.onScreening(a.screeningId)}
        >
          {t('jobOpenConjunctions', { id: a.screeningId })}
        </button>
      </p>
      <h4>{t('alertHistory')}</h4>
      <table class="list" data-testid="alert-history">
        <thead>
          <tr>
            <th>{t('alertHistoryAt')}</th>
            <th>{t('alertHistoryChange')}</th>
            <th>{t('colMiss')}</th>
            <th>{t('colPc')}</th>
            <th>{t('alertHistoryBy')}</th>
          </tr>
        </thead>
        <tbody>
          {a.history.map((h, k) => (
            <tr key={k} data-testid="alert-history-row">
              <td>
                <small>{timeText(h.at)}</small>
              </td>
              <td>
                {t(CHANGE_KEYS[h.change])}
                {h.screeningId === null ? '' : ` (#${h.screeningId})`}
              </td>
              <td>{h.missKm === null ? '—' : h.missKm.toFixed(3)}</td>
              <td>{pcText(h.pc)}</td>
              <td>
                {h.by ?? ''}
                {h.note === null ? '' : ` · ${h.note}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {a.state === 'open' ? (
        <form class="ack-form" onSubmit={acknowledge}>
          <label class="form-row">
            <span>{t('alertAckBy')}</span>
            <input
              data-testid="ack-by"
              value={by}
              onInput={(e) => setBy((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <label class="form-row">
            <span>{t('alertAckNote')}</span>
            <input
              data-testid="ack-note"
              value={note}
              onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <button type="submit" data-testid="ack-button">
            {t('alertAcknowledge')}
          </button>
          {error === null ? null : <span class="error"> {error}</span>}
        </form>
      ) : null}
    </div>
  );
}

export function AlertsView(props: { onScreening: (id: number) => void }) {
  const { t } = useI18n();
  const [lists, setLists] = useState<WatchList[] | null>(null);
  const [alerts, setAlerts] = useState<{ items: Alert[]; total: number } | null>(null);
  const [state, setState] = useState<AlertState | 'all'>('all');
  const [listFilter, setListFilter] = useState<number | null>(null);
  const [picked, setPicked] = useState<Alert | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    Promise.all([
      publicApi.watchLists(),
      publicApi.alerts({
        ...(state === 'all' ? {} : { state }),
        ...(listFilter === null ? {} : { watchListId: listFilter }),
      }),
    ]).then(
      ([l, a]) => {
        setLists(l.items);
        setAlerts(a);
        setError(null);
      },
      (err: unknown) => setError(errorText(err)),
    );
  }, [state, listFilter]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const names = new Map((lists ?? []).map((l) => [l.id, l.name]));
  // The open alert stays open when a filter drops it from the list (an acknowledged one under 'open').
  const open = alerts?.items.find((a) => a.id === picked?.id) ?? picked;
  const openId = open?.id ?? null;
  const replace = (next: Alert) => {
    setPicked(next);
    setAlerts((cur) =>
      cur === null ? cur : { ...cur, items: cur.items.map((a) => (a.id === next.id ? next : a)) },
    );
  };

  return (
    <div data-testid="alerts-view">
      <h3>
        {t('watchTitle')}{' '}
        <button type="button" class="refresh-button" data-testid="alerts-refresh" onClick={refresh}>
          {t('refresh')}
        </button>
      </h3>
      {error === null ? null : <p class="error">{error}</p>}
      {lists === null ? <p>{t('objectLoading')}</p> : <WatchLists lists={lists} onRun={refresh} />}
      <h3>{t('alertsTitle', { count: alerts?.total ?? 0 })}</h3>
      <p>
        <label>
          {t('alertFilterState')}{' '}
          <select
            data-testid="alert-state-filter"
            value={state}
            onChange={(e) => setState((e.currentTarget as HTMLSelectElement).value as AlertState | 'all')}
          >
            <option value="all">{t('alertAll')}</option>
            <option value="open">{t('alertOpen')}</option>
            <option value="acknowledged">{t('alertAcknowledged')}</option>
          </select>
        </label>{' '}
        <label>
          {t('alertFilterList')}{' '}
          <select
            value={listFilter ?? ''}
            onChange={(e) => {
              const v = (e.currentTarget as HTMLSelectElement).value;
              setListFilter(v === '' ? null : Number(v));
            }}
          >
            <option value="">{t('alertAll')}</option>
            {(lists ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
      </p>
      {alerts === null ? null : alerts.items.length === 0 ? (
        <p>{t('alertNone')}</p>
      ) : (
        <div class="scroll">
          <table class="list nowrap" data-testid="alert-list">
            <thead>
              <tr>
                <th>{t('alertColPair')}</th>
                <th>{t('colTca')}</th>
                <th>{t('colMiss')}</th>
                <th>{t('colPc')}</th>
                <th>{t('alertColState')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.items.map((a) => {
                const last = a.history[a.history.length - 1];
                return (
                  <tr
                    key={a.id}
                    class={a.id === openId ? 'clickable selected' : 'clickable'}
                    data-testid="alert-row"
                    data-state={a.state}
                    onClick={() => setPicked(a)}
                  >
                    <td>
                      {a.assetId} – {a.otherId}
                    </td>
                    <td title={a.tcaUtc}>{timeText(a.tcaUtc).slice(5, 16)}</td>
                    <td>{a.missKm.toFixed(3)}</td>
                    <td>{pcText(a.pc)}</td>
                    <td>
                      <span class={a.state === 'open' ? 'alert-open' : ''}>
                        {t(a.state === 'open' ? 'alertOpen' : 'alertAcknowledged')}
                      </span>
                      {last === undefined ? null : <small> · {t(CHANGE_KEYS[last.change])}</small>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {open === null ? null : (
        <AlertDetail
          alert={open}
          listName={names.get(open.watchListId) ?? String(open.watchListId)}
          onChange={replace}
          onScreening={props.onScreening}
        />
      )}
    </div>
  );
}
