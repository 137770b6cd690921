import { getJson, postJson } from '../api';
import { placementForKey } from './placement-keys';

/** Where the user put a model on the stage: offset from its home position in CSS pixels, and a zoom factor. */
export interface Placement {
  x: number;
  y: number;
  scale: number;
}

/** An avatar that can be moved and zoomed. */
export interface Placeable {
  readonly placement: Placement;
  setPlacement(p: Placement): void;
}

export const HOME: Placement = { x: 0, y: 0, scale: 1 };
/** The preferences entry of the built-in avatar, which has no file: a name no model path can take. */
export const BUILT_IN_MODEL_PATH = 'neko:built-in-avatar';
const MIN_SCALE = 0.3;
const MAX_SCALE = 4;
/** Wheel zoom per 100 px of wheel delta (one notch on most mice). */
const WHEEL_STEP = 0.1;
/** Saving waits this long after the last move, so a drag or a wheel spin is one request. */
const SAVE_DELAY_MS = 400;

export function isPlaceable(avatar: object): avatar is Placeable {
  return 'setPlacement' in avatar && typeof (avatar as Placeable).setPlacement === 'function';
}

/** Keeps at least part of the model on the stage, whatever was saved (another screen, an older page). */
export function clampPlacement(p: Placement, stage: { width: number; height: number }): Placement {
  const finite = (v: number, d: number) => (Number.isFinite(v) ? v : d);
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, finite(p.scale, 1)));
  const maxX = stage.width * 0.45;
  const maxY = stage.height * 0.45;
  return {
    x: Math.min(maxX, Math.max(-maxX, finite(p.x, 0))),
    y: Math.min(maxY, Math.max(-maxY, finite(p.y, 0))),
    scale,
  };
}

type PreferenceEntry = { model_path?: unknown; position?: { x?: unknown; y?: unknown }; scale?: { x?: unknown; y?: unknown } };

/** The saved placement of `modelPath` from `GET /api/config/preferences` (rest.md §3.3), if any. */
export async function loadPlacement(modelPath: string): Promise<Placement | undefined> {
  const list = await getJson<PreferenceEntry[]>('/api/config/preferences?all=1').catch(() => []);
  const entry = Array.isArray(list) ? list.find((e) => e && e.model_path === modelPath) : undefined;
  const x = Number(entry?.position?.x);
  const y = Number(entry?.position?.y);
  const scale = Number(entry?.scale?.x);
  if (!entry || !Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(scale) || scale <= 0) return undefined;
  return { x, y, scale };
}

/** `POST /api/config/preferences` (rest.md §3.4): upserted by model_path; other saved fields are kept. */
export function savePlacement(modelPath: string, p: Placement, stage: { width: number; height: number }): Promise<unknown> {
  return postJson('/api/config/preferences', {
    model_path: modelPath,
    position: { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 },
    scale: { x: Math.round(p.scale * 1000) / 1000, y: Math.round(p.scale * 1000) / 1000 },
    viewport: { width: Math.max(1, Math.round(stage.width)), height: Math.max(1, Math.round(stage.height)) },
  });
}

/**
 * Drag with one pointer (mouse, pen, finger), zoom with the wheel or a two-finger pinch, on `surface`; or, once
 * `surface` has the keyboard focus, move and zoom with keys (see placement-keys.ts). Each change goes to the avatar
 * at once and to the server shortly after the gesture ends. The caller makes `surface` focusable and names it.
 */
export class DragZoom {
  private readonly pointers = new Map<number, { x: number; y: number }>();
  private pinchDistance = 0;
  private saveTimer?: ReturnType<typeof setTimeout>;
  private readonly abort = new AbortController();

  constructor(
    private readonly surface: HTMLElement,
    private readonly target: Placeable,
    private readonly save: (p: Placement) => void,
  ) {
    const opts = { signal: this.abort.signal };
    surface.addEventListener('pointerdown', (e) => this.down(e), opts);
    surface.addEventListener('pointermove', (e) => this.move(e), opts);
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture'] as const) surface.addEventListener(type, (e) => this.up(e), opts);
    surface.addEventListener('wheel', (e) => this.wheel(e), { ...opts, passive: false });
    surface.addEventListener('keydown', (e) => this.key(e), opts);
    surface.classList.add('avatar-movable');
  }

  dispose(): void {
    this.abort.abort();
    this.surface.classList.remove('avatar-movable', 'avatar-dragging');
    if (this.saveTimer !== undefined) {
      clearTimeout(this.saveTimer);
      this.save(this.target.placement);
    }
  }

  private get stageSize() {
    return { width: this.surface.clientWidth, height: this.surface.clientHeight };
  }

  private apply(p: Placement): void {
    this.target.setPlacement(clampPlacement(p, this.stageSize));
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.save(this.target.placement);
    }, SAVE_DELAY_MS);
  }

  private down(e: PointerEvent): void {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    this.surface.setPointerCapture?.(e.pointerId);
    this.surface.classList.add('avatar-dragging');
    if (this.pointers.size === 2) this.pinchDistance = this.distance();
  }

  private move(e: PointerEvent): void {
    const last = this.pointers.get(e.pointerId);
    if (!last) return;
    const dx = e.clientX - last.x;
    const dy = e.clientY - last.y;
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const p = this.target.placement;
    if (this.pointers.size >= 2) {
      const d = this.distance();
      if (this.pinchDistance > 0 && d > 0) this.apply({ ...p, scale: p.scale * (d / this.pinchDistance) });
      this.pinchDistance = d;
      return;
    }
    if (dx || dy) this.apply({ ...p, x: p.x + dx, y: p.y + dy });
  }

  private up(e: PointerEvent): void {
    if (!this.pointers.delete(e.pointerId)) return;
    this.pinchDistance = this.pointers.size === 2 ? this.distance() : 0;
    if (this.pointers.size === 0) this.surface.classList.remove('avatar-dragging');
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const lines = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? 33 : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? 400 : 1;
    const p = this.target.placement;
    this.apply({ ...p, scale: p.scale * Math.exp((-e.deltaY * lines * WHEEL_STEP) / 100) });
  }

  /** Only keys pressed on the surface itself: the chat box and the buttons keep theirs. */
  private key(e: KeyboardEvent): void {
    if (e.target !== this.surface || e.defaultPrevented) return;
    const next = placementForKey(e, this.target.placement);
    if (!next) return;
    e.preventDefault();
    this.apply(next === 'home' ? { ...HOME } : next);
  }

  private distance(): number {
    const [a, b] = [...this.pointers.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  }
}
