/**
 * The web console in a real browser: Debian's Chromium driven by playwright-core, against a real
 * server (buildServer + listen on loopback) over a real SQLite store holding the 2023-10-09
 * catalog, Jason-3's element-set history 2016–2022 (the dpshorten maneuver benchmark) and a small stored screening made by
 * the `hoshimi screen` command. Every request that leaves loopback is blocked and recorded; the test
 * fails on any of them and on any console error. Screenshots go to out/screenshots/.
 *
 * Chromium: /usr/bin/chromium (`apt-get install chromium`, done by .ci/run), or HOSHIMI_CHROMIUM.
 * WebGL runs on SwiftShader (--disable-gpu), which Cesium accepts.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { type AstroContext, loadContext } from '@hoshimi/astro';
import { addOrganisation, addUser, buildServer, issueToken, SESSION_COOKIE } from '@hoshimi/server';
import { openSqliteStore } from '@hoshimi/store';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REFERENCE_DATA =
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data');
const REPO = join(import.meta.dirname, '../../..');
const CHROMIUM = process.env['HOSHIMI_CHROMIUM'] ?? '/usr/bin/chromium';
const WEB_DIST = join(REPO, 'packages/web/dist/index.html');
export const SCREENSHOT_DIR = join(REPO, 'out/screenshots');
const CATALOG = join(REFERENCE_DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');
const JASON3_HISTORY = join(REFERENCE_DATA, 'history/dpshorten-benchmark/processed_files/Jason-3.tle');
/** The event views' inputs: catalogs for the RPO pairs and the reentry, Microsat-R's breakup. */
const CATALOG_2021 = join(REFERENCE_DATA, 'catalog/full_catalog_2021-05-29.3le.txt.gz');
const MICROSAT_R = join(REFERENCE_DATA, 'fragmentation/microsat-r');
/** RPO pairs of the 2023-10-10 search: proximity (48274–56446), co-location (43339–43450), attached (53239–54216). */
const RPO_OBJECTS = ['48274', '56446', '43339', '43450', '53239', '54216'];
/** The CZ-5B core stage that re-entered on 2021-05-09. */
const REENTRY_OBJECT = '48275';
/** The console user the test signs in as (created in the test store). */
const USERNAME = 'console-tester';
const PASSWORD = 'a test passphrase long enough';
/** Loading 26k objects, the first globe frame and a software-rendered WebGL scene: generous. */
const UI_TIMEOUT_MS = 90_000;

