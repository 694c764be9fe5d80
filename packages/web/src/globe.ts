/**
 * The CesiumJS globe, offline: imagery from the Natural Earth II tiles bundled in the cesium
 * package (TileMapServiceImageryProvider on Assets/Textures/NaturalEarthII), no Ion token, no
 * geocoder or base-layer picker (both call outside services). The catalog is one
 * PointPrimitiveCollection coloured by object type (one primitive per object in one batch, not one
 * Entity each); the worker (propagation-worker.ts) computes every position for the clock's time,
 * and the main thread only copies them into the points. A selected object shows its orbit (one
 * period, frozen at the selection time) and its ground track.
 */
import {
  buildModuleUrl,
  Cartesian2,
  Cartesian3,
  Color,
  Ellipsoid,
  ImageryLayer,
  Ion,
  JulianDate,
  LabelCollection,
  Material,
  NearFarScalar,
  type PointPrimitive,
  PointPrimitiveCollection,
  PolylineCollection,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  TileMapServiceImageryProvider,
  Viewer,
} from 'cesium';
import 'cesium/Build/Cesium/Widgets/widgets.css';
import type { CatalogColumns } from './api.js';
import type { WorkerReply, WorkerRequest } from './propagation-worker.js';

// Where vite.config.ts copies Cesium's workers and assets; read lazily by buildModuleUrl.
(globalThis as { CESIUM_BASE_URL?: string }).CESIUM_BASE_URL = '/cesium/';

/** CSS colours of the object types, in OBJECT_TYPES order (payload, rocket body, debris, unknown). */
export const TYPE_COLORS = ['#4fc3f7', '#ffb74d', '#ef5350', '#bdbdbd'] as const;

/** Performance figures the browser bench and tests read (`window.hoshimiGlobe`). */
export interface GlobeStats {
  /** ms from page start (performance.now) to the first frame rendered with every catalog position. */
  firstCatalogFrameMs: number | null;
  /** Worker SGP4 time per frame of the last block, ms. */
  lastComputeMs: number;
  /** Main-thread time to copy the last update into the points, ms. */
  lastApplyMs: number;
  updates: number;
  visible: number;
}

const MS_PER_DAY = 86_400_000;
/**
 * At most ten catalog updates per second of wall time: smooth enough at globe scale, and a slow
 * (software-rendered) frame does not queue updates behind it.
 */
const MIN_UPDATE_INTERVAL_MS = 100;
/**
 * Frames computed per worker request: the batch kernel loads each record once per block, so 16
 * frames cost about 5× one frame (measured on Node: 26k objects, 1 time ≈ 20 ms, 16 times ≈ 105 ms).
 */
const FRAMES_PER_BLOCK = 16;

/** Positions of every object at `frames` times from (jd, jdFrac), `stepMin` minutes apart. */
interface PositionBlock {
  readonly jd: number;
  readonly jdFrac: number;
  readonly stepMin: number;
  readonly frames: number;
  /** Frame after frame, 3 doubles per object, Earth-fixed metres. */
  readonly xyz: Float64Array;
}
const UNIX_EPOCH_JD = 2440587.5;

export class CatalogGlobe {
  readonly viewer: Viewer;
  readonly stats: GlobeStats = {
    firstCatalogFrameMs: null,
    lastComputeMs: 0,
    lastApplyMs: 0,
    updates: 0,
    visible: 0,
  };
  private readonly points: PointPrimitiveCollection;
  private readonly tracks: PolylineCollection;
  private readonly labels: LabelCollection;
  private readonly worker: Worker;
  /** The catalog on the globe (null before `load`). */
  catalog: CatalogColumns | null = null;
  private pointList: PointPrimitive[] = [];
  /** The block of frames on show, the next one (prefetched), and free buffers. */
  private current: PositionBlock | null = null;
  private next: PositionBlock | null = null;
  private readonly pool: Float64Array[] = [];
  private shownFrame = -1;
  private busy = false;
  private ready = false;
  private lastTickAt = Number.NEGATIVE_INFINITY;
  private firstApplied = false;
  private selectedIndex = -1;
  private onSelect: (index: number) => void = () => {};

