/**
 * The Hoshimi console: the globe of the whole catalog on the left, and a panel with search, the
 * object page and the conjunctions on the right. Every string goes through i18n.ts.
 */
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { AlertsView } from './alerts-view.js';
import { api, type CatalogColumns, OBJECT_TYPES, type ObjectStatusRow } from './api.js';
import { CasesView } from './cases-view.js';
import { ConjunctionsView } from './conjunctions-view.js';
import { EventsView } from './events-view.js';
import { CatalogGlobe, TYPE_COLORS } from './globe.js';
import { I18nContext, initialLanguage, LANGUAGES, type Language, translate, useI18n } from './i18n.js';
import { JobsView } from './jobs-view.js';
import { type ConsoleSession, LoginGate } from './login.js';
import { ObjectView } from './object-view.js';
import './style.css';

type Tab = 'search' | 'object' | 'conjunctions' | 'events' | 'jobs' | 'alerts' | 'cases';

function SearchView(props: { onObject: (id: string) => void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<ObjectStatusRow[] | null>(null);
  const [searched, setSearched] = useState('');
  const run = (e: Event) => {
    e.preventDefault();
    const q = query.trim();
    if (q === '') return;
    api.search(q).then((r) => {
      setSearched(q);
      setResults(r.results);
    });
  };
  return (
    <div>
      <form onSubmit={run} class="search">
        <input
          data-testid="search-input"
          value={query}
          placeholder={t('searchPlaceholder')}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit">{t('searchButton')}</button>
      </form>
      {results === null ? null : results.length === 0 ? (
        <p>{t('searchNone', { query: searched })}</p>
      ) : (
        <div data-testid="search-results">
          <p>{t('searchResults', { count: results.length })}</p>
          <table class="list">
            <thead>
              <tr>
                <th>{t('colNumber')}</th>
                <th>{t('colName')}</th>
                <th>{t('colDesignator')}</th>
                <th>{t('colType')}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr
                  key={r.object.catalogNumber}
                  class="clickable"
                  data-testid="search-row"
                  onClick={() => props.onObject(r.object.catalogNumber)}
                >
                  <td>{r.object.catalogNumber}</td>
                  <td>{r.object.name ?? '—'}</td>
                  <td>{r.object.intlDesignator ?? '—'}</td>
                  <td>{t(`type${r.object.objectType}` as const)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

const UNIX_EPOCH_JD = 2440587.5;

/** The catalog's median epoch (ISO UTC): where the clock starts, every element set near its epoch. */
function medianEpochUtc(c: CatalogColumns): string {
  if (c.count === 0) return c.asOf;
  const jd = c.epochJd.map((d, k) => d + (c.epochJdFrac[k] ?? 0)).sort((a, b) => a - b);
  const mid = jd[Math.floor(jd.length / 2)] ?? UNIX_EPOCH_JD;
  return new Date(Math.round((mid - UNIX_EPOCH_JD) * 86_400_000)).toISOString();
}

function App(props: { readonly session: ConsoleSession }) {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const t = useCallback(
    (key: Parameters<typeof translate>[1], params?: Readonly<Record<string, string | number>>) =>
      translate(language, key, params),
    [language],
  );
  const i18n = useMemo(() => ({ language, t }), [language, t]);
  const [tab, setTab] = useState<Tab>('search');
  const [objectId, setObjectId] = useState<string | null>(null);
  /** Clicking the Events tab starts again from the list (the key remounts the view). */
  const [eventsVisit, setEventsVisit] = useState(0);
  const [catalog, setCatalog] = useState<CatalogColumns | null>(null);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const [mode, setMode] = useState<'3d' | '2d'>('3d');
  const globeDiv = useRef<HTMLDivElement>(null);
  const globe = useRef<CatalogGlobe | null>(null);
  const indexOf = useRef(new Map<string, number>());

  useEffect(() => {
    document.documentElement.lang = language;
    localStorage.setItem('hoshimi.language', language);
  }, [language]);

  const openObject = useCallback((id: string) => {
    setObjectId(id);
    setTab('object');
  }, []);

  // A screening opened from a job's result or an alert (n remounts the view on every request).
  const [screening, setScreening] = useState<{ id: number | null; n: number }>({ id: null, n: 0 });
  const openScreening = useCallback((id: number) => {
    setScreening((s) => ({ id, n: s.n + 1 }));
    setTab('conjunctions');
  }, []);

  const showOnGlobe = useCallback(
    (id: string) => {
      const k = indexOf.current.get(id);
      if (k !== undefined && globe.current !== null && catalog !== null) {
        globe.current.select(k, `${catalog.name[k] ?? ''} ${id}`);
      }
    },
    [catalog],
  );

  useEffect(() => {
    if (globeDiv.current === null) return;
    const g = new CatalogGlobe(globeDiv.current);
    globe.current = g;
    (window as unknown as { hoshimiGlobe: CatalogGlobe }).hoshimiGlobe = g;
    if (new URLSearchParams(location.search).has('bench')) {
      import('./bench-hooks.js').then((m) => m.installBenchHooks(g));
    }
    api.catalog().then(
      (c) => {
        setCatalog(c);
        c.catalogNumber.forEach((id, k) => {
          indexOf.current.set(id, k);
        });
        g.load(c, medianEpochUtc(c), (k) => {
          const id = c.catalogNumber[k];
          if (id === undefined) return;
          g.select(k, `${c.name[k] ?? ''} ${id}`);
          setObjectId(id);
          setTab('object');
        });
      },
      (e: unknown) => setCatalogError(e instanceof Error ? e.message : String(e)),
    );
    return () => g.destroy();
  }, []);

  useEffect(() => {
    globe.current?.setMode(mode);
  }, [mode]);

  return (
    <I18nContext.Provider value={i18n}>
      <div class="app">
        <header>
          <h1>{t('appTitle')}</h1>
          <span class="subtitle">{t('appSubtitle')}</span>
          <span class="count" data-testid="catalog-count">
            {catalogError !== null
              ? t('catalogError', { message: catalogError })
              : catalog === null
                ? t('catalogLoading')
                : catalog.count === 0
                  ? t('catalogEmpty')
                  : t('catalogCount', { count: catalog.count.toLocaleString(language) })}
          </span>
          <span class="spacer" />
          <button
            type="button"
            data-testid="mode-switch"
            onClick={() => setMode(mode === '3d' ? '2d' : '3d')}
          >
            {mode === '3d' ? '2D' : '3D'}
          </button>
          <label>
            {t('language')}{' '}
            <select
              data-testid="language"
              value={language}
              onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value as Language)}
            >
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {l === 'en' ? 'English' : '日本語'}
                </option>
              ))}
            </select>
          </label>
          <span class="who" data-testid="signed-in-as">
            {t('signedInAs', {
              username: props.session.me.username,
              organisation: props.session.me.organisation,
            })}
          </span>
          <button type="button" data-testid="sign-out" onClick={props.session.signOut}>
            {t('signOut')}
          </button>
        </header>
        <main>
          <div class="globe" ref={globeDiv} data-testid="globe">
            <div class="legend">
              <strong>{t('legendTitle')}</strong>
              {OBJECT_TYPES.map((type, k) => (
                <span key={type}>
                  <i style={{ background: TYPE_COLORS[k] }} /> {t(`type${type}` as const)}
                </span>
              ))}
            </div>
          </div>
          <aside>
            <nav>
              {(['search', 'object', 'conjunctions', 'jobs', 'alerts'] as const).map((k) => (
                <button
                  type="button"
                  key={k}
                  data-testid={`tab-${k}`}
                  class={tab === k ? 'active' : ''}
                  onClick={() => setTab(k)}
                >
                  {t(
                    k === 'search'
                      ? 'tabSearch'
                      : k === 'object'
                        ? 'tabObject'
                        : k === 'jobs'
                          ? 'tabJobs'
                          : k === 'alerts'
                            ? 'tabAlerts'
                            : 'tabConjunctions',
                  )}
                </button>
              ))}
              <button
                type="button"
                data-testid="tab-events"
                class={tab === 'events' ? 'active' : ''}
                onClick={() => {
                  setTab('events');
                  setEventsVisit((n) => n + 1);
                }}
              >
                {t('tabEvents')}
              </button>
              <button
                type="button"
                data-testid="tab-cases"
                class={tab === 'cases' ? 'active' : ''}
                onClick={() => setTab('cases')}
              >
                {t('tabCases')}
              </button>
            </nav>
            <section>
              {tab === 'search' ? (
                <SearchView onObject={openObject} />
              ) : tab === 'object' ? (
                <ObjectView id={objectId} onShow={showOnGlobe} />
              ) : tab === 'jobs' ? (
                <JobsView onScreening={openScreening} catalogEpochUtc={catalog?.latestEpochUtc ?? null} />
              ) : tab === 'alerts' ? (
                <AlertsView onScreening={openScreening} />
              ) : tab === 'events' ? (
                <EventsView key={eventsVisit} onObject={openObject} />
              ) : tab === 'cases' ? (
                <CasesView />
              ) : (
                <ConjunctionsView key={screening.n} screeningId={screening.id} onObject={openObject} />
              )}
            </section>
          </aside>
        </main>
      </div>
    </I18nContext.Provider>
  );
}

const root = document.getElementById('app');
// The console shows once signed in (login.tsx); every API call then carries the session cookie.
if (root !== null) render(<LoginGate>{(session) => <App session={session} />}</LoginGate>, root);