/** `hoshimi` without blocking the test worker's event loop (its RPC to vitest keeps answering on a loaded machine). */
async function hoshimiAsync(...args: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [join(REPO, 'packages/cli/bin/hoshimi.js'), ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The 3LE records of `ids` from a gzipped catalog, as a 3LE text. */
function pick3le(gzFile: string, ids: readonly string[]): string {
  const lines = gunzipSync(readFileSync(gzFile)).toString('utf8').split(/\r?\n/);
  const out: string[] = [];
  for (let k = 0; k + 2 < lines.length; k++) {
    const l1 = lines[k + 1] as string;
    const l2 = lines[k + 2] as string;
    if (l1.startsWith('1 ') && l2.startsWith('2 ') && ids.includes(String(Number(l1.slice(2, 7))))) {
      out.push(lines[k] as string, l1, l2);
      k += 2;
    }
  }
  return `${out.join('\n')}\n`;
}

function hoshimi(...args: string[]): void {
  const r = spawnSync(process.execPath, [join(REPO, 'packages/cli/bin/hoshimi.js'), ...args], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`hoshimi ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

describe('web console in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-web-'));
  const db = join(dir, 'catalog.db');
  let browser: Browser;
  let page: Page;
  let origin = '';
  let catalogCount = 0;
  /** Bearer token of the test user for calls made outside the browser. */
  let apiToken = '';
  const apiFetch = (url: string, init: RequestInit = {}) =>
    fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${apiToken}` },
    });
  const outside: string[] = [];
  const consoleErrors: string[] = [];
  let close: () => Promise<void> = async () => {};

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set HOSHIMI_CHROMIUM`,
      );
    }
    if (!existsSync(WEB_DIST)) throw new Error(`the console is not built (${WEB_DIST}): run npm run build`);
    hoshimi('catalog', 'import', CATALOG, '--db', db);
    hoshimi('catalog', 'import', JASON3_HISTORY, '--db', db, '--source', 'dpshorten');
    hoshimi(
      'screen',
      '--db',
      db,
      '--as-of',
      '2023-10-10T00:00:00Z',
      '--days',
      '0.25',
      '--primaries',
      '43013',
      '--threshold-km',
      '20',
      '--workers',
      '1',
      '--out',
      join(dir, 'screen.csv'),
    );
    // One event of each family, from the detectors' CLI commands, imported into the store: Jason-3's
    // maneuvers, the RPO search over three pairs of the 2023 catalog, Microsat-R's breakup (its
    // debris and parent sets imported for the Gabbard diagram), the CZ-5B core stage's reentry.
    const ev = (name: string) => join(dir, `events-${name}.json`);
    await hoshimiAsync(
      'maneuvers',
      '--elements',
      JASON3_HISTORY,
      '--out',
      join(dir, 'maneuvers.txt'),
      '--events',
      ev('man'),
    );
    const pairs = join(dir, 'pairs.tle');
    writeFileSync(pairs, pick3le(CATALOG, RPO_OBJECTS));
    await hoshimiAsync(
      'rpo',
      '--elements',
      pairs,
      '--from',
      '2023-10-10T00:00:00Z',
      '--days',
      '3',
      '--all',
      '--out',
      join(dir, 'rpo.txt'),
      '--events',
      ev('rpo'),
    );
    const debris = join(MICROSAT_R, 'microsat-r_debris_2019-04-04.tle');
    const parent = join(MICROSAT_R, 'microsat-r_43947_parent_2019-03-10_to_03-26.tle');
    await hoshimiAsync(
      'fragmentation',
      'origin',
      '--parent',
      '43947',
      '--debris',
      debris,
      '--parent-elements',
      parent,
      '--json',
      '--out',
      join(dir, 'origin.json'),
      '--events',
      ev('frag'),
    );
    await hoshimiAsync('catalog', 'import', debris, parent, '--db', db, '--source', 'microsat-r');
    const cz5b = join(dir, 'cz5b.tle');
    writeFileSync(cz5b, pick3le(CATALOG_2021, [REENTRY_OBJECT]));
    await hoshimiAsync(
      'reentry',
      '--elements',
      cz5b,
      '--id',
      REENTRY_OBJECT,
      '--json',
      '--out',
      join(dir, 'reentry.json'),
      '--events',
      ev('reentry'),
    );
    await hoshimiAsync('catalog', 'import', cz5b, '--db', db, '--source', 'catalog-2021-05-29');
    for (const name of ['man', 'rpo', 'frag', 'reentry'])
      await hoshimiAsync('events', 'import', ev(name), '--db', db);
    const store = await openSqliteStore(db);
    catalogCount = (await store.asOf(new Date().toISOString())).length;
    await addOrganisation(store, { code: 'TESTORG', name: 'Test', nation: 'USA', maxClearance: 'SECRET' });
    await addUser(store, {
      username: USERNAME,
      organisation: 'TESTORG',
      roles: ['operator'],
      clearance: 'SECRET',
      password: PASSWORD,
    });
    // The test's own calls to the API (watch lists, checks on stored results) use a token.
    const { secret } = await issueToken(store, {
      username: USERNAME,
      name: 'browser test',
      scopes: ['read', 'write'],
      days: 1,
    });
    apiToken = secret;
    const app = await buildServer({ store, storeLabel: db, ...jobsAndCdmOptions() });
    origin = await app.listen({ host: '127.0.0.1', port: 0 });
    close = async () => {
      await app.close();
      await store.close();
    };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--enable-unsafe-swiftshader',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'en-US' });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === origin || url.protocol === 'data:' || url.protocol === 'blob:')
        return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await close();
  });

  it('asks for a sign-in first, refuses a wrong password, then signs in', async () => {
    await page.goto(`${origin}/`);
    await page.getByTestId('login-username').fill(USERNAME);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect
      .poll(() => page.getByTestId('login-error').textContent())
      .toBe('Wrong user name or password.');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('catalog-count').waitFor();
    // The session cookie is HttpOnly: the page's scripts cannot read it.
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('loads the globe with the whole catalog, moving, in 3D and on the 2D map', async () => {
    await expect
      .poll(() => page.getByTestId('catalog-count').textContent(), { timeout: UI_TIMEOUT_MS })
      .toBe(`${catalogCount.toLocaleString('en')} objects`);
    expect(catalogCount).toBeGreaterThan(20_000);
    // The first frame drawn with every position from the SGP4 worker (WebGL through SwiftShader).
    await page.waitForFunction('window.hoshimiGlobe?.stats.firstCatalogFrameMs != null', undefined, {
      timeout: UI_TIMEOUT_MS,
    });
    const stats = (await page.evaluate('window.hoshimiGlobe.stats')) as { visible: number; updates: number };
    // Objects SGP4 cannot propagate at the clock's time (decayed sets) are hidden, the rest drawn.
    expect(stats.visible).toBeGreaterThan(0.9 * catalogCount);
    await expect
      .poll(() => page.evaluate('window.hoshimiGlobe.stats.updates'), { timeout: UI_TIMEOUT_MS })
      .toBeGreaterThan(2);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'globe-catalog.png') });
    // The 2D map (Cesium SceneMode.SCENE2D = 2) keeps the catalog moving; then back to the globe (3).
    const before = (await page.evaluate('window.hoshimiGlobe.stats.updates')) as number;
    await page.getByTestId('mode-switch').click();
    await expect.poll(() => page.evaluate('window.hoshimiGlobe.viewer.scene.mode')).toBe(2);
    await expect
      .poll(() => page.evaluate('window.hoshimiGlobe.stats.updates'), { timeout: UI_TIMEOUT_MS })
      .toBeGreaterThan(before);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'map-2d.png') });
    await page.getByTestId('mode-switch').click();
    await expect.poll(() => page.evaluate('window.hoshimiGlobe.viewer.scene.mode')).toBe(3);
    // Software WebGL (SwiftShader) on a shared CI machine draws about a frame a second: stop the
    // clock so the rest of the test is not waiting behind frames.
    await page.evaluate('window.hoshimiGlobe.viewer.clock.shouldAnimate = false');
  });

  it('finds an object by name, number and designator and opens its page with the history plot', async () => {
    await page.getByTestId('tab-search').click();
    await page.getByTestId('search-input').fill('ISS (ZARYA)');
    await page.getByTestId('search-input').press('Enter');
    await expect.poll(() => page.getByTestId('search-row').first().textContent()).toContain('25544');
    await page.getByTestId('search-input').fill('1998-067A');
    await page.getByTestId('search-input').press('Enter');
    await expect.poll(() => page.getByTestId('search-row').first().textContent()).toContain('25544');
    await page.getByTestId('search-input').fill('41240');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('search-row').first().click();
    await expect.poll(() => page.getByTestId('object-page').textContent()).toContain('41240');
    // Jason-3's imported history: the table lists every set and the Vega plot renders.
    const text = (await page.getByTestId('object-page').textContent()) ?? '';
    expect(text).toMatch(/Element history \(\d{4} sets\)/);
    expect(text).toContain('dpshorten');
    await page.waitForSelector('[data-testid="history-plot"][data-rendered="true"] svg', {
      timeout: UI_TIMEOUT_MS,
    });
    await page.getByRole('button', { name: 'Show on the globe' }).click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'object-history.png') });
  });

  it('lists the conjunctions and opens one with its RTN miss vector, Pc and range plot', async () => {
    await page.getByTestId('tab-conjunctions').click();
    const rows = page.getByTestId('conjunction-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await rows.first().click();
    const detail = page.getByTestId('conjunction-detail');
    await expect.poll(() => detail.textContent()).toContain('ALFANO-2005-MAX');
    expect(await page.getByTestId('miss-rtn').textContent()).toMatch(/Radial-?\d+\.\d{3} km/);
    await page.waitForSelector('[data-testid="range-plot"][data-rendered="true"] svg', {
      timeout: UI_TIMEOUT_MS,
    });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conjunction.png') });
  });

  it('switches the interface to Japanese and back at run time', async () => {
    await page.getByTestId('language').selectOption('ja');
    await expect
      .poll(() => page.getByTestId('catalog-count').textContent())
      .toBe(`${catalogCount.toLocaleString('ja')} 物体`);
    expect(await page.getByTestId('tab-search').textContent()).toBe('検索');
    expect(await page.getByTestId('conjunction-detail').textContent()).toContain('動径');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conjunction-ja.png') });
    await page.getByTestId('language').selectOption('en');
    expect(await page.getByTestId('tab-search').textContent()).toBe('Search');
  });

  it('starts a small screening job, follows its progress live and opens its conjunctions', async () => {
    await page.getByTestId('tab-jobs').click();
    await page.getByTestId('job-kind').selectOption('screening');
    await page.getByTestId('job-objects').fill('25544');
    await page.getByTestId('job-window').fill('2');
    await page.getByTestId('job-window-unit').selectOption('hours');
    await page.getByTestId('job-threshold').fill(String(SMALL_SCREENING_THRESHOLD_KM));
    await page.getByTestId('job-as-of').fill(JOBS_CATALOG_TIME);
    await page.getByTestId('job-submit').click();
    const detail = page.getByTestId('job-detail');
    await expect
      .poll(() => detail.getAttribute('data-state'), { timeout: JOB_TIMEOUT_MS, interval: 500 })
      .toBe('succeeded');
    // The progress bar at its end and the stages streamed over SSE (at least the final state).
    expect(await page.getByTestId('job-percent').textContent()).toBe('100 %');
    expect(await page.getByTestId('job-progress').getAttribute('data-fraction')).toBe('1.000');
    const stages = await page.getByTestId('job-stages').locator('li').allTextContents();
    expect(stages.length).toBeGreaterThan(0);
    expect(stages.at(-1)).toMatch(/^100 %/);
    const result = (await page.getByTestId('job-result').textContent()) ?? '';
    const m = /(\d+) conjunctions among (\d+) objects \(screening #(\d+)\)/.exec(result);
    expect(m).not.toBeNull();
    const [count, objects, screeningId] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
    expect(objects).toBeGreaterThan(20_000);
    expect(count).toBeGreaterThan(0);
    // The job's row in the list says the same.
    await expect
      .poll(() => page.locator('[data-testid="job-row"][data-state="succeeded"]').first().textContent())
      .toContain(`screening #${screeningId}`);
    await tallScreenshot(page, 'jobs-screening.png', 'job-detail');
    // The result's link opens the conjunctions of that screening (not merely the latest).
    await page.getByTestId('job-open-conjunctions').click();
    const list = page.getByTestId('conjunction-list');
    await expect.poll(() => list.getAttribute('data-screening-id')).toBe(String(screeningId));
    expect(await page.getByTestId('conjunction-screening').textContent()).toContain(
      `Screening #${screeningId}: ${count} conjunctions`,
    );
    await expect.poll(() => page.getByTestId('conjunction-row').count()).toBe(Math.min(count, 500));
    expect(await page.getByTestId('conjunction-row').first().textContent()).toContain('25544');
    // The setup's screening stays reachable from the picker.
    await page.getByTestId('screening-select').selectOption({ index: 2 });
    await expect.poll(() => list.getAttribute('data-screening-id')).not.toBe(String(screeningId));
    await page.getByTestId('screening-select').selectOption(String(screeningId));
    await expect.poll(() => list.getAttribute('data-screening-id')).toBe(String(screeningId));
  });

  it("shows a conjunction's Pc method, geometry and its CCSDS CDM", async () => {
    await page.getByTestId('conjunction-row').first().click();
    const detail = page.getByTestId('conjunction-detail');
    await expect.poll(() => detail.textContent()).toContain('Pc method');
    expect(await page.getByTestId('miss-rtn').textContent()).toMatch(/Cross-track-?\d+\.\d{3} km/);
    await page.getByTestId('cdm-toggle').click();
    await expect.poll(() => page.getByTestId('cdm-text').textContent()).toContain('CCSDS_CDM_VERS');
    const cdm = (await page.getByTestId('cdm-text').textContent()) ?? '';
    expect(cdm).toMatch(/MISS_DISTANCE\s*=\s*\d/);
    expect(cdm).toMatch(/OBJECT_DESIGNATOR\s*=\s*0*25544/);
    const href = (await page.getByTestId('cdm-download').getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/conjunctions\/\d+-\d+\/cdm$/);
    const res = await apiFetch(`${origin}${href}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('CCSDS_CDM_VERS');
    await tallScreenshot(page, 'conjunction-cdm.png', 'cdm');
  });

  it('cancels a running screening job and shows it cancelled', async () => {
    await page.getByTestId('tab-jobs').click();
    await page.getByTestId('job-kind').selectOption('screening');
    // Every object against every other over a day: minutes of work, cancelled within seconds.
    await page.getByTestId('job-objects').fill('');
    await page.getByTestId('job-window').fill('1');
    await page.getByTestId('job-window-unit').selectOption('days');
    await page.getByTestId('job-threshold').fill('5');
    // The 2023 catalog is years old for the browser: the form offers the newest epoch as the catalog time.
    await page.getByTestId('job-use-catalog-time').click();
    expect(await page.getByTestId('job-as-of').inputValue()).toMatch(/^2023-10-\d\dT\d\d:\d\d:\d\dZ$/);
    await page.getByTestId('job-submit').click();
    const detail = page.getByTestId('job-detail');
    await expect.poll(() => detail.getAttribute('data-state'), { timeout: JOB_TIMEOUT_MS }).toBe('running');
    await page.getByTestId('job-cancel').click();
    await expect
      .poll(() => detail.getAttribute('data-state'), { timeout: JOB_TIMEOUT_MS, interval: 500 })
      .toBe('cancelled');
    expect(await page.getByTestId('job-state').textContent()).toBe('cancelled');
    expect(await page.getByTestId('job-cancel').count()).toBe(0);
    const rows = page.getByTestId('job-row');
    await expect.poll(() => rows.first().getAttribute('data-state')).toBe('cancelled');
    expect(await rows.nth(1).getAttribute('data-state')).toBe('succeeded');
    await tallScreenshot(page, 'jobs-cancelled.png', 'job-detail');
  });

  it("shows a watch list's alerts and acknowledges one, keeping its history", async () => {
    // A watch list made and screened through the API, as a script or the scheduler would.
    const post = async (path: string, body?: unknown) => {
      const res = await apiFetch(`${origin}${path}`, {
        method: 'POST',
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as Record<string, unknown>;
    };
    const list = await post('/watch-lists', {
      name: 'ISS',
      assets: ['25544'],
      schedule: { everyHours: 8, days: WATCH_DAYS },
      thresholds: { maxMissKm: SMALL_SCREENING_THRESHOLD_KM, minPc: 1e-6 },
    });
    const job = await post(`/watch-lists/${list['id']}/run`);
    await expect
      .poll(
        async () =>
          ((await (await apiFetch(`${origin}/jobs/${job['id']}`)).json()) as { state: string }).state,
        { timeout: JOB_TIMEOUT_MS, interval: 1000 },
      )
      .toBe('succeeded');
    await expect
      .poll(async () => ((await (await apiFetch(`${origin}/alerts`)).json()) as { total: number }).total, {
        timeout: UI_TIMEOUT_MS,
      })
      .toBeGreaterThan(0);

    await page.getByTestId('tab-alerts').click();
    await expect.poll(() => page.getByTestId('watch-list-row').first().textContent()).toContain('every 8 h');
    const row = page.getByTestId('alert-row').first();
    await expect.poll(() => row.getAttribute('data-state')).toBe('open');
    await row.click();
    const alert = page.getByTestId('alert-detail');
    expect(await page.getByTestId('alert-state').textContent()).toBe('open');
    expect(await page.getByTestId('alert-history-row').count()).toBe(1);
    expect(await page.getByTestId('alert-history-row').first().textContent()).toContain('new');
    await page.getByTestId('ack-by').fill('Duty analyst');
    await page.getByTestId('ack-note').fill('TLE-based miss, no action');
    await page.getByTestId('ack-button').click();
    await expect.poll(() => alert.getAttribute('data-state')).toBe('acknowledged');
    expect(await page.getByTestId('alert-state').textContent()).toBe('acknowledged');
    expect(await page.getByTestId('alert-acknowledged-by').textContent()).toContain('Duty analyst');
    await expect.poll(() => page.getByTestId('alert-history-row').count()).toBe(2);
    expect(await page.getByTestId('alert-history-row').nth(1).textContent()).toContain(
      'Duty analyst · TLE-based miss, no action',
    );
    expect(await page.getByTestId('ack-button').count()).toBe(0);
    // The server keeps it: acknowledged, with its history.
    const id = await page.getByTestId('alert-detail').locator('h3').textContent();
    const alertId = /Alert (\d+)/.exec(id ?? '')?.[1];
    const stored = (await (await apiFetch(`${origin}/alerts/${alertId}`)).json()) as {
      state: string;
      history: { change: string; by: string | null }[];
    };
    expect(stored.state).toBe('acknowledged');
    expect(stored.history.map((h) => h.change)).toEqual(['new', 'acknowledged']);
    await tallScreenshot(page, 'alerts.png', 'alerts-view');
    // The same page in Japanese.
    await page.getByTestId('language').selectOption('ja');
    await expect.poll(() => page.getByTestId('alert-state').textContent()).toBe('確認済み');
    expect(await page.getByTestId('tab-alerts').textContent()).toBe('アラート');
    expect(await page.getByTestId('tab-jobs').textContent()).toBe('ジョブ');
    await tallScreenshot(page, 'alerts-ja.png', 'alerts-view');
    await page.getByTestId('language').selectOption('en');
  });

  /** Opens the Events tab filtered to `type`, opens its first event and waits for its chart. */
  async function openEvent(type: string, chart: string): Promise<void> {
    await page.getByTestId('tab-events').click();
    await page.getByTestId('events-filter').selectOption(type);
    const row = page.locator(`[data-testid="event-row"][data-event-type="${type}"]`).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    await row.click();
    await page.waitForSelector(`[data-testid="event-detail"][data-event-type="${type}"]`);
    await page.waitForSelector(`[data-testid="${chart}"][data-rendered="true"] svg`, {
      timeout: UI_TIMEOUT_MS,
    });
    // The chart sits below the event's facts: scroll the panel to it for the screenshots.
    await page.evaluate(
      `document.querySelector('[data-testid="${chart}"]').closest('section').scrollTop = 1e6`,
    );
  }

  it('lists the detection events of every type, paged, with score, threshold and detector', async () => {
    await page.getByTestId('tab-events').click();
    await expect.poll(() => page.getByTestId('events-count').textContent()).toMatch(/Events 1–25 of \d+/);
    const total = Number(/of (\d+)/.exec((await page.getByTestId('events-count').textContent()) ?? '')?.[1]);
    // 33 Jason-3 maneuvers, 7 RPO findings, 1 breakup, 1 reentry.
    expect(total).toBeGreaterThanOrEqual(42);
    await page.getByTestId('events-next').click();
    await expect.poll(() => page.getByTestId('events-count').textContent()).toContain('Events 26–');
    for (const type of ['maneuver', 'proximity', 'co-location', 'attached', 'fragmentation', 'reentry']) {
      await page.getByTestId('events-filter').selectOption(type);
      await expect
        .poll(() => page.locator(`[data-testid="event-row"][data-event-type="${type}"]`).count())
        .toBeGreaterThan(0);
      await expect
        .poll(() => page.locator(`[data-testid="event-row"]:not([data-event-type="${type}"])`).count())
        .toBe(0);
    }
    await page.getByTestId('events-filter').selectOption('maneuver');
    await expect.poll(() => page.getByTestId('event-row').first().textContent()).toContain('41240');
    const row = (await page.getByTestId('event-row').first().textContent()) ?? '';
    expect(row).toContain('hoshimi-maneuver-robust-steps');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'events-list.png') });
  });

  it('opens a maneuver on its element history with the stored maneuvers marked', async () => {
    await openEvent('maneuver', 'event-maneuver-plot');
    expect(await page.getByTestId('event-dv').textContent()).toMatch(/\d+(\.\d+)? m\/s/);
    // The maneuver rules are drawn (Vega's SVG renderer: one path per rule in a mark-rule group).
    expect(
      await page.locator('[data-testid="event-maneuver-plot"] g.mark-rule line').count(),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'event-maneuver.png') });
  });

  it('opens proximity, co-location and attached pairs with their relative motion in RTN', async () => {
    for (const type of ['proximity', 'co-location', 'attached']) {
      await openEvent(type, 'event-pair-plot');
      const points = await page.locator('[data-testid="event-pair-plot"] g.mark-symbol path').count();
      expect(points).toBeGreaterThan(10);
      if (type === 'proximity') await page.screenshot({ path: join(SCREENSHOT_DIR, 'event-proximity.png') });
    }
  });

  it('opens a breakup with its estimated time and place and the Gabbard diagram of its fragments', async () => {
    await openEvent('fragmentation', 'event-gabbard-plot');
    expect(await page.getByTestId('event-breakup-time').textContent()).toContain('2019-03-27T05:4');
    expect(await page.getByTestId('event-detail').textContent()).toMatch(/latitude 18\.\d+°/);
    // 57 fragments and the parent, each an apogee and a perigee point.
    const points = await page.locator('[data-testid="event-gabbard-plot"] g.mark-symbol path').count();
    expect(points).toBeGreaterThanOrEqual(2 * 57);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'event-fragmentation.png') });
  });

  it('opens a reentry with its window and the ground track over it', async () => {
    await openEvent('reentry', 'event-reentry-plot');
    expect(await page.getByTestId('event-reentry-best').textContent()).toContain('2021-05-09');
    expect(
      await page.locator('[data-testid="event-reentry-plot"] g.mark-symbol path').count(),
    ).toBeGreaterThan(10);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'event-reentry.png') });
    // In Japanese the view's text follows.
    await page.getByTestId('language').selectOption('ja');
    await expect.poll(() => page.getByTestId('event-detail').textContent()).toContain('再突入予測期間');
    await page.getByTestId('language').selectOption('en');
  });

  it('marks the stored maneuver events on the object page history plot', async () => {
    await page.getByTestId('tab-events').click();
    await page.getByTestId('events-filter').selectOption('maneuver');
    await page.getByTestId('event-row').first().click();
    await page.getByRole('button', { name: 'Object page 41240' }).click();
    await expect
      .poll(() => page.getByTestId('history-stored-maneuvers').getAttribute('data-count'), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe('33');
    await page.waitForSelector('[data-testid="history-plot"][data-rendered="true"] svg', {
      timeout: UI_TIMEOUT_MS,
    });
    await expect
      .poll(() => page.locator('[data-testid="history-plot"] g.mark-rule line').count(), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBeGreaterThanOrEqual(33);
  });

  it('opens a case from the breakup and shows its evidence and charts in the Cases tab', async () => {
    // Opened through the API by the test user (as an analyst's script would), then read in the console.
    const events = (await (await apiFetch(`${origin}/events?type=fragmentation&limit=100`)).json()) as {
      items: { id: number; kind: string }[];
    };
    const breakup = events.items.find((e) => e.kind === 'breakup') ?? events.items[0];
    expect(breakup).toBeDefined();
    const opened = await apiFetch(`${origin}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: breakup!.id }),
    });
    expect(opened.status).toBeLessThan(300);
    await page.getByTestId('tab-cases').click();
    const row = page.getByTestId('case-row').first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    await row.click();
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('draft');
    await expect
      .poll(() => page.locator('[data-testid="case-evidence"] tbody tr').count(), { timeout: UI_TIMEOUT_MS })
      .toBeGreaterThan(1);
    await page.waitForSelector('[data-testid="case-plot"][data-rendered="true"] svg', {
      timeout: UI_TIMEOUT_MS,
    });
    await tallScreenshot(page, 'case.png', 'case-detail');
  });

  it('signs out: the sign-in form shows again and the old session cookie no longer reads data', async () => {
    const session = (await page.context().cookies(origin)).find((c) => c.name === SESSION_COOKIE);
    expect(session).toBeDefined();
    const cookie = `${SESSION_COOKIE}=${session!.value}`;
    const read = () => fetch(`${origin}/events?limit=1`, { headers: { cookie } });
    expect((await read()).status).toBe(200);
    await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toBe(`${USERNAME} (TESTORG)`);
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    // The server ended the session: the cookie the browser held is refused, and the browser's is cleared.
    expect((await read()).status).toBe(401);
    expect((await page.context().cookies(origin)).find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    // Signing in again works (and the Japanese label is there when the console is in Japanese).
    await page.getByTestId('login-username').fill(USERNAME);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('catalog-count').waitFor();
    await page.getByTestId('language').selectOption('ja');
    await expect.poll(() => page.getByTestId('sign-out').textContent()).toBe('サインアウト');
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => page.getByTestId('sign-out').textContent()).toBe('Sign out');
  });

  it('made no request outside loopback and logged no console error', () => {
    expect(outside).toEqual([]);
    // The one wrong password of the sign-in test is a 401 the browser logs as a failed resource (and
    // so may a view's refresh that was in flight when the console signed out).
    expect(consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});

/** Catalog time of the console's jobs: the day after the 2023-10-09 catalog. */
const JOBS_CATALOG_TIME = '2023-10-10T00:00:00Z';
/** A screening job of the whole catalog on one worker, on a shared 2-core machine: generous. */
const JOB_TIMEOUT_MS = 240_000;
/** 25 km around the ISS over two hours: a few secondaries, so the result has rows to open. */
const SMALL_SCREENING_THRESHOLD_KM = 25;
/** The watch list screens this many days ahead (a short run; alerts need only one encounter). */
const WATCH_DAYS = 2 / 24;

/**
 * The server options the jobs, alerts and CDM views need: jobs, schedules and alerts on a clock
 * that starts at JOBS_CATALOG_TIME and moves on in real time (the element sets of 2023 are fresh
 * at that time, as they would be for a live catalog now), and the leap-second and EOP tables a CDM
 * needs (TEME to EME2000).
 */
function jobsAndCdmOptions(): {
  jobs: { now: () => Date };
  context: () => AstroContext;
} {
  const started = Date.now();
  const start = Date.parse(JOBS_CATALOG_TIME);
  let context: AstroContext | undefined;
  return {
    jobs: { now: () => new Date(start + Date.now() - started) },
    context: () => {
      context ??= tablesContext();
      return context;
    },
  };
}

function tablesContext(): AstroContext {
  const text = (rel: string) => {
    const raw = readFileSync(join(REFERENCE_DATA, rel));
    return (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
  };
  const r = loadContext({
    leapSecondsText: text('earth/Leap_Second.dat'),
    leapSecondsFile: 'Leap_Second.dat',
    eopText: text('earth/finals2000A.all.gz'),
    eopFile: 'finals2000A.all',
    eopFormat: 'auto',
    allowEopPredictions: true,
    afterLeapSecondExpiry: 'hold-last',
    eopBeyondTable: 'hold-last',
  });
  if (!r.ok) throw new Error(`leap-second/EOP tables: ${JSON.stringify(r.issues)}`);
  return r.value;
}

/**
 * A screenshot of the page 1,250 px tall with the element `testId` scrolled to the top of the side
 * panel, so that a whole view (a job with its stages and the list, an alert with its history) is in
 * the picture; the window goes back to its size after.
 */
async function tallScreenshot(page: Page, file: string, testId: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: size?.width ?? 1400, height: 1250 });
  await page.getByTestId(testId).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  // The globe redraws at the new size on its next frame (software WebGL: about a second).
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(SCREENSHOT_DIR, file) });
  if (size !== null) await page.setViewportSize(size);
}