  constructor(container: HTMLElement) {
    Ion.defaultAccessToken = '';
    const baseLayer = ImageryLayer.fromProviderAsync(
      TileMapServiceImageryProvider.fromUrl(buildModuleUrl('Assets/Textures/NaturalEarthII')),
      {},
    );
    this.viewer = new Viewer(container, {
      baseLayer,
      baseLayerPicker: false,
      geocoder: false,
      homeButton: true,
      sceneModePicker: true,
      navigationHelpButton: false,
      fullscreenButton: false,
      infoBox: false,
      selectionIndicator: false,
      animation: true,
      timeline: true,
      shouldAnimate: true,
      // Draw a frame only when something changed (new positions, camera, selection), not at the
      // display rate: the catalog moves at the worker's pace, and idle pages cost no GPU.
      requestRenderMode: true,
      maximumRenderTimeChange: Number.POSITIVE_INFINITY,
    });
    this.viewer.scene.globe.enableLighting = false;
    this.points = this.viewer.scene.primitives.add(new PointPrimitiveCollection());
    this.tracks = this.viewer.scene.primitives.add(new PolylineCollection());
    this.labels = this.viewer.scene.primitives.add(new LabelCollection());
    this.worker = new Worker(new URL('./propagation-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<WorkerReply>) => this.onWorker(e.data);
    this.viewer.clock.onTick.addEventListener(() => this.onTick());
    const handler = new ScreenSpaceEventHandler(this.viewer.scene.canvas);
    handler.setInputAction((click: { position: Cartesian2 }) => {
      const picked = this.viewer.scene.pick(click.position) as
        | { primitive?: unknown; id?: unknown }
        | undefined;
      if (picked !== undefined && picked.primitive !== undefined && typeof picked.id === 'number') {
        this.onSelect(picked.id);
      }
    }, ScreenSpaceEventType.LEFT_CLICK);
  }

  /** Loads the catalog: one point per object, the clock set to start at `startUtc`. */
  load(catalog: CatalogColumns, startUtc: string, onSelect: (index: number) => void): void {
    this.onSelect = onSelect;
    this.catalog = catalog;
    const n = catalog.count;
    const colors = TYPE_COLORS.map((c) => Color.fromCssColorString(c));
    const scale = new NearFarScalar(1.5e6, 1.6, 5e7, 0.8);
    this.points.removeAll();
    this.pointList = new Array<PointPrimitive>(n);
    for (let i = 0; i < n; i++) {
      this.pointList[i] = this.points.add({
        id: i,
        pixelSize: 3,
        color: colors[catalog.type[i] ?? 3] ?? Color.WHITE,
        scaleByDistance: scale,
        show: false,
      });
    }
    this.current = null;
    this.next = null;
    const clock = this.viewer.clock;
    const start = JulianDate.fromIso8601(startUtc);
    clock.startTime = start.clone();
    clock.currentTime = start.clone();
    clock.stopTime = JulianDate.addDays(start, 1, new JulianDate());
    clock.multiplier = 60;
    this.viewer.timeline.zoomTo(clock.startTime, clock.stopTime);
    const request: WorkerRequest = { kind: 'init', catalog };
    this.worker.postMessage(request);
  }

  /** Highlights object `index` with its orbit and ground track. */
  select(index: number, label: string): void {
    this.selectedIndex = index;
    const { jd, jdFrac } = this.utcNow();
    const request: WorkerRequest = { kind: 'track', index, jd, jdFrac };
    this.worker.postMessage(request);
    this.labels.removeAll();
    const p = this.pointList[index];
    if (p !== undefined) {
      this.labels.add({
        position: p.position,
        text: label,
        font: '14px sans-serif',
        fillColor: Color.WHITE,
        pixelOffset: new Cartesian2(8, -8),
      });
    }
  }

  /** Shows or hides the whole catalog's points. */
  setPointsVisible(visible: boolean): void {
    this.points.show = visible;
    this.viewer.scene.requestRender();
  }

  /** Switches between the 3D globe and the 2D map. */
  setMode(mode: '3d' | '2d'): void {
    if (mode === '2d') this.viewer.scene.morphTo2D(0);
    else this.viewer.scene.morphTo3D(0);
  }

  destroy(): void {
    this.worker.terminate();
    this.viewer.destroy();
  }

  private utcNow(): { jd: number; jdFrac: number } {
    const ms = JulianDate.toDate(this.viewer.clock.currentTime).getTime();
    const days = Math.floor(ms / MS_PER_DAY);
    return { jd: UNIX_EPOCH_JD + days, jdFrac: (ms - days * MS_PER_DAY) / MS_PER_DAY };
  }

  /** The tick handler: shows the block's frame for the clock's time and keeps the next block coming. */
  private onTick(): void {
    if (!this.ready) return;
    const now = performance.now();
    if (now - this.lastTickAt < MIN_UPDATE_INTERVAL_MS) return;
    this.lastTickAt = now;
    const { jd, jdFrac } = this.utcNow();
    let frame = this.frameOf(this.current, jd, jdFrac);
    if (frame < 0 && this.next !== null && this.frameOf(this.next, jd, jdFrac) >= 0) {
      if (this.current !== null) this.pool.push(this.current.xyz);
      this.current = this.next;
      this.next = null;
      this.shownFrame = -1;
      frame = this.frameOf(this.current, jd, jdFrac);
    }
    if (frame >= 0 && frame !== this.shownFrame && this.current !== null) this.show(this.current, frame);
    if (this.busy) return;
    const step = (this.viewer.clock.multiplier * MIN_UPDATE_INTERVAL_MS) / 60_000;
    if (frame < 0) {
      // No block covers the clock (start, a jump on the timeline, a new speed): one from now.
      this.next = null;
      this.request(jd, jdFrac, step);
    } else if (this.next === null && this.current !== null && frame >= this.current.frames / 2) {
      const c = this.current;
      this.request(c.jd, c.jdFrac + (c.frames * c.stepMin) / 1440, c.stepMin);
    }
  }

  /** The frame of `block` nearest the time, or −1 outside it. */
  private frameOf(block: PositionBlock | null, jd: number, jdFrac: number): number {
    if (block === null) return -1;
    const dtMin = (jd - block.jd + (jdFrac - block.jdFrac)) * 1440;
    const k = block.stepMin === 0 ? (dtMin === 0 ? 0 : -1) : Math.round(dtMin / block.stepMin);
    return k >= 0 && k < block.frames ? k : -1;
  }

  private request(jd: number, jdFrac: number, stepMin: number): void {
    const n = this.pointList.length;
    // The first request is a single frame, drawn as soon as possible; blocks follow.
    const frames = stepMin === 0 || !this.firstApplied ? 1 : FRAMES_PER_BLOCK;
    let out = this.pool.pop();
    if (out === undefined || out.length !== 3 * n * frames) out = new Float64Array(3 * n * frames);
    this.busy = true;
    const request: WorkerRequest = { kind: 'positions', jd, jdFrac, stepMin, frames, out };
    this.worker.postMessage(request, [out.buffer]);
  }

  private show(block: PositionBlock, frame: number): void {
    const t = performance.now();
    this.stats.visible = this.applyPositions(block.xyz, frame);
    this.stats.lastApplyMs = performance.now() - t;
    this.stats.updates++;
    this.shownFrame = frame;
    this.viewer.scene.requestRender();
    if (!this.firstApplied) {
      this.firstApplied = true;
      const remove = this.viewer.scene.postRender.addEventListener(() => {
        remove();
        this.stats.firstCatalogFrameMs = performance.now();
      });
    }
  }

  private onWorker(m: WorkerReply): void {
    if (m.kind === 'ready') {
      this.ready = true;
      this.onTick();
    } else if (m.kind === 'positions') {
      this.busy = false;
      this.stats.lastComputeMs = m.computeMs / m.frames;
      const block: PositionBlock = {
        jd: m.jd,
        jdFrac: m.jdFrac,
        stepMin: m.stepMin,
        frames: m.frames,
        xyz: m.out,
      };
      const { jd, jdFrac } = this.utcNow();
      if (this.frameOf(this.current, jd, jdFrac) < 0) {
        if (this.current !== null) this.pool.push(this.current.xyz);
        this.current = block;
        this.shownFrame = -1;
        const frame = Math.max(0, this.frameOf(block, jd, jdFrac));
        this.show(block, frame);
      } else {
        this.next = block;
      }
    } else if (m.index === this.selectedIndex) {
      this.drawTrack(m.orbit, m.ground);
      this.viewer.scene.requestRender();
    }
  }

  /**
   * Copies Earth-fixed positions (m) of frame `frame` of a block into the points; hides objects
   * SGP4 could not propagate.
   */
  applyPositions(xyz: Float64Array, frame = 0): number {
    const scratch = new Cartesian3();
    let visible = 0;
    const list = this.pointList;
    const base = 3 * list.length * frame;
    for (let i = 0, j = base; i < list.length; i++, j += 3) {
      const p = list[i] as PointPrimitive;
      const x = xyz[j] as number;
      if (Number.isNaN(x)) {
        if (p.show) p.show = false;
        continue;
      }
      scratch.x = x;
      scratch.y = xyz[j + 1] as number;
      scratch.z = xyz[j + 2] as number;
      p.position = scratch;
      if (!p.show) p.show = true;
      visible++;
    }
    const sel = list[this.selectedIndex];
    const label = this.labels.length > 0 ? this.labels.get(0) : undefined;
    if (sel !== undefined && label !== undefined) label.position = sel.position;
    return visible;
  }

  private drawTrack(orbit: Float64Array, ground: Float64Array): void {
    this.tracks.removeAll();
    const orbitPositions: Cartesian3[] = [];
    const groundPositions: Cartesian3[] = [];
    const ellipsoid = Ellipsoid.WGS84;
    for (let k = 0; 3 * k + 2 < orbit.length; k++) {
      const o = new Cartesian3(orbit[3 * k], orbit[3 * k + 1], orbit[3 * k + 2]);
      if (!Number.isNaN(o.x)) orbitPositions.push(o);
      const g = new Cartesian3(ground[3 * k], ground[3 * k + 1], ground[3 * k + 2]);
      if (Number.isNaN(g.x)) continue;
      const c = ellipsoid.cartesianToCartographic(g);
      if (c !== undefined) groundPositions.push(Cartesian3.fromRadians(c.longitude, c.latitude, 0));
    }
    this.tracks.add({
      positions: orbitPositions,
      width: 2,
      material: Material.fromType('Color', { color: Color.YELLOW }),
    });
    this.tracks.add({
      positions: groundPositions,
      width: 2,
      material: Material.fromType('Color', { color: Color.LIME }),
    });
  }
}
