/**
 * Browser benchmark of the web console, in Debian's Chromium (playwright-core, headless, software
 * WebGL through SwiftShader: no GPU on CI machines, so frame times are upper bounds) against a real
 * server on loopback over the 2023-10-09 catalog (26,140 objects):
 * - time to the first globe frame drawn with every catalog position, from navigation start
 *   (median of several fresh page loads; goal ≤ 3 s);
 * - one catalog update: SGP4 of every object in the Web Worker (per frame, computed in blocks of 16
 *   frames as the console requests them), and on the main thread the copy of
 *   the positions into the PointPrimitiveCollection (goal ≤ 8 ms for all 26k) and the same plus one
 *   frame; the peer in the same page is the naive approach, one Cesium Entity per object with its
 *   position property set per update, then the entity system's update and one frame
 *   (web/src/bench-hooks.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addOrganisation, addUser, buildServer } from '@hoshimi/server';
import { openSqliteStore } from '@hoshimi/store';
import { chromium } from 'playwright-core';
import { REPO_ROOT, record, refFile } from './harness.js';

const CHROMIUM = process.env['HOSHIMI_CHROMIUM'] ?? '/usr/bin/chromium';
const PAGE_LOADS = 3;
const UPDATE_ROUNDS = 9;
const TIMEOUT_MS = 180_000;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

interface UpdateTimings {
  readonly workerMs: number[];
  readonly applyMs: number[];
  readonly frameMs: number[];
  readonly naiveFrameMs: number[];
  readonly naiveCreateMs: number;
}

export async function benchWeb(): Promise<void> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  if (!existsSync(join(REPO_ROOT, 'packages/web/dist/index.html'))) {
    throw new Error('the console is not built: npm run build');
  }
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-bench-web-'));
  const store = await openSqliteStore(join(dir, 'catalog.db'), { mode: 'create' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--enable-unsafe-swiftshader',
    ],
  });
  try {
    const path = refFile('catalog/full_catalog_2023-10-09.3le.txt.gz');
    await store.importFile({ name: path, bytes: readFileSync(path) });
    // The console signs in first (one login, outside the timed page loads): a session cookie
    // shared by every page of the browser context, as a user's browser would hold it.
    const password = 'benchmark passphrase';
    await addOrganisation(store, { code: 'BENCH', name: 'Benchmark', nation: 'USA', maxClearance: 'SECRET' });
    await addUser(store, {
      username: 'bench',
      organisation: 'BENCH',
      roles: ['viewer'],
      clearance: 'SECRET',
      password,
    });
    const app = await buildServer({ store, storeLabel: 'bench' });
    const origin = await app.listen({ host: '127.0.0.1', port: 0 });
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const login = await context.request.post(`${origin}/auth/login`, {
      data: { username: 'bench', password },
    });
    if (login.status() !== 200) throw new Error(`console login failed: ${login.status()}`);
    try {
      const firstFrame: number[] = [];
      let timings: UpdateTimings | null = null;
      let objects = 0;
      for (let k = 0; k < PAGE_LOADS; k++) {
        const page = await context.newPage();
        await page.goto(`${origin}/?bench`);
        await page.waitForFunction('window.hoshimiGlobe?.stats.firstCatalogFrameMs != null', undefined, {
          timeout: TIMEOUT_MS,
        });
        firstFrame.push((await page.evaluate('window.hoshimiGlobe.stats.firstCatalogFrameMs')) as number);
        if (k === PAGE_LOADS - 1) {
          objects = (await page.evaluate('window.hoshimiGlobe.catalog.count')) as number;
          await page.waitForFunction('window.hoshimiBench != null', undefined, { timeout: TIMEOUT_MS });
          timings = (await page.evaluate(`window.hoshimiBench.run(${UPDATE_ROUNDS})`)) as UpdateTimings;
        }
        await page.close();
      }
      record({
        bench: 'web',
        metric: `first globe frame with ${objects} objects`,
        ours: median(firstFrame) / 1000,
        peer: null,
        unit: 's',
      });
      if (timings !== null) {
        record({
          bench: 'web',
          metric: 'worker SGP4 per frame (blocks of 16)',
          ours: median(timings.workerMs),
          peer: null,
          unit: 'ms',
        });
        record({
          bench: 'web',
          metric: 'main thread: positions into the points',
          ours: median(timings.applyMs),
          peer: null,
          unit: 'ms',
        });
        record({
          bench: 'web',
          metric: 'update + frame (peer: 1 Entity/object)',
          ours: median(timings.frameMs),
          peer: median(timings.naiveFrameMs),
          unit: 'ms',
        });
        record({
          bench: 'web',
          metric: 'naive: creating the entities',
          ours: timings.naiveCreateMs,
          peer: null,
          unit: 'ms',
        });
      }
    } finally {
      await app.close();
    }
  } finally {
    await browser.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
