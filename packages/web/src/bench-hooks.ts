/**
 * Browser benchmark hooks (`npm run bench -- web`), loaded only with `?bench` in the URL: times one
 * catalog update as the console does it (SGP4 of every object in the worker, in blocks of frames, then copying the
 * positions into the PointPrimitiveCollection and drawing a frame) against the naive approach of
 * one Cesium Entity per object (a position property set per object, then the entity system's update
 * and the same frame), over the same positions.
 */
import { Cartesian3, ConstantPositionProperty, type Entity, JulianDate } from 'cesium';
import type { CatalogGlobe } from './globe.js';
import type { WorkerReply, WorkerRequest } from './propagation-worker.js';

export interface UpdateTimings {
  /** Worker SGP4 of the whole catalog, ms per frame (a block of 16 frames divided by 16). */
  readonly workerMs: number[];
  /** Main thread: positions into the points, ms per update. */
  readonly applyMs: number[];
  /** Main thread: positions into the points plus one frame, ms per update. */
  readonly frameMs: number[];
  /** Naive: positions into one Entity each plus the entity update and one frame, ms per update. */
  readonly naiveFrameMs: number[];
  /** Naive: creating the entities, ms (once). */
  readonly naiveCreateMs: number;
}

const UNIX_EPOCH_JD = 2440587.5;
/** As the console requests them: 16 frames per block, 0.1 min apart (60× real time, 10 updates/s). */
const FRAMES = 16;
const STEP_MIN = 0.1;

export function installBenchHooks(globe: CatalogGlobe): void {
  const run = async (rounds: number): Promise<UpdateTimings> => {
    const catalog = globe.catalog;
    if (catalog === null) throw new Error('catalog not loaded');
    const viewer = globe.viewer;
    viewer.clock.shouldAnimate = false;
    const worker = new Worker(new URL('./propagation-worker.ts', import.meta.url), { type: 'module' });
    const reply = () =>
      new Promise<WorkerReply>((resolve) => {
        worker.onmessage = (e: MessageEvent<WorkerReply>) => resolve(e.data);
      });
    let pending = reply();
    worker.postMessage({ kind: 'init', catalog } satisfies WorkerRequest);
    await pending;
    const n = catalog.count;
    const startMs = JulianDate.toDate(viewer.clock.currentTime).getTime();
    const positionsAt = async (round: number) => {
      const ms = startMs + round * 60_000;
      const days = Math.floor(ms / 86_400_000);
      const out = new Float64Array(3 * n * FRAMES);
      pending = reply();
      worker.postMessage(
        {
          kind: 'positions',
          jd: UNIX_EPOCH_JD + days,
          jdFrac: (ms - days * 86_400_000) / 86_400_000,
          stepMin: STEP_MIN,
          frames: FRAMES,
          out,
        } satisfies WorkerRequest,
        [out.buffer],
      );
      const r = await pending;
      if (r.kind !== 'positions') throw new Error('unexpected worker reply');
      return r;
    };
    const workerMs: number[] = [];
    const applyMs: number[] = [];
    const frameMs: number[] = [];
    const naiveFrameMs: number[] = [];
    const render = () => {
      viewer.scene.requestRender();
      viewer.scene.render(viewer.clock.currentTime);
    };
    for (let k = 1; k <= rounds; k++) {
      const r = await positionsAt(k);
      workerMs.push(r.computeMs / r.frames);
      const t0 = performance.now();
      globe.applyPositions(r.out, k % r.frames);
      const t1 = performance.now();
      render();
      const t2 = performance.now();
      applyMs.push(t1 - t0);
      frameMs.push(t2 - t0);
    }
    // Naive: one Entity per object with a point graphic, the points hidden.
    globe.setPointsVisible(false);
    const first = await positionsAt(0);
    const tc = performance.now();
    const entities: Entity[] = [];
    viewer.entities.suspendEvents();
    for (let i = 0; i < n; i++) {
      const x = first.out[3 * i] as number;
      entities.push(
        viewer.entities.add({
          position: new ConstantPositionProperty(
            Number.isNaN(x) ? Cartesian3.ZERO : new Cartesian3(x, first.out[3 * i + 1], first.out[3 * i + 2]),
          ),
          point: { pixelSize: 3 },
        }),
      );
    }
    viewer.entities.resumeEvents();
    viewer.dataSourceDisplay.update(viewer.clock.currentTime);
    render();
    const naiveCreateMs = performance.now() - tc;
    for (let k = 1; k <= rounds; k++) {
      const r = await positionsAt(k);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const x = r.out[3 * i] as number;
        if (Number.isNaN(x)) continue;
        ((entities[i] as Entity).position as ConstantPositionProperty).setValue(
          new Cartesian3(x, r.out[3 * i + 1], r.out[3 * i + 2]),
        );
      }
      viewer.dataSourceDisplay.update(viewer.clock.currentTime);
      render();
      naiveFrameMs.push(performance.now() - t0);
    }
    viewer.entities.removeAll();
    globe.setPointsVisible(true);
    worker.terminate();
    return { workerMs, applyMs, frameMs, naiveFrameMs, naiveCreateMs };
  };
  (globalThis as unknown as { hoshimiBench: { run: typeof run } }).hoshimiBench = { run };
}
