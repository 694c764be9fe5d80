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
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addOrganisation, addUser, buildServer } from '@hoshimi/server';
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
/** The console user the test signs in as (created in the test store). */
const USERNAME = 'console-tester';
const PASSWORD = 'a test passphrase long enough';
/** Loading 26k objects, the first globe frame and a software-rendered WebGL scene: generous. */
const UI_TIMEOUT_MS = 90_000;

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
    const store = await openSqliteStore(db);
    catalogCount = (await store.asOf(new Date().toISOString())).length;
    await addOrganisation(store, { code: 'TESTORG', name: 'Test', nation: 'USA', maxClearance: 'SECRET' });
    await addUser(store, {
      username: USERNAME,
      organisation: 'TESTORG',
      roles: ['analyst'],
      clearance: 'SECRET',
      password: PASSWORD,
    });
    const app = await buildServer({ store, storeLabel: db });
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

  it('made no request outside loopback and logged no console error', () => {
    expect(outside).toEqual([]);
    // The one wrong password of the sign-in test is a 401 the browser logs as a failed resource.
    expect(consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
